import { formatDate } from '../../domain/dates.ts';
import type { ReviewRow } from '../../platform/db/schema.ts';
import type { Db, Trx } from '../../platform/db/database.ts';
import { ForbiddenError } from '../../platform/auth/plugin.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { formList, formText } from '../../platform/http/form-bodies.ts';
import { dateInputFrom, type FormErrors } from '../../platform/forms.ts';
import { recordAudit } from '../../platform/audit.ts';
import { canCoordinate, type Actor } from '../../domain/permissions.ts';
import { getReview, type ReviewsContext } from './reviews.service.ts';
import {
  listAuditTrail,
  listOrganisationsById,
  listReviewOrganisations,
  type OrganisationOption,
} from './plan-edits.repository.ts';

/*
 * What every edit of a review's plan shares (the review's details, recommendation groups,
 * recommendations, findings and actions): the coordinator check, reading ids from forms, and the
 * stale-edit rule. Each edit form carries the version of the row it was opened on; a save
 * is written only if the row is still at that version (`update … where version = ?`), so a
 * change made by someone else in between is never silently overwritten.
 */

/** The organisations a review covers, by name, as the edit forms offer them. */
export { listReviewOrganisations, type OrganisationOption };

/** A value as the audit trail stores it and the stale-edit table compares it. */
export type Value = string | number | boolean | null | number[];
export type Snapshot = Record<string, Value>;

/** The submitted fields of a form, or of a JSON body turned into the same shape. */
export type Fields = Record<string, string | string[]>;

export interface FieldSpec {
  key: string;
  label: string;
  /** How a value reads in the table of changes; plain text by default. */
  show?: (value: Value) => string;
}

export interface FieldChange {
  field: string;
  label: string;
  /** The value when the form was opened, rebuilt from the audit trail. */
  opened: string;
  saved: string;
  yours: string;
}

export interface StaleEdit {
  message: string;
  /** The version saved now: a second save, after reviewing the changes, goes through. */
  version: number;
  changes: FieldChange[];
}

export type SaveOutcome<T> = { ok: true; saved: T } | { ok: false; errors: FormErrors; stale: StaleEdit | null };

export function invalid<T>(errors: FormErrors): SaveOutcome<T> {
  return { ok: false, errors, stale: null };
}

/** The review, if this person coordinates it: 404 to non-members, 403 to other members. */
export async function requireCoordinator(ctx: ReviewsContext, actor: Actor, reviewId: number): Promise<ReviewRow> {
  const review = await getReview(ctx, actor, reviewId);
  if (!canCoordinate(actor, reviewId)) throw new ForbiddenError('Only a coordinator of this review can change that.');
  return review;
}

/** Who did it, for the audit trail. */
export function auditActor(actor: Actor) {
  return { actor: actor.name, userId: actor.userId, requestId: actor.requestId ?? null };
}

/**
 * The organisations a group or action may name: those the review covers, plus any it names
 * already (so editing never silently drops one the review no longer lists).
 */
export async function organisationChoices(
  db: Db,
  reviewId: number,
  currentIds: readonly number[] = [],
): Promise<OrganisationOption[]> {
  const covered = await listReviewOrganisations(db, reviewId);
  const others = await listOrganisationsById(
    db,
    currentIds.filter((id) => !covered.some((o) => o.id === id)),
  );
  return [...covered, ...others].sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
}

/** A whole number id from a field, or null. */
export function readId(body: unknown, name: string): number | null {
  const raw = formText(body, name).trim();
  return /^\d{1,9}$/.test(raw) ? Number(raw) : null;
}

/** Checkbox ids, sorted and without repeats; `bad` when any value is not an id. */
export function readIds(body: unknown, name: string): { ids: number[]; bad: boolean } {
  const raw = formList(body, name)
    .map((v) => v.trim())
    .filter((v) => v !== '');
  const ids = raw.filter((v) => /^\d{1,9}$/.test(v)).map(Number);
  return { ids: [...new Set(ids)].sort((a, b) => a - b), bad: ids.length !== raw.length };
}

/** The submitted fields as the form shows them again (never the CSRF token). */
export function fieldsFromBody(body: unknown): Fields {
  const fields: Fields = {};
  if (!body || typeof body !== 'object') return fields;
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (key === '_csrf') continue;
    if (typeof value === 'string') fields[key] = value;
    else if (Array.isArray(value)) fields[key] = value.filter((v): v is string => typeof v === 'string');
  }
  return fields;
}

/** A saved row's values as form fields: dates split into day, month and year boxes. */
export function fieldsFromSnapshot(snapshot: Snapshot, dateKeys: readonly string[] = []): Fields {
  const fields: Fields = {};
  for (const [key, value] of Object.entries(snapshot)) {
    if (dateKeys.includes(key)) {
      const parts = dateInputFrom(typeof value === 'string' ? value : null);
      fields[`${key}-day`] = parts.day;
      fields[`${key}-month`] = parts.month;
      fields[`${key}-year`] = parts.year;
    } else if (Array.isArray(value)) fields[key] = value.map(String);
    else if (typeof value === 'boolean') fields[key] = value ? 'yes' : '';
    else fields[key] = value === null ? '' : String(value);
  }
  return fields;
}

