import { insertAuditEvents, type NewAuditEvent } from './db/audit-events.ts';
import type { Trx } from './db/database.ts';

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
 * Writes one audit event. It takes only a transaction: the one that makes the change, so the
 * change and its record stand or fall together. The time comes from the caller's clock.
 */
export async function recordAudit(trx: Trx, entry: AuditEntry, now: Date): Promise<void> {
  await insertAuditEvents(trx, [auditRow(entry, now.toISOString())]);
}

function auditRow(entry: AuditEntry, at: string): NewAuditEvent {
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
export async function recordAudits(trx: Trx, entries: readonly AuditEntry[], now: Date): Promise<void> {
  const at = now.toISOString();
  await insertAuditEvents(
    trx,
    entries.map((entry) => auditRow(entry, at)),
  );
}
