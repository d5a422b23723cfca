import type { EcsService, ShardError } from '../scan/inventory';

/**
 * What the provider remembers of one shard between scans. It is kept in the
 * catalog's database, so a restart or another replica continues the same
 * grace periods.
 */
export interface ShardState {
  /** Services of the last complete scan, plus those still inside their grace period. Sorted by ARN. */
  services: EcsService[];
  /** ARN → when the service was first missing from a complete scan (ISO-8601). */
  missingSince: Record<string, string>;
  /** When the shard was last read completely (ISO-8601). */
  scannedAt: string;
  /** How the latest attempt to read it went; `failed` keeps the services of the last complete scan. */
  status?: 'ok' | 'failed';
  error?: ShardError;
}

/** Shard key (`account/region`) → its state. */
export type SyncState = Record<string, ShardState>;
