import { TestDatabases, mockCredentials, type TestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogProcessingExtensionPoint, type EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { createBackendModule } from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';
import type { Knex } from 'knex';
import { parseFleet } from '../../dev/emulator';
import { eventually, fetchEntities, handWrittenClaim, handWrittenGroup, startCatalogBackend } from '../support/catalogBackend';
import { useEmulator } from '../support/scanFixture';

const A = '111111111111';
const WORKER = `arn:aws:ecs:eu-west-1:${A}:service/shop/worker`;
const fleet = parseFleet({
  principals: [{ accessKeyId: 'AKIATESTCLAIMCHANGE1', secretAccessKey: 'claim-change-secret', accountId: A }],
  accounts: [{ id: A, roles: [{ name: 'reader' }], regions: { 'eu-west-1': { clusters: [{ name: 'shop', services: [{ name: 'cart', tags: { owner: 'team-shop' } }, { name: 'worker' }] }] } } }],
});

const config: JsonObject = {
  aws: { accountDefaults: { roleName: 'reader' } },
  // No initial delay: the test backend's scheduler runs the scan once at start-up, then only when triggered.
  catalog: { providers: { awsEcs: { production: { accounts: [A], regions: ['eu-west-1'], schedule: { frequency: { hours: 6 }, timeout: { minutes: 5 } } } } } },
};

const claim = handWrittenClaim('worker', 'team-shop', WORKER);

/**
 * The module and the catalog, with an entity provider the test fills later:
 * its entities arrive after the start-up scan, as they do on a fresh start.
 */
async function startWithLaterEntities(knex: Knex): Promise<{ backend: TestBackend; later: (entities: Entity[]) => Promise<void> }> {
  let connection: EntityProviderConnection | undefined;
  const backend = await startCatalogBackend({
    knex,
    config,
    features: [
      import('../../src'),
      createBackendModule({
        pluginId: 'catalog',
        moduleId: 'entities-later',
        register(env) {
          env.registerInit({
            deps: { processing: catalogProcessingExtensionPoint },
            async init({ processing }) {
              processing.addEntityProvider({ getProviderName: () => 'entities-later', connect: async c => void (connection = c) });
            },
          });
        },
      }),
      import('../../src/plugin'),
    ],
  });
  const later = (entities: Entity[]) => connection!.applyMutation({ type: 'full', entities: entities.map(entity => ({ entity, locationKey: 'entities-later' })) });
  return { backend, later };
}

const driftReport = async (backend: TestBackend) => {
  const response = await fetch(`http://127.0.0.1:${backend.server.port()}/api/ecs-catalog-sync/drift`, { headers: { Authorization: mockCredentials.user.header() } });
  return response.ok ? ((await response.json()) as Record<string, unknown>) : undefined;
};

describe('what the catalog gains after a scan', () => {
  useEmulator(fleet);
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let backend: TestBackend | undefined;

  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  it('a claim is reconciled within seconds, without waiting for the next scheduled scan', async () => {
    const started = await startWithLaterEntities(await databases.init('SQLITE_3'));
    backend = started.backend;
    const { later } = started;
    const worker = () => fetchEntities(started.backend, 'spec.type=ecs-service').then(found => found.find(e => e.metadata.title === 'worker'));

    // The start-up scan: nobody claims the worker yet.
    expect((await eventually(worker, e => e !== undefined, 'the start-up scan'))!.spec!.owner).toBe('group:default/unknown');

    // An owner registers the claim; its processing notices the report never saw it and a scan follows.
    await later([claim]);
    const claimed = await eventually(worker, e => e?.spec?.owner === 'group:default/team-shop', 'the claim to be reconciled', 30_000);
    expect(claimed!.metadata.annotations!['aws.amazon.com/ecs-owner-source']).toBe('claim');
    expect(claimed!.spec!.dependencyOf).toEqual(['component:default/worker']);

    // What the report keeps to notice changed claims stays out of the report people read.
    const report = (await driftReport(started.backend))!;
    expect(Object.keys(report).sort()).toEqual(['alerts', 'duplicateClaims', 'generatedAt', 'malformedClaims', 'notVerified', 'ownerDrift', 'phantoms', 'summary', 'tabMismatches', 'unclaimed']);
    expect(report.unclaimed).toEqual([]);
  }, 60_000);

  it('an owner clears the owner drift its absence caused within seconds, without waiting for the next scheduled scan', async () => {
    const started = await startWithLaterEntities(await databases.init('SQLITE_3'));
    backend = started.backend;
    const { later } = started;
    const ownerDrift = async () => (await driftReport(started.backend))?.ownerDrift as Array<{ arn: string }> | undefined;
    const cart = () => fetchEntities(started.backend, 'spec.type=ecs-service').then(found => found.find(e => e.metadata.title === 'cart'));

    // The start-up scan ran before the catalog had the group the cart's owner tag names.
    expect(await eventually(ownerDrift, d => d !== undefined && d.length > 0, 'the start-up report')).toEqual([expect.objectContaining({ arn: `arn:aws:ecs:eu-west-1:${A}:service/shop/cart` })]);
    expect((await eventually(cart, e => e !== undefined, 'the cart entity'))!.metadata.labels!['aws.amazon.com/ecs-owner-drift']).toBe('true');

    // The group arrives; its processing notices the report found it missing, and a scan follows.
    await later([handWrittenGroup('team-shop')]);
    await eventually(ownerDrift, d => d?.length === 0, 'the owner drift to clear', 30_000);
    const settled = await eventually(cart, e => e?.metadata.labels?.['aws.amazon.com/ecs-owner-drift'] === undefined, 'the label to go', 30_000);
    expect(settled!.spec!.owner).toBe('group:default/team-shop');
  }, 60_000);
});
