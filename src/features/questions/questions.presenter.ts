import type { RefusedForm } from '../../platform/http/form-replies.ts';
import { formValues } from '../../platform/http/form-pages.ts';
import { reviewCrumbs, reviewPath } from '../../platform/review-paths.ts';
import { formatLongDate } from '../../domain/dates.ts';
import { FORUM_NAMES, FORUMS, type Forum } from '../../domain/meeting-records.ts';
import { plural } from '../../domain/words.ts';
import type { AskOptions } from './question-asking.service.ts';
import type { Question, QuestionPage, QuestionsList } from './questions.service.ts';

/* Questions -> what the questions pages, their forms and the CSV show. */

export const COORDINATOR_ANSWERS = 'The plan coordinator';

export const questionsHref = (reviewId: number) => `${reviewPath(reviewId)}/questions`;
export const questionHref = (reviewId: number, questionId: number) => `${questionsHref(reviewId)}/${questionId}`;

/** The forum a list is filtered by, from the query string: anything unknown is no filter. */
export function forumFilter(value: string | undefined): Forum | null {
  return FORUMS.find((f) => f === value) ?? null;
}

function presentItem(reviewId: number, q: Question) {
  return {
    id: q.id,
    href: questionHref(reviewId, q.id),
    text: q.text,
    askedBy: q.askedBy,
    askedOn: formatLongDate(q.askedOn),
    forum: FORUM_NAMES[q.forum],
    meeting: q.meeting,
    about: q.about,
    answerer: q.organisationName ?? COORDINATOR_ANSWERS,
    /** As the middle of a sentence says it: 'Answered by the plan coordinator.' */
    answererInSentence: q.organisationName ?? COORDINATOR_ANSWERS.toLowerCase(),
    overdue: q.overdue,
    hasDraft: q.hasDraft,
    response: q.response && {
      text: q.response.text,
      publishedOn: formatLongDate(q.response.publishedOn),
      approvedBy: q.response.approvedBy,
    },
    isIllustrative: q.isIllustrative,
  };
}

export function presentQuestionsList(list: QuestionsList, forum: Forum | null, refused: RefusedForm | null) {
  const { review } = list;
  const shown = list.questions.filter((q) => forum === null || q.forum === forum);
  const waiting = shown.filter((q) => q.status === 'waiting').map((q) => presentItem(review.id, q));
  const answered = shown.filter((q) => q.status === 'answered').map((q) => presentItem(review.id, q));
  const overdue = waiting.filter((q) => q.overdue).length;
  const base = questionsHref(review.id);
  const settings = formValues(refused, { questionDays: list.questionDays }, null);
  return {
    heading: 'Questions from boards and scrutiny',
    area: review.area,
    breadcrumbs: reviewCrumbs(review),
    noticeText: review.illustrative_notice,
    waiting,
    answered,
    total: list.questions.length,
    summary:
      `${plural(waiting.length, 'question')} waiting for an answer` +
      (overdue ? ` (${plural(overdue, 'question')} overdue)` : '') +
      `, ${plural(answered.length, 'question')} answered.`,
    questionDays: list.questionDays,
    asOf: formatLongDate(list.today),
    forum: forum ?? '',
    forumName: forum ? FORUM_NAMES[forum] : null,
    forumItems: [
      { value: '', text: 'All forums', selected: forum === null },
      ...FORUMS.map((f) => ({ value: f, text: FORUM_NAMES[f], selected: f === forum })),
    ],
    filterAction: base,
    csvHref: forum ? `${base}.csv?forum=${forum}` : `${base}.csv`,
    askHref: list.canAsk ? `${base}/new` : null,
    canCoordinate: list.canCoordinate,
    settingsAction: `${base}/settings`,
    fields: settings.fields,
  };
}

