import { TestDatabases, type TestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import { parseFleet } from '../../dev/emulator';
import type { AwsEcsEntityProvider } from '../../src/provider/AwsEcsEntityProvider';
import { eventually, fetchEntities, HAND_WRITTEN_LOCATION, handWrittenClaim, handWrittenGroup, providerUnderTest } from '../support/catalogBackend';
import { changingEntities, notificationsOf, type ReadNotification, startBackendWithDatabases } from '../support/notificationsBackend';
import { RecordingLogger } from '../support/recordingLogger';
import { useEmulator } from '../support/scanFixture';

const A = '111111111111';
const ARN = (name: string) => `arn:aws:ecs:eu-west-1:${A}:service/shop/${name}`;
const fleet = parseFleet({
  principals: [{ accessKeyId: 'AKIATESTNOTIFY000001', secretAccessKey: 'notify-secret', accountId: A }],
  accounts: [{ id: A, roles: [{ name: 'reader' }], regions: { 'eu-west-1': { clusters: [{ name: 'shop', services: [{ name: 'cart', tags: { owner: 'team-shop' } }, { name: 'worker' }] }] } } }],
});

const configWith = (notifications?: JsonObject): JsonObject => ({
  app: { baseUrl: 'http://127.0.0.1:3000' },
  aws: { accountDefaults: { roleName: 'reader' } },
  catalog: { providers: { awsEcs: { prod: { accounts: [A], regions: ['eu-west-1'], rateLimit: { perSecond: 1000, burst: 1000 }, ...(notifications ? { notifications } : {}) } } } },
});

const user = (name: string, memberOf: string[]): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, annotations: HAND_WRITTEN_LOCATION },
  spec: { memberOf },
});

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
// Alice is in the team that owns both claiming entities; Bob is not.
const people = [handWrittenGroup('team-b'), handWrittenGroup('team-shop'), handWrittenGroup('team-other'), user('alice', ['team-b']), user('bob', ['team-other'])];
const ghost = handWrittenClaim('ghost', 'team-b', ARN('retired'));
const cartApp = handWrittenClaim('cart-app', 'team-b', ARN('cart'));
const fixedGhost = handWrittenClaim('ghost', 'team-b', ARN('worker'));

const byScope = (notifications: ReadNotification[]) => Object.fromEntries(notifications.map(n => [n.payload.scope, n]));
const PHANTOM_SCOPE = `aws-ecs:prod:phantom:component:default/ghost:${ARN('retired')}`;
const DRIFT_SCOPE = `aws-ecs:prod:owner-drift:component:default/cart-app:${ARN('cart')}`;

