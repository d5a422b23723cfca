/**
 * Scan benchmark: how many ECS calls, how much wall time and how much memory a
 * full scan of a synthetic fleet costs, under ECS-like rate limits.
 *
 *   npm run bench                                  # 40 accounts x 5 regions x 10 clusters x 50 services (100,000)
 *   npm run bench -- --accounts 4 --regions 2 --clusters 3 --services 120
 *
 * The loopback emulator runs in a child process (emulatorProcess.ts), so it and
 * the scanner each have a core and the memory figures are the scanner's alone.
 *
 * Phase A (baseline): emulator rate limit off, scanner pacing off and high
 * concurrency: the pure CPU and network cost of the calls.
 * Phase B (the measurement): the emulator's default ECS limits (bucket per
 * account and region, burst 50, 20/s) and the package's DEFAULT_SCAN_TUNING.
 *
 * Phase B/2 (memory growth): the same as B on the first half of the accounts,
 * run before B, so bytes per service can be compared at two fleet sizes.
 * Phase C (optional, --tune-shards/--tune-calls/--tune-rate/--tune-burst): B
 * with other concurrency or pacing, to measure what a different default would do.
 * Catalog phase (catalog.ts): a real catalog backend on in-memory SQLite with
 * the provider, on the first accounts up to --catalog-services services.
 *
 * Prints a readable block and a final `BENCH_JSON {...}` line.
 * Exit code: 0 all targets met, 1 a target missed (failed shards, services
 * found differing from the fleet's listed services, ECS calls above the
 * minimum, more than one AssumeRole per account, wall time above 1.25x the
 * rate-limit bound, bytes per service growing more than 1.2x with the fleet,
 * catalog writes on an unchanged or k-changed fleet not 0 / k), 2 the
 * benchmark itself failed.
 */
import { ConfigReader } from '@backstage/config';
import { parseArgs } from 'node:util';
import { createCredentialsManager } from '../../src/config/awsConfig';
import { readProviderConfigs } from '../../src/config/providerConfig';
import { DEFAULT_SCAN_TUNING } from '../../src/config/scanConfig';
import type { ScanTuning } from '../../src/scan/scanScope';
import type { EmulatorStats } from '../emulator/emulator';
import { shardKey, type Inventory } from '../../src/scan/inventory';
import { EcsScanner } from '../../src/scan/scanner';
import { scanBounds, type RateLimitSpec, type ScanBounds } from './bounds';
import { EmulatorChild } from './emulatorChild';
import { listedServices, minimumCalls, sumMinimumCalls, type MinimumCalls, type ShardExpectation } from './expectations';
import type { FleetOptions, ReadyMessage } from './ipc';
import { collectGarbage, MemorySampler, type MemoryReport } from './memorySampler';
import { runCatalogPhase, type CatalogFigures } from './catalog';

const ROLE_NAME = 'backstage-ecs-read';
/** ECS calls may not exceed the minimum the fleet needs. */
const CALLS_RATIO_TARGET = 1.0;
/** Wall time within this factor of the rate-limit bound (when the bound is not 0). */
const WALL_VS_BOUND_TARGET = 1.25;
/** Bytes per service at the full fleet over bytes per service at half of it. */
const MEMORY_GROWTH_TARGET = 1.2;
/** The warm-up scans leading accounts until their shards need this many calls (about one default-size scan). */
const WARMUP_CALLS = 2500;
const USAGE = `usage: npm run bench -- [--accounts N] [--regions N] [--clusters N] [--services N] [--seed N] [--clean]
       [--baseline-shards N] [--baseline-calls N] [--no-warmup] [--no-memory-check] [--tune-shards N] [--tune-calls N]
       [--tune-rate N] [--tune-burst N]
       [--catalog-services N] [--catalog-changes K] [--catalog-postgres URL] [--timeout SECONDS]
  --accounts   accounts in the fleet (default 40)
  --regions    regions per account, 1..20 (default 5)
  --clusters   clusters per region (default 10)
  --services   services per cluster (default 50; messy fleets list ~95% of them)
  --seed       fleet generator seed (default 1)
  --clean      a tidy fleet (every service ACTIVE) instead of the messy default
  --baseline-shards  phase A shards at once, 0 = all (default 16)
  --baseline-calls   phase A calls in flight per shard (default 10)
  --no-warmup  skip the unmeasured warm-up scan before phase A
  --no-memory-check  skip phase B/2 (half the accounts) and the bytes-per-service growth check
  --tune-shards, --tune-calls  also run phase C: B with this concurrency.shards / callsPerShard (not a target)
  --tune-rate, --tune-burst    phase C with this rateLimit.perSecond / burst (the scanner's own pacing; not a target)
  --catalog-services  services for the catalog phase (whole accounts up to N; default 5000: the catalog ingests ~25-60 entities/s on 2 cores, 0 = skip)
  --catalog-changes   services retagged before the catalog's third refresh (default 100)
  --catalog-postgres  a PostgreSQL server URL such as postgresql://postgres@127.0.0.1:5432/postgres: the catalog phase
                      runs on a fresh database there (dropped afterwards) instead of in-memory SQLite, which slows
                      down as it grows (about 30 entities/s past 5,000)
  --timeout    abort the whole run after this many seconds (default 900)`;

