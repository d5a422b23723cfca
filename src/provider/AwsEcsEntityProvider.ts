import type { DatabaseService, LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import type { AwsCredentialsManager } from '@backstage/integration-aws-node';
import type { EntityProvider, EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { createCredentialsManager } from '../config/awsConfig';
import { EcsProviderConfig, readProviderConfigs } from '../config/providerConfig';
import { mapService } from '../mapping/mapService';
import { mapServices } from '../mapping/mapServices';
import type { Inventory } from '../scan/inventory';
import { EcsScanner } from '../scan/scanner';
import { planSync } from '../sync/planSync';
import type { SyncState } from '../sync/syncState';
import { describeSync, SyncSummary } from './syncSummary';
import { SyncStateStore } from './syncStateStore';

export interface AwsEcsEntityProviderDeps {
  logger: LoggerService;
  scheduler: SchedulerService;
  database: DatabaseService;
  /** Defaults to one built from the `aws` block of the root config. */
  credentialsManager?: AwsCredentialsManager;
  /** Overrides the endpoint of every AWS client (otherwise the SDK reads AWS_ENDPOINT_URL). */
  endpoint?: string;
  /** The clock that grace periods are measured with. */
  now?: () => Date;
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
  private readonly logger: LoggerService;
  private readonly scanner: EcsScanner;

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

  /** One scan and the catalog update it calls for. */
  async refresh(): Promise<SyncSummary> {
    if (!this.connection) throw new Error(`${this.getProviderName()} is not connected to the catalog yet`);
    const started = Date.now();
    const inventory = await this.scanner.scan();
    const store = await this.stateStore();
    const previous = await store.load(this.config.id);
    const now = this.deps.now?.() ?? new Date();
    const plan = planSync(previous, inventory, this.config.removal, now);

    const { entities, rejected } = await mapServices(plan.services, this.config.mapping);
    for (const r of rejected) this.logger.warn(`Left out ECS service ${r.arn}: ${r.reason}`);

    const before = this.entitiesOf(previous);
    const after = new Map(entities.map(e => [refOf(e), e]));
    const added: Entity[] = [];
    const changed: Entity[] = [];
    for (const [ref, entity] of after) {
      const old = before.get(ref);
      if (!old) added.push(entity);
      else if (JSON.stringify(old) !== JSON.stringify(entity)) changed.push(entity);
    }
    const removedRefs = [...before.keys()].filter(ref => !after.has(ref));

    if (!plan.unchanged) {
      await this.apply(entities, [...added, ...changed], removedRefs);
      await store.save(this.config.id, previous, plan.state, now);
    }
    const summary: SyncSummary = {
      shards: inventory.shards.length,
      failedShards: inventory.shards.filter(s => s.status === 'failed'),
      discoveryFailed: inventory.discovery?.status === 'failed' ? inventory.discovery.error?.message : undefined,
      services: inventory.services.length,
      entities: entities.length,
      added: plan.unchanged ? 0 : added.length,
      changed: plan.unchanged ? 0 : changed.length,
      removed: plan.unchanged ? 0 : removedRefs.length,
      pending: plan.pending.length,
      rejected: rejected.length,
      heldBack: plan.heldBack,
      unchanged: plan.unchanged,
      durationMs: Date.now() - started,
    };
    this.log(summary, inventory);
    return summary;
  }

  private async apply(entities: Entity[], upserts: Entity[], removedRefs: string[]): Promise<void> {
    const locationKey = `aws-ecs-provider:${this.config.id}`;
    const deferred = (entity: Entity) => ({ entity, locationKey });
    // The first mutation of a process replaces everything this provider owns, which
    // repairs any difference between the catalog and the stored state; later ones only
    // carry what changed, so an unchanged fleet costs the catalog nothing.
    if (!this.sentFullMutation) {
      await this.connection!.applyMutation({ type: 'full', entities: entities.map(deferred) });
      this.sentFullMutation = true;
    } else if (upserts.length > 0 || removedRefs.length > 0) {
      await this.connection!.applyMutation({
        type: 'delta',
        added: upserts.map(deferred),
        removed: removedRefs.map(entityRef => ({ entityRef, locationKey })),
      });
    }
  }

  /** The entities the stored state stands for: what this provider last put in the catalog. */
  private entitiesOf(state: SyncState): Map<string, Entity> {
    const result = new Map<string, Entity>();
    for (const shard of Object.values(state)) {
      for (const service of shard.services) {
        const entity = mapService(service, this.config.mapping);
        result.set(refOf(entity), entity);
      }
    }
    return result;
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
