import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import type { DriftReport } from '../report/driftReport';
import type { EmittedEntity } from '../sync/planEmission';
import type { GroupAssignment } from '../sync/scanGroups';
import type { ShardState, SyncState } from '../sync/syncState';
import { ensureTable } from './ensureTable';

const TABLE = 'aws_ecs_entity_provider_shards';
const EMITTED = 'aws_ecs_entity_provider_emitted';
const REPORTS = 'aws_ecs_entity_provider_reports';
const GROUPS = 'aws_ecs_entity_provider_groups';
const GROUP_RUNS = 'aws_ecs_entity_provider_group_runs';
const REPLICAS = 'aws_ecs_entity_provider_replicas';
const EVENT_CLAIMS = 'aws_ecs_entity_provider_event_claims';
/** Claims older than this are forgotten: the events bus and SQS redeliver within minutes, not hours. */
const EVENT_CLAIM_TTL_MS = 60 * 60_000;
const CLAIM_DIGESTS = '__claimDigests';
const MISSING_OWNERS = '__missingOwners';

export interface GroupRun {
  /** ISO-8601. */
  finishedAt?: string;
  /** ISO-8601: a scan of the group was asked for (a changed claim, a hand-over). */
  wantedAt?: string;
}

/** What a report was built from, as far as the catalog's later changes can make it stale. */
export interface ReportInputs {
  /** Entity ref (lower case) → claim digest of every claiming entity the report saw. */
  claims: Record<string, string>;
  /** Owner refs (lower case) that owner tags named and the catalog lacked. */
  missingOwners: string[];
}

export interface StoredReport extends Partial<ReportInputs> {
  report: DriftReport;
}
const INSERT_BATCH = 200;

/**
 * The provider's memory between scans, one row per provider and shard in the
 * catalog's own database: what each shard last held and since when services
 * have been missing. Every replica reads and writes the same rows, so a
 * restart or a hand-over keeps the grace periods running.
 */
export class SyncStateStore {
  private constructor(private readonly db: Knex) {}

  static async create(database: DatabaseService): Promise<SyncStateStore> {
    const db = await database.getClient();
    if (!database.migrations?.skip) {
      await ensureTable(db, TABLE, table => {
        table.string('provider_id', 255).notNullable();
        table.string('shard_key', 255).notNullable();
        table.text('state', 'longtext').notNullable();
        table.string('updated_at', 32).notNullable();
        table.primary(['provider_id', 'shard_key']);
      });
      await ensureTable(db, EMITTED, table => {
        table.string('provider_id', 255).notNullable();
        table.string('entity_ref', 255).notNullable();
        table.string('shard_key', 255).notNullable();
        table.text('entity', 'longtext').notNullable();
        table.primary(['provider_id', 'entity_ref']);
      });
      await ensureTable(db, REPORTS, table => {
        table.string('provider_id', 255).notNullable().primary();
        table.string('generated_at', 32).notNullable();
        table.text('report', 'longtext').notNullable();
      });
      await ensureTable(db, GROUPS, table => {
        table.string('provider_id', 255).notNullable().primary();
        table.text('assignment', 'longtext').notNullable();
      });
      await ensureTable(db, GROUP_RUNS, table => {
        table.string('provider_id', 255).notNullable();
        table.string('group_key', 64).notNullable();
        table.string('finished_at', 32);
        table.string('wanted_at', 32);
        table.primary(['provider_id', 'group_key']);
      });
      await ensureTable(db, REPLICAS, table => {
        table.string('provider_id', 255).notNullable();
        table.string('replica_id', 64).notNullable();
        table.string('seen_at', 32).notNullable();
        table.primary(['provider_id', 'replica_id']);
      });
      await ensureTable(db, EVENT_CLAIMS, table => {
        table.string('provider_id', 255).notNullable();
        table.string('event_id', 255).notNullable();
        table.string('claimed_at', 32).notNullable();
        table.primary(['provider_id', 'event_id']);
        table.index(['claimed_at']);
      });
    }
    return new SyncStateStore(db);
  }