interface BenchArgs {
  fleet: FleetOptions;
  /** Phase A's concurrency; 0 shards = every shard at once. */
  baselineShards: number;
  baselineCalls: number;
  warmup: boolean;
  memoryCheck: boolean;
  tune?: Required<ScanOverrides>;
  catalogServices: number;
  catalogChanges: number;
  catalogPostgres?: string;
  timeoutSeconds: number;
}

class UsageError extends Error {}

function parseCli(argv: string[]): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      accounts: { type: 'string', default: '40' },
      regions: { type: 'string', default: '5' },
      clusters: { type: 'string', default: '10' },
      services: { type: 'string', default: '50' },
      seed: { type: 'string', default: '1' },
      clean: { type: 'boolean', default: false },
      'baseline-shards': { type: 'string', default: '16' },
      'baseline-calls': { type: 'string', default: '10' },
      'no-warmup': { type: 'boolean', default: false },
      'no-memory-check': { type: 'boolean', default: false },
      'tune-shards': { type: 'string' },
      'tune-calls': { type: 'string' },
      'tune-rate': { type: 'string' },
      'tune-burst': { type: 'string' },
      'catalog-services': { type: 'string', default: '5000' },
      'catalog-changes': { type: 'string', default: '100' },
      'catalog-postgres': { type: 'string' },
      timeout: { type: 'string', default: '900' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) throw new UsageError('');
  const int = (flag: string, raw: string, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${flag} must be a whole number from ${min} to ${max}, not '${raw}'`);
    return n;
  };
  const positive = (flag: string, raw: string): number => {
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${flag} must be a positive number, not '${raw}'`);
    return n;
  };
  return {
    fleet: {
      accounts: int('accounts', values.accounts, 1),
      regions: int('regions', values.regions, 1, 20),
      clustersPerRegion: int('clusters', values.clusters, 0),
      servicesPerCluster: int('services', values.services, 0),
      seed: int('seed', values.seed, 0),
      messy: !values.clean,
    },
    baselineShards: int('baseline-shards', values['baseline-shards'], 0),
    baselineCalls: int('baseline-calls', values['baseline-calls'], 1),
    warmup: !values['no-warmup'],
    memoryCheck: !values['no-memory-check'],
    tune: ['tune-shards', 'tune-calls', 'tune-rate', 'tune-burst'].some(flag => values[flag as keyof typeof values] !== undefined)
      ? {
          concurrency: {
            shards: int('tune-shards', values['tune-shards'] ?? String(DEFAULT_SCAN_TUNING.concurrency.shards), 1),
            callsPerShard: int('tune-calls', values['tune-calls'] ?? String(DEFAULT_SCAN_TUNING.concurrency.callsPerShard), 1),
          },
          rateLimit: {
            perSecond: positive('tune-rate', values['tune-rate'] ?? String(DEFAULT_SCAN_TUNING.rateLimit.perSecond)),
            burst: int('tune-burst', values['tune-burst'] ?? String(DEFAULT_SCAN_TUNING.rateLimit.burst), 1),
          },
        }
      : undefined,
    catalogServices: int('catalog-services', values['catalog-services'], 0),
    catalogChanges: int('catalog-changes', values['catalog-changes'], 1),
    catalogPostgres: values['catalog-postgres'],
    timeoutSeconds: int('timeout', values.timeout, 1),
  };
}

/** Only the standard AWS variables, pointing at the emulator; nothing from the developer's own setup. */
function pointSdkAt(ready: ReadyMessage): void {
  for (const name of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN', 'AWS_ROLE_SESSION_NAME', 'AWS_DEFAULT_REGION']) {
    delete process.env[name];
  }
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: ready.url,
    AWS_ACCESS_KEY_ID: ready.principal.accessKeyId,
    AWS_SECRET_ACCESS_KEY: ready.principal.secretAccessKey,
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
  });
}

/** Tuning keys of the provider config (same shape as app-config). */
interface ScanOverrides {
  concurrency?: { shards: number; callsPerShard: number };
  rateLimit?: { perSecond: number; burst: number };
}

interface PhaseFigures {
  name: string;
  tuning: ScanTuning;
  wallSeconds: number;
  /** From the emulator: what really reached ECS, throttled calls included. */
  ecsCalls: number;
  ecsByAction: Record<string, number>;
  assumeRoleCalls: number;
  accountsAssumedMoreThanOnce: string[];
  /** Everything that is neither ECS nor AssumeRole (e.g. sts:GetCallerIdentity). */
  otherCalls: Record<string, number>;
  emulatorThrottled: number;
  emulatorErrors: Record<string, number>;
  /** From the scanner's own shard counters. */
  scannerApiCalls: number;
  scannerThrottled: number;
  retries: number;
  credentialRefreshes: number;
  failedShards: Array<{ shard: string; error: string }>;
  servicesFound: number;
  distinctServicesFound: number;
  /** Shards whose service count differs from the fleet's listed services. */
  shardMismatches: Array<{ shard: string; expected: number; found: number }>;
  /** The shard with the most calls over its minimum. */
  worstShard: { shard: string; calls: number; minimum: number; ratio: number };
  /** CPU seconds (user + system) each process spent during the phase. */
  scannerCpuSeconds: number;
  emulatorCpuSeconds: number;
  memory: MemoryReport;
  /** heapUsed after the scan and a full GC, the inventory still referenced, minus the baseline. */
  retainedHeapDelta: number;
}

