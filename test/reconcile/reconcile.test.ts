import type { Entity } from '@backstage/catalog-model';
import { defaultMappingOptions } from '../../src/mapping/mappingOptions';
import { mapService } from '../../src/mapping/mapService';
import { readClaims } from '../../src/reconcile/claims';
import { reconcile } from '../../src/reconcile/reconcile';
import { buildDriftReport } from '../../src/report/driftReport';
import type { EcsService, Inventory, ShardResult } from '../../src/scan/inventory';

const A = '111111111111';
const B = '222222222222';
const arn = (account: string, region: string, cluster: string | null, name: string) =>
  `arn:aws:ecs:${region}:${account}:service/${cluster ? `${cluster}/` : ''}${name}`;

function svc(account: string, region: string, cluster: string, name: string, extra: Partial<EcsService> = {}): EcsService {
  return {
    arn: arn(account, region, cluster, name),
    name,
    clusterArn: `arn:aws:ecs:${region}:${account}:cluster/${cluster}`,
    accountId: account,
    region,
    status: 'ACTIVE',
    tags: {},
    desiredCount: 1,
    runningCount: 1,
    taskDefinition: 'td',
    createdAt: '',
    ...extra,
  };
}
const ok = (accountId: string, region: string): ShardResult => ({
  accountId, region, status: 'ok', clusters: 1, services: 1, apiCalls: 1, throttled: 0, retries: 0, credentialRefreshes: 0,
});
const failed = (accountId: string, region: string): ShardResult => ({
  ...ok(accountId, region), status: 'failed', error: { name: 'AccessDeniedException', message: `ecs:ListClusters failed in account ${accountId}, region ${region}: AccessDeniedException: denied` },
});

function component(name: string, annotations: Record<string, string>, owner = 'team-a'): Entity {
  return { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name, annotations }, spec: { type: 'service', owner, lifecycle: 'production' } };
}
const group = (name: string): Entity => ({ apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name }, spec: { type: 'team', children: [] } });
const claimArn = (name: string, value: string, owner?: string) => component(name, { 'aws.amazon.com/amazon-ecs-service-arn': value }, owner);
const claimTags = (name: string, value: string, owner?: string) => component(name, { 'aws.amazon.com/amazon-ecs-service-tags': value }, owner);

const mapping = defaultMappingOptions('test');
const services = [
  svc(A, 'eu-west-1', 'shop', 'cart', { tags: { Owner: 'Team-A' } }),
  svc(A, 'eu-west-1', 'shop', 'drain', { status: 'DRAINING', tags: { owner: 'team-a' } }),
  svc(A, 'eu-west-1', 'shop', 'gone', { status: 'INACTIVE' }),
  svc(A, 'eu-west-1', 'shop', 'orphan'),
  svc(A, 'eu-west-1', 'shop', 'ghost-owned', { tags: { team: 'team-ghost' } }),
  svc(A, 'eu-west-1', 'shop', 'selected', { tags: { app: 'a=b "quoted" x', env: 'prod' } }),
  svc(A, 'us-east-1', 'edge', 'moved', { tags: { owner: 'team-a' } }),
  svc(A, 'eu-west-1', 'shop', 'legacy', { arn: arn(A, 'eu-west-1', null, 'legacy'), tags: { owner: 'team-b' } }),
];
const inventory: Inventory = { shards: [ok(A, 'eu-west-1'), ok(A, 'us-east-1'), failed(B, 'eu-west-1')], services };
const catalog = [group('team-a'), group('team-b'), ...services.filter(s => s.status !== 'INACTIVE').map(s => mapService(s, mapping))];

function run(entities: Entity[], inv: Inventory = inventory) {
  return reconcile({ inventory: inv, entities: [...catalog, ...entities], mapping });
}

