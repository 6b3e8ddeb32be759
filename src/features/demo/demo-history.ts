import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Trx } from '../../platform/db/database.ts';
import type { Forum } from '../../domain/meeting-records.ts';
import { isComplete, ratingName, type RatingScale } from '../../domain/ratings.ts';
import { formatLongDate } from '../../domain/dates.ts';
import { DEFAULT_STALE_DAYS } from '../../domain/exceptions.ts';
import { digestOf, meetingName } from '../meetings/meeting-access.service.ts';
import { draftMinutes } from '../meetings/meeting-records.service.ts';
import type { IllustrativeLayer } from './data/dataset-types.ts';
import { evidenceAddedOn, evidenceDecidedOn } from './illustrative-dates.ts';
import {
  findEvidenceId,
  findMeetingRow,
  findReviewRow,
  insertMeetingAttendees,
  insertMeetingItems,
  insertMeetingRequests,
  insertMeetingRow,
  insertQuestions,
  setLastingAssurance,
  updateMeetingMinutes,
} from './demo.repository.ts';

/*
 * The demo's illustrative history of meetings, questions and lasting assurance (issue 14): the
 * peer challenge group's June and July 2016 meetings with their attendance, agenda and minutes
 * (June's approved at July's, July's still a draft), a scrutiny question answered and a board
 * question waiting, and completed actions that say how their effect will be shown to last, one of
 * which has lapsed. Invented, like the rest of the illustrative layer, and marked so.
 */

interface HistoryAttendee {
  demoUser?: 'coordinator' | 'reviewer';
  name?: string;
  organisation?: string;
  attendance: 'present' | 'apologies' | 'absent';
  guest?: boolean;
}

interface HistoryMeeting {
  date: string;
  time: string;
  title: string;
  place: string;
  attendees: HistoryAttendee[];
  requests: { recommendation: string; index: number; text: string; dueOn: string }[];
  otherItems: { title: string; outcome: 'deferred' | 'noted'; note: string }[];
}

interface HistoryQuestion {
  recommendation: string;
  index?: number;
  text: string;
  askedBy: string;
  forum: Forum;
  meetingWords: string;
  askedOn: string;
  organisation: string;
  response?: { text: string; by: string; respondedOn: string; publishedOn: string };
}

export interface DemoHistory {
  meetings: HistoryMeeting[];
  questions: HistoryQuestion[];
  lastingAssurance: {
    default: { sustainHow: string; monthsAfterCompletion: number };
    actions: { recommendation: string; index: number; sustainHow: string; reassuranceDueOn: string }[];
  };
}

const dataDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data');

export function readDemoHistory(): DemoHistory {
  return JSON.parse(fs.readFileSync(path.join(dataDir, 'rotherham-2015-meetings.json'), 'utf8')) as DemoHistory;
}

/** The demo's people and places, by the keys the data uses. */
export interface HistoryRefs {
  reviewId: number;
  scale: RatingScale;
  organisations: Map<string, { id: number; name: string }>;
  recommendations: Map<string, number>;
  /** By 'recommendation#index'. */
  actions: Map<string, { id: number; organisationKeys: string[] }>;
}

/** The recorded meetings, first: the ratings and evidence they decided are written with their ids. */
export async function insertHistoryMeetings(
  trx: Trx,
  reviewId: number,
  history: DemoHistory,
  now: string,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const m of history.meetings) {
    const id = await insertMeetingRow(trx, {
      review_id: reviewId,
      forum: 'peer_challenge',
      title: m.title,
      starts_at: `${m.date}T${m.time}`,
      place: m.place,
      is_illustrative: 1,
      created_by_user_id: null,
      created_at: now,
      updated_at: now,
    });
    ids.set(m.date, id);
  }
  return ids;
}

