import { coreServices, createServiceFactory } from '@backstage/backend-plugin-api';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import type { TestBackend } from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import type { JsonObject } from '@backstage/types';
import { parseFleet } from '../../dev/emulator';
import type { GroupAssignment } from '../../src/sync/scanGroups';
import { eventually, fetchEntities, startCatalogBackend } from '../support/catalogBackend';
import { RecordingLogger } from '../support/recordingLogger';
import { POSTGRES, usePostgresDatabase } from '../support/postgresDatabase';
import { useEmulator } from '../support/scanFixture';

const GROUPS = 4;
const FREQUENCY_S = 3;
const ACCOUNTS = Array.from({ length: 8 }, (_, i) => String(100000000000 + i * 7919).padStart(12, '0'));
const REGIONS = ['eu-west-1', 'us-east-1'];

const fleet = parseFleet({
  principals: [{ accessKeyId: 'AKIATESTREPLICAS0001', secretAccessKey: 'replicas-secret', accountId: ACCOUNTS[0] }],
  accounts: ACCOUNTS.map(id => ({
    id,
    roles: [{ name: 'reader' }],
    regions: Object.fromEntries(REGIONS.map(region => [region, { clusters: [{ name: 'c', services: [{ name: 'api' }, { name: 'worker' }] }] }])),
  })),
});
const LIVE_SERVICES = ACCOUNTS.length * REGIONS.length * 2;

const config: JsonObject = {
  aws: { accountDefaults: { roleName: 'reader' } },
  catalog: {
    providers: {
      awsEcs: {
        shared: {
          accounts: ACCOUNTS,
          regions: REGIONS,
          scanGroups: GROUPS,
          rateLimit: { perSecond: 1000, burst: 1000 },
          removal: { gracePeriod: 'PT0S' },
          // A timeout far above the frequency: the provider keeps runs within one frequency.
          schedule: { frequency: { seconds: FREQUENCY_S }, timeout: { minutes: 10 } },
        },
      },
    },
  },
};

interface Run {
  group: number;
  at: number;
}

/** The group runs a replica finished, read from the provider's log lines. */
function finished(lines: string[]): number[] {
  return lines.flatMap(line => {
    const match = /^(?:info|warn) group (\d+) of \d+: ECS scan: /.exec(line);
    return match ? [Number(match[1]) - 1] : [];
  });
}
const started = (lines: string[]) => lines.flatMap(line => (/^debug group (\d+) of \d+: scan started/.exec(line) ? [Number(/group (\d+)/.exec(line)![1]) - 1] : []));

/** Resolves with the first line matching `pattern` that is logged from now on. */
function whenLogged(lines: string[], pattern: RegExp): Promise<string> {
  return new Promise(resolve => {
    const push = lines.push.bind(lines);
    lines.push = (...items: string[]) => {
      const length = push(...items);
      const hit = items.find(line => pattern.test(line));
      if (hit !== undefined) {
        lines.push = push;
        resolve(hit);
      }
      return length;
    };
  });
}

