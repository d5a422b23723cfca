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

/** The summary of a cycle that ran every group, from the groups' own summaries. */
export function combineSummaries(summaries: SyncSummary[]): SyncSummary {
  const sum = (pick: (s: SyncSummary) => number) => summaries.reduce((n, s) => n + pick(s), 0);
  const heldBack = summaries.map(s => s.heldBack).filter(h => h !== undefined);
  const last = summaries[summaries.length - 1];
  const combined: SyncSummary = {
    shards: sum(s => s.shards),
    failedShards: summaries.flatMap(s => s.failedShards),
    discoveryFailed: summaries.find(s => s.discoveryFailed)?.discoveryFailed,
    services: sum(s => s.services),
    entities: sum(s => s.entities),
    added: sum(s => s.added),
    changed: sum(s => s.changed),
    removed: sum(s => s.removed),
    pending: sum(s => s.pending),
    rejected: sum(s => s.rejected),
    unchanged: summaries.every(s => s.unchanged),
    // The report is the whole provider's: the last group's is the newest.
    findings: last?.findings ?? 0,
    durationMs: sum(s => s.durationMs),
  };
  if (heldBack.length > 0) {
    combined.heldBack = { count: heldBack.reduce((n, h) => n + h!.count, 0), total: heldBack[0]!.total, maxFraction: heldBack[0]!.maxFraction };
  }
  return combined;
}
