import { coreServices, createBackendModule, type BackendFeature, type LoggerService, type SchedulerService } from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint, catalogServiceRef, type EntityProvider } from '@backstage/plugin-catalog-node';
import { AwsEcsClaimsProcessor } from '../../src/provider/AwsEcsClaimsProcessor';
import { AwsEcsEntityProvider } from '../../src/provider/AwsEcsEntityProvider';
import { driftReportRegistryRef } from '../../src/plugin/driftReportRegistry';

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
  // Changed claims ask for a scan through triggerTask; here only the test starts scans.
  const idle = { scheduleTask: async () => {}, triggerTask: async () => {} } as unknown as SchedulerService;
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
          reports.register(provider.providerId, () => provider.latestReport(), provider.access);
          processing.addEntityProvider([provider, ...(options.alsoProvide ?? [])]);
          if (options.withClaimsProcessor) {
            const processor = new AwsEcsClaimsProcessor([provider]);
            provider.onReport(() => processor.invalidate());
            processing.addProcessor(processor);
          }
        },
      });
    },
  });
}
