/**
 * A loopback AWS emulator for ECS, the Resource Groups Tagging API,
 * Organizations, STS and SQS that the real, unmodified AWS SDK v3 clients talk to:
 * point them at `emulator.url` (client option `endpoint`, or AWS_ENDPOINT_URL).
 *
 * ```ts
 * const emu = await startEmulator({ fleet: parseFleet(yamlText) });
 * const ecs = new ECSClient({ endpoint: emu.url, region: 'eu-west-1', credentials: emu.principal() });
 * await ecs.send(new ListClustersCommand({}));
 * await emu.close();
 * ```
 *
 * Callers are identified by the access key in their SigV4 signature (signatures
 * are not verified); ECS and Tagging calls act in that key's account and the
 * signed region. Faults (throttling, 5xx, denied accounts, latency) and fleet
 * changes can be applied while it runs.
 */
import { FleetValidationError, parseFleet, validateRoleSpec, type ClusterSpec, type Fleet, type RoleSpec, type ServiceSpec, type Tags } from './fleet';
import { CallLog, type CallFilter, type CallRecord } from './services/callLog';
import { DeployPipeline, type DeployPipelineOptions } from './services/deployPipeline';
import { FaultInjector, type Faults } from './services/faults';
import { IdentityStore } from './services/identity';
import { applyServiceChange } from './serviceChanges';
import { EcsEventBus, type EventBusOptions, type EventBusStats, type ServiceChangeKind } from './services/eventBus';
import { EmulatorServer, type AdminRoutes, type RequestHook } from './services/server';
import { SqsQueues, type QueueCounts } from './services/sqs';
import { FleetState } from './services/state';
import { StatsCollector, type EmulatorStats } from './services/stats';

export type { Faults, FailingRegion, RateLimit, EcsRateLimits, EcsCategory } from './services/faults';
export { DEFAULT_FAULTS, DEFAULT_TAGGING_LIMIT, ECS_CATEGORY_LIMITS, ecsCategory } from './services/faults';
export type { DeployPipelineOptions } from './services/deployPipeline';
export type { EmulatorStats } from './services/stats';
export type { EventBusOptions, EventBusStats, EventStyle } from './services/eventBus';
export type { QueueCounts } from './services/sqs';
export type { RequestHook, RequestInfo, ServiceName } from './services/server';
export type { CallFilter, CallRecord, UserIdentity } from './services/callLog';

export interface StartEmulatorOptions {
  fleet: Fleet;
  faults?: Partial<Faults>;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Loopback only. */
  host?: '127.0.0.1';
  /** Milliseconds clock for the rate-limit buckets; tests inject one to refill deterministically. */
  clock?: () => number;
  /** A deploy pipeline polling DescribeServices in every account and region from the start. */
  deployPipeline?: DeployPipelineOptions;
}