function sumCounts(record: Record<string, number>, keep: (key: string) => boolean): number {
  let total = 0;
  for (const [k, v] of Object.entries(record)) if (keep(k)) total += v;
  return total;
}

function pick(record: Record<string, number>, keep: (key: string) => boolean): Record<string, number> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => keep(k)).sort(([a], [b]) => (a < b ? -1 : 1)));
}

const isEcs = (action: string) => action.startsWith('ecs:');
const isAssumeRole = (action: string) => action === 'sts:AssumeRole' || action === 'sts:AssumeRoleWithWebIdentity';

async function runPhase(
  name: string,
  emulator: EmulatorChild,
  scanOverrides: ScanOverrides,
  ready: ReadyMessage,
  accountIds: readonly string[] = ready.accountIds,
): Promise<PhaseFigures> {
  const root = new ConfigReader({
    aws: { accountDefaults: { roleName: ROLE_NAME } },
    catalog: { providers: { awsEcs: { bench: { accounts: [...accountIds], regions: ready.regions, ...scanOverrides } } } },
  });
  const [provider] = readProviderConfigs(root);
  if (!provider) throw new Error('no provider config was read');
  // A fresh credentials manager too: phase B must not reuse phase A's sessions.
  const scanner = new EcsScanner(provider, { credentialsManager: createCredentialsManager(root) });
  const emulatorCpu0 = await emulator.resetStats();

  const sampler = new MemorySampler(50);
  let inventory: Inventory | undefined;
  let wallSeconds = 0;
  let scannerCpu: NodeJS.CpuUsage;
  let memory: MemoryReport;
  let retainedHeapDelta = 0;
  try {
    sampler.start();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    inventory = await scanner.scan();
    wallSeconds = (performance.now() - t0) / 1000;
    scannerCpu = process.cpuUsage(cpu0);
  } finally {
    memory = sampler.stop();
    scanner.close();
  }
  if (collectGarbage()) retainedHeapDelta = process.memoryUsage().heapUsed - memory.baseline.heapUsed;
  // Read right after the scan, so the emulator's CPU covers the scan (and the GC above, when it idles).
  const { stats, cpu: emulatorCpu1 } = await emulator.stats();
  const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;
  const cpu = { scanner: cpuSeconds(scannerCpu), emulator: cpuSeconds(emulatorCpu1) - cpuSeconds(emulatorCpu0) };
  const scanned = new Set(accountIds);
  const expected = ready.shards.filter(s => scanned.has(s.accountId));
  return figures(name, provider.tuning, wallSeconds, inventory, stats, expected, memory, retainedHeapDelta, cpu);
}

function figures(
  name: string,
  tuning: ScanTuning,
  wallSeconds: number,
  inventory: Inventory,
  stats: EmulatorStats,
  expected: readonly ShardExpectation[],
  memory: MemoryReport,
  retainedHeapDelta: number,
  cpu: { scanner: number; emulator: number },
): PhaseFigures {
  const found = new Map(inventory.shards.map(s => [shardKey(s.accountId, s.region), s]));
  const shardMismatches: PhaseFigures['shardMismatches'] = [];
  let worstShard = { shard: '', calls: 0, minimum: 0, ratio: 0 };
  for (const shard of expected) {
    const key = shardKey(shard.accountId, shard.region);
    const want = listedServices(shard);
    const got = found.get(key)?.services ?? 0;
    if (want !== got) shardMismatches.push({ shard: key, expected: want, found: got });
    const calls = sumCounts(stats.byScopeAction[key] ?? {}, isEcs);
    const minimum = minimumCalls(shard).total;
    const ratio = calls / minimum;
    if (ratio > worstShard.ratio) worstShard = { shard: key, calls, minimum, ratio };
  }
  const assumed = stats.assumeRole;
  return {
    name,
    tuning,
    wallSeconds,
    ecsCalls: sumCounts(stats.byAction, isEcs),
    ecsByAction: pick(stats.byAction, isEcs),
    assumeRoleCalls: sumCounts(stats.byAction, isAssumeRole),
    accountsAssumedMoreThanOnce: Object.keys(assumed).filter(id => (assumed[id] ?? 0) > 1).sort(),
    otherCalls: pick(stats.byAction, a => !isEcs(a) && !isAssumeRole(a)),
    emulatorThrottled: stats.throttled,
    emulatorErrors: stats.errors,
    scannerApiCalls: inventory.shards.reduce((a, s) => a + s.apiCalls, 0),
    scannerThrottled: inventory.shards.reduce((a, s) => a + s.throttled, 0),
    retries: inventory.shards.reduce((a, s) => a + s.retries, 0),
    credentialRefreshes: inventory.shards.reduce((a, s) => a + s.credentialRefreshes, 0),
    failedShards: inventory.shards
      .filter(s => s.status !== 'ok')
      .map(s => ({ shard: shardKey(s.accountId, s.region), error: s.error ? `${s.error.name}: ${s.error.message}` : 'no error recorded' })),
    servicesFound: inventory.services.length,
    distinctServicesFound: new Set(inventory.services.map(s => s.arn)).size,
    shardMismatches,
    worstShard,
    scannerCpuSeconds: cpu.scanner,
    emulatorCpuSeconds: cpu.emulator,
    memory,
    retainedHeapDelta,
  };
}

