// The exceptions a plan coordinator must chase. Each kind is a question a scrutiny panel
// has actually asked (DOMAIN.md, "What goes wrong today", Rutland 2021): overdue, stale
// ("How can the RAG rating be green when last updated in 2019?"), unevidenced ("Green
// appears to be the default RAG rating … not supported by substantive evidence"), disputed,
// awaiting a decision (a proposal the peer challenge group has not yet looked at),
// not SMART, uncovered organisations ("'this action is for the CCG'"), and concerns that no
// recommendation answers. Issue 14 adds completed actions whose assurance lapsed (or that set
// no day for fresh evidence), assignments an organisation disputed or left unanswered, and
// board or scrutiny questions left without a published response.
import { addDays, daysBetween, formatLongDate, parseIsoDate, requireIsoDate } from './dates.ts';
import { lastingAssurance } from './lasting-assurance.ts';
import {
  currentRating,
  isComplete,
  RATING_NAMES,
  shownRating,
  type RatingHistoryEntry,
  type RatingScale,
} from './ratings.ts';
import { checkSmart } from './smart.ts';
import { plural } from './words.ts';

/** Days without progress after which an unfinished action is stale, unless told otherwise. */
export const DEFAULT_STALE_DAYS = 90;

export const EXCEPTION_KINDS = [
  'overdue',
  'stale',
  'unevidenced',
  'disputed',
  'awaiting_decision',
  'revised_date_proposed',
  'assurance_lapsed',
  'assignment_disputed',
  'assignment_unaccepted',
  'question_unanswered',
  'not_smart',
  'uncovered_organisation',
  'concern_without_recommendation',
  'no_reassurance_date',
] as const;
export type ExceptionKind = (typeof EXCEPTION_KINDS)[number];

/** What an exception is about; a question may be about a recommendation or the whole review. */
export const EXCEPTION_SUBJECT_TYPES = ['action', 'organisation', 'finding', 'recommendation', 'review'] as const;
export type ExceptionSubjectType = (typeof EXCEPTION_SUBJECT_TYPES)[number];

export type PlanException = {
  kind: ExceptionKind;
  subject: { type: ExceptionSubjectType; id: string; label: string };
  recommendationId?: string;
  /** One plain-English sentence with the concrete facts. */
  reason: string;
  /**
   * Whose it is: an action's organisations, the organisation left uncovered, none for a
   * finding. findExceptions always sets it; optional so that exceptions made elsewhere
   * (tests of other rules) need not.
   */
  organisationIds?: string[];
  /** An action's lead as the plan words it (spaces tidied); absent for organisations and findings. */
  lead?: string;
};

/**
 * What needs chasing (someone owes an update, evidence or a decision) and what is missing from
 * the plan itself (a drafting gap the coordinator closes by editing the plan). The issue asks
 * for the two apart: chasing is the month's work, gaps are the plan's structure.
 */
export const EXCEPTION_SECTIONS = {
  chasing: [
    'overdue',
    'stale',
    'unevidenced',
    'disputed',
    'awaiting_decision',
    'revised_date_proposed',
    'assurance_lapsed',
    'assignment_disputed',
    'assignment_unaccepted',
    'question_unanswered',
  ],
  gaps: ['not_smart', 'uncovered_organisation', 'concern_without_recommendation', 'no_reassurance_date'],
} as const satisfies Record<string, readonly ExceptionKind[]>;
export type ExceptionSection = keyof typeof EXCEPTION_SECTIONS;

export const EXCEPTION_SECTION_HEADINGS: Readonly<Record<ExceptionSection, string>> = {
  chasing: 'Needs chasing',
  gaps: 'Gaps in the plan',
};

export function exceptionSection(kind: ExceptionKind): ExceptionSection {
  return (EXCEPTION_SECTIONS.chasing as readonly ExceptionKind[]).includes(kind) ? 'chasing' : 'gaps';
}

/** A lead as people compare it: outer spaces dropped and runs of spaces made one. */
export function leadKey(lead: string): string {
  return lead.trim().replace(/\s+/g, ' ');
}

/** Each filter narrows the list; one left out (undefined) lets everything through. */
export interface ExceptionFilter {
  kind?: ExceptionKind;
  organisationId?: string;
  /** Compared after tidying spaces (leadKey). */
  lead?: string;
}

