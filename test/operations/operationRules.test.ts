import { ConfigReader } from '@backstage/config';
import { readOperations } from '../../src/config/operationsConfig';
import { familyOf, readOperationRequest } from '../../src/gate/operationRequest';
import { teamOperateRoleArn } from '../../src/access/operateRole';
import { operateSessionTags, sourceIdentityFor } from '../../src/gate/operateSession';
import { reviewGate } from '../../src/gate/reviewGate';

const PATH = 'catalog.providers.awsEcs.production';
const read = (operations: unknown) => readOperations(new ConfigReader({ operations } as never), PATH);

describe('operations config', () => {
  it('reads gates in order, with the defaults of what is left out', () => {
    const config = read({
      roleArn: 'arn:aws:iam::{accountId}:role/ecs-operate-{team}',
      gates: [{ lifecycle: 'production', approvals: 1 }, { lifecycle: ['staging', 'experimental'], approvals: 0 }, { account: ['222222222222'], action: 'deploy', approvals: 2 }],
      expireAfter: { hours: 2 },
      scale: { max: 20 },
    });
    expect(config).toEqual({
      roleArn: 'arn:aws:iam::{accountId}:role/ecs-operate-{team}',
      gates: [
        { name: 'operations.gates[0]', lifecycles: ['production'], approvals: 1 },
        { name: 'operations.gates[1]', lifecycles: ['staging', 'experimental'], approvals: 0 },
        { name: 'operations.gates[2]', accounts: ['222222222222'], actions: ['deploy'], approvals: 2 },
      ],
      defaultApprovals: 1,
      expireAfterMs: 2 * 3600_000,
      scale: { min: 0, max: 20 },
    });
    expect(readOperations(new ConfigReader({}), PATH)).toBeUndefined();
  });

  it.each([
    [{ roleArn: 'arn:aws:iam::{accountId}:role/ecs-operate' }, `${PATH}.operations.roleArn`],
    [{ roleArn: 'arn:aws:iam::{accountId}:role/{team}-{region}' }, 'unknown placeholder {region}'],
    [{ gates: [] }, `${PATH}.operations.roleArn`],
    [{ roleArn: 'arn:aws:iam::{accountId}:role/x-{team}', principal: 'arn:aws:iam::111111111111:root' }, `${PATH}.operations.principal`],
    [{ roleArn: 'arn:aws:iam::{accountId}:role/x-{team}', gates: [{ lifecycle: 'production' }] }, `${PATH}.operations.gates[0].approvals`],
    [{ roleArn: 'arn:aws:iam::{accountId}:role/x-{team}', gates: [{ action: ['reboot'], approvals: 1 }] }, `${PATH}.operations.gates[0].action[0]`],
    [{ roleArn: 'arn:aws:iam::{accountId}:role/x-{team}', gates: [{ account: [12345], approvals: 1 }] }, `${PATH}.operations.gates[0].account[0]`],
    [{ roleArn: 'arn:aws:iam::{accountId}:role/x-{team}', gates: [{ lifecycle: 'production', approvals: -1 }] }, `${PATH}.operations.gates[0].approvals`],
    [{ roleArn: 'arn:aws:iam::{accountId}:role/x-{team}', scale: { min: 5, max: 2 } }, `${PATH}.operations.scale`],
    [{ roleArn: 'arn:aws:iam::{accountId}:role/x-{team}', expireAfter: { days: 30 } }, `${PATH}.operations.expireAfter`],
    [{ roleArn: 'arn:aws:iam::{accountId}:role/x-{team}', gate: [] }, "did you mean 'gates'"],
  ])('refuses %j naming the key', (operations, expected) => {
    expect(() => read(operations)).toThrow(expected);
  });
});

describe('review gates', () => {
  const config = read({
    roleArn: 'arn:aws:iam::{accountId}:role/ecs-operate-{team}',
    gates: [
      { lifecycle: 'production', action: ['scale'], approvals: 2 },
      { lifecycle: 'Production', approvals: 1 },
      { lifecycle: ['staging'], approvals: 0 },
      { account: '333333333333', approvals: 0 },
    ],
  })!;

  it.each([
    ['production scale', { action: 'scale', lifecycle: 'production', accountId: '111111111111' }, 2, 'operations.gates[0]'],
    ['production restart, lifecycle without case', { action: 'restart', lifecycle: 'PRODUCTION', accountId: '111111111111' }, 1, 'operations.gates[1]'],
    ['staging', { action: 'deploy', lifecycle: 'staging', accountId: '111111111111' }, 0, 'operations.gates[2]'],
    ['a sandbox account', { action: 'deploy', lifecycle: 'experimental', accountId: '333333333333' }, 0, 'operations.gates[3]'],
    ['no lifecycle and no gate: the default', { action: 'restart', lifecycle: undefined, accountId: '111111111111' }, 1, null],
  ] as const)('%s', (_name, subject, approvals, gate) => {
    expect(reviewGate(config, subject)).toEqual({ approvals, gate });
  });
});

