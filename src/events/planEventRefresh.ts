import { compareStrings, type EcsService, type Inventory, isLive, shardKey } from '../scan/inventory';
import { planSync, type SyncPlan } from '../sync/planSync';
import type { RemovalPolicy } from '../sync/removalPolicy';
import type { ShardState, SyncState } from '../sync/syncState';
import type { ServiceReference } from './parseEcsEvent';

/** One service to describe, in a cluster of a shard the provider has read. */
export interface DescribeTarget {
  accountId: string;
  region: string;
  clusterArn: string;
  name: string;
}

/**
 * The fewest DescribeServices calls that describe `targets`: one call takes
 * one cluster and at most 10 services.
 */
export function minimumDescribeCalls(targets: readonly DescribeTarget[]): number {
  const perCluster = new Map<string, Set<string>>();
  for (const t of targets) {
    const names = perCluster.get(t.clusterArn) ?? new Set<string>();
    names.add(t.name);
    perCluster.set(t.clusterArn, names);
  }
  let calls = 0;
  for (const names of perCluster.values()) calls += Math.ceil(names.size / 10);
  return calls;
}

/** Why a named service is not described; counted like an ignored event. */
export type UnresolvedReason = 'out-of-scope' | 'not-scanned-yet' | 'unknown-cluster';

export interface ResolvedTargets {
  /** Shard key → the services to describe there, without repeats, sorted. */
  byShard: Map<string, DescribeTarget[]>;
  unresolved: Array<{ reference: ServiceReference; reason: UnresolvedReason }>;
}

/**
 * Turns the services a window of events named into DescribeServices targets.
 * A shard outside the provider's scope is none of its business; one it has
 * never read completely waits for the scan, which reads it whole. A short ARN
 * in a native event names no cluster: the service's cluster is then taken
 * from what the provider holds, and an unknown one waits for the scan.
 */
export function resolveTargets(state: SyncState, references: readonly ServiceReference[], inScope: (accountId: string, region: string) => boolean): ResolvedTargets {
  const byShard = new Map<string, Map<string, DescribeTarget>>();
  const unresolved: ResolvedTargets['unresolved'] = [];
  for (const reference of references) {
    const { accountId, region, name } = reference;
    if (!inScope(accountId, region)) {
      unresolved.push({ reference, reason: 'out-of-scope' });
      continue;
    }
    const key = shardKey(accountId, region);
    const shard = state[key];
    if (!shard || !shard.scannedAt) {
      unresolved.push({ reference, reason: 'not-scanned-yet' });
      continue;
    }
    const cluster = reference.cluster || knownCluster(shard, name);
    if (!cluster) {
      unresolved.push({ reference, reason: 'unknown-cluster' });
      continue;
    }
    const clusterArn = `arn:${partitionOf(shard)}:ecs:${region}:${accountId}:cluster/${cluster}`;
    const targets = byShard.get(key) ?? new Map<string, DescribeTarget>();
    targets.set(`${clusterArn}|${name}`, { accountId, region, clusterArn, name });
    byShard.set(key, targets);
  }
  const sorted = new Map<string, DescribeTarget[]>();
  for (const key of [...byShard.keys()].sort(compareStrings)) {
    sorted.set(key, [...byShard.get(key)!.values()].sort((a, b) => compareStrings(`${a.clusterArn}|${a.name}`, `${b.clusterArn}|${b.name}`)));
  }
  return { byShard: sorted, unresolved };
}

/** What ECS said of one shard's targets: the services it described, and those it reported MISSING. */
export interface ShardAnswer {
  key: string;
  /** Every status, INACTIVE included. */
  described: EcsService[];
  missing: Array<{ clusterArn: string; name: string }>;
}

export interface EventRefreshPlan extends SyncPlan {
  /** Only the shards the answers cover: the state to store for them. */
  state: SyncState;
  /** ARNs of the services the events named, as the provider knows them or ECS described them. */
  namedArns: Set<string>;
}

/**
 * The state of the shards an event round touched, after ECS described the
 * services the events named. Each shard is settled as a complete scan would
 * settle it, with the named services as ECS reported them and every other
 * service as the provider held it: a live one is added or replaced at once,
 * an INACTIVE or MISSING one starts its grace period (or goes, once it has
 * run out), and the removal guard counts against `guardTotal`, the services
 * of the provider or its scan group, never against the round's handful.
 * Pure: the clock comes in as `now`.
 */
export function planEventRefresh(previous: SyncState, answers: readonly ShardAnswer[], removal: RemovalPolicy, now: Date, guardTotal: number): EventRefreshPlan {
  const touched: SyncState = {};
  const inventory: Inventory = { shards: [], services: [] };
  const namedArns = new Set<string>();
  for (const answer of answers) {
    const before = previous[answer.key];
    if (!before) continue;
    touched[answer.key] = before;
    const [accountId, region] = answer.key.split('/');
    const named = new Set([...answer.described.map(s => serviceKey(s.clusterArn, s.name)), ...answer.missing.map(m => serviceKey(m.clusterArn, m.name))]);
    for (const s of before.services) if (named.has(serviceKey(s.clusterArn, s.name))) namedArns.add(s.arn);
    for (const s of answer.described) namedArns.add(s.arn);
    const describedArns = new Set(answer.described.map(s => s.arn));
    const kept = before.services.filter(s => !(s.arn in before.missingSince) && !named.has(serviceKey(s.clusterArn, s.name)) && !describedArns.has(s.arn));
    const live = [...kept, ...answer.described.filter(isLive)];
    inventory.services.push(...live);
    inventory.shards.push({ accountId, region, status: 'ok', clusters: 0, services: live.length, apiCalls: 0, throttled: 0, retries: 0, credentialRefreshes: 0 });
  }
  const plan = planSync(touched, inventory, removal, now, guardTotal);
  for (const [key, shard] of Object.entries(plan.state)) {
    const before = touched[key];
    // An event round reads a few services, not the shard: when it was last
    // read whole, and how that went, stay as the scan left them.
    plan.state[key] = restoreScanRecord(shard, before);
  }
  return { ...plan, namedArns };
}

function restoreScanRecord(shard: ShardState, before: ShardState): ShardState {
  const restored: ShardState = { ...shard, scannedAt: before.scannedAt };
  if (before.status) restored.status = before.status;
  if (before.error) restored.error = before.error;
  return restored;
}

/** Services are matched by cluster and name: an event may give either ARN format. */
function serviceKey(clusterArn: string, name: string): string {
  return `${clusterArn.slice(clusterArn.lastIndexOf(':cluster/') + 1)}|${name}`;
}

function knownCluster(shard: ShardState, name: string): string | undefined {
  const clusters = new Set(shard.services.filter(s => s.name === name).map(s => s.clusterArn.slice(s.clusterArn.lastIndexOf('/') + 1)));
  return clusters.size === 1 ? [...clusters][0] : undefined;
}

function partitionOf(shard: ShardState): string {
  return shard.services[0]?.arn.split(':')[1] ?? 'aws';
}