interface Evaluation {
  minimum: MinimumCalls;
  callsRatio: number;
  listedServices: number;
  /** Lower bounds from the emulator's buckets on the minimum calls, with the scanner's shard slots. */
  serverBound: ScanBounds;
  /** The same for the scanner's own client-side bucket, for reference. */
  clientPacingBound: ScanBounds;
  wallVsBaseline: number;
  wallVsServerBound: number | null;
  wallVsLowerEstimate: number;
  /** Bytes per service (peak heapUsed delta) at the full fleet over the half fleet; null when not measured. */
  memoryGrowth: number | null;
  targets: Record<string, boolean>;
  pass: boolean;
}

const bytesPerService = (p: PhaseFigures) => (p.memory.peak.heapUsed - p.memory.baseline.heapUsed) / Math.max(1, p.servicesFound);

/** Greedy rate-limit bound of a phase with `slots` shard slots, over the shards it scanned. */
function serverBoundFor(shards: readonly ShardExpectation[], ready: ReadyMessage, slots: number): ScanBounds {
  return scanBounds(shards.map(s => minimumCalls(s).total), ready.defaultRateLimit, slots);
}

function evaluate(b: PhaseFigures, a: PhaseFigures, ready: ReadyMessage, half: PhaseFigures | undefined, catalog: CatalogFigures | undefined): Evaluation {
  const minimum = sumMinimumCalls(ready.shards);
  const listed = ready.shards.reduce((n, s) => n + listedServices(s), 0);
  // Bounds use each shard's *minimum* calls: the least work any scanner must do.
  const perShardMinimum = ready.shards.map(s => minimumCalls(s).total);
  const slots = b.tuning.concurrency.shards;
  const serverBound = scanBounds(perShardMinimum, ready.defaultRateLimit, slots);
  const clientLimit: RateLimitSpec = { burst: b.tuning.rateLimit.burst, perSecond: b.tuning.rateLimit.perSecond };
  const clientPacingBound = scanBounds(perShardMinimum, clientLimit, slots);
  const callsRatio = b.ecsCalls / minimum.total;
  const wallVsServerBound = serverBound.greedySeconds > 0 ? b.wallSeconds / serverBound.greedySeconds : null;
  const accounts = new Set(ready.shards.map(s => s.accountId)).size;
  const memoryGrowth = half ? bytesPerService(b) / Math.max(1, bytesPerService(half)) : null;
  const targets: Record<string, boolean> = {
    noFailedShards: b.failedShards.length === 0,
    servicesMatch: b.servicesFound === listed && b.distinctServicesFound === listed && b.shardMismatches.length === 0,
    callsRatio: callsRatio <= CALLS_RATIO_TARGET,
    assumeRolePerAccount: b.assumeRoleCalls <= accounts,
    wallVsBound: wallVsServerBound === null || wallVsServerBound <= WALL_VS_BOUND_TARGET,
  };
  if (memoryGrowth !== null) targets.memoryGrowth = memoryGrowth <= MEMORY_GROWTH_TARGET;
  if (catalog) {
    targets.catalogAllVisible = !catalog.timedOut && catalog.failedShards === 0;
    targets.catalogUnchangedWritesZero = catalog.second.writes === 0;
    targets.catalogChangedWritesK = catalog.third.writes === catalog.third.k;
  }
  return {
    minimum,
    callsRatio,
    listedServices: listed,
    serverBound,
    clientPacingBound,
    wallVsBaseline: b.wallSeconds / a.wallSeconds,
    wallVsServerBound,
    // Neither the limits nor the raw cost of the calls can be beaten, so neither can their max.
    wallVsLowerEstimate: b.wallSeconds / Math.max(a.wallSeconds, serverBound.greedySeconds),
    memoryGrowth,
    targets,
    pass: Object.values(targets).every(Boolean),
  };
}

const MB = 1024 * 1024;
const fmtInt = (n: number) => n.toLocaleString('en-US');
const fmtS = (s: number) => `${s.toFixed(2)} s`;
const fmtMs = (seconds: number, calls: number) => `${((seconds * 1000) / Math.max(1, calls)).toFixed(2)} ms`;
const fmtMB = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
const fmtX = (r: number | null) => (r === null ? 'n/a (bound is 0)' : `${r.toFixed(2)}x`);
const mark = (ok: boolean) => (ok ? 'OK' : 'MISSED');

interface Extras {
  half?: PhaseFigures;
  /** `pacing`: the bound of the scanner's own bucket at phase C's tuning. */
  tuned?: { figures: PhaseFigures; bound: ScanBounds; pacing: ScanBounds };
  catalog?: CatalogFigures;
}

