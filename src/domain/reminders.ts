// Which email reminders are due on a day, worked out from a review's plan as it stands. Pure:
// the caller loads the plan and the people, sends what comes back, and records each key so a
// reminder goes once. A key is recipient, reason, subject and period: the period is the
// due-date milestone, the week of an overdue spell, the decision on a revised due date, or the
// ISO week of something still waiting.
import { addDays, daysBetween, formatLongDate, parseIsoDate } from './dates.ts';
import { lastingAssurance } from './lasting-assurance.ts';
import { FORUM_NAMES, type Forum } from './meeting-records.ts';
import { currentRating, isComplete, shownRating, type RatingHistoryEntry, type RatingScale } from './ratings.ts';
import { plural } from './words.ts';

/** Days something may wait for a reviewer before they are reminded, unless told otherwise. */
export const DEFAULT_WAITING_DAYS = 7;
/** Evidence rejected or a rating challenged longer ago than this is old news: no reminder. */
export const RECENT_DECISION_DAYS = 14;
/** Days before an action's due date when its organisations' editors are reminded. */
export const DUE_MILESTONES = [30, 7, 1] as const;
/** Days before the plan's own deadline when coordinators are reminded. */
export const PLAN_MILESTONES = [7, 1] as const;
/** Days a question may wait for a response before it is chased, unless the review says otherwise. */
export const DEFAULT_QUESTION_DAYS = 28;
/** Days an assigned action may wait to be accepted before it is chased, unless the review says otherwise. */
export const DEFAULT_ASSIGNMENT_DAYS = 14;

export const REMINDER_REASONS = [
  'action_due',
  'action_overdue',
  'action_stale',
  'evidence_rejected',
  'rating_challenged',
  'revised_date_agreed',
  'revised_date_refused',
  'evidence_waiting',
  'proposal_waiting',
  'plan_due',
  'evidence_requested',
  'question_unanswered',
  'assurance_lapsed',
  'assignment_unaccepted',
] as const;
export type ReminderReason = (typeof REMINDER_REASONS)[number];

/** What a reason is called on the coordinators' page and in a digest. */
export const REMINDER_REASON_NAMES: Readonly<Record<ReminderReason, string>> = {
  action_due: 'Action due soon',
  action_overdue: 'Action overdue',
  action_stale: 'No recent progress',
  evidence_rejected: 'Evidence rejected',
  rating_challenged: 'Rating challenged',
  revised_date_agreed: 'Revised due date agreed',
  revised_date_refused: 'Revised due date refused',
  evidence_waiting: 'Evidence waiting for a decision',
  proposal_waiting: 'Rating waiting for a decision',
  plan_due: 'Action plan due',
  evidence_requested: 'More evidence asked for',
  question_unanswered: 'Question waiting for a response',
  assurance_lapsed: 'Assurance lapsed',
  assignment_unaccepted: 'Action not yet accepted',
};

export type ReminderPreference = 'immediately' | 'weekly' | 'off';
export const REMINDER_PREFERENCES: readonly ReminderPreference[] = ['immediately', 'weekly', 'off'];

export type ReminderEvidence = {
  id: number;
  title: string;
  status: 'submitted' | 'accepted' | 'rejected';
  /** The day it was added. */
  addedOn: string;
  /** The day it was accepted or rejected, if it has been. */
  decidedOn: string | null;
  /** Withdrawn evidence waits for nobody. */
  withdrawn?: boolean;
};

/** The coordinator's decision on a revised due date the organisation proposed. */
export type ReminderDueDateDecision = {
  /** The decision's id in the due date history: one reminder per decision. */
  id: number;
  kind: 'agreed' | 'refused';
  /** The date that was proposed. */
  proposedDate: string | null;
  /** The agreed due date before the decision. */
  agreedBefore: string | null;
  /** The day it was decided. */
  decidedOn: string;
  reason: string;
  /** Who proposed it, if it was a person: they are told too. */
  proposedByUserId: number | null;
};

