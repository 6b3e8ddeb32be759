import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../../src/platform/db/database.ts';
import { migrateToLatest } from '../../src/platform/db/migrate.ts';

export interface DatabaseTarget {
  name: 'sqlite' | 'postgres';
  /** A fresh, migrated, empty database; dispose() removes it. */
  open(): Promise<TestDatabase>;
}

export interface TestDatabase {
  handle: DatabaseHandle;
  /** A plain function, not a method using `this`, so it can be taken off the object. */
  dispose: () => Promise<void>;
}

const sqliteTarget: DatabaseTarget = {
  name: 'sqlite',
  async open() {
    const handle = await openDatabase({ url: null, sqliteFile: ':memory:' });
    await migrateToLatest(handle);
    return { handle, dispose: () => handle.close() };
  },
};

/*
 * The migrator looks for its own tables by listing every table in the database, and PostgreSQL
 * answers "schema ... does not exist" if another test drops its schema during that listing. So
 * migrations hold this advisory lock shared (they may run together) and dropping a schema holds it
 * alone. The key is Clasp's own, apart from the migrator's.
 */
const SCHEMA_LOCK = 7_211_402_113;

async function withLock<T>(url: string, mode: 'shared' | 'alone', work: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const suffix = mode === 'shared' ? '_shared' : '';
  try {
    await client.query(`select pg_advisory_lock${suffix}($1)`, [SCHEMA_LOCK]);
    try {
      return await work();
    } finally {
      await client.query(`select pg_advisory_unlock${suffix}($1)`, [SCHEMA_LOCK]);
    }
  } finally {
    await client.end();
  }
}

/** Runs migrations (or anything else that lists the database's tables) while no test schema is being dropped. */
export function whileNoSchemaIsDropped<T>(url: string, work: () => Promise<T>): Promise<T> {
  return withLock(url, 'shared', work);
}

/** Drops a test's schema once no migration is listing tables. */
export function dropTestSchema(url: string, schema: string): Promise<void> {
  return withLock(url, 'alone', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`drop schema if exists ${schema} cascade`);
    } finally {
      await client.end();
    }
  });
}

const postgresTarget: DatabaseTarget = {
  name: 'postgres',
  async open() {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) {
      throw new Error(
        'TEST_DATABASE_URL is not set, so the PostgreSQL half of the suite cannot run. ' +
          'Run the tests with "npm test", which sets it up, or point it at a PostgreSQL database.',
      );
    }
    // Each test gets its own schema: as fresh as a new database, and much faster to make.
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const handle = await openDatabase({ url, schema, poolSize: 4 });
    await whileNoSchemaIsDropped(url, () => migrateToLatest(handle));
    return {
      handle,
      async dispose() {
        await handle.close();
        await dropTestSchema(url, schema);
      },
    };
  },
};

/** Every integration test runs once per database Clasp supports. */
export const databaseTargets: DatabaseTarget[] = [sqliteTarget, postgresTarget];
