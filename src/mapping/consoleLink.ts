const CONSOLE_HOSTS: Record<string, string> = {
  aws: 'console.aws.amazon.com',
  'aws-us-gov': 'console.amazonaws-us-gov.com',
  'aws-cn': 'console.amazonaws.cn',
};
const SERVICE_ARN = /^arn:(aws|aws-us-gov|aws-cn):ecs:([a-z]{2}(?:-[a-z]+)+-\d{1,2}):(\d{12}):service\/(?:([A-Za-z0-9_-]{1,255})\/)?([A-Za-z0-9_-]{1,255})$/;
const CLUSTER_ARN = /^arn:(?:aws|aws-us-gov|aws-cn):ecs:[a-z0-9-]+:\d{12}:cluster\/([A-Za-z0-9_-]{1,255})$/;

/**
 * The service's page in the AWS console, built from ARNs alone and only when
 * they have the exact shape ECS gives them: nothing a tag says can reach a link.
 * Old-format service ARNs carry no cluster, so the cluster ARN supplies it.
 */
export function consoleUrl(serviceArn: string, clusterArn: string): string | undefined {
  const service = SERVICE_ARN.exec(serviceArn);
  if (!service) return undefined;
  const [, partition, region, , clusterInArn, name] = service;
  const cluster = clusterInArn ?? CLUSTER_ARN.exec(clusterArn)?.[1];
  if (!cluster) return undefined;
  return `https://${region}.${CONSOLE_HOSTS[partition]}/ecs/v2/clusters/${cluster}/services/${name}/health?region=${region}`;
}
