import type { Actor } from '../../domain/permissions.ts';
import type { Db } from '../../platform/db/database.ts';
import { ForbiddenError } from '../../platform/auth/plugin.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { recordAudit } from '../../platform/audit.ts';
import type { MappingCommand, MappingRules } from './sign-in-domains.forms.ts';
import {
  deleteMapping,
  findMapping,
  findMappingFor,
  insertMapping,
  listMappings,
  listOrganisationChoices,
  updateMapping,
  type MappingRow,
} from './sso.repository.ts';

/*
 * Sign-in domains: which email domains (or organisation codes) belong to which organisation, for
 * single sign-on. Administrators only; every change is audited with what it was before.
 */

function requireAdministrator(actor: Actor): void {
  if (!actor.isAdmin) throw new ForbiddenError('Only system administrators can manage sign-in domains.');
}

export interface SignInDomainsContext {
  db: Db;
  now: () => Date;
}

export type { MappingRow };

export async function listSignInDomains(ctx: SignInDomainsContext, actor: Actor): Promise<MappingRow[]> {
  requireAdministrator(actor);
  return listMappings(ctx.db);
}

export async function getSignInDomain(ctx: SignInDomainsContext, actor: Actor, id: number): Promise<MappingRow> {
  requireAdministrator(actor);
  const row = await findMapping(ctx.db, id);
  if (!row) throw new NotFoundError('There is no such sign-in domain. It may have been removed.');
  return row;
}

export async function organisationChoices(ctx: SignInDomainsContext, actor: Actor) {
  requireAdministrator(actor);
  return listOrganisationChoices(ctx.db);
}

/** What the form checks against: the organisations, and the mappings taken (but the one being changed). */
export async function mappingRules(
  ctx: SignInDomainsContext,
  actor: Actor,
  changing: number | null,
): Promise<MappingRules> {
  requireAdministrator(actor);
  const organisations = await listOrganisationChoices(ctx.db);
  return {
    organisationIds: new Set(organisations.map((o) => o.id)),
    taken: async (kind, value) => {
      const found = await findMappingFor(ctx.db, kind, value);
      return found !== undefined && found.id !== changing;
    },
  };
}

const audited = (row: Pick<MappingRow, 'kind' | 'value' | 'organisation_id' | 'may_join' | 'require_sso'>) => ({
  kind: row.kind,
  value: row.value,
  organisationId: row.organisation_id,
  mayJoin: row.may_join === 1,
  requireSso: row.require_sso === 1,
});

const valuesOf = (command: MappingCommand) => ({
  kind: command.kind,
  value: command.value,
  organisation_id: command.organisationId,
  may_join: command.mayJoin ? 1 : 0,
  require_sso: command.requireSso ? 1 : 0,
});

export async function addSignInDomain(
  ctx: SignInDomainsContext,
  actor: Actor,
  command: MappingCommand,
): Promise<number> {
  requireAdministrator(actor);
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    const values = valuesOf(command);
    const id = await insertMapping(trx, { ...values, created_at: now.toISOString() });
    await recordAudit(
      trx,
      {
        actor: actor.name,
        userId: actor.userId,
        organisationId: command.organisationId,
        entityType: 'sign-in domain',
        entityId: id,
        action: 'added',
        after: audited(values),
        requestId: actor.requestId ?? null,
      },
      now,
    );
    return id;
  });
}

export async function changeSignInDomain(
  ctx: SignInDomainsContext,
  actor: Actor,
  id: number,
  command: MappingCommand,
): Promise<void> {
  const before = await getSignInDomain(ctx, actor, id);
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    const values = valuesOf(command);
    await updateMapping(trx, id, { ...values, updated_at: now.toISOString() });
    await recordAudit(
      trx,
      {
        actor: actor.name,
        userId: actor.userId,
        organisationId: command.organisationId,
        entityType: 'sign-in domain',
        entityId: id,
        action: 'changed',
        before: audited(before),
        after: audited(values),
        requestId: actor.requestId ?? null,
      },
      now,
    );
  });
}

export async function removeSignInDomain(ctx: SignInDomainsContext, actor: Actor, id: number): Promise<MappingRow> {
  const before = await getSignInDomain(ctx, actor, id);
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    await deleteMapping(trx, id);
    await recordAudit(
      trx,
      {
        actor: actor.name,
        userId: actor.userId,
        organisationId: before.organisation_id,
        entityType: 'sign-in domain',
        entityId: id,
        action: 'removed',
        before: audited(before),
        requestId: actor.requestId ?? null,
      },
      now,
    );
  });
  return before;
}
