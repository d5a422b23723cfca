import { mapServices } from '../../src/mapping/mapServices';
import { defaultMappingOptions } from '../../src/mapping/mappingOptions';
import { parseMappingRules } from '../../src/config/mappingConfig';
import type { EcsService } from '../../src/scan/inventory';

const service = (name: string, tags: Record<string, string> = {}): EcsService => ({
  arn: `arn:aws:ecs:eu-west-1:111111111111:service/c/${name}`,
  name,
  clusterArn: 'arn:aws:ecs:eu-west-1:111111111111:cluster/c',
  accountId: '111111111111',
  region: 'eu-west-1',
  status: 'ACTIVE',
  tags,
  desiredCount: 1,
  runningCount: 1,
  taskDefinition: 'td',
  createdAt: '',
});

describe('mapServices', () => {
  it('leaves out an entity the catalog would refuse, names its ARN and reason, and keeps the rest', async () => {
    // An invalid default namespace cannot come from validated config; it stands in for any
    // invalid entity. A rule gives the two fine services a valid one.
    const options = defaultMappingOptions('p');
    const broken = {
      ...options,
      defaults: { ...options.defaults, namespace: 'Not A Namespace' },
      rules: parseMappingRules([{ match: { service: '*fine' }, set: { namespace: 'default' } }], 'rules'),
    };
    const result = await mapServices([service('fine'), service('broken'), service('also-fine')], broken);
    expect(result.entities.map(e => e.metadata.title)).toEqual(['fine', 'also-fine']);
    expect(result.rejected).toEqual([{ arn: 'arn:aws:ecs:eu-west-1:111111111111:service/c/broken', reason: expect.stringMatching(/namespace/) }]);
  });
});
