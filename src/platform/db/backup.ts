import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { openDatabase, type DatabaseHandle, type Db } from './database.ts';
import { migrateToLatest } from './migrate.ts';
import type { Database } from './schema.ts';
import {
  BACKUP_FORMAT,
  BACKUP_VERSION,
  BackupWriter,
  readBackup,
  sniffBackup,
  type BackupHeader,
} from './backup-file.ts';
import {
  canonicalRow,
  checksumTables,
  compareChecksums,
  describeTables,
  migrationNames,
  readRows,
  resetSequences,
  setUserTriggers,
  TableHasher,
  tablesWithRows,
  writeRows,
  type PlainValue,
  type TableChecksum,
  type TableInfo,
} from './backup-tables.ts';

/*
 * Backups, restores and the move from SQLite to PostgreSQL (docs/backup.md).
 * - SQLite: the backup is an SQLite database file made by SQLite's online backup while the
 *   server runs; restoring checks a copy and renames it into place.
 * - PostgreSQL: the backup is Clasp's own file (backup-file.ts) of every table, read in one
 *   REPEATABLE READ transaction; restoring fills an empty database in one transaction and checks
 *   every table's checksum before it commits. Moving to PostgreSQL is the same fill, from SQLite.
 */

/** A plain refusal or failure, said to the person running the command. */
export class BackupError extends Error {}

/** Tables a freshly migrated database already has rows in: they do not count as data. */
const SEEDED_BY_MIGRATIONS = ['audit_chain_head'];

/** What was written or restored: counts per table with rows, and the file's size. */
export interface BackupSummary {
  file: string;
  bytes: number;
  tables: number;
  rows: Map<string, number>;
  migrations: string[];
}

function refuseExisting(out: string, force: boolean): void {
  if (!fs.existsSync(path.dirname(out))) {
    throw new BackupError(`The folder ${path.dirname(out)} does not exist. Make it first, or give another file name.`);
  }
  if (fs.existsSync(out) && !force) {
    throw new BackupError(`${out} already exists. Give another file name, or add --force to replace it.`);
  }
}

function temporaryName(file: string, purpose: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${purpose}-${process.pid}`);
}

function removeQuietly(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) fs.rmSync(f, { force: true });
}

function kyselyOver(sqlite: SQLite.Database): Kysely<Database> {
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}

/** Opens an SQLite file on its own, checks it whole, and gives its counts and migrations. */
async function inspectSqlite(
  file: string,
): Promise<{ tables: TableInfo[]; rows: Map<string, number>; migrations: string[] }> {
  const sqlite = new SQLite(file, { fileMustExist: true });
  const db = kyselyOver(sqlite);
  try {
    const check = sqlite.pragma('integrity_check') as { integrity_check: string }[];
    const problems = check.map((r) => r.integrity_check).filter((r) => r !== 'ok');
    if (problems.length > 0) {
      throw new BackupError(`${file} fails SQLite's integrity check: ${problems.slice(0, 3).join('; ')}.`);
    }
    const tables = await describeTables(db, 'sqlite');
    if (!tables.some((t) => t.name === 'reviews'))
      throw new BackupError(`${file} is an SQLite database, but not Clasp's.`);
    return { tables, rows: await tablesWithRows(db, tables), migrations: await migrationNames(db) };
  } finally {
    await db.destroy();
  }
}

/** Is a process (a server, another command) using this SQLite file? Asks for a lock nobody else holds. */
export function sqliteInUse(file: string): boolean {
  if (!fs.existsSync(file)) return false;
  const probe = new SQLite(file, { timeout: 0 });
  try {
    probe.pragma('locking_mode = EXCLUSIVE');
    probe.exec('begin exclusive');
    probe.exec('commit');
    return false;
  } catch {
    return true;
  } finally {
    probe.close();
  }
}

function refuseInUse(file: string): void {
  if (sqliteInUse(file)) {
    throw new BackupError(
      `${file} is in use, probably by a running Clasp server. ` +
        'Stop the server (and any other clasp command) first, then run this again.',
    );
  }
}

/**
 * SQLite's online backup of the database file into `out`, while a server may be writing to it:
 * the copy is one moment of the database. It is checked (integrity check) under a temporary name
 * and only then renamed to `out`.
 */
