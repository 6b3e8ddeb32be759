// "My work": what each person has to do this month, from their roles, so that chasing by email
// stops (issue 13, section 3). Pure: the plan's facts and the day come in, the list goes out.
import { addDays, daysBetween, formatLongDate } from './dates.ts';
import type { DueDateChange } from './due-dates.ts';
import type { PlanException } from './exceptions.ts';
import { lastingAssurance } from './lasting-assurance.ts';
import { FORUM_NAMES, type Forum } from './meeting-records.ts';
import type { Rating, RatingScale } from './ratings.ts';
import { plural } from './words.ts';

/** How far ahead an action counts as due soon. */
export const DUE_SOON_DAYS = 30;

export type WorkKind =
  | 'overdue'
  | 'stale'
  | 'due_soon'
  | 'evidence_rejected'
  | 'rating_disputed'
  | 'revised_date_refused'
  | 'evidence_to_decide'
  | 'rating_to_decide'
  | 'organisation_behind'
  | 'revised_date_to_agree'
  | 'plan_deadline'
  | 'evidence_requested'
  | 'question_to_answer'
  | 'response_to_approve'
  | 'assignment_to_accept'
  | 'assignment_disputed'
  | 'assurance_lapsed';

/** Who a list is for: editing for organisations, assuring, coordinating. */
export type WorkSection = 'editing' | 'assurance' | 'coordination';

export interface WorkItem {
  kind: WorkKind;
  section: WorkSection;
  reviewId: number;
  /** "Action 2 of recommendation 1.1", "Triage audit (evidence)", "Testshire Hospitals". */
  subject: string;
  /** One sentence with the facts. */
  detail: string;
  /** The page with the form that clears it. */
  href: string;
  /** What to do there, as the link's words. */
  todo: string;
  /** The day it has waited since, oldest first within a section; null when it does not wait. */
  since: string | null;
}

export interface WorkAction {
  id: number;
  label: string;
  organisationIds: number[];
  dueDate: string | null;
  complete: boolean;
  /** The history of its agreed due date (any order); none when it never changed. */
  dueDateChanges?: readonly DueDateChange[];
  /** The date of its latest progress update. */
  lastProgressOn?: string | null;
  /** The person named as its lead, if any: told when its assurance lapses. */
  leadUserId?: number | null;
  /** The rating the group agreed last, and when: for its lasting assurance. */
  agreed?: Rating | null;
  agreedAt?: string | null;
  /** The day by which fresh accepted evidence is due once it is complete. */
  reassuranceDueOn?: string | null;
  /** Effective dates of its accepted evidence. */
  acceptedEvidenceDates?: readonly string[];
}

/** More evidence a meeting asked of an action's lead by a date (meeting_requests). */
export interface WorkRequest {
  id: number;
  actionId: number;
  text: string;
  /** Who is to provide it; null means the editors of the action's organisations. */
  ownerUserId: number | null;
  dueOn: string;
  /** When it was asked: evidence added after this answers it. */
  madeAt: string;
  status: 'open' | 'met' | 'closed';
  meeting: { forum: Forum; startsAt: string };
}

/** A question from a board or panel, and where its response stands. */
export interface WorkQuestion {
  id: number;
  /** What it is about: 'The review', 'Recommendation 1.2', 'Action 1 of recommendation 1.2'. */
  about: string;
  text: string;
  askedBy: string;
  forum: Forum;
  askedOn: string;
  /** The organisation that answers it; null leaves it to the coordinators. */
  organisationId: number | null;
  responseStatus: 'none' | 'draft' | 'published';
  /** When the response was last drafted. */
  responseAt: string | null;
}

/** An action given to an organisation, and that organisation's latest answer. */
export interface WorkAssignment {
  actionId: number;
  organisationId: number;
  assignedAt: string;
  latest: { response: 'accepted' | 'disputed'; reason: string; at: string; by: string } | null;
}

