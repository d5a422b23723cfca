import path from 'node:path';
import { stringify } from 'yaml';
import { entityNameFor } from '../../src/mapping/entityName';
import { toEntityRef } from '../../src/mapping/entityRefs';
import { toLabelValue } from '../../src/mapping/labels';
import { mapService } from '../../src/mapping/mapService';
import { defaultMappingOptions } from '../../src/mapping/mappingOptions';
import { findTag } from '../../src/mapping/tags';
import { parseMappingRules } from '../../src/config/mappingConfig';
import { validateEntity } from '../../src/mapping/validateEntity';
import { taskDefinitionFamily, type EcsService } from '../../src/scan/inventory';
import { expectGolden } from '../support/golden';

const GOLDEN = path.join(__dirname, 'golden');

function service(name: string, extra: Partial<EcsService> = {}): EcsService {
  const accountId = extra.accountId ?? '012345678901';
  const region = extra.region ?? 'eu-west-1';
  return {
    arn: `arn:aws:ecs:${region}:${accountId}:service/payments/${name}`,
    name,
    clusterArn: `arn:aws:ecs:${region}:${accountId}:cluster/payments`,
    accountId,
    region,
    status: 'ACTIVE',
    tags: {},
    desiredCount: 2,
    runningCount: 2,
    launchType: 'FARGATE',
    taskDefinition: `arn:aws:ecs:${region}:${accountId}:task-definition/${name}:3`,
    createdAt: '2025-03-01T10:00:00.000Z',
    ...extra,
  };
}

const options = defaultMappingOptions('production');

describe('mapService golden files', () => {
  const cases: Array<[string, EcsService[]]> = [
    [
      'tag-casing',
      [
        service('checkout-api', { tags: { Owner: 'Team-Payments', System: 'payments', Environment: 'Production', Component: 'checkout' } }),
        service('ledger', { tags: { OWNER: 'group:default/team-ledger', owner: 'team-other', STAGE: 'staging' } }),
        service('refunds', { tags: { team: 'team-refunds' }, launchType: undefined }),
        service('untagged'),
      ],
    ],
    [
      'same-name-two-accounts',
      [service('edge-proxy', { accountId: '111111111111' }), service('edge-proxy', { accountId: '222222222222', region: 'us-east-1' })],
    ],
    [
      'long-and-odd-names',
      [
        service('payments-reconciliation-worker-for-european-acquirers-legacy-settlement-files-v2-batch'),
        service('___--x--___'),
        service('A'.repeat(255)),
        service('legacy', { arn: 'arn:aws:ecs:eu-west-1:012345678901:service/legacy' }),
      ],
    ],
    [
      'hostile-tags',
      [
        service('hostile', {
          tags: {
            owner: '<script>alert(1)</script>',
            system: 'javascript:alert(1)',
            environment: '[prod](http://evil.example)',
            component: 'data:text/html,<b>x</b>',
          },
        }),
      ],
    ],
  ];

  it.each(cases)('%s', async (name, services) => {
    const entities = services.map(s => mapService(s, options));
    for (const entity of entities) expect(await validateEntity(entity)).toBeUndefined();
    expectGolden(path.join(GOLDEN, `${name}.yaml`), stringify(entities));
  });

  it('rules: first match wins, tags win over rules, rules over defaults', async () => {
    const withRules = {
      ...options,
      rules: parseMappingRules(
        [
          { name: 'search-by-tag', match: { tag: { key: 'Domain', value: 'search' } }, set: { owner: 'team-search', namespace: 'search', labels: { tier: 'gold' } } },
          { name: 'payments-cluster', match: { cluster: 'pay*', region: 'eu-west-1' }, set: { owner: 'team-payments', system: 'payments', lifecycle: 'experimental' } },
          { name: 'never-reached', match: { service: '*' }, set: { owner: 'team-late' } },
        ],
        'rules',
      ),
    };
    const services = [
      service('ranker', { tags: { domain: 'search' } }),
      service('ledger'),
      service('tagged', { tags: { owner: 'team-tagged', stage: 'staging' } }),
      service('elsewhere', { region: 'us-east-1', clusterArn: 'arn:aws:ecs:us-east-1:012345678901:cluster/other', arn: 'arn:aws:ecs:us-east-1:012345678901:service/other/elsewhere' }),
    ];
    const entities = services.map(s => mapService(s, withRules));
    for (const entity of entities) expect(await validateEntity(entity)).toBeUndefined();
    expectGolden(path.join(GOLDEN, 'rules.yaml'), stringify(entities));
  });

});

