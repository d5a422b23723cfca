import type { RemovalPolicy } from '../../src/sync/removalPolicy';
import type { EcsService, Inventory, ShardResult } from '../../src/scan/inventory';
import { planSync } from '../../src/sync/planSync';
import type { SyncState } from '../../src/sync/syncState';

const A = '111111111111';
const B = '222222222222';
const T0 = new Date('2026-01-01T00:00:00Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
const policy: RemovalPolicy = { gracePeriodMs: 10 * 60_000, maxFraction: 0.5, guard: true };

function svc(account: string, name: string, status: EcsService['status'] = 'ACTIVE'): EcsService {
  return {
    arn: `arn:aws:ecs:eu-west-1:${account}:service/c/${name}`,
    name,
    clusterArn: `arn:aws:ecs:eu-west-1:${account}:cluster/c`,
    accountId: account,
    region: 'eu-west-1',
    status,
    tags: {},
    desiredCount: 1,
    runningCount: 1,
    taskDefinition: 'td',
    createdAt: '',
  };
}

function shard(account: string, status: 'ok' | 'failed' = 'ok'): ShardResult {
  return { accountId: account, region: 'eu-west-1', status, clusters: 1, services: 0, apiCalls: 1, throttled: 0, retries: 0, credentialRefreshes: 0 };
}

function inventory(shards: ShardResult[], services: EcsService[], discovery?: Inventory['discovery']): Inventory {
  return { shards, services, ...(discovery ? { discovery } : {}) };
}

const names = (services: EcsService[]) => services.map(s => `${s.accountId.slice(0, 1)}:${s.name}`);

/** Runs scans one after another, feeding each plan's state into the next. */
function run(steps: Array<{ at: Date; inv: Inventory; removal?: RemovalPolicy }>, start: SyncState = {}) {
  let state = start;
  return steps.map(step => {
    const plan = planSync(state, step.inv, step.removal ?? policy, step.at);
    state = plan.state;
    return plan;
  });
}

describe('planSync', () => {
  const full = inventory([shard(A), shard(B)], [svc(A, 'a1'), svc(A, 'a2'), svc(B, 'b1'), svc(B, 'b2')]);

  it('keeps every live service of a complete scan, DRAINING included, INACTIVE not', () => {
    const [plan] = run([{ at: T0, inv: inventory([shard(A)], [svc(A, 'x'), svc(A, 'drain', 'DRAINING'), svc(A, 'gone', 'INACTIVE')]) }]);
    expect(names(plan.services)).toEqual(['1:drain', '1:x']);
    expect(plan.unchanged).toBe(false);
  });

  it('removes a missing service only once its grace period has passed', () => {
    const without = inventory([shard(A), shard(B)], [svc(A, 'a1'), svc(B, 'b1'), svc(B, 'b2')]);
    const plans = run([
      { at: T0, inv: full },
      { at: minutes(5), inv: without },
      { at: minutes(14), inv: without },
      { at: minutes(15), inv: without },
    ]);
    expect(names(plans[1].services)).toContain('1:a2');
    expect(plans[1].pending).toEqual([{ arn: svc(A, 'a2').arn, missingSince: minutes(5).toISOString() }]);
    expect(names(plans[2].services)).toContain('1:a2');
    expect(names(plans[3].services)).not.toContain('1:a2');
    expect(names(plans[3].removed)).toEqual(['1:a2']);
    expect(plans[3].pending).toEqual([]);
  });

  it('removes at once with a grace period of zero', () => {
    const plans = run([
      { at: T0, inv: full },
      { at: minutes(1), inv: inventory([shard(A), shard(B)], [svc(A, 'a1'), svc(A, 'a2'), svc(B, 'b1')]), removal: { ...policy, gracePeriodMs: 0 } },
    ]);
    expect(names(plans[1].removed)).toEqual(['2:b2']);
  });

  it('forgets the timer of a service that comes back', () => {
    const plans = run([
      { at: T0, inv: full },
      { at: minutes(5), inv: inventory([shard(A), shard(B)], [svc(A, 'a1'), svc(B, 'b1'), svc(B, 'b2')]) },
      { at: minutes(6), inv: full },
      { at: minutes(20), inv: inventory([shard(A), shard(B)], [svc(A, 'a1'), svc(B, 'b1'), svc(B, 'b2')]) },
    ]);
    expect(plans[2].pending).toEqual([]);
    expect(plans[3].pending).toEqual([{ arn: svc(A, 'a2').arn, missingSince: minutes(20).toISOString() }]);
    expect(plans[3].removed).toEqual([]);
  });

  it('keeps the last complete scan of a failed shard, and its timers, however long it fails', () => {
    const plans = run([
      { at: T0, inv: full },
      { at: minutes(5), inv: inventory([shard(A), shard(B)], [svc(A, 'a1'), svc(B, 'b1'), svc(B, 'b2')]) },
      { at: minutes(60), inv: inventory([shard(A, 'failed'), shard(B)], [svc(B, 'b1'), svc(B, 'b2')]) },
    ]);
    expect(names(plans[2].services)).toEqual(['1:a1', '1:a2', '2:b1', '2:b2']);
    expect(plans[2].removed).toEqual([]);
    expect(plans[2].pending).toEqual([{ arn: svc(A, 'a2').arn, missingSince: minutes(5).toISOString() }]);
  });

  it('changes nothing when every shard failed', () => {
    const [first, second] = run([
      { at: T0, inv: full },
      { at: minutes(60), inv: inventory([shard(A, 'failed'), shard(B, 'failed')], []) },
    ]);
    expect(second.unchanged).toBe(true);
    expect(names(second.services)).toEqual(names(first.services));
    // Services and timers untouched; the shards remember that they were not read.
    for (const [key, shardState] of Object.entries(second.state)) {
      expect({ ...shardState, status: undefined }).toEqual({ ...first.state[key], status: undefined });
      expect(shardState.status).toBe('failed');
    }
  });

  it('holds back a removal of more than maxFraction of the services, keeping the timers', () => {
    const plans = run([
      { at: T0, inv: full },
      { at: minutes(20), inv: inventory([shard(A), shard(B)], [svc(B, 'b1')]) },
      { at: minutes(40), inv: inventory([shard(A), shard(B)], [svc(B, 'b1')]) },
    ]);
    // The first scan without them starts the timers; the second would remove 3 of 4.
    expect(plans[1].removed).toEqual([]);
    expect(plans[2].removed).toEqual([]);
    expect(plans[2].heldBack).toEqual({ count: 3, total: 4, maxFraction: 0.5 });
    expect(names(plans[2].services)).toEqual(['1:a1', '1:a2', '2:b1', '2:b2']);
    expect(plans[2].pending.map(p => p.missingSince)).toEqual([minutes(20), minutes(20), minutes(20)].map(d => d.toISOString()));
  });

  it('lets the same removal through when the guard is off', () => {
    const off = { ...policy, guard: false };
    const plans = run([
      { at: T0, inv: full },
      { at: minutes(20), inv: inventory([shard(A), shard(B)], [svc(B, 'b1')]), removal: off },
      { at: minutes(40), inv: inventory([shard(A), shard(B)], [svc(B, 'b1')]), removal: off },
    ]);
    expect(names(plans[2].removed)).toEqual(['1:a1', '1:a2', '2:b2']);
    expect(plans[2].heldBack).toBeUndefined();
  });

  it('treats a shard that left the scope as read and empty, but keeps it when discovery failed', () => {
    const onlyB = (discovery?: Inventory['discovery']) => inventory([shard(B)], [svc(B, 'b1'), svc(B, 'b2')], discovery);
    const zero = { ...policy, gracePeriodMs: 0 };
    const dropped = run([{ at: T0, inv: full }, { at: minutes(1), inv: onlyB({ status: 'ok', accounts: 1 }), removal: zero }]);
    expect(names(dropped[1].removed)).toEqual(['1:a1', '1:a2']);
    const unknown = run([{ at: T0, inv: full }, { at: minutes(1), inv: onlyB({ status: 'failed', accounts: 0 }), removal: zero }]);
    expect(unknown[1].removed).toEqual([]);
    expect(names(unknown[1].services)).toEqual(['1:a1', '1:a2', '2:b1', '2:b2']);
    // Kept as unread, with the discovery's error: reconciliation must not take its stale services for this scan's.
    const error = { name: 'AccessDeniedException', message: 'account discovery through the main account failed' };
    const kept = run([{ at: T0, inv: full }, { at: minutes(1), inv: onlyB({ status: 'failed', accounts: 0, error }), removal: zero }]);
    expect(Object.entries(kept[1].state).map(([key, s]) => [key, s.status, s.error?.name])).toEqual([
      [`${A}/eu-west-1`, 'failed', 'AccessDeniedException'],
      [`${B}/eu-west-1`, 'ok', undefined],
    ]);
  });

  it('reads an empty scope as complete: nothing to keep, and shards that left it are removed after the grace period', () => {
    const [, empty] = run([
      { at: T0, inv: full },
      { at: minutes(1), inv: inventory([], []), removal: { ...policy, gracePeriodMs: 0, guard: false } },
    ]);
    expect(empty.unchanged).toBe(false);
    expect(names(empty.removed)).toEqual(['1:a1', '1:a2', '2:b1', '2:b2']);
  });

  it('is deterministic: the same inputs give byte-identical plans', () => {
    const shuffled = inventory([shard(B), shard(A)], [svc(B, 'b2'), svc(A, 'a2'), svc(B, 'b1'), svc(A, 'a1')]);
    expect(JSON.stringify(planSync({}, shuffled, policy, T0))).toBe(JSON.stringify(planSync({}, full, policy, T0)));
  });
});
