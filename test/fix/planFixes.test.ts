import type { Entity } from '@backstage/catalog-model';
import { type LocatedEntity, planFixes } from '../../src/fix/planFixes';
import { defaultMappingOptions } from '../../src/mapping/mappingOptions';
import { reconcile } from '../../src/reconcile/reconcile';
import type { EcsService, Inventory, ShardResult } from '../../src/scan/inventory';

const A = '111111111111';
const B = '222222222222';
const ARN = 'aws.amazon.com/amazon-ecs-service-arn';
const TAGS = 'aws.amazon.com/amazon-ecs-service-tags';
const arn = (account: string, cluster: string | null, name: string) => `arn:aws:ecs:eu-west-1:${account}:service/${cluster ? `${cluster}/` : ''}${name}`;

function svc(account: string, cluster: string, name: string, extra: Partial<EcsService> = {}): EcsService {
  return {
    arn: arn(account, cluster, name),
    name,
    clusterArn: `arn:aws:ecs:eu-west-1:${account}:cluster/${cluster}`,
    accountId: account,
    region: 'eu-west-1',
    status: 'ACTIVE',
    tags: {},
    desiredCount: 1,
    runningCount: 1,
    taskDefinition: 'td',
    createdAt: '',
    ...extra,
  };
}
const shard = (accountId: string, status: 'ok' | 'failed'): ShardResult => ({
  accountId, region: 'eu-west-1', status, clusters: 1, services: 1, apiCalls: 1, throttled: 0, retries: 0, credentialRefreshes: 0,
  ...(status === 'failed' ? { error: { name: 'AccessDeniedException', message: 'denied' } } : {}),
});

const services = [
  svc(A, 'shop', 'cart', { tags: { Team: 'shop', app: 'cart' } }),
  svc(A, 'shop-v2', 'checkout'),
  svc(A, 'shop', 'legacy', { arn: arn(A, null, 'legacy') }),
  svc(A, 'shop', 'taken'),
  svc(B, 'search', 'indexer'),
  svc(B, 'search', 'checkout-b'),
];
const everything: Inventory = { shards: [shard(A, 'ok'), shard(B, 'ok')], services };
const searchUnread: Inventory = { shards: [shard(A, 'ok'), shard(B, 'failed')], services: services.filter(s => s.accountId === A) };

const component = (name: string, annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, annotations },
  spec: { type: 'service', owner: 'team-shop', lifecycle: 'production' },
});

/** Each entity in its own document of one file, in order. */
function plan(entities: Entity[], inventory: Inventory = everything, file = 'catalog-info.yaml') {
  const located: LocatedEntity[] = entities.map((entity, document) => ({ entity, file, place: { document } }));
  const { findings } = reconcile({ inventory, entities, mapping: defaultMappingOptions('test') });
  return planFixes({ findings, inventory, entities: located });
}
const changes = (p: ReturnType<typeof plan>) => p.fixes.map(f => ({ entityRef: f.entityRef, annotation: f.annotation, oldValue: f.oldValue, newValue: f.newValue }));
const alone = (p: ReturnType<typeof plan>) => p.leftAlone.map(l => ({ entityRef: l.entityRef, value: l.value, reason: l.reason }));