(POSTGRES ? describe : describe.skip)('two backend replicas sharing one PostgreSQL database', () => {
  const getEmulator = useEmulator(fleet);
  const { knexFor } = usePostgresDatabase('ecs_sync_replicas');
  let shared: Knex;
  beforeAll(() => {
    shared = knexFor();
  });

  function startReplica(lines: string[]): Promise<TestBackend> {
    return startCatalogBackend({
      knex: knexFor(),
      config,
      features: [
        // The real scheduler: global tasks are coordinated through the shared database.
        schedulerServiceFactory,
        createServiceFactory({ service: coreServices.rootLogger, deps: {}, factory: () => new RecordingLogger(lines) }),
        import('../../src'),
      ],
    });
  }

  it('splits the group runs between replicas, hands a stopped scan over at once, and loses or duplicates nothing', async () => {
    const emulator = getEmulator();
    emulator.resetStats();
    // Every call takes a while, so a scan is still running when its replica stops.
    emulator.setFaults({ latencyMs: 300 });
    const linesA: string[] = [];
    const linesB: string[] = [];
    const a = await startReplica(linesA);
    const b = await startReplica(linesB);
    let aStopped = false;
    let bStopped = false;
    try {
      // The split once both replicas are up.
      const [fromA, fromB] = [finished(linesA).length, finished(linesB).length];
      const cycles = 8;
      const since = () => finished(linesA).length - fromA + finished(linesB).length - fromB;
      await eventually(async () => since(), n => n >= cycles * GROUPS, `${cycles} cycles of ${GROUPS} groups`, 120_000);
      const [onA, onB] = [finished(linesA).length - fromA, finished(linesB).length - fromB];
      const share = onA / (onA + onB);
      process.stdout.write(`group runs over ${cycles} cycles: replica A ${onA}, replica B ${onB} (A's share ${share.toFixed(2)})\n`);
      expect(share).toBeGreaterThanOrEqual(0.3);
      expect(share).toBeLessThanOrEqual(0.7);
      const entities = await eventually(() => fetchEntities(b, 'spec.type=ecs-service'), e => e.length === LIVE_SERVICES, 'every service in the catalog', 60_000);
      expect(new Set(entities.map(e => e.metadata.name)).size).toBe(LIVE_SERVICES);

      // The groups as every replica shares them: none empty, two accounts each.
      const row = await shared('aws_ecs_entity_provider_groups').where({ provider_id: 'shared' }).first('assignment');
      const assignment = JSON.parse(row.assignment) as GroupAssignment;
      const sizes = Array.from({ length: GROUPS }, (_, g) => Object.values(assignment.groupOf).filter(x => x === g).length);
      expect(sizes).toEqual([2, 2, 2, 2]);

      // Stop A in the middle of one of its scans.
      // The stop follows the log line at once: polling for it could find a scan that has just ended.
      const cut = started([await whenLogged(linesA, /^debug group \d+ of \d+: scan started/)])[0];
      const stoppedAt = Date.now();
      await a.stop();
      aStopped = true;
      const afterStopB = linesB.length;
      // Its lock was released when it stopped (not left for the scheduler's janitor to
      // expire): the run that A cut short ended after it was seen starting.
      // (The scheduler's own release may land a moment after stop() returns; its janitor never sets last_run_ended_at.)
      await eventually(
        async () => (await shared('backstage_backend_tasks__tasks').where('id', 'like', `%:refresh:${cut + 1}of${GROUPS}`).first('last_run_ended_at')).last_run_ended_at,
        ended => new Date(ended).getTime() >= stoppedAt - 1000,
        'the stopped run to release its lock',
        10_000,
      );
      expect(linesA.join('\n')).toMatch(new RegExp(`ECS sync of group ${cut + 1} of ${GROUPS} stopped`));

      // Calls at full speed again, so the replica left can keep up with every group alone.
      emulator.setFaults({ latencyMs: 20 });
      // A fleet change after the stop, in the group that was cut short.
      const account = Object.entries(assignment.groupOf).find(([, g]) => g === cut)![0];
      emulator.addService(account, REGIONS[0], 'c', { name: 'late' });
      const before = finished(linesB).filter(g => g === cut).length;
      await eventually(async () => finished(linesB).filter(g => g === cut).length, n => n > before, `replica B to scan group ${cut + 1}`, 60_000);
      // A said it left as it stopped, so B, alone now, takes every group that falls due
      // instead of handing any on to a replica that is gone (each hand-on waits a scheduler poll).
      expect(linesB.slice(afterStopB).filter(line => line.includes('handing it on'))).toEqual([]);
      process.stdout.write(`replica B finished the stopped group's scan ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s after the stop (frequency ${FREQUENCY_S} s)\n`);
      const after = await eventually(() => fetchEntities(b, 'spec.type=ecs-service'), e => e.length === LIVE_SERVICES + 1, 'the new service in the catalog', 30_000);
      expect(new Set(after.map(e => e.metadata.annotations!['aws.amazon.com/amazon-ecs-service-arn'])).size).toBe(LIVE_SERVICES + 1);
      // Nothing lost or duplicated: the catalog holds exactly the fleet, the new service included.
      expect(after).toHaveLength(LIVE_SERVICES + 1);
      await b.stop();
      bStopped = true;

      // Each finished run of a group read each of its shards once: ListClusters per shard is the
      // group's finished runs, plus the one cut short (and any run cut short by the final stop).
      const runs = [...finished(linesA), ...finished(linesB)];
      const starts = [...started(linesA), ...started(linesB)];
      for (const [acct, group] of Object.entries(assignment.groupOf)) {
        for (const region of REGIONS) {
          const listed = emulator.stats.byScopeAction[`${acct}/${region}`]?.['ecs:ListClusters'] ?? 0;
          expect(listed).toBeGreaterThanOrEqual(runs.filter(g => g === group).length);
          expect(listed).toBeLessThanOrEqual(starts.filter(g => g === group).length);
        }
      }

    } finally {
      emulator.setFaults({ latencyMs: 0 });
      if (!aStopped) await a.stop();
      if (!bStopped) await b.stop();
    }
  }, 300_000);
});
