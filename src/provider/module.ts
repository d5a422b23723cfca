import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint, catalogServiceRef } from '@backstage/plugin-catalog-node';
import { driftReportRegistryRef } from '../report/driftReportRegistry';
import { AwsEcsClaimsProcessor } from './AwsEcsClaimsProcessor';
import { AwsEcsEntityProvider } from './AwsEcsEntityProvider';

/**
 * Adds one Amazon ECS entity provider per `catalog.providers.awsEcs.<id>` to
 * the catalog, and the processor that shows drift findings on the entities
 * that claim ECS services: `backend.add(import('<this package>'))`.
 */
export const catalogModuleAwsEcsEntityProvider = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'aws-ecs-entity-provider',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        database: coreServices.database,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        processing: catalogProcessingExtensionPoint,
        reports: driftReportRegistryRef,
      },
      async init({ config, logger, scheduler, database, auth, catalog, processing, reports }) {
        // Config mistakes throw here, so the backend refuses to start with a message naming the key.
        const providers = AwsEcsEntityProvider.fromConfig(config, { logger, scheduler, database, auth, catalog });
        if (providers.length === 0) return;
        const processor = new AwsEcsClaimsProcessor(providers.map(p => ({ providerId: p.providerId, latestReport: () => p.latestReport() })));
        for (const provider of providers) {
          provider.onReport(() => processor.invalidate());
          reports.register(provider.providerId, () => provider.latestReport());
        }
        processing.addEntityProvider(providers);
        processing.addProcessor(processor);
      },
    });
  },
});

export default catalogModuleAwsEcsEntityProvider;