/** The exceptions that pass every filter given, in the order they came. */
export function filterExceptions(exceptions: readonly PlanException[], filter: ExceptionFilter): PlanException[] {
  const lead = filter.lead === undefined ? undefined : leadKey(filter.lead);
  return exceptions.filter(
    (e) =>
      (filter.kind === undefined || e.kind === filter.kind) &&
      (filter.organisationId === undefined || (e.organisationIds ?? []).includes(filter.organisationId)) &&
      (lead === undefined || (e.lead !== undefined && e.lead === lead)),
  );
}

export type ActionForExceptions = {
  id: string;
  recommendationId: string;
  /** e.g. 'Action 3 of recommendation 2.1' */
  label: string;
  organisationIds: string[];
  lead: string;
  dateWords: string;
  dueDate: string | null;
  measure: string;
  createdOn: string;
  lastProgressOn: string | null;
  ratingHistory: RatingHistoryEntry[];
  /** Effective dates of accepted evidence. */
  acceptedEvidenceDates: string[];
  archived?: boolean;
  /** A revised due date the organisation proposed, waiting for the coordinator. */
  proposedDueDate?: { date: string; on: string; reason: string } | null;
  /** How a completed action's effect will be shown to last, in the plan's words. */
  sustainHow?: string;
  /** The day by which fresh accepted evidence of a completed action is due. */
  reassuranceDueOn?: string | null;
  /** Each organisation given the action, when, and its latest answer (none yet: null). */
  assignments?: AssignmentForExceptions[];
};

export type AssignmentForExceptions = {
  organisationId: string;
  /** When the organisation was given the action (a timestamp); null when not known. */
  assignedAt: string | null;
  answer: { response: 'accepted' | 'disputed'; reason: string; by: string; at: string } | null;
};

/** A question from a board or a scrutiny panel without a published response. */
export type QuestionForExceptions = {
  id: string;
  text: string;
  askedBy: string;
  askedOn: string;
  /** A response is drafted and waits for the coordinator's approval. */
  drafted: boolean;
  /** What it is about: an action, a recommendation or the review. */
  subject: { type: 'action' | 'recommendation' | 'review'; id: string; label: string };
  recommendationId?: string;
  /** The organisations expected to answer: the one named, else the action's. */
  organisationIds: string[];
  lead?: string;
};

export type PlanForExceptions = {
  scale: RatingScale;
  organisations: { id: string; name: string }[];
  recommendations: { id: string; number: string; addressedOrganisationIds: string[]; outcome: string }[];
  findings: { id: string; number: string; kind: 'concern' | 'good_practice'; recommendationIds: string[] }[];
  actions: ActionForExceptions[];
  /** Questions without a published response; optional so that plans without any need not say. */
  questions?: QuestionForExceptions[];
};

/** Days an assignment may go unanswered, and a question without a published response, unless told otherwise. */
export const DEFAULT_ASSIGNMENT_DAYS = 14;
export const DEFAULT_QUESTION_DAYS = 28;

export type ExceptionOptions = { today: string; staleDays?: number; assignmentDays?: number; questionDays?: number };

function days(n: number): string {
  return plural(n, 'day');
}

/** The day of a history timestamp ('2015-10-13' or '2015-10-13T10:00Z'), or null if it has none. */
function onDay(at: string | null): string | null {
  const day = at?.slice(0, 10) ?? '';
  return parseIsoDate(day) ? formatLongDate(day) : null;
}

/**
 * Whether accepted evidence is dated on or after the start of the stale window of the day
 * the rating was agreed: evidence that would have let the group agree it without an override.
 */
function evidenceSinceWindowOf(agreedAt: string | null, action: ActionForExceptions, staleDays: number): boolean {
  const day = agreedAt?.slice(0, 10) ?? '';
  const from = parseIsoDate(day) ? addDays(day, -staleDays) : '';
  return action.acceptedEvidenceDates.some((date) => date >= from);
}

/** People's own words end a reason: give them a full stop when they have none. */
function asSentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

type Add = (kind: ExceptionKind, reason: string, organisationIds?: string[]) => void;

/**
 * An agreed completion carries a day by which fresh accepted evidence is due: past it without
 * such evidence the assurance has lapsed (chasing); without a day at all it is a gap.
 */