/** Fresh evidence due a number of months after the day completion was agreed. */
function monthsAfter(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/**
 * Every action the illustrative layer has agreed complete says how its effect will be shown to
 * last and when fresh evidence is due: the data's own words for the named ones, else a re-audit
 * a set number of months after completion.
 */
export async function insertLastingAssurance(
  trx: Trx,
  refs: HistoryRefs,
  layer: IllustrativeLayer,
  history: DemoHistory,
): Promise<void> {
  const named = new Map(history.lastingAssurance.actions.map((a) => [`${a.recommendation}#${a.index}`, a]));
  for (const entry of layer.actions) {
    const key = `${entry.recommendation}#${entry.index}`;
    const action = refs.actions.get(key);
    const agreed = entry.ratings.filter((r) => r.agreedOn !== null && r.agreedRating !== null).at(-1);
    if (!action || !agreed?.agreedOn || !agreed.agreedRating || !isComplete(refs.scale, agreed.agreedRating)) {
      continue;
    }
    const own = named.get(key);
    const fallback = history.lastingAssurance.default;
    await setLastingAssurance(
      trx,
      action.id,
      own?.sustainHow ?? fallback.sustainHow,
      own?.reassuranceDueOn ?? monthsAfter(agreed.agreedOn, fallback.monthsAfterCompletion),
    );
  }
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`The demo's meeting history names ${what}, which does not exist`);
  return value;
}

/**
 * Attendance, agenda, requests and minutes of the recorded meetings, and the questions, once the
 * demo's people exist. The agenda of each meeting is what it decided: the evidence and ratings
 * the illustrative layer has decided on its day, per organisation, then its other items.
 */
