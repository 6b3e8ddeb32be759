import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from './config.ts';
import { CommandError } from './cli-accounts.ts';
import { describeUrl, openDatabase, type DatabaseHandle } from './platform/db/database.ts';
import { migrateToLatest } from './platform/db/migrate.ts';
import { openConfiguredDatabase, sqliteFile } from './platform/db/open.ts';
import {
  backupKind,
  backupPostgres,
  backupSqlite,
  BackupError,
  copySqliteToPostgres,
  restoreFileToPostgres,
  restoreSqlite,
  rowCounts,
} from './platform/db/backup.ts';
import { BackupFileError } from './platform/db/backup-file.ts';
import type { TableChecksum } from './platform/db/backup-tables.ts';
import { verifyAuditTrail } from './features/audit/audit-verify.service.ts';

export const BACKUP_HELP = `  backup --out FILE [--force]
                     Copy the whole database, evidence files included, into
                     FILE while Clasp runs: on SQLite an SQLite file (online
                     backup), on PostgreSQL a file of every table as it was at
                     one moment, with a checksum each. Refuses to replace FILE
                     unless --force.
  restore FILE [--force]
                     Bring a backup back, after checking it whole. SQLite:
                     refuses while a server uses the database, and replaces a
                     database that holds data only with --force (the old file
                     is kept beside it). PostgreSQL: only into an empty
                     database, in one transaction, every table checked.
  move-to postgres://...
                     Copy the SQLite database into an empty PostgreSQL
                     database (stop the server first), check every table's
                     count and checksum, and say how to switch over.
                     See docs/backup.md.
`;

type Out = (line: string) => void;

/** The errors these commands end with, said as they are. */
export const BACKUP_ERRORS = [BackupError, BackupFileError];

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function seconds(started: number): string {
  return `${((performance.now() - started) / 1000).toFixed(1)} s`;
}

const NAMED: [string, string][] = [
  ['reviews', 'reviews'],
  ['actions', 'actions'],
  ['progress_updates', 'progress updates'],
  ['evidence_items', 'evidence items'],
  ['blobs', 'stored files'],
  ['plan_versions', 'issued versions'],
  ['users', 'people'],
  ['audit_events', 'audit events'],
];

/** "N rows in T tables: 1 reviews, 93 actions, …" */
function describeCounts(rows: Map<string, number>, tables: number): string {
  const total = [...rows.values()].reduce((a, b) => a + b, 0);
  const named = NAMED.map(([table, words]) => `${rows.get(table) ?? 0} ${words}`).join(', ');
  return `${total} rows in ${tables} tables: ${named}.`;
}

function countsOf(sums: Map<string, TableChecksum>): Map<string, number> {
  return new Map([...sums].filter(([, s]) => s.rows > 0).map(([t, s]) => [t, s.rows]));
}

/** Checks the audit chain of the database just written; false (and says so) when it is broken. */
async function auditIntact(handle: DatabaseHandle, out: Out): Promise<boolean> {
  const result = await verifyAuditTrail(handle.db);
  if (result.intact) {
    out(`The audit trail is intact: ${result.events} events, ${result.versions} versions.`);
    return true;
  }
  out(`The audit trail is broken: ${result.problem}`);
  return false;
}

/** The connection that fills a PostgreSQL database: the owner's when DATABASE_OWNER_URL is set. */
async function withWriter<T>(
  config: Config,
  work: (app: DatabaseHandle, writer: DatabaseHandle) => Promise<T>,
): Promise<T> {
  const app = await openConfiguredDatabase(config);
  try {
    if (!config.databaseOwnerUrl) return await work(app, app);
    const owner = await openDatabase({ url: config.databaseOwnerUrl, poolSize: 2 });
    try {
      return await work(app, owner);
    } finally {
      await owner.close();
    }
  } finally {
    await app.close();
  }
}

/** `clasp backup --out FILE [--force]` */
export async function backupCommand(args: string[], config: Config, out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { out: { type: 'string' }, force: { type: 'boolean', default: false } },
    strict: true,
    allowPositionals: true,
  });
  if (!values.out || positionals.length > 0) throw new CommandError('Use "clasp backup --out FILE [--force]".');
  const file = path.resolve(values.out);
  const started = performance.now();
  if (!config.databaseUrl) {
    const source = sqliteFile(config);
    const summary = await backupSqlite(source, file, values.force);
    out(`Backed up the SQLite database ${source} to ${file} (${size(summary.bytes)}) in ${seconds(started)}.`);
    out(describeCounts(summary.rows, summary.tables));
    out('The copy passed SQLite\'s integrity check. Restore it with "clasp restore FILE".');
    return 0;
  }
  const handle = await openDatabase({ url: config.databaseUrl, poolSize: 2 });
  try {
    const summary = await backupPostgres(handle, file, values.force);
    out(
      `Backed up the PostgreSQL database ${handle.location} to ${file} (${size(summary.bytes)}) ` +
        `in ${seconds(started)}.`,
    );
    out(describeCounts(summary.rows, summary.tables));
    out(
      'Every table was read back and matches its checksum. ' +
        'Restore it with "clasp restore FILE" into an empty database.',
    );
    return 0;
  } finally {
    await handle.close();
  }
}

