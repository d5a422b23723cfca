import type { Entity } from '@backstage/catalog-model';
import { AwsEcsClaimsProcessor, type ReportSource } from '../../src/provider/AwsEcsClaimsProcessor';
import { claimDigest } from '../../src/reconcile/claimDigest';
import { buildDriftReport } from '../../src/report/driftReport';
import { reconcile } from '../../src/reconcile/reconcile';
import { defaultMappingOptions } from '../../src/mapping/mappingOptions';

const ARN = 'arn:aws:ecs:eu-west-1:111111111111:service/shop/cart';
const entity = (kind: string, name: string, owner = 'team-shop', annotations: Record<string, string> = { 'aws.amazon.com/amazon-ecs-service-arn': ARN }): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, annotations },
  spec: { owner },
});
const report = buildDriftReport(reconcile({ inventory: { shards: [], services: [] }, entities: [], mapping: defaultMappingOptions('p') }), new Date(0));

function processorSeeing(claims: Record<string, string> | undefined, missingOwners?: string[]) {
  const changed: string[] = [];
  const settled: string[] = [];
  const source: ReportSource = {
    providerId: 'p',
    latestStoredReport: async () => ({ report, claims, missingOwners }),
    entityChanged: ref => changed.push(ref),
    entitySettled: ref => settled.push(ref),
  };
  return { processor: new AwsEcsClaimsProcessor([source]), changed, settled };
}

const process = (processor: AwsEcsClaimsProcessor, e: Entity) => processor.postProcessEntity(e, undefined, () => {});

describe('AwsEcsClaimsProcessor and changed claims', () => {
  it('tells the provider about a claim the report did not see, or saw differently', async () => {
    const seen = entity('Component', 'cart');
    const { processor, changed, settled } = processorSeeing({ 'component:default/cart': claimDigest(seen) });
    await process(processor, seen);
    expect(changed).toEqual([]);
    expect(settled).toEqual(['component:default/cart']);
    await process(processor, entity('Component', 'cart', 'team-search'));
    await process(processor, entity('Component', 'checkout'));
    await process(processor, entity('Group', 'tagged', 'x', { 'aws.amazon.com/amazon-ecs-service-tags': 'app=cart' }));
    expect(changed).toEqual(['component:default/cart', 'component:default/checkout', 'group:default/tagged']);
    expect(settled).toEqual(['component:default/cart']);
  });

  it('ignores what reconciliation never reads as a claim, and reports stored before digests were kept', async () => {
    const { processor, changed, settled } = processorSeeing({});
    await process(processor, entity('Group', 'team-shop'));
    await process(processor, entity('User', 'alice'));
    expect(changed).toEqual([]);
    expect(settled).toEqual([]);
    const old = processorSeeing(undefined);
    await process(old.processor, entity('Component', 'cart'));
    expect(old.changed).toEqual([]);
    expect(old.settled).toEqual([]);
  });

  it('tells the provider when a group or user arrives that owner tags named while the catalog lacked it', async () => {
    const { processor, changed, settled } = processorSeeing({}, ['group:default/team-shop', 'user:default/alice']);
    await process(processor, entity('Group', 'Team-Shop'));
    await process(processor, entity('User', 'alice'));
    await process(processor, entity('Group', 'team-other'));
    await process(processor, entity('Component', 'team-shop', 'x', {}));
    expect(changed).toEqual(['group:default/team-shop', 'user:default/alice']);
    expect(settled).toEqual(['group:default/team-other']);
    // Reports stored before missing owners were kept tell nothing either way.
    const old = processorSeeing({});
    await process(old.processor, entity('Group', 'team-shop'));
    expect([...old.changed, ...old.settled]).toEqual([]);
  });
});

describe('AwsEcsClaimsProcessor and the claim label', () => {
  const LABEL = 'aws.amazon.com/ecs-claim';
  const phantomReport = buildDriftReport(
    reconcile({
      inventory: { shards: [{ accountId: '111111111111', region: 'eu-west-1', status: 'ok', clusters: 1, services: 0, apiCalls: 1, throttled: 0, retries: 0, credentialRefreshes: 0 }], services: [] },
      entities: [entity('Component', 'cart')],
      mapping: defaultMappingOptions('p'),
    }),
    new Date(0),
  );
  const source = (providerId: string, stored: { report: typeof report; claims?: Record<string, string> }): ReportSource => ({
    providerId,
    latestStoredReport: async () => stored,
    entityChanged: () => {},
    entitySettled: () => {},
  });
  const labelOf = async (sources: ReportSource[], e: Entity) => (await process(new AwsEcsClaimsProcessor(sources), e)).metadata.labels?.[LABEL];
  const cart = entity('Component', 'cart');

  it('takes the worst finding any provider has, ok when one saw the claim and found nothing, none before any saw it', async () => {
    const seen = { 'component:default/cart': claimDigest(cart) };
    expect(phantomReport.phantoms.map(p => p.entityRef)).toEqual(['component:default/cart']);
    expect(await labelOf([source('a', { report, claims: seen }), source('b', { report: phantomReport, claims: seen })], cart)).toBe('phantom');
    expect(await labelOf([source('a', { report, claims: seen })], cart)).toBe('ok');
    expect(await labelOf([source('a', { report, claims: {} })], cart)).toBeUndefined();
  });

  it('leaves other labels alone, and takes a hand-written claim label off an entity that claims nothing', async () => {
    const labelled = (e: Entity, labels: Record<string, string>): Entity => ({ ...e, metadata: { ...e.metadata, labels } });
    const sources = [source('a', { report, claims: { 'component:default/cart': claimDigest(cart) } })];
    const kept = await process(new AwsEcsClaimsProcessor(sources), labelled(cart, { tier: 'gold', [LABEL]: 'phantom' }));
    expect(kept.metadata.labels).toEqual({ tier: 'gold', [LABEL]: 'ok' });
    const team = await process(new AwsEcsClaimsProcessor(sources), labelled(entity('Group', 'team-shop'), { tier: 'gold', [LABEL]: 'ok' }));
    expect(team.metadata.labels).toEqual({ tier: 'gold' });
  });
});
