import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  ECSClient,
  ListClustersCommand,
  ListServicesCommand,
  ListTagsForResourceCommand,
  paginateListClusters,
  paginateListServices,
} from '@aws-sdk/client-ecs';
import { startEmulator, type Emulator } from '../../dev/emulator/emulator';
import type { Fleet } from '../../dev/emulator/fleet';
import { MAIN, MAIN_KEYS, PROD, destroyClients, ecs, rejection, services, smallFleet } from './helpers';

const ARN = (suffix: string, region = 'eu-west-1', account = MAIN) => `arn:aws:ecs:${region}:${account}:${suffix}`;

describe('ECS against the real ECSClient', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ fleet: smallFleet(), faults: { rateLimit: false } });
  });
  afterEach(() => destroyClients());
  afterAll(() => emu.close());

  it('lists clusters and services of the caller account and signed region', async () => {
    const c = ecs(emu);
    const clusters = await c.send(new ListClustersCommand({}));
    expect(clusters.clusterArns).toEqual([ARN('cluster/payments')]);
    expect(clusters.nextToken).toBeUndefined();

    const us = await ecs(emu, { region: 'us-east-1' }).send(new ListServicesCommand({}));
    // No cluster given: ECS uses "default".
    expect(us.serviceArns).toEqual([ARN('service/default/hello', 'us-east-1')]);
  });

  it('lists only ACTIVE and DRAINING services, sorted by ARN, in both ARN formats', async () => {
    const out = await ecs(emu).send(new ListServicesCommand({ cluster: 'payments' }));
    expect(out.serviceArns).toEqual([
      ARN('service/legacy-billing'), // short (old) format: no cluster segment
      ARN('service/payments/checkout-api'),
      ARN('service/payments/draining-svc'),
      ARN('service/payments/spot-worker'),
    ]);
  });

  it('accepts a cluster ARN and reports unknown clusters as ClusterNotFoundException', async () => {
    const c = ecs(emu);
    const byArn = await c.send(new ListServicesCommand({ cluster: ARN('cluster/payments') }));
    expect(byArn.serviceArns).toHaveLength(4);
    const err = await rejection(c.send(new ListServicesCommand({ cluster: 'nope' })));
    expect(err.name).toBe('ClusterNotFoundException');
    expect(err.$metadata?.httpStatusCode).toBe(400);
  });

  it('describes services with the real field shapes; tags only with include TAGS', async () => {
    const c = ecs(emu);
    const plain = await c.send(new DescribeServicesCommand({ cluster: 'payments', services: ['checkout-api'] }));
    const svc = plain.services![0]!;
    expect(svc).toMatchObject({
      serviceArn: ARN('service/payments/checkout-api'),
      serviceName: 'checkout-api',
      clusterArn: ARN('cluster/payments'),
      status: 'ACTIVE',
      desiredCount: 3,
      runningCount: 3,
      pendingCount: 0,
      launchType: 'FARGATE',
      taskDefinition: ARN('task-definition/checkout-api:42'),
      schedulingStrategy: 'REPLICA',
    });
    expect(svc.createdAt).toEqual(new Date('2025-03-01T10:00:00Z'));
    expect(svc.tags).toBeUndefined();

    const tagged = await c.send(new DescribeServicesCommand({ cluster: 'payments', services: ['checkout-api'], include: ['TAGS'] }));
    expect(tagged.services![0]!.tags).toEqual([
      { key: 'Owner', value: 'team-payments' },
      { key: 'Component', value: 'checkout' },
    ]);
  });

  it('omits launchType for capacity-provider services and returns the strategy', async () => {
    const out = await ecs(emu).send(new DescribeServicesCommand({ cluster: 'payments', services: ['spot-worker', 'draining-svc'] }));
    const [spot, draining] = out.services!;
    expect(spot!.launchType).toBeUndefined();
    expect(spot!.capacityProviderStrategy).toEqual([{ capacityProvider: 'FARGATE_SPOT', weight: 1, base: 0 }]);
    expect(draining).toMatchObject({ status: 'DRAINING', launchType: 'EC2' });
  });

  it('returns INACTIVE services from Describe, and unknown ones as MISSING failures', async () => {
    const out = await ecs(emu).send(
      new DescribeServicesCommand({
        cluster: 'payments',
        services: ['old-svc', 'ghost', ARN('service/payments/also-ghost'), ARN('service/legacy-billing')],
      }),
    );
    expect(out.services!.map((s) => [s.serviceName, s.status])).toEqual([
      ['old-svc', 'INACTIVE'],
      ['legacy-billing', 'ACTIVE'],
    ]);
    expect(out.services![0]!.desiredCount).toBe(0);
    expect(out.failures).toEqual([
      { arn: ARN('service/payments/ghost'), reason: 'MISSING' },
      { arn: ARN('service/payments/also-ghost'), reason: 'MISSING' },
    ]);
  });

  it('rejects DescribeServices with more than 10 services', async () => {
    const err = await rejection(
      ecs(emu).send(new DescribeServicesCommand({ cluster: 'payments', services: Array.from({ length: 11 }, (_, i) => `s${i}`) })),
    );
    expect(err.name).toBe('InvalidParameterException');
    expect(err.$metadata?.httpStatusCode).toBe(400);
  });

  it('scopes by account: the same name in another account is a different service', async () => {
    const c = ecs(emu);
    const err = await rejection(c.send(new ListServicesCommand({ cluster: 'search' })));
    expect(err.name).toBe('ClusterNotFoundException');
    // Another account's ARN described from this account is MISSING.
    const out = await c.send(
      new DescribeServicesCommand({ cluster: 'payments', services: [ARN('service/search/checkout-api', 'eu-west-1', PROD)] }),
    );
    expect(out.failures![0]!.reason).toBe('MISSING');
  });

  it('describes clusters, with failures for unknown ones and tags on request', async () => {
    const out = await ecs(emu).send(new DescribeClustersCommand({ clusters: ['payments', 'nope'], include: ['TAGS'] }));
    expect(out.clusters![0]).toMatchObject({
      clusterArn: ARN('cluster/payments'),
      clusterName: 'payments',
      status: 'ACTIVE',
      activeServicesCount: 4,
      tags: [{ key: 'env', value: 'prod' }],
    });
    expect(out.failures).toEqual([{ arn: ARN('cluster/nope'), reason: 'MISSING' }]);
  });

  it('lists tags for services and clusters', async () => {
    const c = ecs(emu);
    const svc = await c.send(new ListTagsForResourceCommand({ resourceArn: ARN('service/legacy-billing') }));
    expect(svc.tags).toEqual([{ key: 'owner', value: 'team-payments' }]);
    const untagged = await c.send(new ListTagsForResourceCommand({ resourceArn: ARN('service/payments/spot-worker') }));
    expect(untagged.tags).toEqual([]);
    const cl = await c.send(new ListTagsForResourceCommand({ resourceArn: ARN('cluster/payments') }));
    expect(cl.tags).toEqual([{ key: 'env', value: 'prod' }]);
    const err = await rejection(c.send(new ListTagsForResourceCommand({ resourceArn: ARN('service/payments/ghost') })));
    expect(err.name).toBe('InvalidParameterException');
  });

  it('rejects bad page tokens and out-of-range maxResults', async () => {
    const c = ecs(emu);
    expect((await rejection(c.send(new ListServicesCommand({ cluster: 'payments', nextToken: 'garbage' })))).name).toBe('InvalidParameterException');
    expect((await rejection(c.send(new ListClustersCommand({ maxResults: 101 })))).name).toBe('InvalidParameterException');
    // A services token is not valid for another cluster.
    const page = await c.send(new ListServicesCommand({ cluster: 'payments', maxResults: 1 }));
    const other = ecs(emu, { region: 'us-east-1' });
    expect((await rejection(other.send(new ListServicesCommand({ cluster: 'default', nextToken: page.nextToken })))).name).toBe(
      'InvalidParameterException',
    );
  });

  it('answers UnrecognizedClientException for an unknown access key', async () => {
    const err = await rejection(ecs(emu, { credentials: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' } }).send(new ListClustersCommand({})));
    expect(err.name).toBe('UnrecognizedClientException');
    expect(err.$metadata?.httpStatusCode).toBe(400);
  });

  it('is reachable through AWS_ENDPOINT_URL without an endpoint option', async () => {
    process.env.AWS_ENDPOINT_URL = emu.url;
    try {
      const c = new ECSClient({ region: 'eu-west-1', credentials: MAIN_KEYS });
      try {
        const out = await c.send(new ListClustersCommand({}));
        expect(out.clusterArns).toEqual([ARN('cluster/payments')]);
      } finally {
        c.destroy();
      }
    } finally {
      delete process.env.AWS_ENDPOINT_URL;
    }
  });
});

describe('ECS paging', () => {
  const bigFleet = (): Fleet => ({
    principals: [{ ...MAIN_KEYS, accountId: MAIN }],
    accounts: [
      {
        id: MAIN,
        regions: {
          'eu-west-1': {
            clusters: [
              { name: 'big', services: services(250) },
              ...Array.from({ length: 129 }, (_, i) => ({ name: `c-${String(i).padStart(3, '0')}` })),
            ],
          },
        },
      },
    ],
  });

  let emu: Emulator;
  beforeEach(async () => {
    emu = await startEmulator({ fleet: bigFleet(), faults: { rateLimit: false } });
  });
  afterEach(async () => {
    destroyClients();
    await emu.close();
  });

  it('pages past 100 clusters (default page size 100)', async () => {
    const c = ecs(emu);
    const first = await c.send(new ListClustersCommand({}));
    expect(first.clusterArns).toHaveLength(100);
    expect(first.nextToken).toBeDefined();
    const all: string[] = [];
    for await (const page of paginateListClusters({ client: c }, {})) all.push(...page.clusterArns!);
    expect(all).toHaveLength(130);
    expect(new Set(all).size).toBe(130);
    expect([...all].sort()).toEqual(all);
  });

  it('pages past 100 services (default page size 10, max 100)', async () => {
    const c = ecs(emu);
    const first = await c.send(new ListServicesCommand({ cluster: 'big' }));
    expect(first.serviceArns).toHaveLength(10);
    let pages = 0;
    const all: string[] = [];
    for await (const page of paginateListServices({ client: c, pageSize: 100 }, { cluster: 'big' })) {
      pages++;
      all.push(...page.serviceArns!);
    }
    expect(pages).toBe(3);
    expect(all).toHaveLength(250);
    expect(new Set(all).size).toBe(250);
    expect(emu.stats.byAction['ecs:ListServices']).toBe(4);
  });

  it('stays correct when services are added and removed between pages', async () => {
    const c = ecs(emu);
    const deleted = ARN('service/big/svc-0150');
    const purged = ARN('service/big/svc-0160');
    const early = ARN('service/big/svc-0010');
    let listCalls = 0;
    emu.onRequest((info) => {
      if (info.action !== 'ListServices') return;
      listCalls++;
      if (listCalls === 2) {
        // Mid-scan churn: one before the cursor, some after it.
        emu.addService(MAIN, 'eu-west-1', 'big', { name: 'svc-0000a' }); // sorts before the cursor: not seen
        emu.addService(MAIN, 'eu-west-1', 'big', { name: 'svc-9999' }); // after the cursor: seen
        emu.deleteService(deleted); // INACTIVE: no longer listed
        emu.purgeService(purged);
        emu.deleteService(early); // already returned on page 1
      }
    });
    const all: string[] = [];
    for await (const page of paginateListServices({ client: c, pageSize: 100 }, { cluster: 'big' })) all.push(...page.serviceArns!);
    expect(all).toContain(ARN('service/big/svc-9999'));
    expect(all).not.toContain(ARN('service/big/svc-0000a'));
    expect(all).not.toContain(deleted);
    expect(all).not.toContain(purged);
    expect(all).toContain(early);
    // Every survivor exactly once: 250 - 2 removed after the cursor + 1 added after it.
    expect(all).toHaveLength(249);
    expect(new Set(all).size).toBe(249);

    const described = await c.send(new DescribeServicesCommand({ cluster: 'big', services: [deleted, purged] }));
    expect(described.services!.map((s) => s.status)).toEqual(['INACTIVE']);
    expect(described.failures).toEqual([{ arn: purged, reason: 'MISSING' }]);
  });

  it('applies fleet changes: tags, new clusters, deleted clusters, replaced fleet', async () => {
    const c = ecs(emu);
    const arn = ARN('service/big/svc-0001');
    emu.setServiceTags(arn, { Owner: 'team-new' });
    const tagged = await c.send(new DescribeServicesCommand({ cluster: 'big', services: [arn], include: ['TAGS'] }));
    expect(tagged.services![0]!.tags).toEqual([{ key: 'Owner', value: 'team-new' }]);

    emu.addCluster(MAIN, 'eu-central-1', { name: 'fresh', services: [{ name: 'one' }] });
    const fresh = await ecs(emu, { region: 'eu-central-1' }).send(new ListServicesCommand({ cluster: 'fresh' }));
    expect(fresh.serviceArns).toEqual([ARN('service/fresh/one', 'eu-central-1')]);

    emu.deleteCluster(MAIN, 'eu-west-1', 'big');
    expect((await rejection(c.send(new ListServicesCommand({ cluster: 'big' })))).name).toBe('ClusterNotFoundException');

    emu.replaceFleet({ principals: [{ ...MAIN_KEYS, accountId: MAIN }], accounts: [{ id: MAIN }] });
    expect((await c.send(new ListClustersCommand({}))).clusterArns).toEqual([]);
  });

  it('rejects invalid fleet mutations with clear errors', () => {
    expect(() => emu.addService(MAIN, 'eu-west-1', 'big', { name: 'svc-0001' })).toThrow(/already exists/);
    expect(() => emu.addService(MAIN, 'eu-west-1', 'nope', { name: 'x' })).toThrow(/no cluster nope/);
    expect(() => emu.addService(MAIN, 'eu-west-1', 'big', { name: 'bad name!' })).toThrow(/service\.name/);
    expect(() => emu.deleteService(ARN('service/big/ghost'))).toThrow(/no service/);
    // Re-creating a deleted (INACTIVE) service replaces it, like ECS.
    const arn = ARN('service/big/svc-0002');
    emu.deleteService(arn);
    expect(emu.addService(MAIN, 'eu-west-1', 'big', { name: 'svc-0002', desiredCount: 5 })).toBe(arn);
  });
});
