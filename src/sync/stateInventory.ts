import { compareShards, compareStrings, type DiscoveryResult, type EcsService, emptyShard, type Inventory, type ShardResult, shardKey } from '../scan/inventory';
import type { SyncState } from './syncState';

/**
 * The whole provider's picture as the stored state holds it, shaped like a
 * scan: each shard with the status of its latest attempt, and the services
 * of its last complete scan that are not missing. When the scan is split into
 * groups, each group reconciles against this rather than its own part alone.
 */
export function inventoryFromState(
  state: SyncState,
  discovery?: DiscoveryResult,
  /** The configured scope: shards in it that no scan has read yet count as not read. */
  scope?: { accounts: string[]; regions: string[] },
): Inventory {
  const shards: ShardResult[] = [];
  const services: EcsService[] = [];
  for (const accountId of scope?.accounts ?? []) {
    for (const region of scope?.regions ?? []) {
      if (shardKey(accountId, region) in state) continue;
      shards.push({
        ...emptyShard(accountId, region, 'failed'),
        error: { name: 'NotScannedYet', message: `account ${accountId}, region ${region} has not been scanned yet` },
      });
    }
  }
  for (const [key, shard] of Object.entries(state)) {
    const [accountId, region] = key.split('/');
    const present = shard.services.filter(s => !(s.arn in shard.missingSince));
    const result: ShardResult = { ...emptyShard(accountId, region, shard.status ?? 'ok'), services: present.length };
    if (shard.error) result.error = shard.error;
    shards.push(result);
    services.push(...present);
  }
  const inventory: Inventory = { shards: shards.sort(compareShards), services: services.sort((a, b) => compareStrings(a.arn, b.arn)) };
  if (discovery) inventory.discovery = discovery;
  return inventory;
}
