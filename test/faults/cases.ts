import type { EmulatorStats } from '../../dev/emulator';
import type { FaultCase } from './matrix';
import { A, B, BULK, C, EU, PRINCIPALS, SCOPES, US, arnOf, bulkName, scopeOf } from './world';

/** The rows of the fault matrix: what each fault does to the emulator, what it leaves unread, and the evidence that it hit. */

const ecsCalls = (stats: EmulatorStats | undefined) =>
  Object.entries(stats?.byAction ?? {})
    .filter(([action]) => action.startsWith('ecs:'))
    .reduce((n, [, count]) => n + count, 0);

/** A clean scan of the standard fleet: ListClusters, ListServices and one DescribeServices per shard. */
const MINIMUM_ECS_CALLS = 3 * SCOPES.length;

// Seeds of the emulator's PRNG, checked against the draws of mulberry32:
// - 862 at a throttle rate of 0.35 never throttles four draws in a row in its
//   first 80 draws, and throttles at least 40% of the draws up to the 12th to
//   30th success. Read one call at a time (sequential shards, one cluster each),
//   every call gets its attempts from consecutive draws, so no call can run out
//   of its four attempts, whatever the number of calls the scan makes.
// - 6 at a 5xx rate of 0.05 fails draws 2, 7 and 13 and no other of its first 50.
//   The number of failed draws before the scan's last success does not depend on
//   the order the calls arrive in, so a scan of 18 calls meets three 5xx (never
//   four on one call) whatever the interleaving.
const STORM_SEED = 862;
const RANDOM_5XX_SEED = 6;

const connectionError = /ECONNRESET|ECONNREFUSED|EPIPE|socket hang up/i;

