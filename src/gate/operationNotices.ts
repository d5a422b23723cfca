import { entityPagePath } from '../notify/findingNotices';
import { plainDescription, plainTitle } from '../notify/plainText';
import type { Operation } from './operationView';

/** The topic users can mute in their notification settings. */
export const OPERATIONS_TOPIC = 'ECS operations';

/** What the notifications service is asked to send, in its own shape. */
export interface OperationNotice {
  recipients: { type: 'entity'; entityRef: string; excludeEntityRef?: string };
  payload: { title: string; description: string; link: string; severity: 'normal' | 'high'; topic: string; scope: string };
}

/** What the change is, in a few words. */
export function operationSummary(op: Operation): string {
  const service = op.serviceArn.slice(op.serviceArn.lastIndexOf('/') + 1);
  switch (op.action) {
    case 'restart':
      return `restart of ${service}`;
    case 'scale':
      return `scale of ${service} to ${op.desiredCount}`;
    case 'deploy':
      return `deploy of ${op.taskDefinition} to ${service}`;
  }
}

/**
 * To the owning group but the requester: a change waits for one of them. One
 * notification per operation (its scope), updated when it is decided.
 */
export function approvalNotice(op: Operation, owner: string): OperationNotice {
  return {
    recipients: { type: 'entity', entityRef: owner, excludeEntityRef: op.requestedBy },
    payload: {
      title: plainTitle(`Approval needed: ${operationSummary(op)}`),
      description: plainDescription(
        `${op.requestedBy} asks for a ${operationSummary(op)} (${op.approvalsRequired} approval${op.approvalsRequired === 1 ? '' : 's'} needed, until ${op.expiresAt}). Reason: ${op.reason}`,
      ),
      link: entityPagePath(op.entityRef),
      severity: 'high',
      topic: OPERATIONS_TOPIC,
      scope: `ecs-operation:${op.id}:approval`,
    },
  };
}

/** To the requester: their change ran, failed, or will not run. */
export function outcomeNotice(op: Operation): OperationNotice {
  const verdict: Record<Operation['status'], string> = {
    pending: 'waits for approval',
    running: 'is running',
    succeeded: 'ran',
    failed: 'failed',
    rejected: 'was rejected',
    expired: 'expired',
    refused: 'was refused',
  };
  const detail = op.status === 'succeeded' ? (op.after?.deploymentId ? `Deployment ${op.after.deploymentId}.` : '') : (op.error ?? '');
  return {
    recipients: { type: 'entity', entityRef: op.requestedBy },
    payload: {
      title: plainTitle(`Your ${operationSummary(op)} ${verdict[op.status]}`),
      description: plainDescription(`${detail} AWS request ${op.awsRequestId ?? 'none'}.`.trim()),
      link: entityPagePath(op.entityRef),
      severity: op.status === 'succeeded' ? 'normal' : 'high',
      topic: OPERATIONS_TOPIC,
      scope: `ecs-operation:${op.id}`,
    },
  };
}
