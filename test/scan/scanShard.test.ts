import type { Service } from '@aws-sdk/client-ecs';
import { scanShard } from '../../src/scan/scanShard';
import type { EcsShardApi } from '../../src/scan/shardClient';
import { ShardCallError } from '../../src/scan/shardErrors';

// These cases are about what the scanner does with odd answers; the emulator
// tests prove the same code against the real SDK.
const CLUSTER = 'arn:aws:ecs:eu-west-1:111111111111:cluster/main';
const svc = (name: string, extra: Partial<Service> = {}): Service => ({
  serviceArn: `arn:aws:ecs:eu-west-1:111111111111:service/main/${name}`,
  serviceName: name,
  clusterArn: CLUSTER,
  status: 'ACTIVE',
  desiredCount: 1,
  runningCount: 1,
  taskDefinition: `arn:aws:ecs:eu-west-1:111111111111:task-definition/${name}:1`,
  createdAt: new Date('2025-01-02T03:04:05Z'),
  ...extra,
});

function fakeApi(overrides: Partial<EcsShardApi> = {}): EcsShardApi {
  return {
    listClusters: async () => ({ clusterArns: [CLUSTER] }),
    listServices: async () => ({ serviceArns: [svc('a').serviceArn!, svc('b').serviceArn!] }),
    describeServices: async (_c, arns) => ({ services: arns.map(arn => svc(arn.split('/').pop()!)), failures: [] }),
    ...overrides,
  };
}

function awsError(name: string): ShardCallError {
  return new ShardCallError('ecs:ListServices', Object.assign(new Error(`${name} happened`), { name }), CLUSTER);
}

describe('scanShard', () => {
  it('maps described services to plain inventory records', async () => {
    const result = await scanShard(
      fakeApi({
        describeServices: async () => ({
          services: [svc('a', { tags: [{ key: 'Owner', value: 'team-a' }, { key: 'env' }], launchType: 'FARGATE' }), svc('b')],
          failures: [],
        }),
      }),
      '111111111111',
      'eu-west-1',
    );
    expect(result.clusters).toBe(1);
    expect(result.services).toEqual([
      {
        arn: 'arn:aws:ecs:eu-west-1:111111111111:service/main/a',
        name: 'a',
        clusterArn: CLUSTER,
        accountId: '111111111111',
        region: 'eu-west-1',
        status: 'ACTIVE',
        tags: { Owner: 'team-a', env: '' },
        desiredCount: 1,
        runningCount: 1,
        launchType: 'FARGATE',
        taskDefinition: 'arn:aws:ecs:eu-west-1:111111111111:task-definition/a:1',
        createdAt: '2025-01-02T03:04:05.000Z',
      },
      expect.objectContaining({ name: 'b', tags: {} }),
    ]);
    expect(result.services[1]).not.toHaveProperty('launchType');
  });

  it('keeps a tag keyed __proto__ as a tag, not a prototype', async () => {
    const result = await scanShard(
      fakeApi({ describeServices: async () => ({ services: [svc('a', { tags: [{ key: '__proto__', value: 'x' }, { key: 'owner', value: 'y' }] }), svc('b')], failures: [] }) }),
      '111111111111',
      'eu-west-1',
    );
    const tags = result.services[0].tags;
    expect(Object.keys(tags)).toEqual(['__proto__', 'owner']);
    expect(Object.getPrototypeOf(tags)).toBe(Object.prototype);
    expect(JSON.stringify(tags)).toBe('{"__proto__":"x","owner":"y"}');
  });

  it('fails the shard when DescribeServices answers for fewer services than it was asked about', async () => {
    const short = fakeApi({ describeServices: async () => ({ services: [svc('a')], failures: [] }) });
    await expect(scanShard(short, '111111111111', 'eu-west-1')).rejects.toMatchObject({
      call: 'ecs:DescribeServices',
      awsName: 'UnexpectedResponse',
      awsMessage: 'asked about 2 services, ECS answered for 1',
    });
  });

  it('skips services that ECS reports MISSING (deleted after they were listed)', async () => {
    const result = await scanShard(
      fakeApi({
        describeServices: async () => ({ services: [svc('a')], failures: [{ arn: svc('b').serviceArn, reason: 'MISSING' }] }),
      }),
      '111111111111',
      'eu-west-1',
    );
    expect(result.services.map(s => s.name)).toEqual(['a']);
  });

  it('fails the shard on any other DescribeServices failure reason', async () => {
    const promise = scanShard(
      fakeApi({ describeServices: async () => ({ services: [svc('a')], failures: [{ arn: svc('b').serviceArn, reason: 'INTERNAL' }] }) }),
      '111111111111',
      'eu-west-1',
    );
    await expect(promise).rejects.toMatchObject({ call: 'ecs:DescribeServices', awsName: 'DescribeServicesFailure' });
  });

  it('treats a cluster deleted between ListClusters and ListServices as empty', async () => {
    const other = 'arn:aws:ecs:eu-west-1:111111111111:cluster/other';
    const result = await scanShard(
      fakeApi({
        listClusters: async () => ({ clusterArns: [other, CLUSTER] }),
        listServices: async cluster => {
          if (cluster === other) throw awsError('ClusterNotFoundException');
          return { serviceArns: [svc('a').serviceArn!] };
        },
      }),
      '111111111111',
      'eu-west-1',
    );
    expect(result.services.map(s => s.name)).toEqual(['a']);
  });

  it('refuses a page token that repeats instead of looping forever', async () => {
    const promise = scanShard(fakeApi({ listClusters: async () => ({ clusterArns: [CLUSTER], nextToken: 'same' }) }), '111111111111', 'eu-west-1');
    await expect(promise).rejects.toMatchObject({ awsName: 'PaginationLoop' });
  });

  it('stops sending calls once one call of the shard has failed', async () => {
    let describes = 0;
    const many = Array.from({ length: 50 }, (_, i) => svc(`s${i}`).serviceArn!);
    const promise = scanShard(
      fakeApi({
        listServices: async () => ({ serviceArns: many }),
        describeServices: async () => {
          describes += 1;
          await new Promise(resolve => setImmediate(resolve));
          throw awsError('AccessDeniedException');
        },
      }),
      '111111111111',
      'eu-west-1',
    );
    await expect(promise).rejects.toBeInstanceOf(ShardCallError);
    // All five batches start together; none is retried or sent after the failure.
    expect(describes).toBeLessThanOrEqual(5);
  });
});
