/**
 * Names other plugins need before they are stable enough for the package root:
 *
 * - the annotation and label keys of the entities this package emits and
 *   reads, for frontend plugins and processors that show or filter them;
 * - the drift report's types, for clients of `GET /api/ecs-catalog-sync/drift?format=json`;
 * - the entity view's types, for clients of `GET /api/ecs-catalog-sync/entity/:namespace/:kind/:name/claims`.
 */
export {
  ANNOTATION_ACCOUNT_ID,
  ANNOTATION_CLUSTER_ARN,
  ANNOTATION_OWNER_SOURCE,
  ANNOTATION_REGION,
  ANNOTATION_REPORTED_SERVICE_ARN,
  ANNOTATION_SERVICE_ARN,
  ANNOTATION_SERVICE_TAGS,
  ANNOTATION_TASK_DEFINITION_FAMILY,
  ENTITY_TYPE,
  LABEL_ACCOUNT,
  LABEL_CLAIM,
  LABEL_CLUSTER,
  LABEL_LAUNCH_TYPE,
  LABEL_OWNER_DRIFT,
  LABEL_REGION,
  LABEL_UNCLAIMED,
} from './mapping/annotations';
export type { OwnerSource } from './mapping/annotations';
export type { DriftReport } from './report/driftReport';
export type { ClaimStatus } from './report/claimStatus';
export type { Alert, DuplicateClaim, MalformedClaimFinding, NotVerified, OwnerDrift, Phantom, Suggestion, TabMismatch, TabSuggestion, Unclaimed } from './reconcile/findings';
export type {
  ClaimFinding,
  ClaimState,
  EcsServiceView,
  EntityClaim,
  EntityClaimsView,
  EntityEcsView,
  EntityTabMismatch,
  ServiceFinding,
} from './report/entityClaims';