describe('planFixes', () => {
  it('points a phantom at the suggested service, in the long form, keeping the file and place', () => {
    const result = plan([component('other', {}), component('checkout', { [ARN]: arn(A, 'shop', 'checkout') })]);
    expect(result.fixes).toEqual([
      {
        file: 'catalog-info.yaml',
        document: 1,
        entityRef: 'component:default/checkout',
        annotation: ARN,
        oldValue: arn(A, 'shop', 'checkout'),
        newValue: arn(A, 'shop-v2', 'checkout'),
        why: [expect.stringContaining('the same service name runs in cluster shop-v2')],
      },
    ]);
    expect(result.leftAlone).toEqual([]);
  });

  it('writes the long ARN for a short one, and the spelling of the tags for a selector', () => {
    const result = plan([component('legacy', { [ARN]: arn(A, null, 'legacy') }), component('cart', { [TAGS]: 'team=shop, app=cart' })]);
    expect(changes(result)).toEqual([
      { entityRef: 'component:default/legacy', annotation: ARN, oldValue: arn(A, null, 'legacy'), newValue: arn(A, 'shop', 'legacy') },
      { entityRef: 'component:default/cart', annotation: TAGS, oldValue: 'team=shop, app=cart', newValue: 'Team=shop,app=cart' },
    ]);
  });

  it('also makes a suggested service that still has a short ARN long', () => {
    const result = plan([component('legacy', { [ARN]: arn(A, 'old', 'legacy') })]);
    expect(changes(result)).toEqual([{ entityRef: 'component:default/legacy', annotation: ARN, oldValue: arn(A, 'old', 'legacy'), newValue: arn(A, 'shop', 'legacy') }]);
  });

  it('finds nothing in claims it has fixed', () => {
    const entities = [component('legacy', { [ARN]: arn(A, null, 'legacy') }), component('checkout', { [ARN]: arn(A, 'shop', 'checkout') }), component('cart', { [TAGS]: 'team=shop, app=cart' })];
    const first = plan(entities);
    const fixed = entities.map(e => {
      const fix = first.fixes.find(f => f.entityRef === `component:default/${e.metadata.name}`)!;
      return component(e.metadata.name, { [fix.annotation]: fix.newValue });
    });
    expect(plan(fixed)).toEqual({ fixes: [], leftAlone: [] });
  });

  it('lists a phantom without a suggestion, and a selector no service matches, and edits neither', () => {
    const result = plan([component('ghost', { [ARN]: arn(A, 'shop', 'ghost') }), component('tags', { [TAGS]: 'app=nothing' })]);
    expect(result.fixes).toEqual([]);
    expect(alone(result)).toEqual([
      { entityRef: 'component:default/ghost', value: arn(A, 'shop', 'ghost'), reason: expect.stringContaining('no running service of that name to suggest') },
      { entityRef: 'component:default/tags', value: 'app=nothing', reason: expect.stringContaining('no tags can be suggested') },
    ]);
  });

  it('replaces a phantom inside a list of ARNs and leaves the list itself, which the tab cannot read, to a person', () => {
    const value = `${arn(A, 'shop', 'cart')} , ${arn(A, 'shop', 'checkout')}`;
    const result = plan([component('both', { [ARN]: value })]);
    expect(changes(result)).toEqual([
      { entityRef: 'component:default/both', annotation: ARN, oldValue: value, newValue: `${arn(A, 'shop', 'cart')} , ${arn(A, 'shop-v2', 'checkout')}` },
    ]);
    expect(alone(result)).toEqual([{ entityRef: 'component:default/both', value, reason: expect.stringContaining('does not split it at commas') }]);
  });

  it('leaves an entity with both claim annotations, and a fix that means another annotation, to a person', () => {
    const result = plan([
      component('twice', { [ARN]: arn(A, 'shop', 'cart'), [TAGS]: 'team=shop' }),
      component('two-services', { [ARN]: `${arn(A, 'shop', 'cart')},${arn(A, 'shop', 'taken')}` }),
    ]);
    expect(result.fixes).toEqual([]);
    expect(alone(result).map(l => [l.entityRef, l.reason])).toEqual([
      ['component:default/twice', expect.stringMatching(/reads neither annotation when both are set.*write aws\.amazon\.com\/amazon-ecs-service-arn: .*cart and no other ECS claim annotation/)],
      ['component:default/twice', expect.stringContaining('spell team as Team; write aws.amazon.com/amazon-ecs-service-tags: Team=shop and no other ECS claim annotation')],
      ['component:default/two-services', expect.stringContaining('does not split it at commas; no one annotation claims the same services')],
    ]);
  });

  it('does not point a phantom at a service another entity claims', () => {
    const result = plan([component('owner', { [ARN]: arn(A, 'shop-v2', 'checkout') }), component('checkout', { [ARN]: arn(A, 'shop', 'checkout') })]);
    expect(result.fixes).toEqual([]);
    expect(alone(result)).toEqual([{ entityRef: 'component:default/checkout', value: arn(A, 'shop', 'checkout'), reason: expect.stringContaining('is claimed by component:default/owner already') }]);
  });

  it('leaves an entity written in two places alone', () => {
    const entity = component('legacy', { [ARN]: arn(A, null, 'legacy') });
    const located: LocatedEntity[] = [
      { entity, file: 'a/catalog-info.yaml', place: { document: 0 } },
      { entity, file: 'b/catalog-info.yaml', place: { document: 0 } },
    ];
    const { findings } = reconcile({ inventory: everything, entities: [entity], mapping: defaultMappingOptions('test') });
    const result = planFixes({ findings, inventory: everything, entities: located });
    expect(result.fixes).toEqual([]);
    expect(result.leftAlone).toEqual([expect.objectContaining({ entityRef: 'component:default/legacy', reason: 'the entity is written in 2 places; fix it by hand' })]);
  });

  describe('with a scope that could not be read', () => {
    it('never touches a claim into it, and still fixes claims into the scopes that were read', () => {
      const result = plan([component('indexer', { [ARN]: arn(B, null, 'indexer') }), component('legacy', { [ARN]: arn(A, null, 'legacy') })], searchUnread);
      expect(changes(result)).toEqual([{ entityRef: 'component:default/legacy', annotation: ARN, oldValue: arn(A, null, 'legacy'), newValue: arn(A, 'shop', 'legacy') }]);
      expect(result.leftAlone).toEqual([]);
    });

    it('keeps a suggestion in the phantom’s own account and region, and lists one from elsewhere', () => {
      const result = plan(
        [component('checkout', { [ARN]: arn(A, 'shop', 'checkout') }), component('far', { [ARN]: `arn:aws:ecs:us-east-1:${A}:service/edge/cart` })],
        { ...searchUnread, shards: [...searchUnread.shards, { ...shard(A, 'ok'), region: 'us-east-1' }] },
      );
      expect(changes(result)).toEqual([expect.objectContaining({ entityRef: 'component:default/checkout', newValue: arn(A, 'shop-v2', 'checkout') })]);
      expect(alone(result)).toEqual([{ entityRef: 'component:default/far', value: `arn:aws:ecs:us-east-1:${A}:service/edge/cart`, reason: expect.stringContaining('a closer match may run in a scope that could not be read') }]);
    });

    it('leaves a selector alone, since it reaches every scope', () => {
      const result = plan([component('cart', { [TAGS]: 'team=shop, app=cart' })], searchUnread);
      expect(result.fixes).toEqual([]);
      expect(alone(result)).toEqual([{ entityRef: 'component:default/cart', value: 'team=shop, app=cart', reason: expect.stringContaining('once every scope can be read') }]);
    });
  });
});