describe('readClaims', () => {
  it.each([
    ['one ARN', { 'aws.amazon.com/amazon-ecs-service-arn': arn(A, 'eu-west-1', 'shop', 'cart') }, [arn(A, 'eu-west-1', 'shop', 'cart')], []],
    ['a trimmed list of ARNs in both formats', { 'aws.amazon.com/amazon-ecs-service-arn': ` ${arn(A, 'eu-west-1', 'shop', 'cart')} , ${arn(A, 'eu-west-1', null, 'legacy')}` }, [arn(A, 'eu-west-1', 'shop', 'cart'), arn(A, 'eu-west-1', null, 'legacy')], []],
    ['a task ARN', { 'aws.amazon.com/amazon-ecs-service-arn': `arn:aws:ecs:eu-west-1:${A}:task/shop/0123456789abcdef` }, [], ['a task ARN, not an ECS service ARN']],
    ['a cluster ARN', { 'aws.amazon.com/amazon-ecs-service-arn': `arn:aws:ecs:eu-west-1:${A}:cluster/shop` }, [], ['a cluster ARN, not an ECS service ARN']],
    ['garbage', { 'aws.amazon.com/amazon-ecs-service-arn': 'checkout' }, [], [expect.stringMatching(/^not an ECS service ARN/)]],
    ['a selector with = and quotes in values', { 'aws.amazon.com/amazon-ecs-service-tags': 'app=a=b "quoted" x, env=prod' }, ['app=a=b "quoted" x|env=prod'], []],
    ['a selector without =', { 'aws.amazon.com/amazon-ecs-service-tags': 'app' }, [], ["'app' is not a key=value pair"]],
    ['a selector with an empty pair', { 'aws.amazon.com/amazon-ecs-service-tags': 'app=x,,env=y' }, [], [expect.stringMatching(/pair 2 is empty/)]],
  ])('%s', (_name, annotations, expectedClaims, expectedReasons) => {
    const { claims, malformed } = readClaims(component('c', annotations));
    expect(claims.map(c => (c.kind === 'arn' ? c.arn : c.pairs.map(p => `${p.key}=${p.value}`).join('|')))).toEqual(expectedClaims);
    expect(malformed.map(m => m.reason)).toEqual(expectedReasons);
  });

  it('never reads the provider’s own entities as claims', () => {
    const own = mapService(services[0], mapping);
    expect(readClaims(own)).toEqual({ claims: [], malformed: [] });
  });
});

