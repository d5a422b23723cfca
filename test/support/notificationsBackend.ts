import { type BackendFeature, coreServices, createBackendModule, createServiceFactory } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices, startTestBackend, type TestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogProcessingExtensionPoint, type EntityProviderConnection } from '@backstage/plugin-catalog-node';
import type { JsonObject } from '@backstage/types';
import type { Knex } from 'knex';

/**
 * A real backend with the catalog and whatever else the test adds. Each
 * plugin gets a database of its own, as in a real deployment: the catalog and
 * the notifications plugin both keep their migrations in knex's default table.
 */
export async function startBackendWithDatabases(options: {
  databases: Record<string, Knex>;
  config: JsonObject;
  features: Array<BackendFeature | Promise<{ default: BackendFeature }>>;
}): Promise<TestBackend> {
  return startTestBackend({
    features: [
      import('@backstage/plugin-catalog-backend'),
      mockServices.rootConfig.factory({ data: options.config }),
      createServiceFactory({
        service: coreServices.database,
        deps: { plugin: coreServices.pluginMetadata },
        factory({ plugin }) {
          const knex = options.databases[plugin.getId()];
          if (!knex) throw new Error(`the test gives plugin ${plugin.getId()} no database`);
          return { getClient: async () => knex };
        },
      }),
      ...options.features,
    ],
  });
}

/** An entity provider whose entities the test sets, and changes, when it likes. */
export function changingEntities(): { feature: BackendFeature; set: (entities: Entity[]) => Promise<void> } {
  let connection: EntityProviderConnection | undefined;
  const feature = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'changing-entities',
    register(env) {
      env.registerInit({
        deps: { processing: catalogProcessingExtensionPoint },
        async init({ processing }) {
          processing.addEntityProvider({ getProviderName: () => 'changing-entities', connect: async c => void (connection = c) });
        },
      });
    },
  });
  const set = async (entities: Entity[]) => {
    if (!connection) throw new Error('the catalog has not connected the entity provider yet');
    await connection.applyMutation({ type: 'full', entities: entities.map(entity => ({ entity, locationKey: 'changing-entities' })) });
  };
  return { feature, set };
}

export interface ReadNotification {
  id: string;
  user: string;
  origin: string;
  created: string;
  updated?: string | null;
  read?: string | null;
  payload: { title: string; description?: string; link?: string; scope?: string; topic?: string; severity?: string };
}

/** The user's notifications, read through the notifications backend's REST API as that user. */
export async function notificationsOf(backend: TestBackend, userRef: string): Promise<ReadNotification[]> {
  const url = `http://127.0.0.1:${backend.server.port()}/api/notifications/notifications?limit=100`;
  const response = await fetch(url, { headers: { Authorization: mockCredentials.user.header(userRef) } });
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { totalCount: number; notifications: ReadNotification[] };
  return body.notifications;
}