/** The eight faults of the matrix (and one more: the emulator down for a whole scan), each with fresh state. */
export function faultCases(): FaultCase[] {
  return [
    {
      name: 'a throttling storm (35% of calls throttled)',
      unreadScopes: [],
      settings: { sequential: true },
      apply: ({ emulator }) => emulator().setFaults({ throttleRate: 0.35, seed: STORM_SEED }),
      clear: ({ emulator }) => emulator().setFaults({ throttleRate: 0 }),
      evidence: (_ctx, _summary, stats) => {
        expect(stats!.throttled).toBeGreaterThanOrEqual(ecsCalls(stats) / 3);
      },
    },
    {
      name: 'a denied account',
      unreadScopes: [scopeOf(B, EU), scopeOf(B, US)],
      apply: ({ emulator }) => emulator().setFaults({ deniedAccounts: [B] }),
      clear: ({ emulator }) => emulator().setFaults({ deniedAccounts: [] }),
      evidence: (_ctx, summary) => {
        for (const shard of summary.failedShards) {
          expect(shard.error!.name).toBe('AccessDeniedException');
          // A client error is not retried.
          expect(shard.apiCalls).toBe(1);
        }
      },
    },
    {
      name: 'a region failing with 5xx',
      unreadScopes: [scopeOf(A, US), scopeOf(B, US), scopeOf(C, US)],
      apply: ({ emulator }) => emulator().setFaults({ failingRegions: [{ region: US, status: 503 }] }),
      clear: ({ emulator }) => emulator().setFaults({ failingRegions: [] }),
      evidence: (_ctx, summary) => {
        for (const shard of summary.failedShards) {
          expect(shard.error!.name).toBe('ServiceUnavailableException');
          // Retried to the last of its four attempts.
          expect(shard).toMatchObject({ apiCalls: 4, retries: 3 });
        }
      },
    },
    {
      name: '5% random 5xx',
      unreadScopes: [],
      apply: ({ emulator }) => emulator().setFaults({ random5xxRate: 0.05, seed: RANDOM_5XX_SEED }),
      clear: ({ emulator }) => emulator().setFaults({ random5xxRate: 0 }),
      evidence: (_ctx, _summary, stats) => {
        expect(stats!.serverErrors).toBeGreaterThanOrEqual(2);
        expect(ecsCalls(stats)).toBe(MINIMUM_ECS_CALLS + stats!.serverErrors);
      },
    },
    {
      name: '200 ms latency',
      unreadScopes: [],
      apply: ({ emulator }) => emulator().setFaults({ latencyMs: 200 }),
      clear: ({ emulator }) => emulator().setFaults({ latencyMs: 0 }),
      evidence: (_ctx, _summary, stats) => {
        // Every call answered late, none timed out and was sent again.
        expect(ecsCalls(stats)).toBe(MINIMUM_ECS_CALLS);
      },
    },
    {
      name: 'credentials expiring mid-scan',
      unreadScopes: [],
      apply: ({ emulator, onClear }) => {
        let calls = 0;
        onClear.push(
          emulator().onRequest(info => {
            if (info.service === 'ecs' && ++calls === 4) emulator().expireAllSessions();
          }),
        );
      },
      clear: () => {},
      evidence: (_ctx, _summary, stats) => {
        expect(stats!.errors.ExpiredTokenException).toBeGreaterThanOrEqual(1);
        // The sessions of the clean scan are reused until they die; then each account
        // assumes its role once more, one new session shared by both of its regions.
        expect(stats!.assumeRole).toEqual({ [A]: 1, [B]: 1, [C]: 1 });
      },
    },
    (() => {
      let fired = false;
      return {
        name: 'services deleted and created between pages of the scan',
        unreadScopes: [],
        settings: { bulk: true },
        apply: ({ emulator, world, unseen, onClear }) => {
          fired = false;
          const bulk = (i: number) => arnOf(C, EU, BULK, bulkName(i));
          onClear.push(
            emulator().onRequest(info => {
              // The second ListServices page of the bulk cluster: page one (svc-000 to svc-099) is listed, nothing is described yet.
              if (fired || info.action !== 'ListServices' || !String(info.body.cluster).endsWith(`/${BULK}`) || !info.body.nextToken) return;
              fired = true;
              world.delete(bulk(10)); // listed, then deleted: described as INACTIVE
              world.purge(bulk(20)); // listed, then gone without a trace: described as MISSING
              world.delete(bulk(120)); // deleted before its page is read: never listed
              world.add(C, EU, BULK, { name: 'svc-125a' }); // created ahead of the listing: on page two
              unseen.push(world.add(C, EU, BULK, { name: 'svc-005a' })); // created behind it: for the next scan
            }),
          );
        },
        clear: () => {},
        evidence: () => {
          expect(fired).toBe(true);
        },
      } satisfies FaultCase;
    })(),
    (() => {
      let restartsBefore = 0;
      let refusedBefore = 0;
      return {
        name: 'the emulator restarted mid-scan',
        // Shards are read one at a time (A, B, C, each in eu-west-1 then us-east-1); the
        // emulator dies at the first call of the fourth, B in us-east-1, and stays down
        // until that shard has given up (a call from another shard arrives). The
        // shards after it are read from a new emulator on the same port.
        unreadScopes: [scopeOf(B, US)],
        settings: { sequential: true, staticKeys: true },
        apply: ({ host, emulator, onClear }) => {
          restartsBefore = host.restarts;
          refusedBefore = host.refused;
          let fired = false;
          const dead = emulator();
          onClear.push(
            dead.onRequest(info => {
              if (fired || info.service !== 'ecs' || info.accountId !== B || info.region !== US) return;
              fired = true;
              void host.crash(request => request.accessKeyId === undefined || (request.accessKeyId === PRINCIPALS[1].accessKeyId && request.region === US));
            }),
          );
        },
        clear: ({ host }) => host.ensureUp(),
        evidence: ({ host }, summary) => {
          // It came back during the scan, and the shards after the dead one were read from the new emulator.
          expect(host.restarts).toBe(restartsBefore + 1);
          expect(host.refused).toBeGreaterThan(refusedBefore);
          expect(summary.failedShards[0].error!.message).toMatch(connectionError);
        },
      } satisfies FaultCase;
    })(),
    (() => {
      let refusedBefore = 0;
      return {
        name: 'the emulator unreachable for a whole scan',
        unreadScopes: SCOPES,
        settings: { staticKeys: true },
        apply: ({ host, emulator, onClear }) => {
          refusedBefore = host.refused;
          let fired = false;
          onClear.push(
            emulator().onRequest(info => {
              if (fired || info.service !== 'ecs') return;
              fired = true;
              void host.crash(() => true);
            }),
          );
        },
        clear: ({ host }) => host.ensureUp(),
        evidence: ({ host }, summary) => {
          expect(host.refused).toBeGreaterThan(refusedBefore);
          // A scan that read nothing changes nothing.
          expect(summary).toMatchObject({ unchanged: true, added: 0, changed: 0, removed: 0 });
          for (const shard of summary.failedShards) expect(shard.error!.message).toMatch(connectionError);
        },
      } satisfies FaultCase;
    })(),
  ];
}