export interface Emulator {
  /** e.g. http://127.0.0.1:54321 */
  readonly url: string;
  readonly port: number;
  /** Closes the server and every open socket; safe to call twice. */
  close(): Promise<void>;
  /** The first principal's keys, for `credentials:`. Throws if the fleet has none. */
  principal(): { accessKeyId: string; secretAccessKey: string };
  readonly faults: Readonly<Faults>;
  setFaults(partial: Partial<Faults>): void;
  /**
   * Starts (or, with false, stops) a deploy pipeline that polls
   * DescribeServices at `callsPerSecond` in every account and region, drawing
   * on the same service-reads buckets as the scanner; its calls and throttles
   * are in `stats.deployPipeline`. Also `POST /__emulator/deploy-pipeline`
   * with `{"callsPerSecond": N}` (0 stops it).
   */
  setDeployPipeline(options: DeployPipelineOptions | false): void;
  readonly deployPipeline: DeployPipelineOptions | false;
  /** A snapshot of the counters. */
  readonly stats: EmulatorStats;
  resetStats(): void;
  /** Every temporary credential issued so far expires now (ExpiredTokenException on use). */
  expireAllSessions(): void;
  /** Key ids, secret keys and session tokens of every session issued so far. */
  issuedSecrets(): string[];
  /** Returns the new service's ARN. Re-using an INACTIVE service's name replaces it. */
  addService(accountId: string, region: string, clusterName: string, spec: ServiceSpec): string;
  /** DeleteService: status INACTIVE, still returned by DescribeServices, no longer listed. */
  deleteService(arn: string): void;
  /** Gone completely: DescribeServices reports it MISSING. */
  purgeService(arn: string): void;
  /** Replaces the service's tags (`{}` or null removes them all). */
  setServiceTags(arn: string, tags: Tags | null): void;
  /** Replaces the cluster's tags. */
  setClusterTags(arn: string, tags: Tags | null): void;
  /** Returns the new cluster's ARN. The account must be in the fleet; the region is created if needed. */
  addCluster(accountId: string, region: string, spec: ClusterSpec): string;
  /** Removes the cluster and all of its services. */
  deleteCluster(accountId: string, region: string, clusterName: string): void;
  /** Swaps the whole fleet; issued sessions stay valid. */
  replaceFleet(fleet: Fleet): void;
  /** Changes a service's desired count (an UpdateService). */
  updateService(arn: string, changes: { desiredCount: number }): void;
  /** Creates an SQS queue (if needed) in the account and returns its URL. */
  createQueue(accountId: string, name: string): string;
  /** Puts a message on a queue, as SendMessage does. */
  sendMessage(queueUrl: string, body: string): string;
  /** Messages on the queue not deleted yet. */
  queueDepth(queueUrl: string): number;
  queueStats(queueUrl: string): QueueCounts;
  /**
   * Starts (or with undefined stops) the EventBridge-like fan-out: every
   * service change made through this object puts its ECS events on the queue.
   */
  configureEvents(options: EventBusOptions | undefined): void;
  readonly eventStats: EventBusStats;
  /** Events still waiting out their delay before they reach the queue. */
  readonly eventsInFlight: number;
  /**
   * Adds or replaces a role of an account in the fleet (trust policy and
   * identity policies included); new sessions and the calls of existing ones
   * see it at once. Also `PUT /__emulator/roles` with `{ accountId, role }`.
   */
  putRole(accountId: string, role: RoleSpec): void;
  /**
   * The CloudTrail-like record of every call answered, oldest first (the
   * newest 20,000 are kept). Also `GET /__emulator/cloudtrail`, optionally
   * `?eventName=UpdateService&eventSource=ecs.amazonaws.com`.
   */
  callLog(filter?: CallFilter): CallRecord[];
  clearCallLog(): void;
  /** Registers a hook run before each request is handled; returns its unsubscribe function. */
  onRequest(cb: RequestHook): () => void;
}

