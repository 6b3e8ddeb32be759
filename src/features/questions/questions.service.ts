import type { ReviewRow } from '../../platform/db/schema.ts';
import type { Trx } from '../../platform/db/database.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { recordAudit } from '../../platform/audit.ts';
import { addDays, formatLongDate } from '../../domain/dates.ts';
import { FORUM_NAMES, type Forum } from '../../domain/meeting-records.ts';
import { canCoordinate, rolesIn, type Actor } from '../../domain/permissions.ts';
import { getReviewPlan, type ReviewPlan } from '../reviews/reviews.service.ts';
import { auditActor, requireCoordinator } from '../reviews/plan-edits.service.ts';
import {
  findQuestionRow,
  listQuestionRows,
  writeQuestionDays,
  type MeetingOption,
  type QuestionRow,
} from './questions.repository.ts';
import type { QuestionDaysCommand } from './questions.forms.ts';

/*
 * Questions from boards and scrutiny panels, answered on the record (issue 14, section 2).
 * This file reads questions and holds the review's setting; question-asking.service.ts records
 * them and question-answering.service.ts drafts and approves their responses.
 *
 * - Any member of the review, whatever their role, records a question about the review, a
 *   recommendation or an action: who asked, in which forum and meeting, on what day. An
 *   administrator acts on a plan only through a membership, as everywhere else.
 * - The organisation that answers is chosen when the question is recorded. Left unchosen, a
 *   question about an action goes to the action's first organisation (by name); any other
 *   goes to the plan coordinator (no organisation).
 * - Editors of that organisation, and the coordinator, draft the response; saving again
 *   replaces the draft, under the same stale-edit rule as every edit form (409).
 * - The coordinator approves the draft, which publishes it, dated and named. A draft is seen only
 *   by those who may draft it; everyone who reads the plan sees a published response, which is
 *   never changed afterwards: a correction is a new question.
 * - A question waits for its answer until the response is published. One waiting longer than
 *   the review's question_days (28 by default) is overdue.
 */

/** Days a question may wait for a published answer when the review does not set its own. */
export const DEFAULT_QUESTION_DAYS = 28;

export function questionDaysOf(review: Pick<ReviewRow, 'question_days'>): number {
  return review.question_days ?? DEFAULT_QUESTION_DAYS;
}

/** True when a question still unanswered on `today` has waited longer than `days` since it was asked. */
export function isOverdueForAnswer(
  question: { askedOn: string; responseStatus: 'none' | 'draft' | 'published' },
  days: number,
  today: string,
): boolean {
  return question.responseStatus !== 'published' && addDays(question.askedOn, days) < today;
}

export interface QuestionSubject {
  kind: 'review' | 'recommendation' | 'action';
  /** 'the review', 'Recommendation 2.1', 'Action 1 of recommendation 2.1' */
  label: string;
  href: string | null;
}

export interface Question {
  id: number;
  about: QuestionSubject;
  text: string;
  askedBy: string;
  forum: Forum;
  /** The meeting in words: 'Scrutiny panel, 12 January 2027', or as typed; may be empty. */
  meeting: string;
  meetingId: number | null;
  askedOn: string;
  organisationId: number | null;
  /** The organisation that answers; null when the plan coordinator does. */
  organisationName: string | null;
  recordedBy: string;
  status: 'waiting' | 'answered';
  overdue: boolean;
  /** The draft response, only for those who may draft it. */
  draft: { text: string; by: string; at: string } | null;
  /** Drafted but not yet approved, which everyone may know without seeing the draft. */
  hasDraft: boolean;
  response: { text: string; by: string; publishedOn: string; approvedBy: string } | null;
  isIllustrative: boolean;
  version: number;
  canDraft: boolean;
  canApprove: boolean;
}

/** Members of the review who may draft the response: its coordinators and the answering organisation's editors. */
export function mayAnswer(actor: Actor, reviewId: number, organisationId: number | null): boolean {
  if (canCoordinate(actor, reviewId)) return true;
  return (
    organisationId !== null &&
    actor.memberships.some((m) => m.reviewId === reviewId && m.role === 'editor' && m.organisationId === organisationId)
  );
}

function meetingWords(row: QuestionRow): string {
  if (row.meeting_id !== null && row.meeting_forum && row.meeting_starts_at) {
    const name = row.meeting_title?.trim() || FORUM_NAMES[row.meeting_forum];
    return `${name}, ${formatLongDate(row.meeting_starts_at.slice(0, 10))}`;
  }
  return row.meeting_words;
}

/** A meeting as the form lists it. */
export function meetingName(meeting: MeetingOption): string {
  return `${meeting.title.trim() || FORUM_NAMES[meeting.forum]}, ${formatLongDate(meeting.starts_at.slice(0, 10))}`;
}

function subjectOf(row: QuestionRow, labels: ReadonlyMap<number, string>): QuestionSubject {
  const base = `/reviews/${row.review_id}`;
  if (row.action_id !== null) {
    const label =
      labels.get(row.action_id) ?? `An archived action of recommendation ${row.action_recommendation_number ?? '?'}`;
    return { kind: 'action', label, href: `${base}/actions/${row.action_id}` };
  }
  if (row.recommendation_id !== null && row.recommendation_number !== null) {
    return {
      kind: 'recommendation',
      label: `Recommendation ${row.recommendation_number}`,
      href: `${base}/recommendations/${encodeURIComponent(row.recommendation_number)}`,
    };
  }
  return { kind: 'review', label: 'the review', href: null };
}

