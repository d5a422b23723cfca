import type { Entity } from '@backstage/catalog-model';
import { ownedServicesOf } from '../../src/access/ownedServices';
import { ANNOTATION_TASK_DEFINITION_FAMILY } from '../../src/mapping/annotations';
import { mapService } from '../../src/mapping/mapService';
import { defaultMappingOptions } from '../../src/mapping/mappingOptions';
import type { EcsService } from '../../src/scan/inventory';

const ACCOUNT = '111111111111';

function entity(name: string, taskDefinition: string): Entity {
  const service: EcsService = {
    arn: `arn:aws:ecs:eu-west-1:${ACCOUNT}:service/shop/${name}`,
    name,
    clusterArn: `arn:aws:ecs:eu-west-1:${ACCOUNT}:cluster/shop`,
    accountId: ACCOUNT,
    region: 'eu-west-1',
    status: 'ACTIVE',
    tags: { owner: 'team-a' },
    desiredCount: 1,
    runningCount: 1,
    taskDefinition,
    createdAt: '',
  };
  return mapService(service, defaultMappingOptions('production'));
}

describe('the owned services read off the provider’s entities', () => {
  it('carry the task-definition family the entity records', () => {
    const [cart] = ownedServicesOf([entity('cart', `arn:aws:ecs:eu-west-1:${ACCOUNT}:task-definition/cart-app:12`)]);
    expect(cart).toEqual({
      arn: `arn:aws:ecs:eu-west-1:${ACCOUNT}:service/shop/cart`,
      clusterArn: `arn:aws:ecs:eu-west-1:${ACCOUNT}:cluster/shop`,
      accountId: ACCOUNT,
      region: 'eu-west-1',
      owner: 'group:default/team-a',
      taskDefinitionFamily: 'cart-app',
    });
  });

  it('carry none when the service names no task definition or the entity was written before families were recorded', () => {
    const withoutTaskDefinition = entity('external', '');
    const older = entity('older', `arn:aws:ecs:eu-west-1:${ACCOUNT}:task-definition/older:1`);
    delete older.metadata.annotations![ANNOTATION_TASK_DEFINITION_FAMILY];
    const services = ownedServicesOf([withoutTaskDefinition, older]);
    expect(services).toHaveLength(2);
    for (const service of services) expect(service).not.toHaveProperty('taskDefinitionFamily');
  });

  it('ignore a family annotation that is no family, since it would become part of an IAM ARN', () => {
    const edited = entity('cart', `arn:aws:ecs:eu-west-1:${ACCOUNT}:task-definition/cart:1`);
    edited.metadata.annotations![ANNOTATION_TASK_DEFINITION_FAMILY] = '*';
    const [cart] = ownedServicesOf([edited]);
    expect(cart.arn).toBe(`arn:aws:ecs:eu-west-1:${ACCOUNT}:service/shop/cart`);
    expect(cart).not.toHaveProperty('taskDefinitionFamily');
  });
});
