import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { AwsEcsEntityProvider } from './AwsEcsEntityProvider';

/**
 * Adds one Amazon ECS entity provider per `catalog.providers.awsEcs.<id>` to
 * the catalog: `backend.add(import('<this package>'))`.
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
        catalog: catalogProcessingExtensionPoint,
      },
      async init({ config, logger, scheduler, database, catalog }) {
        // Config mistakes throw here, so the backend refuses to start with a message naming the key.
        catalog.addEntityProvider(AwsEcsEntityProvider.fromConfig(config, { logger, scheduler, database }));
      },
    });
  },
});

export default catalogModuleAwsEcsEntityProvider;
