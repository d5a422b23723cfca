import type { Entity } from '@backstage/catalog-model';
import { defaultMappingOptions } from '../../src/mapping/mappingOptions';
import { mapService } from '../../src/mapping/mapService';
import { reconcile } from '../../src/reconcile/reconcile';
import { buildDriftReport, type DriftReport } from '../../src/report/driftReport';
import type { EcsService, Inventory, ShardResult } from '../../src/scan/inventory';

/**
 * A realistic drift report, made by the real reconcile + buildDriftReport,
 * with at least one finding of every kind, an alert, and hostile values in
 * everything that comes from tags and annotations. Every hostile payload tries
 * to set `document.title` to PWNED, so a browser test can tell whether any of
 * it ran.
 */

export const GENERATED_AT = new Date('2025-03-14T09:26:53.000Z');
export const PWNED = 'PWNED';

export const HOSTILE = {
  /** A Markdown link to a javascript: URL. */
  link: `[click](javascript:document.title='${PWNED}')`,
  /** HTML that runs script when the image fails to load. */
  img: `<img src=x onerror="document.title='${PWNED}'">`,
  /** A script element. */
  script: `<script>document.title='${PWNED}'</script>`,
  /** A data: URL that would load a page running script (no commas, so it survives list splitting). */
  data: `data:text/html;base64;PHNjcmlwdD5kb2N1bWVudC50aXRsZT0nUFdORUQnPC9zY3JpcHQ+`,
  /** Backticks that try to close a code span early, then more HTML. */
  ticks: "``` `x` <svg onload=document.title='PWNED'>",
  /** A newline that tries to start a heading and a blank line that tries to end the paragraph. */
  newline: 'search\n\n# Injected heading\n- injected item',
  /** Unicode, including a right-to-left override. */
  unicode: 'Zürich ✓ 日本語 🚀 \u202Eevil',
} as const;

const A = '111111111111';
const OUTSIDE = '333333333333';
const EU = 'eu-west-1';
const US = 'us-east-1';

export const arn = (account: string, region: string, cluster: string | null, name: string) =>
  `arn:aws:ecs:${region}:${account}:service/${cluster ? `${cluster}/` : ''}${name}`;

function svc(region: string, cluster: string, name: string, extra: Partial<EcsService> = {}): EcsService {
  return {
    arn: arn(A, region, cluster, name),
    name,
    clusterArn: `arn:aws:ecs:${region}:${A}:cluster/${cluster}`,
    accountId: A,
    region,
    status: 'ACTIVE',
    tags: {},
    desiredCount: 2,
    runningCount: 2,
    launchType: 'FARGATE',
    taskDefinition: `arn:aws:ecs:${region}:${A}:task-definition/${name}:7`,
    createdAt: '2024-11-02T10:00:00.000Z',
    ...extra,
  };
}

const ok = (accountId: string, region: string, services: number): ShardResult => ({
  accountId,
  region,
  status: 'ok',
  clusters: 2,
  services,
  apiCalls: 6,
  throttled: 0,
  retries: 0,
  credentialRefreshes: 0,
});

function component(name: string, owner: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, annotations },
    spec: { type: 'service', owner, lifecycle: 'production' },
  };
}
const group = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name },
  spec: { type: 'team', children: [] },
});
const ARN_KEY = 'aws.amazon.com/amazon-ecs-service-arn';
const TAGS_KEY = 'aws.amazon.com/amazon-ecs-service-tags';

