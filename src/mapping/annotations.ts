/**
 * Annotation keys. The service ARN key is the one the AWS Labs ECS entity tab
 * reads, so that tab works on these entities unchanged; the rest share one
 * namespace of our own.
 */
export const ANNOTATION_SERVICE_ARN = 'aws.amazon.com/amazon-ecs-service-arn';
export const ANNOTATION_CLUSTER_ARN = 'aws.amazon.com/amazon-ecs-cluster-arn';
export const ANNOTATION_ACCOUNT_ID = 'aws.amazon.com/account-id';
export const ANNOTATION_REGION = 'aws.amazon.com/region';
/** Where `spec.owner` came from: `tag`, `rule` or `default` (no tag or rule named an owner). */
export const ANNOTATION_OWNER_SOURCE = 'aws.amazon.com/ecs-owner-source';
export type OwnerSource = 'tag' | 'rule' | 'default';

export const LABEL_ACCOUNT = 'aws.amazon.com/account-id';
export const LABEL_REGION = 'aws.amazon.com/region';
export const LABEL_CLUSTER = 'aws.amazon.com/ecs-cluster';
export const LABEL_LAUNCH_TYPE = 'aws.amazon.com/ecs-launch-type';

export const ENTITY_TYPE = 'ecs-service';
