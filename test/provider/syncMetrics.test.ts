import { createNoopMeter, type Meter, type MetricAttributes } from '@opentelemetry/api';
import { SyncMetrics } from '../../src/provider/syncMetrics';
import type { SyncSummary } from '../../src/provider/syncSummary';
import type { DriftReport } from '../../src/report/driftReport';
import type { Inventory, ShardResult } from '../../src/scan/inventory';

/** A meter that remembers every value recorded, by instrument name. */
function recordingMeter(): { meter: Meter; values: Array<[string, number, MetricAttributes | undefined]> } {
  const values: Array<[string, number, MetricAttributes | undefined]> = [];
  const instrument = (name: string) => ({
    add: (value: number, attributes?: MetricAttributes) => values.push([name, value, attributes]),
    record: (value: number, attributes?: MetricAttributes) => values.push([name, value, attributes]),
  });
  const meter: Meter = {
    ...createNoopMeter(),
    createCounter: name => instrument(name),
    createHistogram: name => instrument(name),
    createGauge: name => instrument(name),
  };
  return { meter, values };
}

const shard = (accountId: string, status: 'ok' | 'failed', extra: Partial<ShardResult> = {}): ShardResult => ({
  accountId, region: 'eu-west-1', status, clusters: 1, services: 2, apiCalls: 5, throttled: 1, retries: 2, credentialRefreshes: 0, durationMs: 1500, ...extra,
});

describe('SyncMetrics', () => {
  it('records scan and shard durations, calls, throttles, retries, failed shards, entity changes, held-back removals and findings by kind', () => {
    const { meter, values } = recordingMeter();
    const inventory: Inventory = {
      shards: [shard('111111111111', 'ok'), shard('222222222222', 'failed', { error: { name: 'AccessDeniedException', message: 'denied' } })],
      services: [],
    };
    const summary = { durationMs: 4000, entities: 40, added: 3, changed: 2, removed: 1, heldBack: { count: 7, total: 40, maxFraction: 0.1 } } as SyncSummary;
    const report = { summary: { phantoms: 2, unclaimed: 5, ownerDrift: 1, duplicateClaims: 0, malformedClaims: 1, tabMismatches: 4, notVerified: 3 } } as DriftReport;

    new SyncMetrics(meter).record('prod', inventory, summary, report);

    const of = (name: string) => values.filter(([n]) => n === name).map(([, v, a]) => [v, a]);
    expect(of('aws_ecs.scan.duration')).toEqual([[4, { provider: 'prod' }]]);
    expect(of('aws_ecs.shard.duration')).toEqual([
      [1.5, { provider: 'prod', account: '111111111111', region: 'eu-west-1', status: 'ok' }],
      [1.5, { provider: 'prod', account: '222222222222', region: 'eu-west-1', status: 'failed' }],
    ]);
    expect(of('aws_ecs.api.calls').map(([v]) => v)).toEqual([5, 5]);
    expect(of('aws_ecs.api.throttled').map(([v]) => v)).toEqual([1, 1]);
    expect(of('aws_ecs.api.retries').map(([v]) => v)).toEqual([2, 2]);
    expect(of('aws_ecs.shards.failed')).toEqual([[1, { provider: 'prod', account: '222222222222', region: 'eu-west-1', error: 'AccessDeniedException' }]]);
    expect(of('aws_ecs.entities')).toEqual([[40, { provider: 'prod' }]]);
    expect(of('aws_ecs.entities.changes')).toEqual([
      [3, { provider: 'prod', change: 'added' }],
      [2, { provider: 'prod', change: 'changed' }],
      [1, { provider: 'prod', change: 'removed' }],
    ]);
    expect(of('aws_ecs.removals.held_back')).toEqual([[7, { provider: 'prod' }]]);
    expect(Object.fromEntries(of('aws_ecs.drift.findings').map(([v, a]) => [(a as { kind: string }).kind, v]))).toEqual({
      phantom: 2, unclaimed: 5, owner_drift: 1, duplicate_claim: 0, malformed_claim: 1, tab_mismatch: 4, not_verified: 3,
    });
  });

  it('counts the calls that looked up claimed services with the calls of their shard', () => {
    const { meter, values } = recordingMeter();
    new SyncMetrics(meter).recordLookups('prod', [{ accountId: '111111111111', region: 'eu-west-1', apiCalls: 3, throttled: 1, retries: 1 }]);
    const where = { provider: 'prod', account: '111111111111', region: 'eu-west-1' };
    expect(values).toEqual([
      ['aws_ecs.api.calls', 3, where],
      ['aws_ecs.api.throttled', 1, where],
      ['aws_ecs.api.retries', 1, where],
    ]);
  });
});
