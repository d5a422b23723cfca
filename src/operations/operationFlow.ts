import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { randomUUID } from 'node:crypto';
import type { OperationsConfig } from '../gate/gateConfig';
import { type OperatorApi, OperatorError, type OperateSession } from './ecsOperator';
import { familyOf, type OperationRequest } from '../gate/operationRequest';
import type { OperationRecord, OperationStore } from './operationStore';
import type { OperationTarget } from './operationTarget';
import { changedSince } from '../gate/serviceChange';
import type { Operation, ServiceSnapshot } from '../gate/operationView';
import { teamOperateRoleArn } from '../access/operateRole';
import { OPERATE_SESSION_SECONDS, operateSessionTags, sourceIdentityFor, teamOf } from '../gate/operateSession';
import { reviewGate } from '../gate/reviewGate';

/** Longer than the operate session lasts: a change still running then will never be answered. */
const STRANDED_AFTER_MS = 2 * OPERATE_SESSION_SECONDS * 1000;

/** Who hears about an operation: approvers when it waits for them, the requester when it is done. */
export interface OperationNotifier {
  /** `owner`: the owning group, whose members but the requester may approve. */
  awaitingApproval(operation: Operation, owner: string): Promise<void>;
  finished(operation: Operation): Promise<void>;
}

export interface OperationFlowOptions {
  store: OperationStore;
  operator: OperatorApi;
  logger: LoggerService;
  notifier?: OperationNotifier;
  now?: () => number;
  newId?: () => string;
}

/**
 * The life of an operation: requested against the service as it is, held at
 * its gate until enough owners other than the requester approve, then run
 * once, as the team's role in the requester's name, unless the service moved
 * meanwhile. Permission decisions are the caller's (the routes ask Backstage's
 * permission framework); every rule about the operation itself is here.
 */
export class OperationFlow {
  private readonly now: () => number;
  private readonly newId: () => string;

  constructor(private readonly options: OperationFlowOptions) {
    this.now = options.now ?? Date.now;
    this.newId = options.newId ?? randomUUID;
  }

  async request(requester: string, request: OperationRequest, target: OperationTarget, config: OperationsConfig): Promise<Operation> {
    if (request.action === 'scale') {
      const count = request.desiredCount as number;
      if (count < config.scale.min || count > config.scale.max) {
        throw new InputError(`desiredCount must be from ${config.scale.min} to ${config.scale.max} (catalog.providers.awsEcs.${target.provider}.operations.scale)`);
      }
    }
    if (request.action === 'deploy' && target.taskDefinitionFamily !== null && familyOf(request.taskDefinition as string) !== target.taskDefinitionFamily) {
      throw new InputError(`taskDefinition must be a revision of the service's own family ${target.taskDefinitionFamily}, such as ${target.taskDefinitionFamily}:1`);
    }
    const gate = reviewGate(config, { action: request.action, lifecycle: target.lifecycle, accountId: target.accountId });
    const id = this.newId();
    const now = this.now();
    const team = teamOf(target.owner);
    const record: OperationRecord = {
      id,
      provider: target.provider,
      entityRef: target.entityRef,
      requestedFor: target.requestedFor,
      serviceArn: target.serviceArn,
      clusterArn: target.clusterArn,
      accountId: target.accountId,
      region: target.region,
      team,
      action: request.action,
      desiredCount: request.desiredCount ?? null,
      taskDefinition: request.taskDefinition ?? null,
      reason: request.reason,
      requestedBy: requester,
      requestedAt: new Date(now).toISOString(),
      status: gate.approvals > 0 ? 'pending' : 'running',
      approvalsRequired: gate.approvals,
      expiresAt: new Date(now + config.expireAfterMs).toISOString(),
      gate: gate.gate,
      roleArn: teamOperateRoleArn(config.roleArn, target.owner, target.accountId),
      sourceIdentity: sourceIdentityFor(requester),
      before: null,
      after: null,
      awsRequestId: null,
      error: null,
    };

    // The service as the requester saw it, read as the team: approvals judge this state, and a change to it refuses the operation.
    let before: ServiceSnapshot | undefined;
    let refusal: string | undefined;
    try {
      const session = await this.options.operator.open(this.sessionOf(record));
      try {
        before = (await session.describe(this.addressOf(target))).snapshot;
      } finally {
        session.close();
      }
    } catch (error) {
      if (!(error instanceof OperatorError)) throw error;
      refusal = error.message;
    }
    if (before && request.action === 'deploy' && familyOf(before.taskDefinition) !== familyOf(request.taskDefinition as string)) {
      refusal = `taskDefinition must be a revision of the service's own family ${familyOf(before.taskDefinition)}; it runs ${before.taskDefinition}`;
    }
    if (refusal !== undefined) {
      await this.options.store.insert({ ...record, status: 'refused', before: before ?? null, error: refusal }, { kind: 'requested', actor: requester, at: now, message: request.reason });
      await this.options.store.addEvent(id, { kind: 'refused', actor: null, at: now, message: refusal });
      return this.load(id);
    }

    await this.options.store.insert({ ...record, before: before ?? null }, { kind: 'requested', actor: requester, at: now, message: request.reason });
    if (record.status === 'running') {
      await this.options.store.addEvent(id, { kind: 'started', actor: null, at: now, message: gate.gate ? `${gate.gate} needs no approval` : 'no approval needed' });
      return this.execute(id);
    }
    const operation = await this.load(id);
    await this.tell(() => this.options.notifier?.awaitingApproval(operation, target.owner));
    return operation;
  }

