import type { Phantom } from '../../src/reconcile/findings';
import { explainPhantoms, phantomLookupTargets } from '../../src/reconcile/phantomReasons';
import type { Reconciliation } from '../../src/reconcile/reconcile';
import type { ServiceLookup } from '../../src/scan/lookUpServices';

const A = 'arn:aws:ecs:eu-west-1:111111111111:service';
const NOT_LISTED = 'it is not in the complete scan of account 111111111111, region eu-west-1';
const phantom = (entityRef: string, claim: { arn?: string; selector?: string }): Phantom => ({
  entityRef,
  annotation: claim.arn ? 'aws.amazon.com/amazon-ecs-service-arn' : 'aws.amazon.com/amazon-ecs-service-tags',
  ...claim,
  reason: NOT_LISTED,
  suggestion: null,
});

const phantoms = [
  phantom('component:default/deleted', { arn: `${A}/shop/cart` }),
  phantom('component:default/unknown', { arn: `${A}/shop/nope` }),
  phantom('component:default/no-cluster', { arn: `${A}/gone/x` }),
  phantom('component:default/late', { arn: `${A}/shop/new` }),
  phantom('component:default/unanswered', { arn: `${A}/shop/quiet` }),
  phantom('component:default/old-format', { arn: `${A}/legacy` }),
  phantom('component:default/other-account', { arn: 'arn:aws:ecs:us-east-1:222222222222:service/shop/cart' }),
  phantom('component:default/selector', { selector: 'app=cart' }),
  phantom('component:default/twice', { arn: `${A}/shop/cart` }),
];

describe('phantomLookupTargets', () => {
  it('asks about each claimed ARN once, with its cluster, and never about selectors or ARNs that do not name a cluster', () => {
    expect(phantomLookupTargets(phantoms).map(t => [t.arn, t.accountId, t.region, t.cluster])).toEqual([
      [`${A}/shop/cart`, '111111111111', 'eu-west-1', 'shop'],
      [`${A}/shop/nope`, '111111111111', 'eu-west-1', 'shop'],
      [`${A}/gone/x`, '111111111111', 'eu-west-1', 'gone'],
      [`${A}/shop/new`, '111111111111', 'eu-west-1', 'shop'],
      [`${A}/shop/quiet`, '111111111111', 'eu-west-1', 'shop'],
      ['arn:aws:ecs:us-east-1:222222222222:service/shop/cart', '222222222222', 'us-east-1', 'shop'],
    ]);
  });

  it('keeps to the accounts it is given, so a scan group asks only about its own', () => {
    expect(phantomLookupTargets(phantoms, account => account === '222222222222').map(t => t.arn)).toEqual(['arn:aws:ecs:us-east-1:222222222222:service/shop/cart']);
  });
});

describe('explainPhantoms', () => {
  const reconciliation = { findings: { phantoms }, claimants: new Map(), declaredOwners: new Map(), claims: [] } as unknown as Reconciliation;
  const lookups = new Map<string, ServiceLookup>([
    [`${A}/shop/cart`, 'inactive'],
    [`${A}/shop/nope`, 'missing'],
    [`${A}/gone/x`, 'clusterMissing'],
    [`${A}/shop/new`, 'listed'],
  ]);

  it('says what ECS answered for each looked-up ARN, and keeps the scan’s reason for the rest', () => {
    const reasons = Object.fromEntries(explainPhantoms(reconciliation, lookups).findings.phantoms.map(p => [p.entityRef, p.reason]));
    expect(reasons).toEqual({
      'component:default/deleted': 'the service was deleted (status INACTIVE)',
      'component:default/twice': 'the service was deleted (status INACTIVE)',
      'component:default/unknown': 'ECS knows no such service in account 111111111111, region eu-west-1: it was deleted some time ago, or never created',
      'component:default/no-cluster': 'cluster gone does not exist in account 111111111111, region eu-west-1',
      'component:default/late': 'the service was created after the scan read its cluster; the next scan will find it',
      'component:default/unanswered': NOT_LISTED,
      'component:default/old-format': NOT_LISTED,
      'component:default/other-account': NOT_LISTED,
      'component:default/selector': NOT_LISTED,
    });
  });

  it('changes nothing else and leaves its input as it was', () => {
    const explained = explainPhantoms(reconciliation, lookups);
    expect(explained.findings.phantoms.map(({ reason: _, ...rest }) => rest)).toEqual(phantoms.map(({ reason: _, ...rest }) => rest));
    expect(phantoms.every(p => p.reason === NOT_LISTED)).toBe(true);
    expect(explainPhantoms(reconciliation, new Map())).toBe(reconciliation);
  });
});
