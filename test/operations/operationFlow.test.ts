import type { DatabaseService } from '@backstage/backend-plugin-api';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { OperationsConfig } from '../../src/config/operationsConfig';
import { type EcsChange, type OperateSession, type OperatorApi, OperatorError } from '../../src/operations/ecsOperator';
import { OperationFlow, type OperationNotifier } from '../../src/operations/operationFlow';
import { OperationStore } from '../../src/operations/operationStore';
import type { OperationTarget } from '../../src/operations/operationTarget';
import type { Operation, ServiceSnapshot } from '../../src/gate/operationView';

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const CAROL = 'user:default/carol';

const target: OperationTarget = {
  entity: {} as Entity,
  entityRef: 'resource:default/cart',
  requestedFor: 'resource:default/cart',
  provider: 'production',
  serviceArn: 'arn:aws:ecs:eu-west-1:111111111111:service/shop/cart',
  clusterArn: 'arn:aws:ecs:eu-west-1:111111111111:cluster/shop',
  serviceName: 'cart',
  accountId: '111111111111',
  region: 'eu-west-1',
  owner: 'group:default/team-shop',
  lifecycle: 'production',
  taskDefinitionFamily: 'cart',
};

const config = (approvals: number): OperationsConfig => ({
  roleArn: 'arn:aws:iam::{accountId}:role/ecs-operate-{team}',
  gates: [{ name: 'operations.gates[0]', lifecycles: ['production'], approvals }],
  defaultApprovals: 1,
  expireAfterMs: 60_000,
  scale: { min: 0, max: 10 },
});

/** The service as a tiny in-memory ECS: each session and change is recorded. */
class FakeEcs implements OperatorApi {
  state: ServiceSnapshot = { desiredCount: 2, taskDefinition: 'cart:3', deploymentId: 'ecs-svc/1' };
  sessions: OperateSession[] = [];
  changes: EcsChange[] = [];
  failChange: OperatorError | undefined;
  private deployments = 1;

  async open(session: OperateSession) {
    this.sessions.push(session);
    return {
      describe: async () => ({ snapshot: { ...this.state }, requestId: `describe-${this.sessions.length}` }),
      change: async (change: EcsChange) => {
        // Gives other approvals a chance to run in between, as a network call would.
        await new Promise(resolve => setTimeout(resolve, 20));
        if (this.failChange) throw this.failChange;
        this.changes.push(change);
        if (change.action === 'scale') this.state = { ...this.state, desiredCount: change.desiredCount! };
        else this.state = { ...this.state, deploymentId: `ecs-svc/${++this.deployments}`, taskDefinition: change.taskDefinition ?? this.state.taskDefinition };
        return { snapshot: { ...this.state }, requestId: `update-${this.changes.length}` };
      },
      close: () => undefined,
    };
  }
}

