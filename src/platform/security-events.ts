import type { Db } from './db/database.ts';
import { insertSecurityEvent, listSecurityEventRows, type SecurityEventRow } from './db/security-events.ts';

/*
 * Security events (ASVS V7.1.3, V7.2.1, V7.2.2; issue 12 section 3): what an administrator should
 * see, kept durably in security_events. Unlike audit events they are written on their own, not in
 * the caller's transaction: a refused request or a failed sign-in changes nothing, and its
 * record must stay even when the request's own work is rolled back. So call it outside any
 * transaction (on SQLite, inside one it would wait forever for the connection the transaction
 * holds), e.g. after the error that refused the request. Never secrets: no password,
 * token or reset link goes in, only who, from where and what happened.
 */

export type SecurityEventKind =
  | 'sign-in failed'
  | 'sign-in throttled'
  | 'refused'
  | 'password reset requested'
  | 'password reset'
  | 'password changed'
  | 'role changed'
  | 'access changed'
  | 'token used from a new place'
  | 'second step failed'
  | 'second step throttled'
  | 'recovery code used'
  | 'two-step verification turned on'
  | 'two-step verification turned off';

export interface SecurityEvent {
  kind: SecurityEventKind;
  userId?: number | null;
  /** The address typed at sign-in or reset, whether or not an account has it. */
  email?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  method?: string | null;
  path?: string | null;
  /** Anything else worth knowing, stored as JSON: the role before and after, the throttle's key. */
  detail?: Record<string, unknown> | null;
  requestId?: string | null;
}

/** Records one security event, at the caller's clock's time. */
export async function recordSecurityEvent(db: Db, event: SecurityEvent, now: Date): Promise<void> {
  await insertSecurityEvent(db, {
    at: now.toISOString(),
    kind: event.kind,
    user_id: event.userId ?? null,
    email: event.email ?? null,
    ip: event.ip ?? null,
    // A User-Agent is the client's to choose: kept short so one request cannot fill the table.
    user_agent: event.userAgent?.slice(0, 300) ?? null,
    method: event.method ?? null,
    path: event.path?.slice(0, 500) ?? null,
    detail: event.detail ? JSON.stringify(event.detail) : null,
    request_id: event.requestId ?? null,
  });
}

/** The newest security events first, for the administrators' page. */
export function listSecurityEvents(
  db: Db,
  options: { limit: number; beforeId?: number; kind?: SecurityEventKind },
): Promise<SecurityEventRow[]> {
  return listSecurityEventRows(db, options);
}

export type { SecurityEventRow };
