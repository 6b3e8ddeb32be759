import type { Insertable } from 'kysely';
import { insertInBatches } from './batch-insert.ts';
import type { AuditEventTable } from './schema.ts';
import type { Db } from './database.ts';

export type NewAuditEvent = Insertable<AuditEventTable>;

/** Writes audit events in the caller's transaction: one statement for one event, batches for many. */
export async function insertAuditEvents(db: Db, rows: readonly NewAuditEvent[]): Promise<void> {
  await insertInBatches(db, 'audit_events', rows);
}
