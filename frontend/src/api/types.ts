/*
 * The shapes the drift plugin's routes answer with, written out here so the
 * frontend loads no backend code. `test/package/frontendTypes.test.ts` in the
 * repository root pins them to the backend's own types.
 */

/** How one claim stands in the latest report. */
export type ClaimState = 'matched' | 'phantom' | 'ownerDrift' | 'duplicate' | 'malformed' | 'notVerified';

export interface ClaimFinding {
  state: Exclude<ClaimState, 'matched'>;
  /** What is wrong and what to do, in words. */
  message: string;
}

export interface EntityClaim {
  annotation: string;
  /** One ARN of the ARN annotation, or the whole tag selector, as written. */
  value: string;
  /** The first of `findings`, or `matched` when there are none. */
  state: ClaimState;
  findings: ClaimFinding[];
  /** The claim annotation with this claim fixed, to paste into the entity's YAML; null when the fix is not in the entity's YAML. */
  yaml: string | null;
}

export interface EntityTabMismatch {
  annotation: string;
  value: string;
  message: string;
  /** The one annotation both this catalog and the AWS Labs ECS tab read alike; null when there is none. */
  yaml: string | null;
}

/** A claiming entity's claims, as the latest report judged them. */
export interface EntityClaimsView {
  kind: 'claims';
  entityRef: string;
  generatedAt: string;
  complete: boolean;
  claims: EntityClaim[];
  tabMismatches: EntityTabMismatch[];
  /** Every fix of the ARN annotation at once; null when it needs none. */
  yaml: string | null;
}

export interface ServiceFinding {
  state: 'ownerDrift' | 'duplicate' | 'unclaimed';
  message: string;
}

/** An ECS service entity: what runs, where, who owns it and who claims it. */
export interface EcsServiceView {
  kind: 'service';
  entityRef: string;
  generatedAt: string;
  complete: boolean;
  arn: string;
  accountId: string | null;
  region: string | null;
  cluster: string | null;
  launchType: string | null;
  owner: string | null;
  /** Where the owner came from: `tag`, `rule`, `claim` or `default`. */
  ownerSource: string | null;
  consoleUrl: string | null;
  /** The entities the service is a dependency of: the ones that claim it, and the component its tags name. */
  claimants: string[];
  findings: ServiceFinding[];
}

/** What `GET /entity/:namespace/:kind/:name/claims` answers. */
export type EntityEcsView = EntityClaimsView | EcsServiceView;

export interface Suggestion {
  arn: string;
  why: string;
}

export interface TabSuggestion {
  annotation: string;
  value: string;
}

export interface Addressed {
  /** Who should act: the claiming entity's owner, or the service's tag owner, or `unowned`. */
  owner: string;
}

/** What `GET /drift?format=json` answers. */
export interface DriftReport {
  generatedAt: string;
  summary: {
    phantoms: number;
    unclaimed: number;
    ownerDrift: number;
    duplicateClaims: number;
    malformedClaims: number;
    tabMismatches: number;
    notVerified: number;
    alerts: number;
    liveServices: number;
    claimedServices: number;
    coverage: number;
    complete: boolean;
  };
  phantoms: Array<{ entityRef: string; annotation: string; arn?: string; selector?: string; reason: string; suggestion: Suggestion | null } & Addressed>;
  unclaimed: Array<{ arn: string; name: string; accountId: string; region: string } & Addressed>;
  ownerDrift: Array<{ arn: string; entityRef: string | null; entityOwner: string | null; tagOwner: string; reason: string } & Addressed>;
  duplicateClaims: Array<{ arn: string; entityRefs: string[] } & Addressed>;
  malformedClaims: Array<{ entityRef: string; annotation: string; value: string; reason: string } & Addressed>;
  tabMismatches: Array<{ entityRef: string; annotation: string; value: string; reason: string; suggestion: TabSuggestion | null } & Addressed>;
  notVerified: Array<{ entityRef: string; annotation: string; value: string; reason: string } & Addressed>;
  alerts: Array<{ accountId: string; region: string; error: string }>;
}

/*
 * The operations routes (`/operations...`): one operation with its audit
 * trail, and what a user may do to one service.
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

/** What `POST /operations` takes: an action on the ECS service the entity is or claims. */
export interface OperationRequest {
  entityRef: string;
  action: OperationAction;
  /** scale only. */
  desiredCount?: number;
  /** deploy only: `family:revision`. */
  taskDefinition?: string;
  reason: string;
}
