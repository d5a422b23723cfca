/**
 * Scan benchmark: how many ECS calls, how much wall time and how much memory a
 * full scan of a synthetic fleet costs, under ECS's rate limits, while a
 * deploy pipeline polls DescribeServices in every account and region.
 *
 *   npm run bench                                  # 5 accounts x 4 regions x 10 clusters x 320 services (64,000; ~3,040 listed per shard)
 *   npm run bench -- --accounts 4 --regions 2 --clusters 3 --services 120
 *
 * The loopback emulator runs in a child process (emulatorProcess.ts), so it and
 * the scanner each have a core and the memory figures are the scanner's alone.
 *
 * Phase A (baseline): emulator rate limit off, scanner pacing off and high
 * concurrency: the pure CPU and network cost of the calls.
 * Phase B (the measurement): the emulator's ECS limits (buckets per account,
 * region and category: cluster reads burst 50, 20/s; service reads burst 100,
 * 20/s) and the package's DEFAULT_SCAN_TUNING, with the emulator's deploy
 * pipeline polling DescribeServices at --pipeline-rate calls a second in
 * every account and region, on the same service-reads buckets.
 *
 * Phase B/2 (memory growth): the same as B on the first half of the accounts,
 * run before B, so bytes per service can be compared at two fleet sizes.
 * Phase C (optional, --tune-budget/--tune-shards/--tune-calls/--tune-rate/--tune-burst):
 * B with another budget, concurrency or pacing, to measure what a different default would do.
 * Catalog phase (catalog.ts): a real catalog backend on in-memory SQLite with
 * the provider, on the first shards up to --catalog-services services, run
 * twice: without and with the module's claims processor.
 *
 * Prints a readable block and a final `BENCH_JSON {...}` line.
 * Exit code: 0 all targets met, 1 a target missed (failed shards, services
 * found differing from the fleet's listed services, ECS calls above the
 * minimum, more than one AssumeRole per account, a throttled call of the
 * deploy pipeline, wall time above 1.25x the larger of the budget's bound and
 * the unthrottled baseline, bytes per service growing more than 1.2x with the
 * fleet, catalog writes on an unchanged or k-changed fleet not 0 / k, the
 * catalog ingesting below 0.95x its rate without the processor), 2 the
 * benchmark itself failed.
 */
import { ConfigReader } from '@backstage/config';
import { parseArgs } from 'node:util';
import { createCredentialsManager } from '../../src/config/awsConfig';
import { readProviderConfigs } from '../../src/config/providerConfig';
import { DEFAULT_SCAN_TUNING } from '../../src/config/scanConfig';
import { budgetBuckets } from '../../src/scan/ecsThrottling';
import type { ScanTuning } from '../../src/scan/scanScope';
import { shardConcurrency } from '../../src/scan/shardConcurrency';
import type { EmulatorStats } from '../emulator/emulator';
import { shardKey, type Inventory } from '../../src/scan/inventory';
import { EcsScanner } from '../../src/scan/scanner';
import { categoryScanBounds, type CategoryLimits, type ScanBounds } from './bounds';
import { EmulatorChild } from './emulatorChild';
import { listedServices, minimumCalls, minimumCallsByCategory, sumMinimumCalls, type MinimumCalls, type ShardExpectation } from './expectations';
import type { FleetOptions, ReadyMessage } from './ipc';
import { collectGarbage, MemorySampler, type MemoryReport } from './memorySampler';
import { runCatalogPhase, type CatalogFigures } from './catalog';

