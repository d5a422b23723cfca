/**
 * A service's deployments as ECS reports them in `deployments`: one PRIMARY
 * (what the service should run) and, after a new deployment, the ones it
 * replaced as ACTIVE. Ids are `ecs-svc/` and 19 digits like ECS's, derived
 * from the service ARN and the deployment's place, so a fleet gives the same
 * ids on every run. The emulator has no clock-driven rollout: a new
 * deployment reaches its desired count at once (rolloutState COMPLETED) and
 * the one it replaced keeps its entry with no tasks.
 */
import { createHash } from 'node:crypto';

export interface DeploymentRecord {
  readonly id: string;
  status: 'PRIMARY' | 'ACTIVE';
  readonly taskDefinitionArn: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  /** Epoch seconds. */
  readonly createdAt: number;
  updatedAt: number;
  rolloutState: 'COMPLETED' | 'IN_PROGRESS';
}

/** How many replaced deployments stay listed beside the PRIMARY one. */
export const KEPT_ACTIVE_DEPLOYMENTS = 1;

export function deploymentIdFor(serviceArn: string, sequence: number): string {
  const digest = createHash('sha256').update(`${serviceArn}#${sequence}`).digest();
  // 19 digits: below 10^19, padded, so leading zeros keep the length.
  const n = digest.readBigUInt64BE(0) % 10_000_000_000_000_000_000n;
  return `ecs-svc/${n.toString().padStart(19, '0')}`;
}

/** The deployment the service's tasks belong to. */
export function primaryDeployment(deployments: readonly DeploymentRecord[]): DeploymentRecord | undefined {
  return deployments.find(d => d.status === 'PRIMARY');
}
