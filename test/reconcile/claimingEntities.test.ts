import type { Entity } from '@backstage/catalog-model';
import { isClaimingEntity } from '../../src/reconcile/claimingEntities';
import { readClaims } from '../../src/reconcile/claims';

const ARN = 'arn:aws:ecs:eu-west-1:111111111111:service/shop/cart';
const entity = (kind: string, annotations: Record<string, string>): Entity => ({ apiVersion: 'backstage.io/v1alpha1', kind, metadata: { name: 'x', annotations }, spec: { owner: 'team-a' } });

describe('which entities claim services', () => {
  it.each(['Component', 'System', 'API', 'Resource', 'Domain', 'component'])('reads the ARN annotation of a %s', kind => {
    const e = entity(kind, { 'aws.amazon.com/amazon-ecs-service-arn': ARN });
    expect(isClaimingEntity(e)).toBe(true);
    expect(readClaims(e).claims).toHaveLength(1);
  });

  it.each(['Group', 'User', 'Location', 'Template'])('ignores the ARN annotation of a %s', kind => {
    const e = entity(kind, { 'aws.amazon.com/amazon-ecs-service-arn': ARN });
    expect(isClaimingEntity(e)).toBe(false);
    expect(readClaims(e)).toEqual({ claims: [], malformed: [] });
  });

  it('reads a tag selector on any kind, and then only the selector of a kind that cannot claim by ARN', () => {
    const e = entity('Group', { 'aws.amazon.com/amazon-ecs-service-tags': 'team=a', 'aws.amazon.com/amazon-ecs-service-arn': ARN });
    expect(isClaimingEntity(e)).toBe(true);
    expect(readClaims(e).claims.map(c => c.kind)).toEqual(['selector']);
  });

  it('never reads the provider’s own entities as claims', () => {
    const e = entity('Resource', { 'aws.amazon.com/amazon-ecs-service-arn': ARN, 'backstage.io/managed-by-location': 'aws-ecs:production' });
    expect(isClaimingEntity(e)).toBe(false);
    expect(readClaims(e).claims).toEqual([]);
  });
});