  /**
   * One approval by someone the permission policy lets approve. The last
   * approval needed starts the change; of two arriving together, on one
   * replica or two, exactly one runs it.
   */
  async approve(id: string, approver: string, comment: string | null): Promise<Operation> {
    const record = await this.pending(id);
    if (record.requestedBy.toLowerCase() === approver.toLowerCase()) {
      throw new NotAllowedError('the requester cannot approve their own change; another owner must');
    }
    if (!(await this.options.store.approve(id, approver, this.now()))) throw new ConflictError(`${approver} has already approved operation ${id}`);
    await this.options.store.addEvent(id, { kind: 'approved', actor: approver, at: this.now(), message: comment });
    const approvals = await this.options.store.approvals(id);
    if (approvals.length < record.approvalsRequired) return this.load(id);
    if (await this.expireIfDue(record)) return this.load(id);
    const won = await this.options.store.move(id, ['pending'], 'running', { kind: 'started', actor: null, at: this.now(), message: `approved by ${approvals.join(', ')}` });
    return won ? this.execute(id) : this.load(id);
  }

  /** A no from an approver, or the requester withdrawing their own request. */
  async reject(id: string, rejecter: string, comment: string): Promise<Operation> {
    await this.pending(id);
    const moved = await this.options.store.move(id, ['pending'], 'rejected', { kind: 'rejected', actor: rejecter, at: this.now(), message: comment }, { error: `rejected by ${rejecter}: ${comment}` });
    if (!moved) throw new ConflictError(`operation ${id} is no longer pending`);
    const operation = await this.load(id);
    await this.tell(() => this.options.notifier?.finished(operation));
    return operation;
  }

  async get(id: string): Promise<Operation> {
    await this.expireOverdue();
    return this.load(id);
  }

  async list(entityRef: string): Promise<Operation[]> {
    await this.expireOverdue();
    return (await this.options.store.list(entityRef)).map(toView);
  }

  /**
   * Every pending operation past its time becomes expired, and every one left
   * running longer than its AWS session could last becomes failed, since the
   * replica running it stopped; returns how many were settled.
   */
  async expireOverdue(): Promise<number> {
    let expired = 0;
    for (const id of await this.options.store.stranded(this.now() - STRANDED_AFTER_MS)) {
      const message = 'the backend stopped while the change was running, and its outcome is unknown: check the service, and CloudTrail for this operation id';
      if (await this.options.store.move(id, ['running'], 'failed', { kind: 'failed', actor: null, at: this.now(), message }, { error: message })) {
        expired += 1;
        const operation = await this.load(id);
        await this.tell(() => this.options.notifier?.finished(operation));
      }
    }
    for (const id of await this.options.store.overdue(this.now())) {
      const record = await this.options.store.get(id);
      if (record && (await this.expireIfDue(record))) expired += 1;
    }
    return expired;
  }

  private async expireIfDue(record: OperationRecord): Promise<boolean> {
    if (Date.parse(record.expiresAt) > this.now()) return false;
    const moved = await this.options.store.move(
      record.id,
      ['pending'],
      'expired',
      { kind: 'expired', actor: null, at: this.now(), message: `not approved by ${record.expiresAt}` },
      { error: `expired: not approved by ${record.expiresAt}` },
    );
    if (moved) {
      const operation = await this.load(record.id);
      await this.tell(() => this.options.notifier?.finished(operation));
    }
    return true;
  }

