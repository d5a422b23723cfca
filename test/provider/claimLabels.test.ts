import { mockCredentials, TestDatabases, type TestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import { parseFleet } from '../../dev/emulator';
import type { AwsEcsEntityProvider } from '../../src/provider/AwsEcsEntityProvider';
import { eventually, fetchEntities, HAND_WRITTEN_LOCATION, handWrittenClaim, handWrittenGroup, providerUnderTest, startCatalogBackend } from '../support/catalogBackend';
import { changingEntities } from '../support/notificationsBackend';
import { useEmulator } from '../support/scanFixture';

const A = '111111111111';
const ARN = (name: string) => `arn:aws:ecs:eu-west-1:${A}:service/shop/${name}`;
const fleet = parseFleet({
  principals: [{ accessKeyId: 'AKIATESTCLAIMLABEL01', secretAccessKey: 'claim-label-secret', accountId: A }],
  accounts: [
    {
      id: A,
      roles: [{ name: 'reader' }],
      regions: {
        'eu-west-1': {
          clusters: [{ name: 'shop', services: [{ name: 'cart', tags: { owner: 'team-shop' } }, { name: 'worker' }, { name: 'api' }, { name: 'search' }, { name: 'retired', status: 'INACTIVE' }] }],
        },
      },
    },
  ],
});

const config: JsonObject = {
  aws: { accountDefaults: { roleName: 'reader' } },
  catalog: { providers: { awsEcs: { prod: { accounts: [A], regions: ['eu-west-1'], rateLimit: { perSecond: 1000, burst: 1000 }, notifications: { enabled: false } } } } },
};

const LABEL = 'aws.amazon.com/ecs-claim';
const withLabel = (entity: Entity, value: string): Entity => ({ ...entity, metadata: { ...entity.metadata, labels: { [LABEL]: value } } });
const plain: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'plain', annotations: HAND_WRITTEN_LOCATION },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-b' },
};

const catalog = [
  handWrittenGroup('team-b'),
  handWrittenGroup('team-shop'),
  handWrittenClaim('ghost', 'team-b', ARN('retired')),
  handWrittenClaim('cart-app', 'team-b', ARN('cart')),
  handWrittenClaim('api-one', 'team-b', ARN('api')),
  handWrittenClaim('api-two', 'team-b', ARN('api')),
  handWrittenClaim('bad', 'team-b', `arn:aws:ecs:eu-west-1:${A}:task/shop/0123abcd`),
  handWrittenClaim('fine', 'team-b', ARN('worker')),
  // Claims nothing: a label written by hand must not put it in the claim filters.
  withLabel(plain, 'ok'),
];

/** Every entity with a broken claim, as a catalog table or a script asks for them: one filter per value, OR'ed. */
const BROKEN = ['phantom', 'duplicate', 'malformed', 'owner-drift', 'tab-mismatch'].map(v => `metadata.labels.${LABEL}=${v}`);

async function byQuery(backend: TestBackend, filters: string[]): Promise<string[]> {
  const query = filters.map(f => `filter=${encodeURIComponent(f)}`).join('&');
  const url = `http://127.0.0.1:${backend.server.port()}/api/catalog/entities/by-query?${query}&limit=1000`;
  const response = await fetch(url, { headers: { Authorization: mockCredentials.user.header() } });
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  const body = (await response.json()) as { items: Entity[] };
  return body.items.map(e => e.metadata.name).sort();
}

const labels = async (backend: TestBackend) =>
  Object.fromEntries((await fetchEntities(backend, 'kind=component')).map(e => [e.metadata.name, e.metadata.labels?.[LABEL]]));

describe('the claim label on claiming entities', () => {
  useEmulator(fleet);
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  it('says the worst finding of each claim, lets by-query list the broken ones, and goes when the claim is fixed or removed', async () => {
    let provider: AwsEcsEntityProvider | undefined;
    const entities = changingEntities();
    const backend = await startCatalogBackend({
      knex: await databases.init('SQLITE_3'),
      config,
      features: [providerUnderTest({ onProvider: p => (provider = p), withClaimsProcessor: true }), entities.feature],
    });
    try {
      await entities.set(catalog);
      await eventually(() => fetchEntities(backend, 'kind=component'), e => e.length === 7, 'the components');
      // Not scanned yet: no report has seen the claims, so none is labelled.
      expect(await labels(backend)).toEqual({ ghost: undefined, 'cart-app': undefined, 'api-one': undefined, 'api-two': undefined, bad: undefined, fine: undefined, plain: undefined });

      await provider!.refresh();
      const expected = { ghost: 'phantom', 'cart-app': 'owner-drift', 'api-one': 'duplicate', 'api-two': 'duplicate', bad: 'malformed', fine: 'ok', plain: undefined };
      expect(await eventually(() => labels(backend), l => l.fine === 'ok' && l.ghost === 'phantom', 'the labels')).toEqual(expected);
      expect(await byQuery(backend, BROKEN)).toEqual(['api-one', 'api-two', 'bad', 'cart-app', 'ghost']);
      expect(await byQuery(backend, [`metadata.labels.${LABEL}=ok`])).toEqual(['fine']);
      // The provider's own entities claim nothing and carry no claim label.
      expect((await fetchEntities(backend, 'spec.type=ecs-service')).filter(e => e.metadata.labels?.[LABEL] !== undefined)).toEqual([]);

      // Fixed: the malformed claim names a service now; the phantom claim is removed altogether.
      const { annotations, ...ghostMeta } = catalog[2].metadata;
      const { 'aws.amazon.com/amazon-ecs-service-arn': _removed, ...unclaimed } = annotations!;
      await entities.set(catalog.map(e => (e.metadata.name === 'bad' ? handWrittenClaim('bad', 'team-b', ARN('search')) : e.metadata.name === 'ghost' ? { ...e, metadata: { ...ghostMeta, annotations: unclaimed } } : e)));
      // An entity that claims nothing loses the label as soon as the catalog processes it.
      await eventually(() => labels(backend), l => l.ghost === undefined, 'the label to go from the entity that claims nothing');
      await provider!.refresh();
      const fixed = await eventually(() => labels(backend), l => l.bad === 'ok', 'the fixed claim to be labelled ok');
      expect(fixed).toEqual({ ...expected, ghost: undefined, bad: 'ok' });
      expect(await byQuery(backend, BROKEN)).toEqual(['api-one', 'api-two', 'cart-app']);
    } finally {
      await backend.stop();
    }
  }, 60_000);
});
