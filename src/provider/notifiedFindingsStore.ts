import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import type { NotifiedFinding } from '../notify/planNotifications';
import { ensureTable } from './ensureTable';

const NOTIFIED = 'aws_ecs_entity_provider_notified';

/**
 * The findings each provider told owners about, in the catalog's database
 * beside the provider's other state: every replica sees the same set, so a
 * finding is told once whichever replica scans, and a restart does not tell
 * it again.
 */
export class NotifiedFindingsStore {
  private constructor(private readonly db: Knex) {}

  static async create(database: DatabaseService): Promise<NotifiedFindingsStore> {
    const db = await database.getClient();
    if (!database.migrations?.skip) {
      await ensureTable(db, NOTIFIED, table => {
        table.string('provider_id', 255).notNullable();
        table.string('scope', 255).notNullable();
        table.string('digest', 64).notNullable();
        table.text('finding', 'longtext').notNullable();
        table.primary(['provider_id', 'scope']);
      });
    }
    return new NotifiedFindingsStore(db);
  }

  async list(providerId: string): Promise<NotifiedFinding[]> {
    const rows: Array<{ finding: string }> = await this.db(NOTIFIED).where({ provider_id: providerId }).orderBy('scope').select('finding');
    return rows.map(r => JSON.parse(r.finding) as NotifiedFinding);
  }

  /**
   * Replaces what is remembered of one finding, `from` → `to` (undefined: not
   * remembered), only if it is still `from`: of two replicas that planned the
   * same send, one gets true and sends, the other gets false and does not.
   */
  async move(providerId: string, from: NotifiedFinding | undefined, to: NotifiedFinding | undefined): Promise<boolean> {
    const scope = (from ?? to)?.scope;
    if (scope === undefined) return false;
    if (!from) {
      try {
        await this.db(NOTIFIED).insert({ provider_id: providerId, scope, digest: to!.digest, finding: JSON.stringify(to) });
        return true;
      } catch (error) {
        // The primary key refused it: another replica remembered the finding first.
        if (await this.db(NOTIFIED).where({ provider_id: providerId, scope }).first('scope')) return false;
        throw error;
      }
    }
    const row = this.db(NOTIFIED).where({ provider_id: providerId, scope, digest: from.digest });
    const changed = to ? await row.update({ digest: to.digest, finding: JSON.stringify(to) }) : await row.delete();
    return changed === 1;
  }
}