function toQuestion(
  actor: Actor,
  row: QuestionRow,
  labels: ReadonlyMap<number, string>,
  days: number,
  today: string,
): Question {
  const published = row.response_status === 'published';
  const answerer = mayAnswer(actor, row.review_id, row.organisation_id);
  return {
    id: row.id,
    about: subjectOf(row, labels),
    text: row.text,
    askedBy: row.asked_by,
    forum: row.forum,
    meeting: meetingWords(row),
    meetingId: row.meeting_id,
    askedOn: row.asked_on,
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
    recordedBy: row.recorded_by_name,
    status: published ? 'answered' : 'waiting',
    overdue: isOverdueForAnswer({ askedOn: row.asked_on, responseStatus: row.response_status }, days, today),
    draft:
      row.response_status === 'draft' && answerer
        ? { text: row.response_text, by: row.response_by_name ?? '', at: row.response_at ?? '' }
        : null,
    hasDraft: row.response_status === 'draft',
    response: published
      ? {
          text: row.response_text,
          by: row.response_by_name ?? '',
          publishedOn: row.published_on ?? '',
          approvedBy: row.approved_by_name ?? '',
        }
      : null,
    isIllustrative: row.is_illustrative === 1,
    version: row.version,
    canDraft: !published && answerer,
    canApprove: row.response_status === 'draft' && canCoordinate(actor, row.review_id),
  };
}

export interface QuestionsList {
  plan: ReviewPlan;
  review: ReviewRow;
  questions: Question[];
  /** Days a question may wait for its answer in this review. */
  questionDays: number;
  /** The day "overdue" is judged on: the review's assessment date, else today. */
  today: string;
  canAsk: boolean;
  canCoordinate: boolean;
}

/** Anyone with a role in the review; an administrator reads it but does not act in it. */
export function isMember(actor: Actor, reviewId: number): boolean {
  return rolesIn(actor, reviewId).size > 0;
}

/** A review's questions as this person may see them, the latest asked first. */
export async function listQuestions(ctx: AppContextLike, actor: Actor, reviewId: number): Promise<QuestionsList> {
  const plan = await getReviewPlan(ctx, actor, reviewId);
  return questionsOfPlan(ctx, actor, plan);
}

export type AppContextLike = Parameters<typeof getReviewPlan>[0];

/** 'Action 2 of recommendation 1.1' by action id, for the plan's live actions. */
export function labelsOf(plan: ReviewPlan): Map<number, string> {
  return new Map([...plan.analysis.actionStatus].map(([id, status]) => [id, status.label]));
}

async function questionsOfPlan(ctx: AppContextLike, actor: Actor, plan: ReviewPlan): Promise<QuestionsList> {
  const { review } = plan;
  const labels = labelsOf(plan);
  const days = questionDaysOf(review);
  const today = plan.options.today;
  const rows = await listQuestionRows(ctx.db, review.id);
  return {
    plan,
    review,
    questions: rows.map((row) => toQuestion(actor, row, labels, days, today)),
    questionDays: days,
    today,
    canAsk: isMember(actor, review.id),
    canCoordinate: canCoordinate(actor, review.id),
  };
}

export interface QuestionPage {
  review: ReviewRow;
  question: Question;
}

/** One question of a review: 404 to people outside the review and for a question of another review. */
export async function getQuestion(
  ctx: AppContextLike,
  actor: Actor,
  reviewId: number,
  questionId: number,
): Promise<QuestionPage> {
  const plan = await getReviewPlan(ctx, actor, reviewId);
  const row = await findQuestionRow(ctx.db, reviewId, questionId);
  if (!row) throw new NotFoundError(`Review ${reviewId} has no question ${questionId}`);
  const question = toQuestion(actor, row, labelsOf(plan), questionDaysOf(plan.review), plan.options.today);
  return { review: plan.review, question };
}

/* The review's setting */

/** The review, if this person may change its questions setting: the coordinator only. */
export async function maySetQuestionDays(ctx: AppContextLike, actor: Actor, reviewId: number): Promise<ReviewRow> {
  return requireCoordinator(ctx, actor, reviewId);
}

/** Sets how many days a question may wait for its answer before it is overdue: the coordinator only. */
export async function setQuestionDays(
  ctx: AppContextLike,
  actor: Actor,
  reviewId: number,
  command: QuestionDaysCommand,
): Promise<void> {
  const review = await maySetQuestionDays(ctx, actor, reviewId);
  const before = questionDaysOf(review);
  if (before === command.questionDays && review.question_days !== null) return;
  const time = ctx.now();
  await ctx.db.transaction().execute(async (trx: Trx) => {
    await writeQuestionDays(trx, reviewId, command.questionDays);
    await recordAudit(
      trx,
      {
        ...auditActor(actor),
        reviewId,
        entityType: 'review',
        entityId: reviewId,
        action: 'question days set',
        before: { questionDays: review.question_days },
        after: { questionDays: command.questionDays },
      },
      time,
    );
  });
}
