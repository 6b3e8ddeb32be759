import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

export type DatabaseKind = 'sqlite' | 'postgres';

/**
 * The database, or a transaction on it: what repositories and services take. A transaction is
 * a Kysely too, so a function taking `Db` works inside and outside one.
 */
export type Db = Kysely<Database>;

/** A transaction: for functions that must run inside the caller's transaction, such as recordAudit. */
export type Trx = Transaction<Database>;

export interface DatabaseHandle {
  readonly db: Db;
  readonly kind: DatabaseKind;
  /** The file or URL (password hidden) that people should be told about. */
  readonly location: string;
  /** The PostgreSQL schema in use when not the default one. */
  readonly schema?: string;
  check(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres:// URL; when null, SQLite at sqliteFile. */
  url: string | null;
  sqliteFile?: string;
  /** PostgreSQL schema to use (created if missing); lets tests have a fresh database each. */
  schema?: string;
  poolSize?: number;
}

export class DatabaseOpenError extends Error {}

// Keep PostgreSQL's date and timestamp types as the text they are stored as, so both
// databases hand back identical values.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
// COUNT(*) and SUM() come back as bigint text; counts here always fit in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '****';
    return parsed.toString();
  } catch {
    return 'the DATABASE_URL given';
  }
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  return options.url ? openPostgres(options.url, options) : openSqlite(options.sqliteFile ?? ':memory:');
}

function openSqlite(file: string): DatabaseHandle {
  let sqlite: SQLite.Database;
  try {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
  } catch (error) {
    throw new DatabaseOpenError(`Could not open the SQLite database ${file}: ${(error as Error).message}`);
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withKeptStatements(sqlite) }) });
  return {
    db,
    kind: 'sqlite',
    location: file,
    async check() {
      await sql`select 1`.execute(db);
    },
    async close() {
      await db.destroy();
    },
  };
}

/** How many prepared statements SQLite keeps for reuse: the app has a few hundred distinct queries. */
export const KEPT_STATEMENTS = 500;

/**
 * The database as Kysely sees it, with each statement prepared once and kept (the least
 * recently used dropped beyond `limit`): preparing costs more than running most of the
 * app's queries. Kysely runs one query at a time on the connection, so a kept statement is
 * never in use twice at once; a statement still being iterated is prepared afresh.
 */
export function withKeptStatements(
  sqlite: SQLite.Database,
  limit = KEPT_STATEMENTS,
): Pick<SQLite.Database, 'prepare' | 'close'> {
  const kept = new Map<string, SQLite.Statement>();
  return {
    prepare(source: string) {
      const found = kept.get(source);
      if (found && !found.busy) {
        kept.delete(source);
        kept.set(source, found);
        return found;
      }
      const statement = sqlite.prepare(source);
      kept.delete(source);
      kept.set(source, statement);
      if (kept.size > limit) {
        const oldest = kept.keys().next().value;
        if (oldest !== undefined) kept.delete(oldest);
      }
      return statement;
    },
    close() {
      kept.clear();
      return sqlite.close();
    },
  } as Pick<SQLite.Database, 'prepare' | 'close'>;
}

async function openPostgres(url: string, options: DatabaseOptions): Promise<DatabaseHandle> {
  const location = describeUrl(url);
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new DatabaseOpenError(`The schema name "${schema}" is not valid.`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  try {
    const client = await pool.connect();
    try {
      if (schema) await client.query(`create schema if not exists ${schema}`);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new DatabaseOpenError(
      `Could not connect to the PostgreSQL database ${location}: ${(error as Error).message}`,
    );
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'postgres',
    location,
    ...(schema ? { schema } : {}),
    async check() {
      await sql`select 1`.execute(db);
    },
    async close() {
      await db.destroy();
    },
  };
}
