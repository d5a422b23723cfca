import type { ShardResult } from '../scan/inventory';
import type { HeldBackRemovals } from '../sync/planSync';

/** What one scan did to the catalog, for the log line and for callers such as the demo. */
export interface SyncSummary {
  shards: number;
  failedShards: ShardResult[];
  discoveryFailed?: string;
  services: number;
  entities: number;
  added: number;
  changed: number;
  removed: number;
  /** Entities of services missing from a complete scan, kept until their grace period ends. */
  pending: number;
  /** Services left out because their entity would not be valid. */
  rejected: number;
  heldBack?: HeldBackRemovals;
  /** Every shard failed: nothing was sent to the catalog. */
  unchanged: boolean;
  /** Findings of the reconciliation someone must act on (see the drift report). */
  findings: number;
  durationMs: number;
}

export function describeSync(s: SyncSummary): string {
  const failed = s.failedShards.length;
  const parts = [
    `ECS scan: ${s.shards} shards (${s.shards - failed} ok, ${failed} failed), ${s.services} services`,
    s.unchanged
      ? 'no shard could be read, catalog left unchanged'
      : `entities ${s.entities}: ${s.added} added, ${s.changed} changed, ${s.removed} removed, ${s.pending} waiting out their grace period`,
    `removals held back: ${s.heldBack ? s.heldBack.count : 0}`,
    `drift findings: ${s.findings}`,
  ];
  if (s.rejected > 0) parts.push(`${s.rejected} services left out as invalid`);
  parts.push(`${(s.durationMs / 1000).toFixed(1)} s`);
  return parts.join('; ');
}
