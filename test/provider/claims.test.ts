import { TestDatabases, mockCredentials, type TestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { AlphaEntity } from '@backstage/catalog-model/alpha';
import type { JsonObject } from '@backstage/types';
import { parseFleet } from '../../dev/emulator';
import { AwsEcsEntityProvider } from '../../src/provider/AwsEcsEntityProvider';
import { eventually, fetchEntities, HAND_WRITTEN_LOCATION, handWrittenEntities, providerUnderTest, startCatalogBackend } from '../support/catalogBackend';
import { useEmulator } from '../support/scanFixture';

const ARN = (account: string, cluster: string, name: string) => `arn:aws:ecs:eu-west-1:${account}:service/${cluster}/${name}`;
const A = '111111111111';

const fleet = parseFleet({
  principals: [{ accessKeyId: 'AKIATESTCLAIMS000001', secretAccessKey: 'claims-secret', accountId: A }],
  accounts: [
    {
      id: A,
      roles: [{ name: 'reader' }],
      regions: {
        'eu-west-1': {
          clusters: [
            {
              name: 'shop',
              services: [
                { name: 'checkout', tags: { owner: 'team-payments' } },
                { name: 'cart', tags: { Owner: 'team-shop' } },
                { name: 'search' },
                { name: 'api' },
                { name: 'worker' },
                { name: 'retired', status: 'INACTIVE' },
              ],
            },
            { name: 'edge', services: [{ name: 'proxy', tags: { owner: 'team-payments' } }] },
          ],
        },
      },
    },
  ],
});

const config: JsonObject = {
  aws: { accountDefaults: { roleName: 'reader' } },
  catalog: {
    providers: {
      awsEcs: {
        test: { accounts: [A], regions: ['eu-west-1'], rateLimit: { perSecond: 1000, burst: 1000 } },
      },
    },
  },
};

const component = (name: string, owner: string, annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, annotations: { ...HAND_WRITTEN_LOCATION, ...annotations } },
  spec: { type: 'service', lifecycle: 'production', owner },
});
const group = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, annotations: { 'backstage.io/managed-by-location': 'url:https://example.com/org.yaml', 'backstage.io/managed-by-origin-location': 'url:https://example.com/org.yaml' } },
  spec: { type: 'team', children: [] },
});
const arnClaim = (arn: string) => ({ 'aws.amazon.com/amazon-ecs-service-arn': arn });

/** The hand-written side of the catalog, as if read from catalog-info.yaml files. */
const handWritten: Entity[] = [
  group('team-payments'),
  group('team-b'),
  component('checkout', 'team-payments', arnClaim(ARN(A, 'shop', 'checkout'))),
  component('cart-app', 'team-b', arnClaim(ARN(A, 'shop', 'cart'))),
  component('ghost', 'team-b', arnClaim(ARN(A, 'shop', 'retired'))),
  component('typo', 'team-payments', arnClaim(ARN(A, 'shop', 'proxy'))),
  component('bad', 'team-b', arnClaim(`arn:aws:ecs:eu-west-1:${A}:task/shop/0123abcd`)),
  component('api-one', 'team-b', arnClaim(ARN(A, 'shop', 'api'))),
  component('api-two', 'team-payments', arnClaim(ARN(A, 'shop', 'api'))),
  component('worker-a', 'team-b', arnClaim(ARN(A, 'shop', 'worker'))),
  component('worker-b', 'group:default/team-b', arnClaim(ARN(A, 'shop', 'worker'))),
];