  /**
   * Entity ref → the entity last sent to the catalog, as JSON, for the given
   * shards. Deltas are computed against it, and a shard that could not be read
   * re-sends exactly it.
   */
  async loadEmitted(providerId: string, shardKeys: string[]): Promise<Map<string, EmittedEntity>> {
    const result = new Map<string, EmittedEntity>();
    for (let i = 0; i < shardKeys.length; i += INSERT_BATCH) {
      const rows: Array<{ entity_ref: string; shard_key: string; entity: string }> = await this.db(EMITTED)
        .where({ provider_id: providerId })
        .whereIn('shard_key', shardKeys.slice(i, i + INSERT_BATCH))
        .select('entity_ref', 'shard_key', 'entity');
      for (const r of rows) result.set(r.entity_ref, { shardKey: r.shard_key, entity: r.entity });
    }
    return result;
  }

  /** Records what the catalog was just sent: the entities added or changed, and the refs removed. */
  async saveEmitted(providerId: string, upserts: Array<[string, EmittedEntity]>, gone: string[]): Promise<void> {
    if (upserts.length === 0 && gone.length === 0) return;
    await this.db.transaction(async tx => {
      for (let i = 0; i < upserts.length; i += INSERT_BATCH) {
        await tx(EMITTED)
          .insert(upserts.slice(i, i + INSERT_BATCH).map(([entity_ref, e]) => ({ provider_id: providerId, entity_ref, shard_key: e.shardKey, entity: e.entity })))
          .onConflict(['provider_id', 'entity_ref'])
          .merge(['shard_key', 'entity']);
      }
      for (let i = 0; i < gone.length; i += INSERT_BATCH) {
        await tx(EMITTED).where({ provider_id: providerId }).whereIn('entity_ref', gone.slice(i, i + INSERT_BATCH)).delete();
      }
    });
  }

  /**
   * The latest report and what it was built from (absent in reports stored
   * before these were kept).
   */
  async loadStoredReport(providerId: string): Promise<StoredReport | undefined> {
    const row: { report: string } | undefined = await this.db(REPORTS).where({ provider_id: providerId }).first('report');
    if (!row) return undefined;
    const {
      [CLAIM_DIGESTS]: claims,
      [MISSING_OWNERS]: missingOwners,
      ...report
    } = JSON.parse(row.report) as DriftReport & { [CLAIM_DIGESTS]?: Record<string, string>; [MISSING_OWNERS]?: string[] };
    return { report: report as DriftReport, claims, missingOwners };
  }

  async saveReport(providerId: string, report: DriftReport, inputs: ReportInputs): Promise<void> {
    // Kept in the report's row, so the report and what it saw are replaced together.
    const stored = { ...report, [CLAIM_DIGESTS]: inputs.claims, [MISSING_OWNERS]: inputs.missingOwners };
    await this.db(REPORTS)
      .insert({ provider_id: providerId, generated_at: report.generatedAt, report: JSON.stringify(stored) })
      .onConflict(['provider_id'])
      .merge(['generated_at', 'report']);
  }

  /**
   * The accounts' scan groups, shared by every replica: `decide` keeps the
   * stored assignment or makes a new one, and whichever replica writes last
   * wins; every caller gets what is stored after its own write.
   */
  async keepAssignment(providerId: string, decide: (stored: GroupAssignment | undefined) => GroupAssignment): Promise<GroupAssignment> {
    const read = async () => {
      const row: { assignment: string } | undefined = await this.db(GROUPS).where({ provider_id: providerId }).first('assignment');
      return row ? (JSON.parse(row.assignment) as GroupAssignment) : undefined;
    };
    const stored = await read();
    const decided = decide(stored);
    if (decided === stored) return stored;
    await this.db(GROUPS).insert({ provider_id: providerId, assignment: JSON.stringify(decided) }).onConflict(['provider_id']).merge(['assignment']);
    return (await read()) ?? decided;
  }

  /** When a group's last run finished, and when a run of it was last asked for out of turn. */
  async groupRun(providerId: string, groupKey: string): Promise<GroupRun> {
    const row: { finished_at: string | null; wanted_at: string | null } | undefined = await this.db(GROUP_RUNS)
      .where({ provider_id: providerId, group_key: groupKey })
      .first('finished_at', 'wanted_at');
    return { finishedAt: row?.finished_at ?? undefined, wantedAt: row?.wanted_at ?? undefined };
  }

