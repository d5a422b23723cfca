/** Messages between the benchmark (parent) and its emulator process (child, over the fork IPC channel). */
import type { EmulatorStats } from '../emulator/emulator';
import type { RateLimitSpec } from './bounds';
import type { ShardExpectation } from './expectations';

export interface FleetOptions {
  seed: number;
  accounts: number;
  regions: number;
  clustersPerRegion: number;
  servicesPerCluster: number;
  messy: boolean;
}

export type ParentMessage =
  | { type: 'stats'; id: number }
  | { type: 'resetStats'; id: number }
  /** true: the emulator's default ECS-like limits; false: no rate limit at all. */
  | { type: 'rateLimit'; id: number; enabled: boolean }
  /** A deploy pipeline polling DescribeServices this often in every account and region; 0 stops it. */
  | { type: 'deployPipeline'; id: number; callsPerSecond: number }
  /**
   * Replaces each service's tags with the fleet's original tags minus any key
   * in `dropKeys` (compared without case), plus `set`. Replies with how many
   * services were changed.
   */
  | { type: 'setServiceTags'; id: number; services: Array<{ arn: string; clusterArn: string }>; set: Record<string, string>; dropKeys: string[] }
  | { type: 'stop' };

export interface ReadyMessage {
  type: 'ready';
  url: string;
  principal: { accessKeyId: string; secretAccessKey: string };
  /** Account ids in fleet order (the order the benchmark configures them in). */
  accountIds: string[];
  regions: string[];
  /** Every service in the fleet, INACTIVE ones included. */
  fleetServices: number;
  shards: ShardExpectation[];
  /** The ECS buckets the emulator keeps per account and region when its rate limit is enabled, for the calls the scan makes. */
  ecsLimits: { clusterReads: RateLimitSpec; serviceReads: RateLimitSpec };
  generateMs: number;
}

export type ChildMessage =
  | ReadyMessage
  /** cpu: the emulator process's own process.cpuUsage() when the reply was sent. */
  | { type: 'reply'; id: number; stats?: EmulatorStats; cpu: NodeJS.CpuUsage; error?: string; changed?: number }
  | { type: 'fatal'; message: string };