describe('what the catalog says about a service', () => {
  it('links claimants, inherits the claimant owner only when nothing else names one, and labels unclaimed and drifting services', async () => {
    const entities = [
      mapService(service('claimed-untagged'), options, { claimedBy: ['component:default/Shop', 'component:default/api'], claimantOwner: 'group:default/team-shop', ownerDrift: false }),
      mapService(service('claimed-tagged', { tags: { owner: 'team-tag', component: 'shop' } }), options, { claimedBy: ['component:default/shop'], claimantOwner: 'group:default/team-b', ownerDrift: true }),
      mapService(service('unclaimed'), options, { claimedBy: [], ownerDrift: false }),
    ];
    for (const entity of entities) expect(await validateEntity(entity)).toBeUndefined();
    expectGolden(path.join(GOLDEN, 'claims.yaml'), stringify(entities));
  });
});

describe('mapping rules of thumb', () => {
  it('gives byte-identical entities for the same service, whatever the tag order', () => {
    const a = mapService(service('x', { tags: { owner: 'team-a', Owner: 'team-b' } }), options);
    const b = mapService(service('x', { tags: { Owner: 'team-b', owner: 'team-a' } }), options);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.spec!.owner).toBe('group:default/team-a');
  });

  it('writes the long ARN the AWS Labs ECS tab needs for a short-ARN service, keeps the reported one and the name', () => {
    const short = service('billing', { arn: 'arn:aws-cn:ecs:cn-north-1:012345678901:service/billing', clusterArn: 'arn:aws-cn:ecs:cn-north-1:012345678901:cluster/core' });
    const entity = mapService(short, options);
    expect(entity.metadata.annotations!['aws.amazon.com/amazon-ecs-service-arn']).toBe('arn:aws-cn:ecs:cn-north-1:012345678901:service/core/billing');
    expect(entity.metadata.annotations!['aws.amazon.com/ecs-reported-service-arn']).toBe(short.arn);
    expect(entity.metadata.name).toBe(entityNameFor(short));

    const long = mapService(service('billing'), options);
    expect(long.metadata.annotations!['aws.amazon.com/amazon-ecs-service-arn']).toBe(service('billing').arn);
    expect(long.metadata.annotations).not.toHaveProperty(['aws.amazon.com/ecs-reported-service-arn']);
  });

  it('keeps a name stable and unique: it depends on the ARN alone', () => {
    const one = service('api');
    expect(entityNameFor(one)).toBe(entityNameFor({ ...one }));
    expect(entityNameFor(one)).not.toBe(entityNameFor(service('api', { accountId: '999999999999' })));
    expect(entityNameFor(one)).toMatch(/^api-[a-z2-7]{10}$/);
  });

  it.each([
    ['team-a', 'group:default/team-a'],
    ['Team-A', 'group:default/team-a'],
    ['group:team-a', 'group:default/team-a'],
    ['group:default/team-a', 'group:default/team-a'],
    ['user:ops/jane', 'user:ops/jane'],
    ['Team Payments', undefined],
    ['<b>x</b>', undefined],
    ['', undefined],
  ])('reads owner %j as %j', (value, expected) => {
    expect(toEntityRef(value, 'group', 'default')).toBe(expected);
  });

  it.each([
    ['eu-west-1', 'eu-west-1'],
    ['my cluster!', 'my-cluster'],
    ['-_-', undefined],
    ['x'.repeat(80), 'x'.repeat(63)],
  ])('fits label %j as %j', (value, expected) => {
    expect(toLabelValue(value)).toBe(expected);
  });

  it.each([
    ['arn:aws:ecs:eu-west-1:012345678901:task-definition/checkout-api:42', 'checkout-api'],
    ['arn:aws-cn:ecs:cn-north-1:012345678901:task-definition/Batch_Job-2:1', 'Batch_Job-2'],
    // A wildcard in a family would widen every deploy policy that names it.
    ['arn:aws:ecs:eu-west-1:012345678901:task-definition/*:1', undefined],
    ['arn:aws:ecs:eu-west-1:012345678901:task-definition/api', undefined],
    ['arn:aws:ecs:eu-west-1:012345678901:task-definition/api:latest', undefined],
    ['arn:aws:ecs:eu-west-1:012345678901:task-definition/a/b:1', undefined],
    [`arn:aws:ecs:eu-west-1:012345678901:task-definition/${'f'.repeat(256)}:1`, undefined],
    ['checkout-api:42', undefined],
    ['', undefined],
  ])('reads the task-definition family of %j as %j, and annotates only a real one', (taskDefinition, family) => {
    expect(taskDefinitionFamily({ taskDefinition })).toBe(family);
    expect(mapService(service('api', { taskDefinition }), options).metadata.annotations?.['aws.amazon.com/ecs-task-definition-family']).toBe(family);
  });

  it('prefers the exact spelling of a tag key, then the first in code-point order', () => {
    expect(findTag({ OWNER: 'a', owner: 'b' }, ['owner'])).toEqual({ key: 'owner', value: 'b' });
    expect(findTag({ OWNER: 'a', Owner: 'b' }, ['owner'])).toEqual({ key: 'OWNER', value: 'a' });
    expect(findTag({ team: 'x', Owner: ' ' }, ['owner', 'team'])).toEqual({ key: 'team', value: 'x' });
  });
});