function same(a: Value | undefined, b: Value | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** The fields that differ, with their old and new values: what an update's audit event records. */
export function diffSnapshots(
  before: Snapshot,
  after: Snapshot,
): { before: Snapshot; after: Snapshot; changed: string[] } {
  const changed = Object.keys(after).filter((key) => !same(before[key], after[key]));
  return {
    before: Object.fromEntries(changed.map((k) => [k, before[k] ?? null])),
    after: Object.fromEntries(changed.map((k) => [k, after[k] ?? null])),
    changed,
  };
}

export function showValue(value: Value | undefined): string {
  if (value === null || value === undefined || value === '') return 'Not given';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (Array.isArray(value)) return value.length ? value.join(', ') : 'None';
  return String(value);
}

export const showDate = (value: Value) => (typeof value === 'string' && value ? formatDate(value) : 'Not given');

function parseJson(text: string | null): Record<string, unknown> {
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export interface EditSubject {
  entityType: string;
  entityId: number;
  /** How the message names the row: 'action', 'recommendation'. */
  what: string;
  reviewId: number;
  actionId?: number | null;
  organisationId?: number | null;
}

/**
 * Explains a refused stale save: who changed the row and when, and for each field they
 * changed, its value when the form was opened (rebuilt from the audit events written since
 * that version), its value saved now, and the value entered.
 */
export async function describeStaleEdit(
  db: Db,
  subject: EditSubject,
  openedVersion: number,
  current: { version: number; snapshot: Snapshot },
  yours: Snapshot,
  fields: readonly FieldSpec[],
): Promise<StaleEdit> {
  const trail = (await listAuditTrail(db, subject.entityType, subject.entityId)).map((e) => ({
    ...e,
    before: parseJson(e.before),
    after: parseJson(e.after),
  }));
  const since = trail.filter((e) => typeof e.after.version === 'number' && e.after.version > openedVersion);
  const opened: Record<string, unknown> = { ...current.snapshot };
  for (const event of [...since].reverse()) Object.assign(opened, event.before);
  const touched = new Set(since.flatMap((e) => Object.keys(e.after)));
  const changes = fields
    .filter((f) => (since.length ? touched.has(f.key) : !same(current.snapshot[f.key], yours[f.key])))
    .map((f) => {
      const show = f.show ?? showValue;
      return {
        field: f.key,
        label: f.label,
        opened: since.length ? show(opened[f.key] as Value) : 'Not known',
        saved: show(current.snapshot[f.key] ?? null),
        yours: show(yours[f.key] ?? null),
      };
    });
  const last = since.at(-1) ?? trail.at(-1);
  const by = last ? `${last.actor} on ${formatDate(last.at)}` : 'someone else';
  return {
    message: `This ${subject.what} was changed by ${by} after you opened it. Check the changes below, then save again.`,
    version: current.version,
    changes,
  };
}

class StaleWrite extends Error {}

export interface VersionedUpdate<S extends Snapshot> {
  actor: Actor;
  subject: EditSubject;
  openedVersion: number | null;
  errors: FormErrors;
  yours: S;
  fields: readonly FieldSpec[];
  load(db: Db): Promise<{ version: number; snapshot: S } | undefined>;
  /** Writes `yours` only where the row is still at `version`, dated `now`; false when it was not. */
  write(trx: Trx, version: number, before: S, now: Date): Promise<boolean>;
}

/**
 * Saves an edit under the stale-edit rule, with its audit event in the same transaction.
 * A form opened on an older version is refused with what changed since, even when the
 * entered values are also invalid, so the person sees everything at once.
 */
export async function updateWithVersion<S extends Snapshot>(
  ctx: ReviewsContext,
  u: VersionedUpdate<S>,
): Promise<SaveOutcome<{ version: number; changed: string[] }>> {
  const current = await u.load(ctx.db);
  if (!current) throw new NotFoundError();
  if (u.openedVersion === null) {
    u.errors.add('version', `Send the version of the ${u.subject.what} you are changing`);
    return invalid(u.errors);
  }
  if (u.openedVersion !== current.version) {
    return {
      ok: false,
      errors: u.errors,
      stale: await describeStaleEdit(ctx.db, u.subject, u.openedVersion, current, u.yours, u.fields),
    };
  }
  if (u.errors.any) return invalid(u.errors);
  const change = diffSnapshots(current.snapshot, u.yours);
  if (change.changed.length === 0) return { ok: true, saved: { version: current.version, changed: [] } };
  const now = ctx.now();
  try {
    await ctx.db.transaction().execute(async (trx) => {
      if (!(await u.write(trx, current.version, current.snapshot, now))) throw new StaleWrite();
      await recordAudit(
        trx,
        {
          ...auditActor(u.actor),
          reviewId: u.subject.reviewId,
          actionId: u.subject.actionId ?? null,
          organisationId: u.subject.organisationId ?? null,
          entityType: u.subject.entityType,
          entityId: u.subject.entityId,
          action: 'updated',
          before: { ...change.before, version: current.version },
          after: { ...change.after, version: current.version + 1 },
        },
        now,
      );
    });
  } catch (error) {
    if (!(error instanceof StaleWrite)) throw error;
    // Someone saved between reading the row and writing it: refuse as above.
    const fresh = await u.load(ctx.db);
    if (!fresh) throw new NotFoundError();
    return {
      ok: false,
      errors: u.errors,
      stale: await describeStaleEdit(ctx.db, u.subject, u.openedVersion, fresh, u.yours, u.fields),
    };
  }
  return { ok: true, saved: { version: current.version + 1, changed: change.changed } };
}

/** Natural order of paragraph numbers: 2.9 before 2.10, 5.2 before 5.2.4. */
export function compareNumbers(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x !== y) return x - y;
  }
  return 0;
}

/**
 * Keeps rows in the order of their numbers, as the report has them: positions become
 * 1, 2, 3… in number order, and only rows whose position changes are written.
 */
export async function keepInNumberOrder(
  rows: readonly { id: number; number: string; position: number }[],
  setPosition: (id: number, position: number) => Promise<void>,
): Promise<void> {
  const ordered = [...rows].sort((a, b) => compareNumbers(a.number, b.number) || a.id - b.id);
  for (const [index, row] of ordered.entries()) {
    if (row.position !== index + 1) await setPosition(row.id, index + 1);
  }
}
