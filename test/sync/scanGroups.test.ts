import { scanGroupOf } from '../../src/sync/scanGroups';
import { inventoryFromState } from '../../src/sync/stateInventory';
import type { EcsService } from '../../src/scan/inventory';

describe('scanGroupOf', () => {
  const accounts = Array.from({ length: 400 }, (_, i) => String(100000000000 + i * 7919).padStart(12, '0'));

  it('puts every account in exactly one group, the same one every time', () => {
    for (const id of accounts) {
      const g = scanGroupOf(id, 4);
      expect(g).toBeGreaterThanOrEqual(0);
      expect(g).toBeLessThan(4);
      expect(scanGroupOf(id, 4)).toBe(g);
    }
  });

  it('spreads accounts over the groups', () => {
    const sizes = [0, 0, 0, 0];
    for (const id of accounts) sizes[scanGroupOf(id, 4)] += 1;
    for (const size of sizes) expect(size).toBeGreaterThan(accounts.length / 8);
  });

  it('has one group when the scan is not split', () => {
    expect(new Set(accounts.map(id => scanGroupOf(id, 1)))).toEqual(new Set([0]));
  });
});

describe('inventoryFromState', () => {
  const svc = (name: string): EcsService => ({
    arn: `arn:aws:ecs:eu-west-1:111111111111:service/c/${name}`, name, clusterArn: 'arn:aws:ecs:eu-west-1:111111111111:cluster/c',
    accountId: '111111111111', region: 'eu-west-1', status: 'ACTIVE', tags: {}, desiredCount: 1, runningCount: 1, taskDefinition: 'td', createdAt: '',
  });

  it('shows each shard with its last status, and only the services that are not missing', () => {
    const inventory = inventoryFromState({
      '222222222222/eu-west-1': { services: [], missingSince: {}, scannedAt: '', status: 'failed', error: { name: 'AccessDeniedException', message: 'denied' } },
      '111111111111/eu-west-1': { services: [svc('a'), svc('gone')], missingSince: { [svc('gone').arn]: '2026-01-01T00:00:00Z' }, scannedAt: '2026-01-01T00:00:00Z', status: 'ok' },
    });
    expect(inventory.shards.map(s => [s.accountId, s.region, s.status, s.error?.name])).toEqual([
      ['111111111111', 'eu-west-1', 'ok', undefined],
      ['222222222222', 'eu-west-1', 'failed', 'AccessDeniedException'],
    ]);
    expect(inventory.services.map(s => s.name)).toEqual(['a']);
  });

  it('counts configured shards that no scan has read yet as not read', () => {
    const inventory = inventoryFromState({}, undefined, { accounts: ['333333333333'], regions: ['eu-west-1'] });
    expect(inventory.shards).toEqual([expect.objectContaining({ accountId: '333333333333', region: 'eu-west-1', status: 'failed', error: expect.objectContaining({ name: 'NotScannedYet' }) })]);
  });
});
