import {
  type AuthService,
  coreServices,
  createBackendModule,
  type DatabaseService,
  type LifecycleService,
  type LoggerService,
  type PermissionsRegistryService,
  type RootConfigService,
  type SchedulerService,
} from '@backstage/backend-plugin-api';
import { type NotificationService, notificationService } from '@backstage/plugin-notifications-node';
import { type CatalogProcessingExtensionPoint, catalogProcessingExtensionPoint, type CatalogService, catalogServiceRef } from '@backstage/plugin-catalog-node';
import { type EventsService, eventsServiceRef } from '@backstage/plugin-events-node';
import { ecsServicePermissions } from '../permissions/ecsServicePermissions';
import { createIsEcsServiceOwnerRule } from '../permissions/isEcsServiceOwner';
import { type DriftReportRegistry, driftReportRegistryRef } from '../plugin/driftReportRegistry';
import { AwsEcsClaimsProcessor } from './AwsEcsClaimsProcessor';
import { AwsEcsEntityProvider } from './AwsEcsEntityProvider';

export interface AwsEcsWiring {
  config: RootConfigService;
  logger: LoggerService;
  scheduler: SchedulerService;
  database: DatabaseService;
  lifecycle: LifecycleService;
  auth: AuthService;
  catalog: CatalogService;
  processing: CatalogProcessingExtensionPoint;
  reports: DriftReportRegistry;
  permissionsRegistry: PermissionsRegistryService;
  notifications?: NotificationService;
  /** Subscribed to only by providers with `events.topic` set. */
  events?: EventsService;
}

/**
 * Everything the module adds, given its services: the module's own init, and
 * harnesses that drive scans by hand (a scheduler that never fires, a clock
 * of their own) without wiring the parts a second time.
 */
export function installAwsEcsProviders(
  { config, logger, scheduler, database, lifecycle, auth, catalog, processing, reports, permissionsRegistry, notifications, events }: AwsEcsWiring,
  options: { now?: () => Date; claimsProcessor?: boolean } = {},
): AwsEcsEntityProvider[] {
  // Config mistakes throw here, so the backend refuses to start with a message naming the key.
  const providers = AwsEcsEntityProvider.fromConfig(config, { logger, scheduler, database, auth, catalog, notifications, events, now: options.now });
  // Registered even without providers, so policies that name the rule still load (it then matches nothing).
  permissionsRegistry.addPermissionRules([createIsEcsServiceOwnerRule(providers.map(p => p.providerId))]);
  permissionsRegistry.addPermissions(ecsServicePermissions);
  if (providers.length === 0) return providers;
  const processor = options.claimsProcessor === false ? undefined : new AwsEcsClaimsProcessor(providers);
  for (const provider of providers) {
    lifecycle.addShutdownHook(() => provider.leave());
    if (processor) provider.onReport(() => processor.invalidate());
    reports.register(provider.providerId, () => provider.latestReport(), provider.access);
  }
  processing.addEntityProvider(providers);
  if (processor) processing.addProcessor(processor);
  return providers;
}

/** The services the module is wired with, but for the scheduler (a harness brings its own). */
export const AWS_ECS_DEPS = {
  config: coreServices.rootConfig,
  logger: coreServices.logger,
  database: coreServices.database,
  lifecycle: coreServices.lifecycle,
  auth: coreServices.auth,
  catalog: catalogServiceRef,
  processing: catalogProcessingExtensionPoint,
  reports: driftReportRegistryRef,
  permissionsRegistry: coreServices.permissionsRegistry,
  // Always there: without the notifications plugin its default client fails to send, and nothing is remembered as sent.
  notifications: notificationService,
  // Always there (the service has a default), but only providers with `events.topic` subscribe.
  events: eventsServiceRef,
};

/**
 * Adds one Amazon ECS entity provider per `catalog.providers.awsEcs.<id>` to
 * the catalog, the processor that shows drift findings on the entities that
 * claim ECS services (and tells their owners through the notifications
 * plugin), and the `IS_ECS_SERVICE_OWNER` permission rule:
 * `backend.add(import('<this package>'))`.
 */
export const catalogModuleAwsEcsEntityProvider = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'aws-ecs-entity-provider',
  register(env) {
    env.registerInit({
      deps: { ...AWS_ECS_DEPS, scheduler: coreServices.scheduler },
      async init(deps) {
        installAwsEcsProviders(deps);
      },
    });
  },
});

export default catalogModuleAwsEcsEntityProvider;