describe('reconcile', () => {
  it('matches ARN claims to live services, DRAINING included', () => {
    const { findings, claimants } = run([claimArn('shop', `${arn(A, 'eu-west-1', 'shop', 'cart')},${arn(A, 'eu-west-1', 'shop', 'drain')}`)]);
    expect(findings.matched).toEqual([
      { entityRef: 'component:default/shop', arn: arn(A, 'eu-west-1', 'shop', 'cart') },
      { entityRef: 'component:default/shop', arn: arn(A, 'eu-west-1', 'shop', 'drain') },
    ]);
    expect(claimants.get(arn(A, 'eu-west-1', 'shop', 'cart'))).toEqual(['component:default/shop']);
    expect(findings.phantoms).toEqual([]);
  });

  it.each([
    ['a deleted service', arn(A, 'eu-west-1', 'shop', 'gone'), 'the service was deleted (status INACTIVE)', null],
    ['a service that never existed, with the same name in another region', arn(A, 'eu-west-1', 'shop', 'moved'), `it is not in the complete scan of account ${A}, region eu-west-1`, { arn: arn(A, 'us-east-1', 'edge', 'moved'), why: 'the same service name runs in region us-east-1' }],
    ['a name that runs nowhere', arn(A, 'us-east-1', 'edge', 'nowhere'), `it is not in the complete scan of account ${A}, region us-east-1`, null],
  ])('calls %s a phantom, with a suggestion where one exists', (_name, claimed, reason, suggestion) => {
    const { findings } = run([claimArn('c', claimed)]);
    expect(findings.phantoms).toEqual([{ entityRef: 'component:default/c', annotation: 'aws.amazon.com/amazon-ecs-service-arn', arn: claimed, reason, suggestion }]);
  });

  it('never calls a claim into a failed or unscanned shard a phantom: not verified, with an alert naming the scope', () => {
    const { findings } = run([claimArn('c', arn(B, 'eu-west-1', 'x', 'y')), claimArn('d', arn('333333333333', 'ap-south-1', 'x', 'y'))]);
    expect(findings.phantoms).toEqual([]);
    expect(findings.notVerified.map(n => [n.entityRef, n.reason])).toEqual([
      ['component:default/c', `account ${B}, region eu-west-1 could not be read`],
      ['component:default/d', 'account 333333333333, region ap-south-1 is outside the scanned scope'],
    ]);
    expect(findings.alerts).toEqual([
      { accountId: B, region: 'eu-west-1', error: expect.stringContaining('AccessDeniedException') },
      { accountId: '333333333333', region: 'ap-south-1', error: expect.stringContaining('outside the scanned scope') },
    ]);
  });

  it('raises an alert when the account discovery failed, so the comparison is not called complete', () => {
    const { findings } = run([], { ...inventory, discovery: { status: 'failed', accounts: 0, error: { name: 'AccessDeniedException', message: 'account discovery through the main account failed: denied' } } });
    expect(findings.alerts[0]).toEqual({ accountId: '*', region: '*', error: 'account discovery through the main account failed: denied' });
  });

  it('matches tag selectors exactly on values, and calls an empty one a phantom only when every shard was read', () => {
    const selectors = [claimTags('sel', 'app=a=b "quoted" x,env=prod'), claimTags('none', 'app=nothing')];
    const partial = run(selectors);
    expect(partial.findings.matched).toContainEqual({ entityRef: 'component:default/sel', arn: arn(A, 'eu-west-1', 'shop', 'selected') });
    expect(partial.findings.phantoms).toEqual([]);
    expect(partial.findings.notVerified.map(n => n.entityRef)).toEqual(['component:default/none']);

    const complete = run(selectors, { shards: inventory.shards.filter(s => s.status === 'ok'), services });
    expect(complete.findings.phantoms).toEqual([
      { entityRef: 'component:default/none', annotation: 'aws.amazon.com/amazon-ecs-service-tags', selector: 'app=nothing', reason: 'no live service in the scanned scope carries these tags', suggestion: null },
    ]);
  });

  it('lists live services that nobody claims and that no tag or rule gives an owner', () => {
    const { findings } = run([]);
    expect(findings.unclaimed.map(u => u.arn)).toEqual([arn(A, 'eu-west-1', 'shop', 'orphan'), arn(A, 'eu-west-1', 'shop', 'selected')]);
    expect(findings.liveServices).toBe(7);
    expect(findings.claimedServices).toBe(0);
  });

  it('reports owner drift: a tag against the claiming owner (compared as references), and a tag naming a missing group', () => {
    const { findings } = run([
      claimArn('agrees', arn(A, 'eu-west-1', 'shop', 'cart'), 'group:default/team-a'),
      claimArn('disagrees', arn(A, 'eu-west-1', null, 'legacy'), 'Team-A'),
    ]);
    expect(findings.ownerDrift).toEqual([
      { arn: arn(A, 'eu-west-1', null, 'legacy'), entityRef: 'component:default/disagrees', entityOwner: 'group:default/team-a', tagOwner: 'team-b', tagOwnerRef: 'group:default/team-b', reason: 'the owner tag says team-b, the claiming entity says group:default/team-a' },
      { arn: arn(A, 'eu-west-1', 'shop', 'ghost-owned'), entityRef: null, entityOwner: null, tagOwner: 'team-ghost', tagOwnerRef: 'group:default/team-ghost', reason: 'the owner tag names team-ghost, which is not in the catalog' },
    ]);
    // The groups owner tags name that the catalog lacks: their arrival makes this drift stale.
    expect(run([]).missingOwners).toEqual(['group:default/team-ghost']);
    // A service whose owner tag names a missing group has an owner: it is drift, not unclaimed.
    expect(findings.unclaimed.map(u => u.arn)).not.toContain(arn(A, 'eu-west-1', 'shop', 'ghost-owned'));
  });

  it('reads an owner tag in the namespace its mapping rule sets, and addresses the drift report there', () => {
    const ops = { ...mapping, rules: [{ label: 'ops', match: { cluster: /^shop$/ }, set: { namespace: 'ops' } }] };
    const reconciliation = reconcile({ inventory, entities: catalog, mapping: ops });
    const ghost = reconciliation.findings.ownerDrift.find(d => d.arn === arn(A, 'eu-west-1', 'shop', 'ghost-owned'));
    expect(ghost).toMatchObject({ tagOwner: 'team-ghost', tagOwnerRef: 'group:ops/team-ghost', reason: 'the owner tag names team-ghost, which is not in the catalog' });
    const report = buildDriftReport(reconciliation, new Date(0));
    expect(report.ownerDrift.find(d => d.arn === ghost!.arn)?.owner).toBe('group:ops/team-ghost');
  });

  it('reports two entities claiming one service, by ARN or by tags', () => {
    const { findings } = run([claimArn('one', arn(A, 'eu-west-1', 'shop', 'selected')), claimTags('two', 'env=prod')]);
    expect(findings.duplicateClaims).toEqual([{ arn: arn(A, 'eu-west-1', 'shop', 'selected'), entityRefs: ['component:default/one', 'component:default/two'] }]);
  });

  it('reports malformed claims with the entity, the annotation and the value', () => {
    const { findings } = run([claimArn('bad', `arn:aws:ecs:eu-west-1:${A}:task/shop/abc`)]);
    expect(findings.malformedClaims).toEqual([
      { entityRef: 'component:default/bad', annotation: 'aws.amazon.com/amazon-ecs-service-arn', value: `arn:aws:ecs:eu-west-1:${A}:task/shop/abc`, reason: 'a task ARN, not an ECS service ARN' },
    ]);
  });

  it('is deterministic whatever the order of entities and services', () => {
    const entities = [claimArn('x', arn(A, 'eu-west-1', 'shop', 'cart')), claimTags('y', 'env=prod'), claimArn('z', 'junk')];
    const a = reconcile({ inventory, entities: [...catalog, ...entities], mapping });
    const b = reconcile({ inventory: { ...inventory, services: [...services].reverse() }, entities: [...entities, ...catalog].reverse(), mapping });
    expect(JSON.stringify(b.findings)).toBe(JSON.stringify(a.findings));
  });

  describe('short and long ARNs of one service', () => {
    const migrated = svc(A, 'eu-west-1', 'shop', 'legacy'); // the same service after AWS moved it to the long format
    const afterMigration: Inventory = { ...inventory, services: services.map(s => (s.name === 'legacy' ? migrated : s)) };

    it('matches a claim in either form, whichever form ECS reports, and never calls it a phantom', () => {
      for (const inv of [inventory, afterMigration]) {
        const { findings } = run([claimArn('short', arn(A, 'eu-west-1', null, 'legacy')), claimArn('long', arn(A, 'eu-west-1', 'shop', 'legacy'))], inv);
        const reported = inv.services.find(s => s.name === 'legacy')!.arn;
        expect(findings.matched).toEqual(expect.arrayContaining([{ entityRef: 'component:default/long', arn: reported }, { entityRef: 'component:default/short', arn: reported }]));
        expect(findings.phantoms).toEqual([]);
      }
    });

    it('tells a short-form claim the long form to write, and says nothing about a long-form claim', () => {
      const { findings } = run([claimArn('short', arn(A, 'eu-west-1', null, 'legacy'), 'team-b'), claimArn('long', arn(A, 'eu-west-1', 'shop', 'legacy'), 'team-b')]);
      expect(findings.tabMismatches).toEqual([
        {
          entityRef: 'component:default/short',
          annotation: 'aws.amazon.com/amazon-ecs-service-arn',
          value: arn(A, 'eu-west-1', null, 'legacy'),
          reason: expect.stringContaining('Malformed ECS Service ARN'),
          suggestion: { annotation: 'aws.amazon.com/amazon-ecs-service-arn', value: arn(A, 'eu-west-1', 'shop', 'legacy') },
        },
      ]);
    });

    it('does not take a short claim for a service in another account, region or partition', () => {
      const { findings } = run([claimArn('elsewhere', arn(A, 'us-east-1', null, 'legacy')), claimArn('china', `arn:aws-cn:ecs:eu-west-1:${A}:service/legacy`)]);
      expect(findings.matched.filter(m => m.entityRef.endsWith('elsewhere') || m.entityRef.endsWith('china'))).toEqual([]);
    });
  });

  describe('what the AWS Labs ECS tab reads otherwise', () => {
    const mismatches = (...entities: Entity[]) => run(entities).findings.tabMismatches.map(({ entityRef, reason, suggestion }) => ({ entityRef, reason, suggestion }));
    const ARN_KEY = 'aws.amazon.com/amazon-ecs-service-arn';
    const TAGS_KEY = 'aws.amazon.com/amazon-ecs-service-tags';

    it('a comma list: one ARN when it names one service, the shared tags when they select exactly its services, else nothing', () => {
      const cart = arn(A, 'eu-west-1', 'shop', 'cart');
      expect(mismatches(claimArn('twice', `${cart}, ${cart}`))).toEqual([
        { entityRef: 'component:default/twice', reason: expect.stringContaining('does not split it at commas'), suggestion: { annotation: ARN_KEY, value: cart } },
      ]);
      expect(mismatches(claimArn('two', `${cart},${arn(A, 'eu-west-1', 'shop', 'orphan')}`))).toEqual([
        { entityRef: 'component:default/two', reason: expect.stringContaining('does not split it at commas'), suggestion: null },
      ]);
    });

    it('a key in another case than the tag, spaces around pairs, and a value with =', () => {
      expect(mismatches(claimTags('cased', 'ENV=prod'))).toEqual([
        { entityRef: 'component:default/cased', reason: expect.stringContaining('spell ENV as env'), suggestion: { annotation: TAGS_KEY, value: 'env=prod' } },
      ]);
      expect(mismatches(claimTags('spaced', 'env=prod, app=a=b "quoted" x'))).toEqual([
        // No selector can carry the '=': the one service it selects, by ARN.
        { entityRef: 'component:default/spaced', reason: expect.stringContaining("second '='"), suggestion: { annotation: ARN_KEY, value: arn(A, 'eu-west-1', 'shop', 'selected') } },
      ]);
      expect(mismatches(claimTags('padded', ' env=prod'))).toEqual([
        { entityRef: 'component:default/padded', reason: expect.stringContaining('untrimmed'), suggestion: { annotation: TAGS_KEY, value: 'env=prod' } },
      ]);
      expect(mismatches(claimTags('plain', 'env=prod'))).toEqual([]);
    });

    it('both annotations on one entity: the one annotation that claims the same', () => {
      const selected = arn(A, 'eu-west-1', 'shop', 'selected');
      expect(mismatches(component('both', { [ARN_KEY]: selected, [TAGS_KEY]: 'env=prod' }))).toEqual([
        { entityRef: 'component:default/both', reason: expect.stringContaining('Annotation not found'), suggestion: { annotation: ARN_KEY, value: selected } },
      ]);
    });

    it('says nothing on a phantom or a claim it could not verify: those findings already ask for a change', () => {
      expect(mismatches(claimArn('gone', arn(A, 'eu-west-1', null, 'gone')), claimTags('none', 'Env=staging'), claimArn('unread', arn(B, 'eu-west-1', null, 'x')))).toEqual([]);
    });
  });
});