function render(args: BenchArgs, ready: ReadyMessage, a: PhaseFigures, b: PhaseFigures, e: Evaluation, x: Extras): string {
  const f = args.fleet;
  const t = b.tuning;
  const heapPeak = b.memory.peak.heapUsed - b.memory.baseline.heapUsed;
  const rssPeak = b.memory.peak.rss - b.memory.baseline.rss;
  const lines = [
    '',
    `=== ECS scan benchmark: phase B (emulator ECS limits burst ${ready.defaultRateLimit.burst}, ${ready.defaultRateLimit.perSecond}/s; DEFAULT_SCAN_TUNING) ===`,
    `fleet          ${f.messy ? 'messy' : 'clean'} seed ${f.seed}: ${f.accounts} accounts x ${f.regions} regions x ${f.clustersPerRegion} clusters x ${f.servicesPerCluster} services` +
      ` = ${fmtInt(ready.fleetServices)} services, ${fmtInt(e.listedServices)} listed (ACTIVE+DRAINING), ${ready.shards.length} shards`,
    `scanner        ${t.concurrency.shards} shards at once, ${t.concurrency.callsPerShard} calls/shard, pacing ${t.rateLimit.perSecond}/s burst ${t.rateLimit.burst}, ${t.retry.maxAttempts} attempts`,
    '',
    `ECS calls      ${fmtInt(b.ecsCalls)} made vs ${fmtInt(e.minimum.total)} minimum = ${e.callsRatio.toFixed(3)}x (target <= ${CALLS_RATIO_TARGET})  ${mark(e.targets.callsRatio)}`,
    `  by action    ${Object.entries(b.ecsByAction).map(([k, v]) => `${k.slice(4)} ${fmtInt(v)}`).join(', ')}`,
    `  minimum      ListClusters ${fmtInt(e.minimum.listClusters)}, ListServices ${fmtInt(e.minimum.listServices)}, DescribeServices ${fmtInt(e.minimum.describeServices)}`,
    `  worst shard  ${b.worstShard.shard}: ${b.worstShard.calls} calls vs ${b.worstShard.minimum} minimum (${b.worstShard.ratio.toFixed(3)}x)`,
    `  scanner says ${fmtInt(b.scannerApiCalls)} calls, ${fmtInt(b.scannerThrottled)} throttled`,
    `AssumeRole     ${b.assumeRoleCalls} calls for ${f.accounts} accounts (target <= 1 per account)  ${mark(e.targets.assumeRolePerAccount)}${b.accountsAssumedMoreThanOnce.length ? ` (more than once: ${b.accountsAssumedMoreThanOnce.join(', ')})` : ''}` +
      `; credential fetches after expiry: ${b.credentialRefreshes}`,
    `other calls    ${Object.entries(b.otherCalls).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`,
    '',
    `wall time      ${fmtS(b.wallSeconds)} = ${fmtX(e.wallVsServerBound)} the rate-limit bound (target <= ${WALL_VS_BOUND_TARGET}x)  ${mark(e.targets.wallVsBound)}` +
      `; ${fmtX(e.wallVsBaseline)} the unthrottled baseline`,
    `  baseline A   ${fmtS(a.wallSeconds)} (no limits, ${a.tuning.concurrency.shards} shards x ${a.tuning.concurrency.callsPerShard} calls at once)  -> B is ${fmtX(e.wallVsBaseline)}`,
    `  rate bound   ${fmtS(e.serverBound.greedySeconds)} with ${t.concurrency.shards} shard slots (greedy), ${fmtS(e.serverBound.fullyParallelSeconds)} fully parallel  -> B is ${fmtX(e.wallVsServerBound)}`,
    `  max(A,bound) ${fmtS(Math.max(a.wallSeconds, e.serverBound.greedySeconds))}  -> B is ${fmtX(e.wallVsLowerEstimate)}`,
    `  own pacing   ${fmtS(e.clientPacingBound.greedySeconds)} (the scanner's bucket alone, ${t.concurrency.shards} slots; ${fmtS(e.clientPacingBound.fullyParallelSeconds)} fully parallel)` +
      (e.serverBound.greedySeconds > 0 ? `  = ${fmtX(e.clientPacingBound.greedySeconds / e.serverBound.greedySeconds)} the rate bound, a floor for B` : ''),
    `  CPU          B: scanner ${fmtS(b.scannerCpuSeconds)} (${fmtMs(b.scannerCpuSeconds, b.ecsCalls)}/call), emulator ${fmtS(b.emulatorCpuSeconds)} (${fmtMs(b.emulatorCpuSeconds, b.ecsCalls)}/call);` +
      ` A: scanner ${fmtS(a.scannerCpuSeconds)}, emulator ${fmtS(a.emulatorCpuSeconds)}`,
    '',
    `throttled      ${fmtInt(b.emulatorThrottled)} (emulator), retries ${fmtInt(b.retries)}`,
    `errors         ${Object.entries(b.emulatorErrors).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`,
    `failed shards  ${b.failedShards.length}  ${mark(e.targets.noFailedShards)}`,
    ...b.failedShards.slice(0, 10).map(s => `  ${s.shard}: ${s.error}`),
    `services       ${fmtInt(b.servicesFound)} found (${fmtInt(b.distinctServicesFound)} distinct) vs ${fmtInt(e.listedServices)} listed  ${mark(e.targets.servicesMatch)}`,
    ...b.shardMismatches.slice(0, 10).map(m => `  ${m.shard}: found ${m.found}, listed ${m.expected}`),
    '',
    `memory         peak heapUsed +${fmtMB(heapPeak)} = ${fmtInt(Math.round(heapPeak / Math.max(1, b.servicesFound)))} bytes/service;` +
      ` peak rss +${fmtMB(rssPeak)}; retained after GC +${fmtMB(b.retainedHeapDelta)}` +
      ` (${fmtInt(Math.round(b.retainedHeapDelta / Math.max(1, b.servicesFound)))} bytes/service)`,
    `  baseline     heapUsed ${fmtMB(b.memory.baseline.heapUsed)}, rss ${fmtMB(b.memory.baseline.rss)} after GC; ${b.memory.samples} samples every 50 ms` +
      (b.memory.gcAvailable ? '' : ' (WARNING: no global.gc, run with node --expose-gc: figures include garbage)'),
    ...(x.half
      ? [
          `  growth       half fleet (B/2, ${fmtInt(x.half.servicesFound)} services, ${fmtS(x.half.wallSeconds)}): peak heapUsed +${fmtMB(x.half.memory.peak.heapUsed - x.half.memory.baseline.heapUsed)}` +
            ` = ${fmtInt(Math.round(bytesPerService(x.half)))} bytes/service; full ${fmtInt(Math.round(bytesPerService(b)))} bytes/service` +
            ` -> ratio ${(e.memoryGrowth ?? 0).toFixed(2)} (target <= ${MEMORY_GROWTH_TARGET})  ${mark(e.targets.memoryGrowth ?? true)}`,
          `               B/2: ${fmtInt(x.half.ecsCalls)} ECS calls, ${x.half.emulatorThrottled} throttled, ${x.half.failedShards.length} failed shards, ` +
            `scanner CPU ${fmtS(x.half.scannerCpuSeconds)} (${fmtMs(x.half.scannerCpuSeconds, x.half.ecsCalls)}/call)`,
        ]
      : []),
    '',
    `phase A        ${fmtInt(a.ecsCalls)} ECS calls, ${a.emulatorThrottled} throttled, ${a.failedShards.length} failed shards, ${fmtInt(a.servicesFound)} services, peak heapUsed +${fmtMB(a.memory.peak.heapUsed - a.memory.baseline.heapUsed)}`,
    ...(x.tuned ? renderTuned(x.tuned.figures, x.tuned.bound, x.tuned.pacing, b) : []),
    ...(x.catalog ? renderCatalog(x.catalog, args) : []),
    `result         ${e.pass ? 'PASS' : `FAIL (missed: ${Object.keys(e.targets).filter(k => !e.targets[k]).join(', ')})`}`,
  ];
  return lines.join('\n');
}

