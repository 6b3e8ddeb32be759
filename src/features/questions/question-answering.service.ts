import type { Trx } from '../../platform/db/database.ts';
import { ForbiddenError } from '../../platform/auth/plugin.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { recordAudit } from '../../platform/audit.ts';
import { FormInvalid } from '../../platform/form-schema.ts';
import { FormErrors } from '../../platform/forms.ts';
import { canCoordinate, type Actor } from '../../domain/permissions.ts';
import { auditActor, describeStaleEdit } from '../reviews/plan-edits.service.ts';
import { findQuestionRow, writeDraftResponse, writePublication, type QuestionRow } from './questions.repository.ts';
import type { ApproveResponseCommand, DraftResponseCommand } from './questions.forms.ts';
import { getQuestion, mayAnswer, type AppContextLike } from './questions.service.ts';

/*
 * Drafting and approving a question's response (see questions.service.ts for the rules). Each
 * save reads the question again in its transaction: a form opened on an older version is
 * refused with what changed (409), and a published response is never written again.
 */

const RESPONSE_FIELDS = [{ key: 'response', label: 'Response' }] as const;

/** The question, if this person may draft its response: 403 for everyone but its answerers. */
export async function mayDraft(ctx: AppContextLike, actor: Actor, reviewId: number, questionId: number) {
  const page = await getQuestion(ctx, actor, reviewId, questionId);
  if (!mayAnswer(actor, reviewId, page.question.organisationId)) {
    throw new ForbiddenError(
      'Only the plan coordinator and editors of the organisation that answers can draft the response.',
    );
  }
  return page;
}

/** The question, if this person may approve its response: the coordinator only. */
export async function mayApprove(ctx: AppContextLike, actor: Actor, reviewId: number, questionId: number) {
  const page = await getQuestion(ctx, actor, reviewId, questionId);
  if (!canCoordinate(actor, reviewId)) throw new ForbiddenError('Only the plan coordinator can approve a response.');
  return page;
}

function publishedRefusal(field: string): FormInvalid {
  return FormInvalid.of(
    field,
    'This response is published and cannot be changed. To correct it, record a new question.',
    409,
  );
}

/** Reads the question in the transaction and refuses a form opened on an older version, saying what changed. */
async function currentForWrite(
  trx: Trx,
  reviewId: number,
  questionId: number,
  opened: number | null,
  yours: string | null,
): Promise<QuestionRow> {
  if (opened === null) throw FormInvalid.of('version', 'Send the version of the question you are changing');
  const row = await findQuestionRow(trx, reviewId, questionId);
  if (!row) throw new NotFoundError();
  if (row.response_status === 'published') throw publishedRefusal(yours === null ? 'version' : 'response');
  if (row.version !== opened) {
    const stale = await describeStaleEdit(
      trx,
      { entityType: 'question', entityId: questionId, what: 'question', reviewId },
      opened,
      { version: row.version, snapshot: { response: row.response_text } },
      { response: yours ?? row.response_text },
      RESPONSE_FIELDS,
    );
    throw new FormInvalid(new FormErrors(), { stale });
  }
  return row;
}

/** Audits a change to the question's response, in the transaction that makes it. */
async function auditResponse(
  trx: Trx,
  actor: Actor,
  row: QuestionRow,
  change: { action: string; before: unknown; after: unknown },
  time: Date,
): Promise<void> {
  await recordAudit(
    trx,
    {
      ...auditActor(actor),
      reviewId: row.review_id,
      actionId: row.action_id,
      organisationId: row.organisation_id,
      entityType: 'question',
      entityId: row.id,
      ...change,
    },
    time,
  );
}

/** Saves the draft response, replacing any earlier draft, with its audit event. */
export async function draftResponse(
  ctx: AppContextLike,
  actor: Actor,
  reviewId: number,
  questionId: number,
  command: DraftResponseCommand,
): Promise<{ version: number }> {
  await mayDraft(ctx, actor, reviewId, questionId);
  const time = ctx.now();
  const now = time.toISOString();
  return ctx.db.transaction().execute(async (trx: Trx) => {
    const row = await currentForWrite(trx, reviewId, questionId, command.version, command.response);
    const draft = { text: command.response, userId: actor.userId, name: actor.name };
    if (!(await writeDraftResponse(trx, questionId, row.version, draft, now))) {
      throw FormInvalid.of('version', 'The question changed while you were saving: open it again', 409);
    }
    await auditResponse(
      trx,
      actor,
      row,
      {
        action: 'response drafted',
        before: { response: row.response_text, version: row.version },
        after: { response: command.response, version: row.version + 1 },
      },
      time,
    );
    return { version: row.version + 1 };
  });
}

/** Approves the draft response as it stands, which publishes it dated today, with its audit event. */
export async function approveResponse(
  ctx: AppContextLike,
  actor: Actor,
  reviewId: number,
  questionId: number,
  command: ApproveResponseCommand,
): Promise<{ version: number; publishedOn: string }> {
  await mayApprove(ctx, actor, reviewId, questionId);
  const time = ctx.now();
  const publishedOn = ctx.today();
  return ctx.db.transaction().execute(async (trx: Trx) => {
    const row = await currentForWrite(trx, reviewId, questionId, command.version, null);
    if (row.response_status !== 'draft') {
      throw FormInvalid.of('version', 'There is no draft response to approve yet: draft one first');
    }
    const approval = { userId: actor.userId, name: actor.name, publishedOn };
    if (!(await writePublication(trx, questionId, row.version, approval, time.toISOString()))) {
      throw FormInvalid.of('version', 'The question changed while you were approving: open it again', 409);
    }
    await auditResponse(
      trx,
      actor,
      row,
      {
        action: 'response published',
        before: { status: 'draft', version: row.version },
        after: { status: 'published', response: row.response_text, publishedOn, version: row.version + 1 },
      },
      time,
    );
    return { version: row.version + 1, publishedOn };
  });
}
