// Issued versions: freezing the plan as it stands, listing versions, reading one back, and
// comparing any two (or one with now). A version's snapshot is written once and never
// updated, so its documents can be produced again exactly.
import { createHash } from 'node:crypto';
import { ForbiddenError } from '../../../platform/auth/plugin.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { failpoint } from '../../../platform/failpoints.ts';
import { isSerializationFailure, isUniqueViolation } from '../../../platform/db/errors.ts';
import { NotFoundError } from '../../../platform/http/errors.ts';
import { FormInvalid } from '../../../platform/form-schema.ts';
import type { ReviewRow } from '../../../platform/db/schema.ts';
import { canCoordinate, type Actor } from '../../../domain/permissions.ts';
import type { AppContext } from '../../context.ts';
import { getReview } from '../../reviews/reviews.service.ts';
import { insertPlanVersions } from '../../reviews/plan-writer.service.ts';
import { comparePlans } from '../../../domain/compare-plans.ts';
import type { PlanComparison } from '../../../domain/plan-comparison.ts';
import {
  SNAPSHOT_FORMAT,
  VERSION_PURPOSE_LABELS,
  type PlanSnapshot,
  type SnapshotVersionRow,
  type VersionPurpose,
} from '../../../domain/plan-snapshot.ts';
import { findVersionSnapshot, listVersionRows } from './snapshot.repository.ts';
import { takeSnapshot, versionRowOf } from './take-snapshot.ts';
import type { IssueVersionCommand } from './versions.forms.ts';

/**
 * Who is acting: a signed-in person (rights checked), or the command line (the rights of whoever can
 * open the database).
 */
export interface Acting {
  actor: Actor | null;
  name: string;
  userId: number | null;
  requestId: string | null;
}

export function personActing(actor: Actor): Acting {
  return { actor, name: actor.name, userId: actor.userId, requestId: actor.requestId ?? null };
}

export const COMMAND_LINE_ACTING: Acting = { actor: null, name: 'command line', userId: null, requestId: null };

/** Reads done for the command line see every review, as an administrator would. */
const COMMAND_LINE_READER: Actor = { userId: 0, name: 'command line', email: '', isAdmin: true, memberships: [] };

function readerOf(who: Acting): Actor {
  return who.actor ?? COMMAND_LINE_READER;
}

/** A version recorded before Clasp kept plans (or one that never existed). */
export class VersionNotHeld extends NotFoundError {}

/**
 * The review, if whoever is acting may issue its versions: not found to people outside it, and
 * refused to members who do not coordinate it. The command line may issue for any review.
 */
export async function requireIssuer(ctx: AppContext, who: Acting, reviewId: number): Promise<ReviewRow> {
  const review = await getReview(ctx, readerOf(who), reviewId);
  if (who.actor && !canCoordinate(who.actor, reviewId))
    throw new ForbiddenError('Only the plan coordinators of this review can issue a version');
  return review;
}

/** The next number after the highest whole number used so far ("7." counts as 7). */
export function nextVersionNumber(numbers: readonly string[]): string {
  const used = numbers.map((n) => Number.parseInt(n, 10)).filter((n) => Number.isFinite(n));
  return String(Math.max(0, ...used) + 1);
}

/** The version control table's "Action" words for a version issued in Clasp. */
function actionWords(purpose: VersionPurpose, recipients: string): string {
  const label = VERSION_PURPOSE_LABELS[purpose];
  return recipients ? `${label}. Sent to: ${recipients}` : label;
}

/**
 * Freezes the plan as it stands: the snapshot is taken and stored in the same transaction
 * as the version row and its audit event, so the version is exactly the plan at that moment.
 */
export async function issueVersion(
  ctx: AppContext,
  who: Acting,
  reviewId: number,
  command: IssueVersionCommand,
): Promise<SnapshotVersionRow> {
  const now = ctx.now();
  await requireIssuer(ctx, who, reviewId);
  // Two coordinators issuing at once would both take the next number: the second is refused
  // by the unique number and tries again with the one after.
  for (let attempt = 1; ; attempt++) {
    try {
      return await freezeVersion(ctx, who, readerOf(who), reviewId, command, now);
    } catch (error) {
      if (!(isUniqueViolation(error) || isSerializationFailure(error))) throw error;
      if (attempt >= 3) throw FormInvalid.of('purpose', VERSION_CONFLICT_MESSAGE, 409);
    }
  }
}

/** Why a version could not be numbered: others were issued at the same moment (409). */
export const VERSION_CONFLICT_MESSAGE =
  'Another version was being issued at the same time. Check the versions and try again.';

/**
 * One transaction, repeatable read on PostgreSQL, so every query of the snapshot sees the
 * plan at the same moment (SQLite's transactions already do).
 */
