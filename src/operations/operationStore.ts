import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import { ensureTable } from '../provider/ensureTable';
import type { Operation, OperationAction, OperationEvent, OperationEventKind, OperationStatus, ServiceSnapshot } from '../gate/operationView';

const OPERATIONS = 'aws_ecs_operations';
const EVENTS = 'aws_ecs_operation_events';
const APPROVALS = 'aws_ecs_operation_approvals';

/** An operation as it is stored, before its trail is attached. */
export type OperationRecord = Omit<Operation, 'events' | 'approvedBy'> & {
  clusterArn: string;
  team: string;
};

interface OperationRow {
  id: string;
  provider: string;
  entity_ref: string;
  requested_for: string;
  service_arn: string;
  cluster_arn: string;
  account_id: string;
  region: string;
  team: string;
  action: string;
  desired_count: number | null;
  task_definition: string | null;
  reason: string;
  requested_by: string;
  requested_at: number | string;
  status: string;
  approvals_required: number;
  expires_at: number | string;
  gate: string | null;
  role_arn: string;
  source_identity: string;
  before_state: string | null;
  after_state: string | null;
  aws_request_id: string | null;
  error: string | null;
}

interface EventRow {
  operation_id: string;
  kind: string;
  actor: string | null;
  at: number | string;
  message: string | null;
  aws_request_id: string | null;
}

/** The fields a status change may set with it. */
export type OperationPatch = Partial<Pick<OperationRecord, 'before' | 'after' | 'awsRequestId' | 'error'>>;

/**
 * Every operation, approval and step, in the plugin's database: the audit
 * trail, and the one place replicas agree on an operation's status. Rows are
 * only added or moved forward, never deleted.
 */
export class OperationStore {
  private constructor(private readonly db: Knex) {}

  static async create(database: DatabaseService): Promise<OperationStore> {
    const db = await database.getClient();
    if (!database.migrations?.skip) {
      await ensureTable(db, OPERATIONS, table => {
        table.string('id', 64).primary();
        table.string('provider', 255).notNullable();
        table.string('entity_ref', 512).notNullable().index();
        table.string('requested_for', 512).notNullable();
        table.string('service_arn', 1024).notNullable();
        table.string('cluster_arn', 1024).notNullable();
        table.string('account_id', 12).notNullable();
        table.string('region', 64).notNullable();
        table.string('team', 255).notNullable();
        table.string('action', 32).notNullable();
        table.integer('desired_count').nullable();
        table.string('task_definition', 512).nullable();
        table.text('reason').notNullable();
        table.string('requested_by', 512).notNullable();
        table.bigInteger('requested_at').notNullable();
        table.string('status', 32).notNullable();
        table.integer('approvals_required').notNullable();
        table.bigInteger('expires_at').notNullable();
        table.string('gate', 255).nullable();
        table.string('role_arn', 2048).notNullable();
        table.string('source_identity', 64).notNullable();
        table.text('before_state').nullable();
        table.text('after_state').nullable();
        table.string('aws_request_id', 255).nullable();
        table.text('error').nullable();
      });
      await ensureTable(db, EVENTS, table => {
        table.increments('seq');
        table.string('operation_id', 64).notNullable().index();
        table.string('kind', 32).notNullable();
        table.string('actor', 512).nullable();
        table.bigInteger('at').notNullable();
        table.text('message').nullable();
        table.string('aws_request_id', 255).nullable();
      });
      await ensureTable(db, APPROVALS, table => {
        table.string('operation_id', 64).notNullable();
        table.string('approver', 512).notNullable();
        table.bigInteger('at').notNullable();
        table.primary(['operation_id', 'approver']);
      });
    }
    return new OperationStore(db);
  }

  async insert(record: OperationRecord, event: NewEvent): Promise<void> {
    await this.db.transaction(async tx => {
      await tx(OPERATIONS).insert(toRow(record));
      await tx(EVENTS).insert(eventRow(record.id, event));
    });
  }

  async get(id: string): Promise<(OperationRecord & { approvedBy: string[]; events: OperationEvent[] }) | undefined> {
    const row: OperationRow | undefined = await this.db(OPERATIONS).where({ id }).first();
    if (!row) return undefined;
    const [withTrail] = await this.withTrail([fromRow(row)]);
    return withTrail;
  }

