import type { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { EntityProvider, catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import type { EcsCatalogSyncApi } from '../api/EcsCatalogSyncApi';
import { ecsCatalogSyncApiRef } from '../api/EcsCatalogSyncApi';
import type { DriftReport, EntityEcsView, Operation, OperationCapabilities, OperationRequest } from '../api/types';

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

/** What the operations routes answer in a test; each function may throw a `responseError`. */
export interface FakeOperations {
  /** Unset: 404, as for an entity that claims no single service. */
  capabilities?: OperationCapabilities | Error;
  /** Read on every list, so a test may change it between refreshes. */
  list?: () => Operation[];
  request?: (request: OperationRequest) => Operation;
  approve?: (id: string, comment: string | undefined) => Operation;
  reject?: (id: string, comment: string) => Operation;
}

/** The drift plugin's answers, as the backend would give them; every call is recorded. */
export function fakeApi(answers: { view?: EntityEcsView | Error; report?: DriftReport | Error; operations?: FakeOperations }): EcsCatalogSyncApi & { calls: string[] } {
  const calls: string[] = [];
  const answer = async <T,>(value: T | Error | undefined, what: string): Promise<T> => {
    calls.push(what);
    if (value === undefined) throw new Error(`the test gave no ${what}`);
    if (value instanceof Error) throw value;
    return value;
  };
  const ops = answers.operations ?? {};
  const run = async <T,>(what: string, fn: (() => T) | undefined): Promise<T> => {
    calls.push(what);
    if (!fn) throw new Error(`the test gave no ${what}`);
    return fn();
  };
  return {
    calls,
    getEntityView: ref => answer(answers.view, `view ${ref.kind}:${ref.namespace}/${ref.name}`),
    getDriftReport: () => answer(answers.report, 'report'),
    getProviders: async () => ['production'],
    getOperationCapabilities: async entityRef => {
      if (ops.capabilities === undefined) {
        calls.push(`capabilities ${entityRef}`);
        throw await responseError(404, 'NotFoundError', `${entityRef} is not an ECS service and claims no single service`);
      }
      return answer(ops.capabilities, `capabilities ${entityRef}`);
    },
    listOperations: entityRef => run(`list ${entityRef}`, ops.list),
    getOperation: async id => {
      calls.push(`get ${id}`);
      const found = ops.list?.().find(o => o.id === id);
      if (!found) throw await responseError(404, 'NotFoundError', `no operation ${id}`);
      return found;
    },
    requestOperation: request => run(`request ${JSON.stringify(request)}`, ops.request && (() => ops.request!(request))),
    approveOperation: (id, options = {}) => run(`approve ${id} ${JSON.stringify(options)}`, ops.approve && (() => ops.approve!(id, options.comment))),
    rejectOperation: (id, options) => run(`reject ${id} ${JSON.stringify(options)}`, ops.reject && (() => ops.reject!(id, options.comment))),
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
export function renderOnEntityPage(element: JSX.Element, entity: Entity, api: EcsCatalogSyncApi, options: { userEntityRef?: string } = {}) {
  return renderInTestApp(<EntityProvider entity={entity}>{element}</EntityProvider>, {
    apis: [[ecsCatalogSyncApiRef, api], mockApis.identity({ userEntityRef: options.userEntityRef ?? 'user:default/alice', ownershipEntityRefs: [options.userEntityRef ?? 'user:default/alice'] })],
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

export const SERVICE_ARN = arn('111111111111', 'eu-west-1', 'shop', 'cart');

/** Operations allowed on the cart service: restart without approval, scale and deploy with one. */
export function capabilities(over: Partial<OperationCapabilities> = {}): OperationCapabilities {
  return {
    entityRef: 'component:default/cart',
    serviceArn: SERVICE_ARN,
    enabled: true,
    reason: null,
    actions: [
      { action: 'restart', allowed: true, reason: null, approvalsRequired: 0 },
      { action: 'scale', allowed: true, reason: null, approvalsRequired: 1 },
      { action: 'deploy', allowed: true, reason: null, approvalsRequired: 1 },
    ],
    canApprove: true,
    scale: { min: 1, max: 10 },
    taskDefinitionFamily: 'cart',
    ...over,
  };
}

/** A pending restart of the cart service requested by bob; `over` moves it along. */
export function operation(over: Partial<Operation> = {}): Operation {
  return {
    id: 'op-1',
    provider: 'production',
    entityRef: 'resource:default/cart-1a2b',
    requestedFor: 'component:default/cart',
    serviceArn: SERVICE_ARN,
    accountId: '111111111111',
    region: 'eu-west-1',
    action: 'restart',
    desiredCount: null,
    taskDefinition: null,
    reason: 'memory leak',
    requestedBy: 'user:default/bob',
    requestedAt: '2026-12-01T10:00:00.000Z',
    status: 'pending',
    approvalsRequired: 1,
    approvedBy: [],
    expiresAt: '2026-12-01T11:00:00.000Z',
    gate: null,
    roleArn: 'arn:aws:iam::111111111111:role/team-a-operate',
    sourceIdentity: 'user_default_bob',
    before: { desiredCount: 2, taskDefinition: 'cart:6', deploymentId: 'ecs-svc/1111' },
    after: null,
    awsRequestId: null,
    error: null,
    events: [{ kind: 'requested', actor: 'user:default/bob', at: '2026-12-01T10:00:00.000Z', message: 'memory leak', awsRequestId: null }],
    ...over,
  };
}
