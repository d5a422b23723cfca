import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import IconButton from '@material-ui/core/IconButton';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { Fragment, useState } from 'react';
import type { Operation } from '../api/types';
import { ACTION_LABELS, describeChange, EVENT_LABELS, formatTime } from './operationText';
import { OperationStatusChip } from './OperationStatusChip';

const COLUMNS = 9;
/**
 * The app's theme breaks table text anywhere, which in a half-width card cut
 * words and ids mid-word; rows keep to one line and the box scrolls instead.
 */
const ONE_LINE = { whiteSpace: 'nowrap' } as const;
const WRAPPING = { whiteSpace: 'normal', minWidth: 160 } as const;

/** Every operation on the service, newest first; a row opens onto its audit trail. */
export function OperationHistory({ operations }: { operations: Operation[] }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) => {
    const next = new Set(open);
    if (!next.delete(id)) next.add(id);
    setOpen(next);
  };
  if (operations.length === 0) {
    return <Typography variant="body2">No operation has been requested on this service yet.</Typography>;
  }
  return (
    <Box overflow="auto">
      <Table size="small" aria-label="ECS operations history">
        <TableHead>
          <TableRow style={ONE_LINE}>
            <TableCell padding="checkbox" />
            <TableCell>Action</TableCell>
            <TableCell>Change</TableCell>
            <TableCell>Status</TableCell>
            <TableCell>Requested by</TableCell>
            <TableCell>Approved by</TableCell>
            <TableCell>Requested</TableCell>
            <TableCell>Deployment</TableCell>
            <TableCell>AWS request id</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {operations.map(operation => {
            const expanded = open.has(operation.id);
            const name = `${ACTION_LABELS[operation.action]} of ${formatTime(operation.requestedAt)}`;
            return (
              <Fragment key={operation.id}>
                <TableRow style={ONE_LINE}>
                  <TableCell padding="checkbox">
                    <IconButton size="small" aria-expanded={expanded} aria-label={`Trail of the ${name}`} onClick={() => toggle(operation.id)}>
                      <span aria-hidden>{expanded ? '▾' : '▸'}</span>
                    </IconButton>
                  </TableCell>
                  <TableCell>{ACTION_LABELS[operation.action]}</TableCell>
                  <TableCell style={WRAPPING}>{describeChange(operation)}</TableCell>
                  <TableCell>
                    <OperationStatusChip status={operation.status} />
                    {operation.error !== null && (
                      <Typography variant="body2" color="error" style={WRAPPING}>
                        {operation.error}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell>
                    <EntityRefLink entityRef={operation.requestedBy} defaultKind="user" />
                  </TableCell>
                  <TableCell>
                    {operation.approvedBy.length === 0
                      ? operation.approvalsRequired === 0
                        ? 'none needed'
                        : '—'
                      : operation.approvedBy.map((ref, i) => (
                          <Fragment key={ref}>
                            {i > 0 && ', '}
                            <EntityRefLink entityRef={ref} defaultKind="user" />
                          </Fragment>
                        ))}
                  </TableCell>
                  <TableCell>{formatTime(operation.requestedAt)}</TableCell>
                  <TableCell>
                    <code>{operation.after?.deploymentId ?? '—'}</code>
                  </TableCell>
                  <TableCell>
                    <code>{operation.awsRequestId ?? '—'}</code>
                  </TableCell>
                </TableRow>
                {expanded && (
                  <TableRow>
                    <TableCell colSpan={COLUMNS}>
                      <OperationTrail operation={operation} name={name} />
                    </TableCell>
                  </TableRow>
                )}
              </Fragment>
            );
          })}
        </TableBody>
      </Table>
    </Box>
  );
}

function OperationTrail({ operation, name }: { operation: Operation; name: string }) {
  return (
    <Box marginY={1}>
      <Typography variant="body2">{`Reason: ${operation.reason}`}</Typography>
      <Typography variant="caption" color="textSecondary" component="p">
        {`Executed as ${operation.roleArn} with source identity ${operation.sourceIdentity}; service ${operation.serviceArn}`}
        {operation.requestedFor !== operation.entityRef && `; requested for ${operation.requestedFor}`}
      </Typography>
      <Table size="small" aria-label={`Trail of the ${name}`}>
        <TableHead>
          <TableRow>
            <TableCell>When</TableCell>
            <TableCell>Event</TableCell>
            <TableCell>By</TableCell>
            <TableCell>Message</TableCell>
            <TableCell>AWS request id</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {operation.events.map((event, i) => (
            <TableRow key={i}>
              <TableCell>{formatTime(event.at)}</TableCell>
              <TableCell>{EVENT_LABELS[event.kind] ?? event.kind}</TableCell>
              <TableCell>{event.actor === null ? 'the backend' : <EntityRefLink entityRef={event.actor} defaultKind="user" />}</TableCell>
              <TableCell>{event.message ?? ''}</TableCell>
              <TableCell>
                <code>{event.awsRequestId ?? ''}</code>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}
