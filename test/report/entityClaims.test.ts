import type { Entity } from '@backstage/catalog-model';
import { parse } from 'yaml';
import { entityEcsView, type EcsServiceView, type EntityClaimsView } from '../../src/report/entityClaims';
import { arn, entities, fixtureReport, GENERATED_AT, HOSTILE } from './fixture';

const A = '111111111111';
const EU = 'eu-west-1';
const report = fixtureReport();
const byName = (name: string, kind = 'Component'): Entity => {
  const found = entities.find(e => e.kind === kind && (kind === 'Resource' ? e.metadata.title === name : e.metadata.name === name));
  if (!found) throw new Error(`no ${kind} ${name} in the fixture`);
  return found;
};
const claimsOf = (name: string) => entityEcsView(byName(name), report) as EntityClaimsView;
const annotationIn = (yaml: string | null) => (parse(yaml ?? '') as { metadata: { annotations: Record<string, string> } }).metadata.annotations;

describe('an entity side of the drift report', () => {
  it('calls a claim with no finding matched, with nothing to write', () => {
    const view = claimsOf('cart');
    expect(view).toMatchObject({ kind: 'claims', entityRef: 'component:default/cart', generatedAt: GENERATED_AT.toISOString(), complete: false, yaml: null });
    expect(view.claims).toEqual([{ annotation: 'aws.amazon.com/amazon-ecs-service-arn', value: arn(A, EU, 'shop', 'cart'), state: 'matched', findings: [], yaml: null }]);
  });

  it('gives a phantom with a suggestion the annotation naming the suggested ARN', () => {
    const [claim] = claimsOf('checkout').claims;
    expect(claim.state).toBe('phantom');
    expect(claim.findings[0].message).toContain(`Change the annotation to ${arn(A, EU, 'shop', 'checkout')}`);
    expect(annotationIn(claim.yaml)).toEqual({ 'aws.amazon.com/amazon-ecs-service-arn': arn(A, EU, 'shop', 'checkout') });
  });

  it('tells to remove the annotation of a phantom no service replaced', () => {
    const view = claimsOf('payments');
    expect(view.claims[0].state).toBe('phantom');
    expect(view.claims[0].yaml).toMatch(/^# Remove aws.amazon.com\/amazon-ecs-service-arn from metadata.annotations/);
    expect(view.yaml).toBe(view.claims[0].yaml);
  });

  it('keeps a hostile selector phantom verbatim as text, with no YAML to guess', () => {
    const [claim] = claimsOf('search').claims;
    expect(claim).toMatchObject({ annotation: 'aws.amazon.com/amazon-ecs-service-tags', value: `app=${HOSTILE.newline}`, state: 'phantom', yaml: null });
  });

  it('tells owner drift on a claimed service', () => {
    const [claim] = claimsOf('legacy').claims;
    expect(claim.state).toBe('ownerDrift');
    expect(claim.findings[0].message).toContain(`ECS service ${arn(A, EU, 'shop', 'legacy')}`);
    expect(claim.yaml).toBeNull();
  });

  it('tells each claimant of a duplicate who else claims it, by ARN and by selector', () => {
    const byArn = claimsOf('inventory').claims[0];
    expect(byArn.state).toBe('duplicate');
    expect(byArn.findings[0].message).toContain('also claimed by component:default/stock');
    const bySelector = claimsOf('stock').claims[0];
    expect(bySelector).toMatchObject({ annotation: 'aws.amazon.com/amazon-ecs-service-tags', value: 'component=inventory', state: 'duplicate' });
    expect(bySelector.findings[0].message).toContain('also claimed by component:default/inventory');
  });

  it('tells a finding on a service that ECS names by its short ARN to the claim written with the long one', () => {
    const view = claimsOf('basket-tags');
    const byArn = view.claims.find(c => c.value === arn(A, EU, 'shop', 'basket'));
    expect(byArn?.state).toBe('duplicate');
    expect(byArn?.findings[0].message).toContain(`ECS service ${arn(A, EU, null, 'basket')} is also claimed by component:default/basket`);
    // Told once: the selector finds the same service, but the ARN claim explains it.
    expect(view.claims.filter(c => c.state === 'duplicate')).toHaveLength(1);
  });

  it('lists each malformed item of the ARN annotation and the annotation without them', () => {
    const view = claimsOf('broken');
    expect(view.claims.map(c => c.state)).toEqual(['malformed', 'malformed', 'malformed']);
    expect(view.claims.map(c => c.value)).toContain(HOSTILE.script);
    expect(view.yaml).toMatch(/^# Remove aws.amazon.com\/amazon-ecs-service-arn/);
  });

  it('says a claim in a scope that could not be read is not verified', () => {
    const view = claimsOf('billing');
    expect(view.claims[0].state).toBe('notVerified');
    expect(view.claims[0].findings[0].message).toContain('checked again at the next scan');
  });

  it('gives tab mismatches the one annotation both read alike, and which annotation to remove', () => {
    const view = claimsOf('basket-tags');
    const both = view.tabMismatches.find(t => t.yaml !== null);
    expect(both).toBeDefined();
    const yaml = both?.yaml ?? '';
    expect(yaml).toMatch(/^# Remove aws.amazon.com\/amazon-ecs-service-/);
    expect(Object.keys(annotationIn(yaml))).toHaveLength(1);
  });

  it('shows an ECS service entity with its facts, its owner source and its claimants', () => {
    const view = entityEcsView(byName('inventory', 'Resource'), report) as EcsServiceView;
    expect(view).toMatchObject({
      kind: 'service',
      arn: arn(A, EU, 'shop', 'inventory'),
      accountId: A,
      region: EU,
      cluster: 'shop',
      launchType: 'FARGATE',
      ownerSource: 'tag',
      consoleUrl: `https://${EU}.console.aws.amazon.com/ecs/v2/clusters/shop/services/inventory/health?region=${EU}`,
      claimants: ['component:default/inventory', 'component:default/stock'],
    });
    // stock (team-b) inherits nothing: its claim disagrees with the owner tag (team-a).
    expect(view.findings.map(f => f.state)).toEqual(['ownerDrift', 'duplicate']);
  });

  it('says an unclaimed service without an owner is unclaimed', () => {
    const view = entityEcsView(byName('orphan', 'Resource'), report) as EcsServiceView;
    expect(view.findings.map(f => f.state)).toEqual(['unclaimed']);
    expect(view.claimants).toEqual([]);
  });
});
