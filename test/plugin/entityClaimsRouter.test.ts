import { TestDatabases, mockCredentials, mockServices, type TestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import { parse } from 'yaml';
import { parseFleet } from '../../dev/emulator';
import type { EcsServiceView, EntityClaimsView } from '../../src/report/entityClaims';
import type { AwsEcsEntityProvider } from '../../src/provider/AwsEcsEntityProvider';
import { eventually, fetchEntities, handWrittenClaim, handWrittenEntities, handWrittenGroup, providerUnderTest, startCatalogBackend } from '../support/catalogBackend';
import { useEmulator } from '../support/scanFixture';

const SHOP = '111111111111';
const ARN = (cluster: string, name: string) => `arn:aws:ecs:eu-west-1:${SHOP}:service/${cluster}/${name}`;
const PRINCIPAL = { accessKeyId: 'AKIATESTENTITYCLAIMS1', secretAccessKey: 'entity-claims-secret' };
const fleet = parseFleet({
  principals: [{ ...PRINCIPAL, accountId: SHOP }],
  accounts: [
    {
      id: SHOP,
      roles: [{ name: 'reader' }],
      regions: {
        'eu-west-1': {
          clusters: [{ name: 'shop', services: [{ name: 'cart', tags: { owner: 'team-shop' } }, { name: 'legacy', tags: { owner: 'team-search' } }, { name: 'checkout-v2' }] }],
        },
      },
    },
  ],
});

const config: JsonObject = {
  aws: { accountDefaults: { roleName: 'reader' } },
  catalog: { providers: { awsEcs: { production: { accounts: [SHOP], regions: ['eu-west-1'], rateLimit: { perSecond: 1000, burst: 1000 } } } } },
};

const handWritten: Entity[] = [
  handWrittenGroup('team-shop'),
  handWrittenGroup('team-search'),
  handWrittenClaim('cart', 'team-shop', ARN('shop', 'cart')),
  handWrittenClaim('legacy', 'team-shop', ARN('shop', 'legacy')),
  // A phantom next to a good claim: the fix keeps the good one.
  handWrittenClaim('checkout', 'team-shop', `${ARN('shop', 'checkout-v2')}, ${ARN('shop', 'checkout')}`),
];

describe('GET /api/ecs-catalog-sync/entity/:namespace/:kind/:name/claims', () => {
  useEmulator(fleet);
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let backend: TestBackend;
  let base: string;
  let cartService: Entity;

  const get = (path: string, authorization: string | null = mockCredentials.user.header()) =>
    fetch(`${base}/api/ecs-catalog-sync/entity/${path}`, { headers: authorization ? { Authorization: authorization } : {} });
  const view = async <T>(path: string): Promise<T> => {
    const response = await get(path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    return (await response.json()) as T;
  };

  beforeAll(async () => {
    let provider: AwsEcsEntityProvider | undefined;
    const knex = await databases.init('SQLITE_3');
    backend = await startCatalogBackend({
      knex,
      config,
      features: [
        providerUnderTest({ alsoProvide: [handWrittenEntities(handWritten)], onProvider: p => (provider = p) }),
        import('../../src/plugin'),
        mockServices.httpAuth.factory({ defaultCredentials: mockCredentials.none() }),
      ],
    });
    base = `http://127.0.0.1:${backend.server.port()}`;
    await eventually(() => fetchEntities(backend, 'kind=component'), e => e.length === 3, 'the claiming components');
    await provider!.refresh();
    const services = await eventually(
      () => fetchEntities(backend, 'spec.type=ecs-service'),
      e => e.length === 3 && e.some(x => x.metadata.title === 'cart' && Array.isArray(x.spec?.dependencyOf) && x.spec.dependencyOf.length === 1),
      'the ECS entities, cart depended on by its claimant',
    );
    cartService = services.find(e => e.metadata.title === 'cart')!;
  });
  afterAll(async () => {
    await backend?.stop();
  });

  it('calls a claim that names a live service matched', async () => {
    const body = await view<EntityClaimsView>('default/component/cart/claims');
    expect(body).toMatchObject({ kind: 'claims', entityRef: 'component:default/cart', complete: true, yaml: null, tabMismatches: [] });
    expect(body.claims).toEqual([{ annotation: 'aws.amazon.com/amazon-ecs-service-arn', value: ARN('shop', 'cart'), state: 'matched', findings: [], yaml: null }]);
  });

  it('calls a claim on no service a phantom, with the annotation to write', async () => {
    const body = await view<EntityClaimsView>('default/Component/checkout/claims?provider=production');
    expect(body.claims.map(c => [c.value, c.state])).toEqual([
      [ARN('shop', 'checkout-v2'), 'matched'],
      [ARN('shop', 'checkout'), 'phantom'],
    ]);
    const phantom = body.claims[1];
    expect(phantom.findings[0].message).toContain(`names ${ARN('shop', 'checkout')}`);
    // Removing the phantom leaves the claim on the live service.
    expect(parse(phantom.yaml!)).toEqual({ metadata: { annotations: { 'aws.amazon.com/amazon-ecs-service-arn': ARN('shop', 'checkout-v2') } } });
    expect(body.yaml).toBe(phantom.yaml);
  });

  it('tells owner drift on a claimed service', async () => {
    const body = await view<EntityClaimsView>('default/component/legacy/claims');
    expect(body.claims[0].state).toBe('ownerDrift');
    expect(body.claims[0].findings[0].message).toContain(`ECS service ${ARN('shop', 'legacy')}`);
  });

  it('shows an ECS service entity with its facts and claimants', async () => {
    const body = await view<EcsServiceView>(`${cartService.metadata.namespace ?? 'default'}/resource/${cartService.metadata.name}/claims`);
    expect(body).toMatchObject({
      kind: 'service',
      arn: ARN('shop', 'cart'),
      accountId: SHOP,
      region: 'eu-west-1',
      cluster: 'shop',
      owner: 'group:default/team-shop',
      ownerSource: 'tag',
      claimants: ['component:default/cart'],
      consoleUrl: 'https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/shop/services/cart/health?region=eu-west-1',
    });
    expect(body.findings).toEqual([]);
  });

  it.each([
    ['default/component/nobody/claims', 404, /no entity component:default\/nobody/],
    ['default/group/team-shop/claims', 404, /claims no ECS service/],
    ['default/component/cart/claims?provider=staging', 400, /unknown provider; registered providers: production/],
  ])('answers %s with %d and a message', async (path, status, message) => {
    const response = await get(path);
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(message);
  });

  it('keeps the default auth policy', async () => {
    expect((await get('default/component/cart/claims', null)).status).toBe(401);
  });
});
