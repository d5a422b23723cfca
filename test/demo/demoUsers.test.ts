import { serviceArnFor } from '../../dev/emulator';
import { DEMO_USER_HEADER, DEMO_USER_PROVIDER_ID } from '../../dev/demo/demoUserRequest';
import { DEV_CLI, ROOT } from '../support/builtCli';
import { demoEnv, freePort, startCli, type RunningCli } from './childProcess';

/**
 * The demo's people over HTTP, as the web app and a browser test use them:
 * signing in as a User entity of examples/catalog-info.yaml through the
 * demo-user provider, then asking the permission backend with that user's
 * token what the policy lets them do with the services the fleet runs.
 */

/** Waiting limits, not expectations about speed. */
const READY_TIMEOUT_MS = 240_000;
const EXIT_TIMEOUT_MS = 20_000;

/** The payments checkout in examples/fleet.yaml: its owner tag says team-payments. */
const PAYMENTS_SERVICE_ARN = serviceArnFor('eu-west-1', '012345678901', 'payments', 'checkout-api');
/** The search API in examples/fleet.yaml: its owner tag says team-search. */
const SEARCH_SERVICE_ARN = serviceArnFor('eu-west-1', '222222222222', 'search', 'search-api');

interface RefreshAnswer {
  profile: { displayName?: string; email?: string };
  backstageIdentity: { token: string; identity: { type: string; userEntityRef: string; ownershipEntityRefs: string[] } };
}

interface PermissionQuery {
  name: string;
  resourceRef?: string;
}

/** A resource permission on catalog entities, as `createPermission` serialises it. */
function catalogEntityPermission(name: string, action: string) {
  return { type: 'resource', name, attributes: { action }, resourceType: 'catalog-entity' };
}

const PERMISSION_ACTIONS: Record<string, string> = {
  'catalog.entity.read': 'read',
  'ecs.service.restart': 'update',
  'ecs.service.scale': 'update',
  'ecs.service.deploy': 'update',
  'ecs.operation.approve': 'update',
};