export function presentQuestion(
  page: QuestionPage,
  refused: RefusedForm | null,
  which: 'response' | 'approval' | null,
) {
  const { review, question: q } = page;
  const href = questionHref(review.id, q.id);
  const draftFields = which === 'response' && refused ? refused.fields : { response: q.draft?.text ?? '' };
  return {
    heading: `Question ${q.id}`,
    area: review.area,
    breadcrumbs: [...reviewCrumbs(review), { text: 'Questions', href: questionsHref(review.id) }],
    noticeText: review.illustrative_notice,
    question: {
      ...presentItem(review.id, q),
      recordedBy: q.recordedBy,
      organisationAnswers: q.organisationId !== null,
      status: q.status,
      draft: q.draft && {
        text: q.draft.text,
        by: q.draft.by,
        on: q.draft.at ? formatLongDate(q.draft.at.slice(0, 10)) : '',
      },
      responseBy: q.response?.by ?? '',
    },
    canDraft: q.canDraft,
    canApprove: q.canApprove,
    version: which && refused?.failure.stale ? refused.failure.stale.version : q.version,
    responseAction: `${href}/response`,
    approvalAction: `${href}/approval`,
    draftFields,
    which,
    listHref: questionsHref(review.id),
  };
}

export function presentAskForm(options: AskOptions, refused: RefusedForm | null, about: string | undefined) {
  const { review } = options;
  const { fields } = formValues(
    refused,
    { about: options.subjects.some((s) => s.value === about) ? (about ?? 'review') : 'review' },
    null,
    ['askedOn'],
  );
  const chosen = (name: string, value: string) => (fields[name] ?? '') === value;
  return {
    heading: 'Ask a question',
    area: review.area,
    breadcrumbs: [...reviewCrumbs(review), { text: 'Questions', href: questionsHref(review.id) }],
    formAction: `${questionsHref(review.id)}/new`,
    cancelHref: questionsHref(review.id),
    fields,
    subjectItems: options.subjects.map((s) => ({ value: s.value, text: s.text, selected: chosen('about', s.value) })),
    forumItems: FORUMS.map((f) => ({ value: f, text: FORUM_NAMES[f], checked: chosen('forum', f) })),
    meetingItems: [
      { value: '', text: 'Not one of these', selected: chosen('meetingId', '') },
      ...options.meetings.map((m) => ({
        value: String(m.id),
        text: m.name,
        selected: chosen('meetingId', String(m.id)),
      })),
    ],
    hasMeetings: options.meetings.length > 0,
    organisationItems: [
      { value: '', text: 'Not chosen', selected: chosen('organisationId', '') },
      { value: 'coordinator', text: COORDINATOR_ANSWERS, selected: chosen('organisationId', 'coordinator') },
      ...options.organisations.map((o) => ({
        value: String(o.id),
        text: o.name,
        selected: chosen('organisationId', String(o.id)),
      })),
    ],
  };
}

/** One row per question for the CSV: published responses only, as every reader of the plan sees them. */
export function questionsCsvRecords(list: QuestionsList, forum: Forum | null): string[][] {
  const header = [
    'Question',
    'About',
    'Asked by',
    'Forum',
    'Meeting',
    'Asked on',
    'Answered by',
    'Status',
    'Response',
    'Published on',
    'Approved by',
  ];
  const rows = list.questions
    .filter((q) => forum === null || q.forum === forum)
    .map((q) => [
      q.text,
      q.about.label,
      q.askedBy,
      FORUM_NAMES[q.forum],
      q.meeting,
      q.askedOn,
      q.organisationName ?? COORDINATOR_ANSWERS,
      q.response ? 'Answered' : q.overdue ? 'Overdue for an answer' : 'Waiting for an answer',
      q.response?.text ?? '',
      q.response?.publishedOn ?? '',
      q.response?.approvedBy ?? '',
    ]);
  return [header, ...rows];
}

/** A question as the API answers it. */
export function questionJson(reviewId: number, q: Question) {
  return {
    id: q.id,
    href: questionHref(reviewId, q.id),
    about: q.about,
    text: q.text,
    askedBy: q.askedBy,
    forum: q.forum,
    meeting: q.meeting,
    meetingId: q.meetingId,
    askedOn: q.askedOn,
    organisationId: q.organisationId,
    answeredBy: q.organisationName ?? COORDINATOR_ANSWERS,
    recordedBy: q.recordedBy,
    status: q.status,
    overdue: q.overdue,
    hasDraft: q.hasDraft,
    draft: q.draft,
    response: q.response,
    isIllustrative: q.isIllustrative,
    version: q.version,
    canDraft: q.canDraft,
    canApprove: q.canApprove,
  };
}
