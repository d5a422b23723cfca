/**
 * Catalog phase of the benchmark: a real Backstage backend with the real
 * catalog plugin on in-memory SQLite (or a fresh PostgreSQL database with
 * --catalog-postgres), in the benchmark's own process, with the
 * ECS provider added by a module whose scheduler never fires (the benchmark
 * runs `provider.refresh()` itself), pointed at the emulator child.
 *
 * Run once without and once with the module's claims processor, to measure
 * what the processor costs the catalog.
 *
 * Measures:
 *  (a) time from the first refresh() until every entity is visible through
 *      the catalog's REST API (`/entities/by-query` totalItems), and the
 *      ingestion throughput;
 *  (b) entities written by a second refresh() of the unchanged fleet (target 0);
 *  (c) entities written by a third refresh() after k services' tags changed in
 *      the emulator (target exactly k), and the time until the change is visible.
 *
 * The same provider module as the tests (dev/harness/providerUnderTest.ts), in a catalog built here.
 * `@backstage/backend-test-utils`, `@backstage/plugin-catalog-backend` and
 * `better-sqlite3` are devDependencies: available at bench time only.
 */
import { mockCredentials, mockServices, startTestBackend, type TestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import knexFactory, { type Knex } from 'knex';
import { providerUnderTest } from '../harness/providerUnderTest';
import { ANNOTATION_CLUSTER_ARN, ANNOTATION_REPORTED_SERVICE_ARN, ANNOTATION_SERVICE_ARN } from '../../src/mapping/annotations';
import { DEFAULT_TAG_KEYS } from '../../src/mapping/mappingOptions';
import { AwsEcsEntityProvider } from '../../src/provider/AwsEcsEntityProvider';
import type { SyncSummary } from '../../src/provider/syncSummary';
import type { EmulatorChild } from './emulatorChild';

export interface CatalogPhaseOptions {
  emulator: EmulatorChild;
  accountIds: string[];
  regions: string[];
  roleName: string;
  /** How many services to retag before the third refresh. */
  changeCount: number;
  /** Give up waiting for the catalog after this long. */
  visibleTimeoutMs: number;
  /** A PostgreSQL server URL: the catalog gets a fresh database there, dropped afterwards. In-memory SQLite when absent. */
  postgresUrl?: string;
  /** Installs the module's claims processor too, as a production backend does. */
  withClaimsProcessor: boolean;
  log: (line: string) => void;
}

export interface CatalogFigures {
  accounts: number;
  shards: number;
  withClaimsProcessor: boolean;
  entities: number;
  services: number;
  failedShards: number;
  /** First refresh(): scan + mapping + state + applyMutation. */
  firstRefreshSeconds: number;
  /** From the start of the first refresh() until totalItems reached `entities`. */
  visibleSeconds: number;
  /** visibleSeconds - firstRefreshSeconds: the catalog's own processing and stitching after the mutation. */
  processingSeconds: number;
  /** entities / visibleSeconds. */
  entitiesPerSecond: number;
  /** entities / processingSeconds: what the catalog itself ingests once the provider has sent them. */
  catalogEntitiesPerSecond: number;
  visibleCount: number;
  timedOut: boolean;
  second: { seconds: number; writes: number; summary: Pick<SyncSummary, 'added' | 'changed' | 'removed' | 'entities' | 'unchanged'> };
  third: {
    k: number;
    seconds: number;
    writes: number;
    summary: Pick<SyncSummary, 'added' | 'changed' | 'removed' | 'entities' | 'unchanged'>;
    /** Until the k changed entities show the new lifecycle in the catalog. */
    visibleSeconds: number;
    visibleCount: number;
  };
  peakRssMB: number;
  database: 'sqlite' | 'postgres';
}

/** In-memory SQLite as @backstage/backend-test-utils' TestDatabases makes it (one connection: one database). */
/** A new, empty database on the server, as a production catalog would have; `drop` removes it. */
async function freshPostgresDatabase(serverUrl: string): Promise<{ knex: Knex; drop: () => Promise<void> }> {
  const name = `ecs_sync_bench_${process.pid}_${Date.now()}`;
  const admin = knexFactory({ client: 'pg', connection: serverUrl });
  await admin.raw(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const knex = knexFactory({ client: 'pg', connection: url.toString(), pool: { min: 0, max: 10 } });
  return {
    knex,
    drop: async () => {
      await knex.destroy();
      await admin.raw(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.destroy();
    },
  };
}

function sqliteInMemory(): Knex {
  const knex = knexFactory({ client: 'better-sqlite3', connection: ':memory:', useNullAsDefault: true });
  const pool = (knex.client as { pool?: { on(event: string, cb: (id: unknown, resource: unknown) => void): void } }).pool;
  pool?.on('createSuccess', (_id, resource) => {
    (resource as { pragma?: (s: string) => unknown }).pragma?.('foreign_keys = ON');
  });
  return knex;
}

async function query(backend: TestBackend, params: string): Promise<{ items: Entity[]; totalItems: number }> {
  const url = `http://127.0.0.1:${backend.server.port()}/api/catalog/entities/by-query?${params}`;
  const response = await fetch(url, { headers: { Authorization: mockCredentials.user.header() } });
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${(await response.text()).slice(0, 500)}`);
  return (await response.json()) as { items: Entity[]; totalItems: number };
}

const count = async (backend: TestBackend, filter: string) =>
  (await query(backend, `filter=${encodeURIComponent(filter)}&limit=1&fields=metadata.name`)).totalItems;

/** Polls `read` until it returns `want` or more; returns the seconds since `t0` and the last count. */
async function waitForCount(
  read: () => Promise<number>,
  want: number,
  t0: number,
  timeoutMs: number,
  onProgress?: (n: number) => void,
  pollMs = 100,
): Promise<{ seconds: number; last: number; timedOut: boolean }> {
  let last = -1;
  let lastReport = 0;
  for (;;) {
    last = await read();
    const seconds = (performance.now() - t0) / 1000;
    if (last >= want) return { seconds, last, timedOut: false };
    if (seconds * 1000 > timeoutMs) return { seconds, last, timedOut: true };
    if (onProgress && seconds - lastReport >= 15) {
      lastReport = seconds;
      onProgress(last);
    }
    // A count over a large catalog costs the catalog's own thread; polling it
    // often would slow the very processing being measured.
    await new Promise(resolve => setTimeout(resolve, pollMs));
  }
}

const writesOf = (s: SyncSummary) => s.added + s.changed + s.removed;
const brief = (s: SyncSummary) => ({ added: s.added, changed: s.changed, removed: s.removed, entities: s.entities, unchanged: s.unchanged });

export async function runCatalogPhase(options: CatalogPhaseOptions): Promise<CatalogFigures> {
  const { emulator, log } = options;
  const config: JsonObject = {
    aws: { accountDefaults: { roleName: options.roleName } },
    catalog: {
      providers: {
        awsEcs: {
          bench: {
            accounts: options.accountIds,
            regions: options.regions,
            schedule: { frequency: { minutes: 30 }, timeout: { minutes: 15 } },
            // The scan is not what this phase measures (the emulator's limits are off too).
            rateLimit: { perSecond: 1_000_000, burst: 1_000_000 },
          },
        },
      },
    },
  };
  const database = options.postgresUrl ? await freshPostgresDatabase(options.postgresUrl) : undefined;
  const knex = database?.knex ?? sqliteInMemory();
  let backend: TestBackend | undefined;
  let peakRss = process.memoryUsage().rss;
  const rssTimer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 250);
  try {
    let provider: AwsEcsEntityProvider | undefined;
    backend = await startTestBackend({
      features: [
        import('@backstage/plugin-catalog-backend'),
        mockServices.rootConfig.factory({ data: config }),
        mockServices.database.factory({ knex }),
        providerUnderTest({
          onProvider: p => {
            provider = p;
          },
          withClaimsProcessor: options.withClaimsProcessor,
        }),
      ],
    });
    if (!provider) throw new Error('the bench provider module did not start');
    const b = backend;
    const ecsCount = () => count(b, 'spec.type=ecs-service');

    // (a) first refresh until everything is visible.
    const t0 = performance.now();
    const first = await provider.refresh();
    const firstRefreshSeconds = (performance.now() - t0) / 1000;
    log(`bench: catalog refresh 1: ${first.entities} entities sent in ${firstRefreshSeconds.toFixed(2)} s (${first.failedShards.length} failed shards); waiting for the catalog...`);
    const visible = await waitForCount(
      ecsCount,
      first.entities,
      t0,
      options.visibleTimeoutMs,
      n => log(`bench:   ${n} of ${first.entities} visible after ${((performance.now() - t0) / 1000).toFixed(0)} s`),
      // About one poll per 500 entities a second of ingestion: 100 ms for a small fleet, 2 s at 100,000.
      Math.min(2000, Math.max(100, first.entities / 50)),
    );

    // (b) unchanged fleet.
    const t1 = performance.now();
    const second = await provider.refresh();
    const secondSeconds = (performance.now() - t1) / 1000;

    // (c) k services retagged: a new lifecycle (environment tag), so each entity changes exactly once.
    const k = Math.min(options.changeCount, first.entities);
    const picked = (await query(b, `filter=${encodeURIComponent('spec.type=ecs-service')}&limit=${k}&fields=metadata.annotations`)).items;
    const lifecycle = `benchchanged${Date.now() % 100000}`;
    const services = picked.map(e => ({
      arn: e.metadata.annotations?.[ANNOTATION_REPORTED_SERVICE_ARN] ?? e.metadata.annotations?.[ANNOTATION_SERVICE_ARN] ?? '',
      clusterArn: e.metadata.annotations?.[ANNOTATION_CLUSTER_ARN] ?? '',
    }));
    await emulator.setServiceTags(services, { environment: lifecycle }, DEFAULT_TAG_KEYS.lifecycle);
    const t2 = performance.now();
    const third = await provider.refresh();
    const thirdSeconds = (performance.now() - t2) / 1000;
    const changedVisible = await waitForCount(() => count(b, `spec.lifecycle=${lifecycle}`), services.length, t2, 120_000);

    return {
      accounts: options.accountIds.length,
      shards: options.accountIds.length * options.regions.length,
      withClaimsProcessor: options.withClaimsProcessor,
      entities: first.entities,
      services: first.services,
      failedShards: first.failedShards.length,
      firstRefreshSeconds,
      visibleSeconds: visible.seconds,
      processingSeconds: visible.seconds - firstRefreshSeconds,
      entitiesPerSecond: first.entities / Math.max(1e-9, visible.seconds),
      catalogEntitiesPerSecond: first.entities / Math.max(1e-9, visible.seconds - firstRefreshSeconds),
      visibleCount: visible.last,
      timedOut: visible.timedOut,
      second: { seconds: secondSeconds, writes: writesOf(second), summary: brief(second) },
      third: {
        k: services.length,
        seconds: thirdSeconds,
        writes: writesOf(third),
        summary: brief(third),
        visibleSeconds: changedVisible.seconds,
        visibleCount: changedVisible.last,
      },
      peakRssMB: peakRss / (1024 * 1024),
      database: database ? 'postgres' : 'sqlite',
    };
  } finally {
    clearInterval(rssTimer);
    try {
      await backend?.stop();
    } finally {
      if (database) await database.drop();
      else await knex.destroy();
    }
  }
}