function renderTuned(c: PhaseFigures, bound: ScanBounds, pacing: ScanBounds, b: PhaseFigures): string[] {
  const t = c.tuning;
  return [
    `phase C        B with concurrency.shards ${t.concurrency.shards}, callsPerShard ${t.concurrency.callsPerShard} (pacing ${t.rateLimit.perSecond}/s burst ${t.rateLimit.burst}; not a target):`,
    `               wall ${fmtS(c.wallSeconds)} vs its bound ${fmtS(bound.greedySeconds)} = ${fmtX(bound.greedySeconds > 0 ? c.wallSeconds / bound.greedySeconds : null)}` +
      ` (B: ${fmtS(b.wallSeconds)}); ${fmtInt(c.ecsCalls)} ECS calls, ${c.emulatorThrottled} throttled, ${c.retries} retries, ${c.failedShards.length} failed shards;` +
      ` scanner CPU ${fmtS(c.scannerCpuSeconds)} (${fmtMs(c.scannerCpuSeconds, c.ecsCalls)}/call, ${((100 * c.scannerCpuSeconds) / Math.max(1e-9, c.wallSeconds)).toFixed(0)}% of one core)`,
    `               own pacing ${fmtS(pacing.greedySeconds)} = ${fmtX(bound.greedySeconds > 0 ? pacing.greedySeconds / bound.greedySeconds : null)} its bound`,
    '',
  ];
}

function renderCatalog(c: CatalogFigures, args: BenchArgs): string[] {
  const reduced = c.services < args.fleet.accounts * args.fleet.regions * args.fleet.clustersPerRegion * args.fleet.servicesPerCluster * 0.9;
  return [
    `=== catalog phase: real catalog backend (${c.database === 'postgres' ? 'PostgreSQL' : 'in-memory SQLite'}) + provider, ${c.accounts} accounts = ${fmtInt(c.services)} services${reduced ? ' (NOTE: a subset of the fleet, --catalog-services)' : ''} ===`,
    `visible        ${fmtInt(c.visibleCount)} of ${fmtInt(c.entities)} entities after ${fmtS(c.visibleSeconds)} from the first refresh()` +
      ` (refresh ${fmtS(c.firstRefreshSeconds)}, catalog processing after it ${fmtS(c.processingSeconds)})${c.timedOut ? '  TIMED OUT' : ''}  ${mark(!c.timedOut && c.failedShards === 0)}`,
    `throughput     ${fmtInt(Math.round(c.entitiesPerSecond))} entities/s end to end; ${fmtInt(Math.round(c.entities / Math.max(1e-9, c.processingSeconds)))} entities/s for the catalog after the mutation`,
    `unchanged      2nd refresh() wrote ${c.second.writes} (added ${c.second.summary.added}, changed ${c.second.summary.changed}, removed ${c.second.summary.removed}) in ${fmtS(c.second.seconds)} (target 0)  ${mark(c.second.writes === 0)}`,
    `k changed      3rd refresh() after retagging ${c.third.k} services wrote ${c.third.writes} (added ${c.third.summary.added}, changed ${c.third.summary.changed}, removed ${c.third.summary.removed})` +
      ` in ${fmtS(c.third.seconds)} (target ${c.third.k})  ${mark(c.third.writes === c.third.k)}; ${c.third.visibleCount} changes visible after ${fmtS(c.third.visibleSeconds)}`,
    `memory         peak rss ${fmtMB(c.peakRssMB * MB)} during the catalog phase`,
    '',
  ];
}

