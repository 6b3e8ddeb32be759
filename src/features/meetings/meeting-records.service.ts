import type { ReviewRow } from '../../platform/db/schema.ts';
import type {
  AgendaItemRecord,
  AgendaPack,
  AttendeeRecord,
  DecisionRecord,
  MinutesRecord,
  PackAction,
} from '../../domain/meeting-records.ts';
import { formatLongDate } from '../../domain/dates.ts';
import { ratingName } from '../../domain/ratings.ts';
import { actionLabel } from '../../domain/words.ts';
import { publicBase } from '../accounts/accounts.service.ts';
import { planOfReview, type ReviewsContext } from '../reviews/reviews.service.ts';
import type { AppContext } from '../context.ts';
import {
  listAttendees,
  listItems,
  listMeetingDecisions,
  listMeetings,
  listPackDetails,
  listRequests,
  type AttendeeRow,
  type ItemRow,
  type MeetingRow,
} from './meetings.repository.ts';
import { meetingHeading, meetingName, quorumOf } from './meeting-access.service.ts';

/*
 * A meeting's agenda pack and minutes as plain records (src/domain/meeting-records.ts), built
 * from the record: what the meeting page shows and the Word and PDF documents render. Approved
 * minutes come from their frozen snapshot, never from the record again.
 */

/** The agenda as numbered: items not removed, in order, 1, 2, 3… */
export function numberedItems(items: readonly ItemRow[]): (ItemRow & { number: number })[] {
  return items.filter((i) => i.removed_at === null).map((item, index) => ({ ...item, number: index + 1 }));
}

export function attendeeRecords(attendees: readonly AttendeeRow[]): AttendeeRecord[] {
  return attendees.map((a) => ({
    name: a.name,
    organisation: a.organisation_name,
    role: a.role,
    attendance: a.attendance,
  }));
}

export function quorumOfAttendees(review: ReviewRow, attendees: readonly AttendeeRow[]) {
  const required = quorumOf(review);
  const present = attendees.filter((a) => a.role === 'member' && a.attendance === 'present').length;
  return { required, present, quorate: present >= required };
}

/** Each action of the plan as people refer to it: 'Action 2 of recommendation 1.3', and its recommendation. */
async function actionNames(ctx: ReviewsContext, review: ReviewRow) {
  const { state } = await planOfReview(ctx, review);
  const numbers = new Map(state.recommendations.map((r) => [r.id, r.number]));
  const counts = new Map<number, number>();
  const names = new Map<number, { label: string; recommendationNumber: string; organisationIds: number[] }>();
  for (const a of state.actions) {
    const n = (counts.get(a.recommendation_id) ?? 0) + 1;
    counts.set(a.recommendation_id, n);
    const recommendationNumber = numbers.get(a.recommendation_id) ?? '';
    names.set(a.id, {
      label: actionLabel(n, recommendationNumber),
      recommendationNumber,
      organisationIds: a.organisationIds,
    });
  }
  return { names, state };
}

/** The minutes of a meeting: from the record while a draft, from the snapshot once approved. */
export async function buildMinutes(
  ctx: ReviewsContext,
  review: ReviewRow,
  meeting: MeetingRow,
): Promise<MinutesRecord> {
  if (meeting.minutes_status === 'approved' && meeting.minutes_snapshot) {
    return JSON.parse(meeting.minutes_snapshot) as MinutesRecord;
  }
  return draftMinutes(ctx, review, meeting);
}