describe('the life of an operation', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let clock: number;
  let ecs: FakeEcs;
  let told: string[];
  let ids: number;

  async function flow(store?: OperationStore): Promise<OperationFlow> {
    const knex = await databases.init('SQLITE_3');
    const notifier: OperationNotifier = {
      awaitingApproval: async (op, owner) => void told.push(`approve ${op.id} ${owner}`),
      finished: async op => void told.push(`${op.status} ${op.id} ${op.requestedBy}`),
    };
    return new OperationFlow({
      store: store ?? (await OperationStore.create({ getClient: async () => knex } as unknown as DatabaseService)),
      operator: ecs,
      logger: mockServices.logger.mock(),
      notifier,
      now: () => clock,
      newId: () => `op-${++ids}`,
    });
  }

  beforeEach(() => {
    clock = Date.parse('2026-12-01T10:00:00Z');
    ecs = new FakeEcs();
    told = [];
    ids = 0;
  });

  it('holds a gated change until another owner approves, then runs it once as the requester', async () => {
    const f = await flow();
    const asked = await f.request(ALICE, { entityRef: target.entityRef, action: 'restart', reason: 'stuck' }, target, config(1));
    expect(asked).toMatchObject({ status: 'pending', approvalsRequired: 1, gate: 'operations.gates[0]', before: ecs.state, sourceIdentity: 'alice@default' });
    expect(asked.roleArn).toBe('arn:aws:iam::111111111111:role/ecs-operate-team-shop');
    expect(ecs.changes).toHaveLength(0);
    expect(told).toEqual(['approve op-1 group:default/team-shop']);

    await expect(f.approve('op-1', ALICE, null)).rejects.toMatchObject({ name: 'NotAllowedError' });
    const done = await f.approve('op-1', BOB, 'looks fine');
    expect(done).toMatchObject({ status: 'succeeded', approvedBy: [BOB], after: { deploymentId: 'ecs-svc/2' }, awsRequestId: 'update-1' });
    expect(done.events.map(e => [e.kind, e.actor])).toEqual([
      ['requested', ALICE],
      ['approved', BOB],
      ['started', null],
      ['succeeded', null],
    ]);
    expect(ecs.changes).toEqual([{ clusterArn: target.clusterArn, serviceName: 'cart', action: 'restart', desiredCount: null, taskDefinition: null }]);
    // Both sessions, the read at request time and the change, are in the requester's name with the team's tags.
    expect(ecs.sessions.map(s => [s.sourceIdentity, s.tags.map(t => t.Value).join(' '), s.durationSeconds])).toEqual([
      ['alice@default', 'team-shop user:default/alice op-1', 900],
      ['alice@default', 'team-shop user:default/alice op-1', 900],
    ]);
    expect(told).toContain('succeeded op-1 user:default/alice');
    await expect(f.approve('op-1', CAROL, null)).rejects.toMatchObject({ name: 'ConflictError' });
  });

  it('runs an ungated change at once, and needs every approval a gate asks for', async () => {
    const f = await flow();
    expect(await f.request(ALICE, { entityRef: target.entityRef, action: 'scale', desiredCount: 4, reason: 'traffic' }, target, config(0))).toMatchObject({ status: 'succeeded', after: { desiredCount: 4 } });
    await f.request(ALICE, { entityRef: target.entityRef, action: 'scale', desiredCount: 5, reason: 'more' }, target, config(2));
    expect(await f.approve('op-2', BOB, null)).toMatchObject({ status: 'pending', approvedBy: [BOB] });
    await expect(f.approve('op-2', BOB, null)).rejects.toMatchObject({ name: 'ConflictError' });
    expect(await f.approve('op-2', CAROL, null)).toMatchObject({ status: 'succeeded', approvedBy: [BOB, CAROL] });
    expect(ecs.state.desiredCount).toBe(5);
  });

  it('executes once when two approvals arrive together', async () => {
    const f = await flow();
    await f.request(ALICE, { entityRef: target.entityRef, action: 'restart', reason: 'stuck' }, target, config(1));
    const results = await Promise.allSettled([f.approve('op-1', BOB, null), f.approve('op-1', CAROL, null)]);
    expect(ecs.changes).toHaveLength(1);
    const final = await f.get('op-1');
    expect(final.status).toBe('succeeded');
    expect(final.events.filter(e => e.kind === 'started')).toHaveLength(1);
    // The slower approval is either counted or refused as too late, never run again.
    expect(results.filter(r => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
  });

  it('refuses a change to a service that moved after the request', async () => {
    const f = await flow();
    await f.request(ALICE, { entityRef: target.entityRef, action: 'scale', desiredCount: 3, reason: 'x' }, target, config(1));
    ecs.state = { ...ecs.state, deploymentId: 'ecs-svc/9' };
    const refused = await f.approve('op-1', BOB, null);
    expect(refused.status).toBe('refused');
    expect(refused.error).toContain('deployment ecs-svc/1 → ecs-svc/9');
    expect(ecs.changes).toHaveLength(0);
    expect(told).toContain('refused op-1 user:default/alice');
  });

  it('expires a request not approved in time, and refuses approvals after', async () => {
    const f = await flow();
    await f.request(ALICE, { entityRef: target.entityRef, action: 'restart', reason: 'x' }, target, config(1));
    clock += 60_000;
    await expect(f.approve('op-1', BOB, null)).rejects.toThrow('expired');
    expect(await f.get('op-1')).toMatchObject({ status: 'expired', events: expect.arrayContaining([expect.objectContaining({ kind: 'expired' })]) });
    expect(ecs.changes).toHaveLength(0);
  });

  it('fails an operation its replica left running, once its session is long over', async () => {
    const f = await flow();
    let release: () => void = () => undefined;
    const stuck = new Promise<void>(resolve => (release = resolve));
    const open = ecs.open.bind(ecs);
    // The replica running the change hangs in UpdateService (or died there).
    ecs.open = async session => ({ ...(await open(session)), change: () => stuck.then(() => Promise.reject(new Error('never answered'))) });
    const running = f.request(ALICE, { entityRef: target.entityRef, action: 'restart', reason: 'x' }, target, config(0));
    await new Promise(resolve => setTimeout(resolve, 50));
    expect((await f.get('op-1')).status).toBe('running');
    clock += 10 * 60_000;
    expect(await f.expireOverdue()).toBe(0);
    clock += 30 * 60_000;
    expect(await f.expireOverdue()).toBe(1);
    expect(await f.get('op-1')).toMatchObject({ status: 'failed', error: expect.stringContaining('outcome is unknown') });
    expect(told).toContain('failed op-1 user:default/alice');
    release();
    await running;
    // The late answer changes nothing: the operation was settled.
    expect((await f.get('op-1')).status).toBe('failed');
  });

  it('records what AWS refused, with its request id, and a rejection with its reason', async () => {
    const f = await flow();
    ecs.failChange = new OperatorError('UpdateService failed: AccessDeniedException: not authorized', 'req-42', 'AccessDeniedException');
    const failed = await f.request(ALICE, { entityRef: target.entityRef, action: 'restart', reason: 'x' }, target, config(0));
    expect(failed).toMatchObject({ status: 'failed', awsRequestId: 'req-42', error: expect.stringContaining('AccessDeniedException') });
    await f.request(ALICE, { entityRef: target.entityRef, action: 'restart', reason: 'y' }, target, config(1));
    const rejected = await f.reject('op-2', BOB, 'not during the sale');
    expect(rejected).toMatchObject({ status: 'rejected', error: 'rejected by user:default/bob: not during the sale' });
    await expect(f.approve('op-2', CAROL, null)).rejects.toMatchObject({ name: 'ConflictError' });
    expect((await f.list(target.entityRef)).map((o: Operation) => o.id)).toEqual(['op-2', 'op-1']);
  });

  it('refuses a deploy outside the service’s own family and a count outside the bounds, before asking anyone', async () => {
    const f = await flow();
    await expect(f.request(ALICE, { entityRef: target.entityRef, action: 'deploy', taskDefinition: 'search:1', reason: 'x' }, target, config(1))).rejects.toThrow('own family cart');
    await expect(f.request(ALICE, { entityRef: target.entityRef, action: 'scale', desiredCount: 11, reason: 'x' }, target, config(1))).rejects.toThrow('desiredCount must be from 0 to 10');
    expect(ecs.sessions).toHaveLength(0);
  });
});