function lastingAssuranceExceptions(
  action: ActionForExceptions,
  plan: PlanForExceptions,
  rating: ReturnType<typeof currentRating>,
  today: string,
  staleDays: number,
  add: Add,
): void {
  if (rating.agreed === null) return;
  const state = lastingAssurance({
    scale: plan.scale,
    agreed: rating.agreed,
    agreedAt: rating.agreedAt,
    reassuranceDueOn: action.reassuranceDueOn ?? null,
    acceptedEvidenceDates: action.acceptedEvidenceDates,
    staleDays,
    today,
  });
  const agreedOn = onDay(rating.agreedAt);
  const agreed = `Agreed ${RATING_NAMES[rating.agreed]}${agreedOn ? ` on ${agreedOn}` : ''}`;
  const sustain = (action.sustainHow ?? '').trim();
  const how = sustain
    ? ` How its effect is to be shown to last: ${asSentence(sustain)}`
    : ' The plan does not say how its effect will be shown to last.';
  if (state === 'lapsed' && action.reassuranceDueOn) {
    const due = action.reassuranceDueOn;
    add(
      'assurance_lapsed',
      `${agreed}; fresh accepted evidence was due by ${formatLongDate(due)} and none has been accepted ` +
        `(${days(daysBetween(due, today))} ago).${how}`,
    );
  } else if (state === 'no_date') {
    add('no_reassurance_date', `${agreed}, with no date set by which fresh evidence is due.${how}`);
  }
}

/**
 * Each organisation given an action answers for it: a dispute is chased at once, no answer once
 * the assignment is older than the limit. A completed action is not chased for an answer.
 */
function assignmentExceptions(
  action: ActionForExceptions,
  plan: PlanForExceptions,
  complete: boolean,
  today: string,
  assignmentDays: number,
  add: Add,
): void {
  const name = (id: string) => plan.organisations.find((o) => o.id === id)?.name ?? `Organisation ${id}`;
  for (const assignment of action.assignments ?? []) {
    const org = name(assignment.organisationId);
    const answer = assignment.answer;
    if (answer?.response === 'disputed') {
      const on = onDay(answer.at);
      add(
        'assignment_disputed',
        `${org} disputes the action${on ? ` (${answer.by}, ${on})` : ` (${answer.by})`}: ${asSentence(answer.reason)}`,
        [assignment.organisationId],
      );
      continue;
    }
    if (answer !== null || complete || assignment.assignedAt === null) continue;
    const day = assignment.assignedAt.slice(0, 10);
    if (!parseIsoDate(day)) continue;
    const waited = daysBetween(day, today);
    if (waited > assignmentDays) {
      add(
        'assignment_unaccepted',
        `Assigned to ${org} on ${formatLongDate(day)} and not yet accepted or disputed ` +
          `(${days(waited)}; the limit is ${assignmentDays}).`,
        [assignment.organisationId],
      );
    }
  }
}

/** A question without a published response, asked longer ago than the limit. */
function questionExceptions(
  questions: readonly QuestionForExceptions[],
  today: string,
  questionDays: number,
): PlanException[] {
  const found: PlanException[] = [];
  for (const q of questions) {
    if (!parseIsoDate(q.askedOn.slice(0, 10))) continue;
    const waited = daysBetween(q.askedOn.slice(0, 10), today);
    if (waited <= questionDays) continue;
    const status = q.drafted
      ? 'A response is drafted and waits for the coordinator’s approval.'
      : 'No response has been drafted.';
    const lead = q.lead === undefined ? '' : leadKey(q.lead);
    found.push({
      kind: 'question_unanswered',
      subject: q.subject,
      ...(q.recommendationId ? { recommendationId: q.recommendationId } : {}),
      reason:
        `${q.askedBy} asked on ${formatLongDate(q.askedOn.slice(0, 10))} ` +
        `(${days(waited)}; the limit is ${questionDays}): “${q.text.trim()}” ${status}`,
      organisationIds: [...new Set(q.organisationIds)],
      ...(lead ? { lead } : {}),
    });
  }
  return found;
}

type Limits = { assignmentDays: number };

