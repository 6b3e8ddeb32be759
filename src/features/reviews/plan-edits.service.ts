import { formatDate } from '../../domain/dates.ts';
import type { ReviewRow } from '../../platform/db/schema.ts';
import type { Db, Trx } from '../../platform/db/database.ts';
import { ForbiddenError } from '../../platform/auth/plugin.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { FormInvalid, type StaleEdit } from '../../platform/form-schema.ts';
import { FormErrors } from '../../platform/forms.ts';
import { recordAudit } from '../../platform/audit.ts';
import { canCoordinate, type Actor } from '../../domain/permissions.ts';
import { getReview, type ReviewsContext } from './reviews.service.ts';
import type { VersionRule } from '../../platform/form-rules.ts';
import {
  listAuditTrail,
  listOrganisationsById,
  listReviewOrganisations,
  type OrganisationOption,
} from './plan-edits.repository.ts';

/*
 * What every edit of a review's plan shares (the review's details, recommendation groups,
 * recommendations, findings and actions): the coordinator check and the stale-edit rule. Each
 * edit form carries the version of the row it was opened on; a save is written only if the
 * row is still at that version, read in the transaction that writes it (and the write itself is
 * `update … where version = ?`), so a change made by someone else in between is never silently
 * overwritten. A stale save is refused with FormInvalid (409) saying what changed.
 */

/** The organisations a review covers, by name, as the edit forms offer them. */
export { listReviewOrganisations, type OrganisationOption };

/** A value as the audit trail stores it and the stale-edit table compares it. */
export type Value = string | number | boolean | null | number[];
export type Snapshot = Record<string, Value>;

export interface FieldSpec {
  key: string;
  label: string;
  /** How a value reads in the table of changes; plain text by default. */
  show?: (value: Value) => string;
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

/** A row edited under the stale-edit rule: what it is, how its fields read, and how to read it now. */
export interface Versioned<S extends Snapshot> {
  subject: EditSubject;
  fields: readonly FieldSpec[];
  /** The row's version and values now; undefined when it is gone. */
  load(db: Db): Promise<{ version: number; snapshot: S } | undefined>;
}

async function staleRefusal<S extends Snapshot>(
  db: Db,
  row: Versioned<S>,
  opened: number,
  current: { version: number; snapshot: S },
  yours: S,
): Promise<FormInvalid> {
  return new FormInvalid(new FormErrors(), {
    stale: await describeStaleEdit(db, row.subject, opened, current, yours, row.fields),
  });
}

/**
 * The version rule an edit form is checked against while it is read: a form opened on an
 * older version is refused with what changed since, together with its other problems, so the
 * person sees everything at once. The save checks it again in its transaction.
 */
export function versionRule<S extends Snapshot>(db: Db, row: Versioned<S>): VersionRule<S> {
  return {
    what: row.subject.what,
    async staleSince(opened, yours) {
      const current = await row.load(db);
      if (!current) throw new NotFoundError();
      if (current.version === opened) return null;
      return describeStaleEdit(db, row.subject, opened, current, yours, row.fields);
    },
  };
}

export interface VersionedSave<S extends Snapshot> extends Versioned<S> {
  actor: Actor;
  /** The version the form was opened at: null when none was sent. */
  openedVersion: number | null;
  yours: S;
  /**
   * Rules read again in the write's transaction, because they can change after the form was
   * checked (a number taken by someone else meanwhile): throws FormInvalid when one no longer holds.
   */
  recheck?(trx: Trx, before: S): Promise<void>;
  /** Writes `yours` only where the row is still at `version`, dated `now`; false when it was not. */
  write(trx: Trx, version: number, before: S, now: Date): Promise<boolean>;
}

/**
 * Saves an edit under the stale-edit rule, with its audit event, in one transaction: the
 * row's version is read there, and a save of a form opened on an older version is refused
 * with what changed since. Saving nothing changed writes nothing.
 */
export async function saveVersioned<S extends Snapshot>(
  ctx: ReviewsContext,
  u: VersionedSave<S>,
): Promise<{ version: number; changed: string[] }> {
  const opened = u.openedVersion;
  if (opened === null) throw FormInvalid.of('version', `Send the version of the ${u.subject.what} you are changing`);
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    const current = await u.load(trx);
    if (!current) throw new NotFoundError();
    if (current.version !== opened) throw await staleRefusal(trx, u, opened, current, u.yours);
    await u.recheck?.(trx, current.snapshot);
    const change = diffSnapshots(current.snapshot, u.yours);
    if (change.changed.length === 0) return { version: current.version, changed: [] };
    if (!(await u.write(trx, current.version, current.snapshot, now))) {
      // Saved by someone else between reading the row and writing it: refused as above.
      const fresh = await u.load(trx);
      if (!fresh) throw new NotFoundError();
      throw await staleRefusal(trx, u, opened, fresh, u.yours);
    }
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
    return { version: current.version + 1, changed: change.changed };
  });
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
