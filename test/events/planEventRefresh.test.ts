import { minimumDescribeCalls, planEventRefresh, resolveTargets } from '../../src/events/planEventRefresh';
import type { EcsService } from '../../src/scan/inventory';
import type { RemovalPolicy } from '../../src/sync/removalPolicy';
import type { SyncState } from '../../src/sync/syncState';

const A = '111111111111';
const KEY = `${A}/eu-west-1`;
const CLUSTER = `arn:aws:ecs:eu-west-1:${A}:cluster/shop`;
const T0 = new Date('2026-01-01T00:00:00Z');
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const grace: RemovalPolicy = { gracePeriodMs: 10 * 60_000, maxFraction: 0.5, guard: true };

function svc(name: string, changes: Partial<EcsService> = {}): EcsService {
  return {
    arn: `arn:aws:ecs:eu-west-1:${A}:service/shop/${name}`,
    name,
    clusterArn: CLUSTER,
    accountId: A,
    region: 'eu-west-1',
    status: 'ACTIVE',
    tags: {},
    desiredCount: 1,
    runningCount: 1,
    taskDefinition: 'td',
    createdAt: '',
    ...changes,
  };
}

function stateOf(services: EcsService[], missingSince: Record<string, string> = {}): SyncState {
  return { [KEY]: { services, missingSince, scannedAt: T0.toISOString(), status: 'ok' } };
}

const names = (services: EcsService[]) => services.map(s => s.name);

describe('resolveTargets', () => {
  const state = stateOf([svc('cart'), svc('legacy', { arn: `arn:aws:ecs:eu-west-1:${A}:service/legacy` })]);
  const inScope = (account: string, region: string) => account === A && region === 'eu-west-1';

  it('describes each named service once, in its cluster', () => {
    const ref = { accountId: A, region: 'eu-west-1', cluster: 'shop', name: 'cart' };
    const { byShard, unresolved } = resolveTargets(state, [ref, ref], inScope);
    expect(unresolved).toEqual([]);
    expect(byShard.get(KEY)).toEqual([{ accountId: A, region: 'eu-west-1', clusterArn: CLUSTER, name: 'cart' }]);
  });

  it('finds the cluster of a service a short ARN named from what the provider holds', () => {
    const { byShard } = resolveTargets(state, [{ accountId: A, region: 'eu-west-1', cluster: '', name: 'legacy' }], inScope);
    expect(byShard.get(KEY)).toEqual([{ accountId: A, region: 'eu-west-1', clusterArn: CLUSTER, name: 'legacy' }]);
  });

  it('leaves out what is not the provider\'s, or not read yet, or in an unknown cluster', () => {
    const { byShard, unresolved } = resolveTargets(
      state,
      [
        { accountId: '222222222222', region: 'eu-west-1', cluster: 'shop', name: 'cart' },
        { accountId: A, region: 'us-east-1', cluster: 'shop', name: 'cart' },
        { accountId: A, region: 'eu-west-1', cluster: '', name: 'unknown' },
      ],
      (account, region) => region === 'eu-west-1' || (account === A && region === 'us-east-1'),
    );
    expect(byShard.size).toBe(0);
    expect(unresolved.map(u => u.reason)).toEqual(['not-scanned-yet', 'not-scanned-yet', 'unknown-cluster']);
    expect(resolveTargets(state, [{ accountId: '222222222222', region: 'eu-west-1', cluster: 'shop', name: 'cart' }], inScope).unresolved[0].reason).toBe('out-of-scope');
  });
});

describe('minimumDescribeCalls', () => {
  const target = (cluster: string, name: string) => ({ accountId: '111111111111', region: 'eu-west-1', clusterArn: `arn:aws:ecs:eu-west-1:111111111111:cluster/${cluster}`, name });

  it('needs one call per cluster for every 10 distinct services, and none for nothing', () => {
    expect(minimumDescribeCalls([])).toBe(0);
    const ten = Array.from({ length: 10 }, (_, i) => target('a', `s${i}`));
    expect(minimumDescribeCalls(ten)).toBe(1);
    expect(minimumDescribeCalls([...ten, target('a', 's10')])).toBe(2);
    // A name repeated by several events is described once; another cluster needs its own call.
    expect(minimumDescribeCalls([...ten, target('a', 's0'), target('b', 's0')])).toBe(2);
  });
});

