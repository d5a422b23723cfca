import type { AuthService, DatabaseService, LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import type { AwsCredentialsManager } from '@backstage/integration-aws-node';
import type { CatalogService, EntityProvider, EntityProviderConnection } from '@backstage/plugin-catalog-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { EventsService } from '@backstage/plugin-events-node';
import pLimit from 'p-limit';
import type { ServiceReference } from '../events/parseEcsEvent';
import { narrowEmission } from '../events/narrowEmission';
import { minimumDescribeCalls, planEventRefresh, resolveTargets, type ShardAnswer } from '../events/planEventRefresh';
import { createCredentialsManager, staticKeyWarnings } from '../config/awsConfig';
import { configWarnings } from '../config/configWarnings';
import type { AccessConfig } from '../access/accessConfig';
import { type EcsProviderConfig, readProviderConfigs } from '../config/providerConfig';
import { analyseFleet, type FleetAnalysis } from '../analysis/analyseFleet';
import { claimDigests } from '../reconcile/claimDigest';
import { type DriftReport, findingCount } from '../report/driftReport';
import type { Inventory } from '../scan/inventory';
import { EcsScanner } from '../scan/scanner';
import { shardConcurrency } from '../scan/shardConcurrency';
import { type EmissionPlan, planEmission } from '../sync/planEmission';
import { planSync, type SyncPlan } from '../sync/planSync';
import { accountOfShardKey, keepOrAssign } from '../sync/scanGroups';
import { inventoryFromState } from '../sync/stateInventory';
import type { SyncState } from '../sync/syncState';
import { readCatalogView } from './catalogView';
import { claimsRefreshKey } from './claimsRefreshKey';
import { groupSchedule } from './groupSchedule';
import { intervalOf } from '../config/scheduleInterval';
import { isCatchUpRun } from '../sync/catchUp';
import { combineSummaries, describeSync, SyncSummary } from './syncSummary';
import { SyncMetrics } from './syncMetrics';
import { type StoredReport, SyncStateStore } from './syncStateStore';
import type { ReportSource } from './AwsEcsClaimsProcessor';
import { ClaimRescan, type ClaimRescanTiming } from './claimRescan';
import { ReplicaPresence } from './replicaPresence';
import { ClaimNotifier } from './claimNotifier';
import { NotifiedFindingsStore } from './notifiedFindingsStore';
import { type EventCounts, EventRefresh, type EventRoundResult } from './eventRefresh';

export interface AwsEcsEntityProviderDeps {
  logger: LoggerService;
  scheduler: SchedulerService;
  database: DatabaseService;
  /** Reads the entities that claim services. */
  catalog: CatalogService;
  auth: AuthService;
  /** Defaults to one built from the `aws` block of the root config. */
  credentialsManager?: AwsCredentialsManager;
  /** Overrides the endpoint of every AWS client (otherwise the SDK reads AWS_ENDPOINT_URL). */
  endpoint?: string;
  /** The clock that grace periods are measured with. */
  now?: () => Date;
  /** Defaults to instruments on the global OpenTelemetry meter provider. */
  metrics?: SyncMetrics;
  /** How soon a changed claim starts a scan. */
  claimRescan?: ClaimRescanTiming;
  /** Tells the owners of claiming entities about their findings; none are sent without it. */
  notifications?: NotificationService;
  /** The events service; used only by providers with `events.topic` set. */
  events?: EventsService;
}

/**
 * One provider per `catalog.providers.awsEcs.<id>`: scans on its schedule and
 * keeps one entity per ECS service. The provider name derives from the id
 * alone, so it never changes while the config keeps the id.
 */
export class AwsEcsEntityProvider implements EntityProvider, ReportSource {
  private connection?: EntityProviderConnection;
  /** The groups this replica is scanning now. */
  private readonly scanning = new Set<number>();
  /** Group → when this replica last handed a run of it on. */
  private readonly handedOn = new Map<number, number>();
  /** Runs waiting for this replica's scan to end. */
  private readonly idle: Array<() => void> = [];
  private store?: Promise<SyncStateStore>;
  private readonly reportListeners: Array<() => void> = [];
  private readonly logger: LoggerService;
  private readonly scanner: EcsScanner;
  private readonly metrics: SyncMetrics;
  private readonly claimRescan: ClaimRescan;
  private readonly presence: ReplicaPresence;
  private readonly stopping = new AbortController();
  private readonly notifier?: ClaimNotifier;
  private notified?: Promise<NotifiedFindingsStore>;
  private readonly eventRefresh?: EventRefresh;

  static fromConfig(root: Config, deps: AwsEcsEntityProviderDeps): AwsEcsEntityProvider[] {
    const configs = readProviderConfigs(root);
    if (configs.length === 0) return [];
    for (const warning of staticKeyWarnings(root)) deps.logger.warn(warning);
    const credentialsManager = deps.credentialsManager ?? createCredentialsManager(root);
    return configs.map(config => new AwsEcsEntityProvider(config, { ...deps, credentialsManager }));
  }

  private constructor(
    private readonly config: EcsProviderConfig,
    private readonly deps: AwsEcsEntityProviderDeps & { credentialsManager: AwsCredentialsManager },
  ) {
    this.logger = deps.logger.child({ target: this.getProviderName() });
    this.scanner = new EcsScanner(config, { credentialsManager: deps.credentialsManager, endpoint: deps.endpoint });
    this.metrics = deps.metrics ?? new SyncMetrics();
    this.claimRescan = new ClaimRescan(() => this.triggerScans(), this.logger, deps.claimRescan);
    this.presence = new ReplicaPresence(() => this.stateStore(), config.id, intervalOf(config.schedule), this.logger);
    if (config.notifications.enabled && deps.notifications) {
      this.notifier = new ClaimNotifier(config.id, deps.notifications, () => (this.notified ??= NotifiedFindingsStore.create(deps.database)), this.logger);
    }
    for (const warning of configWarnings(config)) this.logger.warn(warning);
    if (config.events) {
      this.eventRefresh = new EventRefresh({
        debounceMs: config.events.debounceMs,
        logger: this.logger,
        claim: async ids => (await this.stateStore()).claimEvents(this.config.id, ids, this.now()),
        refresh: references => this.refreshNamed(references),
      });
    }
  }

  /** What the ECS events did on this replica, when the provider subscribes to them. */
  get eventCounts(): EventCounts | undefined {
    return this.eventRefresh?.counts;
  }

  /** Applies the events received so far now, and waits for every round to end. */
  async flushEvents(): Promise<void> {
    await this.eventRefresh?.flush();
  }

  /** The config id this provider reads (`catalog.providers.awsEcs.<id>`). */
  get providerId(): string {
    return this.config.id;
  }

  /** The provider's `access` config: what its team-scoped IAM policies may grant. */
  get access(): AccessConfig {
    return this.config.access;
  }

  /** Called after each stored report, so in-process readers can drop their caches. */
  onReport(listener: () => void): void {
    this.reportListeners.push(listener);
  }

  getProviderName(): string {
    return `AwsEcsEntityProvider:${this.config.id}`;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.subscribe();
    const groups = this.config.scanGroups;
    if (groups > 1) this.presence.start();
    for (let group = 0; group < groups; group++) {
      await this.deps.scheduler.scheduleTask({
        id: taskId(this.getProviderName(), group, groups),
        ...groupSchedule(this.config.schedule, group, groups),
        // Each group runs on one replica at a time; replicas sharing the database take
        // different groups, and the state in the database hands over between them.
        scope: 'global',
        fn: signal => this.runScheduled(group, signal),
      });
    }
  }

  private async subscribe(): Promise<void> {
    const events = this.config.events;
    if (!events || !this.eventRefresh) return;
    if (!this.deps.events) {
      this.logger.warn(`catalog.providers.awsEcs.${this.config.id}.events.topic is set but the events service is not available: only the scheduled scans run`);
      return;
    }
    const refresh = this.eventRefresh;
    await this.deps.events.subscribe({
      id: `${this.getProviderName()}:events`,
      topics: [events.topic],
      onEvent: async params => refresh.onEvent(params.eventPayload),
    });
    const store = await this.stateStore();
    // Claims are kept for an hour; forgetting older ones now and then keeps the table small.
    const prune = setInterval(() => void store.pruneEventClaims(this.now()).catch(() => undefined), EVENT_CLAIM_PRUNE_MS);
    prune.unref();
    this.logger.info(`Refreshing the services named by ECS events on topic '${events.topic}'`);
  }

  /**
   * One round of events: describes the services they name with the shards'
   * paced clients and applies what ECS says of those services only. The
   * stored state, the removal grace periods and the removal guard work as a
   * complete scan's would; the scheduled scan stays the source of truth.
   */
  async refreshNamed(references: readonly ServiceReference[]): Promise<EventRoundResult> {
    if (!this.connection) throw new Error(`${this.getProviderName()} is not connected to the catalog yet`);
    const result: EventRoundResult = { unresolved: [], calls: new Map(), minimumCalls: new Map(), throttled: 0, failedShards: 0, added: 0, changed: 0, removed: 0, pending: 0 };
    const store = await this.stateStore();
    const stored = await store.load(this.config.id);
    const accounts = await this.scanner.accounts();
    const inAccounts = new Set(accounts);
    const inRegions = new Set(this.config.regions);
    const { byShard, unresolved } = resolveTargets(stored, references, (account, region) => inAccounts.has(account) && inRegions.has(region));
    result.unresolved = unresolved;
    const limit = pLimit(shardConcurrency(this.config.tuning, byShard.size));
    const answers: ShardAnswer[] = [];
    await Promise.all(
      [...byShard].map(([key, targets]) =>
        limit(async () => {
          try {
            const answer = await this.scanner.describe(targets[0].accountId, targets[0].region, targets);
            result.calls.set(key, answer.apiCalls);
            result.minimumCalls.set(key, minimumDescribeCalls(targets));
            result.throttled += answer.throttled;
            answers.push({ key, described: answer.described, missing: answer.missing });
          } catch (error) {
            result.failedShards += 1;
            this.logger.debug(`ECS events: services of ${key} not described: ${(error as Error).message}`);
          }
        }),
      ),
    );
    if (answers.length === 0) return result;
    answers.sort((a, b) => (a.key < b.key ? -1 : 1));
    const assignment = this.config.scanGroups > 1 ? await store.loadAssignment(this.config.id) : undefined;
    const groupOf = (key: string) => assignment?.groupOf[accountOfShardKey(key)] ?? 0;
    for (const group of [...new Set(answers.map(a => groupOf(a.key)))].sort()) {
      const inGroup = (key: string) => groupOf(key) === group;
      // Each round reads the state anew: the previous group's round changed it.
      const current = group === groupOf(answers[0].key) ? stored : await store.load(this.config.id);
      const guardTotal = Object.entries(current).filter(([key]) => inGroup(key)).reduce((n, [, shard]) => n + shard.services.length, 0);
      const now = this.now();
      const plan = planEventRefresh(current, answers.filter(a => inGroup(a.key)), this.config.removal, now, guardTotal);
      const touched = pickShards(current, key => key in plan.state);
      const everything = inventoryFromState({ ...current, ...plan.state }, undefined, { accounts, regions: this.config.regions });
      const view = await readCatalogView(this.deps.catalog, this.deps.auth, everything.services, this.config.mapping);
      const analysis = await analyseFleet({
        inventory: everything,
        entities: view.claimingEntities,
        knownOwnerRefs: view.knownOwnerRefs,
        mapping: this.config.mapping,
        servicesToMap: plan.services,
        now,
      });
      const emitted = await store.loadEmitted(this.config.id, Object.keys(plan.state));
      // The named services were just described: none of them is left as last sent.
      const emission = narrowEmission(planEmission(analysis.mapped.entities, emitted, new Set()), emitted, plan.namedArns);
      await store.saveEmitted(this.config.id, emission.upserts, []);
      await this.apply(emission.send, emission.removed);
      await store.saveEmitted(this.config.id, [], emission.removed);
      await store.save(this.config.id, touched, plan.state, now);
      await this.publish(store, analysis);
      result.added += emission.added;
      result.changed += emission.upserts.length - emission.added;
      result.removed += emission.removed.length;
      result.pending += plan.pending.filter(p => plan.namedArns.has(p.arn)).length;
      if (plan.heldBack) {
        this.logger.warn(
          `ECS events: held back the removal of ${plan.heldBack.count} of ${plan.heldBack.total} ECS entities: more than ` +
            `catalog.providers.awsEcs.${this.config.id}.removal.maxFraction (${plan.heldBack.maxFraction}).`,
        );
      }
    }
    return result;
  }

  /**
   * The scheduler's run of one group. A failed or stopped refresh sends
   * nothing (the catalog keeps what it has), and is logged rather than thrown.
   */
  private async runScheduled(group: number, taskSignal: AbortSignal): Promise<void> {
    // The scheduler aborts its tasks only after every plugin has shut down; the
    // provider's own stop reaches the scan first, so a stopping replica sends nothing.
    const signal = AbortSignal.any([taskSignal, this.stopping.signal]);
    const groups = this.config.scanGroups;
    const which = groups > 1 ? ` of group ${group + 1} of ${groups}` : '';
    if (this.scanning.size > 0) {
      // Handed on once per interval: claimed again while still busy (no other replica
      // took it, or there is none), it waits for this replica's scan and then runs.
      const handedOn = this.handedOn.get(group);
      const due = handedOn === undefined || Date.now() - handedOn > (intervalOf(this.config.schedule) ?? HAND_ON_WINDOW_MS);
      if (due && (await this.presence.othersAlive())) {
        this.handedOn.set(group, Date.now());
        this.handOn(group);
        return;
      }
      while (this.scanning.size > 0 && !signal.aborted) await new Promise<void>(resolve => this.idle.push(resolve));
      if (signal.aborted) return;
    }
    this.handedOn.delete(group);
    // A run the scheduler starts as the backend stops touches nothing.
    if (signal.aborted) return;
    this.scanning.add(group);
    try {
      const store = await this.stateStore();
      const key = groupKey(group, groups);
      if (isCatchUpRun(await store.groupRun(this.config.id, key), this.now(), intervalOf(this.config.schedule))) {
        this.logger.debug(`group ${group + 1} of ${groups}: scanned moments ago and nobody asked again, this run is skipped`);
        return;
      }
      await this.refreshGroup(group, signal);
      await store.markGroupRun(this.config.id, key, { finished_at: this.now().toISOString() });
    } catch (error) {
      if (signal.aborted) this.logger.info(`ECS sync${which} stopped (the backend is stopping, or the run passed its timeout), catalog left unchanged`);
      else this.logger.error(`ECS sync${which} failed, catalog left unchanged: ${(error as Error).message}`);
    } finally {
      this.scanning.delete(group);
      if (this.scanning.size === 0) for (const resolve of this.idle.splice(0)) resolve();
    }
  }

  /**
   * A replica already scanning a group of this provider hands the next one
   * on instead of scanning both: it lets the run end unscanned and asks for it
   * again as soon as the scheduler has released it, and the next replica to
   * look takes it (this one too, once it is free). Replicas that share the
   * database so take turns, and one replica scans its groups one at a time.
   */
  private handOn(group: number): void {
    const id = taskId(this.getProviderName(), group, this.config.scanGroups);
    void this.wanted(group);
    this.logger.debug(`group ${group + 1} of ${this.config.scanGroups}: this replica is scanning another group, handing it on`);
    const retry = (attempt: number) =>
      setTimeout(() => {
        this.deps.scheduler.triggerTask(id).catch(error => {
          // Conflict: the scheduler has not released the run yet.
          if (attempt < HAND_ON_ATTEMPTS) retry(attempt + 1);
          else this.logger.warn(`group ${group + 1} of ${this.config.scanGroups} could not be handed on, it runs at its next time: ${(error as Error).message}`);
        });
      }, HAND_ON_DELAY_MS).unref();
    retry(1);
  }

  /**
   * Called as the backend stops: a scan under way is aborted (it sends nothing
   * and its group's lock is released), and the other replicas stop handing
   * groups on to this one.
   */
  async leave(): Promise<void> {
    this.stopping.abort();
    await this.presence.leave();
  }

  /** One scan of every group, one after the other: what a single replica does in a cycle. */
  async refresh(): Promise<SyncSummary> {
    const summaries: SyncSummary[] = [];
    for (let group = 0; group < this.config.scanGroups; group++) summaries.push(await this.refreshGroup(group));
    return combineSummaries(summaries);
  }

  /**
   * One scan of the accounts of one group, its reconciliation with the
   * catalog's claims, and the catalog update they call for. Groups touch
   * disjoint shards and entities, so replicas can run different groups at once.
   * An aborted `signal` stops it before it changes the catalog.
   */
  async refreshGroup(group: number, signal?: AbortSignal): Promise<SyncSummary> {
    if (!this.connection) throw new Error(`${this.getProviderName()} is not connected to the catalog yet`);
    const started = Date.now();
    const store = await this.stateStore();
    const stored = await store.load(this.config.id);
    const inGroup = await this.groupMembers(store, stored, group, signal);
    if (this.config.scanGroups > 1) this.logger.debug(`group ${group + 1} of ${this.config.scanGroups}: scan started`);
    const inventory = await this.scanner.scan({ accounts: inGroup, signal });
    const previous = pickShards(stored, key => inGroup(accountOfShardKey(key)));
    const now = this.now();
    const plan = planSync(previous, inventory, this.config.removal, now);
    const analysis = await this.analyse(wholeProvider(stored, plan, inventory, this.config.regions, inGroup), plan, inGroup, now, signal);
    const emitted = await store.loadEmitted(this.config.id, [...new Set([...Object.keys(previous), ...Object.keys(plan.state)])]);
    const emission = planEmission(analysis.mapped.entities, emitted, unreadShards(plan));
    // A run the scheduler gave up on (past its timeout) may already have a successor
    // on another replica: it stops here rather than mutate after it.
    signal?.throwIfAborted();
    if (!plan.unchanged) await this.send(store, emission);
    // Saved even when nothing changed: the shards' last status is part of the state.
    await store.save(this.config.id, previous, plan.state, now);
    await this.publish(store, analysis);
    await this.tellOwners(analysis.report, signal);
    const summary = summarise(inventory, plan, emission, analysis, Date.now() - started);
    this.log(summary, inventory, this.config.scanGroups > 1 ? `group ${group + 1} of ${this.config.scanGroups}` : undefined);
    this.metrics.record(this.config.id, inventory, summary, analysis.report);
    return summary;
  }

  /**
   * Which accounts the group scans: all of them with one group; else the
   * assignment every replica shares, made anew only when the set of accounts
   * changes, from the services each account held at its last scan.
   */
  private async groupMembers(store: SyncStateStore, state: SyncState, group: number, signal?: AbortSignal): Promise<(accountId: string) => boolean> {
    const groups = this.config.scanGroups;
    if (groups <= 1) return () => true;
    const accounts = await this.scanner.accounts(signal);
    const assignment = await store.keepAssignment(this.config.id, stored => keepOrAssign(stored, accounts, groups, servicesPerAccount(state)));
    return accountId => assignment.groupOf[accountId] === group;
  }

  /**
   * Reconciles the whole provider (other groups as stored) with the catalog's
   * claims and maps this group's services. Throws when the catalog cannot be
   * read: the refresh then sends nothing rather than entities stripped of their claims.
   */
  private async analyse(everything: Inventory, plan: SyncPlan, inGroup: (accountId: string) => boolean, now: Date, signal?: AbortSignal): Promise<FleetAnalysis> {
    const mapping = this.config.mapping;
    const view = await readCatalogView(this.deps.catalog, this.deps.auth, everything.services, mapping);
    const analysis = await analyseFleet({
      inventory: everything,
      entities: view.claimingEntities,
      knownOwnerRefs: view.knownOwnerRefs,
      mapping,
      servicesToMap: plan.services,
      lookUp: targets => this.scanner.lookUp(targets, signal),
      lookUpIn: inGroup,
      now,
    });
    this.metrics.recordLookups(this.config.id, analysis.lookupCalls);
    for (const r of analysis.mapped.rejected) this.logger.warn(`Left out ECS service ${r.arn}: ${r.reason}`);
    return analysis;
  }

  /**
   * Recorded before the catalog is told, removals after: whatever step a crash
   * interrupts, the next scan sends the same again instead of leaving an
   * entity in the catalog that no record remembers.
   */
  private async send(store: SyncStateStore, emission: EmissionPlan): Promise<void> {
    await store.saveEmitted(this.config.id, emission.upserts, []);
    await this.apply(emission.send, emission.removed);
    await store.saveEmitted(this.config.id, [], emission.removed);
  }

  /** Stores the report for every replica, and has the claiming entities processed again so their warnings follow it. */
  private async publish(store: SyncStateStore, analysis: FleetAnalysis): Promise<void> {
    await store.saveReport(this.config.id, analysis.report, {
      claims: claimDigests(analysis.claimingEntities),
      missingOwners: analysis.reconciliation.missingOwners,
    });
    for (const listener of this.reportListeners) listener();
    await this.connection!.refresh({ keys: [claimsRefreshKey(this.config.id)] });
  }

  /**
   * Notifications about the findings, from the replica that ran the scan and
   * after its whole analysis; a failure here never fails the scan.
   */
  private async tellOwners(report: DriftReport, signal?: AbortSignal): Promise<void> {
    if (!this.notifier || signal?.aborted) return;
    try {
      const { sent } = await this.notifier.notify(report, signal);
      if (sent > 0) this.logger.info(`Sent ${sent} ECS claim notification${sent === 1 ? '' : 's'} to the owners of claiming entities`);
    } catch (error) {
      this.logger.warn(`Could not plan the ECS claim notifications, they are planned again after the next scan: ${(error as Error).message}`);
    }
  }

  /** The latest drift report, as stored by whichever replica scanned last. */
  async latestReport(): Promise<DriftReport | undefined> {
    return (await this.latestStoredReport())?.report;
  }

  /** The latest report with the digests of the claims it saw. */
  async latestStoredReport(): Promise<StoredReport | undefined> {
    return (await this.stateStore()).loadStoredReport(this.config.id);
  }

  entityChanged(entityRef: string): void {
    this.claimRescan.notice(entityRef);
  }

  entitySettled(entityRef: string): void {
    this.claimRescan.settled(entityRef);
  }

  /** Asks the scheduler to run every group's task now, on whichever replica takes it. */
  private async triggerScans(): Promise<void> {
    const groups = this.config.scanGroups;
    for (let group = 0; group < groups; group++) {
      await this.wanted(group);
      await this.deps.scheduler.triggerTask(taskId(this.getProviderName(), group, groups));
    }
  }

  /** Records that a scan of the group was asked for, so the replica that runs it does not take it for a catch-up. */
  private async wanted(group: number): Promise<void> {
    try {
      const store = await this.stateStore();
      await store.markGroupRun(this.config.id, groupKey(group, this.config.scanGroups), { wanted_at: this.now().toISOString() });
    } catch (error) {
      this.logger.warn(`Could not record the scan asked for: ${(error as Error).message}`);
    }
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** Only deltas: each group sends every entity it keeps and removes its own, and never replaces the others'. */
  private async apply(entities: Entity[], removedRefs: string[]): Promise<void> {
    if (entities.length === 0 && removedRefs.length === 0) return;
    const locationKey = `aws-ecs-provider:${this.config.id}`;
    await this.connection!.applyMutation({
      type: 'delta',
      added: entities.map(entity => ({ entity, locationKey })),
      removed: removedRefs.map(entityRef => ({ entityRef, locationKey })),
    });
  }

  private stateStore(): Promise<SyncStateStore> {
    this.store ??= SyncStateStore.create(this.deps.database);
    return this.store;
  }

  private log(summary: SyncSummary, inventory: Inventory, group?: string): void {
    const line = `${group ? `${group}: ` : ''}${describeSync(summary)}`;
    if (summary.unchanged) this.logger.warn(line);
    else this.logger.info(line);
    for (const shard of summary.failedShards) {
      if (shard.error) this.logger.warn(`Shard ${shard.accountId}/${shard.region} not read, its entities kept: ${shard.error.message}`);
    }
    if (summary.heldBack) {
      this.logger.warn(
        `Held back the removal of ${summary.heldBack.count} of ${summary.heldBack.total} ECS entities: more than ` +
          `catalog.providers.awsEcs.${this.config.id}.removal.maxFraction (${summary.heldBack.maxFraction}). ` +
          `If the services are really gone, raise maxFraction or set removal.guard to false for one scan.`,
      );
    }
    if (inventory.discovery?.status === 'failed' && inventory.discovery.error) {
      this.logger.warn(`Account discovery failed, accounts not listed in the config were not scanned: ${inventory.discovery.error.message}`);
    }
  }
}

/** The other groups' shards as stored, this group's as just planned: the whole provider, for reconciliation. */
function wholeProvider(stored: SyncState, plan: SyncPlan, inventory: Inventory, regions: string[], inGroup: (accountId: string) => boolean): Inventory {
  const merged = { ...pickShards(stored, key => !inGroup(accountOfShardKey(key))), ...plan.state };
  return inventoryFromState(merged, inventory.discovery, {
    accounts: inventory.scopeAccounts ?? inventory.shards.map(s => s.accountId),
    regions,
  });
}

function servicesPerAccount(state: SyncState): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const [key, shard] of Object.entries(state)) {
    const account = accountOfShardKey(key);
    sizes.set(account, (sizes.get(account) ?? 0) + shard.services.length);
  }
  return sizes;
}