function actionExceptions(
  action: ActionForExceptions,
  plan: PlanForExceptions,
  today: string,
  staleDays: number,
  limits: Limits,
): PlanException[] {
  const found: PlanException[] = [];
  const add: Add = (kind, reason, organisationIds = action.organisationIds): void => {
    const lead = leadKey(action.lead);
    found.push({
      kind,
      subject: { type: 'action', id: action.id, label: action.label },
      recommendationId: action.recommendationId,
      reason,
      organisationIds: [...new Set(organisationIds)],
      ...(lead ? { lead } : {}),
    });
  };
  const rating = currentRating(action.ratingHistory);
  // The group's agreed rating rules; until it has agreed one, the organisation's proposal
  // is the best information there is.
  const current = shownRating(rating);
  const complete = current !== null && isComplete(plan.scale, current);

  // Due today is not yet overdue: the action can still be done on its due date.
  if (action.dueDate !== null && action.dueDate < today && !complete) {
    add(
      'overdue',
      `Due ${formatLongDate(action.dueDate)} and not completed: ${days(daysBetween(action.dueDate, today))} overdue.`,
    );
  }

  if (!complete) {
    const since = action.lastProgressOn ?? action.createdOn;
    const idle = daysBetween(since, today);
    if (idle > staleDays) {
      const what =
        action.lastProgressOn === null ? `the action was created on ${formatLongDate(since)}` : formatLongDate(since);
      add('stale', `No progress recorded since ${what} (${days(idle)}; the limit is ${staleDays}).`);
    }
  }

  // "Rated Green or Blue with no accepted evidence", whatever the scale: in BRAG a Green
  // (on target) claim needs evidence as much as a Blue (completed) one. The group may agree
  // one without accepted recent evidence by giving a reason; the plan keeps showing that
  // until evidence dated within the stale window of the agreement is accepted.
  if (current === 'green' || current === 'blue') {
    if (
      rating.agreed === current &&
      rating.overrideReason !== null &&
      !evidenceSinceWindowOf(rating.agreedAt, action, staleDays)
    ) {
      add(
        'unevidenced',
        `Agreed ${RATING_NAMES[current]} without accepted recent evidence; ` +
          `override reason: ${asSentence(rating.overrideReason)}`,
      );
    } else if (action.acceptedEvidenceDates.length === 0) {
      const source = rating.agreed !== null ? 'agreed' : 'proposed, not yet agreed';
      add('unevidenced', `Rated ${RATING_NAMES[current]} (${source}) with no accepted evidence.`);
    }
  }

  const proposedOn = onDay(rating.proposedAt);
  const agreedOn = onDay(rating.agreedAt);
  const agreedAs =
    rating.agreed === null ? '' : `${RATING_NAMES[rating.agreed]}${agreedOn ? ` (agreed ${agreedOn})` : ''}`;
  if (rating.challenge !== null) {
    const challengedOn = onDay(rating.challenge.at);
    const challenged = RATING_NAMES[rating.proposed ?? rating.challenge.rating];
    const still = agreedAs ? ` The agreed rating remains ${agreedAs}.` : '';
    add(
      'disputed',
      `Proposed ${challenged}${proposedOn ? ` on ${proposedOn}` : ''} and ` +
        `challenged${challengedOn ? ` on ${challengedOn}` : ''}: ${asSentence(rating.challenge.rationale)}${still}`,
    );
  } else if (rating.disputed && rating.proposed !== null && rating.agreed !== null) {
    add(
      'disputed',
      `Proposed ${RATING_NAMES[rating.proposed]}${proposedOn ? ` on ${proposedOn}` : ''}, ` +
        `but the group agreed ${agreedAs}.`,
    );
  } else if (rating.awaitingDecision && rating.proposed !== null) {
    // A fresh proposal is not a dispute: the group has not looked at it yet.
    const day = rating.proposedAt?.slice(0, 10) ?? '';
    const waiting = parseIsoDate(day) && day < today ? ` for ${days(daysBetween(day, today))}` : '';
    const still = agreedAs ? ` The agreed rating is ${agreedAs}.` : '';
    add(
      'awaiting_decision',
      `Proposed ${RATING_NAMES[rating.proposed]}${proposedOn ? ` on ${proposedOn}` : ''}; ` +
        `waiting for the group’s decision${waiting}.${still}`,
    );
  }

  // Until the coordinator agrees it, the action counts against its agreed date.
  const proposal = action.proposedDueDate;
  if (proposal) {
    const on = parseIsoDate(proposal.on.slice(0, 10)) ? ` on ${formatLongDate(proposal.on.slice(0, 10))}` : '';
    const from = action.dueDate === null ? '' : ` from ${formatLongDate(action.dueDate)}`;
    add(
      'revised_date_proposed',
      `Proposed${on} moving the due date${from} to ${formatLongDate(proposal.date)}: ` +
        `${asSentence(proposal.reason)} Waiting for the coordinator to agree or refuse it.`,
    );
  }

  lastingAssuranceExceptions(action, plan, rating, today, staleDays, add);
  assignmentExceptions(action, plan, complete, today, limits.assignmentDays, add);

  const recommendation = plan.recommendations.find((r) => r.id === action.recommendationId);
  const gaps = checkSmart({
    lead: action.lead,
    dueDate: action.dueDate,
    dateWords: action.dateWords,
    measure: action.measure,
    recommendationOutcome: recommendation?.outcome ?? '',
  });
  if (gaps.length > 0) add('not_smart', `Not SMART: ${gaps.map((g) => lowerFirst(g.reason)).join('; ')}.`);
  return found;
}

