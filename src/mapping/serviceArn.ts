/**
 * The two ECS service ARN formats. Services created before 2021 (or in
 * accounts that never opted in) carry the short format, `service/NAME`; AWS
 * lets an account move them to the long format, `service/CLUSTER/NAME`, in
 * place. Readers that take the cluster from the ARN (the AWS Labs ECS tab)
 * need the long format, so the entity shows that one.
 */

const SHORT_SERVICE_ARN = /^(arn:[a-z-]+:ecs:[a-z]{2}(?:-[a-z]+)+-\d{1,2}:\d{12}:)service\/([A-Za-z0-9_-]{1,255})$/;
const CLUSTER_NAME = /^[A-Za-z0-9_-]{1,255}$/;

/**
 * The long form of a service's ARN, built from its partition, region,
 * account, cluster and name; the ARN unchanged when it is long already, or
 * when its parts are not the shapes ECS gives them (nothing is guessed).
 */
export function longServiceArn(arn: string, clusterArn: string): string {
  const match = SHORT_SERVICE_ARN.exec(arn);
  const cluster = clusterArn.slice(clusterArn.lastIndexOf('/') + 1);
  if (!match || !CLUSTER_NAME.test(cluster)) return arn;
  return `${match[1]}service/${cluster}/${match[2]}`;
}
