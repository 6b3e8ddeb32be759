import { createHash } from 'node:crypto';
import type { EvidenceKind } from '../../../platform/db/schema.ts';
import type { Trx } from '../../../platform/db/database.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { NotFoundError } from '../../../platform/http/errors.ts';
import { type UploadedFile } from '../../../platform/http/form-bodies.ts';
import type { FormErrors } from '../../../platform/forms.ts';
import { checkUpload, UploadRejected, type CheckedFile } from '../../../platform/uploads/file-check.ts';
import type { Actor } from '../../../domain/permissions.ts';
import type { AppContext } from '../../context.ts';
import { getActionAccess, type ActionAccess } from '../actions.service.ts';
import { getReview } from '../../reviews/reviews.service.ts';
import { findBlobContent, findEvidence, insertBlobIfAbsent, insertEvidenceItem } from './evidence.repository.ts';
import { ValidationFailed } from '../assurance.forms.ts';
import type { EvidenceDraft } from './evidence.forms.ts';
import { actingOrganisation, requireEditor } from '../assurance.policy.ts';

/** '25 MB': the upload limit as the form's hint and messages give it. */
export function uploadLimitText(limitBytes: number): string {
  const megabytes = limitBytes / (1024 * 1024);
  if (megabytes >= 1) return `${Math.floor(megabytes * 10) / 10} MB`;
  if (limitBytes >= 1024) return `${Math.floor(limitBytes / 1024)} KB`;
  return `${limitBytes} bytes`;
}

/**
 * Checks an uploaded file by its content (src/platform/uploads/file-check.ts); a problem
 * becomes the field's message, as the check words it.
 */
export async function checkEvidenceFile(
  ctx: AppContext,
  file: UploadedFile,
  errors: FormErrors,
  field: string,
): Promise<CheckedFile | null> {
  const limitBytes = ctx.config.uploadLimitBytes;
  // A file over the limit arrives cut short at the limit: judge it by what was sent.
  if (file.truncated) {
    errors.add(field, `The selected file must be smaller than ${uploadLimitText(limitBytes)}`);
    return null;
  }
  try {
    return await checkUpload({ bytes: file.bytes, fileName: file.fileName, limitBytes });
  } catch (error) {
    if (!(error instanceof UploadRejected)) throw error;
    errors.add(field, error.message);
    return null;
  }
}

/** A web address evidence may link to: http or https only, so a link can never run script. */
export function checkWebAddress(url: string, errors: FormErrors, field: string): string | null {
  if (!url) {
    errors.add(field, 'Enter the web address of the evidence');
    return null;
  }
  const parsed = URL.canParse(url) ? new URL(url) : null;
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || !parsed.hostname) {
    errors.add(
      field,
      'Enter a web address that starts with https:// or http://, like https://www.example.nhs.uk/audit-report',
    );
    return null;
  }
  return parsed.href;
}

/** An uploaded file that passed the content check, with its bytes. */
export interface CheckedEvidenceFile {
  checked: CheckedFile;
  bytes: Buffer;
}

/** The content check as a form's rule: the checked file, or the message saying what is wrong. */
export function evidenceFileRule(ctx: AppContext) {
  return async (file: UploadedFile): Promise<CheckedEvidenceFile | string> => {
    const limitBytes = ctx.config.uploadLimitBytes;
    // A file over the limit arrives cut short at the limit: judge it by what was sent.
    if (file.truncated) return `The selected file must be smaller than ${uploadLimitText(limitBytes)}`;
    try {
      return {
        checked: await checkUpload({ bytes: file.bytes, fileName: file.fileName, limitBytes }),
        bytes: file.bytes,
      };
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

const KINDS: readonly EvidenceKind[] = ['file', 'link', 'note'];

/** Adds one item of evidence (a file, a link or a note) to an action, as submitted for the group to decide on. */
export async function addEvidence(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  actionId: number,
  draft: EvidenceDraft,
  errors: FormErrors,
): Promise<number> {
  const access = await getEvidenceFormAccess(ctx, actor, reviewId, actionId);
  const kind = KINDS.find((k) => k === draft.kind);
  if (!kind) errors.add('kind', 'Select whether the evidence is a file, a link or a note');
  let file: NewEvidence['file'] = null;
  let url: string | null = null;
  if (kind === 'file') {
    if (!draft.file) errors.add('file', 'Select a file to upload');
    else {
      const checked = await checkEvidenceFile(ctx, draft.file, errors, 'file');
      if (checked) file = { checked, bytes: draft.file.bytes };
    }
  }
  if (kind === 'link') url = checkWebAddress(draft.url, errors, 'url');
  if (kind === 'note' && !draft.note) errors.add('note', 'Enter the note');
  const end = draft.effectiveOn.iso;
  const start = draft.periodStart.iso;
  if (end && start && start > end) {
    errors.add('periodStart', 'The first day of the period must be on or before the date the evidence is from');
  }
  if (errors.any || !kind || !end) throw new ValidationFailed(errors);
  const now = ctx.now();
  return ctx.db.transaction().execute((trx) =>
    storeEvidence(
      trx,
      actor,
      access,
      {
        kind,
        title: draft.title,
        effectiveOn: end,
        periodStart: start && start !== end ? start : null,
        url,
        note: kind === 'note' ? draft.note : null,
        file,
        progressUpdateId: null,
      },
      now,
    ),
  );
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