  /** The operations on one service entity, newest first. */
  async list(entityRef: string, limit = 50): Promise<Array<OperationRecord & { approvedBy: string[]; events: OperationEvent[] }>> {
    const rows: OperationRow[] = await this.db(OPERATIONS).where({ entity_ref: entityRef }).orderBy([{ column: 'requested_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit);
    return this.withTrail(rows.map(fromRow));
  }

  /** Pending operations whose time is up, for expiry. */
  async overdue(now: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.db(OPERATIONS).where({ status: 'pending' }).andWhere('expires_at', '<=', now).select('id');
    return rows.map(r => r.id);
  }

  /** Running operations that started before `before`: their replica is gone or hung. */
  async stranded(before: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.db(OPERATIONS)
      .join(EVENTS, `${EVENTS}.operation_id`, `${OPERATIONS}.id`)
      .where(`${OPERATIONS}.status`, 'running')
      .andWhere(`${EVENTS}.kind`, 'started')
      .andWhere(`${EVENTS}.at`, '<', before)
      .distinct(`${OPERATIONS}.id as id`);
    return rows.map(r => r.id);
  }

  /**
   * Records one person's approval; false when they had already approved. Each
   * approval is committed on its own before anyone counts them, so of two
   * approvals arriving together the later count sees both.
   */
  async approve(id: string, approver: string, at: number): Promise<boolean> {
    try {
      await this.db(APPROVALS).insert({ operation_id: id, approver, at });
      return true;
    } catch (error) {
      if (await this.db(APPROVALS).where({ operation_id: id, approver }).first('approver')) return false;
      throw error;
    }
  }

  async approvals(id: string): Promise<string[]> {
    const rows: Array<{ approver: string }> = await this.db(APPROVALS).where({ operation_id: id }).orderBy([{ column: 'at' }, { column: 'approver' }]).select('approver');
    return rows.map(r => r.approver);
  }

  /**
   * Moves an operation from one of `from` to `to`, only if it is still there:
   * of two replicas moving the same operation, exactly one gets true. The
   * event is written with the move, so the trail never shows a move that did
   * not happen.
   */
  async move(id: string, from: readonly OperationStatus[], to: OperationStatus, event: NewEvent, patch: OperationPatch = {}): Promise<boolean> {
    return this.db.transaction(async tx => {
      const changed = await tx(OPERATIONS)
        .where({ id })
        .whereIn('status', [...from])
        .update({ status: to, ...patchRow(patch) });
      if (changed !== 1) return false;
      await tx(EVENTS).insert(eventRow(id, event));
      return true;
    });
  }

  async addEvent(id: string, event: NewEvent): Promise<void> {
    await this.db(EVENTS).insert(eventRow(id, event));
  }

  private async withTrail(records: OperationRecord[]): Promise<Array<OperationRecord & { approvedBy: string[]; events: OperationEvent[] }>> {
    if (records.length === 0) return [];
    const ids = records.map(r => r.id);
    const events: Array<EventRow & { seq: number }> = await this.db(EVENTS).whereIn('operation_id', ids).orderBy('seq');
    const approvals: Array<{ operation_id: string; approver: string }> = await this.db(APPROVALS)
      .whereIn('operation_id', ids)
      .orderBy([{ column: 'at' }, { column: 'approver' }]);
    return records.map(record => ({
      ...record,
      approvedBy: approvals.filter(a => a.operation_id === record.id).map(a => a.approver),
      events: events.filter(e => e.operation_id === record.id).map(fromEventRow),
    }));
  }
}

export interface NewEvent {
  kind: OperationEventKind;
  actor: string | null;
  at: number;
  message?: string | null;
  awsRequestId?: string | null;
}

function eventRow(id: string, e: NewEvent): EventRow {
  return { operation_id: id, kind: e.kind, actor: e.actor, at: e.at, message: e.message ?? null, aws_request_id: e.awsRequestId ?? null };
}

function fromEventRow(row: EventRow): OperationEvent {
  return {
    kind: row.kind as OperationEventKind,
    actor: row.actor,
    at: new Date(Number(row.at)).toISOString(),
    message: row.message,
    awsRequestId: row.aws_request_id,
  };
}

function toRow(r: OperationRecord): OperationRow {
  return {
    id: r.id,
    provider: r.provider,
    entity_ref: r.entityRef,
    requested_for: r.requestedFor,
    service_arn: r.serviceArn,
    cluster_arn: r.clusterArn,
    account_id: r.accountId,
    region: r.region,
    team: r.team,
    action: r.action,
    desired_count: r.desiredCount,
    task_definition: r.taskDefinition,
    reason: r.reason,
    requested_by: r.requestedBy,
    requested_at: Date.parse(r.requestedAt),
    status: r.status,
    approvals_required: r.approvalsRequired,
    expires_at: Date.parse(r.expiresAt),
    gate: r.gate,
    role_arn: r.roleArn,
    source_identity: r.sourceIdentity,
    ...patchRow({ before: r.before, after: r.after, awsRequestId: r.awsRequestId, error: r.error }),
  } as OperationRow;
}

function patchRow(patch: OperationPatch): Partial<OperationRow> {
  const row: Partial<OperationRow> = {};
  if (patch.before !== undefined) row.before_state = patch.before === null ? null : JSON.stringify(patch.before);
  if (patch.after !== undefined) row.after_state = patch.after === null ? null : JSON.stringify(patch.after);
  if (patch.awsRequestId !== undefined) row.aws_request_id = patch.awsRequestId;
  if (patch.error !== undefined) row.error = patch.error;
  return row;
}

function fromRow(row: OperationRow): OperationRecord {
  return {
    id: row.id,
    provider: row.provider,
    entityRef: row.entity_ref,
    requestedFor: row.requested_for,
    serviceArn: row.service_arn,
    clusterArn: row.cluster_arn,
    accountId: row.account_id,
    region: row.region,
    team: row.team,
    action: row.action as OperationAction,
    desiredCount: row.desired_count,
    taskDefinition: row.task_definition,
    reason: row.reason,
    requestedBy: row.requested_by,
    requestedAt: new Date(Number(row.requested_at)).toISOString(),
    status: row.status as OperationStatus,
    approvalsRequired: row.approvals_required,
    expiresAt: new Date(Number(row.expires_at)).toISOString(),
    gate: row.gate,
    roleArn: row.role_arn,
    sourceIdentity: row.source_identity,
    before: row.before_state ? (JSON.parse(row.before_state) as ServiceSnapshot) : null,
    after: row.after_state ? (JSON.parse(row.after_state) as ServiceSnapshot) : null,
    awsRequestId: row.aws_request_id,
    error: row.error,
  };
}
