import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { createCredentialsManager } from '../config/awsConfig';
import type { OperationsConfig } from '../gate/gateConfig';
import { readProviderConfigs } from '../config/providerConfig';
import { EcsOperator } from '../operations/ecsOperator';
import { approvalNotice, outcomeNotice } from '../gate/operationNotices';
import { OperationFlow } from '../operations/operationFlow';
import { OperationStore } from '../operations/operationStore';
import { driftReportRegistryRef } from './driftReportRegistry';
import { createEntityClaimsRouter } from './entityClaimsRouter';
import { createIamPolicyRouter } from './iamPolicyRouter';
import { createOperationsRouter } from './operationsRouter';
import { createDriftRouter } from './router';

/**
 * Serves the drift reports that the ECS catalog module publishes, under
 * `/api/ecs-catalog-sync`: `GET /providers`, `GET /drift` (JSON, Markdown or
 * HTML), `GET /drift/page` (the HTML page), `GET /iam-policy` (a team's
 * least-privilege IAM policies) and `GET /entity/:namespace/:kind/:name/claims`
 * (one entity's claims as the latest report judged them, for the entity page);
 * and ECS operations behind review gates under `/operations` for the
 * providers whose config has `operations` (see `createOperationsRouter`).
 *
 * Every route keeps Backstage's default auth policy: a request needs user or
 * service credentials (`Authorization: Bearer ...`); operations take users
 * only. A deployment that wants to open a route wider does so in its own
 * backend, for example with a module of this plugin that calls
 *
 * ```ts
 * httpRouter.addAuthPolicy({ path: '/drift/page', allow: 'user-cookie' });   // signed-in browsers
 * httpRouter.addAuthPolicy({ path: '/drift', allow: 'unauthenticated' });    // anyone who can reach the backend
 * ```
 *
 * This plugin never relaxes the policy itself.
 */
export const ecsCatalogSyncPlugin = createBackendPlugin({
  pluginId: 'ecs-catalog-sync',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        registry: driftReportRegistryRef,
        catalog: catalogServiceRef,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        database: coreServices.database,
        config: coreServices.rootConfig,
        notifications: notificationService,
        scheduler: coreServices.scheduler,
      },
      async init({ httpRouter, logger, registry, catalog, httpAuth, permissions, database, config, notifications, scheduler }) {
        httpRouter.use(createDriftRouter({ registry, logger }));
        httpRouter.use(createIamPolicyRouter({ registry, catalog, httpAuth, logger }));
        httpRouter.use(createEntityClaimsRouter({ registry, catalog, httpAuth, logger }));

        const configs = new Map<string, OperationsConfig | undefined>(readProviderConfigs(config).map(p => [p.id, p.operations]));
        if (![...configs.values()].some(Boolean)) return;
        const credentialsManager = createCredentialsManager(config);
        const flow = new OperationFlow({
          store: await OperationStore.create(database),
          operator: new EcsOperator(async () => (await credentialsManager.getCredentialProvider()).sdkCredentialProvider),
          logger,
          notifier: {
            async awaitingApproval(operation, owner) {
              await notifications.send(approvalNotice(operation, owner));
            },
            async finished(operation) {
              await notifications.send(outcomeNotice(operation));
            },
          },
        });
        httpRouter.use(createOperationsRouter({ flow, configs, catalog, httpAuth, permissions, logger }));
        // Reads expire what is overdue too; the sweep tells requesters of expiries nobody looked at, and settles changes a stopped replica left running.
        await scheduler.scheduleTask({
          id: 'ecs-catalog-sync:operations-expiry',
          frequency: { minutes: 1 },
          timeout: { minutes: 1 },
          initialDelay: { minutes: 1 },
          fn: async () => {
            const expired = await flow.expireOverdue();
            if (expired > 0) logger.info(`${expired} ECS operation(s) settled: expired unapproved, or failed after their replica stopped mid-change`);
          },
        });
        logger.info(`ECS operations offered for provider(s) ${[...configs].filter(([, c]) => c).map(([id]) => id).join(', ')}`);
      },
    });
  },
});
