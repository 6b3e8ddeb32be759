import type { Actor } from '../../domain/permissions.ts';
import { listSecurityEvents, type SecurityEventRow } from '../../platform/security-events.ts';
import type { AppContext } from '../context.ts';
import { requireAdministrator } from './admin.policy.ts';

/** How many of the newest security events the administrators' page shows. */
export const SECURITY_EVENTS_SHOWN = 200;

/** The newest security events, for system administrators only. */
export async function getSecurityEvents(ctx: AppContext, actor: Actor): Promise<SecurityEventRow[]> {
  requireAdministrator(actor);
  return listSecurityEvents(ctx.db, { limit: SECURITY_EVENTS_SHOWN });
}