export interface WorkEvidence {
  id: number;
  actionId: number;
  title: string;
  status: 'submitted' | 'accepted' | 'rejected';
  /** When it was added. */
  addedAt: string;
  /** When it was decided, for accepted and rejected ones. */
  decidedAt: string | null;
  reason: string | null;
}

export interface WorkReview {
  reviewId: number;
  today: string;
  actions: WorkAction[];
  /** The review's exceptions as found (action subjects' ids are action ids as text). */
  exceptions: PlanException[];
  evidence: WorkEvidence[];
  /** Proposals waiting for the group, by action id: the day proposed. */
  awaitingDecisionSince: Map<number, string>;
  organisations: { id: number; name: string }[];
  /** When the plan is due with CQC, and whether it has been sent. */
  planDue: string | null;
  planSent: boolean;
  /** The review's rating scale and stale window: for lasting assurance. */
  scale?: RatingScale;
  staleDays?: number;
  requests?: WorkRequest[];
  questions?: WorkQuestion[];
  assignments?: WorkAssignment[];
}

export interface WorkRoles {
  /** The person: requests and lapsed assurance name them directly. */
  userId?: number;
  /** Organisations this person edits for in the review. */
  editorOf: number[];
  /** May accept evidence and agree ratings (assurance reviewers and coordinators). */
  assures: boolean;
  coordinates: boolean;
}

const day = (at: string) => at.slice(0, 10);

// One collator for every sort: localeCompare with options builds a new one on each call.
const bySubject = new Intl.Collator('en-GB', { numeric: true });
const byName = new Intl.Collator('en-GB');

/** ISO dates sort as text. */
const compareDays = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Links from My work carry the way back, so the form returns there once it is saved. */
const BACK = '?returnTo=/my-work';

/**
 * The refusal of a revised due date that still stands for the organisation to act on: the last
 * word on the action's due date is a refusal (no newer proposal, agreement or direct change),
 * and no progress has been posted since. Proposing another date, or posting an update that
 * works to the agreed date, clears it.
 */
export function standingRefusal(action: WorkAction): DueDateChange | null {
  const changes = [...(action.dueDateChanges ?? [])].sort((a, b) => a.id - b.id);
  const last = changes.at(-1);
  if (last?.kind !== 'refused') return null;
  const progressed = action.lastProgressOn ?? null;
  if (progressed !== null && progressed >= day(last.at)) return null;
  return last;
}

/**
 * What one person must do in one review:
 * - editing, for their organisations' open actions: overdue, no recent progress, due in the
 *   next 30 days, latest evidence rejected, rating disputed, a revised due date refused; each
 *   links to the form that clears it;
 * - assurance: evidence waiting for a decision and rating proposals waiting for the group,
 *   oldest first;
 * - coordination: revised due dates proposed and waiting for agreement, organisations with
 *   actions overdue or without recent progress (a chase list), and the plan's own deadline
 *   while it has not been sent.
 */