export async function backupSqlite(source: string, out: string, force: boolean): Promise<BackupSummary> {
  if (!fs.existsSync(source)) throw new BackupError(`There is no database at ${source} to back up.`);
  refuseExisting(out, force);
  const temporary = temporaryName(out, 'partial');
  removeQuietly(temporary);
  const sqlite = new SQLite(source, { fileMustExist: true });
  try {
    sqlite.pragma('busy_timeout = 5000');
    // After the first step, copy the rest in one step: one read of one moment, however busy the writers.
    await sqlite.backup(temporary, { progress: () => 1_000_000 });
  } catch (error) {
    removeQuietly(temporary);
    throw new BackupError(`Could not back up ${source}: ${(error as Error).message}`);
  } finally {
    sqlite.close();
  }
  try {
    // One self-contained file: no write-ahead log beside it.
    const copy = new SQLite(temporary);
    copy.pragma('journal_mode = DELETE');
    copy.close();
    const found = await inspectSqlite(temporary);
    fs.renameSync(temporary, out);
    return {
      file: out,
      bytes: fs.statSync(out).size,
      tables: found.tables.length,
      rows: found.rows,
      migrations: found.migrations,
    };
  } finally {
    removeQuietly(temporary);
  }
}

/**
 * PostgreSQL: every table, read in one REPEATABLE READ, read-only transaction (one moment of the
 * database, however busy the server), into Clasp's own backup file with a checksum per table.
 */
export async function backupPostgres(handle: DatabaseHandle, out: string, force: boolean): Promise<BackupSummary> {
  refuseExisting(out, force);
  const temporary = temporaryName(out, 'partial');
  fs.rmSync(temporary, { force: true });
  const writer = new BackupWriter(temporary);
  const rows = new Map<string, number>();
  let migrations: string[] = [];
  let tableCount = 0;
  try {
    await handle.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(async (trx) => {
        migrations = await migrationNames(trx);
        const header: BackupHeader = {
          format: BACKUP_FORMAT,
          version: BACKUP_VERSION,
          source: 'postgres',
          createdAt: new Date().toISOString(),
          migrations,
        };
        await writer.line(header);
        const tables = await describeTables(trx, 'postgres');
        tableCount = tables.length;
        for (const table of tables) {
          await writer.line({ table: table.name, columns: table.columns });
          const hasher = new TableHasher();
          for await (const page of readRows(trx, 'postgres', table)) {
            for (const row of page) {
              const values = canonicalRow(table, row);
              hasher.add(values);
              await writer.line(values);
            }
          }
          const sum = hasher.digest();
          if (sum.rows > 0) rows.set(table.name, sum.rows);
          await writer.line({ end: table.name, rows: sum.rows, sha256: sum.sha256 });
        }
        await writer.line({ complete: true, tables: tables.length });
      });
    await writer.close();
    // Read back before it takes the name: a file that cannot be restored is no backup.
    await verifyBackupFile(temporary);
    fs.renameSync(temporary, out);
  } catch (error) {
    await writer.abort();
    fs.rmSync(temporary, { force: true });
    throw error;
  }
  return { file: out, bytes: fs.statSync(out).size, tables: tableCount, rows, migrations };
}

/** What a Clasp backup file holds, once every table's rows have been checked against its checksum. */
export interface VerifiedFile {
  header: BackupHeader;
  tables: { name: string; columns: string[]; checksum: TableChecksum }[];
}

/** Reads a whole Clasp backup file and checks every table's count and checksum; writes nothing. */
export async function verifyBackupFile(file: string): Promise<VerifiedFile> {
  let header: BackupHeader | null = null;
  const tables: VerifiedFile['tables'] = [];
  let hasher = new TableHasher();
  let columns: string[] = [];
  for await (const event of readBackup(file)) {
    if (event.kind === 'header') header = event.header;
    else if (event.kind === 'table') {
      hasher = new TableHasher();
      columns = event.columns;
    } else if (event.kind === 'rows') {
      for (const row of event.rows) {
        if (row.length !== columns.length) {
          throw new BackupError(
            `The backup file ${file} is damaged: a row of ${event.table} has the wrong number of values.`,
          );
        }
        hasher.add(row);
      }
    } else {
      const got = hasher.digest();
      if (got.rows !== event.checksum.rows || got.sha256 !== event.checksum.sha256) {
        throw new BackupError(
          `The backup file ${file} is damaged: the table ${event.table} does not match its checksum ` +
            `(${got.rows} rows read, ${event.checksum.rows} written).`,
        );
      }
      tables.push({ name: event.table, columns, checksum: got });
    }
  }
  if (!header) throw new BackupError(`${file} is not a Clasp backup.`);
  return { header, tables };
}

