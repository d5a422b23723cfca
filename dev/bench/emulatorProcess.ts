/**
 * The benchmark's emulator, run in its own process (forked by scan.ts) so the
 * emulator and the scanner each get a core and the scanner's memory is
 * measured alone. Generates the fleet from the options in argv[2] (JSON),
 * starts the emulator on 127.0.0.1, reports `ready`, then answers requests
 * until it is told to stop or its parent goes away.
 */
import { ECS_CATEGORY_LIMITS, startEmulator, type Emulator } from '../emulator/emulator';
import { parseFleet, type Fleet, type Tags } from '../emulator/fleet';
import { generateFleet } from '../emulator/generate';
import { expectShards } from './expectations';
import type { ChildMessage, FleetOptions, ParentMessage } from './ipc';

/** Resolves once the message is handed to the channel (or could not be). */
function send(message: ChildMessage): Promise<void> {
  return new Promise(resolve => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

let emulator: Emulator | undefined;
let tagIndex: Map<string, Tags> | undefined;

/** The tags the fleet spec gave a service, found by account, region, cluster name and service name. */
function originalTags(fleet: Fleet, arn: string, clusterArn: string): Tags {
  if (!tagIndex) {
    tagIndex = new Map();
    for (const account of fleet.accounts) {
      for (const [region, r] of Object.entries(account.regions ?? {})) {
        for (const cluster of r?.clusters ?? []) {
          for (const svc of cluster.services ?? []) tagIndex.set(`${account.id}|${region}|${cluster.name}|${svc.name}`, svc.tags ?? {});
        }
      }
    }
  }
  const parts = arn.split(':');
  const serviceName = arn.slice(arn.lastIndexOf('/') + 1);
  const clusterName = clusterArn.slice(clusterArn.lastIndexOf('/') + 1);
  const tags = tagIndex.get(`${parts[4]}|${parts[3]}|${clusterName}|${serviceName}`);
  if (!tags) throw new Error(`no service ${arn} in the fleet`);
  return tags;
}
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    try {
      await emulator?.close();
    } catch {
      // Exiting anyway.
    }
  }
  process.exit(code);
}

async function main(): Promise<void> {
  if (!process.send) throw new Error('emulatorProcess must be started with child_process.fork by the benchmark');
  const opts = JSON.parse(process.argv[2] ?? '') as FleetOptions;

  const t0 = performance.now();
  const fleet = parseFleet(
    generateFleet({
      seed: opts.seed,
      accounts: opts.accounts,
      regions: opts.regions,
      clustersPerRegion: opts.clustersPerRegion,
      servicesPerCluster: opts.servicesPerCluster,
      messy: opts.messy,
    }),
  );
  const generateMs = performance.now() - t0;

  const accountIds = fleet.accounts.map(a => a.id);
  const regions = [...new Set(fleet.accounts.flatMap(a => Object.keys(a.regions ?? {})))];
  let fleetServices = 0;
  for (const account of fleet.accounts) {
    for (const region of Object.values(account.regions ?? {})) {
      for (const cluster of region?.clusters ?? []) fleetServices += cluster.services?.length ?? 0;
    }
  }
  const shards = expectShards(fleet, accountIds, regions);

  emulator = await startEmulator({ fleet });

  process.on('message', (raw: ParentMessage) => {
    const em = emulator as Emulator;
    try {
      switch (raw.type) {
        case 'stats':
          void send({ type: 'reply', id: raw.id, stats: em.stats, cpu: process.cpuUsage() });
          break;
        case 'resetStats':
          em.resetStats();
          void send({ type: 'reply', id: raw.id, cpu: process.cpuUsage() });
          break;
        case 'rateLimit':
          // Setting the limit also starts every bucket full again.
          em.setFaults({ rateLimit: raw.enabled ? { ...ECS_CATEGORY_LIMITS } : false });
          void send({ type: 'reply', id: raw.id, cpu: process.cpuUsage() });
          break;
        case 'deployPipeline':
          em.setDeployPipeline(raw.callsPerSecond > 0 ? { callsPerSecond: raw.callsPerSecond } : false);
          void send({ type: 'reply', id: raw.id, cpu: process.cpuUsage() });
          break;
        case 'setServiceTags': {
          const drop = new Set(raw.dropKeys.map(k => k.toLowerCase()));
          for (const { arn, clusterArn } of raw.services) {
            const original = originalTags(fleet, arn, clusterArn);
            const kept = Object.fromEntries(Object.entries(original).filter(([k]) => !drop.has(k.toLowerCase())));
            em.setServiceTags(arn, { ...kept, ...raw.set });
          }
          void send({ type: 'reply', id: raw.id, cpu: process.cpuUsage(), changed: raw.services.length });
          break;
        }
        case 'stop':
          void shutdown(0);
          break;
      }
    } catch (error) {
      if ('id' in raw) void send({ type: 'reply', id: raw.id, cpu: process.cpuUsage(), error: String(error) });
    }
  });

  await send({
    type: 'ready',
    url: emulator.url,
    principal: emulator.principal(),
    accountIds,
    regions,
    fleetServices,
    shards,
    ecsLimits: { clusterReads: { ...ECS_CATEGORY_LIMITS.clusterReads }, serviceReads: { ...ECS_CATEGORY_LIMITS.serviceReads } },
    generateMs,
  });
}

// The parent died or closed the channel: never outlive it.
process.on('disconnect', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
process.on('SIGINT', () => void shutdown(0));

main().catch(async error => {
  if (!process.send) console.error(error instanceof Error ? error.message : String(error));
  await send({ type: 'fatal', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  await shutdown(1);
});