const ROLE_NAME = 'backstage-ecs-read';
/** ECS calls may not exceed the minimum the fleet needs. */
const CALLS_RATIO_TARGET = 1.0;
/** Wall time within this factor of the larger of the budget's bound (all shards in parallel) and the unthrottled baseline. */
const WALL_VS_BOUND_TARGET = 1.25;
/** The deploy pipeline's calls per second per account and region in the rate-limited phases. */
const PIPELINE_RATE = 5;
/** Catalog entities per second with the claims processor over without it. */
const PROCESSOR_COST_TARGET = 0.95;
/** Bytes per service at the full fleet over bytes per service at half of it. */
const MEMORY_GROWTH_TARGET = 1.2;
/** The warm-up scans leading accounts until their shards need this many calls (about one default-size scan). */
const WARMUP_CALLS = 2500;
const USAGE = `usage: npm run bench -- [--accounts N] [--regions N] [--clusters N] [--services N] [--seed N] [--clean]
       [--baseline-shards N] [--baseline-calls N] [--no-warmup] [--no-memory-check] [--pipeline-rate N]
       [--tune-budget F] [--tune-shards N] [--tune-calls N] [--tune-rate N] [--tune-burst N]
       [--catalog-services N] [--catalog-changes K] [--catalog-postgres URL] [--timeout SECONDS]
  --accounts   accounts in the fleet (default 5)
  --regions    regions per account, 1..20 (default 4)
  --clusters   clusters per region (default 10)
  --services   services per cluster (default 320; messy fleets list ~95% of them)
  --seed       fleet generator seed (default 1)
  --clean      a tidy fleet (every service ACTIVE) instead of the messy default
  --baseline-shards  phase A shards at once, 0 = all (default 16)
  --baseline-calls   phase A calls in flight per shard (default 10)
  --no-warmup  skip the unmeasured warm-up scan before phase A
  --no-memory-check  skip phase B/2 (half the accounts) and the bytes-per-service growth check
  --pipeline-rate    the deploy pipeline's DescribeServices calls per second per account and region (default ${PIPELINE_RATE}; 0 = none)
  --tune-budget      also run phase C: B with this rateBudget (not a target)
  --tune-shards, --tune-calls  phase C with this concurrency.shards / callsPerShard (not a target)
  --tune-rate, --tune-burst    phase C with an explicit rateLimit.perSecond / burst (one bucket per shard; not a target)
  --catalog-services  services for the catalog phase (whole shards up to N, at least one; default 3000: the catalog ingests ~25-90 entities/s on 2 cores, 0 = skip);
                      it runs twice, without and with the claims processor
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
  pipelineRate: number;
  tune?: ScanOverrides;
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
      accounts: { type: 'string', default: '5' },
      regions: { type: 'string', default: '4' },
      clusters: { type: 'string', default: '10' },
      services: { type: 'string', default: '320' },
      seed: { type: 'string', default: '1' },
      clean: { type: 'boolean', default: false },
      'baseline-shards': { type: 'string', default: '16' },
      'baseline-calls': { type: 'string', default: '10' },
      'no-warmup': { type: 'boolean', default: false },
      'no-memory-check': { type: 'boolean', default: false },
      'pipeline-rate': { type: 'string', default: String(PIPELINE_RATE) },
      'tune-budget': { type: 'string' },
      'tune-shards': { type: 'string' },
      'tune-calls': { type: 'string' },
      'tune-rate': { type: 'string' },
      'tune-burst': { type: 'string' },
      'catalog-services': { type: 'string', default: '3000' },
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
    pipelineRate: values['pipeline-rate'] === '0' ? 0 : positive('pipeline-rate', values['pipeline-rate']),
    tune: tuneOverrides(values, int, positive),
    catalogServices: int('catalog-services', values['catalog-services'], 0),
    catalogChanges: int('catalog-changes', values['catalog-changes'], 1),
    catalogPostgres: values['catalog-postgres'],
    timeoutSeconds: int('timeout', values.timeout, 1),
  };
}

function tuneOverrides(
  values: Record<string, string | boolean | undefined>,
  int: (flag: string, raw: string, min: number) => number,
  positive: (flag: string, raw: string) => number,
): ScanOverrides | undefined {
  const given = (flag: string) => typeof values[flag] === 'string';
  if (!['tune-budget', 'tune-shards', 'tune-calls', 'tune-rate', 'tune-burst'].some(given)) return undefined;
  const tune: ScanOverrides = {};
  if (given('tune-shards') || given('tune-calls')) {
    tune.concurrency = {
      shards: given('tune-shards') ? int('tune-shards', values['tune-shards'] as string, 1) : DEFAULT_SCAN_TUNING.concurrency.shards,
      callsPerShard: given('tune-calls') ? int('tune-calls', values['tune-calls'] as string, 1) : DEFAULT_SCAN_TUNING.concurrency.callsPerShard,
    };
  }
  if (given('tune-rate') || given('tune-burst')) {
    tune.rateLimit = {
      perSecond: given('tune-rate') ? positive('tune-rate', values['tune-rate'] as string) : 19,
      burst: given('tune-burst') ? int('tune-burst', values['tune-burst'] as string, 1) : 49,
    };
  } else if (given('tune-budget')) {
    const budget = positive('tune-budget', values['tune-budget'] as string);
    if (budget > 1) throw new UsageError(`--tune-budget must be greater than 0 and at most 1, not '${values['tune-budget']}'`);
    tune.rateBudget = budget;
  }
  return tune;
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
  concurrency?: { shards: number | 'auto'; callsPerShard: number };
  rateBudget?: number;
  rateLimit?: { perSecond: number; burst: number };
}

interface PhaseFigures {
  name: string;
  tuning: ScanTuning;
  /** Shards the scanner ran at once (concurrency.shards resolved). */
  shardSlots: number;
  wallSeconds: number;
  /** The emulator's deploy pipeline during the scan: DescribeServices calls and how many were throttled. */
  pipeline: { callsPerSecond: number; calls: number; throttled: number; shardsThrottled: number };
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
  pipelineRate = 0,
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
  // From before the scan's first call until after its last: the pipeline sees the whole scan.
  if (pipelineRate > 0) await emulator.setDeployPipeline(pipelineRate);

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
    if (pipelineRate > 0) await emulator.setDeployPipeline(0);
  }
  if (collectGarbage()) retainedHeapDelta = process.memoryUsage().heapUsed - memory.baseline.heapUsed;
  // Read right after the scan, so the emulator's CPU covers the scan (and the GC above, when it idles).
  const { stats, cpu: emulatorCpu1 } = await emulator.stats();
  const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;
  const cpu = { scanner: cpuSeconds(scannerCpu), emulator: cpuSeconds(emulatorCpu1) - cpuSeconds(emulatorCpu0) };
  const scanned = new Set(accountIds);
  const expected = ready.shards.filter(s => scanned.has(s.accountId));
  const scannedShards = expected.length;
  const p = stats.deployPipeline;
  const pipeline = {
    callsPerSecond: pipelineRate,
    calls: p.calls,
    throttled: p.throttled,
    shardsThrottled: Object.values(p.byScope).filter(s => s.throttled > 0).length,
  };
  return figures(name, provider.tuning, shardConcurrency(provider.tuning, scannedShards), pipeline, wallSeconds, inventory, stats, expected, memory, retainedHeapDelta, cpu);
}

function figures(
  name: string,
  tuning: ScanTuning,
  shardSlots: number,
  pipeline: PhaseFigures['pipeline'],
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
    shardSlots,
    pipeline,
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
  /** Lower bounds of phase B's budget (its share of each of ECS's buckets per shard) on the minimum calls. */
  budgetBound: ScanBounds;
  /** The same for ECS's whole buckets, for reference: what a scan taking everything could reach. */
  serverBound: ScanBounds;
  wallVsBaseline: number;
  wallVsBudgetBound: number | null;
  /** Wall time over max(budget bound with every shard in parallel, baseline A): the target. */
  wallVsLowerEstimate: number;
  /** Bytes per service (peak heapUsed delta) at the full fleet over the half fleet; null when not measured. */
  memoryGrowth: number | null;
  /** Catalog entities per second with the claims processor over without it; null when not measured. */
  processorCost: number | null;
  targets: Record<string, boolean>;
  pass: boolean;
}

const bytesPerService = (p: PhaseFigures) => (p.memory.peak.heapUsed - p.memory.baseline.heapUsed) / Math.max(1, p.servicesFound);

/** A phase's pacing by category: its budget, or its one explicit bucket for every category. */
function pacingLimits(tuning: ScanTuning): CategoryLimits {
  if (tuning.rateLimit) return { clusterReads: tuning.rateLimit, serviceReads: tuning.rateLimit };
  const budget = budgetBuckets(tuning.rateBudget);
  return { clusterReads: budget.clusterReads, serviceReads: budget.serviceReads };
}

function pacingBoundFor(shards: readonly ShardExpectation[], tuning: ScanTuning, slots: number): ScanBounds {
  return categoryScanBounds(shards.map(minimumCallsByCategory), pacingLimits(tuning), slots);
}

function evaluate(b: PhaseFigures, a: PhaseFigures, ready: ReadyMessage, half: PhaseFigures | undefined, catalog: CatalogComparison | undefined): Evaluation {
  const minimum = sumMinimumCalls(ready.shards);
  const listed = ready.shards.reduce((n, s) => n + listedServices(s), 0);
  // Bounds use each shard's *minimum* calls: the least work any scanner must do.
  const budgetBound = pacingBoundFor(ready.shards, b.tuning, b.shardSlots);
  const serverBound = categoryScanBounds(ready.shards.map(minimumCallsByCategory), ready.ecsLimits, ready.shards.length);
  const callsRatio = b.ecsCalls / minimum.total;
  const accounts = new Set(ready.shards.map(s => s.accountId)).size;
  const memoryGrowth = half ? bytesPerService(b) / Math.max(1, bytesPerService(half)) : null;
  // Neither the budget nor the raw cost of the calls can be beaten, so neither can their max.
  const lowerEstimate = Math.max(a.wallSeconds, budgetBound.fullyParallelSeconds);
  const wallVsLowerEstimate = b.wallSeconds / lowerEstimate;
  const processorCost = catalog ? catalogRate(catalog.withProcessor) / Math.max(1e-9, catalogRate(catalog.withoutProcessor)) : null;
  const targets: Record<string, boolean> = {
    noFailedShards: b.failedShards.length === 0,
    servicesMatch: b.servicesFound === listed && b.distinctServicesFound === listed && b.shardMismatches.length === 0,
    callsRatio: callsRatio <= CALLS_RATIO_TARGET,
    assumeRolePerAccount: b.assumeRoleCalls <= accounts,
    pipelineNotThrottled: b.pipeline.throttled === 0,
    wallVsBound: wallVsLowerEstimate <= WALL_VS_BOUND_TARGET,
  };
  if (memoryGrowth !== null) targets.memoryGrowth = memoryGrowth <= MEMORY_GROWTH_TARGET;
  if (catalog) {
    const runs = [...catalog.withoutProcessor, ...catalog.withProcessor];
    targets.catalogAllVisible = runs.every(c => !c.timedOut && c.failedShards === 0);
    targets.catalogUnchangedWritesZero = runs.every(c => c.second.writes === 0);
    targets.catalogChangedWritesK = runs.every(c => c.third.writes === c.third.k);
    targets.processorCost = processorCost !== null && processorCost >= PROCESSOR_COST_TARGET;
  }
  return {
    minimum,
    callsRatio,
    listedServices: listed,
    budgetBound,
    serverBound,
    wallVsBaseline: b.wallSeconds / a.wallSeconds,
    wallVsBudgetBound: budgetBound.fullyParallelSeconds > 0 ? b.wallSeconds / budgetBound.fullyParallelSeconds : null,
    wallVsLowerEstimate,
    memoryGrowth,
    processorCost,
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
  /** `pacing`: the bound of phase C's own pacing, all its shards in parallel and on its slots. */
  tuned?: { figures: PhaseFigures; pacing: ScanBounds };
  catalog?: CatalogComparison;
}

/** The same catalog phase without and with the module's claims processor, twice each. */
interface CatalogComparison {
  withoutProcessor: CatalogFigures[];
  withProcessor: CatalogFigures[];
}

/** Entities over the catalog's processing seconds, over all runs. */
function catalogRate(runs: readonly CatalogFigures[]): number {
  return runs.reduce((n, r) => n + r.entities, 0) / Math.max(1e-9, runs.reduce((t, r) => t + r.processingSeconds, 0));
}

function render(args: BenchArgs, ready: ReadyMessage, a: PhaseFigures, b: PhaseFigures, e: Evaluation, x: Extras): string {
  const f = args.fleet;
  const t = b.tuning;
  const heapPeak = b.memory.peak.heapUsed - b.memory.baseline.heapUsed;
  const rssPeak = b.memory.peak.rss - b.memory.baseline.rss;
  const limits = ready.ecsLimits;
  const budget = pacingLimits(t);
  const perShard = ready.shards.map(s => listedServices(s));
  const lines = [
    '',
    `=== ECS scan benchmark: phase B (emulator ECS buckets per account and region: cluster reads burst ${limits.clusterReads.burst}, ${limits.clusterReads.perSecond}/s;` +
      ` service reads burst ${limits.serviceReads.burst}, ${limits.serviceReads.perSecond}/s; DEFAULT_SCAN_TUNING; a deploy pipeline at ${b.pipeline.callsPerSecond}/s) ===`,
    `fleet          ${f.messy ? 'messy' : 'clean'} seed ${f.seed}: ${f.accounts} accounts x ${f.regions} regions x ${f.clustersPerRegion} clusters x ${f.servicesPerCluster} services` +
      ` = ${fmtInt(ready.fleetServices)} services, ${fmtInt(e.listedServices)} listed (ACTIVE+DRAINING), ${ready.shards.length} shards` +
      ` (${fmtInt(Math.min(...perShard))} to ${fmtInt(Math.max(...perShard))} listed per shard)`,
    `scanner        ${b.shardSlots} shards at once (concurrency.shards ${t.concurrency.shards}), ${t.concurrency.callsPerShard} calls/shard, rateBudget ${t.rateBudget}:` +
      ` cluster reads ${budget.clusterReads.perSecond}/s burst ${budget.clusterReads.burst}, service reads ${budget.serviceReads.perSecond}/s burst ${budget.serviceReads.burst}; ${t.retry.maxAttempts} attempts`,
    '',
    `deploy pipeline ${fmtInt(b.pipeline.calls)} DescribeServices calls during the scan (${b.pipeline.callsPerSecond}/s per account and region), ${b.pipeline.throttled} throttled` +
      ` in ${b.pipeline.shardsThrottled} shards (target 0)  ${mark(e.targets.pipelineNotThrottled)}`,
    `ECS calls      ${fmtInt(b.ecsCalls)} made vs ${fmtInt(e.minimum.total)} minimum = ${e.callsRatio.toFixed(3)}x (target <= ${CALLS_RATIO_TARGET})  ${mark(e.targets.callsRatio)}`,
    `  by action    ${Object.entries(b.ecsByAction).map(([k, v]) => `${k.slice(4)} ${fmtInt(v)}`).join(', ')}`,
    `  minimum      ListClusters ${fmtInt(e.minimum.listClusters)}, ListServices ${fmtInt(e.minimum.listServices)}, DescribeServices ${fmtInt(e.minimum.describeServices)}`,
    `  worst shard  ${b.worstShard.shard}: ${b.worstShard.calls} calls vs ${b.worstShard.minimum} minimum (${b.worstShard.ratio.toFixed(3)}x)`,
    `  scanner says ${fmtInt(b.scannerApiCalls)} calls, ${fmtInt(b.scannerThrottled)} throttled`,
    `AssumeRole     ${b.assumeRoleCalls} calls for ${f.accounts} accounts (target <= 1 per account)  ${mark(e.targets.assumeRolePerAccount)}${b.accountsAssumedMoreThanOnce.length ? ` (more than once: ${b.accountsAssumedMoreThanOnce.join(', ')})` : ''}` +
      `; credential fetches after expiry: ${b.credentialRefreshes}`,
    `other calls    ${Object.entries(b.otherCalls).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`,
    '',
    `wall time      ${fmtS(b.wallSeconds)} = ${fmtX(e.wallVsLowerEstimate)} max(budget bound, baseline) (target <= ${WALL_VS_BOUND_TARGET}x)  ${mark(e.targets.wallVsBound)}`,
    `  budget bound ${fmtS(e.budgetBound.fullyParallelSeconds)} with every shard in parallel (the biggest shard at its budget); ${fmtS(e.budgetBound.greedySeconds)} on ${b.shardSlots} slots  -> B is ${fmtX(e.wallVsBudgetBound)}`,
    `  baseline A   ${fmtS(a.wallSeconds)} (no limits, ${a.shardSlots} shards x ${a.tuning.concurrency.callsPerShard} calls at once)  -> B is ${fmtX(e.wallVsBaseline)}`,
    `  ECS's bound  ${fmtS(e.serverBound.fullyParallelSeconds)} for a scan taking ECS's whole buckets, every shard in parallel (for reference)`,
    `  CPU          B: scanner ${fmtS(b.scannerCpuSeconds)} (${fmtMs(b.scannerCpuSeconds, b.ecsCalls)}/call), emulator ${fmtS(b.emulatorCpuSeconds)} (${fmtMs(b.emulatorCpuSeconds, b.ecsCalls)}/call);` +
      ` A: scanner ${fmtS(a.scannerCpuSeconds)}, emulator ${fmtS(a.emulatorCpuSeconds)}`,
    '',
    `throttled      ${fmtInt(b.emulatorThrottled)} scanner calls (emulator), retries ${fmtInt(b.retries)}`,
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
            `scanner CPU ${fmtS(x.half.scannerCpuSeconds)} (${fmtMs(x.half.scannerCpuSeconds, x.half.ecsCalls)}/call); the pipeline: ${x.half.pipeline.throttled} throttled`,
        ]
      : []),
    '',
    `phase A        ${fmtInt(a.ecsCalls)} ECS calls, ${a.emulatorThrottled} throttled, ${a.failedShards.length} failed shards, ${fmtInt(a.servicesFound)} services, peak heapUsed +${fmtMB(a.memory.peak.heapUsed - a.memory.baseline.heapUsed)}`,
    ...(x.tuned ? renderTuned(x.tuned.figures, x.tuned.pacing, b) : []),
    ...(x.catalog ? renderCatalog(x.catalog, e, args) : []),
    `result         ${e.pass ? 'PASS' : `FAIL (missed: ${Object.keys(e.targets).filter(k => !e.targets[k]).join(', ')})`}`,
  ];
  return lines.join('\n');
}

function renderTuned(c: PhaseFigures, pacing: ScanBounds, b: PhaseFigures): string[] {
  const t = c.tuning;
  const how = t.rateLimit ? `rateLimit ${t.rateLimit.perSecond}/s burst ${t.rateLimit.burst}` : `rateBudget ${t.rateBudget}`;
  return [
    `phase C        B with ${how}, ${c.shardSlots} shards at once, callsPerShard ${t.concurrency.callsPerShard} (not a target):`,
    `               wall ${fmtS(c.wallSeconds)} vs its pacing's bound ${fmtS(pacing.fullyParallelSeconds)} all in parallel, ${fmtS(pacing.greedySeconds)} on its slots (B: ${fmtS(b.wallSeconds)});` +
      ` ${fmtInt(c.ecsCalls)} ECS calls, ${c.emulatorThrottled} throttled, ${c.retries} retries, ${c.failedShards.length} failed shards`,
    `               the deploy pipeline: ${fmtInt(c.pipeline.calls)} calls, ${fmtInt(c.pipeline.throttled)} throttled in ${c.pipeline.shardsThrottled} shards`,
    '',
  ];
}

