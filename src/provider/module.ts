import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint, catalogServiceRef } from '@backstage/plugin-catalog-node';
import { ecsServicePermissions } from '../permissions/ecsServicePermissions';
import { createIsEcsServiceOwnerRule } from '../permissions/isEcsServiceOwner';
import { driftReportRegistryRef } from '../plugin/driftReportRegistry';
import { AwsEcsClaimsProcessor } from './AwsEcsClaimsProcessor';
import { AwsEcsEntityProvider } from './AwsEcsEntityProvider';

/**
 * Adds one Amazon ECS entity provider per `catalog.providers.awsEcs.<id>` to
 * the catalog, the processor that shows drift findings on the entities that
 * claim ECS services, and the `IS_ECS_SERVICE_OWNER` permission rule:
 * `backend.add(import('<this package>'))`.
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
        permissionsRegistry: coreServices.permissionsRegistry,
      },
      async init({ config, logger, scheduler, database, auth, catalog, processing, reports, permissionsRegistry }) {
        // Config mistakes throw here, so the backend refuses to start with a message naming the key.
        const providers = AwsEcsEntityProvider.fromConfig(config, { logger, scheduler, database, auth, catalog });
        // Registered even without providers, so policies that name the rule still load (it then matches nothing).
        permissionsRegistry.addPermissionRules([createIsEcsServiceOwnerRule(providers.map(p => p.providerId))]);
        permissionsRegistry.addPermissions(ecsServicePermissions);
        if (providers.length === 0) return;
        const processor = new AwsEcsClaimsProcessor(providers);
        for (const provider of providers) {
          provider.onReport(() => processor.invalidate());
          reports.register(provider.providerId, () => provider.latestReport(), provider.access);
        }
        processing.addEntityProvider(providers);
        processing.addProcessor(processor);
      },
    });
  },
});

export default catalogModuleAwsEcsEntityProvider;