export async function insertHistoryRecords(
  trx: Trx,
  refs: HistoryRefs,
  layer: IllustrativeLayer,
  history: DemoHistory,
  meetingIds: Map<string, number>,
  people: { coordinator: { id: number; name: string }; reviewer: { id: number; name: string } },
): Promise<void> {
  const orgName = (key: string) => need(refs.organisations.get(key), `organisation ${key}`).name;
  let previous: { id: number; date: string } | null = null;
  for (const m of history.meetings) {
    const meetingId = need(meetingIds.get(m.date), `a meeting on ${m.date}`);
    const at = `${m.date}T16:00:00.000Z`;
    await insertMeetingAttendees(
      trx,
      m.attendees.map((a) => {
        const user = a.demoUser ? people[a.demoUser] : null;
        return {
          meeting_id: meetingId,
          user_id: user?.id ?? null,
          name: user?.name ?? need(a.name, 'an attendee with no name'),
          email: null,
          organisation_name: a.organisation ? orgName(a.organisation) : '',
          role: a.guest ? ('guest' as const) : ('member' as const),
          attendance: a.attendance,
          created_at: at,
        };
      }),
    );

    type Item = Omit<Parameters<typeof insertMeetingItems>[1][number], 'position'>;
    const items: (Item & { sortKey: string })[] = [];
    for (const entry of layer.actions) {
      const action = refs.actions.get(`${entry.recommendation}#${entry.index}`);
      if (!action) continue;
      const organisation = [...action.organisationKeys].sort((a, b) => orgName(a).localeCompare(orgName(b)))[0];
      const base = {
        meeting_id: meetingId,
        action_id: action.id,
        question_id: null,
        organisation_id: organisation ? need(refs.organisations.get(organisation), organisation).id : null,
        outcome: 'decided' as const,
        created_at: at,
        sortKey: `${organisation ? orgName(organisation) : ''}#${String(action.id).padStart(9, '0')}`,
      };
      for (const e of entry.evidence) {
        if (e.status === 'submitted' || evidenceDecidedOn(evidenceAddedOn(e), layer.meetings) !== m.date) continue;
        items.push({
          ...base,
          kind: 'evidence',
          // Found by title: the layer's evidence titles are unique within an action.
          evidence_item_id: await findEvidenceId(trx, action.id, e.title),
          title: `Evidence submitted: ${e.title}`,
          outcome_note: e.status === 'accepted' ? 'Evidence accepted' : 'Evidence rejected',
          sortKey: `${base.sortKey}#1`,
        });
      }
      for (const r of entry.ratings) {
        if (r.agreedOn !== m.date || r.agreedRating === null) continue;
        items.push({
          ...base,
          kind: 'rating',
          evidence_item_id: null,
          title: `Rating proposed: ${ratingName(r.rating)}`,
          outcome_note: `Rating agreed: ${ratingName(r.agreedRating)}`,
          sortKey: `${base.sortKey}#2`,
        });
      }
    }
    for (const request of m.requests) {
      const action = need(refs.actions.get(`${request.recommendation}#${request.index}`), 'an action');
      const organisation = action.organisationKeys[0];
      items.push({
        meeting_id: meetingId,
        kind: 'other',
        action_id: action.id,
        evidence_item_id: null,
        question_id: null,
        organisation_id: organisation ? need(refs.organisations.get(organisation), organisation).id : null,
        title: `More evidence: ${request.text}`,
        outcome: 'decided',
        outcome_note: `More evidence requested by ${formatLongDate(request.dueOn)}`,
        created_at: at,
        sortKey: `\uffff#0`,
      });
    }
    items.sort((a, b) => a.sortKey.localeCompare(b.sortKey));
    const minutesItem: Item[] = previous
      ? [
          {
            meeting_id: meetingId,
            kind: 'minutes',
            action_id: null,
            evidence_item_id: null,
            question_id: null,
            organisation_id: null,
            title: `Minutes: approve the draft minutes of the ${meetingName({
              forum: 'peer_challenge',
              starts_at: `${previous.date}T${m.time}`,
              title: m.title,
            })}`,
            outcome: 'decided',
            outcome_note: 'Minutes approved',
            created_at: at,
          },
        ]
      : [];
    const others: Item[] = m.otherItems.map((o) => ({
      meeting_id: meetingId,
      kind: 'other',
      action_id: null,
      evidence_item_id: null,
      question_id: null,
      organisation_id: null,
      title: o.title,
      outcome: o.outcome,
      outcome_note: o.note,
      created_at: at,
    }));
    const ordered: Item[] = [...minutesItem, ...items.map(({ sortKey: _, ...item }) => item), ...others];
    await insertMeetingItems(
      trx,
      ordered.map((item, position) => ({ ...item, position })),
    );
    await insertMeetingRequests(
      trx,
      m.requests.map((request) => ({
        review_id: refs.reviewId,
        meeting_id: meetingId,
        action_id: need(refs.actions.get(`${request.recommendation}#${request.index}`), 'an action').id,
        text: request.text,
        owner_user_id: null,
        owner_name: 'The action’s lead',
        due_on: request.dueOn,
        created_by_name: people.reviewer.name,
        is_illustrative: 1,
        created_at: at,
      })),
    );
    await updateMeetingMinutes(trx, meetingId, { minutes_status: 'draft', updated_at: at });

    if (previous) {
      // The earlier meeting's minutes, approved at this one and frozen as they were approved.
      const review = await findReviewRow(trx, refs.reviewId);
      const drafted = await findMeetingRow(trx, previous.id);
      const approving = await findMeetingRow(trx, meetingId);
      const minutes = await draftMinutes(
        { db: trx, staleDays: DEFAULT_STALE_DAYS, now: () => new Date(at), today: () => m.date },
        review,
        drafted,
      );
      const snapshot = JSON.stringify({ ...minutes, status: 'approved', approvedAt: meetingName(approving) });
      await updateMeetingMinutes(trx, previous.id, {
        minutes_status: 'approved',
        minutes_approved_meeting_id: meetingId,
        minutes_approved_at: at,
        minutes_snapshot: snapshot,
        minutes_sha256: digestOf(snapshot),
        updated_at: at,
      });
    }
    previous = { id: meetingId, date: m.date };
  }

  await insertQuestions(
    trx,
    history.questions.map((q) => {
      const action = q.index === undefined ? undefined : refs.actions.get(`${q.recommendation}#${q.index}`);
      const response = q.response;
      return {
        review_id: refs.reviewId,
        recommendation_id: action ? null : need(refs.recommendations.get(q.recommendation), q.recommendation),
        action_id: action?.id ?? null,
        text: q.text,
        asked_by: q.askedBy,
        forum: q.forum,
        meeting_id: null,
        meeting_words: q.meetingWords,
        asked_on: q.askedOn,
        organisation_id: need(refs.organisations.get(q.organisation), q.organisation).id,
        recorded_by_user_id: null,
        recorded_by_name: people.coordinator.name,
        response_text: response?.text ?? '',
        response_status: response ? ('published' as const) : ('none' as const),
        response_by_name: response?.by ?? null,
        response_at: response ? `${response.respondedOn}T10:00:00.000Z` : null,
        approved_by_name: response ? people.coordinator.name : null,
        approved_by_user_id: response ? people.coordinator.id : null,
        published_on: response?.publishedOn ?? null,
        is_illustrative: 1,
        created_at: `${q.askedOn}T17:00:00.000Z`,
        updated_at: response ? `${response.publishedOn}T10:00:00.000Z` : `${q.askedOn}T17:00:00.000Z`,
      };
    }),
  );
}
