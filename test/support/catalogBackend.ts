import type { Entity } from '@backstage/catalog-model';
import type { BackendFeature } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices, startTestBackend, type TestBackend } from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import type { EntityProvider } from '@backstage/plugin-catalog-node';
import type { Knex } from 'knex';

export { providerUnderTest } from '../../dev/harness/providerUnderTest';

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


/** Where hand-written entities come from; the catalog drops entities without a location. */
export const HAND_WRITTEN_LOCATION = {
  'backstage.io/managed-by-location': 'url:https://example.com/catalog-info.yaml',
  'backstage.io/managed-by-origin-location': 'url:https://example.com/catalog-info.yaml',
};

/** A team as written by hand. */
export function handWrittenGroup(name: string): Entity {
  return { apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name, annotations: HAND_WRITTEN_LOCATION }, spec: { type: 'team', children: [] } };
}

/** A person as written by hand, member of the given groups. */
export function handWrittenUser(name: string, memberOf: string[]): Entity {
  return { apiVersion: 'backstage.io/v1alpha1', kind: 'User', metadata: { name, annotations: HAND_WRITTEN_LOCATION }, spec: { memberOf } };
}

/** A service component written by hand that claims an ECS service by its ARN. */
export function handWrittenClaim(name: string, owner: string, arn: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, annotations: { ...HAND_WRITTEN_LOCATION, 'aws.amazon.com/amazon-ecs-service-arn': arn } },
    spec: { type: 'service', lifecycle: 'production', owner },
  };
}

/** The hand-written side of a catalog, as if read from catalog-info.yaml files. */
export function handWrittenEntities(entities: Entity[]): EntityProvider {
  return {
    getProviderName: () => 'hand-written',
    async connect(connection) {
      await connection.applyMutation({ type: 'full', entities: entities.map(entity => ({ entity, locationKey: 'hand-written' })) });
    },
  };
}
