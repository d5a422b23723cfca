import { TestDatabases, type TestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import { DEFAULT_FAULTS, type Emulator, type EmulatorStats, type Fleet } from '../../dev/emulator';
import type { AwsEcsEntityProvider } from '../../src/provider/AwsEcsEntityProvider';
import type { SyncSummary } from '../../src/provider/syncSummary';
import type { DriftReport } from '../../src/report/driftReport';
import { eventually, fetchEntities, providerUnderTest, startCatalogBackend } from '../support/catalogBackend';
import { EmulatorHost } from './emulatorHost';
import {
  ACCOUNTS,
  ARN_CLAIMS,
  CLUSTER,
  HAND_WRITTEN,
  HandWrittenProvider,
  LEDGER_SELECTOR,
  PRINCIPALS,
  REGIONS,
  SCOPES,
  SELECTOR_CLAIMANT,
  World,
  arnOf,
  scopeOf,
  scopeOfArn,
  splitScope,
} from './world';

/**
 * The harness of the fault matrix: one emulator for the file, and for each
 * fault a fresh SQLite catalog with the provider under test and the
 * hand-written claims, a clean first scan, the fault, a scan under the fault,
 * the checks, the fault cleared, and a last scan that must converge.
 */

export interface Settings {
  /**
   * Shards read one at a time, in config order. Every call of the scan then
   * comes in the same order on every run, which makes seeded faults and the
   * shard that a restart hits the same on every run.
   */
  sequential?: boolean;
  /**
   * Each account signs with its own long-lived keys instead of a role session.
   * A restarted emulator forgets the sessions the old one issued (AWS never
   * would), so rows that restart the emulator use keys that survive it.
   */
  staticKeys?: boolean;
  /** Adds a cluster of 130 services (two ListServices pages) to account C in eu-west-1. */
  bulk?: boolean;
  /**
   * `scanGroups` of the provider. With 3, each account is a group of its own
   * (C is group 1, B group 2, A group 3) and `refresh()` runs them in that order.
   */
  scanGroups?: number;
}

export interface FaultContext {
  host: EmulatorHost;
  /** The emulator running now (a restart replaces it). */
  emulator(): Emulator;
  world: World;
  /**
   * Services created during the scan behind the point its listing had reached:
   * no snapshot can see them, the next scan must.
   */
  unseen: string[];
  /** Run when the fault is cleared (unsubscribing hooks). */
  onClear: Array<() => void>;
}

export interface FaultCase {
  name: string;
  /** The scopes (`account/region`) the scan cannot read while the fault lasts. */
  unreadScopes: string[];
  settings?: Settings;
  apply(ctx: FaultContext): void | Promise<void>;
  clear(ctx: FaultContext): void | Promise<void>;
  /**
   * Evidence that the fault really hit the scan, so a row cannot pass because
   * its fault never happened. `stats` are the emulator's counters for the scan
   * under the fault (those of the new emulator after a restart).
   */
  evidence(ctx: FaultContext, summary: SyncSummary, stats: EmulatorStats | undefined): void;
}

const PROVIDER_ID = 'matrix';

export function providerConfig(settings: Settings): JsonObject {
  return {
    aws: settings.staticKeys
      ? { accounts: PRINCIPALS.map(p => ({ accountId: p.accountId, accessKeyId: p.accessKeyId, secretAccessKey: p.secretAccessKey })) }
      : { accountDefaults: { roleName: 'reader' } },
    catalog: {
      providers: {
        awsEcs: {
          [PROVIDER_ID]: {
            accounts: ACCOUNTS,
            regions: REGIONS,
            concurrency: { shards: settings.sequential ? 1 : 8, callsPerShard: 4 },
            // The emulator's own rate limit is off unless a row turns it on; the client paces freely.
            rateLimit: { perSecond: 1000, burst: 1000 },
            retry: { maxAttempts: 4, maxDelay: 'PT0.2S' },
            callTimeout: 'PT2S',
            schedule: { frequency: { minutes: 30 }, timeout: { minutes: 10 } },
            // Any wrong removal shows at once.
            removal: { gracePeriod: 'PT0S', maxFraction: 1 },
            ...(settings.scanGroups ? { scanGroups: settings.scanGroups } : {}),
          },
        },
      },
    },
  };
}

const NO_FAULTS = { ...DEFAULT_FAULTS, rateLimit: false as const };

const ARN_ANNOTATION = 'aws.amazon.com/amazon-ecs-service-arn';
const arnOfEntity = (e: Entity): string => e.metadata.annotations![ARN_ANNOTATION];
const arnsOf = (entities: Entity[]): string[] => entities.map(arnOfEntity).sort();
const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const scopesOf = (shards: Array<{ accountId: string; region: string }>) => shards.map(s => scopeOf(s.accountId, s.region)).sort();
const ecsEntities = (backend: TestBackend) => fetchEntities(backend, 'spec.type=ecs-service');

/** What the provider wrote, without what the catalog adds (uid, etag, relations, status). */
function written(e: Entity): unknown {
  const { name, namespace, title, annotations, labels, links } = e.metadata;
  return { name, namespace, title, annotations, labels, links, spec: e.spec };
}

const missingFrom = (entities: Entity[], arns: readonly string[]) => {
  const present = new Set(entities.map(arnOfEntity));
  return arns.filter(arn => !present.has(arn));
};

/** Waits until the catalog's ECS entities are exactly `arns`; says which are missing or extra if they never are. */
export async function catalogHolds(backend: TestBackend, arns: readonly string[], what: string, timeoutMs = 15_000): Promise<Entity[]> {
  const expected = [...arns].sort();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const entities = await ecsEntities(backend);
    const actual = arnsOf(entities);
    if (sameList(actual, expected)) return entities;
    if (Date.now() > deadline) {
      const extra = actual.filter(arn => !expected.includes(arn));
      throw new Error(`timed out waiting for ${what}: missing ${JSON.stringify(missingFrom(entities, expected))}, not expected ${JSON.stringify(extra)}`);
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}

/** Re-reads the catalog for a while and fails as soon as `check` throws. */
async function holds(ms: number, read: () => Promise<Entity[]>, check: (entities: Entity[]) => void): Promise<void> {
  const deadline = Date.now() + ms;
  do {
    check(await read());
    await new Promise(resolve => setTimeout(resolve, 250));
  } while (Date.now() < deadline);
  check(await read());
}

/** The drift report after a scan that could not read `unread`. */
export function expectHonestReport(report: DriftReport | undefined, unread: ReadonlySet<string>, liveServicesRead: number): void {
  expect(report).toBeDefined();
  const r = report!;
  // No claim into a scope that was not read is called a phantom, nor the tag selector while any scope is unread.
  expect(r.phantoms.filter(p => p.arn !== undefined && unread.has(scopeOfArn(p.arn)))).toEqual([]);
  if (unread.size > 0) expect(r.phantoms.filter(p => p.selector !== undefined)).toEqual([]);
  // Nothing claimed was deleted in any row: any phantom at all would be a false one.
  expect(r.phantoms).toEqual([]);

  // Those claims are "not verified" instead, and only those.
  const expected = [
    ...ARN_CLAIMS.filter(c => unread.has(scopeOfArn(c.arn))).map(c => `${c.entityRef} ${c.arn}`),
    ...(unread.size > 0 ? [`${SELECTOR_CLAIMANT} ${LEDGER_SELECTOR}`] : []),
  ].sort();
  expect(r.notVerified.map(n => `${n.entityRef} ${n.value}`).sort()).toEqual(expected);

  // The alerts name exactly the unread scopes, account and region.
  expect(r.alerts.map(a => scopeOf(a.accountId, a.region)).sort()).toEqual([...unread].sort());
  for (const alert of r.alerts) expect(alert.error).toContain(`account ${alert.accountId}, region ${alert.region}`);
  expect(r.summary).toMatchObject({ complete: unread.size === 0, alerts: unread.size, phantoms: 0, liveServices: liveServicesRead });
}

/** Registers the whole matrix as one `it` per fault, in a describe of its own. */
export function faultMatrix(title: string, cases: FaultCase[]): void {
  describe(title, () => {
    // The emulator's fleet at any moment is the fleet of the row that runs.
    let world: World | undefined;
    const host: EmulatorHost = new EmulatorHost((): Fleet => (world ?? new World(() => host.current)).fleet());
    const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

    beforeAll(() => host.start());
    afterAll(() => host.stop());

    it.each(cases)('$name: reads what it can, keeps and reports what it cannot, converges once cleared', async c => {
      const settings = c.settings ?? {};
      await host.ensureUp();
      world = new World(() => host.current, { bulk: settings.bulk });
      host.current.replaceFleet(world.fleet());
      host.current.setFaults(NO_FAULTS);
      const ctx: FaultContext = { host, emulator: () => host.current, world, unseen: [], onClear: [] };
      const unread = new Set(c.unreadScopes);
      const readScopes = SCOPES.filter(s => !unread.has(s));

      let clock = new Date('2026-01-01T00:00:00Z');
      const later = () => {
        clock = new Date(clock.getTime() + 30 * 60_000);
      };
      let provider: AwsEcsEntityProvider | undefined;
      const knex = await databases.init('SQLITE_3');
      const backend = await startCatalogBackend({
        knex,
        config: providerConfig(settings),
        features: [providerUnderTest({ now: () => clock, onProvider: p => (provider = p), alsoProvide: [new HandWrittenProvider()] })],
      });
      try {
        await eventually(() => fetchEntities(backend, 'kind=component'), e => e.length === HAND_WRITTEN.length, 'the hand-written components');

        // A clean scan: the catalog holds the whole fleet.
        const first = await provider!.refresh();
        expect(scopesOf(first.failedShards)).toEqual([]);
        const before = await catalogHolds(backend, world.live(), 'the fleet in the catalog');

        // While the fault lasts the fleet moves on in every shard: one service goes, one comes.
        for (const scope of SCOPES) {
          const { accountId, region } = splitScope(scope);
          world.delete(arnOf(accountId, region, CLUSTER, 'spare'));
          world.add(accountId, region, CLUSTER, { name: 'fresh' });
        }
        host.current.resetStats();
        await c.apply(ctx);
        later();

        // 1. The scan finishes what it can read, and says exactly what it could not.
        const summary = await provider!.refresh();
        const stats = host.up ? host.current.stats : undefined;
        expect(scopesOf(summary.failedShards)).toEqual([...unread].sort());
        for (const shard of summary.failedShards) {
          expect(shard.status).toBe('failed');
          expect(shard.error?.message).toContain(`account ${shard.accountId}, region ${shard.region}`);
        }
        expect(summary.unchanged).toBe(readScopes.length === 0);
        c.evidence(ctx, summary, stats);

        // 2. The catalog: the unread scopes stay exactly as they were, the read ones follow the fleet.
        const kept = before.filter(e => unread.has(scopeOfArn(arnOfEntity(e))));
        const keptByName = new Map(kept.map(e => [e.metadata.name, written(e)]));
        const expectKept = (entities: Entity[]) => {
          // Removals reach the catalog with the mutation itself: a wrong one shows at once.
          expect(missingFrom(entities, arnsOf(kept))).toEqual([]);
          const now = entities.filter(e => keptByName.has(e.metadata.name));
          expect(now.map(written)).toEqual(now.map(e => keptByName.get(e.metadata.name)));
        };
        expectKept(await ecsEntities(backend));
        const expectedNow = [...arnsOf(kept), ...world.live(readScopes).filter(arn => !ctx.unseen.includes(arn))].sort();
        await catalogHolds(backend, expectedNow, 'the read scopes to follow the fleet');
        await holds(1500, () => ecsEntities(backend), entities => {
          expectKept(entities);
          expect(arnsOf(entities)).toEqual(expectedNow);
        });

        // 3. The drift report: nothing unread is a phantom; it is unverified, and the alerts say where.
        const liveRead = world.live(readScopes).filter(arn => !ctx.unseen.includes(arn)).length;
        expectHonestReport(await provider!.latestReport(), unread, liveRead);

        // 4. The fault clears: the next scan converges to the truth.
        await c.clear(ctx);
        for (const off of ctx.onClear.splice(0)) off();
        host.current.setFaults(NO_FAULTS);
        later();
        const last = await provider!.refresh();
        expect(scopesOf(last.failedShards)).toEqual([]);
        expectHonestReport(await provider!.latestReport(), new Set(), world.live().length);
        await catalogHolds(backend, world.live(), 'the catalog to hold exactly the live fleet');
      } finally {
        for (const off of ctx.onClear.splice(0)) off();
        await backend.stop();
        await host.ensureUp();
      }
    });
  });
}
