import type { EcsShardApi } from '../../src/scan/shardClient';
import { lookUpServices } from '../../src/scan/lookUpServices';
import { ShardCallError } from '../../src/scan/shardErrors';

/** An ECS that records what it was asked and answers from a table. */
function ecs(answer: (clusterArn: string, arns: string[]) => Awaited<ReturnType<EcsShardApi['describeServices']>>) {
  const asked: Array<[string, string[]]> = [];
  const api: EcsShardApi = {
    listClusters: async () => ({ clusterArns: [] }),
    listServices: async () => ({ serviceArns: [] }),
    describeServices: async (clusterArn, arns) => {
      asked.push([clusterArn, arns]);
      return answer(clusterArn, arns);
    },
  };
  return { api, asked };
}

const CN = 'arn:aws-cn:ecs:cn-north-1:111111111111';
const target = (cluster: string, name: string) => ({ arn: `${CN}:service/${cluster}/${name}`, accountId: '111111111111', region: 'cn-north-1', cluster });

describe('lookUpServices', () => {
  it('asks each cluster of the service’s own partition about ten services at a time', async () => {
    const { api, asked } = ecs((_, arns) => ({ services: [], failures: arns.map(arn => ({ arn, reason: 'MISSING' })) }));
    const targets = Array.from({ length: 12 }, (_, i) => target('shop', `s${String(i).padStart(2, '0')}`));
    const answers = await lookUpServices(api, [...targets, target('edge', 'router')]);
    expect(asked.map(([cluster, arns]) => [cluster, arns.length])).toEqual([
      [`${CN}:cluster/shop`, 10],
      [`${CN}:cluster/shop`, 2],
      [`${CN}:cluster/edge`, 1],
    ]);
    expect([...answers.values()].every(a => a === 'missing')).toBe(true);
    expect(answers.size).toBe(13);
  });

  it('answers nothing for a call that failed for another reason than a missing cluster, and goes on with the next', async () => {
    const { api } = ecs(clusterArn => {
      if (clusterArn.endsWith('/shop')) throw new ShardCallError('ecs:DescribeServices', Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
      if (clusterArn.endsWith('/gone')) throw new ShardCallError('ecs:DescribeServices', Object.assign(new Error('no cluster'), { name: 'ClusterNotFoundException' }));
      return { services: [{ serviceArn: `${CN}:service/edge/router`, status: 'INACTIVE' }], failures: [] };
    });
    const answers = await lookUpServices(api, [target('shop', 'cart'), target('gone', 'x'), target('edge', 'router')]);
    expect(Object.fromEntries(answers)).toEqual({ [`${CN}:service/gone/x`]: 'clusterMissing', [`${CN}:service/edge/router`]: 'inactive' });
  });
});