describe('planEventRefresh', () => {
  const before = stateOf([svc('cart'), svc('search'), svc('web')]);

  it('adds a service the provider has not seen and replaces a changed one at once', () => {
    const plan = planEventRefresh(before, [{ key: KEY, described: [svc('basket'), svc('cart', { tags: { owner: 'team-b' } })], missing: [] }], grace, later(1), 3);
    expect(names(plan.services)).toEqual(['basket', 'cart', 'search', 'web']);
    expect(plan.services.find(s => s.name === 'cart')!.tags).toEqual({ owner: 'team-b' });
    expect([...plan.namedArns].sort()).toEqual([svc('basket').arn, svc('cart').arn]);
    // The scan's record of the shard stays the scan's.
    expect(plan.state[KEY].scannedAt).toBe(T0.toISOString());
  });

  it('starts the grace period of an INACTIVE or MISSING service, as a complete scan would', () => {
    const plan = planEventRefresh(before, [{ key: KEY, described: [svc('cart', { status: 'INACTIVE' })], missing: [{ clusterArn: CLUSTER, name: 'search' }] }], grace, later(1), 3);
    expect(plan.removed).toEqual([]);
    expect(plan.pending.map(p => p.arn)).toEqual([svc('cart').arn, svc('search').arn]);
    expect(plan.state[KEY].missingSince[svc('cart').arn]).toBe(later(1).toISOString());
  });

  it('removes at once with no grace period', () => {
    const plan = planEventRefresh(before, [{ key: KEY, described: [svc('cart', { status: 'INACTIVE' })], missing: [] }], { ...grace, gracePeriodMs: 0 }, later(1), 3);
    expect(names(plan.removed)).toEqual(['cart']);
    expect(names(plan.services)).toEqual(['search', 'web']);
  });

  it('keeps a service a forged DeleteService named while ECS still reports it ACTIVE', () => {
    const plan = planEventRefresh(before, [{ key: KEY, described: [svc('cart')], missing: [] }], { ...grace, gracePeriodMs: 0 }, later(1), 3);
    expect(plan.removed).toEqual([]);
    expect(names(plan.services)).toEqual(['cart', 'search', 'web']);
  });

  it('measures the removal guard against the provider, not against the services the events named', () => {
    const policy = { gracePeriodMs: 0, maxFraction: 0.25, guard: true };
    const gone = { key: KEY, described: [svc('cart', { status: 'INACTIVE' })], missing: [] };
    // One of three is a third: above a quarter, held back.
    expect(planEventRefresh(before, [gone], policy, later(1), 3).heldBack).toMatchObject({ count: 1, total: 3 });
    // One of the provider's forty services is well below a quarter.
    const plan = planEventRefresh(before, [gone], policy, later(1), 40);
    expect(plan.heldBack).toBeUndefined();
    expect(names(plan.removed)).toEqual(['cart']);
  });

  it('keeps a missing service\'s first missing time when ECS still does not know it', () => {
    const since = later(-5).toISOString();
    const start = stateOf([svc('cart'), svc('search')], { [svc('search').arn]: since });
    const plan = planEventRefresh(start, [{ key: KEY, described: [], missing: [{ clusterArn: CLUSTER, name: 'search' }] }], grace, later(1), 2);
    expect(plan.state[KEY].missingSince[svc('search').arn]).toBe(since);
  });

  it('keeps a shard the last scan could not read marked as not read', () => {
    const failed: SyncState = { [KEY]: { ...before[KEY], status: 'failed', error: { name: 'Throttling', message: 'slow down' } } };
    const plan = planEventRefresh(failed, [{ key: KEY, described: [svc('basket')], missing: [] }], grace, later(1), 3);
    expect(plan.state[KEY]).toMatchObject({ status: 'failed', error: { name: 'Throttling' } });
    expect(names(plan.services)).toContain('basket');
  });
});
