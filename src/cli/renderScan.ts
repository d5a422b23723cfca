import { compareStrings, type EcsService, type Inventory } from '../scan/inventory';
import { printable, renderTable } from '../report/consoleTable';

/** The inventory without timings, so the same fleet always prints the same bytes; the table shows none either. */
export function renderScanJson(inventory: Inventory): string {
  const shards = inventory.shards.map(({ durationMs: _, ...shard }) => shard);
  return JSON.stringify({ ...inventory, shards }, null, 2);
}

export function renderScanTable(inventory: Inventory): string {
  const shards = renderTable(
    ['ACCOUNT', 'REGION', 'STATUS', 'CLUSTERS', 'SERVICES', 'CALLS', 'THROTTLED', 'ERROR'],
    inventory.shards.map(s => [
      s.accountId,
      s.region,
      s.status,
      String(s.clusters),
      String(s.services),
      String(s.apiCalls),
      String(s.throttled),
      s.error ? printable(s.error.message) : '',
    ]),
  );
  const services = renderTable(
    ['ACCOUNT', 'REGION', 'CLUSTER', 'SERVICE', 'STATUS', 'RUNNING', 'LAUNCH'],
    [...inventory.services].sort(byPlace).map(s => [
      s.accountId,
      s.region,
      printable(s.clusterArn.slice(s.clusterArn.lastIndexOf('/') + 1)),
      printable(s.name),
      s.status,
      `${s.runningCount}/${s.desiredCount}`,
      s.launchType ?? 'capacity provider',
    ]),
  );
  const failed = inventory.shards.filter(s => s.status === 'failed').length;
  const lines = [
    shards,
    '',
    services,
    '',
    `${inventory.shards.length} shards (${inventory.shards.length - failed} ok, ${failed} failed), ${inventory.services.length} services`,
  ];
  if (inventory.discovery?.status === 'failed' && inventory.discovery.error) {
    lines.push(`account discovery failed: ${printable(inventory.discovery.error.message)}`);
  }
  return lines.join('\n');
}

/** People read a table by place: account, region, cluster, then service name. */
function byPlace(a: EcsService, b: EcsService): number {
  return (
    compareStrings(a.accountId, b.accountId) ||
    compareStrings(a.region, b.region) ||
    compareStrings(a.clusterArn, b.clusterArn) ||
    compareStrings(a.name, b.name) ||
    compareStrings(a.arn, b.arn)
  );
}
