import { formatDate } from '../../domain/dates.ts';
import type { Actor } from '../../domain/permissions.ts';
import type { Db } from '../../platform/db/database.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { FormErrors } from '../../platform/forms.ts';
import { FormInvalid, type FieldChange } from '../../platform/form-schema.ts';
import { recordAudit } from '../../platform/audit.ts';
import type { AppContext } from '../context.ts';
import {
  ORGANISATION_KINDS,
  type OrganisationCommand,
  type OrganisationEditCommand,
  type OrganisationRules,
} from './admin.forms.ts';
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

export { ORGANISATION_KINDS } from './admin.forms.ts';

/** What a kind of organisation is called; anything else reads as it is. */
export function kindName(kind: string): string {
  return ORGANISATION_KINDS.find((k) => k.value === kind)?.text ?? kind;
}

const NAME_TAKEN = 'There is already an organisation with this name';

/** The form's fields, by name, as the organisation form shows them. */
export interface OrganisationFields {
  name: string;
  shortName: string;
  kind: string;
}

export function fieldsFrom(row: OrganisationAdminRow): OrganisationFields {
  return { name: row.name, shortName: row.short_name, kind: row.kind };
}

/** The fields of the form, as the stale-edit table names them. */
const FIELD_LABELS: readonly { key: keyof OrganisationFields; label: string }[] = [
  { key: 'name', label: 'Name' },
  { key: 'shortName', label: 'Short name' },
  { key: 'kind', label: 'Kind' },
];

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

/**
 * What an organisation's form is checked against: the names of the others. Only administrators
 * may use it, and an edit only of an organisation that exists.
 */
export async function organisationRules(
  ctx: AppContext,
  actor: Actor,
  editing: number | null,
): Promise<OrganisationRules> {
  requireAdministrator(actor);
  if (editing !== null) await getOrganisationForEdit(ctx, actor, editing);
  return { nameTaken: async (name) => (await findOrganisationNamed(ctx.db, name, editing)) !== undefined };
}

function valuesOf(command: OrganisationCommand): OrganisationValues {
  return { name: command.name, short_name: command.shortName, kind: command.kind };
}

/** Checked again where it is written: another organisation may have taken the name meanwhile. */
async function requireNameFree(db: Db, name: string, exceptId: number | null): Promise<void> {
  if (await findOrganisationNamed(db, name, exceptId)) throw FormInvalid.of('name', NAME_TAKEN);
}

export async function addOrganisation(ctx: AppContext, actor: Actor, command: OrganisationCommand): Promise<number> {
  const now = ctx.now();
  requireAdministrator(actor);
  const values = valuesOf(command);
  return ctx.db.transaction().execute(async (trx) => {
    await requireNameFree(trx, values.name, null);
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
}

/**
 * Saves an edit if the organisation is still at the version the form was opened at. If not
 * (or the form carried no version), nothing is saved and the edit is refused (409) with who
 * changed it last and, field by field, what is saved now beside what was entered.
 */
export async function updateOrganisation(
  ctx: AppContext,
  actor: Actor,
  organisationId: number,
  command: OrganisationEditCommand,
): Promise<void> {
  const now = ctx.now();
  const current = await getOrganisationForEdit(ctx, actor, organisationId);
  const { version } = command;
  const values = valuesOf(command);
  const before = { name: current.name, shortName: current.short_name, kind: current.kind };
  const after = { name: values.name, shortName: values.short_name, kind: values.kind };
  const saved =
    version !== null &&
    (await ctx.db.transaction().execute(async (trx) => {
      await requireNameFree(trx, values.name, organisationId);
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
  if (saved) return;
  // Read again: the row may have changed once more since `current` was read.
  const latest = await getOrganisationForEdit(ctx, actor, organisationId);
  const event = await findLatestOrganisationEvent(ctx.db, organisationId);
  const who = event
    ? `${event.actor} changed this organisation on ${formatDate(event.at)}`
    : 'Someone else changed this organisation';
  const savedNow = fieldsFrom(latest);
  const yours: OrganisationFields = { name: command.name, shortName: command.shortName, kind: command.kind };
  const show = (key: keyof OrganisationFields, value: string) => (key === 'kind' ? kindName(value) : value);
  // The organisation's audit events do not carry its versions, so its value when the form was opened is not known.
  const changes: FieldChange[] = FIELD_LABELS.filter(({ key }) => savedNow[key] !== yours[key]).map(
    ({ key, label }) => ({
      field: key,
      label,
      opened: 'Not known',
      saved: show(key, savedNow[key]),
      yours: show(key, yours[key]),
    }),
  );
  throw new FormInvalid(new FormErrors(), {
    stale: {
      message:
        `${who}, after you opened the form. ` +
        'Check what they saved, then save again to replace it with ' +
        'your values.',
      version: latest.version,
      changes,
    },
  });
}
