import type { Entity } from '@backstage/catalog-model';
import { type EmittedEntity, planEmission } from '../../src/sync/planEmission';

const A = '111111111111';
const entity = (name: string, region: string, title = name): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name, title, annotations: { 'aws.amazon.com/account-id': A, 'aws.amazon.com/region': region } },
  spec: { type: 'ecs-service', owner: 'group:default/team-a' },
});
const row = (e: Entity): EmittedEntity => ({ shardKey: `${A}/${e.metadata.annotations!['aws.amazon.com/region']}`, entity: JSON.stringify(e) });
const ref = (name: string) => `resource:default/${name}`;

describe('planEmission', () => {
  it('sends every entity it keeps, records only the new and the changed, and removes the ones it no longer keeps', () => {
    const same = entity('same', 'eu-west-1');
    const emitted = new Map([
      [ref('same'), row(same)],
      [ref('changed'), row(entity('changed', 'eu-west-1', 'before'))],
      [ref('gone'), row(entity('gone', 'eu-west-1'))],
    ]);
    const plan = planEmission([same, entity('changed', 'eu-west-1', 'after'), entity('new', 'eu-west-1')], emitted, new Set());
    expect(plan.send.map(e => e.metadata.name)).toEqual(['same', 'changed', 'new']);
    expect(plan.upserts.map(([r]) => r)).toEqual([ref('changed'), ref('new')]);
    expect(plan.added).toBe(1);
    expect(plan.removed).toEqual([ref('gone')]);
    expect([...plan.kept.keys()]).toEqual([ref('same'), ref('changed'), ref('new')]);
  });

  it('keeps what an unread shard last sent, exactly as sent, even what the mapping no longer makes', () => {
    const before = entity('kept', 'us-east-1', 'before');
    const alsoBefore = entity('not-mapped-now', 'us-east-1');
    const emitted = new Map([
      [ref('kept'), row(before)],
      [ref('not-mapped-now'), row(alsoBefore)],
      [ref('read'), row(entity('read', 'eu-west-1'))],
    ]);
    const plan = planEmission([entity('kept', 'us-east-1', 'after')], emitted, new Set([`${A}/us-east-1`]));
    expect(plan.send).toEqual([before, alsoBefore]);
    expect(plan.upserts).toEqual([]);
    // The read shard no longer has its service: its entity goes; the unread shard's stay.
    expect(plan.removed).toEqual([ref('read')]);
  });
});