// Natural order, so 'recommendation 2.10' sorts after 'recommendation 2.9'.
const naturalOrder = new Intl.Collator('en-GB', { numeric: true, sensitivity: 'base' });

/**
 * Every exception in the plan as of `today`, sorted by kind (in EXCEPTION_KINDS order), then
 * by recommendation and subject label in natural number order. Archived actions are left out of every rule,
 * including coverage: an archived action no longer covers its organisations.
 */
export function findExceptions(plan: PlanForExceptions, options: ExceptionOptions): PlanException[] {
  const {
    today,
    staleDays = DEFAULT_STALE_DAYS,
    assignmentDays = DEFAULT_ASSIGNMENT_DAYS,
    questionDays = DEFAULT_QUESTION_DAYS,
  } = options;
  requireIsoDate(today, 'today');
  for (const [name, value] of Object.entries({ staleDays, assignmentDays, questionDays })) {
    if (!Number.isInteger(value) || value < 0) {
      throw new RangeError(`Expected ${name} as a whole number of 0 or more, got ${value}`);
    }
  }
  const live = plan.actions.filter((a) => a.archived !== true);
  const found = live.flatMap((action) => actionExceptions(action, plan, today, staleDays, { assignmentDays }));
  found.push(...questionExceptions(plan.questions ?? [], today, questionDays));

  const orgName = new Map(plan.organisations.map((o) => [o.id, o.name]));
  for (const rec of plan.recommendations) {
    const covered = new Set(live.filter((a) => a.recommendationId === rec.id).flatMap((a) => a.organisationIds));
    for (const orgId of new Set(rec.addressedOrganisationIds)) {
      if (covered.has(orgId)) continue;
      const name = orgName.get(orgId) ?? orgId;
      found.push({
        kind: 'uncovered_organisation',
        subject: { type: 'organisation', id: orgId, label: name },
        recommendationId: rec.id,
        reason: `${name} is addressed by recommendation ${rec.number} but has no action of its own.`,
        organisationIds: [orgId],
      });
    }
  }

  for (const finding of plan.findings) {
    if (finding.kind !== 'concern' || finding.recommendationIds.length > 0) continue;
    const label = `Finding ${finding.number}`;
    found.push({
      kind: 'concern_without_recommendation',
      subject: { type: 'finding', id: finding.id, label },
      reason: `${label} raises a concern but leads to no recommendation.`,
      organisationIds: [],
    });
  }

  const recNumber = new Map(plan.recommendations.map((r) => [r.id, r.number]));
  const recKey = (e: PlanException): string =>
    e.recommendationId ? (recNumber.get(e.recommendationId) ?? e.recommendationId) : '';
  return found.sort(
    (a, b) =>
      EXCEPTION_KINDS.indexOf(a.kind) - EXCEPTION_KINDS.indexOf(b.kind) ||
      // Plan order: by recommendation first, so action 3 of 2.1 comes before action 1 of 2.10.
      naturalOrder.compare(recKey(a), recKey(b)) ||
      naturalOrder.compare(a.subject.label, b.subject.label) ||
      naturalOrder.compare(a.subject.id, b.subject.id),
  );
}

/** What each kind of exception is called, as a heading over its list. */
export const EXCEPTION_HEADINGS: Readonly<Record<ExceptionKind, string>> = {
  overdue: 'Overdue',
  stale: 'No recent progress',
  unevidenced: 'Rated Green or Blue without accepted evidence',
  disputed: 'Disputed ratings',
  awaiting_decision: 'Ratings awaiting a decision',
  revised_date_proposed: 'Revised due dates awaiting agreement',
  assurance_lapsed: 'Assurance lapsed after completion',
  assignment_disputed: 'Assignments disputed by an organisation',
  assignment_unaccepted: 'Assignments not yet accepted',
  question_unanswered: 'Questions without a published response',
  not_smart: 'Not SMART',
  uncovered_organisation: 'Addressed organisation with no action of its own',
  concern_without_recommendation: 'Concern with no recommendation',
  no_reassurance_date: 'Completed with no date for fresh evidence',
};
