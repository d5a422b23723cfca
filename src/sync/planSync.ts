import type { RemovalPolicy } from './removalPolicy';
import { compareStrings, EcsService, Inventory, isLive, ShardError, shardKey } from '../scan/inventory';
import type { ShardState, SyncState } from './syncState';

export interface PendingRemoval {
  arn: string;
  missingSince: string;
}

export interface HeldBackRemovals {
  /** Services that would have been removed. */
  count: number;
  /** Services the provider had before this scan. */
  total: number;
  maxFraction: number;
}

export interface SyncPlan {
  /** Nothing was read (every shard failed): send no mutation and keep the state as it is. */
  unchanged: boolean;
  /** The state to store for the next scan. */
  state: SyncState;
  /** Every service that should have an entity now, sorted by ARN. */
  services: EcsService[];
  /** Services whose grace period ran out in a complete scan: their entities go. */
  removed: EcsService[];
  /** Services missing from a complete scan and still inside their grace period. */
  pending: PendingRemoval[];
  heldBack?: HeldBackRemovals;
}


/**
 * Decides what the catalog should hold after a scan, so that nothing is lost
 * because it could not be read:
 * - a failed shard keeps the services of its last complete scan, untouched;
 * - when every shard failed, nothing changes at all;
 * - a service missing from a complete scan of its shard stays until it has
 *   been missing for the grace period, then goes;
 * - if more than `maxFraction` of the services in `previous` (the provider,
 *   or one scan group of it) would go at once, none go and the removal is
 *   held back (unless the guard is off);
 * - shards that left the scope count as read and empty, unless the account
 *   discovery failed, in which case nobody knows and they are kept.
 * Pure: the clock comes in as `now`.
 */
export function planSync(
  previous: SyncState,
  inventory: Inventory,
  removal: RemovalPolicy,
  now: Date,
  /**
   * What the removal guard measures against when `previous` is only part of
   * what the scan covers (the few shards an event names): the services of the
   * provider, or of its scan group. Default: the services in `previous`.
   */
  guardTotal?: number,
): SyncPlan {
  const nowIso = now.toISOString();
  // An empty scope (a scan group no account falls into, or every account gone from the
  // config) was read completely; only a failed account discovery leaves it unknown.
  const anythingRead = inventory.shards.some(s => s.status === 'ok') || (inventory.shards.length === 0 && inventory.discovery?.status !== 'failed');
  if (!anythingRead) {
    // Services and timers stay as they are; only the shards' last status records the failure.
    const state: SyncState = { ...previous };
    for (const shard of inventory.shards) {
      const key = shardKey(shard.accountId, shard.region);
      state[key] = failedShard(previous[key], shard.error);
    }
    const sorted = sortState(state);
    return { unchanged: true, state: sorted, services: allServices(sorted), removed: [], pending: pendingOf(sorted) };
  }

  const byShard = new Map<string, EcsService[]>();
  for (const service of inventory.services) {
    const key = shardKey(service.accountId, service.region);
    const list = byShard.get(key) ?? [];
    list.push(service);
    byShard.set(key, list);
  }

  const next: SyncState = {};
  const expired: Array<{ key: string; service: EcsService; since: string }> = [];
  const settle = (key: string, live: EcsService[], inScope: boolean) => {
    const before = previous[key];
    const liveArns = new Set(live.map(s => s.arn));
    const state: ShardState = { services: [...live], missingSince: {}, scannedAt: nowIso, status: 'ok' };
    for (const service of before?.services ?? []) {
      if (liveArns.has(service.arn)) continue;
      const since = before.missingSince[service.arn] ?? nowIso;
      if (now.getTime() - Date.parse(since) >= removal.gracePeriodMs) {
        expired.push({ key, service, since });
      } else {
        state.services.push(service);
        state.missingSince[service.arn] = since;
      }
    }
    state.services.sort(byArn);
    // A scanned shard keeps its row even when empty: it records that the shard was read.
    if (inScope || state.services.length > 0) next[key] = state;
  };

  const scanned = new Set<string>();
  for (const shard of inventory.shards) {
    const key = shardKey(shard.accountId, shard.region);
    scanned.add(key);
    if (shard.status === 'ok') {
      settle(key, (byShard.get(key) ?? []).filter(isLive), true);
    } else {
      next[key] = failedShard(previous[key], shard.error);
    }
  }
  for (const key of Object.keys(previous)) {
    if (scanned.has(key)) continue;
    // Kept as unread: reconciliation must not read stale services as this scan's truth.
    if (inventory.discovery?.status === 'failed') next[key] = failedShard(previous[key], inventory.discovery.error);
    else settle(key, [], false);
  }

  let removed = expired.map(e => e.service);
  let heldBack: HeldBackRemovals | undefined;
  // Against the group's own services: compared with the whole provider, each of
  // eight groups could remove an eighth of it and the guard would never trip.
  const total = guardTotal ?? allServices(previous).length;
  if (removal.guard && removed.length > 0 && removed.length > removal.maxFraction * total) {
    heldBack = { count: removed.length, total, maxFraction: removal.maxFraction };
    for (const { key, service, since } of expired) {
      const state = next[key] ?? { services: [], missingSince: {}, scannedAt: nowIso, status: 'ok' };
      state.services.push(service);
      state.services.sort(byArn);
      state.missingSince[service.arn] = since;
      next[key] = state;
    }
    removed = [];
  }

  const sorted = sortState(next);
  const plan: SyncPlan = { unchanged: false, state: sorted, services: allServices(sorted), removed, pending: pendingOf(sorted) };
  if (heldBack) plan.heldBack = heldBack;
  return plan;
}

/** A shard that could not be read: what it held before, marked as not read this time. */
function failedShard(before: ShardState | undefined, error: ShardError | undefined): ShardState {
  const kept = before ?? { services: [], missingSince: {}, scannedAt: '' };
  const state: ShardState = { ...kept, status: 'failed' };
  if (error) state.error = error;
  else delete state.error;
  return state;
}

function allServices(state: SyncState): EcsService[] {
  return Object.values(state)
    .flatMap(s => s.services)
    .sort(byArn);
}

function pendingOf(state: SyncState): PendingRemoval[] {
  return Object.values(state)
    .flatMap(s => Object.entries(s.missingSince).map(([arn, missingSince]) => ({ arn, missingSince })))
    .sort((a, b) => compareStrings(a.arn, b.arn));
}

function sortState(state: SyncState): SyncState {
  const sorted: SyncState = {};
  for (const key of Object.keys(state).sort(compareStrings)) sorted[key] = state[key];
  return sorted;
}

function byArn(a: EcsService, b: EcsService): number {
  return compareStrings(a.arn, b.arn);
}
