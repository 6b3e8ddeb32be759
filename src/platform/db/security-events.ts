import type { Insertable, Selectable } from 'kysely';
import type { Db } from './database.ts';
import type { SecurityEventTable } from './schema.ts';

export type NewSecurityEvent = Insertable<SecurityEventTable>;
export type SecurityEventRow = Selectable<SecurityEventTable>;

export async function insertSecurityEvent(db: Db, row: NewSecurityEvent): Promise<void> {
  await db.insertInto('security_events').values(row).execute();
}

/** The newest events first, a page at a time (beforeId: the last id of the previous page). */
export async function listSecurityEventRows(
  db: Db,
  options: { limit: number; beforeId?: number; kind?: string },
): Promise<SecurityEventRow[]> {
  let query = db.selectFrom('security_events').selectAll().orderBy('id', 'desc').limit(options.limit);
  if (options.beforeId !== undefined) query = query.where('id', '<', options.beforeId);
  if (options.kind !== undefined) query = query.where('kind', '=', options.kind);
  return query.execute();
}
