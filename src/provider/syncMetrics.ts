import { type Counter, type Gauge, type Histogram, type Meter, metrics } from '@opentelemetry/api';
import type { Inventory } from '../scan/inventory';
import type { Lookups } from '../scan/lookUpServices';
import type { DriftReport } from '../report/driftReport';
import type { SyncSummary } from './syncSummary';

const METER_NAME = 'backstage-plugin-catalog-backend-module-aws-ecs';

/**
 * The provider's metrics, through OpenTelemetry as Backstage's own are: they
 * reach whatever exporter the backend's instrumentation set up (Prometheus,
 * OTLP), and cost nothing when none is. Instruments are made when the provider
 * is, after the backend registered its meter provider.
 */
export class SyncMetrics {
  private readonly scanDuration: Histogram;
  private readonly shardDuration: Histogram;
  private readonly apiCalls: Counter;
  private readonly throttled: Counter;
  private readonly retries: Counter;
  private readonly failedShards: Counter;
  private readonly entities: Gauge;
  private readonly entityChanges: Counter;
  private readonly heldBack: Counter;
  private readonly findings: Gauge;

  constructor(meter: Meter = metrics.getMeter(METER_NAME)) {
    this.scanDuration = meter.createHistogram('aws_ecs.scan.duration', { unit: 's', description: 'Duration of a whole scan and sync of one provider' });
    this.shardDuration = meter.createHistogram('aws_ecs.shard.duration', { unit: 's', description: 'Duration of the scan of one account in one region' });
    this.apiCalls = meter.createCounter('aws_ecs.api.calls', { description: 'HTTP calls sent to ECS, retries included' });
    this.throttled = meter.createCounter('aws_ecs.api.throttled', { description: 'ECS calls answered with a throttling error' });
    this.retries = meter.createCounter('aws_ecs.api.retries', { description: 'ECS calls sent again after a throttle, a 5xx or a timeout' });
    this.failedShards = meter.createCounter('aws_ecs.shards.failed', { description: 'Shards (account and region) that could not be read completely' });
    this.entities = meter.createGauge('aws_ecs.entities', { description: 'Entities the provider keeps in the catalog' });
    this.entityChanges = meter.createCounter('aws_ecs.entities.changes', { description: 'Entities added, changed or removed, by change' });
    this.heldBack = meter.createCounter('aws_ecs.removals.held_back', { description: 'Removals held back by the mass-removal guard' });
    this.findings = meter.createGauge('aws_ecs.drift.findings', { description: 'Drift findings of the latest report, by kind' });
  }

  /** The ECS calls that looked up claimed services after a scan, counted with the shards' own. */
  recordLookups(providerId: string, calls: Lookups['calls']): void {
    for (const c of calls) this.addCalls({ provider: providerId, account: c.accountId, region: c.region }, c);
  }

  private addCalls(where: Record<string, string>, calls: { apiCalls: number; throttled: number; retries: number }): void {
    this.apiCalls.add(calls.apiCalls, where);
    this.throttled.add(calls.throttled, where);
    this.retries.add(calls.retries, where);
  }

  record(providerId: string, inventory: Inventory, summary: SyncSummary, report: DriftReport): void {
    const provider = { provider: providerId };
    this.scanDuration.record(summary.durationMs / 1000, provider);
    for (const shard of inventory.shards) {
      const where = { ...provider, account: shard.accountId, region: shard.region };
      this.shardDuration.record((shard.durationMs ?? 0) / 1000, { ...where, status: shard.status });
      this.addCalls(where, shard);
      if (shard.status === 'failed') this.failedShards.add(1, { ...where, error: shard.error?.name ?? 'Error' });
    }
    this.entities.record(summary.entities, provider);
    this.entityChanges.add(summary.added, { ...provider, change: 'added' });
    this.entityChanges.add(summary.changed, { ...provider, change: 'changed' });
    this.entityChanges.add(summary.removed, { ...provider, change: 'removed' });
    this.heldBack.add(summary.heldBack?.count ?? 0, provider);
    const s = report.summary;
    const kinds = { phantom: s.phantoms, unclaimed: s.unclaimed, owner_drift: s.ownerDrift, duplicate_claim: s.duplicateClaims, malformed_claim: s.malformedClaims, tab_mismatch: s.tabMismatches, not_verified: s.notVerified };
    for (const [kind, count] of Object.entries(kinds)) this.findings.record(count, { ...provider, kind });
  }
}
