import type { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { EntityProvider, catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import type { EcsCatalogSyncApi } from '../api/EcsCatalogSyncApi';
import { ecsCatalogSyncApiRef } from '../api/EcsCatalogSyncApi';
import type { DriftReport, EntityEcsView } from '../api/types';

export const ARN_KEY = 'aws.amazon.com/amazon-ecs-service-arn';
export const TAGS_KEY = 'aws.amazon.com/amazon-ecs-service-tags';
export const arn = (account: string, region: string, cluster: string, name: string) => `arn:aws:ecs:${region}:${account}:service/${cluster}/${name}`;

/** Values as a tag or annotation may carry them: each would run script if it became markup. */
export const HOSTILE_IMG = `<img src=x onerror="document.title='PWNED'">`;
export const HOSTILE_SCRIPT = `<script>document.title='PWNED'</script>`;

export function component(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner: 'group:default/team-a', lifecycle: 'production' },
  };
}

/** The drift plugin's answers, as the backend would give them; every call is recorded. */
export function fakeApi(answers: { view?: EntityEcsView | Error; report?: DriftReport | Error }): EcsCatalogSyncApi & { calls: string[] } {
  const calls: string[] = [];
  const answer = async <T,>(value: T | Error | undefined, what: string): Promise<T> => {
    calls.push(what);
    if (value === undefined) throw new Error(`the test gave no ${what}`);
    if (value instanceof Error) throw value;
    return value;
  };
  return {
    calls,
    getEntityView: ref => answer(answers.view, `view ${ref.kind}:${ref.namespace}/${ref.name}`),
    getDriftReport: () => answer(answers.report, 'report'),
    getProviders: async () => ['production'],
  };
}

/** The error the client throws for a backend answer of Backstage's error JSON. */
export async function responseError(status: number, name: string, message: string): Promise<ResponseError> {
  const body = JSON.stringify({ error: { name, message }, response: { statusCode: status } });
  const response = {
    status,
    statusText: status === 404 ? 'Not Found' : 'Internal Server Error',
    url: 'http://127.0.0.1/api/ecs-catalog-sync',
    headers: new Map([['content-type', 'application/json; charset=utf-8']]),
    text: async () => body,
  };
  return ResponseError.fromResponse(response as unknown as Response);
}

/** Renders an entity page element in a test app, with the entity, the fake API and the catalog's entity route. */
export function renderOnEntityPage(element: JSX.Element, entity: Entity, api: EcsCatalogSyncApi) {
  return renderInTestApp(<EntityProvider entity={entity}>{element}</EntityProvider>, {
    apis: [[ecsCatalogSyncApiRef, api]],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
}

export function renderPage(element: JSX.Element, api: EcsCatalogSyncApi, options: { ownershipEntityRefs: string[]; serviceEntities?: Entity[] }) {
  const catalogApi = { getEntities: async () => ({ items: options.serviceEntities ?? [] }) };
  return renderInTestApp(element, {
    apis: [
      [ecsCatalogSyncApiRef, api],
      [catalogApiRef, catalogApi],
      mockApis.identity({ userEntityRef: 'user:default/alice', ownershipEntityRefs: options.ownershipEntityRefs }),
    ],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
}
