/**
 * Annotation keys. The service ARN key is the one the AWS Labs ECS entity tab
 * reads, as one ARN in the long format (it takes the cluster from it), so the
 * provider's entities always carry that form; the rest share one namespace of
 * our own.
 */
export const ANNOTATION_SERVICE_ARN = 'aws.amazon.com/amazon-ecs-service-arn';
/**
 * The ARN as ECS reports it, on entities of services that still have a short
 * (`service/NAME`) ARN: it is the service's identity in the scan, the entity's
 * name and IAM's resource, while the ARN annotation carries the long form.
 */
export const ANNOTATION_REPORTED_SERVICE_ARN = 'aws.amazon.com/ecs-reported-service-arn';
/** A claim by tags on the entities people write: `key=value,key2=value2`, every pair must match. */
export const ANNOTATION_SERVICE_TAGS = 'aws.amazon.com/amazon-ecs-service-tags';
export const ANNOTATION_CLUSTER_ARN = 'aws.amazon.com/amazon-ecs-cluster-arn';
export const ANNOTATION_ACCOUNT_ID = 'aws.amazon.com/account-id';
export const ANNOTATION_REGION = 'aws.amazon.com/region';
/**
 * The family of the task definition the service runs, when it names one. The
 * family and not the ARN: the revision changes with every deployment and would
 * make an unchanged service look changed, while the deploy profile's policies
 * need only the family.
 */
export const ANNOTATION_TASK_DEFINITION_FAMILY = 'aws.amazon.com/ecs-task-definition-family';
/**
 * Where `spec.owner` came from: `tag`, `rule`, `claim` (inherited from the
 * entity that claims the service) or `default` (nothing named an owner).
 */
export const ANNOTATION_OWNER_SOURCE = 'aws.amazon.com/ecs-owner-source';
export type OwnerSource = 'tag' | 'rule' | 'claim' | 'default';

export const LABEL_ACCOUNT = 'aws.amazon.com/account-id';
export const LABEL_REGION = 'aws.amazon.com/region';
export const LABEL_CLUSTER = 'aws.amazon.com/ecs-cluster';
export const LABEL_LAUNCH_TYPE = 'aws.amazon.com/ecs-launch-type';
/** `true` on services that no entity claims and that no tag or rule gives an owner. */
export const LABEL_UNCLAIMED = 'aws.amazon.com/ecs-unclaimed';
/** `true` on services whose owner tag disagrees with the catalog. */
export const LABEL_OWNER_DRIFT = 'aws.amazon.com/ecs-owner-drift';
/**
 * On the entities that claim ECS services, never on the provider's own: the
 * worst finding of the entity's claims in the latest report (`phantom`,
 * `duplicate`, `malformed`, `owner-drift`, `tab-mismatch`, `not-verified`),
 * or `ok`; absent until a report has seen the claim.
 */
export const LABEL_CLAIM = 'aws.amazon.com/ecs-claim';

export const ENTITY_TYPE = 'ecs-service';
