/**
 * What the operations routes answer: one operation with its audit trail, and
 * what a user may do to one service. The frontend keeps a copy of these types
 * (`frontend/src/api/types.ts`), checked equal by a test.
 */

export const OPERATION_ACTIONS = ['restart', 'scale', 'deploy'] as const;
/** restart: a new deployment of the same task definition; scale: a new desiredCount; deploy: another revision of the service's own family. */
export type OperationAction = (typeof OPERATION_ACTIONS)[number];

/**
 * - `pending`: waits for approvals;
 * - `running`: approved (or needed none) and being executed;
 * - `succeeded` / `failed`: what AWS answered;
 * - `rejected`: an approver said no;
 * - `expired`: not approved in time;
 * - `refused`: the service changed after the request was made, or the request could not be executed as asked.
 */
export type OperationStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'rejected' | 'expired' | 'refused';

export type OperationEventKind = 'requested' | 'approved' | 'rejected' | 'expired' | 'refused' | 'started' | 'succeeded' | 'failed';

/** One line of an operation's audit trail. */
export interface OperationEvent {
  kind: OperationEventKind;
  /** The user's entity ref; `null` for what the backend did on its own (expiry, execution). */
  actor: string | null;
  /** ISO 8601. */
  at: string;
  /** The reason, comment or error, as given. */
  message: string | null;
  /** The AWS request id of the call this event records, when there was one. */
  awsRequestId: string | null;
}

/** The state of the service an operation was asked against, and after it ran. */
export interface ServiceSnapshot {
  desiredCount: number;
  taskDefinition: string;
  /** The id of the PRIMARY deployment. */
  deploymentId: string | null;
}

export interface Operation {
  id: string;
  provider: string;
  /** The ECS service entity the operation acts on. */
  entityRef: string;
  /** The entity the request named, when it was an entity that claims the service. */
  requestedFor: string;
  serviceArn: string;
  accountId: string;
  region: string;
  action: OperationAction;
  /** scale: the new desired count. */
  desiredCount: number | null;
  /** deploy: the task definition (`family:revision`) to run. */
  taskDefinition: string | null;
  reason: string;
  requestedBy: string;
  /** ISO 8601. */
  requestedAt: string;
  status: OperationStatus;
  approvalsRequired: number;
  approvedBy: string[];
  /** A pending operation expires at this time (ISO 8601). */
  expiresAt: string;
  /** The gate that set the approvals, as its position in config, or `null` for the default. */
  gate: string | null;
  /** The role the change is executed as. */
  roleArn: string;
  /** The source identity AWS records for the change. */
  sourceIdentity: string;
  before: ServiceSnapshot | null;
  after: ServiceSnapshot | null;
  /** The AWS request id of the change itself. */
  awsRequestId: string | null;
  /** Why it failed, was refused or rejected. */
  error: string | null;
  events: OperationEvent[];
}

export interface ActionCapability {
  action: OperationAction;
  allowed: boolean;
  /** Why not, in words, when not allowed. */
  reason: string | null;
  /** How many approvals a request for this action needs. */
  approvalsRequired: number;
}

/** What the caller may do to one service: for the buttons on the card. */
export interface OperationCapabilities {
  entityRef: string;
  serviceArn: string;
  /** False when operations are switched off for the provider; `reason` says so. */
  enabled: boolean;
  reason: string | null;
  actions: ActionCapability[];
  /** The caller may approve or reject others' requests on this service. */
  canApprove: boolean;
  /** Bounds on scale's desired count. */
  scale: { min: number; max: number };
  /** The task-definition family deploy may choose a revision of; null when the service names none. */
  taskDefinitionFamily: string | null;
}