  private async pending(id: string): Promise<OperationRecord> {
    const record = await this.options.store.get(id);
    if (!record) throw new NotFoundError(`no operation ${id}`);
    if (record.status === 'pending' && (await this.expireIfDue(record))) throw new ConflictError(`operation ${id} expired at ${record.expiresAt} before it was approved`);
    if (record.status !== 'pending') throw new ConflictError(`operation ${id} is ${record.status}, not pending`);
    return record;
  }

  /** Runs a change this replica has moved to running: it alone calls AWS for it. */
  private async execute(id: string): Promise<Operation> {
    const record = (await this.options.store.get(id)) as OperationRecord;
    const address = { clusterArn: record.clusterArn, serviceName: record.serviceArn.slice(record.serviceArn.lastIndexOf('/') + 1) };
    const fail = async (status: 'failed' | 'refused', error: string, awsRequestId: string | null) => {
      await this.options.store.move(id, ['running'], status, { kind: status, actor: null, at: this.now(), message: error, awsRequestId }, { error, awsRequestId });
    };
    try {
      const session = await this.options.operator.open(this.sessionOf(record));
      try {
        const now = await session.describe(address);
        const moved = record.before ? changedSince(record.before, now.snapshot) : undefined;
        if (moved) {
          await fail('refused', `the service changed since the request: ${moved}; ask again against the service as it is now`, now.requestId);
        } else {
          const result = await session.change({ ...address, action: record.action, desiredCount: record.desiredCount, taskDefinition: taskDefinitionArn(record) });
          await this.options.store.move(
            id,
            ['running'],
            'succeeded',
            { kind: 'succeeded', actor: null, at: this.now(), message: describeResult(record, result.snapshot), awsRequestId: result.requestId },
            { after: result.snapshot, awsRequestId: result.requestId },
          );
        }
      } finally {
        session.close();
      }
    } catch (error) {
      if (!(error instanceof OperatorError)) {
        this.options.logger.error(`ECS operation ${id} failed unexpectedly`, error instanceof Error ? error : { error: String(error) });
        await fail('failed', 'the change failed in the backend; its log says why', null);
      } else {
        await fail('failed', error.message, error.awsRequestId);
      }
    }
    const operation = await this.load(id);
    this.options.logger.info(`ECS operation ${id} ${operation.status}: ${operation.action} of ${operation.serviceArn} requested by ${operation.requestedBy} as ${operation.roleArn}`, {
      awsRequestId: operation.awsRequestId ?? undefined,
    });
    await this.tell(() => this.options.notifier?.finished(operation));
    return operation;
  }

  private sessionOf(record: OperationRecord): OperateSession {
    return {
      roleArn: record.roleArn,
      sourceIdentity: record.sourceIdentity,
      tags: operateSessionTags(record.team, record.requestedBy, record.id),
      durationSeconds: OPERATE_SESSION_SECONDS,
      region: record.region,
    };
  }

  private addressOf(target: OperationTarget) {
    return { clusterArn: target.clusterArn, serviceName: target.serviceName };
  }

  private async load(id: string): Promise<Operation> {
    const record = await this.options.store.get(id);
    if (!record) throw new NotFoundError(`no operation ${id}`);
    return toView(record);
  }

  /** A notification that cannot be sent never undoes or hides the operation. */
  private async tell(send: () => Promise<void> | undefined): Promise<void> {
    try {
      await send();
    } catch (error) {
      this.options.logger.warn('Could not send an ECS operation notification', error instanceof Error ? error : { error: String(error) });
    }
  }
}

/**
 * The full ARN of the revision to deploy: IAM judges the `ecs:task-definition`
 * condition of the operate role's deploy grant by it. The task definition
 * lives in the service's partition, region and account.
 */
function taskDefinitionArn(record: OperationRecord): string | null {
  if (record.taskDefinition === null) return null;
  const prefix = record.serviceArn.slice(0, record.serviceArn.indexOf(':service/'));
  return `${prefix}:task-definition/${record.taskDefinition}`;
}

function describeResult(record: OperationRecord, after: ServiceSnapshot): string {
  switch (record.action) {
    case 'restart':
      return `new deployment ${after.deploymentId ?? '(unknown)'} of ${after.taskDefinition}`;
    case 'scale':
      return `desired count ${record.before?.desiredCount ?? '?'} → ${after.desiredCount}`;
    case 'deploy':
      return `deployment ${after.deploymentId ?? '(unknown)'} of ${after.taskDefinition}`;
  }
}

export function toView(record: OperationRecord & { approvedBy: string[]; events: Operation['events'] }): Operation {
  const { clusterArn: _cluster, team: _team, ...view } = record;
  return view;
}
