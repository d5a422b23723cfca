/**
 * ECS events benchmark: the example backend's parts (catalog, events backend,
 * the stock SQS module, this module) against the emulator's ECS, SQS and
 * EventBridge-like fan-out.
 *
 *   npm run bench:events                      # 200 changes of each kind
 *   npm run bench:events -- --changes 50      # a quicker look
 *
 * Prints: the latency from an ECS change to the catalog showing it (p50, p95)
 * per kind (create, update, retag owner, delete with PT0S grace); a storm of
 * 10,000 events for 1,000 services in 10 shards with the emulator's ECS rate
 * limits on (DescribeServices calls per shard and round against
 * ceil(services / 10), throttles, every change applied); and convergence after
 * the next scan with 20% of events dropped and 5% duplicated. Exit code 1 when
 * a target is missed (p95 over 5 s, a storm round over its call budget, a
 * throttle, a change not applied, no convergence).
 */
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { mockCredentials, mockServices, startTestBackend, type TestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import type { JsonObject } from '@backstage/types';
import knexFactory from 'knex';
import { parseArgs } from 'node:util';
import { parseFleet, startEmulator, type Emulator } from '../emulator';
import { providerUnderTest } from '../harness/providerUnderTest';
import type { AwsEcsEntityProvider } from '../../src/provider/AwsEcsEntityProvider';

const REGION = 'eu-west-1';
const SHARDS = 10;
const SERVICES_PER_SHARD = 100;
const STORM_EVENTS = 10_000;
const TOPIC = 'ecs-events';
const P95_TARGET_MS = 5_000;
const ACCOUNTS = Array.from({ length: SHARDS }, (_, i) => String(300000000000 + i));
const arnOf = (account: string, name: string) => `arn:aws:ecs:${REGION}:${account}:service/c/${name}`;

function fleet() {
  return parseFleet({
    principals: [{ accessKeyId: 'AKIABENCHEVENTS00001', secretAccessKey: 'bench-secret', accountId: ACCOUNTS[0] }],
    accounts: ACCOUNTS.map(id => ({
      id,
      roles: [{ name: 'reader' }],
      regions: { [REGION]: { clusters: [{ name: 'c', services: Array.from({ length: SERVICES_PER_SHARD }, (_, i) => ({ name: `svc-${i}`, tags: { owner: 'team-0' } })) }] } },
    })),
  });
}

function config(queueUrl: string, endpoint: string): JsonObject {
  return {
    aws: { accountDefaults: { roleName: 'reader' } },
    events: {
      modules: {
        awsSqs: {
          awsSqsConsumingEventPublisher: {
            topics: { [TOPIC]: { queue: { url: queueUrl, region: REGION, endpoint, waitTime: { seconds: 1 } }, waitTimeAfterEmptyReceive: { milliseconds: 200 } } },
          },
        },
      },
    },
    catalog: {
      providers: {
        awsEcs: {
          bench: {
            accounts: ACCOUNTS,
            regions: [REGION],
            schedule: { frequency: { minutes: 30 }, timeout: { minutes: 10 } },
            removal: { gracePeriod: 'PT0S', maxFraction: 1 },
            events: { topic: TOPIC, debounce: { milliseconds: 500 } },
          },
        },
      },
    },
  };
}

async function entities(backend: TestBackend): Promise<Entity[]> {
  const url = `http://127.0.0.1:${backend.server.port()}/api/catalog/entities/by-query?filter=${encodeURIComponent('spec.type=ecs-service')}&limit=10000`;
  const all: Entity[] = [];
  let next: string | undefined = url;
  while (next) {
    const response = await fetch(next, { headers: { Authorization: mockCredentials.user.header() } });
    const body = (await response.json()) as { items: Entity[]; pageInfo?: { nextCursor?: string } };
    all.push(...body.items);
    next = body.pageInfo?.nextCursor ? `http://127.0.0.1:${backend.server.port()}/api/catalog/entities/by-query?cursor=${body.pageInfo.nextCursor}&limit=10000` : undefined;
  }
  return all;
}

const serviceArn = (e: Entity) => e.metadata.annotations?.['aws.amazon.com/amazon-ecs-service-arn'] ?? '';
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** Runs `changes` (each returns its check) in batches and measures how soon the catalog shows each. */
async function latencies(backend: TestBackend, count: number, change: (i: number) => (byArn: Map<string, Entity>) => boolean): Promise<number[]> {
  const result: number[] = [];
  const BATCH = 50;
  for (let start = 0; start < count; start += BATCH) {
    const waiting = new Map<number, { at: number; shown: (byArn: Map<string, Entity>) => boolean }>();
    for (let i = start; i < Math.min(count, start + BATCH); i++) {
      waiting.set(i, { at: Date.now(), shown: change(i) });
      await sleep(20);
    }
    const deadline = Date.now() + 60_000;
    while (waiting.size > 0 && Date.now() < deadline) {
      const byArn = new Map((await entities(backend)).map(e => [serviceArn(e), e]));
      const now = Date.now();
      for (const [i, w] of waiting) {
        if (w.shown(byArn)) {
          result.push(now - w.at);
          waiting.delete(i);
        }
      }
      await sleep(100);
    }
    if (waiting.size > 0) throw new Error(`${waiting.size} changes never reached the catalog`);
  }
  return result;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { changes: { type: 'string', default: '200' } } });
  const changes = Number(values.changes);
  // The emulator's ECS rate limits stay on: the storm must not be throttled.
  const emulator: Emulator = await startEmulator({ fleet: fleet() });
  const principal = emulator.principal();
  Object.assign(process.env, { AWS_ENDPOINT_URL: emulator.url, AWS_ACCESS_KEY_ID: principal.accessKeyId, AWS_SECRET_ACCESS_KEY: principal.secretAccessKey, AWS_REGION: REGION, AWS_EC2_METADATA_DISABLED: 'true' });
  const queueUrl = emulator.createQueue(ACCOUNTS[0], 'ecs-events');
  const knex = knexFactory({ client: 'better-sqlite3', connection: ':memory:', useNullAsDefault: true });
  let provider: AwsEcsEntityProvider | undefined;
  const backend = await startTestBackend({
    features: [
      import('@backstage/plugin-catalog-backend'),
      mockServices.rootConfig.factory({ data: config(queueUrl, emulator.url) }),
      mockServices.database.factory({ knex }),
      schedulerServiceFactory,
      eventsServiceFactory,
      import('@backstage/plugin-events-backend'),
      import('@backstage/plugin-events-backend-module-aws-sqs'),
      providerUnderTest({ onProvider: p => (provider = p) }),
    ],
  });
  const p = provider!;
  let failed = false;
  try {
    await p.refresh();
    const total = SHARDS * SERVICES_PER_SHARD;
    for (let seen = 0; seen < total; seen = (await entities(backend)).length) await sleep(500);
    process.stdout.write(`catalog holds ${total} services in ${SHARDS} shards\n`);

    // Latency per kind of change.
    emulator.configureEvents({ queueUrl });
    const account = (i: number) => ACCOUNTS[i % SHARDS];
    const kinds: Array<[string, (i: number) => (byArn: Map<string, Entity>) => boolean]> = [
      ['create', i => {
        const arn = emulator.addService(account(i), REGION, 'c', { name: `new-${i}`, tags: { owner: 'team-new' } });
        return byArn => byArn.has(arn);
      }],
      ['update', i => {
        // The owner changes without an event; only the UpdateService events can show it.
        const arn = arnOf(account(i), `svc-${i % SERVICES_PER_SHARD}`);
        emulator.configureEvents(undefined);
        emulator.setServiceTags(arn, { owner: `team-u${i}` });
        emulator.configureEvents({ queueUrl });
        emulator.updateService(arn, { desiredCount: 2 });
        return byArn => byArn.get(arn)?.spec?.owner === `group:default/team-u${i}`;
      }],
      ['retag owner', i => {
        const arn = arnOf(account(i), `svc-${i % SERVICES_PER_SHARD}`);
        emulator.setServiceTags(arn, { owner: `team-r${i}` });
        return byArn => byArn.get(arn)?.spec?.owner === `group:default/team-r${i}`;
      }],
      ['delete', i => {
        const arn = arnOf(account(i), `new-${i}`);
        emulator.deleteService(arn);
        return byArn => !byArn.has(arn);
      }],
    ];
    process.stdout.write(`\nlatency from an ECS change to the catalog (waitTimeAfterEmptyReceive 200 ms, debounce 500 ms), ${changes} changes per kind:\n`);
    for (const [kind, change] of kinds) {
      const ms = await latencies(backend, changes, change);
      const [p50, p95] = [percentile(ms, 50), percentile(ms, 95)];
      if (p95 > P95_TARGET_MS) failed = true;
      process.stdout.write(`  ${kind.padEnd(12)} p50 ${(p50 / 1000).toFixed(2)} s  p95 ${(p95 / 1000).toFixed(2)} s  (${ms.length} changes)${p95 > P95_TARGET_MS ? '  OVER TARGET' : ''}\n`);
    }

    // The storm: every service retagged without events, then 10,000 events naming them.
    emulator.configureEvents(undefined);
    await p.flushEvents();
    for (const a of ACCOUNTS) for (let i = 0; i < SERVICES_PER_SHARD; i++) emulator.setServiceTags(arnOf(a, `svc-${i}`), { owner: 'team-storm' });
    const before = { ...p.eventCounts!, calls: emulator.stats.byScopeAction, throttled: emulator.stats.throttled };
    const callsBefore = Object.fromEntries(ACCOUNTS.map(a => [a, before.calls[`${a}/${REGION}`]?.['ecs:DescribeServices'] ?? 0]));
    const started = Date.now();
    for (let e = 0; e < STORM_EVENTS; e++) {
      const a = ACCOUNTS[e % SHARDS];
      const arn = arnOf(a, `svc-${Math.floor(e / SHARDS) % SERVICES_PER_SHARD}`);
      emulator.sendMessage(queueUrl, JSON.stringify({
        version: '0', id: `storm-${e}`, 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.ecs', account: a, time: new Date().toISOString(), region: REGION, resources: [],
        detail: { eventSource: 'ecs.amazonaws.com', eventName: 'TagResource', requestParameters: { resourceArn: arn } },
      }));
    }
    while (emulator.queueDepth(queueUrl) > 0 || p.eventCounts!.received - before.received < STORM_EVENTS) await sleep(200);
    await p.flushEvents();
    const stormMs = Date.now() - started;
    const after = emulator.stats;
    const perShard = ACCOUNTS.map(a => (after.byScopeAction[`${a}/${REGION}`]?.['ecs:DescribeServices'] ?? 0) - callsBefore[a]);
    const rounds = p.eventCounts!.rounds - before.rounds;
    const budget = Math.ceil(SERVICES_PER_SHARD / 10);
    const stormView = await entities(backend);
    const applied = stormView.filter(e => e.spec?.owner === 'group:default/team-storm').length;
    const throttled = after.throttled - before.throttled;
    // Per round and shard: the calls beyond ceil(distinct services / 10) for each cluster the round named there.
    const overMinimum = p.eventCounts!.callsOverMinimum - before.callsOverMinimum;
    process.stdout.write(
      `\nstorm: ${STORM_EVENTS} events for ${SHARDS * SERVICES_PER_SHARD} services in ${SHARDS} shards, consumed in ${(stormMs / 1000).toFixed(1)} s over ${rounds} rounds\n` +
        `  DescribeServices per shard: ${Math.min(...perShard)}..${Math.max(...perShard)} in all; at most ${p.eventCounts!.maxCallsPerShardRound} in one round (budget ceil(100 / 10) = ${budget}); calls beyond each round's minimum (ceil(distinct services / 10) per cluster): ${overMinimum}\n` +
        `  throttled: ${throttled}; changes applied: ${applied} of ${SHARDS * SERVICES_PER_SHARD}\n`,
    );
    if (p.eventCounts!.maxCallsPerShardRound > budget || overMinimum > 0 || throttled > 0 || applied !== SHARDS * SERVICES_PER_SHARD) failed = true;

    // Lost and repeated events: the next scan converges.
    const statsBefore = emulator.eventStats;
    emulator.configureEvents({ queueUrl, drop: 0.2, duplicate: 0.05, seed: 11 });
    for (const a of ACCOUNTS) for (let i = 0; i < SERVICES_PER_SHARD; i += 2) emulator.setServiceTags(arnOf(a, `svc-${i}`), { owner: 'team-final' });
    while (emulator.eventsInFlight > 0 || emulator.queueDepth(queueUrl) > 0) await sleep(200);
    await sleep(1500);
    await p.flushEvents();
    // The catalog's own processing after the last round.
    await sleep(5000);
    const statsAfter = emulator.eventStats;
    const stats = { produced: statsAfter.produced - statsBefore.produced, dropped: statsAfter.dropped - statsBefore.dropped, duplicated: statsAfter.duplicated - statsBefore.duplicated };
    const wrongBefore = (await entities(backend)).filter(e => /svc-\d*[02468]$/.test(serviceArn(e)) && e.spec?.owner !== 'group:default/team-final').length;
    emulator.configureEvents(undefined);
    await p.refresh();
    let wrong = wrongBefore;
    for (let i = 0; i < 60 && wrong > 0; i++) {
      await sleep(500);
      wrong = (await entities(backend)).filter(e => /svc-\d*[02468]$/.test(serviceArn(e)) && e.spec?.owner !== 'group:default/team-final').length;
    }
    process.stdout.write(
      `\ndrops and duplicates: ${stats.produced} events, ${stats.dropped} dropped, ${stats.duplicated} duplicated; ` +
        `${wrongBefore} services stale once the events were consumed, ${wrong} after the next scan\n`,
    );
    if (wrong > 0) failed = true;
  } finally {
    emulator.configureEvents(undefined);
    await backend.stop();
    await knex.destroy();
    await emulator.close();
  }
  process.exitCode = failed ? 1 : 0;
}

main().catch(error => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exitCode = 1;
});