export type ReminderAction = {
  id: number;
  /** e.g. 'Action 3 of recommendation 2.1' */
  label: string;
  organisationIds: number[];
  dueDate: string | null;
  createdOn: string;
  lastProgressOn: string | null;
  ratingHistory: RatingHistoryEntry[];
  evidence: ReminderEvidence[];
  /** Decisions on revised due dates: only recent ones matter. */
  dueDateDecisions?: ReminderDueDateDecision[];
  archived: boolean;
  /** Its lead, told when its assurance lapses. */
  leadUserId?: number | null;
  /** The day fresh accepted evidence is due once it is complete. */
  reassuranceDueOn?: string | null;
  /** Effective dates of its accepted evidence. */
  acceptedEvidenceDates?: readonly string[];
  /** When evidence (not withdrawn) was last added to it: an instant. */
  lastEvidenceAddedAt?: string | null;
};

/** More evidence a meeting asked for by a date, while it is open. */
export type ReminderRequest = {
  id: number;
  actionId: number;
  text: string;
  /** Who is to provide it; null (or someone no longer a member) means the action's editors. */
  ownerUserId: number | null;
  dueOn: string;
  /** When it was asked: an instant. Evidence added after it answers it. */
  madeAt: string;
  forum: Forum;
  /** The meeting's day. */
  meetingOn: string;
};

/** A question whose response is not yet published. */
export type ReminderQuestion = {
  id: number;
  /** The action it is about, if any: named by its label. */
  actionId: number | null;
  /** Otherwise what it is about: 'The review', 'Recommendation 1.2'. */
  about: string;
  text: string;
  askedBy: string;
  forum: Forum;
  askedOn: string;
  /** The organisation that answers it; null leaves it to the coordinators. */
  organisationId: number | null;
  responseStatus: 'none' | 'draft';
};

/** An action given to an organisation that has not answered yet. */
export type ReminderAssignment = {
  actionId: number;
  organisationId: number;
  organisationName: string;
  /** The day it was given. */
  assignedOn: string;
};

export type ReminderPlan = {
  reviewId: number;
  /** e.g. 'Rotherham' */
  area: string;
  scale: RatingScale;
  /** Days without progress after which an unfinished action is stale. */
  staleDays: number;
  /** The day the plan itself is due (20 working days after the report arrived), if known. */
  planDue: string | null;
  /** The day the plan was issued; once it has been, its deadline is met. */
  planIssued: string | null;
  actions: ReminderAction[];
  requests?: ReminderRequest[];
  questions?: ReminderQuestion[];
  assignments?: ReminderAssignment[];
  /** The review's own waits before a question or an assignment is chased; null for Clasp's default. */
  questionDays?: number | null;
  assignmentDays?: number | null;
};

export type ReminderPerson = {
  userId: number;
  email: string;
  name: string;
  preference: ReminderPreference;
  /** This person's roles in the review, each for an organisation. */
  memberships: { role: 'coordinator' | 'editor' | 'reviewer' | 'viewer'; organisationId: number }[];
};

export type ReminderSubject =
  | { type: 'action'; id: number; label: string }
  | { type: 'evidence'; id: number; label: string; actionId: number }
  | { type: 'review'; id: number; label: string }
  | { type: 'question'; id: number; label: string };

export type Reminder = {
  /** recipient:reason:subject:period — recorded before sending, so each goes once. */
  key: string;
  userId: number;
  email: string;
  name: string;
  preference: Exclude<ReminderPreference, 'off'>;
  reviewId: number;
  reason: ReminderReason;
  subject: ReminderSubject;
  period: string;
  /** One plain sentence: what is due and when. */
  summary: string;
};

export type ReminderOptions = { today: string; waitingDays?: number };