  async markGroupRun(providerId: string, groupKey: string, mark: { finished_at: string } | { wanted_at: string }): Promise<void> {
    await this.db(GROUP_RUNS)
      .insert({ provider_id: providerId, group_key: groupKey, ...mark })
      .onConflict(['provider_id', 'group_key'])
      .merge(Object.keys(mark));
  }

  /** Records that this replica of the provider is alive, and forgets replicas silent since `forgetBefore`. */
  async beat(providerId: string, replicaId: string, at: Date, forgetBefore: Date): Promise<void> {
    await this.db(REPLICAS).where({ provider_id: providerId }).where('seen_at', '<', forgetBefore.toISOString()).delete();
    await this.db(REPLICAS)
      .insert({ provider_id: providerId, replica_id: replicaId, seen_at: at.toISOString() })
      .onConflict(['provider_id', 'replica_id'])
      .merge(['seen_at']);
  }

  /** How many other replicas of the provider were alive at or after `since`. */
  async othersSeen(providerId: string, replicaId: string, since: Date): Promise<number> {
    const rows: Array<{ replica_id: string }> = await this.db(REPLICAS)
      .where({ provider_id: providerId })
      .whereNot({ replica_id: replicaId })
      .where('seen_at', '>=', since.toISOString())
      .select('replica_id');
    return rows.length;
  }

  /** A replica that stops says so, and the rest stop counting on it at once. */
  async leave(providerId: string, replicaId: string): Promise<void> {
    await this.db(REPLICAS).where({ provider_id: providerId, replica_id: replicaId }).delete();
  }

  /**
   * Claims the events for this replica: returns the ids no replica claimed
   * before. The bus or SQS may hand one event to several replicas, or twice
   * to one; whoever inserts its id first handles it, and only once.
   */
  async claimEvents(providerId: string, eventIds: string[], now: Date): Promise<Set<string>> {
    const claimed = new Set<string>();
    const ids = [...new Set(eventIds)];
    for (let i = 0; i < ids.length; i += INSERT_BATCH) {
      const rows: Array<{ event_id: string }> = await this.db(EVENT_CLAIMS)
        .insert(ids.slice(i, i + INSERT_BATCH).map(event_id => ({ provider_id: providerId, event_id, claimed_at: now.toISOString() })))
        .onConflict(['provider_id', 'event_id'])
        .ignore()
        .returning('event_id');
      for (const row of rows) claimed.add(typeof row === 'string' ? row : row.event_id);
    }
    return claimed;
  }

  /** Forgets claims older than an hour. */
  async pruneEventClaims(now: Date): Promise<void> {
    await this.db(EVENT_CLAIMS).where('claimed_at', '<', new Date(now.getTime() - EVENT_CLAIM_TTL_MS).toISOString()).delete();
  }

  /** The stored assignment of accounts to scan groups, if a scan made one. */
  async loadAssignment(providerId: string): Promise<GroupAssignment | undefined> {
    const row: { assignment: string } | undefined = await this.db(GROUPS).where({ provider_id: providerId }).first('assignment');
    return row ? (JSON.parse(row.assignment) as GroupAssignment) : undefined;
  }

  async load(providerId: string): Promise<SyncState> {
    const rows: Array<{ shard_key: string; state: string }> = await this.db(TABLE)
      .where({ provider_id: providerId })
      .select('shard_key', 'state')
      .orderBy('shard_key');
    const state: SyncState = {};
    for (const row of rows) state[row.shard_key] = JSON.parse(row.state) as ShardState;
    return state;
  }

  /** Writes only the shards that changed, and drops those that hold nothing any more. */
  async save(providerId: string, previous: SyncState, next: SyncState, now: Date): Promise<void> {
    const changed = Object.keys(next).filter(key => JSON.stringify(previous[key]) !== JSON.stringify(next[key]));
    const gone = Object.keys(previous).filter(key => !(key in next));
    if (changed.length === 0 && gone.length === 0) return;
    await this.db.transaction(async tx => {
      for (const key of changed) {
        await tx(TABLE)
          .insert({ provider_id: providerId, shard_key: key, state: JSON.stringify(next[key]), updated_at: now.toISOString() })
          .onConflict(['provider_id', 'shard_key'])
          .merge(['state', 'updated_at']);
      }
      if (gone.length > 0) {
        await tx(TABLE).where({ provider_id: providerId }).whereIn('shard_key', gone).delete();
      }
    });
  }
}