export async function startEmulator(opts: StartEmulatorOptions): Promise<Emulator> {
  const host = opts.host ?? '127.0.0.1';
  if (host !== '127.0.0.1') throw new Error('the emulator only listens on 127.0.0.1');
  let state = new FleetState(parseFleet(opts.fleet));
  const identity = new IdentityStore(state.principals);
  const clock = opts.clock ?? (() => Date.now());
  const faults = new FaultInjector(opts.faults, clock);
  const stats = new StatsCollector();
  const hooks = new Set<RequestHook>();
  let base = '';
  const sqs = new SqsQueues(() => base);
  const bus = new EcsEventBus(sqs);
  const pipeline = new DeployPipeline(() => state, faults, stats, clock);
  // Set once listening: the admin routes change the fleet through the same methods as the process itself.
  let emulator: Emulator | undefined;
  const calls = new CallLog();
  const admin: AdminRoutes = (method, path, body, query) => {
    if (path === 'stats' && method === 'GET') return { status: 200, json: stats.snapshot() };
    if (path === 'cloudtrail' && method === 'GET') {
      const filter = { eventName: query.get('eventName') ?? undefined, eventSource: query.get('eventSource') ?? undefined };
      return { status: 200, json: { Records: calls.records(filter) } };
    }
    if (path === 'cloudtrail' && method === 'DELETE') {
      calls.clear();
      return { status: 200, json: { Records: [] } };
    }
    if (path === 'roles' && method === 'PUT') return putRoleRoute(body, (accountId, role) => emulator?.putRole(accountId, role));
    if (path === 'deploy-pipeline' && method === 'POST') {
      try {
        const rate = (JSON.parse(body || '{}') as { callsPerSecond?: unknown }).callsPerSecond;
        pipeline.set(rate === 0 ? false : { callsPerSecond: rate as number });
        return { status: 200, json: { deployPipeline: pipeline.options } };
      } catch (e) {
        return { status: 400, json: { message: e instanceof Error ? e.message : String(e) } };
      }
    }
    if (path === 'services' && method === 'POST') {
      if (!emulator) return { status: 503, json: { message: 'the emulator is still starting' } };
      return applyServiceChange(body, emulator);
    }
    return { status: 404, json: { message: `no emulator route ${method} /__emulator/${path} (GET stats, POST deploy-pipeline, POST services, PUT roles, GET or DELETE cloudtrail)` } };
  };
  // Bound once listening: UpdateService calls put their events on the bus like the in-process changes.
  let serviceUpdated: (arn: string) => void = () => undefined;
  const server = new EmulatorServer({ state: () => state, identity, faults, stats, hooks, admin, sqs, serviceUpdated: arn => serviceUpdated(arn), callLog: calls });
  if (opts.deployPipeline) pipeline.set(opts.deployPipeline);
  try {
    await server.listen(opts.port ?? 0, host);
  } catch (e) {
    pipeline.stop();
    bus.close();
    throw e;
  }
  const port = server.address.port;
  base = `http://${host}:${port}`;
  const changed = (kind: ServiceChangeKind, arn: string) => {
    const s = state.service(arn);
    if (!s) return;
    bus.changed({
      kind,
      serviceArn: s.arn,
      serviceName: s.name,
      clusterArn: s.cluster.arn,
      clusterName: s.cluster.name,
      accountId: s.cluster.region.accountId,
      region: s.cluster.region.region,
      deploymentId: s.deployments[0]?.id,
    });
  };

  serviceUpdated = arn => changed('update', arn);

  emulator = {
    url: `http://${host}:${port}`,
    port,
    close: () => {
      pipeline.stop();
      bus.close();
      return server.close();
    },
    principal() {
      const p = state.principals[0];
      if (!p) throw new Error('the fleet defines no principals');
      return { accessKeyId: p.accessKeyId, secretAccessKey: p.secretAccessKey };
    },
    get faults() {
      return faults.faults;
    },
    setFaults: (partial) => faults.set(partial),
    setDeployPipeline: (options) => pipeline.set(options),
    get deployPipeline() {
      return pipeline.options;
    },
    get stats() {
      return stats.snapshot();
    },
    resetStats: () => stats.reset(),
    expireAllSessions: () => identity.expireAll(),
    issuedSecrets: () => identity.issuedSecrets(),
    addService(accountId, region, clusterName, spec) {
      const arn = state.addService(accountId, region, clusterName, spec).arn;
      changed('create', arn);
      return arn;
    },
    deleteService(arn) {
      const was = state.service(arn)?.status;
      state.deleteService(arn);
      if (was !== 'INACTIVE') changed('delete', arn);
    },
    purgeService: (arn) => state.purgeService(arn),
    setServiceTags(arn, tags) {
      state.setServiceTags(arn, tags);
      changed(tags && Object.keys(tags).length > 0 ? 'tag' : 'untag', arn);
    },
    updateService(arn, changes) {
      const s = state.service(arn);
      if (!s || s.status === 'INACTIVE') throw new Error(`no active service with ARN ${arn}`);
      state.updateService(arn, { desiredCount: changes.desiredCount }, Math.floor(Date.now() / 1000));
      changed('update', arn);
    },
    createQueue: (accountId, name) => sqs.createQueue(accountId, name),
    sendMessage: (queueUrl, body) => sqs.send(queueUrl, body),
    queueDepth: (queueUrl) => sqs.depth(queueUrl),
    queueStats: (queueUrl) => sqs.stats(queueUrl),
    configureEvents: (options) => bus.configure(options),
    get eventStats() {
      return bus.stats;
    },
    get eventsInFlight() {
      return bus.inFlight;
    },
    setClusterTags: (arn, tags) => state.setClusterTags(arn, tags),
    addCluster: (accountId, region, spec) => state.addCluster(accountId, region, spec).arn,
    deleteCluster: (accountId, region, clusterName) => state.deleteCluster(accountId, region, clusterName),
    replaceFleet(fleet) {
      state = new FleetState(parseFleet(fleet));
      identity.setPrincipals(state.principals);
    },
    putRole(accountId, role) {
      state.putRole(accountId, validateRoleSpec(role));
    },
    callLog: (filter) => calls.records(filter),
    clearCallLog: () => calls.clear(),
    onRequest(cb) {
      hooks.add(cb);
      return () => {
        hooks.delete(cb);
      };
    },
  };
  return emulator;
}

/** `PUT /__emulator/roles` with `{ accountId, role }`: 200 with the role, or 400 naming what is wrong. */
function putRoleRoute(body: string, put: (accountId: string, role: RoleSpec) => void): { status: number; json: unknown } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body || '{}');
  } catch {
    return { status: 400, json: { message: 'the body must be JSON: { "accountId": "111111111111", "role": { "name": ... } }' } };
  }
  const { accountId, role } = (parsed ?? {}) as { accountId?: unknown; role?: unknown };
  if (typeof accountId !== 'string') return { status: 400, json: { message: 'accountId: required, a 12-digit account id string' } };
  try {
    put(accountId, role as RoleSpec);
    return { status: 200, json: { accountId, role } };
  } catch (e) {
    const message = e instanceof FleetValidationError ? e.issues.join('; ') : e instanceof Error ? e.message : String(e);
    return { status: 400, json: { message } };
  }
}