export function workFor(review: WorkReview, roles: WorkRoles): WorkItem[] {
  const base = `/reviews/${review.reviewId}`;
  const items: WorkItem[] = [];
  const actionsById = new Map(review.actions.map((a) => [a.id, a]));
  const exceptionsOf = (kind: PlanException['kind']) =>
    review.exceptions.filter((e) => e.kind === kind && e.subject.type === 'action');
  const ours = (actionId: number) =>
    actionsById.get(actionId)?.organisationIds.some((id) => roles.editorOf.includes(id)) ?? false;

  if (roles.editorOf.length > 0) {
    const edit = (
      kind: WorkKind,
      action: WorkAction,
      detail: string,
      todo: string,
      href: string,
      since: string | null,
    ) =>
      items.push({
        kind,
        section: 'editing',
        reviewId: review.reviewId,
        subject: action.label,
        detail,
        href,
        todo,
        since,
      });
    const progress = (id: number) => `${base}/actions/${id}/progress/new${BACK}`;
    for (const kind of ['overdue', 'stale'] as const) {
      for (const e of exceptionsOf(kind)) {
        const action = actionsById.get(Number(e.subject.id));
        if (!action || !ours(action.id)) continue;
        edit(kind, action, e.reason, 'Post a progress update', progress(action.id), action.dueDate);
      }
    }
    const soonUntil = addDays(review.today, DUE_SOON_DAYS);
    for (const action of review.actions) {
      if (!ours(action.id) || action.complete || action.dueDate === null) continue;
      if (action.dueDate < review.today || action.dueDate > soonUntil) continue;
      const left = daysBetween(review.today, action.dueDate);
      const when = left === 0 ? 'today' : `in ${plural(left, 'day')}`;
      edit(
        'due_soon',
        action,
        `Due ${formatLongDate(action.dueDate)}, ${when}.`,
        'Post a progress update',
        progress(action.id),
        action.dueDate,
      );
    }
    const latest = new Map<number, WorkEvidence>();
    for (const e of review.evidence) {
      const before = latest.get(e.actionId);
      if (!before || e.addedAt > before.addedAt || (e.addedAt === before.addedAt && e.id > before.id)) {
        latest.set(e.actionId, e);
      }
    }
    for (const e of latest.values()) {
      const action = actionsById.get(e.actionId);
      if (e.status !== 'rejected' || !action || !ours(action.id) || action.complete) continue;
      const reason = e.reason ? `: ${e.reason.trim().replace(/[.!?]?$/, '.')}` : '.';
      edit(
        'evidence_rejected',
        action,
        `Evidence “${e.title}” was rejected${e.decidedAt ? ` on ${formatLongDate(day(e.decidedAt))}` : ''}${reason}`,
        'Add evidence',
        `${base}/actions/${action.id}/evidence/new`,
        e.decidedAt ? day(e.decidedAt) : null,
      );
    }
    for (const e of exceptionsOf('disputed')) {
      const action = actionsById.get(Number(e.subject.id));
      if (!action || !ours(action.id)) continue;
      edit('rating_disputed', action, e.reason, 'Post a progress update', progress(action.id), null);
    }
    for (const action of review.actions) {
      if (!ours(action.id) || action.complete) continue;
      const refusal = standingRefusal(action);
      if (!refusal) continue;
      const proposed = refusal.toDate ? ` of ${formatLongDate(refusal.toDate)}` : '';
      const reason = refusal.reason.trim() ? `: ${refusal.reason.trim().replace(/[.!?]?$/, '.')}` : '.';
      const agreed = action.dueDate ? ` It is still due on ${formatLongDate(action.dueDate)}.` : '';
      edit(
        'revised_date_refused',
        action,
        `The revised due date${proposed} was refused on ${formatLongDate(day(refusal.at))}${reason}${agreed}`,
        'Propose another date or post a progress update',
        `${base}/actions/${action.id}/due-date${BACK}`,
        day(refusal.at),
      );
    }
  }

  if (roles.assures) {
    for (const e of review.evidence) {
      if (e.status !== 'submitted') continue;
      const action = actionsById.get(e.actionId);
      if (!action) continue;
      items.push({
        kind: 'evidence_to_decide',
        section: 'assurance',
        reviewId: review.reviewId,
        subject: `${action.label}: “${e.title}”`,
        detail: `Evidence added ${formatLongDate(day(e.addedAt))}, waiting for a decision.`,
        href: `${base}/evidence/${e.id}/decision${BACK}`,
        todo: 'Accept or reject the evidence',
        since: day(e.addedAt),
      });
    }
    for (const e of exceptionsOf('awaiting_decision')) {
      const action = actionsById.get(Number(e.subject.id));
      if (!action) continue;
      items.push({
        kind: 'rating_to_decide',
        section: 'assurance',
        reviewId: review.reviewId,
        subject: action.label,
        detail: e.reason,
        href: `${base}/actions/${action.id}/rating${BACK}`,
        todo: 'Agree or challenge the rating',
        since: review.awaitingDecisionSince.get(action.id) ?? null,
      });
    }
  }

  if (roles.coordinates) {
    if (!review.planSent && review.planDue) {
      const left = daysBetween(review.today, review.planDue);
      const detail =
        left < 0
          ? `The action plan was due with CQC on ${formatLongDate(review.planDue)}, ${plural(-left, 'day')} ago, ` +
            'and is not recorded as sent.'
          : `The action plan is due with CQC on ${formatLongDate(review.planDue)}, in ${plural(left, 'day')}.`;
      items.push({
        kind: 'plan_deadline',
        section: 'coordination',
        reviewId: review.reviewId,
        subject: 'The action plan',
        detail,
        href: `${base}/versions`,
        todo: 'Issue the plan',
        since: review.planDue,
      });
    }
    for (const e of exceptionsOf('revised_date_proposed')) {
      const action = actionsById.get(Number(e.subject.id));
      if (!action) continue;
      items.push({
        kind: 'revised_date_to_agree',
        section: 'coordination',
        reviewId: review.reviewId,
        subject: action.label,
        detail: e.reason,
        href: `${base}/actions/${action.id}/due-date${BACK}`,
        todo: 'Agree or refuse the new date',
        since: action.dueDate,
      });
    }
    const behind = new Map<number, { overdue: number; stale: number }>();
    for (const kind of ['overdue', 'stale'] as const) {
      for (const e of exceptionsOf(kind)) {
        for (const orgId of new Set(actionsById.get(Number(e.subject.id))?.organisationIds ?? [])) {
          const counts = behind.get(orgId) ?? { overdue: 0, stale: 0 };
          counts[kind] += 1;
          behind.set(orgId, counts);
        }
      }
    }
    for (const org of review.organisations) {
      const counts = behind.get(org.id);
      if (!counts) continue;
      const parts = [
        counts.overdue ? `${plural(counts.overdue, 'action')} overdue` : '',
        counts.stale ? `${plural(counts.stale, 'action')} with no recent progress` : '',
      ].filter(Boolean);
      items.push({
        kind: 'organisation_behind',
        section: 'coordination',
        reviewId: review.reviewId,
        subject: org.name,
        detail: `${parts.join(' and ')}.`,
        href: `${base}/organisations/${org.id}`,
        todo: 'See what to chase',
        since: null,
      });
    }
  }

  items.push(...meetingWorkFor(review, roles));

  const SECTIONS: WorkSection[] = ['editing', 'assurance', 'coordination'];
  const KINDS: WorkKind[] = [
    'overdue',
    'stale',
    'evidence_requested',
    'assurance_lapsed',
    'evidence_rejected',
    'rating_disputed',
    'revised_date_refused',
    'question_to_answer',
    'assignment_to_accept',
    'due_soon',
    'evidence_to_decide',
    'rating_to_decide',
    'plan_deadline',
    'response_to_approve',
    'assignment_disputed',
    'revised_date_to_agree',
    'organisation_behind',
  ];
  return items.sort(
    (a, b) =>
      SECTIONS.indexOf(a.section) - SECTIONS.indexOf(b.section) ||
      KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind) ||
      compareDays(a.since ?? '9999', b.since ?? '9999') ||
      bySubject.compare(a.subject, b.subject),
  );
}

