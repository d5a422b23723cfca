import knexFactory, { type Knex } from 'knex';

// Switched on by .ci/run, which points it at the machine's PostgreSQL; tests that need it are skipped elsewhere.
export const POSTGRES = process.env.ECS_CATALOG_SYNC_TEST_POSTGRES;

/**
 * A fresh PostgreSQL database for one test file, dropped after it, and a
 * connection pool per caller of `knexFor`: as many backend replicas as the
 * test starts, each with its own pool on the one database.
 */
export function usePostgresDatabase(prefix: string): { knexFor: () => Knex } {
  const database = `${prefix}_${process.pid}_${Date.now()}`;
  const knexes: Knex[] = [];
  let admin: Knex | undefined;

  beforeAll(async () => {
    admin = knexFactory({ client: 'pg', connection: POSTGRES });
    await admin.raw(`CREATE DATABASE "${database}"`);
  });
  afterAll(async () => {
    await Promise.all(knexes.map(k => k.destroy()));
    await admin?.raw(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin?.destroy();
  });

  return {
    knexFor() {
      const url = new URL(POSTGRES!);
      url.pathname = `/${database}`;
      const knex = knexFactory({ client: 'pg', connection: url.toString(), pool: { min: 0, max: 10 } });
      knexes.push(knex);
      return knex;
    },
  };
}
