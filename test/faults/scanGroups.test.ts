import { TestDatabases, type TestBackend } from '@backstage/backend-test-utils';
import type { AwsEcsEntityProvider } from '../../src/provider/AwsEcsEntityProvider';
import type { SyncSummary } from '../../src/provider/syncSummary';
import type { DriftReport } from '../../src/report/driftReport';
import { assignScanGroups } from '../../src/sync/scanGroups';
import { eventually, fetchEntities, providerUnderTest, startCatalogBackend } from '../support/catalogBackend';
import { faultCases } from './cases';
import { EmulatorHost } from './emulatorHost';
import { faultMatrix, providerConfig } from './matrix';
import { A, ARN_CLAIMS, B, C, EU, HAND_WRITTEN, HandWrittenProvider, LEDGER_SELECTOR, SELECTOR_CLAIMANT, US, World, scopeOf, scopeOfArn } from './world';

/**
 * The faults that leave scopes unread, again with the scan split into scan
 * groups: with `scanGroups: 3` every account is a group of its own, each group
 * reconciles against the whole stored state, and `refresh()` runs the groups
 * one after the other (C, then B, then A). The same promises must hold.
 */
const GROUPED = ['a denied account', 'a region failing with 5xx', 'the emulator restarted mid-scan', 'the emulator unreachable for a whole scan'];

faultMatrix(
  'the fault matrix with the scan split into groups',
  faultCases()
    .filter(c => GROUPED.includes(c.name))
    .map(c => ({ ...c, settings: { ...c.settings, scanGroups: 3 } })),
);

/**
 * A fresh install where only the group of account C has run so far: the
 * replica that runs the other groups is down, or their tasks have not come
 * round yet. The scopes of accounts A and B have never been read.
 */
describe('scan groups: the scopes of a group that has not run yet', () => {
  let world: World | undefined;
  const host: EmulatorHost = new EmulatorHost(() => (world ??= new World(() => host.current)).fleet());
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const unread = new Set([scopeOf(A, EU), scopeOf(A, US), scopeOf(B, EU), scopeOf(B, US)]);
  let backend: TestBackend | undefined;
  let summary: SyncSummary;
  let report: DriftReport;

  beforeAll(async () => {
    await host.start();
    let provider: AwsEcsEntityProvider | undefined;
    backend = await startCatalogBackend({
      knex: await databases.init('SQLITE_3'),
      config: providerConfig({ scanGroups: 3 }),
      features: [providerUnderTest({ now: () => new Date('2026-01-01T00:00:00Z'), onProvider: p => (provider = p), alsoProvide: [new HandWrittenProvider()] })],
    });
    await eventually(() => fetchEntities(backend!, 'kind=component'), e => e.length === HAND_WRITTEN.length, 'the hand-written components');
    // The group account C falls in: the split of three accounts never scanned into three groups.
    summary = await provider!.refreshGroup(assignScanGroups([A, B, C], 3, new Map()).groupOf[C]);
    report = (await provider!.latestReport())!;
  });
  afterAll(async () => {
    await backend?.stop();
    await host.stop();
  });

  it('are unread: no ARN claim into them is a phantom, each is not verified, and the alerts name them', () => {
    expect(summary).toMatchObject({ shards: 2, failedShards: [] });
    expect(report.phantoms.filter(p => p.arn !== undefined)).toEqual([]);
    const notVerified = report.notVerified.map(n => `${n.entityRef} ${n.value}`);
    for (const claim of ARN_CLAIMS.filter(c => unread.has(scopeOfArn(c.arn)))) expect(notVerified).toContain(`${claim.entityRef} ${claim.arn}`);
    expect(report.alerts.map(a => scopeOf(a.accountId, a.region)).sort()).toEqual([...unread].sort());
    expect(report.summary.complete).toBe(false);
  });

  // A group reconciles against the whole stored state; the configured scopes that no group has
  // read yet count as unread, so a selector whose only match lies there is not yet a phantom.
  it('are unread: the tag selector claim whose only match lies in them is not a phantom', () => {
    expect(report.phantoms.filter(p => p.selector !== undefined)).toEqual([]);
    expect(report.notVerified.map(n => `${n.entityRef} ${n.value}`)).toContain(`${SELECTOR_CLAIMANT} ${LEDGER_SELECTOR}`);
  });
});