describe('claims in a real catalog', () => {
  useEmulator(fleet);
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let provider: AwsEcsEntityProvider;

  async function byName(backend: TestBackend, kind: string, name: string): Promise<AlphaEntity> {
    const url = `http://127.0.0.1:${backend.server.port()}/api/catalog/entities/by-name/${kind}/default/${name}`;
    const response = await fetch(url, { headers: { Authorization: mockCredentials.user.header() } });
    return (await response.json()) as AlphaEntity;
  }
  const warnings = (entity: AlphaEntity) => (entity.status?.items ?? []).filter(i => i.type === 'aws.amazon.com/ecs-claim').map(i => i.message);

  it('shows findings on the claiming entities, links claimed services and labels the rest', async () => {
    const knex = await databases.init('SQLITE_3');
    const backend = await startCatalogBackend({
      knex,
      config,
      features: [
        providerUnderTest({ withClaimsProcessor: true, alsoProvide: [handWrittenEntities(handWritten)], onProvider: p => (provider = p) }),
        import('../../src/plugin'),
      ],
    });
    try {
      await eventually(() => fetchEntities(backend, 'kind=component'), e => e.length === 9, 'the hand-written components');
      const summary = await provider.refresh();
      expect(summary.findings).toBeGreaterThan(0);

      // Warnings on the claiming entities, in words an owner can act on; the entities keep updating.
      const ghost = await eventually(() => byName(backend, 'component', 'ghost'), e => warnings(e).length > 0, 'the phantom warning');
      expect(warnings(ghost)).toEqual([
        `aws.amazon.com/amazon-ecs-service-arn names ${ARN(A, 'shop', 'retired')}, but the service was deleted (status INACTIVE). Remove it from the annotation, or replace it with the ARN of the service that took its place.`,
      ]);
      const typo = await eventually(() => byName(backend, 'component', 'typo'), e => warnings(e).length > 0, 'the suggestion');
      expect(warnings(typo)[0]).toContain(`Change the annotation to ${ARN(A, 'edge', 'proxy')} (the same service name runs in cluster edge)`);
      expect(warnings(await eventually(() => byName(backend, 'component', 'bad'), e => warnings(e).length > 0, 'the bad warning'))[0]).toContain('a task ARN, not an ECS service ARN');
      expect(warnings(await eventually(() => byName(backend, 'component', 'cart-app'), e => warnings(e).length > 0, 'the cart-app warning'))[0]).toContain('the owner tag says team-shop, the claiming entity says group:default/team-b');
      expect(warnings(await eventually(() => byName(backend, 'component', 'api-one'), e => warnings(e).length > 0, 'the api-one warning'))[0]).toContain('is also claimed by component:default/api-two');
      expect(warnings(await byName(backend, 'component', 'checkout'))).toEqual([]);

      // The provider's entities: claimed ones depend on their claimant and inherit its owner when
      // no tag gives one; the unclaimed and the drifting ones carry a label to filter on.
      const resources = await eventually(
        () => fetchEntities(backend, 'spec.type=ecs-service'),
        e => e.some(x => (x.spec?.dependencyOf as string[] | undefined)?.includes('component:default/checkout')),
        'the claimed entities to be linked',
      );
      const byTitle = Object.fromEntries(resources.map(r => [r.metadata.title, r]));
      expect(byTitle.checkout.spec!.dependencyOf).toEqual(['component:default/checkout']);
      // Two claimants that disagree pass on no owner: the duplicate claim is reported instead.
      expect(byTitle.api.spec).toMatchObject({ owner: 'group:default/unknown', dependencyOf: ['component:default/api-one', 'component:default/api-two'] });
      expect(byTitle.api.metadata.annotations!['aws.amazon.com/ecs-owner-source']).toBe('default');
      // Two claimants that agree (as references) pass their owner on.
      expect(byTitle.worker.spec!.owner).toBe('group:default/team-b');
      expect(byTitle.worker.metadata.annotations!['aws.amazon.com/ecs-owner-source']).toBe('claim');
      expect(byTitle.search.metadata.labels!['aws.amazon.com/ecs-unclaimed']).toBe('true');
      expect(byTitle.cart.metadata.labels!['aws.amazon.com/ecs-owner-drift']).toBe('true');
      const unclaimed = await fetchEntities(backend, 'metadata.labels.aws.amazon.com/ecs-unclaimed=true');
      expect(unclaimed.map(e => e.metadata.title)).toEqual(['search']);

      // The same findings, served by the report plugin.
      const base = `http://127.0.0.1:${backend.server.port()}/api/ecs-catalog-sync`;
      const served = await fetch(`${base}/drift?format=json`, { headers: { Authorization: mockCredentials.user.header() } });
      expect(served.status).toBe(200);
      const report = (await served.json()) as { summary: object; phantoms: Array<{ entityRef: string; suggestion: unknown }> };
      expect(report.summary).toMatchObject({ phantoms: 2, malformedClaims: 1, duplicateClaims: 2, unclaimed: 1, ownerDrift: 1, complete: true });
      expect(report.phantoms.map(p => p.entityRef)).toEqual(['component:default/ghost', 'component:default/typo']);
      const markdown = await fetch(`${base}/drift?format=markdown&owner=group:default/team-b`, { headers: { Authorization: mockCredentials.user.header() } });
      const text = await markdown.text();
      expect(text).toContain('component:default/ghost');
      expect(text).not.toContain('component:default/typo');
    } finally {
      await backend.stop();
    }
  });
});