/** `clasp restore FILE [--force]` */
export async function restoreCommand(args: string[], config: Config, out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { force: { type: 'boolean', default: false } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new CommandError('Use "clasp restore FILE [--force]".');
  const file = path.resolve(positionals[0] as string);
  const kind = backupKind(file);
  const started = performance.now();
  if (!config.databaseUrl) {
    if (kind === 'clasp') {
      throw new CommandError(
        `${file} is a backup of a PostgreSQL database: ` +
          'restore it into PostgreSQL (set DATABASE_URL to an empty database).',
      );
    }
    const summary = await restoreSqlite(file, sqliteFile(config), values.force);
    out(`Restored ${file} as the SQLite database ${summary.file} in ${seconds(started)}.`);
    out(describeCounts(summary.rows, summary.tables));
    if (summary.keptAs) out(`The database it replaced is kept as ${summary.keptAs}.`);
    const handle = await openConfiguredDatabase(config);
    try {
      return (await auditIntact(handle, out)) ? 0 : 1;
    } finally {
      await handle.close();
    }
  }
  if (values.force) {
    throw new CommandError(
      'On PostgreSQL, Clasp restores only into an empty database and never removes data: ' +
        'create a new, empty database, set DATABASE_URL to it, and run "clasp restore FILE" without --force.',
    );
  }
  return withWriter(config, async (app, writer) => {
    const copy = kind === 'clasp' ? await restoreFileToPostgres(file, writer) : await copySqliteBackup(file, writer);
    out(`Restored ${file} into the PostgreSQL database ${app.location} in ${seconds(started)}.`);
    out(describeCounts(countsOf(copy.tables), copy.tables.size));
    out('Every table matches the backup (count and checksum).');
    return (await auditIntact(app, out)) ? 0 : 1;
  });
}

/** An SQLite backup into PostgreSQL, from a copy: the backup file itself is never changed. */
async function copySqliteBackup(file: string, target: DatabaseHandle) {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'clasp-restore-'));
  try {
    const copy = path.join(folder, 'clasp.db');
    fs.copyFileSync(file, copy);
    return await copySqliteToPostgres(copy, target);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

/** `clasp move-to postgres://…` */
export async function moveToCommand(args: string[], config: Config, out: Out): Promise<number> {
  const { positionals } = parseArgs({ args, options: {}, strict: true, allowPositionals: true });
  const url = positionals[0];
  if (positionals.length !== 1 || !url || !/^postgres(ql)?:\/\//.test(url)) {
    throw new CommandError('Use "clasp move-to postgres://USER:PASSWORD@HOST:PORT/DATABASE".');
  }
  if (config.databaseUrl) {
    throw new CommandError(
      'DATABASE_URL is set, so this Clasp already uses PostgreSQL. ' +
        'To move the SQLite database in CLASP_DATA_DIR, run "clasp move-to" without DATABASE_URL set.',
    );
  }
  const source = sqliteFile(config);
  if (!fs.existsSync(source)) throw new CommandError(`There is no SQLite database at ${source} to move.`);
  const started = performance.now();
  const target = await openDatabase({ url, poolSize: 2 });
  try {
    await migrateToLatest(target);
    const copy = await copySqliteToPostgres(source, target);
    const counts = await rowCounts(target.db, 'postgres');
    out(`Copied the SQLite database ${source} into ${describeUrl(url)} in ${seconds(started)}.`);
    out(describeCounts(counts, copy.tables.size));
    out(`Every table has the same rows on both sides (count and SHA-256 of its rows, ${copy.tables.size} tables).`);
    if (!(await auditIntact(target, out))) return 1;
    out('To switch over:');
    out('  1. Keep the server stopped (nothing written to SQLite from now on would be moved).');
    out(`  2. Set DATABASE_URL=${describeUrl(url)} (with its real password) where Clasp is started.`);
    out('  3. Start Clasp, sign in and check the reviews are there.');
    out(`  4. Keep ${source} as the way back: unset DATABASE_URL to use it again.`);
    return 0;
  } finally {
    await target.close();
  }
}
