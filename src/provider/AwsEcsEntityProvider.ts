import type { AuthService, DatabaseService, LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import type { AwsCredentialsManager } from '@backstage/integration-aws-node';
import type { CatalogService, EntityProvider, EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { createCredentialsManager } from '../config/awsConfig';
import { EcsProviderConfig, readProviderConfigs } from '../config/providerConfig';
import { ANNOTATION_ACCOUNT_ID, ANNOTATION_REGION } from '../mapping/annotations';
import { mapServices } from '../mapping/mapServices';
import { readClaims } from '../reconcile/claims';
import { matchClaims, reconcile } from '../reconcile/reconcile';
import { buildDriftReport, type DriftReport, findingCount } from '../report/driftReport';
import { type Inventory, shardKey } from '../scan/inventory';
import { EcsScanner } from '../scan/scanner';
import { planSync } from '../sync/planSync';
import { readCatalogView } from './catalogView';
import { claimsRefreshKey } from './claimsRefreshKey';
import { describeSync, SyncSummary } from './syncSummary';
import { SyncMetrics } from './syncMetrics';
import { SyncStateStore } from './syncStateStore';

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
}

/**
 * One provider per `catalog.providers.awsEcs.<id>`: scans on its schedule and
 * keeps one entity per ECS service. The provider name derives from the id
 * alone, so it never changes while the config keeps the id.
 */
export class AwsEcsEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private store?: Promise<SyncStateStore>;
  private sentFullMutation = false;
  private readonly reportListeners: Array<() => void> = [];
  private readonly logger: LoggerService;
  private readonly scanner: EcsScanner;
  private readonly metrics: SyncMetrics;

  static fromConfig(root: Config, deps: AwsEcsEntityProviderDeps): AwsEcsEntityProvider[] {
    const configs = readProviderConfigs(root);
    if (configs.length === 0) return [];
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
  }

  /** The config id this provider reads (`catalog.providers.awsEcs.<id>`). */
  get providerId(): string {
    return this.config.id;
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
    await this.deps.scheduler.scheduleTask({
      id: `${this.getProviderName()}:refresh`,
      ...this.config.schedule,
      // One replica at a time scans a provider; the state in the database hands over between them.
      scope: 'global',
      fn: async () => {
        try {
          await this.refresh();
        } catch (error) {
          // A failed refresh sends nothing: the catalog keeps what it has.
          this.logger.error(`ECS sync failed, catalog left unchanged: ${(error as Error).message}`);
        }
      },
    });
  }

  /** One scan, its reconciliation with the catalog's claims, and the catalog update they call for. */
  async refresh(): Promise<SyncSummary> {
    if (!this.connection) throw new Error(`${this.getProviderName()} is not connected to the catalog yet`);
    const started = Date.now();
    const inventory = await this.scanner.scan();
    const store = await this.stateStore();
    const previous = await store.load(this.config.id);
    const now = this.deps.now?.() ?? new Date();
    const plan = planSync(previous, inventory, this.config.removal, now);
    const mapping = this.config.mapping;

    // Throws when the catalog cannot be read: the refresh then sends nothing rather than
    // entities stripped of their claims.
    const view = await readCatalogView(this.deps.catalog, this.deps.auth, plan.services, mapping);
    const reconciliation = reconcile({ inventory, entities: view.claimingEntities, mapping, knownEntityRefs: view.knownOwnerRefs });
    const claimants = matchClaims(
      plan.services,
      view.claimingEntities.flatMap(e => readClaims(e).claims),
    );
    const drifting = new Set(reconciliation.findings.ownerDrift.map(d => d.arn));
    const { entities, rejected } = await mapServices(plan.services, mapping, service => {
      const claimedBy = claimants.get(service.arn) ?? [];
      return {
        claimedBy,
        claimantOwner: claimedBy.length > 0 ? reconciliation.declaredOwners.get(claimedBy[0]) : undefined,
        ownerDrift: drifting.has(service.arn),
      };
    });
    for (const r of rejected) this.logger.warn(`Left out ECS service ${r.arn}: ${r.reason}`);

    // Entities of shards that were not read stay exactly as they were last sent.
    const emitted = await store.loadEmitted(this.config.id);
    const unread = new Set(inventory.shards.filter(s => s.status === 'failed').map(s => shardKey(s.accountId, s.region)));
    const next = new Map<string, string>();
    for (const entity of entities) {
      const ref = refOf(entity);
      const annotations = entity.metadata.annotations ?? {};
      const shard = shardKey(annotations[ANNOTATION_ACCOUNT_ID], annotations[ANNOTATION_REGION]);
      const kept = unread.has(shard) ? emitted.get(ref) : undefined;
      next.set(ref, kept ?? JSON.stringify(entity));
    }
    const upserts = [...next].filter(([ref, json]) => emitted.get(ref) !== json);
    const added = upserts.filter(([ref]) => !emitted.has(ref)).length;
    const removedRefs = [...emitted.keys()].filter(ref => !next.has(ref));

    if (!plan.unchanged) {
      await this.apply(next, upserts, removedRefs);
      await store.save(this.config.id, previous, plan.state, now);
      await store.saveEmitted(this.config.id, emitted, next);
    }
    const report = buildDriftReport(reconciliation, now);
    await store.saveReport(this.config.id, report);
    for (const listener of this.reportListeners) listener();
    // Claiming entities are processed again soon, so their warnings follow this report.
    await this.connection.refresh({ keys: [claimsRefreshKey(this.config.id)] });

    const summary: SyncSummary = {
      shards: inventory.shards.length,
      failedShards: inventory.shards.filter(s => s.status === 'failed'),
      discoveryFailed: inventory.discovery?.status === 'failed' ? inventory.discovery.error?.message : undefined,
      services: inventory.services.length,
      entities: next.size,
      added: plan.unchanged ? 0 : added,
      changed: plan.unchanged ? 0 : upserts.length - added,
      removed: plan.unchanged ? 0 : removedRefs.length,
      pending: plan.pending.length,
      rejected: rejected.length,
      heldBack: plan.heldBack,
      unchanged: plan.unchanged,
      findings: findingCount(report),
      durationMs: Date.now() - started,
    };
    this.log(summary, inventory);
    this.metrics.record(this.config.id, inventory, summary, report);
    return summary;
  }

  /** The latest drift report, as stored by whichever replica scanned last. */
  async latestReport(): Promise<DriftReport | undefined> {
    return (await this.stateStore()).loadReport(this.config.id);
  }

  private async apply(all: Map<string, string>, upserts: Array<[string, string]>, removedRefs: string[]): Promise<void> {
    const locationKey = `aws-ecs-provider:${this.config.id}`;
    const deferred = (json: string) => ({ entity: JSON.parse(json) as Entity, locationKey });
    // The first mutation of a process replaces everything this provider owns, which
    // repairs any difference between the catalog and the stored state; later ones only
    // carry what changed, so an unchanged fleet costs the catalog nothing.
    if (!this.sentFullMutation) {
      await this.connection!.applyMutation({ type: 'full', entities: [...all.values()].map(deferred) });
      this.sentFullMutation = true;
    } else if (upserts.length > 0 || removedRefs.length > 0) {
      await this.connection!.applyMutation({
        type: 'delta',
        added: upserts.map(([, json]) => deferred(json)),
        removed: removedRefs.map(entityRef => ({ entityRef, locationKey })),
      });
    }
  }

  private stateStore(): Promise<SyncStateStore> {
    this.store ??= SyncStateStore.create(this.deps.database);
    return this.store;
  }

  private log(summary: SyncSummary, inventory: Inventory): void {
    const line = describeSync(summary);
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

function refOf(entity: Entity): string {
  return stringifyEntityRef(entity).toLowerCase();
}