describe('notifications to the owners of claiming entities', () => {
  const emulator = useEmulator(fleet);
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let backend: TestBackend | undefined;

  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
    emulator().setServiceTags(ARN('cart'), { owner: 'team-shop' });
  });

  /** The catalog, this module and (unless left out) the notifications backend, with the people and claims loaded. */
  async function start(options: { config?: JsonObject; withNotifications?: boolean; logger?: RecordingLogger; catalogDb?: Awaited<ReturnType<typeof databases.init>> } = {}) {
    let provider: AwsEcsEntityProvider | undefined;
    const entities = changingEntities();
    const started = await startBackendWithDatabases({
      databases: { catalog: options.catalogDb ?? (await databases.init('SQLITE_3')), notifications: await databases.init('SQLITE_3') },
      config: options.config ?? configWith(),
      features: [
        providerUnderTest({ onProvider: p => (provider = p), logger: options.logger, withClaimsProcessor: true }),
        entities.feature,
        ...(options.withNotifications === false ? [] : [import('@backstage/plugin-notifications-backend')]),
      ],
    });
    backend = started;
    const load = async (claims: Entity[]) => {
      await entities.set([...people, ...claims]);
      await eventually(
        () => fetchEntities(started, 'kind=component'),
        found => claims.every(c => found.some(e => e.metadata.name === c.metadata.name && e.metadata.annotations?.['aws.amazon.com/amazon-ecs-service-arn'] === c.metadata.annotations?.['aws.amazon.com/amazon-ecs-service-arn'])),
        'the claims in the catalog',
      );
      // The owners resolve to their members only once the catalog has related them.
      await eventually(() => fetchEntities(started, 'kind=group,metadata.name=team-b'), found => found[0]?.relations?.some(r => r.type === 'hasMember' && r.targetRef === ALICE) ?? false, 'alice in team-b');
    };
    await load([ghost, cartApp]);
    return { backend: started, provider: provider!, load };
  }

  it('tells the owners once, updates the notification when the finding changes, and says when it is resolved', async () => {
    const { backend: b, provider, load } = await start();

    await provider.refresh();
    const first = byScope(await notificationsOf(b, ALICE));
    expect(Object.keys(first).sort()).toEqual([DRIFT_SCOPE, PHANTOM_SCOPE]);
    expect(first[PHANTOM_SCOPE].payload).toMatchObject({ title: 'Phantom ECS claim on component:default/ghost', link: '/catalog/default/component/ghost', topic: 'ECS claims' });
    expect(first[PHANTOM_SCOPE].payload.description).toContain(`aws.amazon.com/amazon-ecs-service-arn names ${ARN('retired')}`);
    expect(first[DRIFT_SCOPE].payload.description).toContain('the owner tag says team-shop');
    // Only the owners hear of it.
    expect(await notificationsOf(b, BOB)).toEqual([]);

    // A second scan finds the same: nothing is sent again.
    await provider.refresh();
    expect(byScope(await notificationsOf(b, ALICE))).toEqual(first);

    // The owner tag changes: the same notification says so, it is not a second one.
    emulator().setServiceTags(ARN('cart'), { owner: 'team-ops' });
    await provider.refresh();
    const changed = byScope(await notificationsOf(b, ALICE));
    expect(Object.keys(changed).sort()).toEqual([DRIFT_SCOPE, PHANTOM_SCOPE]);
    expect(changed[DRIFT_SCOPE].id).toBe(first[DRIFT_SCOPE].id);
    expect(changed[DRIFT_SCOPE].payload.description).toContain('the owner tag says team-ops');
    expect(changed[DRIFT_SCOPE].updated).toBeTruthy();
    expect(changed[PHANTOM_SCOPE].updated).toBeFalsy();

    // The claim is fixed: its notification says it is resolved.
    await load([fixedGhost, cartApp]);
    await provider.refresh();
    const resolved = byScope(await notificationsOf(b, ALICE));
    expect(Object.keys(resolved).sort()).toEqual([DRIFT_SCOPE, PHANTOM_SCOPE]);
    expect(resolved[PHANTOM_SCOPE].id).toBe(first[PHANTOM_SCOPE].id);
    expect(resolved[PHANTOM_SCOPE].payload).toMatchObject({ title: 'Resolved: Phantom ECS claim on component:default/ghost', severity: 'low' });

    // And a later scan leaves everything as it is.
    await provider.refresh();
    expect(byScope(await notificationsOf(b, ALICE))).toEqual(resolved);
  }, 60_000);

  it('resolves nothing its scan could not read', async () => {
    const { backend: b, provider } = await start();
    await provider.refresh();
    const told = byScope(await notificationsOf(b, ALICE));
    expect(Object.keys(told).sort()).toEqual([DRIFT_SCOPE, PHANTOM_SCOPE]);

    // The account cannot be read: its claims are not verified, and their findings are held as they are.
    emulator().setFaults({ deniedAccounts: [A] });
    try {
      const summary = await provider.refresh();
      expect(summary.failedShards).toHaveLength(1);
      expect(byScope(await notificationsOf(b, ALICE))).toEqual(told);
    } finally {
      emulator().setFaults({ deniedAccounts: [] });
    }
    // Read again, the same findings: still nothing new.
    await provider.refresh();
    expect(byScope(await notificationsOf(b, ALICE))).toEqual(told);
  }, 60_000);

  it('sends nothing when catalog.providers.awsEcs.<id>.notifications.enabled is false', async () => {
    const { backend: b, provider } = await start({ config: configWith({ enabled: false }) });
    const summary = await provider.refresh();
    expect(summary.findings).toBe(3);
    expect(await notificationsOf(b, ALICE)).toEqual([]);
  }, 60_000);

  it('scans as usual without the notifications plugin, says so once, and tells the owners once the plugin is there', async () => {
    const logger = new RecordingLogger();
    const catalogDb = await databases.init('SQLITE_3');
    const without = await start({ withNotifications: false, logger, catalogDb });
    expect((await without.provider.refresh()).findings).toBe(3);
    expect((await without.provider.refresh()).findings).toBe(3);
    // Said once where people read (later scans say it at debug), without credentials.
    const said = logger.lines.filter(l => !l.startsWith('debug ') && l.includes('Could not send ECS claim notifications'));
    expect(said).toHaveLength(1);
    expect(said[0]).not.toMatch(/Bearer|token|notify-secret/i);
    expect(said[0]).toMatch(/^warn .*notifications backend plugin installed/);
    // The findings still reach the catalog.
    await eventually(() => fetchEntities(without.backend, 'kind=component,metadata.name=ghost'), e => e[0]?.metadata.labels?.['aws.amazon.com/ecs-claim'] === 'phantom', 'the claim label');
    await backend!.stop();
    backend = undefined;

    // Nothing was remembered as told: the same catalog with the plugin tells the owners now.
    const withPlugin = await start({ catalogDb });
    await withPlugin.provider.refresh();
    expect(Object.keys(byScope(await notificationsOf(withPlugin.backend, ALICE))).sort()).toEqual([DRIFT_SCOPE, PHANTOM_SCOPE]);
  }, 90_000);
});
