import { sql } from 'kysely';
import type { Db, DatabaseHandle } from './database.ts';
import { migrateToLatest } from './migrate.ts';

/*
 * PostgreSQL roles (ASVS 1.4, 7.3.3; issue 12 section 3): migrations run as the owner of the
 * tables, and the app connects as another role that may only read and add to the history
 * tables. Only a table's owner (or a superuser) can disable its triggers, alter or drop it, so
 * the app's role can neither rewrite history nor switch off the triggers that refuse it.
 */

/** Append-only tables: the app's role may SELECT and INSERT them, nothing else. */
export const HISTORY_TABLES = [
  'audit_events',
  'progress_updates',
  'rating_events',
  'rating_challenges',
  'due_date_changes',
  'withdrawals',
  'plan_versions',
  // Security events may be pruned, but only by the owner.
  'security_events',
] as const;

/** Kysely's bookkeeping: the app may read it (to see the database is up to date) but not change it. */
const MIGRATION_TABLES = ['kysely_migration', 'kysely_migration_lock'];

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

/**
 * The statements that give appRole its rights on the tables of schema: read and write on the
 * working tables, read and insert on the history tables, read on the migration tables; no
 * TRUNCATE, REFERENCES or TRIGGER anywhere. Running them again is harmless: each table's rights
 * are revoked and granted afresh, so rights granted earlier by hand are taken back.
 */
export function appRoleGrants(appRole: string, schema: string, tables: readonly string[]): string[] {
  const role = quote(appRole);
  const q = (table: string) => `${quote(schema)}.${quote(table)}`;
  const history = new Set<string>(HISTORY_TABLES);
  const statements = [
    `grant usage on schema ${quote(schema)} to ${role}`,
    `revoke create on schema ${quote(schema)} from ${role}`,
  ];
  for (const table of [...tables].sort()) {
    statements.push(`revoke all on ${q(table)} from ${role}`);
    const rights = history.has(table)
      ? 'select, insert'
      : MIGRATION_TABLES.includes(table)
        ? 'select'
        : 'select, insert, update, delete';
    statements.push(`grant ${rights} on ${q(table)} to ${role}`);
  }
  statements.push(`grant usage, select on all sequences in schema ${quote(schema)} to ${role}`);
  return statements;
}

/** The role a connection acts as, and the schema its tables are in. */
export async function connectionRole(db: Db): Promise<{ role: string; schema: string; superuser: boolean }> {
  const { rows } = await sql<{ role: string; schema: string; superuser: boolean }>`
    select current_user as role, current_schema() as schema,
      (select rolsuper from pg_roles where rolname = current_user) as superuser`.execute(db);
  const row = rows[0];
  if (!row) throw new Error('PostgreSQL did not say which role is connected');
  return row;
}

async function tablesOf(db: Db, schema: string): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select tablename as name from pg_tables where schemaname = ${schema}`.execute(db);
  return rows.map((r) => r.name);
}

/** The grant statements for the app's role, for `clasp db grants` to print. */
export async function grantStatements(owner: DatabaseHandle, appRole: string): Promise<string[]> {
  const { schema } = await connectionRole(owner.db);
  return appRoleGrants(appRole, schema, await tablesOf(owner.db, schema));
}

export interface OwnerMigration {
  appRole: string;
  /** Things an operator should fix: the app's role is the owner, or a superuser. */
  warnings: string[];
}

/**
 * Migrates as the owner, then grants the app's role its rights, in one transaction so the app
 * never sees the new tables without them. Warns when the app's role could bypass the triggers.
 */
export async function migrateAsOwner(owner: DatabaseHandle, app: DatabaseHandle): Promise<OwnerMigration> {
  await migrateToLatest(owner);
  const appSide = await connectionRole(app.db);
  const ownerSide = await connectionRole(owner.db);
  const statements = await grantStatements(owner, appSide.role);
  const warnings: string[] = [];
  if (appSide.role === ownerSide.role) {
    warnings.push(
      `DATABASE_URL and DATABASE_OWNER_URL both connect as "${appSide.role}": the app can disable the ` +
        'triggers that keep history unchanged. Give the app a role of its own (see docs/security.md).',
    );
  } else {
    await owner.db.transaction().execute(async (trx) => {
      for (const statement of statements) await sql.raw(statement).execute(trx);
    });
  }
  if (appSide.superuser) {
    warnings.push(
      `The app's role "${appSide.role}" is a superuser: it can disable the triggers that keep history ` +
        'unchanged. Give the app an ordinary role (see docs/security.md).',
    );
  }
  return { appRole: appSide.role, warnings };
}
