import { InfoCard, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { ecsCatalogSyncApiRef } from '../api/EcsCatalogSyncApi';
import { OPERATION_ACTIONS, type Operation, type OperationAction, type OperationCapabilities, type OperationRequest } from '../api/types';
import { ACTION_LABELS, approvalsPhrase, STATUS_LABELS } from './operationText';
import { OperationHistory } from './OperationHistory';
import { PendingOperations } from './PendingOperations';
import { RequestOperationDialog } from './RequestOperationDialog';
import { useEntityOperations } from './useEntityOperations';

const TITLE = 'ECS operations';

/**
 * Restart, scale and deploy the one ECS service the entity is or claims,
 * behind the backend's review gates: the buttons the user may press, the
 * requests waiting for approval and every operation's trail. Renders nothing
 * where there is no single service, or operations are off.
 */
export function EcsOperationsCard({ pollInterval = 5000 }: { pollInterval?: number }) {
  const api = useApi(ecsCatalogSyncApiRef);
  const { value, loading, error, retry } = useEntityOperations(pollInterval);
  const [asking, setAsking] = useState<OperationAction | null>(null);
  const [requested, setRequested] = useState<Operation | null>(null);

  if (!value) {
    if (loading) {
      return (
        <InfoCard title={TITLE}>
          <Progress />
        </InfoCard>
      );
    }
    if (error) {
      return (
        <InfoCard title={TITLE}>
          <ResponseErrorPanel error={error} />
        </InfoCard>
      );
    }
    return null;
  }
  const { capabilities, operations, viewer, entityRef } = value;
  if (!capabilities.enabled) return null;

  const request = async (body: OperationRequest) => {
    const operation = await api.requestOperation(body);
    setAsking(null);
    setRequested(operation);
    retry();
  };
  const approve = async (id: string) => {
    await api.approveOperation(id);
    retry();
  };
  const reject = async (id: string, comment: string) => {
    await api.rejectOperation(id, { comment });
    retry();
  };
  // The newest copy of the request just made, so its line follows it through approval and execution.
  const latest = requested ? operations.find(o => o.id === requested.id) ?? requested : null;

  return (
    <InfoCard title={TITLE} subheader={capabilities.serviceArn}>
      <Box display="flex" flexWrap="wrap" marginBottom={2} style={{ gap: 8 }}>
        {OPERATION_ACTIONS.map(action => (
          <ActionButton key={action} action={action} capabilities={capabilities} onClick={() => setAsking(action)} />
        ))}
      </Box>
      {latest && (
        <Typography role="status" variant="body2" paragraph>
          {requestedLine(latest)}
        </Typography>
      )}
      <PendingOperations
        operations={operations.filter(o => o.status === 'pending')}
        viewer={viewer}
        canApprove={capabilities.canApprove}
        onApprove={approve}
        onReject={reject}
      />
      <Typography variant="subtitle2" component="h3">
        History
      </Typography>
      <OperationHistory operations={operations} />
      {asking && <RequestOperationDialog action={asking} entityRef={entityRef} capabilities={capabilities} onSubmit={request} onClose={() => setAsking(null)} />}
    </InfoCard>
  );
}

function ActionButton({ action, capabilities, onClick }: { action: OperationAction; capabilities: OperationCapabilities; onClick: () => void }) {
  const capability = capabilities.actions.find(a => a.action === action);
  const deployWithoutFamily = action === 'deploy' && capabilities.taskDefinitionFamily === null;
  const why = !capability
    ? 'The backend offers no such operation on this service.'
    : !capability.allowed
      ? capability.reason ?? 'You may not do this to this service.'
      : deployWithoutFamily
        ? 'The service names no task definition family to deploy a revision of.'
        : null;
  const button = (
    <Button variant="outlined" color="primary" disabled={why !== null} onClick={onClick}>
      {ACTION_LABELS[action]}
    </Button>
  );
  if (why === null) {
    const approvals = capability?.approvalsRequired ?? 0;
    return <Tooltip title={approvals > 0 ? `Needs ${approvalsPhrase(approvals)}` : 'Runs without approval'}>{button}</Tooltip>;
  }
  // A disabled button fires no hover events: the tooltip hangs on a wrapper that does.
  return (
    <Tooltip title={why}>
      <span>{button}</span>
    </Tooltip>
  );
}

function requestedLine(operation: Operation): string {
  const what = `Your ${operation.action} request`;
  if (operation.status === 'pending') return `${what} waits for ${approvalsPhrase(operation.approvalsRequired - operation.approvedBy.length)}.`;
  if (operation.status === 'running') return `${what} is running.`;
  return `${what}: ${STATUS_LABELS[operation.status].toLowerCase()}${operation.error ? ` (${operation.error})` : ''}.`;
}
