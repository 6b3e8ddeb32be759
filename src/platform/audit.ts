import type { Kysely, Transaction } from 'kysely';
import type { Database } from './db/schema.ts';

export interface AuditEntry {
  actor: string;
  userId?: number | null;
  organisationId?: number | null;
  reviewId?: number | null;
  /** The action the change belongs to (its own row, or its progress, evidence or ratings). */
  actionId?: number | null;
  entityType: string;
  entityId: string | number;
  action: string;
  before?: unknown;
  after?: unknown;
  requestId?: string | null;
}

/**
 * Writes one audit event. Callers pass the transaction that makes the change, so the
 * change and its record stand or fall together.
 */
export async function recordAudit(
  trx: Transaction<Database> | Kysely<Database>,
  entry: AuditEntry,
  now = new Date(),
): Promise<void> {
  await trx.insertInto('audit_events').values(auditRow(entry, now.toISOString())).execute();
}

function auditRow(entry: AuditEntry, at: string) {
  return {
    at,
    actor: entry.actor,
    user_id: entry.userId ?? null,
    organisation_id: entry.organisationId ?? null,
    review_id: entry.reviewId ?? null,
    action_id: entry.actionId ?? null,
    entity_type: entry.entityType,
    entity_id: String(entry.entityId),
    action: entry.action,
    before: entry.before === undefined ? null : JSON.stringify(entry.before),
    after: entry.after === undefined ? null : JSON.stringify(entry.after),
    request_id: entry.requestId ?? null,
  };
}

/** Writes many audit events in as few statements as the database allows: for imports. */
export async function recordAudits(
  trx: Transaction<Database>,
  entries: readonly AuditEntry[],
  now = new Date(),
): Promise<void> {
  const at = now.toISOString();
  const rows = entries.map((entry) => auditRow(entry, at));
  // 12 values a row: 400 rows stay well inside SQLite's and PostgreSQL's limits on parameters.
  for (let i = 0; i < rows.length; i += 400)
    await trx
      .insertInto('audit_events')
      .values(rows.slice(i, i + 400))
      .execute();
}
