import type { Operation, OperationAction, OperationEventKind, OperationStatus } from '../api/types';

export const ACTION_LABELS: Record<OperationAction, string> = { restart: 'Restart', scale: 'Scale', deploy: 'Deploy' };

export const STATUS_LABELS: Record<OperationStatus, string> = {
  pending: 'Pending',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  rejected: 'Rejected',
  expired: 'Expired',
  refused: 'Refused',
};

export const EVENT_LABELS: Record<OperationEventKind, string> = {
  requested: 'Requested',
  approved: 'Approved',
  rejected: 'Rejected',
  expired: 'Expired',
  refused: 'Refused',
  started: 'Started',
  succeeded: 'Succeeded',
  failed: 'Failed',
};

/** Still changing on the server: the card asks again until none is. */
export function isActive(operation: Operation): boolean {
  return operation.status === 'pending' || operation.status === 'running';
}

/** What the operation changes, in words: the part a reviewer must read before approving. */
export function describeChange(operation: Operation): string {
  const before = operation.before;
  switch (operation.action) {
    case 'restart':
      return before ? `new deployment of ${before.taskDefinition}` : 'new deployment of the same task definition';
    case 'scale':
      return before ? `desired count ${before.desiredCount} → ${operation.desiredCount ?? '?'}` : `desired count → ${operation.desiredCount ?? '?'}`;
    case 'deploy':
      return before ? `${before.taskDefinition} → ${operation.taskDefinition ?? '?'}` : `→ ${operation.taskDefinition ?? '?'}`;
    default:
      return '';
  }
}

/** An ISO 8601 time as `2026-12-01 10:00:00 UTC`: the same for every reader, whatever their locale. */
export function formatTime(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?Z$/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}

export function approvalsPhrase(count: number): string {
  return count === 1 ? 'one approval' : `${count} approvals`;
}
