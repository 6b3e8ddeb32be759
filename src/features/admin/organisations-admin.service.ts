import { formatDate } from '../../domain/dates.ts';
import type { Actor } from '../../domain/permissions.ts';
import type { OrganisationKind } from '../../platform/db/schema.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { formText } from '../../platform/http/form-bodies.ts';
import { FormErrors, readVersion } from '../../platform/forms.ts';
import { recordAudit } from '../../platform/audit.ts';
import type { AppContext } from '../context.ts';
import { auditedBy, requireAdministrator } from './admin.policy.ts';
import {
  findLatestOrganisationEvent,
  findOrganisationForAdmin,
  findOrganisationNamed,
  insertOrganisation,
  listOrganisations,
  updateOrganisationAtVersion,
  type OrganisationAdminRow,
  type OrganisationValues,
} from './admin.repository.ts';

/*
 * The organisations reviews, actions and people refer to. Names are unique without regard to
 * case. An edit carries the version it was opened at; if someone saved in between, the edit
 * is refused with what they saved, and a second save (at the new version) goes through.
 */

export const ORGANISATION_KINDS: readonly { value: OrganisationKind; text: string; hint?: string }[] = [
  { value: 'commissioner', text: 'Commissioner (ICB or CCG)' },
  { value: 'nhs_trust', text: 'NHS trust', hint: 'A hospital, community or mental health trust' },
  { value: 'gp_practice', text: 'GP practice', hint: 'Or a group of practices' },
  { value: 'local_authority', text: 'Local authority', hint: 'A council: children’s social care, public health' },
  { value: 'nhs_england', text: 'NHS England', hint: 'Or one of its regional teams' },
  { value: 'other', text: 'Other', hint: 'For example a police force, a school or a charity' },
];

export function kindName(kind: OrganisationKind): string {
  return ORGANISATION_KINDS.find((k) => k.value === kind)?.text ?? kind;
}

const NAME_MAX = 200;
const SHORT_NAME_MAX = 50;

export interface OrganisationFields {
  name: string;
  shortName: string;
  kind: string;
}

export function fieldsFrom(row: OrganisationAdminRow): OrganisationFields {
  return { name: row.name, shortName: row.short_name, kind: row.kind };
}

export function readOrganisationFields(body: unknown): OrganisationFields {
  return {
    name: formText(body, 'name').trim(),
    shortName: formText(body, 'shortName').trim(),
    kind: formText(body, 'kind'),
  };
}

export interface StaleOrganisation {
  message: string;
  /** The version saved now, for the form to carry so that a second save goes through. */
  version: number;
  saved: OrganisationFields;
}

export type OrganisationOutcome =
  | { ok: true; organisationId: number }
  | {
      ok: false;
      errors: FormErrors;
      fields: OrganisationFields;
      stale: StaleOrganisation | null;
      version: number | null;
    };

async function check(
  ctx: AppContext,
  fields: OrganisationFields,
  exceptId: number | null,
): Promise<{ errors: FormErrors; values: OrganisationValues }> {
  const errors = new FormErrors();
  if (!fields.name) errors.add('name', 'Enter the organisation’s name');
  else if (fields.name.length > NAME_MAX) errors.add('name', `Name must be ${NAME_MAX} characters or fewer`);
  else if (await findOrganisationNamed(ctx.db, fields.name, exceptId))
    errors.add('name', 'There is already an organisation with this name');
  if (!fields.shortName) errors.add('shortName', 'Enter a short name, for example TRFT');
  else if (fields.shortName.length > SHORT_NAME_MAX)
    errors.add('shortName', `Short name must be ${SHORT_NAME_MAX} characters or fewer`);
  const kind = ORGANISATION_KINDS.find((k) => k.value === fields.kind)?.value;
  if (!kind) errors.add('kind', 'Select what kind of organisation it is');
  return { errors, values: { name: fields.name, short_name: fields.shortName, kind: kind ?? 'other' } };
}

export function listAllOrganisations(ctx: AppContext, actor: Actor): Promise<OrganisationAdminRow[]> {
  requireAdministrator(actor);
  return listOrganisations(ctx.db);
}

export async function getOrganisationForEdit(
  ctx: AppContext,
  actor: Actor,
  organisationId: number,
): Promise<OrganisationAdminRow> {
  requireAdministrator(actor);
  const row = await findOrganisationForAdmin(ctx.db, organisationId);
  if (!row) throw new NotFoundError(`There is no organisation ${organisationId}`);
  return row;
}

export async function addOrganisation(
  ctx: AppContext,
  actor: Actor,
  fields: OrganisationFields,
): Promise<OrganisationOutcome> {
  const now = ctx.now();
  requireAdministrator(actor);
  const { errors, values } = await check(ctx, fields, null);
  if (errors.any) return { ok: false, errors, fields, stale: null, version: null };
  const organisationId = await ctx.db.transaction().execute(async (trx) => {
    const id = await insertOrganisation(trx, values, now.toISOString());
    await recordAudit(
      trx,
      {
        ...auditedBy(actor),
        organisationId: id,
        entityType: 'organisation',
        entityId: id,
        action: 'created',
        after: { name: values.name, shortName: values.short_name, kind: values.kind },
      },
      now,
    );
    return id;
  });
  return { ok: true, organisationId };
}

export async function updateOrganisation(
  ctx: AppContext,
  actor: Actor,
  organisationId: number,
  body: unknown,
): Promise<OrganisationOutcome> {
  const now = ctx.now();
  const current = await getOrganisationForEdit(ctx, actor, organisationId);
  const fields = readOrganisationFields(body);
  const version = readVersion(body);
  const { errors, values } = await check(ctx, fields, organisationId);
  if (errors.any) return { ok: false, errors, fields, stale: null, version };
  const before = { name: current.name, shortName: current.short_name, kind: current.kind };
  const after = { name: values.name, shortName: values.short_name, kind: values.kind };
  const saved =
    version !== null &&
    (await ctx.db.transaction().execute(async (trx) => {
      if (!(await updateOrganisationAtVersion(trx, organisationId, version, values))) return false;
      const changed = (Object.keys(after) as (keyof typeof after)[]).filter((k) => before[k] !== after[k]);
      if (changed.length > 0) {
        await recordAudit(
          trx,
          {
            ...auditedBy(actor),
            organisationId,
            entityType: 'organisation',
            entityId: organisationId,
            action: 'updated',
            before: Object.fromEntries(changed.map((k) => [k, before[k]])),
            after: Object.fromEntries(changed.map((k) => [k, after[k]])),
          },
          now,
        );
      }
      return true;
    }));
  if (saved) return { ok: true, organisationId };
  // Read again: the row may have changed once more since `current` was read.
  const latest = await getOrganisationForEdit(ctx, actor, organisationId);
  const event = await findLatestOrganisationEvent(ctx.db, organisationId);
  const who = event
    ? `${event.actor} changed this organisation on ${formatDate(event.at)}`
    : 'Someone else changed this organisation';
  const stale: StaleOrganisation = {
    message:
      `${who}, after you opened the form. ` +
      'Check what they saved, then save again to replace it with ' +
      'your values.',
    version: latest.version,
    saved: fieldsFrom(latest),
  };
  return { ok: false, errors: new FormErrors(), fields, stale, version: latest.version };
}
