import type { ReviewRow } from '../../platform/db/schema.ts';
import type { Trx } from '../../platform/db/database.ts';
import { ForbiddenError } from '../../platform/auth/plugin.ts';
import { recordAudit } from '../../platform/audit.ts';
import type { Actor } from '../../domain/permissions.ts';
import { getReviewPlan, planOfReview } from '../reviews/reviews.service.ts';
import { auditActor, organisationChoices, type OrganisationOption } from '../reviews/plan-edits.service.ts';
import { insertQuestion, listMeetingOptions, type MeetingOption } from './questions.repository.ts';
import type { AboutChoice, AskQuestionCommand, AskRules } from './questions.forms.ts';
import { isMember, labelsOf, meetingName, type AppContextLike } from './questions.service.ts';

/*
 * Recording a question (see questions.service.ts for the rules): the form's choices and checks,
 * and the write with its audit event.
 */

export interface AskOptions {
  review: ReviewRow;
  subjects: { value: string; text: string }[];
  meetings: (MeetingOption & { name: string })[];
  organisations: OrganisationOption[];
  rules: AskRules;
}

/**
 * What the question form offers and checks, if this person may record a question: 403 to
 * administrators without a role in the review.
 */
export async function askOptions(ctx: AppContextLike, actor: Actor, reviewId: number): Promise<AskOptions> {
  const plan = await getReviewPlan(ctx, actor, reviewId);
  if (!isMember(actor, reviewId)) {
    throw new ForbiddenError('Only members of this review can record a question about it.');
  }
  const labels = labelsOf(plan);
  const [meetings, organisations] = await Promise.all([
    listMeetingOptions(ctx.db, reviewId),
    organisationChoices(ctx.db, reviewId),
  ]);
  const recommendationIds = new Set(plan.state.recommendations.map((r) => r.id));
  const actionIds = new Set(plan.state.actions.map((a) => a.id));
  const organisationIds = new Set(organisations.map((o) => o.id));
  const subjects = [{ value: 'review', text: 'The review as a whole' }];
  for (const recommendation of plan.state.recommendations) {
    subjects.push({ value: `recommendation:${recommendation.id}`, text: `Recommendation ${recommendation.number}` });
    for (const action of plan.state.actions.filter((a) => a.recommendation_id === recommendation.id)) {
      subjects.push({ value: `action:${action.id}`, text: labels.get(action.id) ?? '' });
    }
  }
  return {
    review: plan.review,
    subjects,
    meetings: meetings.map((m) => ({ ...m, name: meetingName(m) })),
    organisations,
    rules: {
      today: ctx.today(),
      isSubject: (about: AboutChoice) =>
        about.kind === 'review' ||
        (about.kind === 'recommendation' ? recommendationIds.has(about.id) : actionIds.has(about.id)),
      meetings: new Map(meetings.map((m) => [m.id, m.forum])),
      isOrganisation: (id: number) => organisationIds.has(id),
    },
  };
}

/** The organisation that answers when none was chosen: an action's first organisation by name, else none. */
async function defaultAnswerer(ctx: AppContextLike, review: ReviewRow, about: AboutChoice): Promise<number | null> {
  if (about.kind !== 'action') return null;
  const { state } = await planOfReview(ctx, review);
  const action = state.actions.find((a) => a.id === about.id);
  if (!action) return null;
  // The plan's organisations are in order of name.
  return state.organisations.find((o) => action.organisationIds.includes(o.id))?.id ?? null;
}

/** Records a question and its audit event; the command was checked against askOptions' rules. */
export async function askQuestion(
  ctx: AppContextLike,
  actor: Actor,
  reviewId: number,
  command: AskQuestionCommand,
): Promise<{ questionId: number }> {
  const { review } = await askOptions(ctx, actor, reviewId);
  const organisationId =
    command.organisationId.kind === 'organisation'
      ? command.organisationId.id
      : command.organisationId.kind === 'coordinator'
        ? null
        : await defaultAnswerer(ctx, review, command.about);
  const about = command.about;
  const recommendationId = about.kind === 'recommendation' ? about.id : null;
  const actionId = about.kind === 'action' ? about.id : null;
  const time = ctx.now();
  const values = {
    reviewId,
    recommendationId,
    actionId,
    text: command.text,
    askedBy: command.askedBy,
    forum: command.forum,
    meetingId: command.meetingId,
    // A meeting chosen from the list names itself; typed words are kept only without one.
    meetingWords: command.meetingId === null ? command.meetingWords : '',
    askedOn: command.askedOn,
    organisationId,
    recordedByUserId: actor.userId,
    recordedByName: actor.name,
  };
  const questionId = await ctx.db.transaction().execute(async (trx: Trx) => {
    const id = await insertQuestion(trx, values, time.toISOString());
    await recordAudit(
      trx,
      {
        ...auditActor(actor),
        reviewId,
        actionId,
        organisationId,
        entityType: 'question',
        entityId: id,
        action: 'created',
        after: {
          text: values.text,
          askedBy: values.askedBy,
          forum: values.forum,
          meetingId: values.meetingId,
          meetingWords: values.meetingWords,
          askedOn: values.askedOn,
          recommendationId,
          actionId,
          organisationId,
          version: 1,
        },
      },
      time,
    );
    return id;
  });
  return { questionId };
}
