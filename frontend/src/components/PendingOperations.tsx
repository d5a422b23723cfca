import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useId, useState } from 'react';
import type { Operation } from '../api/types';
import { errorMessage } from './errors';
import { ACTION_LABELS, describeChange, formatTime } from './operationText';

interface Props {
  operations: Operation[];
  viewer: string;
  canApprove: boolean;
  onApprove: (id: string) => Promise<void>;
  onReject: (id: string, comment: string) => Promise<void>;
}

/** The requests that wait for approval: who asked for what and why, and, for another owner, Approve and Reject. */
export function PendingOperations({ operations, viewer, canApprove, onApprove, onReject }: Props) {
  const [rejecting, setRejecting] = useState<Operation | null>(null);
  if (operations.length === 0) return null;
  return (
    <Box marginBottom={2} component="section" aria-label="Pending approvals">
      <Typography variant="subtitle2" component="h3">
        Pending approvals
      </Typography>
      {operations.map(operation => (
        <PendingOperation key={operation.id} operation={operation} viewer={viewer} canApprove={canApprove} onApprove={onApprove} onReject={() => setRejecting(operation)} />
      ))}
      {rejecting && <RejectDialog operation={rejecting} onReject={onReject} onClose={() => setRejecting(null)} />}
    </Box>
  );
}

function PendingOperation(props: { operation: Operation; viewer: string; canApprove: boolean; onApprove: (id: string) => Promise<void>; onReject: () => void }) {
  const { operation, viewer, canApprove } = props;
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const approve = async () => {
    setSending(true);
    setError(null);
    try {
      await props.onApprove(operation.id);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSending(false);
    }
  };
  const own = operation.requestedBy === viewer;
  const approved = operation.approvedBy.includes(viewer);
  const label = `${ACTION_LABELS[operation.action]} requested by ${operation.requestedBy}`;
  return (
    <Box role="group" aria-label={label} marginTop={1} padding={1} border={1} borderColor="divider" borderRadius={4}>
      <Typography variant="body2">
        <EntityRefLink entityRef={operation.requestedBy} defaultKind="user" /> asks to <strong>{ACTION_LABELS[operation.action].toLowerCase()}</strong>:{' '}
        {describeChange(operation)}
      </Typography>
      <Typography variant="body2">{`Reason: ${operation.reason}`}</Typography>
      <Typography variant="caption" color="textSecondary" component="p">
        {`Requested ${formatTime(operation.requestedAt)}; expires ${formatTime(operation.expiresAt)}. `}
        {`Approvals: ${operation.approvedBy.length} of ${operation.approvalsRequired}`}
        {operation.approvedBy.length > 0 && ` (${operation.approvedBy.join(', ')})`}.
      </Typography>
      {own && <Typography variant="body2">Your request: another owner must approve it.</Typography>}
      {!own && approved && <Typography variant="body2">You approved it; it waits for more approvals.</Typography>}
      {!own && !approved && !canApprove && <Typography variant="body2">Waits for an owner of the service to approve it.</Typography>}
      {!own && !approved && canApprove && (
        <Box marginTop={1} display="flex" style={{ gap: 8 }}>
          <Button size="small" variant="contained" color="primary" onClick={approve} disabled={sending}>
            Approve
          </Button>
          <Button size="small" variant="outlined" onClick={props.onReject} disabled={sending}>
            Reject
          </Button>
        </Box>
      )}
      {error !== null && (
        <Typography role="alert" color="error" variant="body2">
          {error}
        </Typography>
      )}
    </Box>
  );
}

function RejectDialog({ operation, onReject, onClose }: { operation: Operation; onReject: (id: string, comment: string) => Promise<void>; onClose: () => void }) {
  const id = useId();
  const [comment, setComment] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!comment.trim()) {
      setProblem('Say why: the requester reads it.');
      return;
    }
    setProblem(null);
    setSending(true);
    setError(null);
    try {
      await onReject(operation.id, comment.trim());
      onClose();
    } catch (e) {
      setError(errorMessage(e));
      setSending(false);
    }
  };
  return (
    <Dialog open onClose={onClose} aria-labelledby={`${id}-title`} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle id={`${id}-title`}>{`Reject the ${operation.action} requested by ${operation.requestedBy}`}</DialogTitle>
        <DialogContent>
          <TextField
            id={`${id}-comment`}
            label="Comment"
            required
            fullWidth
            multiline
            minRows={2}
            margin="dense"
            value={comment}
            onChange={e => setComment(e.target.value)}
            error={problem !== null}
            helperText={problem ?? 'Why not: the requester reads it.'}
          />
          {error !== null && (
            <Typography role="alert" color="error" variant="body2">
              {error}
            </Typography>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" color="primary" variant="contained" disabled={sending}>
            Reject request
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
