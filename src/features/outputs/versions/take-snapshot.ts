// Builds a PlanSnapshot from the database: the analysed plan (ratings rolled up, exceptions
// found as at the review's day) plus every text, progress entry and evidence item.
import { actionLabel } from '../../../domain/words.ts';
import type { Db } from '../../../platform/db/database.ts';
import type { Actor } from '../../../domain/permissions.ts';
import { inHistoryOrder } from '../../../domain/ratings.ts';
import { getReviewOverview, type ReviewsContext } from '../../reviews/reviews.service.ts';
import { loadSnapshotDetails, type VersionRow } from './snapshot.repository.ts';
import {
  SNAPSHOT_FORMAT,
  type PlanSnapshot,
  type SnapshotMeeting,
  type SnapshotRatingEvent,
  type SnapshotVersionRow,
} from '../../../domain/plan-snapshot.ts';
import { formatLongDate } from '../../../domain/dates.ts';
import { FORUM_NAMES, type Forum } from '../../../domain/meeting-records.ts';

function groupBy<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return map;
}

/** Stored as a JSON list; older rows may hold plain words. */
function inspectorsOf(stored: string): string[] {
  try {
    const parsed: unknown = JSON.parse(stored);
    if (Array.isArray(parsed)) return parsed.map(String);
  } catch {
    // plain words
  }
  return stored.trim() ? [stored.trim()] : [];
}

export function versionRowOf(row: VersionRow): SnapshotVersionRow {
  return {
    number: row.number,
    issuedOn: row.issued_on,
    author: row.author,
    purpose: row.purpose,
    actionText: row.action_text,
    comment: row.comment,
    recipients: row.recipients,
    frozen: Boolean(row.frozen),
  };
}

/** The meeting a rating was decided at, when there was one: left out otherwise, as in older snapshots. */
function meetingOf(row: { meeting_forum: Forum | null; meeting_starts_at: string | null }): {
  meeting?: SnapshotMeeting;
} {
  return row.meeting_forum && row.meeting_starts_at
    ? { meeting: { forum: row.meeting_forum, startsAt: row.meeting_starts_at } }
    : {};
}

/** 'Peer challenge group, 12 January 2017' */
function meetingWords(forum: Forum, startsAt: string): string {
  return `${FORUM_NAMES[forum]}, ${formatLongDate(startsAt.slice(0, 10))}`;
}

/** What a question is about, as its record says it: 'the review', 'Recommendation 2.1' or an action's label. */
function questionAbout(
  q: { recommendation_id: number | null; action_id: number | null },
  actions: PlanSnapshot['actions'],
  numberOfRec: Map<number, string>,
): string {
  if (q.action_id !== null) {
    const action = actions.find((a) => a.id === q.action_id);
    if (action) return action.label;
  }
  if (q.recommendation_id !== null) {
    const number = numberOfRec.get(q.recommendation_id);
    if (number) return `Recommendation ${number}`;
  }
  return 'the review';
}