function renderCatalog(c: CatalogComparison, e: Evaluation, args: BenchArgs): string[] {
  const one = (label: string, c: CatalogFigures) => [
    `  ${label}`,
    `visible        ${fmtInt(c.visibleCount)} of ${fmtInt(c.entities)} entities after ${fmtS(c.visibleSeconds)} from the first refresh()` +
      ` (refresh ${fmtS(c.firstRefreshSeconds)}, catalog processing after it ${fmtS(c.processingSeconds)})${c.timedOut ? '  TIMED OUT' : ''}  ${mark(!c.timedOut && c.failedShards === 0)}`,
    `throughput     ${fmtInt(Math.round(c.catalogEntitiesPerSecond))} entities/s ingested by the catalog after the mutation; ${fmtInt(Math.round(c.entitiesPerSecond))} entities/s end to end`,
    `unchanged      2nd refresh() wrote ${c.second.writes} (added ${c.second.summary.added}, changed ${c.second.summary.changed}, removed ${c.second.summary.removed}) in ${fmtS(c.second.seconds)} (target 0)  ${mark(c.second.writes === 0)}`,
    `k changed      3rd refresh() after retagging ${c.third.k} services wrote ${c.third.writes} (added ${c.third.summary.added}, changed ${c.third.summary.changed}, removed ${c.third.summary.removed})` +
      ` in ${fmtS(c.third.seconds)} (target ${c.third.k})  ${mark(c.third.writes === c.third.k)}; ${c.third.visibleCount} changes visible after ${fmtS(c.third.visibleSeconds)}`,
    `memory         peak rss ${fmtMB(c.peakRssMB * MB)} during the catalog phase`,
  ];
  const w = c.withoutProcessor[0]!;
  const reduced = w.services < args.fleet.accounts * args.fleet.regions * args.fleet.clustersPerRegion * args.fleet.servicesPerCluster * 0.9;
  return [
    `=== catalog phase: real catalog backend (${w.database === 'postgres' ? 'PostgreSQL' : 'in-memory SQLite'}) + provider, ${w.shards} shards = ${fmtInt(w.services)} services${reduced ? ' (NOTE: a subset of the fleet, --catalog-services)' : ''}; scans unpaced ===`,
    ...c.withProcessor.slice(0, 1).flatMap(r => one('1. with the claims processor', r)),
    ...c.withoutProcessor.flatMap((r, i) => one(`${i + 2}. without the claims processor`, r)),
    ...c.withProcessor.slice(1).flatMap(r => one('4. with the claims processor', r)),
    `processor cost ${fmtInt(Math.round(catalogRate(c.withProcessor)))} / ${fmtInt(Math.round(catalogRate(c.withoutProcessor)))} entities/s (runs 1+4 / runs 2+3) = ${(e.processorCost ?? 0).toFixed(3)}x the rate without it` +
      ` (target >= ${PROCESSOR_COST_TARGET})  ${mark(e.targets.processorCost ?? false)}`,
    '',
  ];
}

