import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { holdTransactionLock } from '../../platform/db/locks.ts';
import type { Row } from './transfer-file.ts';
import type { TableSpec } from './transfer-tables.ts';

/** The audit action of the event an import of a review writes last. */
export const REVIEW_MOVED_IN = 'moved in';
const CHUNK = 500;

/** The rows of one carried table that belong to the review, in id order (parents' rows already read). */
export async function readTableRows(db: Db, spec: TableSpec, reviewId: number, parentIds: readonly number[] | null) {
  const order = spec.keyed ? sql.ref('id') : sql.ref(spec.belongs.column);
  if (parentIds === null) {
    const { rows } = await sql<Row>`select * from ${sql.table(spec.name)}
      where ${sql.ref(spec.belongs.column)} = ${reviewId} order by ${order}`.execute(db);
    return rows;
  }
  const found: Row[] = [];
  for (let i = 0; i < parentIds.length; i += CHUNK) {
    const ids = parentIds.slice(i, i + CHUNK);
    const { rows } = await sql<Row>`select * from ${sql.table(spec.name)}
      where ${sql.ref(spec.belongs.column)} in (${sql.join(ids)}) order by ${order}`.execute(db);
    found.push(...rows);
  }
  return found;
}

export async function readReviewAuditEvents(db: Db, reviewId: number) {
  return db.selectFrom('audit_events').selectAll().where('review_id', '=', reviewId).orderBy('id').execute();
}

export async function readPeople(db: Db, ids: readonly number[]) {
  const found: { id: number; email: string; name: string }[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const page = ids.slice(i, i + CHUNK);
    found.push(
      ...(await db.selectFrom('users').select(['id', 'email', 'name']).where('id', 'in', page).orderBy('id').execute()),
    );
  }
  return found;
}

export async function readOrganisations(db: Db, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('organisations')
    .select(['id', 'name', 'short_name', 'kind'])
    .where('id', 'in', [...ids])
    .orderBy('id')
    .execute();
}

export async function readBlob(db: Db, hash: string) {
  return db.selectFrom('blobs').select(['sha256', 'content']).where('sha256', '=', hash).executeTakeFirst();
}

export async function blobExists(db: Db, hash: string): Promise<boolean> {
  return (await db.selectFrom('blobs').select('sha256').where('sha256', '=', hash).executeTakeFirst()) !== undefined;
}

export async function insertBlob(db: Db, hash: string, content: Uint8Array, at: string): Promise<void> {
  await db.insertInto('blobs').values({ sha256: hash, size: content.length, content, created_at: at }).execute();
}

/** The newest migration the database has run: the level its rows are written at. */
export async function migrationLevel(db: Db): Promise<string> {
  const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name desc limit 1`.execute(
    db,
  );
  return rows[0]?.name ?? '';
}

/** The hash of the first audit event: stays the same for the life of the database, so it names the instance. */
export async function instanceMark(db: Db): Promise<string> {
  const first = await db.selectFrom('audit_events').select('hash').orderBy('id').limit(1).executeTakeFirst();
  return first?.hash ?? 'none';
}

/** Inserts a row as given and returns its new id (for tables with one). */
export async function insertRow(db: Db, table: string, row: Row, keyed: boolean): Promise<number | null> {
  const columns = Object.keys(row);
  const values = columns.map((c) => row[c]);
  const insert = sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})
    values (${sql.join(values)})`;
  if (!keyed) {
    await insert.execute(db);
    return null;
  }
  const { rows } = await sql<{ id: number }>`${insert} returning id`.execute(db);
  return Number(rows[0]?.id);
}

export async function setMinutesApprovedAt(db: Db, meetingId: number, approvedAt: number): Promise<void> {
  await db
    .updateTable('meetings')
    .set({ minutes_approved_meeting_id: approvedAt })
    .where('id', '=', meetingId)
    .execute();
}

export async function findPersonByEmail(db: Db, email: string) {
  return db.selectFrom('users').select(['id']).where('email', '=', email).executeTakeFirst();
}

/** An organisation by its name, then by its short name when only one has it; case does not matter. */
export async function findOrganisationMatch(db: Db, name: string, shortName: string) {
  const byName = await db
    .selectFrom('organisations')
    .select(['id', 'name'])
    .where(sql`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();
  if (byName) return byName;
  const byShort = await db
    .selectFrom('organisations')
    .select(['id', 'name'])
    .where(sql`lower(short_name)`, '=', shortName.toLowerCase())
    .limit(2)
    .execute();
  return byShort.length === 1 ? byShort[0] : undefined;
}

export async function insertOrganisationRow(
  db: Db,
  organisation: { name: string; short_name: string; kind: string },
  at: string,
): Promise<number> {
  const { id } = await db
    .insertInto('organisations')
    .values({
      name: organisation.name,
      short_name: organisation.short_name,
      kind: organisation.kind as never,
      created_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function sourceKeyTaken(db: Db, key: string): Promise<boolean> {
  return (await db.selectFrom('reviews').select('id').where('source_key', '=', key).executeTakeFirst()) !== undefined;
}

/** The "review imported" events: what each import brought, to refuse the same review twice. */
export async function listReviewImportEvents(db: Db) {
  return db
    .selectFrom('audit_events')
    .select(['review_id', 'at', 'after'])
    .where('entity_type', '=', 'review')
    .where('action', '=', REVIEW_MOVED_IN)
    .orderBy('id')
    .execute();
}

/**
 * Imports of reviews, one at a time until each commits, so two imports of one file at once cannot
 * both pass the check for an earlier import. PostgreSQL: a transaction-scoped advisory lock.
 * SQLite needs none: its one writer at a time refuses the second once the first has written.
 */
export async function lockReviewImports(db: Db): Promise<void> {
  await holdTransactionLock(db, 'clasp import review');
}
