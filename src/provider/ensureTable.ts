import type { Knex } from 'knex';

/** Creates the table unless it exists; replicas starting together may race to create it. */
export async function ensureTable(db: Knex, name: string, build: (table: Knex.CreateTableBuilder) => void): Promise<void> {
  if (await db.schema.hasTable(name)) return;
  try {
    await db.schema.createTable(name, build);
  } catch (error) {
    // Another replica may have created it a moment ago.
    if (!(await db.schema.hasTable(name))) throw error;
  }
}