function jsonLine(args: BenchArgs, ready: ReadyMessage, a: PhaseFigures, b: PhaseFigures, e: Evaluation, x: Extras): string {
  const phase = (p: PhaseFigures) => ({
    wallSeconds: round(p.wallSeconds, 3),
    shardSlots: p.shardSlots,
    pipeline: p.pipeline,
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
    ecsLimits: ready.ecsLimits,
    minimumCalls: e.minimum,
    callsRatio: round(e.callsRatio, 4),
    bounds: {
      budgetFullyParallelSeconds: round(e.budgetBound.fullyParallelSeconds, 3),
      budgetGreedySeconds: round(e.budgetBound.greedySeconds, 3),
      serverFullyParallelSeconds: round(e.serverBound.fullyParallelSeconds, 3),
    },
    ratios: {
      wallVsBaseline: round(e.wallVsBaseline, 3),
      wallVsBudgetBound: e.wallVsBudgetBound === null ? null : round(e.wallVsBudgetBound, 3),
      wallVsMaxOfBaselineAndBudgetBound: round(e.wallVsLowerEstimate, 3),
      catalogWithVsWithoutProcessor: e.processorCost === null ? null : round(e.processorCost, 3),
    },
    memoryGrowth: e.memoryGrowth === null ? null : round(e.memoryGrowth, 3),
    phaseA: phase(a),
    phaseB: phase(b),
    phaseHalf: x.half ? phase(x.half) : null,
    phaseC: x.tuned
      ? {
          ...phase(x.tuned.figures),
          pacingFullyParallelSeconds: round(x.tuned.pacing.fullyParallelSeconds, 3),
          pacingGreedySeconds: round(x.tuned.pacing.greedySeconds, 3),
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

/**
 * Whole accounts while they fit in `services` listed services; when the
 * first account alone is bigger, its first regions that fit (at least one).
 */
function catalogScope(ready: ReadyMessage, services: number): { accountIds: string[]; regions: string[]; services: number } {
  const listedIn = (accountId: string, regions: readonly string[]) =>
    ready.shards.filter(s => s.accountId === accountId && regions.includes(s.region)).reduce((n, s) => n + listedServices(s), 0);
  const first = ready.accountIds[0]!;
  if (listedIn(first, ready.regions) > services) {
    const regions: string[] = [];
    let total = 0;
    for (const region of ready.regions) {
      const more = listedIn(first, [region]);
      if (regions.length > 0 && total + more > services) break;
      regions.push(region);
      total += more;
    }
    return { accountIds: [first], regions, services: total };
  }
  const accountIds: string[] = [];
  let total = 0;
  for (const id of ready.accountIds) {
    const more = listedIn(id, ready.regions);
    if (accountIds.length > 0 && total + more > services) break;
    accountIds.push(id);
    total += more;
  }
  return { accountIds, regions: [...ready.regions], services: total };
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
      x.half = await runPhase('B/2', emulator, {}, ready, ready.accountIds.slice(0, Math.floor(ready.accountIds.length / 2)), args.pipelineRate);
      console.log(`bench: phase B/2 (half the accounts) ${fmtS(x.half.wallSeconds)}, ${fmtInt(x.half.ecsCalls)} ECS calls, ${x.half.failedShards.length} failed shards`);
    }

    // Phase B: ECS-like limits (buckets start full) and the package's defaults.
    await emulator.setRateLimit(true);
    const b = await runPhase('B', emulator, {}, ready, ready.accountIds, args.pipelineRate);
    if (JSON.stringify(b.tuning) !== JSON.stringify(DEFAULT_SCAN_TUNING)) throw new Error('phase B did not run with DEFAULT_SCAN_TUNING');
    console.log(
      `bench: phase B ${fmtS(b.wallSeconds)}, ${fmtInt(b.ecsCalls)} ECS calls, ${b.emulatorThrottled} throttled, ${b.retries} retries, ${b.failedShards.length} failed shards;` +
        ` the deploy pipeline ${b.pipeline.throttled} throttled`,
    );

    // Phase C: B with another budget, concurrency or pacing, to measure a proposed default.
    if (args.tune) {
      await emulator.setRateLimit(true);
      const figures = await runPhase('C', emulator, args.tune, ready, ready.accountIds, args.pipelineRate);
      x.tuned = { figures, pacing: pacingBoundFor(ready.shards, figures.tuning, figures.shardSlots) };
      console.log(`bench: phase C ${fmtS(figures.wallSeconds)}, ${fmtInt(figures.ecsCalls)} ECS calls, ${figures.failedShards.length} failed shards`);
    }

    // Catalog phase: the first shards until --catalog-services listed services, twice: without and
    // with the claims processor. It measures the catalog, so its scans run without limits.
    if (args.catalogServices > 0) {
      const scope = catalogScope(ready, args.catalogServices);
      const child = emulator;
      await child.setRateLimit(false);
      const run = async (withClaimsProcessor: boolean) => {
        console.log(
          `bench: catalog phase ${withClaimsProcessor ? 'with' : 'without'} the claims processor: a catalog backend (${args.catalogPostgres ? 'PostgreSQL' : 'in-memory SQLite'})` +
            ` with the provider on ${scope.accountIds.length} accounts x ${scope.regions.length} regions (${fmtInt(scope.services)} listed services)...`,
        );
        return runCatalogPhase({
          emulator: child,
          accountIds: scope.accountIds,
          regions: scope.regions,
          roleName: ROLE_NAME,
          changeCount: args.catalogChanges,
          visibleTimeoutMs: Math.max(60_000, args.timeoutSeconds * 1000 * 0.25),
          postgresUrl: args.catalogPostgres,
          withClaimsProcessor,
          log: line => console.log(line),
        });
      };
      // An unmeasured run first: the first catalog of the process pays for loading and
      // optimising the catalog's code (measured: 2 to 3 times slower than the next).
      console.log('bench: catalog warm-up (not measured):');
      await run(false);
      // With, without, without, with: drift in the machine's load cancels out, and what is
      // left of the cold start counts against the processor, never for it.
      const withFirst = await run(true);
      const without = [await run(false), await run(false)];
      const withProcessor = [withFirst, await run(true)];
      x.catalog = { withoutProcessor: without, withProcessor };
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