/** The minutes worked out from the record now, whatever the meeting's status. */
export async function draftMinutes(
  ctx: ReviewsContext,
  review: ReviewRow,
  meeting: MeetingRow,
): Promise<MinutesRecord> {
  const [attendees, items, decided, requests, meetings, { names }] = await Promise.all([
    listAttendees(ctx.db, meeting.id),
    listItems(ctx.db, meeting.id),
    listMeetingDecisions(ctx.db, meeting.id),
    listRequests(ctx.db, meeting.id),
    listMeetings(ctx.db, review.id),
    actionNames(ctx, review),
  ]);
  const numbered = numberedItems(items);
  const subject = (actionId: number) => names.get(actionId)?.label ?? 'An archived action';
  const numberOf = (match: (i: ItemRow) => boolean) => numbered.find(match)?.number ?? null;
  const decisions: DecisionRecord[] = [];
  for (const e of decided.evidence) {
    decisions.push({
      itemNumber: numberOf((i) => i.evidence_item_id === e.id),
      subject: subject(e.action_id),
      decision: `Evidence ${e.status === 'accepted' ? 'accepted' : 'rejected'}: ${e.title}`,
      rationale: e.status_reason ?? '',
    });
  }
  for (const r of decided.ratings) {
    decisions.push({
      itemNumber: numberOf((i) => i.kind === 'rating' && i.action_id === r.action_id),
      subject: subject(r.action_id),
      decision: `Rating agreed: ${ratingName(r.rating)}`,
      rationale: r.override_reason
        ? `${r.rationale} Agreed without recent accepted evidence because: ${r.override_reason}`
        : r.rationale,
    });
  }
  for (const c of decided.challenges) {
    decisions.push({
      itemNumber: numberOf((i) => i.kind === 'rating' && i.action_id === c.action_id),
      subject: subject(c.action_id),
      decision: `Proposed rating challenged: ${ratingName(c.rating)}`,
      rationale: c.rationale,
    });
  }
  for (const d of decided.dueDates) {
    decisions.push({
      itemNumber: numberOf((i) => i.kind === 'due_date' && i.action_id === d.action_id),
      subject: subject(d.action_id),
      decision:
        d.kind === 'agreed'
          ? `Revised due date agreed: ${d.to_date ? formatLongDate(d.to_date) : 'no due date'}`
          : 'Revised due date refused',
      rationale: d.reason,
    });
  }
  for (const m of meetings.filter((x) => x.minutes_approved_meeting_id === meeting.id)) {
    decisions.push({
      itemNumber: numberOf((i) => i.kind === 'minutes'),
      subject: 'Minutes',
      decision: `Minutes of the ${meetingName(m)} approved`,
      rationale: '',
    });
  }
  decisions.sort((a, b) => (a.itemNumber ?? 1e9) - (b.itemNumber ?? 1e9));
  const approvedBy = meetings.find((m) => m.id === meeting.minutes_approved_meeting_id);
  return {
    meeting: meetingHeading(review, meeting),
    scale: review.rating_scale,
    attendees: attendeeRecords(attendees),
    quorum: quorumOfAttendees(review, attendees),
    decisions,
    requests: requests.map((r) => ({
      subject: subject(r.action_id),
      text: r.text,
      owner: r.owner_name,
      dueOn: r.due_on,
    })),
    otherItems: numbered
      .filter((i) => i.outcome === 'deferred' || i.outcome === 'noted')
      .map((i) => ({
        itemNumber: i.number,
        title: i.title,
        outcome: i.outcome === 'deferred' ? ('deferred' as const) : ('noted' as const),
        note: i.outcome_note,
      })),
    status: meeting.minutes_status === 'approved' ? 'approved' : 'draft',
    approvedAt: approvedBy ? meetingName(approvedBy) : null,
    producedAt: ctx.now().toISOString(),
  };
}

/** The agenda pack: the agenda and, per item about an action, the action, its latest progress and its evidence. */
export async function buildAgendaPack(ctx: AppContext, review: ReviewRow, meeting: MeetingRow): Promise<AgendaPack> {
  const [attendees, items, { names, state }, plan] = await Promise.all([
    listAttendees(ctx.db, meeting.id),
    listItems(ctx.db, meeting.id),
    actionNames(ctx, review),
    planOfReview(ctx, review),
  ]);
  const numbered = numberedItems(items);
  const actionIds = [...new Set(numbered.flatMap((i) => (i.action_id === null ? [] : [i.action_id])))];
  const details = await listPackDetails(ctx.db, review.id, actionIds);
  const organisations = new Map(state.organisations.map((o) => [o.id, o.name]));
  const packAction = (actionId: number): PackAction | undefined => {
    const row = details.actions.find((a) => a.id === actionId);
    const name = names.get(actionId);
    if (!row || !name) return undefined;
    const status = plan.analysis.actionStatus.get(actionId);
    const latest = details.progress.filter((p) => p.action_id === actionId).at(-1);
    return {
      label: name.label,
      recommendationNumber: name.recommendationNumber,
      text: row.action_text,
      lead: row.lead_text,
      organisations: name.organisationIds.map((id) => organisations.get(id) ?? '').filter(Boolean),
      dueDate: row.due_date,
      rating: status?.rating ?? null,
      ratingProposed: status?.awaitingAgreement ?? false,
      latestProgress: latest ? { on: latest.progress_on, text: latest.text, by: latest.author_name } : null,
      evidence: details.evidence
        .filter((e) => e.action_id === actionId)
        .map((e) => ({
          title: e.title,
          effectiveOn: e.effective_on,
          status: e.withdrawn !== null ? ('withdrawn' as const) : e.status,
          source: e.file_name ?? e.url,
        })),
    };
  };
  const records: AgendaItemRecord[] = numbered.map((i) => {
    const action = i.action_id === null ? undefined : packAction(i.action_id);
    return {
      number: i.number,
      kind: i.kind,
      title: i.title,
      organisation: i.organisation_id === null ? null : (organisations.get(i.organisation_id) ?? null),
      ...(action ? { action } : {}),
    };
  });
  return {
    meeting: meetingHeading(review, meeting),
    scale: review.rating_scale,
    attendees: attendeeRecords(attendees),
    items: records,
    producedAt: ctx.now().toISOString(),
    link: `${publicBase(ctx.config)}/reviews/${review.id}/meetings/${meeting.id}`,
  };
}