/** "Peer challenge group" in a sentence: "the peer challenge group"; a board keeps its capitals. */
function forumInSentence(forum: Forum): string {
  const name = FORUM_NAMES[forum];
  return forum === 'health_wellbeing_board'
    ? `the ${name}`
    : forum === 'other'
      ? 'a meeting'
      : `the ${name.toLowerCase()}`;
}

/** A person's words quoted in a sentence: trimmed, cut at 200 characters, without a closing full stop. */
function quoted(text: string): string {
  const words = text.trim().replace(/\s+/g, ' ');
  const cut = words.length > 200 ? `${words.slice(0, 199).trimEnd()}…` : words.replace(/[.]$/, '');
  return `“${cut}”`;
}

/** "Due 31 December 2026, in 8 days." / "Due today, …" / "Due 1 December 2026: 5 days overdue." */
function dueWords(dueOn: string, today: string): string {
  const left = daysBetween(today, dueOn);
  if (left === 0) return `Due today, ${formatLongDate(dueOn)}.`;
  return left > 0
    ? `Due ${formatLongDate(dueOn)}, in ${plural(left, 'day')}.`
    : `Due ${formatLongDate(dueOn)}: ${plural(-left, 'day')} overdue.`;
}

/**
 * What meetings, questions, lasting assurance and assignments (issue 14) ask of one person:
 * - more evidence a meeting asked for, to its owner (or, with none named, the editors of the
 *   action's organisations), while it is open and no evidence has been added to the action since;
 * - a completed action whose fresh evidence is overdue (its assurance lapsed), to its lead and
 *   the editors of its organisations;
 * - a question with no response yet, to the editors of the organisation that answers it (or the
 *   coordinators when none is named); a drafted response, to the coordinators to approve;
 * - an open action given to an organisation that has not answered, to that organisation's
 *   editors; a disputed one (its latest answer), to the coordinators.
 */
