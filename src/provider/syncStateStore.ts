import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import type { ShardState, SyncState } from '../sync/syncState';

const TABLE = 'aws_ecs_entity_provider_shards';

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
    if (!database.migrations?.skip && !(await db.schema.hasTable(TABLE))) {
      try {
        await db.schema.createTable(TABLE, table => {
          table.string('provider_id', 255).notNullable();
          table.string('shard_key', 255).notNullable();
          table.text('state', 'longtext').notNullable();
          table.string('updated_at', 32).notNullable();
          table.primary(['provider_id', 'shard_key']);
        });
      } catch (error) {
        // Another replica may have created it a moment ago.
        if (!(await db.schema.hasTable(TABLE))) throw error;
      }
    }
    return new SyncStateStore(db);
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