describe('operation requests', () => {
  const base = { entityRef: 'resource:default/cart', reason: 'stuck tasks' };

  it('reads each action, normalising the entity ref and the task definition', () => {
    expect(readOperationRequest({ ...base, entityRef: 'Resource:default/cart', action: 'restart' })).toEqual({ entityRef: 'resource:default/cart', action: 'restart', reason: 'stuck tasks' });
    expect(readOperationRequest({ ...base, action: 'scale', desiredCount: 3 })).toMatchObject({ desiredCount: 3 });
    expect(readOperationRequest({ ...base, action: 'deploy', taskDefinition: 'arn:aws:ecs:eu-west-1:111111111111:task-definition/cart:7' })).toMatchObject({ taskDefinition: 'cart:7' });
  });

  it.each([
    [{ ...base }, 'action must be one of restart, scale, deploy'],
    [{ ...base, action: 'reboot' }, 'action must be one of'],
    [{ entityRef: 'resource:default/cart', action: 'restart' }, 'reason must say why'],
    [{ ...base, reason: '   ', action: 'restart' }, 'reason must say why'],
    [{ ...base, action: 'scale' }, 'desiredCount is required to scale'],
    [{ ...base, action: 'scale', desiredCount: 1.5 }, 'desiredCount must be a whole number'],
    [{ ...base, action: 'restart', desiredCount: 2 }, 'desiredCount belongs to scale only'],
    [{ ...base, action: 'deploy' }, 'taskDefinition is required to deploy'],
    [{ ...base, action: 'deploy', taskDefinition: 'cart' }, 'taskDefinition must be family:revision'],
    [{ ...base, action: 'restart', force: true }, 'unknown field force'],
    [{ ...base, entityRef: 'not a ref:', action: 'restart' }, 'entityRef must be an entity reference'],
    [null, 'entityRef'],
  ])('refuses %j naming the field', (body, message) => {
    expect(() => readOperationRequest(body)).toThrow(message);
    try {
      readOperationRequest(body);
    } catch (error) {
      expect((error as Error).name).toBe('InputError');
    }
  });

  it('takes the family from either form', () => {
    expect(familyOf('cart:7')).toBe('cart');
    expect(familyOf('arn:aws:ecs:eu-west-1:111111111111:task-definition/cart-api:12')).toBe('cart-api');
  });
});

describe('the operate session', () => {
  it('names the person in characters STS takes, unambiguously', () => {
    expect(sourceIdentityFor('user:default/alice')).toBe('alice@default');
    expect(sourceIdentityFor('user:team.ops/Bob_2')).toBe('Bob_2@team.ops');
    const long = sourceIdentityFor(`user:${'n'.repeat(40)}/${'a'.repeat(40)}`);
    expect(long).toHaveLength(64);
    expect(long).toMatch(/^[\w+=,.-]+@[\w+=,.-]+$/);
    expect(long.endsWith(`@${'n'.repeat(20)}`)).toBe(true);
    expect(long).not.toBe(sourceIdentityFor(`user:${'n'.repeat(40)}/${'a'.repeat(39)}b`));
  });

  it('fills the role template and tags the session with team, user and operation', () => {
    expect(teamOperateRoleArn('arn:aws:iam::{accountId}:role/ecs-operate-{team}', 'group:default/team-shop', '111111111111')).toBe('arn:aws:iam::111111111111:role/ecs-operate-team-shop');
    expect(operateSessionTags('team-shop', 'user:default/alice', 'op-1')).toEqual([
      { Key: 'backstage-team', Value: 'team-shop' },
      { Key: 'backstage-user', Value: 'user:default/alice' },
      { Key: 'backstage-operation', Value: 'op-1' },
    ]);
  });
});