async function freezeVersion(
  ctx: AppContext,
  who: Acting,
  reader: Actor,
  reviewId: number,
  command: IssueVersionCommand,
  now: Date,
): Promise<SnapshotVersionRow> {
  return ctx.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const existing = await listVersionRows(trx, reviewId);
      const row: SnapshotVersionRow = {
        number: nextVersionNumber(existing.map((v) => v.number)),
        issuedOn: ctx.today(),
        author: who.name,
        purpose: command.purpose,
        actionText: actionWords(command.purpose, command.recipients),
        comment: command.comment,
        recipients: command.recipients,
        frozen: true,
      };
      const snapshot = await takeSnapshot({ ...ctx, db: trx, plans: undefined }, reader, reviewId, now.toISOString());
      const frozen: PlanSnapshot = { ...snapshot, version: row, versions: [...existing.map(versionRowOf), row] };
      const snapshotJson = JSON.stringify(frozen);
      // The snapshot's hash goes into the version row and into its chained audit event, so
      // `clasp audit verify` can tell whether the frozen plan was changed afterwards.
      const snapshotSha256 = createHash('sha256').update(snapshotJson).digest('hex');
      await insertPlanVersions(trx, [
        {
          review_id: reviewId,
          number: row.number,
          issued_on: row.issuedOn,
          author: row.author,
          purpose: row.purpose,
          action_text: row.actionText,
          comment: row.comment,
          recipients: row.recipients,
          snapshot: snapshotJson,
          snapshot_sha256: snapshotSha256,
          created_by_user_id: who.userId,
          created_at: now.toISOString(),
        },
      ]);
      await failpoint('version-issue');
      await recordAudit(
        trx,
        {
          actor: who.name,
          userId: who.userId,
          reviewId,
          entityType: 'plan_version',
          entityId: row.number,
          action: 'issued',
          after: {
            number: row.number,
            purpose: row.purpose,
            comment: row.comment,
            recipients: row.recipients,
            actions: frozen.actions.length,
            snapshotSha256,
          },
          requestId: who.requestId,
        },
        now,
      );
      return row;
    });
}

export async function listVersions(ctx: AppContext, who: Acting, reviewId: number): Promise<SnapshotVersionRow[]> {
  await getReview(ctx, readerOf(who), reviewId);
  return (await listVersionRows(ctx.db, reviewId)).map(versionRowOf);
}

/** The frozen plan of one version. */
export async function getVersionSnapshot(
  ctx: AppContext,
  who: Acting,
  reviewId: number,
  number: string,
): Promise<PlanSnapshot> {
  await getReview(ctx, readerOf(who), reviewId);
  const row = await findVersionSnapshot(ctx.db, reviewId, number);
  if (!row) throw new VersionNotHeld(`Review ${reviewId} has no version ${number}`);
  if (!row.snapshot)
    throw new VersionNotHeld(
      `Version ${number} was recorded before Clasp kept each version's plan, so its plan is not held`,
    );
  // A version stored by an older or newer Clasp may be in another format, so the format is checked before use.
  const stored = JSON.parse(row.snapshot) as { format: unknown };
  if (stored.format !== SNAPSHOT_FORMAT)
    throw new Error(`Version ${number} is stored in format ${String(stored.format)}, which this Clasp does not read`);
  return stored as PlanSnapshot;
}

/** The plan as it stands now, as a snapshot: read in one transaction, so all of it is of one moment. */
export async function getCurrentSnapshot(ctx: AppContext, who: Acting, reviewId: number): Promise<PlanSnapshot> {
  const now = ctx.now();
  return ctx.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute((trx) => takeSnapshot({ ...ctx, db: trx, plans: undefined }, readerOf(who), reviewId, now.toISOString()));
}

/** "now", or a version number. */
export type PlanPoint = string;

export async function snapshotAt(
  ctx: AppContext,
  who: Acting,
  reviewId: number,
  point: PlanPoint,
): Promise<PlanSnapshot> {
  return point === 'now' ? getCurrentSnapshot(ctx, who, reviewId) : getVersionSnapshot(ctx, who, reviewId, point);
}

export async function compareVersions(
  ctx: AppContext,
  who: Acting,
  reviewId: number,
  from: PlanPoint,
  to: PlanPoint,
): Promise<PlanComparison> {
  const [a, b] = [await snapshotAt(ctx, who, reviewId, from), await snapshotAt(ctx, who, reviewId, to)];
  return comparePlans(a, b);
}

/**
 * The latest frozen version issued before this point: what a board report compares with
 * ("what changed since the last board"). For now, the latest frozen version.
 */
export async function previousFrozenVersion(
  ctx: AppContext,
  who: Acting,
  reviewId: number,
  point: PlanPoint,
): Promise<PlanSnapshot | null> {
  const rows = await listVersionRows(ctx.db, reviewId);
  const end = point === 'now' ? rows.length : rows.findIndex((r) => r.number === point);
  const earlier = rows.slice(0, Math.max(0, end)).filter((r) => r.frozen);
  const last = earlier.at(-1);
  return last ? getVersionSnapshot(ctx, who, reviewId, last.number) : null;
}