function jsonLine(args: BenchArgs, ready: ReadyMessage, a: PhaseFigures, b: PhaseFigures, e: Evaluation, x: Extras): string {
  const phase = (p: PhaseFigures) => ({
    wallSeconds: round(p.wallSeconds, 3),
    ecsCalls: p.ecsCalls,
    ecsByAction: p.ecsByAction,
    assumeRoleCalls: p.assumeRoleCalls,
    otherCalls: p.otherCalls,
    throttled: p.emulatorThrottled,
    errors: p.emulatorErrors,
    scannerApiCalls: p.scannerApiCalls,
    scannerThrottled: p.scannerThrottled,
    retries: p.retries,
    credentialRefreshes: p.credentialRefreshes,
    failedShards: p.failedShards.length,
    failedShardErrors: p.failedShards.slice(0, 10),
    servicesFound: p.servicesFound,
    distinctServicesFound: p.distinctServicesFound,
    shardMismatches: p.shardMismatches.length,
    worstShard: { ...p.worstShard, ratio: round(p.worstShard.ratio, 4) },
    scannerCpuSeconds: round(p.scannerCpuSeconds, 3),
    emulatorCpuSeconds: round(p.emulatorCpuSeconds, 3),
    scannerCpuMsPerCall: round((1000 * p.scannerCpuSeconds) / Math.max(1, p.ecsCalls), 3),
    emulatorCpuMsPerCall: round((1000 * p.emulatorCpuSeconds) / Math.max(1, p.ecsCalls), 3),
    peakHeapUsedDelta: p.memory.peak.heapUsed - p.memory.baseline.heapUsed,
    peakRssDelta: p.memory.peak.rss - p.memory.baseline.rss,
    retainedHeapDelta: p.retainedHeapDelta,
    bytesPerService: Math.round((p.memory.peak.heapUsed - p.memory.baseline.heapUsed) / Math.max(1, p.servicesFound)),
    baselineHeapUsed: p.memory.baseline.heapUsed,
    baselineRss: p.memory.baseline.rss,
    gcAvailable: p.memory.gcAvailable,
    tuning: p.tuning,
  });
  const out = {
    fleet: { ...args.fleet, shards: ready.shards.length, services: ready.fleetServices, listedServices: e.listedServices },
    rateLimit: ready.defaultRateLimit,
    minimumCalls: e.minimum,
    callsRatio: round(e.callsRatio, 4),
    bounds: {
      serverGreedySeconds: round(e.serverBound.greedySeconds, 3),
      serverFullyParallelSeconds: round(e.serverBound.fullyParallelSeconds, 3),
      clientPacingGreedySeconds: round(e.clientPacingBound.greedySeconds, 3),
      clientPacingFullyParallelSeconds: round(e.clientPacingBound.fullyParallelSeconds, 3),
    },
    ratios: {
      wallVsBaseline: round(e.wallVsBaseline, 3),
      wallVsServerBound: e.wallVsServerBound === null ? null : round(e.wallVsServerBound, 3),
      wallVsMaxOfBaselineAndBound: round(e.wallVsLowerEstimate, 3),
    },
    memoryGrowth: e.memoryGrowth === null ? null : round(e.memoryGrowth, 3),
    phaseA: phase(a),
    phaseB: phase(b),
    phaseHalf: x.half ? phase(x.half) : null,
    phaseC: x.tuned
      ? {
          ...phase(x.tuned.figures),
          boundGreedySeconds: round(x.tuned.bound.greedySeconds, 3),
          clientPacingGreedySeconds: round(x.tuned.pacing.greedySeconds, 3),
        }
      : null,
    catalog: x.catalog ?? null,
    targets: e.targets,
    pass: e.pass,
  };
  return `BENCH_JSON ${JSON.stringify(out)}`;
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function warmupAccounts(ready: ReadyMessage): string[] {
  const callsByAccount = new Map<string, number>();
  for (const shard of ready.shards) callsByAccount.set(shard.accountId, (callsByAccount.get(shard.accountId) ?? 0) + minimumCalls(shard).total);
  const accounts: string[] = [];
  let calls = 0;
  for (const id of ready.accountIds) {
    if (calls >= WARMUP_CALLS) break;
    accounts.push(id);
    calls += callsByAccount.get(id) ?? 0;
  }
  return accounts;
}

async function main(argv: string[]): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseCli(argv);
  } catch (error) {
    const message = (error as Error).message;
    console.error(message ? `${message}\n${USAGE}` : USAGE);
    return message ? 2 : 0;
  }

  let emulator: EmulatorChild | undefined;
  const watchdog = setTimeout(() => {
    console.error(`bench: still running after ${args.timeoutSeconds} s, giving up`);
    emulator?.kill();
    process.exit(2);
  }, args.timeoutSeconds * 1000);
  watchdog.unref();
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`bench: ${signal}, stopping`);
    emulator?.kill();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const f = args.fleet;
    console.log(
      `bench: generating a ${f.messy ? 'messy' : 'clean'} fleet (${f.accounts} accounts x ${f.regions} regions x ${f.clustersPerRegion} clusters x ${f.servicesPerCluster} services, seed ${f.seed}) in the emulator process...`,
    );
    emulator = await EmulatorChild.start(args.fleet, 60_000);
    const ready = emulator.ready;
    pointSdkAt(ready);
    console.log(`bench: emulator at ${ready.url} (fleet generated in ${ready.generateMs.toFixed(0)} ms), ${ready.shards.length} shards`);

    // Phase A: the raw cost of the calls: no server limit, pacing off, more concurrency than B.
    await emulator.setRateLimit(false);
    const huge = 1_000_000_000;
    const unlimited: ScanOverrides = {
      concurrency: { shards: Math.min(ready.shards.length, args.baselineShards || ready.shards.length), callsPerShard: args.baselineCalls },
      rateLimit: { perSecond: huge, burst: huge },
    };
    if (args.warmup) {
      // Unmeasured: loads the SDK's lazily required modules and lets V8 optimise the hot paths.
      // Without it phase A pays for all of that (measured: ~15-30% more scanner CPU than B).
      const accounts = warmupAccounts(ready);
      const w = await runPhase('warm-up', emulator, unlimited, ready, accounts);
      console.log(`bench: warm-up ${fmtS(w.wallSeconds)}, ${fmtInt(w.ecsCalls)} ECS calls (${accounts.length} accounts, not measured)`);
    }
    const a = await runPhase('A', emulator, unlimited, ready);
    console.log(`bench: phase A (baseline) ${fmtS(a.wallSeconds)}, ${fmtInt(a.ecsCalls)} ECS calls, ${a.failedShards.length} failed shards`);
    if (a.failedShards.length > 0 || a.servicesFound !== a.distinctServicesFound) {
      console.log(`bench: WARNING phase A was not clean (${a.failedShards[0]?.error ?? 'duplicate services'}); its time is a poor baseline`);
    }

    const x: Extras = {};
    // Phase B/2: B on the first half of the accounts, for bytes per service at half the size.
    if (args.memoryCheck && ready.accountIds.length >= 2) {
      await emulator.setRateLimit(true);
      x.half = await runPhase('B/2', emulator, {}, ready, ready.accountIds.slice(0, Math.floor(ready.accountIds.length / 2)));
      console.log(`bench: phase B/2 (half the accounts) ${fmtS(x.half.wallSeconds)}, ${fmtInt(x.half.ecsCalls)} ECS calls, ${x.half.failedShards.length} failed shards`);
    }

    // Phase B: ECS-like limits (buckets start full) and the package's defaults.
    await emulator.setRateLimit(true);
    const b = await runPhase('B', emulator, {}, ready);
    if (JSON.stringify(b.tuning) !== JSON.stringify(DEFAULT_SCAN_TUNING)) throw new Error('phase B did not run with DEFAULT_SCAN_TUNING');
    console.log(`bench: phase B ${fmtS(b.wallSeconds)}, ${fmtInt(b.ecsCalls)} ECS calls, ${b.failedShards.length} failed shards`);

    // Phase C: B with other concurrency, to measure a proposed default.
    if (args.tune) {
      await emulator.setRateLimit(true);
      const figures = await runPhase('C', emulator, args.tune, ready);
      x.tuned = {
        figures,
        bound: serverBoundFor(ready.shards, ready, args.tune.concurrency.shards),
        pacing: scanBounds(ready.shards.map(s => minimumCalls(s).total), args.tune.rateLimit, args.tune.concurrency.shards),
      };
      console.log(`bench: phase C ${fmtS(figures.wallSeconds)}, ${fmtInt(figures.ecsCalls)} ECS calls, ${figures.failedShards.length} failed shards`);
    }

    // Catalog phase: the first accounts until --catalog-services listed services, default limits.
    if (args.catalogServices > 0) {
      const accounts: string[] = [];
      let services = 0;
      // Whole accounts, as many as fit in --catalog-services (at least one).
      for (const id of ready.accountIds) {
        const more = ready.shards.filter(s => s.accountId === id).reduce((n, s) => n + listedServices(s), 0);
        if (accounts.length > 0 && services + more > args.catalogServices) break;
        accounts.push(id);
        services += more;
      }
      await emulator.setRateLimit(true);
      console.log(`bench: catalog phase: starting a catalog backend (${args.catalogPostgres ? 'PostgreSQL' : 'in-memory SQLite'}) with the provider on ${accounts.length} accounts (${fmtInt(services)} listed services)...`);
      x.catalog = await runCatalogPhase({
        emulator,
        accountIds: accounts,
        regions: ready.regions,
        roleName: ROLE_NAME,
        changeCount: args.catalogChanges,
        visibleTimeoutMs: Math.max(60_000, args.timeoutSeconds * 1000 * 0.5),
        postgresUrl: args.catalogPostgres,
        log: line => console.log(line),
      });
    }

    const e = evaluate(b, a, ready, x.half, x.catalog);
    console.log(render(args, ready, a, b, e, x));
    console.log(jsonLine(args, ready, a, b, e, x));
    return e.pass ? 0 : 1;
  } finally {
    await emulator?.stop();
    clearTimeout(watchdog);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    code => process.exit(code),
    error => {
      console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exit(2);
    },
  );
}