export const services: EcsService[] = [
  // Claimed and agreed on: no finding.
  svc(EU, 'shop', 'cart', { tags: { owner: 'team-a' } }),
  // Recreated under the long ARN format; the old short-format ARN is INACTIVE.
  svc(EU, 'shop', 'checkout', { tags: { owner: 'team-a' } }),
  svc(EU, 'shop', 'checkout', { arn: arn(A, EU, null, 'checkout'), status: 'INACTIVE', tags: { owner: 'team-a' } }),
  // Owner tag says team-b, the claiming entity says team-a.
  svc(EU, 'shop', 'legacy', { tags: { Owner: 'team-b' } }),
  // Owner tag names a group that is not in the catalog, and nobody claims it.
  svc(EU, 'shop', 'ghost', { tags: { team: 'team-ghost', release: 'v=2' } }),
  // Still on the short (pre-2021) ARN format: the AWS Labs ECS tab needs the long form.
  svc(EU, 'shop', 'basket', { arn: arn(A, EU, null, 'basket'), tags: { owner: 'team-a', App: 'basket' } }),
  // Nobody claims it and nothing names an owner.
  svc(EU, 'shop', 'orphan'),
  // Claimed twice: by ARN and by tag selector.
  svc(EU, 'shop', 'inventory', { tags: { owner: 'team-a', component: 'inventory' } }),
  // Hostile owner tags: not valid references, so unclaimed and owner drift addressed to the raw tag.
  svc(US, 'edge', 'banner', { tags: { owner: HOSTILE.img } }),
  svc(US, 'edge', 'promo', { tags: { team: HOSTILE.data } }),
  svc(US, 'edge', 'landing', { tags: { owner: HOSTILE.link } }),
];

export const inventory: Inventory = {
  shards: [ok(A, EU, 8), ok(A, US, 3)],
  services,
};

const mapping = defaultMappingOptions('fixture');

export const entities: Entity[] = [
  group('team-a'),
  group('team-b'),
  // The provider's own entities, which are never claims.
  ...services.filter(s => s.status !== 'INACTIVE').map(s => mapService(s, mapping)),
  component('cart', 'team-a', { [ARN_KEY]: arn(A, EU, 'shop', 'cart') }),
  // Phantom with a suggestion: the service was recreated under a new ARN.
  component('checkout', 'team-a', { [ARN_KEY]: arn(A, EU, null, 'checkout') }),
  // Phantom without a suggestion: never existed anywhere.
  component('payments', 'team-b', { [ARN_KEY]: arn(A, US, 'edge', 'payments-v1') }),
  // Selector phantoms with hostile values (a link, a newline, unicode).
  component('search', 'team-b', { [TAGS_KEY]: `app=${HOSTILE.newline}` }),
  component('docs', 'team-a', { [TAGS_KEY]: `app=${HOSTILE.link}, city=${HOSTILE.unicode}` }),
  // Owner drift on a claimed service.
  component('legacy', 'team-a', { [ARN_KEY]: arn(A, EU, 'shop', 'legacy') }),
  // Duplicate claim.
  component('inventory', 'team-a', { [ARN_KEY]: arn(A, EU, 'shop', 'inventory') }),
  component('stock', 'team-b', { [TAGS_KEY]: 'component=inventory' }),
  // Malformed: a task ARN, a script tag and backticks in the ARN list; an image tag as a selector.
  component('broken', 'team-b', {
    [ARN_KEY]: `arn:aws:ecs:${EU}:${A}:task/shop/0123456789abcdef, ${HOSTILE.script}, ${HOSTILE.ticks}`,
  }),
  component('widget', 'group:default/team-a', { [TAGS_KEY]: `${HOSTILE.data}` }),
  // Tab mismatches: a short ARN; both annotations, with a key in another case than the tag's;
  // a value with '=' (the tab cuts it at the second '=').
  component('basket', 'team-a', { [ARN_KEY]: arn(A, EU, null, 'basket') }),
  component('basket-tags', 'team-a', { [ARN_KEY]: arn(A, EU, 'shop', 'basket'), [TAGS_KEY]: 'app=basket' }),
  component('ghost-watch', 'team-b', { [TAGS_KEY]: 'release=v=2' }),
  // Not verified: an account outside the scanned scope (and an alert for it).
  component('billing', 'team-a', { [ARN_KEY]: arn(OUTSIDE, 'ap-south-1', 'core', 'billing') }),
];

export function fixtureReport(): DriftReport {
  return buildDriftReport(reconcile({ inventory, entities, mapping }), GENERATED_AT);
}