/** The ISO 8601 week of a day, e.g. '2026-W50'. */
export function isoWeek(day: string): string {
  const parts = parseIsoDate(day);
  if (!parts) throw new Error(`Not a date: ${day}`);
  const date = new Date(Date.UTC(parts.year, parts.month - 1, parts.day));
  const weekday = date.getUTCDay() || 7;
  // The week belongs to the year of its Thursday.
  date.setUTCDate(date.getUTCDate() + 4 - weekday);
  const year = date.getUTCFullYear();
  const week = Math.ceil(((date.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The first Monday after a day: when a digest holding what was found that day is sent. */
export function nextMonday(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return addDays(day, (8 - weekday) % 7 || 7);
}

function days(n: number): string {
  return plural(n, 'day');
}

type Draft = {
  reason: ReminderReason;
  subject: ReminderSubject;
  period: string;
  summary: string;
  /** Someone told besides the editors of the action's organisations: who proposed the date. */
  alsoTo?: number | null;
};

/** '.' after a reason given, unless it has its own full stop. */
function sentence(text: string): string {
  return text.trim().replace(/[.!?]?$/, '.');
}

/** The reminders about one action, before they are addressed to anyone. */
function actionDrafts(action: ReminderAction, plan: ReminderPlan, today: string, waitingDays: number) {
  const toEditors: Draft[] = [];
  const toReviewers: Draft[] = [];
  const rating = currentRating(action.ratingHistory);
  const shown = shownRating(rating);
  if (action.archived || (shown !== null && isComplete(plan.scale, shown))) return { toEditors, toReviewers };
  const subject: ReminderSubject = { type: 'action', id: action.id, label: action.label };

  if (action.dueDate !== null) {
    const left = daysBetween(today, action.dueDate);
    // The nearest milestone reached: a run missed on the day still sends it, and only once.
    const milestone = [...DUE_MILESTONES].reverse().find((m) => left >= 1 && left <= m);
    if (milestone !== undefined) {
      toEditors.push({
        reason: 'action_due',
        subject,
        period: `${action.dueDate}-${milestone}`,
        summary: `${action.label} is due on ${formatLongDate(action.dueDate)}, in ${days(left)}.`,
      });
    } else if (left < 0) {
      // The day after the due date, then every 7 days while it stays open.
      const week = Math.floor((-left - 1) / 7);
      toEditors.push({
        reason: 'action_overdue',
        subject,
        period: `${action.dueDate}-week-${week + 1}`,
        summary: `${action.label} was due on ${formatLongDate(action.dueDate)} and is ${days(-left)} overdue.`,
      });
    }
  }

  const since = action.lastProgressOn ?? action.createdOn;
  const idle = daysBetween(since, today);
  if (idle > plan.staleDays) {
    toEditors.push({
      reason: 'action_stale',
      subject,
      period: `since-${since}`,
      summary: `${action.label} has had no progress since ${formatLongDate(since)} (${days(idle)}).`,
    });
  }

  const recent = addDays(today, -RECENT_DECISION_DAYS);
  // Waiting more than N days: added before the day N days ago.
  const waitingSince = addDays(today, -waitingDays);
  for (const item of action.evidence) {
    if (item.withdrawn) continue;
    const evidenceSubject: ReminderSubject = { type: 'evidence', id: item.id, label: item.title, actionId: action.id };
    if (item.status === 'rejected' && item.decidedOn !== null && item.decidedOn >= recent && item.decidedOn <= today) {
      toEditors.push({
        reason: 'evidence_rejected',
        subject: evidenceSubject,
        period: item.decidedOn,
        summary:
          `Evidence “${item.title}” for ${action.label.toLowerCase()} ` +
          `was rejected on ${formatLongDate(item.decidedOn)}.`,
      });
    }
    if (item.status === 'submitted' && item.addedOn < waitingSince) {
      toReviewers.push({
        reason: 'evidence_waiting',
        subject: evidenceSubject,
        period: isoWeek(today),
        summary:
          `Evidence “${item.title}” for ${action.label.toLowerCase()} has waited ` +
          `${days(daysBetween(item.addedOn, today))} for a decision.`,
      });
    }
  }

  const challengedOn = rating.challenge?.at.slice(0, 10) ?? null;
  if (challengedOn !== null && challengedOn >= recent && challengedOn <= today) {
    toEditors.push({
      reason: 'rating_challenged',
      subject,
      period: challengedOn,
      summary:
        `The rating proposed for ${action.label.toLowerCase()} ` + `was challenged on ${formatLongDate(challengedOn)}.`,
    });
  }
  for (const decision of action.dueDateDecisions ?? []) {
    if (decision.decidedOn < recent || decision.decidedOn > today) continue;
    const proposed = decision.proposedDate ? ` of ${formatLongDate(decision.proposedDate)}` : '';
    const what = `The revised due date${proposed} proposed for ${action.label.toLowerCase()}`;
    const why = decision.reason.trim() ? `: ${sentence(decision.reason)}` : '.';
    const agreed = decision.kind === 'agreed';
    const now = agreed ? decision.proposedDate : decision.agreedBefore;
    const due = now ? ` It is ${agreed ? 'now' : 'still'} due on ${formatLongDate(now)}.` : '';
    toEditors.push({
      reason: agreed ? 'revised_date_agreed' : 'revised_date_refused',
      subject,
      period: `decision-${decision.id}`,
      summary: `${what} was ${decision.kind} on ${formatLongDate(decision.decidedOn)}${why}${due}`,
      alsoTo: decision.proposedByUserId,
    });
  }

  const proposedOn = rating.proposedAt?.slice(0, 10) ?? null;
  if (rating.awaitingDecision && proposedOn !== null && proposedOn < waitingSince) {
    toReviewers.push({
      reason: 'proposal_waiting',
      subject,
      period: isoWeek(today),
      summary:
        `The rating proposed for ${action.label.toLowerCase()} has waited ` +
        `${days(daysBetween(proposedOn, today))} for a decision.`,
    });
  }
  return { toEditors, toReviewers };
}

function planDrafts(plan: ReminderPlan, today: string): Draft[] {
  if (plan.planDue === null || plan.planIssued !== null) return [];
  const left = daysBetween(today, plan.planDue);
  const subject: ReminderSubject = { type: 'review', id: plan.reviewId, label: `The ${plan.area} action plan` };
  const milestone = [...PLAN_MILESTONES].reverse().find((m) => left >= 1 && left <= m);
  if (milestone !== undefined) {
    return [
      {
        reason: 'plan_due',
        subject,
        period: `${plan.planDue}-${milestone}`,
        summary: `The ${plan.area} action plan is due on ${formatLongDate(plan.planDue)}, in ${days(left)}.`,
      },
    ];
  }
  if (left <= 0) {
    return [
      {
        reason: 'plan_due',
        subject,
        period: `${plan.planDue}-${left === 0 ? 'today' : 'overdue'}`,
        summary:
          left === 0
            ? `The ${plan.area} action plan is due today, ${formatLongDate(plan.planDue)}.`
            : `The ${plan.area} action plan was due on ${formatLongDate(plan.planDue)} and has not been issued.`,
      },
    ];
  }
  return [];
}

/** Someone's words quoted in a sentence: trimmed, cut at 200 characters, without a closing full stop. */
function quoted(text: string): string {
  const words = text.trim().replace(/\s+/g, ' ');
  const cut = words.length > 200 ? `${words.slice(0, 199).trimEnd()}…` : words.replace(/[.]$/, '');
  return `“${cut}”`;
}

/** 'the peer challenge group', 'the Health and Wellbeing Board', 'a meeting'. */
function forumInSentence(forum: Forum): string {
  const name = FORUM_NAMES[forum];
  if (forum === 'health_wellbeing_board') return `the ${name}`;
  return forum === 'other' ? 'a meeting' : `the ${name.toLowerCase()}`;
}

function lowerFirst(text: string): string {
  return `${text.charAt(0).toLowerCase()}${text.slice(1)}`;
}

/** Who a reminder from meetings, questions, assurance or assignments goes to. */
type Recipients =
  | { to: 'editors'; organisationIds: number[] }
  | { to: 'coordinators' }
  | { to: 'person'; userId: number | null; orEditorsOf: number[] };

type QueueDraft = Draft & { recipients: Recipients; alsoLead?: number | null };

/**
 * Reminders about meetings, questions, lasting assurance and assignments (issue 14):
 * - more evidence asked for at a meeting, to its owner (or the action's editors when it has
 *   none): once when found, and once more when its due day passes, while it is open and no
 *   evidence has been added to the action since;
 * - a completed action whose fresh evidence is overdue, to its lead and its editors, once per
 *   lapse (the period is the day it was due);
 * - a question asked more than the review's question days ago with no response, to the editors
 *   of the organisation that answers it (or the coordinators), weekly; with a response drafted
 *   and not approved, to the coordinators, weekly;
 * - an open action given to an organisation more than the review's assignment days ago and not
 *   accepted or disputed, to that organisation's editors, weekly.
 */
function queueDrafts(plan: ReminderPlan, today: string): QueueDraft[] {
  const drafts: QueueDraft[] = [];
  const actionsById = new Map(plan.actions.filter((a) => !a.archived).map((a) => [a.id, a]));
  for (const r of plan.requests ?? []) {
    const action = actionsById.get(r.actionId);
    if (!action) continue;
    if ((action.lastEvidenceAddedAt ?? '') > r.madeAt) continue;
    const subject: ReminderSubject = { type: 'action', id: action.id, label: action.label };
    const who = forumInSentence(r.forum);
    const overdue = today > r.dueOn;
    drafts.push({
      reason: 'evidence_requested',
      subject,
      period: overdue ? `request-${r.id}-overdue` : `request-${r.id}`,
      summary: overdue
        ? `More evidence for ${lowerFirst(action.label)}, asked for by ${who} on ${formatLongDate(r.meetingOn)}, ` +
          `was due on ${formatLongDate(r.dueOn)} and has not been added: ${quoted(r.text)}.`
        : `${who.charAt(0).toUpperCase()}${who.slice(1)} asked on ${formatLongDate(r.meetingOn)} for more evidence ` +
          `for ${lowerFirst(action.label)} by ${formatLongDate(r.dueOn)}: ${quoted(r.text)}.`,
      recipients: { to: 'person', userId: r.ownerUserId, orEditorsOf: action.organisationIds },
    });
  }

  for (const action of actionsById.values()) {
    const due = action.reassuranceDueOn ?? null;
    if (due === null) continue;
    const rating = currentRating(action.ratingHistory);
    const state = lastingAssurance({
      scale: plan.scale,
      agreed: rating.agreed,
      agreedAt: rating.agreedAt,
      reassuranceDueOn: due,
      acceptedEvidenceDates: action.acceptedEvidenceDates ?? [],
      staleDays: plan.staleDays,
      today,
    });
    if (state !== 'lapsed') continue;
    drafts.push({
      reason: 'assurance_lapsed',
      subject: { type: 'action', id: action.id, label: action.label },
      period: `lapsed-${due}`,
      summary:
        `The assurance of ${lowerFirst(action.label)} has lapsed: fresh evidence that its effect lasts ` +
        `was due by ${formatLongDate(due)}, and none has been accepted.`,
      recipients: { to: 'editors', organisationIds: action.organisationIds },
      alsoLead: action.leadUserId ?? null,
    });
  }

  const askedBefore = addDays(today, -(plan.questionDays ?? DEFAULT_QUESTION_DAYS));
  for (const q of plan.questions ?? []) {
    if (q.askedOn >= askedBefore) continue;
    const about = (q.actionId !== null ? actionsById.get(q.actionId)?.label : undefined) ?? q.about;
    const subject: ReminderSubject = { type: 'question', id: q.id, label: `Question about ${lowerFirst(about)}` };
    const asked =
      `The question ${q.askedBy} (${FORUM_NAMES[q.forum]}) asked on ${formatLongDate(q.askedOn)} ` +
      `about ${lowerFirst(about)}`;
    const waited = days(daysBetween(q.askedOn, today));
    if (q.responseStatus === 'none') {
      drafts.push({
        reason: 'question_unanswered',
        subject,
        period: isoWeek(today),
        summary: `${asked} has waited ${waited} for a response: ${quoted(q.text)}.`,
        recipients:
          q.organisationId === null ? { to: 'coordinators' } : { to: 'editors', organisationIds: [q.organisationId] },
      });
    } else {
      drafts.push({
        reason: 'question_unanswered',
        subject,
        period: isoWeek(today),
        summary: `${asked} has waited ${waited}: a response is drafted and waits for a coordinator to approve it.`,
        recipients: { to: 'coordinators' },
      });
    }
  }

  const assignedBefore = addDays(today, -(plan.assignmentDays ?? DEFAULT_ASSIGNMENT_DAYS));
  for (const a of plan.assignments ?? []) {
    const action = actionsById.get(a.actionId);
    if (!action || a.assignedOn >= assignedBefore) continue;
    // A completed action is not chased for an answer.
    const shown = shownRating(currentRating(action.ratingHistory));
    if (shown !== null && isComplete(plan.scale, shown)) continue;
    drafts.push({
      reason: 'assignment_unaccepted',
      subject: { type: 'action', id: action.id, label: action.label },
      period: `${isoWeek(today)}-organisation-${a.organisationId}`,
      summary:
        `${action.label} was given to ${a.organisationName} on ${formatLongDate(a.assignedOn)}, ` +
        `${days(daysBetween(a.assignedOn, today))} ago, and has not been accepted or disputed.`,
      recipients: { to: 'editors', organisationIds: [a.organisationId] },
    });
  }
  return drafts;
}

/**
 * The reminders due on `today` for one review: to the editors of an action's organisations,
 * its due dates, overdue (then weekly), stale, evidence rejected, a rating challenged and a
 * revised due date agreed or refused (also to whoever proposed it); to
 * reviewers, evidence and proposals waiting more than `waitingDays`; to coordinators, the plan's
 * own deadline. Nothing about completed or archived actions, nothing to people who turned
 * reminders off. Each reminder's key is unique, so the same day's run gives the same keys.
 */
export function remindersDue(
  plan: ReminderPlan,
  people: readonly ReminderPerson[],
  options: ReminderOptions,
): Reminder[] {
  const { today } = options;
  const waitingDays = options.waitingDays ?? DEFAULT_WAITING_DAYS;
  const found = new Map<string, Reminder>();
  const address = (person: ReminderPerson, draft: Draft): void => {
    if (person.preference === 'off') return;
    const key = [
      person.userId,
      plan.reviewId,
      draft.reason,
      `${draft.subject.type}-${draft.subject.id}`,
      draft.period,
    ].join(':');
    if (found.has(key)) return;
    found.set(key, {
      key,
      userId: person.userId,
      email: person.email,
      name: person.name,
      preference: person.preference,
      reviewId: plan.reviewId,
      reason: draft.reason,
      subject: draft.subject,
      period: draft.period,
      summary: draft.summary,
    });
  };
  const withRole = (role: ReminderPerson['memberships'][number]['role'], organisationIds?: number[]) =>
    people.filter((p) =>
      p.memberships.some(
        (m) => m.role === role && (organisationIds === undefined || organisationIds.includes(m.organisationId)),
      ),
    );
  const reviewers = withRole('reviewer');
  for (const action of plan.actions) {
    const { toEditors, toReviewers } = actionDrafts(action, plan, today, waitingDays);
    const editors = toEditors.length > 0 ? withRole('editor', action.organisationIds) : [];
    for (const draft of toEditors) {
      for (const person of editors) address(person, draft);
      // The proposer, if still a member of the review; one key per person, so never twice.
      const proposer = people.find((p) => p.userId === draft.alsoTo);
      if (proposer) address(proposer, draft);
    }
    for (const draft of toReviewers) for (const person of reviewers) address(person, draft);
  }
  const coordinators = withRole('coordinator');
  for (const draft of planDrafts(plan, today)) for (const person of coordinators) address(person, draft);
  for (const draft of queueDrafts(plan, today)) {
    const r = draft.recipients;
    const owner = r.to === 'person' ? people.find((p) => p.userId === r.userId) : undefined;
    const to =
      r.to === 'coordinators'
        ? coordinators
        : r.to === 'editors'
          ? withRole('editor', r.organisationIds)
          : owner
            ? [owner]
            : withRole('editor', r.orEditorsOf);
    for (const person of to) address(person, draft);
    // The lead, if still a member of the review; one key per person, so never twice.
    const lead = people.find((p) => p.userId === draft.alsoLead);
    if (lead) address(lead, draft);
  }
  return [...found.values()];
}