export function meetingWorkFor(review: WorkReview, roles: WorkRoles): WorkItem[] {
  const base = `/reviews/${review.reviewId}`;
  const items: WorkItem[] = [];
  const actionsById = new Map(review.actions.map((a) => [a.id, a]));
  const orgName = new Map(review.organisations.map((o) => [o.id, o.name]));
  const edits = (action: WorkAction) => action.organisationIds.some((id) => roles.editorOf.includes(id));
  const item = (i: Omit<WorkItem, 'reviewId'>) => items.push({ reviewId: review.reviewId, ...i });

  for (const r of review.requests ?? []) {
    const action = actionsById.get(r.actionId);
    // A review worked out as at a past day (the demo) shows only what had happened by then.
    if (!action || r.status !== 'open' || day(r.madeAt) > review.today) continue;
    const mine = r.ownerUserId === null ? edits(action) : roles.userId !== undefined && r.ownerUserId === roles.userId;
    if (!mine) continue;
    // Evidence added since the request answers it, until the group decides on it.
    if (review.evidence.some((e) => e.actionId === r.actionId && e.addedAt > r.madeAt)) continue;
    const meetingOn = formatLongDate(r.meeting.startsAt.slice(0, 10));
    const who = forumInSentence(r.meeting.forum);
    item({
      kind: 'evidence_requested',
      section: 'editing',
      subject: action.label,
      detail:
        `${who.charAt(0).toUpperCase()}${who.slice(1)} asked on ${meetingOn} for more evidence: ` +
        `${quoted(r.text)}. ${dueWords(r.dueOn, review.today)}`,
      href: `${base}/actions/${action.id}/evidence/new`,
      todo: 'Add evidence',
      since: r.dueOn,
    });
  }

  if (review.scale !== undefined) {
    for (const action of review.actions) {
      const due = action.reassuranceDueOn ?? null;
      if (due === null) continue;
      const lead = roles.userId !== undefined && action.leadUserId === roles.userId;
      if (!lead && !edits(action)) continue;
      const state = lastingAssurance({
        scale: review.scale,
        agreed: action.agreed ?? null,
        agreedAt: action.agreedAt ?? null,
        reassuranceDueOn: due,
        acceptedEvidenceDates: action.acceptedEvidenceDates ?? [],
        staleDays: review.staleDays ?? 90,
        today: review.today,
      });
      if (state !== 'lapsed') continue;
      const completed = action.agreedAt ? ` on ${formatLongDate(action.agreedAt.slice(0, 10))}` : '';
      item({
        kind: 'assurance_lapsed',
        section: 'editing',
        subject: action.label,
        detail:
          `Agreed complete${completed}. Fresh evidence that it lasts was due by ${formatLongDate(due)}, ` +
          `${plural(daysBetween(due, review.today), 'day')} ago, and none has been accepted: its assurance has lapsed.`,
        href: `${base}/actions/${action.id}/evidence/new`,
        todo: 'Add fresh evidence',
        since: due,
      });
    }
  }

  for (const q of review.questions ?? []) {
    if (q.askedOn > review.today) continue;
    const about = `Question about ${q.about.charAt(0).toLowerCase()}${q.about.slice(1)}`;
    const asked = `${q.askedBy} (${FORUM_NAMES[q.forum]}) asked on ${formatLongDate(q.askedOn)}: ${quoted(q.text)}.`;
    if (q.responseStatus === 'none') {
      const answers = q.organisationId === null ? roles.coordinates : roles.editorOf.includes(q.organisationId);
      if (!answers) continue;
      item({
        kind: 'question_to_answer',
        section: q.organisationId === null ? 'coordination' : 'editing',
        subject: about,
        detail: `${asked} No response has been drafted.`,
        href: `${base}/questions/${q.id}#response`,
        todo: 'Draft a response',
        since: q.askedOn,
      });
    } else if (q.responseStatus === 'draft' && roles.coordinates) {
      const drafted = q.responseAt ? ` on ${formatLongDate(q.responseAt.slice(0, 10))}` : '';
      item({
        kind: 'response_to_approve',
        section: 'coordination',
        subject: about,
        detail: `${asked} A response was drafted${drafted} and waits for approval.`,
        href: `${base}/questions/${q.id}#response`,
        todo: 'Approve the response',
        since: q.responseAt ? q.responseAt.slice(0, 10) : q.askedOn,
      });
    }
  }

  for (const a of review.assignments ?? []) {
    const action = actionsById.get(a.actionId);
    if (!action || day(a.assignedAt) > review.today) continue;
    const org = orgName.get(a.organisationId) ?? 'The organisation';
    // A completed action is not chased for an answer; a dispute still stands.
    if (a.latest === null && !action.complete && roles.editorOf.includes(a.organisationId)) {
      item({
        kind: 'assignment_to_accept',
        section: 'editing',
        subject: action.label,
        detail:
          `Given to ${org} on ${formatLongDate(a.assignedAt.slice(0, 10))}. ` +
          'Accept it, or dispute it with the reason if it is not yours to do.',
        href: `${base}/actions/${action.id}/assignment?organisation=${a.organisationId}`,
        todo: 'Accept or dispute the action',
        since: a.assignedAt.slice(0, 10),
      });
    } else if (a.latest?.response === 'disputed' && roles.coordinates) {
      const reason = a.latest.reason.trim() ? `: ${a.latest.reason.trim().replace(/[.!?]?$/, '.')}` : '.';
      item({
        kind: 'assignment_disputed',
        section: 'coordination',
        subject: action.label,
        detail: `${org} disputed it on ${formatLongDate(a.latest.at.slice(0, 10))}${reason}`,
        href: `${base}/actions/${action.id}#assignments`,
        todo: 'Settle who does the action',
        since: a.latest.at.slice(0, 10),
      });
    }
  }
  return items;
}

/** One line of a coordinator's chase list: an action of an organisation that is behind. */
export interface ChaseLine {
  organisation: string;
  action: string;
  why: 'overdue' | 'stale';
  detail: string;
  dueDate: string | null;
  href: string;
}

/**
 * The chase list of a review: for each organisation (alphabetically), its actions overdue or
 * without recent progress, with the reason. An action shared by two organisations is on both
 * lists, as each is asked about it.
 */
export function chaseList(review: WorkReview): ChaseLine[] {
  const actionsById = new Map(review.actions.map((a) => [a.id, a]));
  const lines: ChaseLine[] = [];
  for (const org of [...review.organisations].sort((a, b) => byName.compare(a.name, b.name))) {
    for (const e of review.exceptions) {
      if ((e.kind !== 'overdue' && e.kind !== 'stale') || e.subject.type !== 'action') continue;
      const action = actionsById.get(Number(e.subject.id));
      if (!action?.organisationIds.includes(org.id)) continue;
      lines.push({
        organisation: org.name,
        action: action.label,
        why: e.kind,
        detail: e.reason,
        dueDate: action.dueDate,
        href: `/reviews/${review.reviewId}/actions/${action.id}`,
      });
    }
  }
  return lines;
}
