import { createBackendModule, type BackendFeature, type LoggerService, type SchedulerService } from '@backstage/backend-plugin-api';
import type { EntityProvider } from '@backstage/plugin-catalog-node';
import type { AwsEcsEntityProvider } from '../../src/provider/AwsEcsEntityProvider';
import { AWS_ECS_DEPS, installAwsEcsProviders } from '../../src/provider/module';

/**
 * The module's own wiring on a scheduler that never fires, so every scan is
 * one the caller runs itself with `provider.refresh()`; optionally without the
 * claims processor, and with other entity providers (the hand-written side of
 * a catalog).
 */
export function providerUnderTest(options: {
  onProvider: (provider: AwsEcsEntityProvider) => void;
  now?: () => Date;
  withClaimsProcessor?: boolean;
  alsoProvide?: EntityProvider[];
  /** Replaces the plugin's logger, e.g. to read what the provider logs. */
  logger?: LoggerService;
  /** Replaces the scheduler that never fires, e.g. with one that hands the tasks to the caller. */
  scheduler?: SchedulerService;
}): BackendFeature {
  // Changed claims ask for a scan through triggerTask; here only the caller starts scans.
  const idle = { scheduleTask: async () => {}, triggerTask: async () => {} } as unknown as SchedulerService;
  return createBackendModule({
    pluginId: 'catalog',
    moduleId: 'aws-ecs-under-test',
    register(env) {
      env.registerInit({
        deps: AWS_ECS_DEPS,
        async init(deps) {
          const [provider] = installAwsEcsProviders(
            { ...deps, logger: options.logger ?? deps.logger, scheduler: options.scheduler ?? idle },
            { now: options.now, claimsProcessor: options.withClaimsProcessor ?? false },
          );
          options.onProvider(provider);
          if (options.alsoProvide) deps.processing.addEntityProvider(options.alsoProvide);
        },
      });
    },
  });
}
