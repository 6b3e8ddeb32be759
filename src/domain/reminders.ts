// Which email reminders are due on a day, worked out from a review's plan as it stands. Pure:
// the caller loads the plan and the people, sends what comes back, and records each key so a
// reminder goes once. A key is recipient, reason, subject and period: the period is the
// due-date milestone, the week of an overdue spell, the decision on a revised due date, or the
// ISO week of something still waiting.
import { addDays, daysBetween, formatLongDate, parseIsoDate } from './dates.ts';
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
  | { type: 'review'; id: number; label: string };

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
  return [...found.values()];
}
