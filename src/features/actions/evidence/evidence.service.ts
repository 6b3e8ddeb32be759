import { createHash } from 'node:crypto';
import type { EvidenceKind } from '../../../platform/db/schema.ts';
import type { Trx } from '../../../platform/db/database.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { failpoint } from '../../../platform/failpoints.ts';
import { NotFoundError } from '../../../platform/http/errors.ts';
import type { UploadedFile } from '../../../platform/http/form-bodies.ts';
import { checkUpload, UploadRejected } from '../../../platform/uploads/file-check.ts';
import { virusProblem } from '../../../platform/uploads/virus-scan.ts';
import type { Actor } from '../../../domain/permissions.ts';
import type { AppContext } from '../../context.ts';
import { getActionAccess, type ActionAccess } from '../actions.service.ts';
import { getReview } from '../../reviews/reviews.service.ts';
import { findBlobContent, findEvidence, insertBlobIfAbsent, insertEvidenceItem } from './evidence.repository.ts';
import type { CheckedEvidenceFile, EvidenceCommand, EvidenceRules } from './evidence.forms.ts';
import { actingOrganisation, requireEditor } from '../assurance.policy.ts';

/** '25 MB': the upload limit as the form's hint and messages give it. */
export function uploadLimitText(limitBytes: number): string {
  const megabytes = limitBytes / (1024 * 1024);
  if (megabytes >= 1) return `${Math.floor(megabytes * 10) / 10} MB`;
  if (limitBytes >= 1024) return `${Math.floor(limitBytes / 1024)} KB`;
  return `${limitBytes} bytes`;
}

/** An uploaded file that passed the content check, with its bytes: the form that takes it defines it. */
export type { CheckedEvidenceFile } from './evidence.forms.ts';

/** The content check as a form's rule: the checked file, or the message saying what is wrong. */
export function evidenceFileRule(ctx: AppContext) {
  return async (file: UploadedFile): Promise<CheckedEvidenceFile | string> => {
    const limitBytes = ctx.config.uploadLimitBytes;
    // A file over the limit arrives cut short at the limit: judge it by what was sent.
    if (file.truncated) return `The selected file must be smaller than ${uploadLimitText(limitBytes)}`;
    try {
      const checked = await checkUpload({ bytes: file.bytes, fileName: file.fileName, limitBytes });
      const virus = await virusProblem(ctx.config, file.bytes);
      return virus ?? { checked, bytes: file.bytes };
    } catch (error) {
      if (!(error instanceof UploadRejected)) throw error;
      return error.message;
    }
  };
}

export interface NewEvidence {
  kind: EvidenceKind;
  title: string;
  effectiveOn: string;
  periodStart: string | null;
  url: string | null;
  note: string | null;
  file: CheckedEvidenceFile | null;
  progressUpdateId: number | null;
}

/**
 * Writes an evidence item, its file content (once per SHA-256) and the audit event, inside
 * the caller's transaction.
 */
export async function storeEvidence(
  trx: Trx,
  actor: Actor,
  access: ActionAccess,
  item: NewEvidence,
  now: Date,
): Promise<number> {
  const at = now.toISOString();
  let sha256: string | null = null;
  if (item.file) {
    sha256 = createHash('sha256').update(item.file.bytes).digest('hex');
    await insertBlobIfAbsent(trx, { sha256, content: item.file.bytes, createdAt: at });
    await failpoint('evidence-upload');
  }
  const row = {
    review_id: access.review.id,
    action_id: access.action.id,
    kind: item.kind,
    title: item.title,
    effective_on: item.effectiveOn,
    period_start: item.periodStart,
    blob_sha256: sha256,
    file_name: item.file?.checked.fileName ?? null,
    media_type: item.file?.checked.mediaType ?? null,
    size: item.file?.bytes.byteLength ?? null,
    url: item.url,
    note: item.note,
    status: 'submitted' as const,
    status_reason: null,
    status_by_name: null,
    status_at: null,
    added_by_user_id: actor.userId,
    added_by_name: actor.name,
    is_illustrative: 0,
    created_at: at,
    progress_update_id: item.progressUpdateId,
  };
  const id = await insertEvidenceItem(trx, row);
  const {
    review_id: _review,
    action_id: _action,
    added_by_user_id: _by,
    is_illustrative: _illustrative,
    ...after
  } = row;
  await recordAudit(
    trx,
    {
      actor: actor.name,
      userId: actor.userId,
      organisationId: actingOrganisation(actor, access, 'editor'),
      reviewId: access.review.id,
      actionId: access.action.id,
      entityType: 'evidence_item',
      entityId: id,
      action: 'created',
      after,
      requestId: actor.requestId ?? null,
    },
    now,
  );
  return id;
}

/** The action evidence is being added to, if this person may add to it. */
export async function getEvidenceFormAccess(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  actionId: number,
): Promise<ActionAccess> {
  const access = await getActionAccess(ctx, actor, reviewId, actionId);
  requireEditor(access);
  return access;
}

/** What the evidence form of this action is checked against. */
export async function evidenceRules(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  actionId: number,
): Promise<EvidenceRules> {
  await getEvidenceFormAccess(ctx, actor, reviewId, actionId);
  return { today: ctx.today(), checkFile: evidenceFileRule(ctx) };
}

/** Adds one item of evidence (a file, a link or a note) to an action, as submitted for the group to decide on. */
export async function addEvidence(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  actionId: number,
  item: EvidenceCommand,
): Promise<number> {
  const access = await getEvidenceFormAccess(ctx, actor, reviewId, actionId);
  const now = ctx.now();
  return ctx.db
    .transaction()
    .execute((trx) => storeEvidence(trx, actor, access, { ...item, progressUpdateId: null }, now));
}

export interface EvidenceFile {
  fileName: string;
  mediaType: string;
  content: Buffer;
}

/** A file of evidence, for anyone who can read its review; other reviews' evidence is not found. */
export async function getEvidenceFile(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  evidenceId: number,
): Promise<EvidenceFile> {
  await getReview(ctx, actor, reviewId);
  const evidence = await findEvidence(ctx.db, reviewId, evidenceId);
  const content =
    evidence?.kind === 'file' && evidence.blob_sha256 ? await findBlobContent(ctx.db, evidence.blob_sha256) : undefined;
  if (!evidence || !content) throw new NotFoundError(`Review ${reviewId} has no evidence file ${evidenceId}`);
  return {
    fileName: evidence.file_name ?? 'evidence',
    mediaType: evidence.media_type ?? 'application/octet-stream',
    content,
  };
}