function unreadShards(plan: SyncPlan): Set<string> {
  return new Set(Object.entries(plan.state).filter(([, s]) => s.status === 'failed').map(([key]) => key));
}

function summarise(inventory: Inventory, plan: SyncPlan, emission: EmissionPlan, analysis: FleetAnalysis, durationMs: number): SyncSummary {
  return {
    shards: inventory.shards.length,
    failedShards: inventory.shards.filter(s => s.status === 'failed'),
    discoveryFailed: inventory.discovery?.status === 'failed' ? inventory.discovery.error?.message : undefined,
    services: inventory.services.length,
    entities: emission.kept.size,
    added: plan.unchanged ? 0 : emission.added,
    changed: plan.unchanged ? 0 : emission.upserts.length - emission.added,
    removed: plan.unchanged ? 0 : emission.removed.length,
    pending: plan.pending.length,
    rejected: analysis.mapped.rejected.length,
    heldBack: plan.heldBack,
    unchanged: plan.unchanged,
    findings: findingCount(analysis.report),
    durationMs,
  };
}

function pickShards(state: SyncState, keep: (key: string) => boolean): SyncState {
  return Object.fromEntries(Object.entries(state).filter(([key]) => keep(key)));
}

const HAND_ON_DELAY_MS = 200;
const EVENT_CLAIM_PRUNE_MS = 10 * 60_000;
const HAND_ON_ATTEMPTS = 25;
const HAND_ON_WINDOW_MS = 60_000;

function groupKey(group: number, groups: number): string {
  return `${group + 1}of${groups}`;
}

/** `<provider name>:refresh`, and `:refresh:<n>of<total>` when the scan is split into groups. */
export function taskId(providerName: string, group: number, groups: number): string {
  return groups > 1 ? `${providerName}:refresh:${group + 1}of${groups}` : `${providerName}:refresh`;
}
