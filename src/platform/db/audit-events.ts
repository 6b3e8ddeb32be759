import { createHash } from 'node:crypto';
import { PostgresAdapter, type Insertable } from 'kysely';
import { insertInBatches } from './batch-insert.ts';
import type { AuditEventTable } from './schema.ts';
import type { Db, Trx } from './database.ts';

/** An audit event before it is chained: recordAudit adds prev_hash and hash. */
export type NewAuditEvent = Omit<Insertable<AuditEventTable>, 'prev_hash' | 'hash'>;

/** The hash the chain starts from, before the first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields each event's hash covers, in this order. The id is left out: the chain itself fixes the order. */
export const CHAINED_FIELDS = [
  'at',
  'actor',
  'user_id',
  'organisation_id',
  'review_id',
  'action_id',
  'entity_type',
  'entity_id',
  'action',
  'before',
  'after',
  'request_id',
] as const;

export type ChainedEvent = { readonly [K in (typeof CHAINED_FIELDS)[number]]?: string | number | null };

/**
 * An event's link in the chain: SHA-256 (hex) of the previous hash and the event's fields, serialised
 * as a JSON array in a fixed order, so the same event always gives the same hash on either database.
 */
export function chainHash(prevHash: string, event: ChainedEvent): string {
  const fields = CHAINED_FIELDS.map((name) => event[name] ?? null);
  return createHash('sha256')
    .update(JSON.stringify([prevHash, ...fields]))
    .digest('hex');
}

/**
 * Writes audit events in the caller's transaction, chained to the newest one: one statement for
 * one event, batches for many. The chain head is locked first (FOR UPDATE on PostgreSQL; SQLite
 * runs one writer at a time), so two transactions cannot both link to the same event; the lock
 * is held until the caller commits.
 */
export async function insertAuditEvents(trx: Trx, rows: readonly NewAuditEvent[]): Promise<void> {
  if (rows.length === 0) return;
  let prev = await lockChainHead(trx);
  const chained = rows.map((row) => {
    const hash = chainHash(prev, row);
    const link = { ...row, prev_hash: prev, hash };
    prev = hash;
    return link;
  });
  await insertInBatches(trx, 'audit_events', chained);
  await trx.updateTable('audit_chain_head').set({ hash: prev }).where('id', '=', 1).execute();
}

async function lockChainHead(db: Db): Promise<string> {
  const query = db.selectFrom('audit_chain_head').select('hash').where('id', '=', 1);
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const head = await (postgres ? query.forUpdate() : query).executeTakeFirst();
  return head?.hash ?? GENESIS_HASH;
}