describe('the demo people and their permissions (npm start)', () => {
  let cli: RunningCli | undefined;
  let baseUrl: string;

  beforeAll(async () => {
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    cli = startCli(DEV_CLI, ['demo'], {
      cwd: ROOT,
      env: demoEnv({ ECS_CATALOG_SYNC_DEMO_PORT: String(port) }),
    });
    // Printed once the first scan is in the catalog and its claims were reconciled and notified.
    await cli.waitForStdout(/Press Ctrl-C to stop\./, READY_TIMEOUT_MS);
  }, READY_TIMEOUT_MS + 10_000);

  afterAll(async () => {
    if (!cli) return;
    cli.child.kill('SIGINT');
    await cli.waitForExit(EXIT_TIMEOUT_MS).catch(() => undefined);
    cli.kill();
  }, EXIT_TIMEOUT_MS + 5_000);

  async function refresh(userName: string | undefined): Promise<Response> {
    return fetch(`${baseUrl}/api/auth/${DEMO_USER_PROVIDER_ID}/refresh`, {
      headers: { 'X-Requested-With': 'XMLHttpRequest', ...(userName === undefined ? {} : { [DEMO_USER_HEADER]: userName }) },
    });
  }

  async function signIn(userName: string): Promise<RefreshAnswer> {
    const response = await refresh(userName);
    expect(response.status).toBe(200);
    return (await response.json()) as RefreshAnswer;
  }

  async function entityRefOfService(arn: string): Promise<string> {
    // Components that claim the service carry the same annotation: only the provider's entity has this type.
    const query = new URLSearchParams({ filter: `spec.type=ecs-service,metadata.annotations.aws.amazon.com/amazon-ecs-service-arn=${arn}` });
    const answer = (await (await fetch(`${baseUrl}/api/catalog/entities/by-query?${query}`)).json()) as {
      items: Array<{ kind: string; metadata: { namespace?: string; name: string } }>;
    };
    expect(answer.items).toHaveLength(1);
    const [entity] = answer.items;
    return `${entity.kind.toLowerCase()}:${entity.metadata.namespace ?? 'default'}/${entity.metadata.name}`;
  }

  async function authorize(token: string, queries: PermissionQuery[]): Promise<Response> {
    return fetch(`${baseUrl}/api/permission/authorize`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        items: queries.map((query, index) => ({
          id: String(index),
          permission: catalogEntityPermission(query.name, PERMISSION_ACTIONS[query.name]),
          ...(query.resourceRef ? { resourceRef: query.resourceRef } : {}),
        })),
      }),
    });
  }

  async function decisions(token: string, queries: PermissionQuery[]): Promise<string[]> {
    const response = await authorize(token, queries);
    const body = (await response.json()) as { items: Array<{ id: string; result: string }> };
    expect(response.status).toBe(200);
    return queries.map((_, index) => body.items.find(item => item.id === String(index))?.result ?? 'missing');
  }

  it('signs alice and bob in as owners of team-payments, and carol as a member of team-search', async () => {
    const alice = await signIn('alice');
    const bob = await signIn('bob');
    const carol = await signIn('carol');

    expect(alice.backstageIdentity.identity).toEqual({
      type: 'user',
      userEntityRef: 'user:default/alice',
      ownershipEntityRefs: expect.arrayContaining(['user:default/alice', 'group:default/team-payments']),
    });
    expect(bob.backstageIdentity.identity.userEntityRef).toBe('user:default/bob');
    expect(bob.backstageIdentity.identity.ownershipEntityRefs).toEqual(expect.arrayContaining(['user:default/bob', 'group:default/team-payments']));
    expect(carol.backstageIdentity.identity.ownershipEntityRefs).toEqual(expect.arrayContaining(['user:default/carol', 'group:default/team-search']));
    expect(carol.backstageIdentity.identity.ownershipEntityRefs).not.toContain('group:default/team-payments');
    // The profile comes from the User entity.
    expect(alice.profile).toEqual({ displayName: 'Alice', email: 'alice@example.com' });
    // Each sign-in has its own token.
    expect(new Set([alice, bob, carol].map(a => a.backstageIdentity.token)).size).toBe(3);
  });

  it('refuses a name that is no User entity of the catalog, a malformed name and a missing header', async () => {
    for (const userName of ['mallory', 'team-payments', 'alice/../bob', '<script>', undefined]) {
      const response = await refresh(userName);
      const body = (await response.json()) as { error: { name: string; message: string } };
      expect([userName, response.status]).toEqual([userName, 401]);
      expect(body.error.name).toBe('AuthenticationError');
      expect(body).not.toHaveProperty('backstageIdentity');
    }
  });

  it("lets owners, and only owners, operate a service, and lets everyone read the catalog, through the user's token", async () => {
    const payments = await entityRefOfService(PAYMENTS_SERVICE_ARN);
    const search = await entityRefOfService(SEARCH_SERVICE_ARN);
    const operations = ['ecs.service.restart', 'ecs.service.scale', 'ecs.service.deploy', 'ecs.operation.approve'];
    const queries: PermissionQuery[] = [
      { name: 'catalog.entity.read', resourceRef: payments },
      { name: 'catalog.entity.read', resourceRef: search },
      ...operations.map(name => ({ name, resourceRef: payments })),
      ...operations.map(name => ({ name, resourceRef: search })),
    ];
    const expected = (ownsPayments: boolean) => [
      'ALLOW',
      'ALLOW',
      ...operations.map(() => (ownsPayments ? 'ALLOW' : 'DENY')),
      ...operations.map(() => (ownsPayments ? 'DENY' : 'ALLOW')),
    ];

    for (const [userName, ownsPayments] of [['alice', true], ['bob', true], ['carol', false]] as const) {
      const { token } = (await signIn(userName)).backstageIdentity;
      expect([userName, await decisions(token, queries)]).toEqual([userName, expected(ownsPayments)]);
    }
  });

  it('gives no ECS operation on an entity that is not an ECS service of the provider, even to its owners', async () => {
    const { token } = (await signIn('alice')).backstageIdentity;
    // team-payments owns the checkout component, which claims the service.
    expect(await decisions(token, [{ name: 'ecs.service.restart', resourceRef: 'component:default/checkout' }])).toEqual(['DENY']);
  });

  it('needs a resource for an ECS operation asked with a user token: the conditional decision is never handed out', async () => {
    const { token } = (await signIn('alice')).backstageIdentity;
    const response = await authorize(token, [{ name: 'ecs.service.restart' }]);
    expect(response.status).toBe(400);
  });

  it('answers an ECS operation without a signed-in user with DENY', async () => {
    const payments = await entityRefOfService(PAYMENTS_SERVICE_ARN);
    const response = await fetch(`${baseUrl}/api/permission/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items: [{ id: '1', permission: catalogEntityPermission('ecs.service.restart', 'update'), resourceRef: payments }] }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ items: [{ id: '1', result: 'DENY' }] });
  });

  it('delivers the claim notifications to the owners: no "could not send" warning', async () => {
    const { token } = (await signIn('alice')).backstageIdentity;
    const response = await fetch(`${baseUrl}/api/notifications/notifications?limit=100`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { notifications: Array<{ user: string; payload: { title: string } }> };
    // checkout (team-payments) claims two services at once: a finding its owners are told about.
    expect(body.notifications.length).toBeGreaterThan(0);
    expect(body.notifications.every(n => n.user === 'user:default/alice')).toBe(true);
    expect(body.notifications.some(n => n.payload.title.includes('component:default/checkout'))).toBe(true);
    expect(cli!.stdout() + cli!.stderr()).not.toMatch(/could not send ECS claim notifications/i);
  });
});
