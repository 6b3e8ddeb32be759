import { FORUMS, FORUM_NAMES } from '../../domain/meeting-records.ts';
import { formatLongDate } from '../../domain/dates.ts';
import { ratingName } from '../../domain/ratings.ts';
import { plural } from '../../domain/words.ts';
import type { RefusedForm } from '../../platform/http/form-replies.ts';
import type { MeetingRow } from './meetings.repository.ts';
import type { MeetingPage, MeetingsList } from './meetings.service.ts';
import { meetingWhen } from './meeting-access.service.ts';

/* Meetings as their pages show them: dates in words, forum names, decisions as radio choices. */

const MINUTES_WORDS = { none: 'No minutes yet', draft: 'Draft minutes', approved: 'Minutes approved' } as const;

const DECISION_WORDS: Record<string, string> = {
  accept: 'Accept the evidence',
  reject: 'Reject the evidence',
  agree: 'Agree',
  challenge: 'Challenge the proposed rating',
  refuse: 'Refuse the revised date',
  approve: 'Approve the minutes',
  request: 'Request more evidence from the lead',
  defer: 'Defer to a later meeting',
  note: 'Noted, no decision needed',
};

export const ATTENDANCE_WORDS = {
  invited: 'Not recorded',
  present: 'Present',
  apologies: 'Sent apologies',
  absent: 'Absent',
} as const;

function meetingSummary(reviewId: number, m: MeetingRow) {
  return {
    href: `/reviews/${reviewId}/meetings/${m.id}`,
    name: m.title || FORUM_NAMES[m.forum],
    forum: FORUM_NAMES[m.forum],
    when: meetingWhen(m.starts_at),
    place: m.place,
    minutes: MINUTES_WORDS[m.minutes_status],
    agendaSent: m.agenda_sent_at !== null,
  };
}

export function presentMeetingsList(list: MeetingsList) {
  const reviewId = list.review.id;
  return {
    heading: 'Meetings',
    area: list.review.area,
    reviewId,
    upcoming: list.upcoming.map((m) => meetingSummary(reviewId, m)),
    past: list.past.map((m) => meetingSummary(reviewId, m)),
    quorum: list.quorum,
    canCoordinate: list.canCoordinate,
  };
}

export function forumChoices(chosen: string | undefined) {
  return FORUMS.map((f) => ({ value: f, text: FORUM_NAMES[f], checked: chosen === f }));
}

function decisionWords(decision: string, kind: string): string {
  if (decision === 'agree' && kind === 'due_date') return 'Agree the revised date';
  if (decision === 'agree') return 'Agree a rating';
  return DECISION_WORDS[decision] ?? decision;
}

/** "Deferred: wait for the audit", "Rating agreed: Green", "Noted". */
function outcomeWords(outcome: string, note: string): string {
  if (outcome === 'deferred') return note ? `Deferred: ${note}` : 'Deferred';
  if (outcome === 'noted') return note ? `Noted: ${note}` : 'Noted';
  return note;
}

export function presentMeetingPage(page: MeetingPage, refused: RefusedForm | null) {
  const { review, meeting } = page;
  const base = `/reviews/${review.id}/meetings/${meeting.id}`;
  const fields = refused?.fields ?? {};
  const value = (name: string) => {
    const v = fields[name];
    return typeof v === 'string' ? v : '';
  };
  let organisation: string | null = null;
  const items = page.items.map((i) => {
    const heading = i.organisation_id !== null && i.organisation !== organisation ? i.organisation : null;
    organisation = i.organisation;
    const p = `item-${i.id}-`;
    return {
      ...i,
      heading,
      prefix: p,
      outcomeWords: i.outcome === 'open' ? '' : outcomeWords(i.outcome, i.outcome_note),
      actionHref: i.action_id === null ? null : `/reviews/${review.id}/actions/${i.action_id}`,
      choices: [
        { value: '', text: 'No decision', checked: value(`${p}decision`) === '' },
        ...i.decisions.map((d) => ({
          value: d,
          text: decisionWords(d, i.kind),
          checked: value(`${p}decision`) === d,
        })),
      ],
      values: {
        reason: value(`${p}reason`),
        rating: value(`${p}rating`),
        rationale: value(`${p}rationale`),
        overrideReason: value(`${p}overrideReason`),
        request: value(`${p}request`),
        note: value(`${p}note`),
        requestDue: {
          day: value(`${p}requestDue-day`),
          month: value(`${p}requestDue-month`),
          year: value(`${p}requestDue-year`),
        },
      },
      ratingItems: [
        { value: '', text: 'Choose a rating' },
        ...page.ratings.map((r) => ({ value: r, text: ratingName(r), selected: value(`${p}rating`) === r })),
      ],
      version: refused ? value(`${p}version`) || String(i.evidenceVersion ?? '') : String(i.evidenceVersion ?? ''),
    };
  });
  return {
    heading: meeting.title || FORUM_NAMES[meeting.forum],
    area: review.area,
    reviewId: review.id,
    base,
    forum: FORUM_NAMES[meeting.forum],
    when: meetingWhen(meeting.starts_at),
    place: meeting.place,
    minutesStatus: MINUTES_WORDS[meeting.minutes_status],
    agendaSent: meeting.agenda_sent_at ? formatLongDate(meeting.agenda_sent_at.slice(0, 10)) : null,
    frozen: page.frozen,
    canCoordinate: page.canCoordinate,
    canChair: page.canChair,
    items,
    removed: page.removed.map((i) => i.title),
    attendees: page.attendees.map((a) => ({
      ...a,
      field: `attendance-${a.id}`,
      words: ATTENDANCE_WORDS[a.attendance],
      chosen: value(`attendance-${a.id}`) || a.attendance,
    })),
    quorumWords:
      `${page.quorum.quorate ? 'Quorate' : 'Not quorate'}: ` +
      `${plural(page.quorum.present, 'member')} present, ${page.quorum.required} needed`,
    minutes: {
      ...page.minutes,
      requests: page.minutes.requests.map((r) => ({ ...r, due: formatLongDate(r.dueOn) })),
    },
    fields,
  };
}
