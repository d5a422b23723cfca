import type { Entity } from '@backstage/catalog-model';
import { coreServices, createBackendModule, type BackendFeature, type LoggerService, type SchedulerService } from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint, catalogServiceRef, type EntityProvider } from '@backstage/plugin-catalog-node';
import { AwsEcsClaimsProcessor } from '../../src/provider/AwsEcsClaimsProcessor';
import { AwsEcsEntityProvider } from '../../src/provider/AwsEcsEntityProvider';
import { driftReportRegistryRef } from '../../src/report/driftReportRegistry';
import { mockCredentials, mockServices, startTestBackend, type TestBackend } from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import type { Knex } from 'knex';

/**
 * A real Backstage backend with the real catalog plugin on the given database,
 * and whatever modules the test adds. Entities are read back through the
 * catalog's REST API, as a user or the frontend would.
 */
export async function startCatalogBackend(options: {
  knex: Knex;
  config: JsonObject;
  features: Array<BackendFeature | Promise<{ default: BackendFeature }>>;
}): Promise<TestBackend> {
  return startTestBackend({
    features: [
      import('@backstage/plugin-catalog-backend'),
      mockServices.rootConfig.factory({ data: options.config }),
      mockServices.database.factory({ knex: options.knex }),
      ...options.features,
    ],
  });
}

export async function fetchEntities(backend: TestBackend, filter: string): Promise<Entity[]> {
  const url = `http://127.0.0.1:${backend.server.port()}/api/catalog/entities/by-query?filter=${encodeURIComponent(filter)}&limit=10000`;
  const response = await fetch(url, { headers: { Authorization: mockCredentials.user.header() } });
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { items: Entity[] };
  return body.items;
}

/** Polls until `check` passes; catalog processing takes a second or two after a mutation. */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!check(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)?.slice(0, 2000)}`);
    await new Promise(resolve => setTimeout(resolve, 200));
    last = await read();
  }
  return last;
}

/**
 * The ECS provider on a scheduler that never fires, so every scan is one the
 * test runs itself with `provider.refresh()`; optionally with the claims
 * processor and other entity providers (the hand-written side of a catalog).
 */
export function providerUnderTest(options: {
  onProvider: (provider: AwsEcsEntityProvider) => void;
  now?: () => Date;
  withClaimsProcessor?: boolean;
  alsoProvide?: EntityProvider[];
  /** Replaces the plugin's logger, e.g. to read what the provider logs. */
  logger?: LoggerService;
}): BackendFeature {
  const idle = { scheduleTask: async () => {} } as unknown as SchedulerService;
  return createBackendModule({
    pluginId: 'catalog',
    moduleId: 'aws-ecs-under-test',
    register(env) {
      env.registerInit({
        deps: {
          logger: coreServices.logger,
          database: coreServices.database,
          auth: coreServices.auth,
          catalogService: catalogServiceRef,
          processing: catalogProcessingExtensionPoint,
          rootConfig: coreServices.rootConfig,
          reports: driftReportRegistryRef,
        },
        async init({ logger, database, auth, catalogService, processing, rootConfig, reports }) {
          const [provider] = AwsEcsEntityProvider.fromConfig(rootConfig, {
            logger: options.logger ?? logger,
            database,
            auth,
            catalog: catalogService,
            scheduler: idle,
            now: options.now,
          });
          options.onProvider(provider);
          reports.register(provider.providerId, () => provider.latestReport());
          processing.addEntityProvider([provider, ...(options.alsoProvide ?? [])]);
          if (options.withClaimsProcessor) {
            const processor = new AwsEcsClaimsProcessor([{ providerId: provider.providerId, latestReport: () => provider.latestReport() }]);
            provider.onReport(() => processor.invalidate());
            processing.addProcessor(processor);
          }
        },
      });
    },
  });
}