/** Where rows to fill a PostgreSQL database come from: a backup file or an SQLite database. */
interface RowSource {
  describe: string;
  migrations: string[];
  tables: { name: string; columns: string[] }[];
  /** Sends every table's rows, in the order of `tables`, and gives the checksums of what it sent. */
  send: (write: (table: string, rows: PlainValue[][]) => Promise<void>) => Promise<Map<string, TableChecksum>>;
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Tables holding rows (those a fresh migration fills left out), with their counts. */
export async function dataCounts(db: Db, kind: 'sqlite' | 'postgres'): Promise<Map<string, number>> {
  const tables = await describeTables(db, kind);
  return tablesWithRows(
    db,
    tables.filter((t) => !SEEDED_BY_MIGRATIONS.includes(t.name)),
  );
}

function listCounts(counts: Map<string, number>, most = 4): string {
  const some = [...counts].slice(0, most).map(([t, n]) => `${t}: ${n}`);
  return `${some.join(', ')}${counts.size > most ? ', …' : ''}`;
}

/** Refuses a database that holds data; a freshly migrated one (or an empty one) is fine. */
export async function refuseIfHasData(db: Db, kind: 'sqlite' | 'postgres', location: string): Promise<void> {
  const counts = await dataCounts(db, kind);
  if (counts.size > 0) {
    throw new BackupError(
      `The database ${location} already holds data (${listCounts(counts)}). ` +
        'Clasp copies only into an empty database: create a new, empty one and give its URL instead.',
    );
  }
}

/**
 * Fills an empty, migrated PostgreSQL database from `source` in one transaction: the tables'
 * own triggers off, every table in dependency order, the sequences moved past the copied ids,
 * the triggers on again; then every table's count and checksum, read back in the same
 * transaction, must equal the source's, or nothing is kept.
 */
async function fillPostgres(target: DatabaseHandle, source: RowSource): Promise<Map<string, TableChecksum>> {
  return target.db.transaction().execute(async (trx) => {
    const migrations = await migrationNames(trx);
    if (!sameList(migrations, source.migrations)) {
      const last = (list: string[]) => list[list.length - 1] ?? 'none';
      throw new BackupError(
        `${source.describe} was made with a different version of Clasp ` +
          `(its last database change is ${last(source.migrations)}; ` +
          `this one's is ${last(migrations)}). Use the version of Clasp that made it, then upgrade.`,
      );
    }
    await refuseIfHasData(trx, 'postgres', target.location);
    const tables = await describeTables(trx, 'postgres');
    const byName = new Map(tables.map((t) => [t.name, t]));
    for (const t of source.tables) {
      const here = byName.get(t.name);
      if (!here || !sameList(here.columns, t.columns)) {
        throw new BackupError(
          `The table ${t.name} in ${source.describe} does not match this database's; nothing was copied.`,
        );
      }
    }
    const missing = tables.filter((t) => !source.tables.some((s) => s.name === t.name));
    if (missing.length > 0) {
      throw new BackupError(
        `${source.describe} has no table ${missing.map((t) => t.name).join(', ')}; nothing was copied.`,
      );
    }
    await setUserTriggers(trx, tables, false);
    for (const name of SEEDED_BY_MIGRATIONS) if (byName.has(name)) await trx.deleteFrom(name as never).execute();
    let current = '';
    const expected = await source
      .send(async (name, rows) => {
        const table = byName.get(name);
        if (!table) throw new BackupError(`The table ${name} is not in this database.`);
        current = name;
        await writeRows(trx, table, rows);
      })
      .catch((error: unknown) => {
        if (error instanceof BackupError) throw error;
        throw new BackupError(
          `Could not copy the table ${current} into ${target.location}, so nothing was kept: ` +
            (error as Error).message,
        );
      });
    await resetSequences(trx, tables);
    await setUserTriggers(trx, tables, true);
    const actual = await checksumTables(trx, 'postgres', tables);
    const problems = compareChecksums(expected, actual);
    if (problems.length > 0) {
      throw new BackupError(`The copy does not match its source, so nothing was kept: ${problems.join('; ')}.`);
    }
    return actual;
  });
}

/** Rows from an SQLite database, read in one transaction (one moment). */
function sqliteSource(db: Db, describe: string, tables: TableInfo[], migrations: string[]): RowSource {
  return {
    describe,
    migrations,
    tables,
    send: (write) =>
      db.transaction().execute(async (trx) => {
        const sums = new Map<string, TableChecksum>();
        for (const table of tables) {
          const hasher = new TableHasher();
          for await (const page of readRows(trx, 'sqlite', table)) {
            const values = page.map((row) => canonicalRow(table, row));
            values.forEach((v) => hasher.add(v));
            await write(table.name, values);
          }
          sums.set(table.name, hasher.digest());
        }
        return sums;
      }),
  };
}

/** Rows from a Clasp backup file already verified. */
function fileSource(file: string, verified: VerifiedFile): RowSource {
  return {
    describe: `The backup ${file}`,
    migrations: verified.header.migrations,
    tables: verified.tables,
    send: async (write) => {
      for await (const event of readBackup(file)) {
        if (event.kind === 'rows') await write(event.table, event.rows);
      }
      return new Map(verified.tables.map((t) => [t.name, t.checksum]));
    },
  };
}

export interface CopySummary {
  tables: Map<string, TableChecksum>;
}

/**
 * Copies the SQLite database `sqliteFile` into the empty PostgreSQL database `target` (already
 * migrated): `clasp move-to`, and `clasp restore` of an SQLite backup onto PostgreSQL.
 */
export async function copySqliteToPostgres(sqliteFile: string, target: DatabaseHandle): Promise<CopySummary> {
  refuseInUse(sqliteFile);
  const source = await openDatabase({ url: null, sqliteFile });
  try {
    await migrateToLatest(source);
    const tables = await describeTables(source.db, 'sqlite');
    const migrations = await migrationNames(source.db);
    return {
      tables: await fillPostgres(
        target,
        sqliteSource(source.db, `The SQLite database ${sqliteFile}`, tables, migrations),
      ),
    };
  } finally {
    await source.close();
  }
}

/** Restores a Clasp backup file (of PostgreSQL) into the empty PostgreSQL database `target`. */
export async function restoreFileToPostgres(file: string, target: DatabaseHandle): Promise<CopySummary> {
  const verified = await verifyBackupFile(file);
  return { tables: await fillPostgres(target, fileSource(file, verified)) };
}

/** Which kind of backup a file is; refuses a file that is neither. */
export function backupKind(file: string): 'sqlite' | 'clasp' {
  if (!fs.existsSync(file)) throw new BackupError(`There is no file ${file}.`);
  const kind = sniffBackup(file);
  if (kind === 'unknown') {
    throw new BackupError(
      `${file} is not a Clasp backup: it is neither an SQLite database nor a file made by "clasp backup".`,
    );
  }
  return kind;
}

/**
 * Restores an SQLite backup as the SQLite database `target`: refuses while the database is in
 * use, and when it holds data unless `force` (the old file is then kept beside it, renamed). The
 * backup is copied under a temporary name, checked, brought up to date, and renamed into place.
 */
export async function restoreSqlite(
  file: string,
  target: string,
  force: boolean,
): Promise<BackupSummary & { keptAs: string | null }> {
  refuseInUse(target);
  if (fs.existsSync(target)) {
    const current = await openDatabase({ url: null, sqliteFile: target });
    let counts: Map<string, number>;
    try {
      counts = await dataCounts(current.db, 'sqlite');
    } finally {
      await current.close();
    }
    if (counts.size > 0 && !force) {
      throw new BackupError(
        `The database ${target} already holds data (${listCounts(counts)}). Add --force to replace it ` +
          '(the current file is kept beside it, renamed), or set CLASP_DATA_DIR to an empty folder to restore there.',
      );
    }
  }
  const temporary = temporaryName(target, 'restoring');
  removeQuietly(temporary);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  try {
    fs.copyFileSync(file, temporary);
    await inspectSqlite(temporary);
    const handle = await openDatabase({ url: null, sqliteFile: temporary });
    try {
      await migrateToLatest(handle);
    } finally {
      await handle.close();
    }
    const found = await inspectSqlite(temporary);
    let keptAs: string | null = null;
    refuseInUse(target);
    if (fs.existsSync(target)) {
      keptAs = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      // Everything written into the file itself (not left in its write-ahead log) before it moves.
      const old = new SQLite(target);
      old.pragma('wal_checkpoint(TRUNCATE)');
      old.close();
      fs.renameSync(target, keptAs);
      for (const f of [`${target}-wal`, `${target}-shm`]) fs.rmSync(f, { force: true });
    }
    fs.renameSync(temporary, target);
    return {
      file: target,
      bytes: fs.statSync(target).size,
      tables: found.tables.length,
      rows: found.rows,
      migrations: found.migrations,
      keptAs,
    };
  } finally {
    removeQuietly(temporary);
  }
}

/** Row counts per table of a database (for what a command prints). */
export async function rowCounts(db: Db, kind: 'sqlite' | 'postgres'): Promise<Map<string, number>> {
  return tablesWithRows(db, await describeTables(db, kind));
}
