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
    await migrateToLatest(handle);
    return {
      handle,
      async dispose() {
        await handle.close();
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          await client.query(`drop schema if exists ${schema} cascade`);
        } finally {
          await client.end();
        }
      },
    };
  },
};

/** Every integration test runs once per database Clasp supports. */
export const databaseTargets: DatabaseTarget[] = [sqliteTarget, postgresTarget];