/** The plan of one review as it stands, as plain data. The caller has checked the actor may read it. */
export async function takeSnapshot(
  ctx: ReviewsContext & { db: Db },
  actor: Actor,
  reviewId: number,
  takenAt: string,
): Promise<PlanSnapshot> {
  const overview = await getReviewOverview(ctx, actor, reviewId);
  const { review, state, analysis, options } = overview;
  const details = await loadSnapshotDetails(ctx.db, reviewId);

  const recExtra = new Map(details.recommendations.map((r) => [r.id, r]));
  const actionExtra = new Map(details.actions.map((a) => [a.id, a]));
  const progressBy = groupBy(details.progress, (p) => p.action_id);
  const evidenceBy = groupBy(details.evidence, (e) => e.action_id);
  const ratingsBy = groupBy(details.ratings, (r) => r.action_id);
  const challengesBy = groupBy(details.challenges, (c) => c.action_id);
  const findingsBy = groupBy(details.findingLinks, (f) => f.recommendation_id);
  const numberOfRec = new Map(state.recommendations.map((r) => [r.id, r.number]));
  const positionInRec = new Map<number, number>();

  const actions: PlanSnapshot['actions'] = state.actions.map((a) => {
    const n = (positionInRec.get(a.recommendation_id) ?? 0) + 1;
    positionInRec.set(a.recommendation_id, n);
    const status = analysis.actionStatus.get(a.id);
    const events = ratingsBy.get(a.id) ?? [];
    const lastAgreed = [...events].reverse().find((e) => e.kind === 'agreed');
    const ratingEvents = inHistoryOrder(
      events.map((e) => ({ ...e, decidedOn: e.decided_on, recordedAt: e.created_at })),
      (challengesBy.get(a.id) ?? []).map((c) => ({ ...c, decidedOn: c.decided_on, recordedAt: c.created_at })),
    ).map((event): SnapshotRatingEvent =>
      'challenge' in event
        ? {
            kind: 'challenged' as const,
            rating: event.challenge.rating,
            on: event.challenge.decided_on,
            by: event.challenge.actor_name,
          }
        : {
            kind: event.decision.kind,
            rating: event.decision.rating,
            on: event.decision.effective_on ?? event.decision.decided_on,
            by: event.decision.actor_name,
            ...meetingOf(event.decision),
          },
    );
    const lastAgreedEvent = ratingEvents.findLast((e) => e.kind === 'agreed');
    return {
      id: a.id,
      recommendationId: a.recommendation_id,
      label: status?.label ?? actionLabel(n, numberOfRec.get(a.recommendation_id) ?? '?'),
      number: n,
      agency: a.agency_text,
      organisationIds: a.organisationIds,
      action: actionExtra.get(a.id)?.action_text ?? '',
      lead: a.lead_text,
      dateWords: a.date_words,
      dueDate: a.due_date,
      originalDueDate: status?.dueDate.original ?? a.due_date,
      dueDateMoves: status?.dueDate.moves ?? 0,
      proposedDueDate: status?.dueDate.pending?.proposedDate ?? null,
      measure: a.measure,
      assurance: actionExtra.get(a.id)?.assurance ?? '',
      createdOn: a.created_on,
      rating: status?.rating ?? null,
      ratingStatus: status?.rating ? (status.awaitingAgreement ? 'proposed' : 'agreed') : 'none',
      disputed: status?.disputed ?? false,
      agreedBy: lastAgreed?.actor_name ?? null,
      agreedOn: lastAgreed?.decided_on ?? null,
      agreedAt: lastAgreedEvent?.meeting ?? null,
      sustainHow: actionExtra.get(a.id)?.sustain_how ?? '',
      reassuranceDueOn: actionExtra.get(a.id)?.reassurance_due_on ?? null,
      ratingEvents,
      progress: (progressBy.get(a.id) ?? []).map((p) => ({
        id: p.id,
        on: p.progress_on,
        text: p.text,
        author: p.author_name,
      })),
      evidence: (evidenceBy.get(a.id) ?? []).map((e) => ({
        id: e.id,
        kind: e.kind,
        title: e.title,
        effectiveOn: e.effective_on,
        periodStart: e.period_start,
        fileName: e.file_name,
        mediaType: e.media_type,
        size: e.size,
        sha256: e.blob_sha256,
        url: e.url,
        note: e.note,
        status: e.status,
        statusReason: e.status_reason,
        statusBy: e.status_by_name,
        statusOn: e.status_at ? e.status_at.slice(0, 10) : null,
        addedBy: e.added_by_name,
        addedOn: e.created_at.slice(0, 10),
      })),
    };
  });

  const actionsByRec = groupBy(actions, (a) => a.recommendationId);
  const recommendations: PlanSnapshot['recommendations'] = state.recommendations.map((r) => {
    const own = actionsByRec.get(r.id) ?? [];
    const lastProgress =
      own
        .flatMap((a) => a.progress.map((p) => p.on))
        .sort()
        .at(-1) ?? null;
    const lastAgreement = own
      .filter((a) => a.agreedOn !== null)
      .sort((x, y) => ((x.agreedOn ?? '') < (y.agreedOn ?? '') ? -1 : 1))
      .at(-1);
    const extra = recExtra.get(r.id);
    return {
      id: r.id,
      groupId: r.group_id,
      number: r.number,
      text: r.text,
      outcome: r.outcome,
      anticipatedEvidence: extra?.anticipated_evidence ?? '',
      assurance: extra?.assurance ?? '',
      responsibleOfficer: extra?.responsible_officer ?? '',
      findingNumbers: [...new Set((findingsBy.get(r.id) ?? []).map((f) => f.number))],
      rating: analysis.rollUp.byRecommendation[String(r.id)]?.rating ?? null,
      basis: {
        actions: own.length,
        ratedActions: own.filter((a) => a.rating !== null).length,
        acceptedEvidence: own.reduce((n, a) => n + a.evidence.filter((e) => e.status === 'accepted').length, 0),
        lastProgressOn: lastProgress,
        lastAgreedBy: lastAgreement?.agreedBy ?? null,
        lastAgreedOn: lastAgreement?.agreedOn ?? null,
        lastAgreedAt: lastAgreement?.agreedAt ?? null,
      },
    };
  });

  const orgIds = new Set(state.organisations.map((o) => o.id));
  const organisations = [...state.organisations, ...overview.covered.filter((o) => !orgIds.has(o.id))]
    .map((o) => ({ id: o.id, name: o.name, shortName: o.short_name, kind: o.kind }))
    .sort((x, y) => x.name.localeCompare(y.name, 'en-GB'));

  return {
    format: SNAPSHOT_FORMAT,
    takenAt,
    asOf: options.today,
    staleDays: options.staleDays,
    version: null,
    review: {
      id: review.id,
      title: review.title,
      type: review.type,
      area: review.area,
      reviewStart: review.review_start,
      reviewEnd: review.review_end,
      reportPublished: review.report_published,
      reportReceived: review.report_received,
      planDue: overview.dueDate,
      inspectors: inspectorsOf(review.inspectors),
      ratingScale: review.rating_scale,
      leadOrganisation: overview.lead?.name ?? null,
      illustrativeNotice: review.illustrative_notice,
    },
    organisations,
    versions: details.versions.map(versionRowOf),
    groups: state.groups.map((g) => ({
      id: g.id,
      number: g.number,
      heading: g.heading,
      organisationIds: g.organisationIds,
    })),
    recommendations,
    actions,
    questions: details.questions.map((q) => ({
      id: q.id,
      about: questionAbout(q, actions, numberOfRec),
      text: q.text,
      askedBy: q.asked_by,
      forum: q.forum,
      meeting:
        q.meeting_forum && q.meeting_starts_at ? meetingWords(q.meeting_forum, q.meeting_starts_at) : q.meeting_words,
      askedOn: q.asked_on,
      organisation: q.organisation_name,
      response: q.response,
    })),
    exceptions: analysis.exceptions.map((e) => ({
      kind: e.kind,
      subjectType: e.subject.type,
      subjectId: Number(e.subject.id),
      label: e.subject.label,
      recommendationId: e.recommendationId === undefined ? null : Number(e.recommendationId),
      reason: e.reason,
    })),
  };
}
