import { addDays, formatDate } from '../../domain/dates.ts';
import { FORUM_NAMES, type Forum } from '../../domain/meeting-records.ts';
import { LASTING_ASSURANCE_NAMES } from '../../domain/lasting-assurance.ts';
import { NO_RATING, ratingName, shownRating } from '../../domain/ratings.ts';
import { ratingTag } from '../../platform/presentation.ts';
import type { ActionPage } from './actions.service.ts';

/** '12.3 KB': sizes as people read them, in units of 1,024. */
export function fileSize(bytes: number | null): string {
  if (bytes === null) return '';
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 102.4) / 10} KB`;
  return `${Math.round(bytes / 104857.6) / 10} MB`;
}

const londonTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: 'numeric',
  minute: '2-digit',
  hourCycle: 'h23',
});
const londonDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/**
 * '23 November 2026 at 2:05pm': when something was recorded, in England's time. The NHS
 * style guide writes times as 9am, 2:05pm, midday and midnight.
 */
export function formatRecordedAt(instant: string | null): string {
  const at = instant ? new Date(instant) : null;
  if (!at || Number.isNaN(at.getTime())) return '';
  const [hourText = '0', minuteText = '00'] = londonTime.format(at).split(':');
  const hour = Number(hourText);
  const minute = minuteText === '00' ? '' : `:${minuteText}`;
  const time =
    hour === 0 && !minute
      ? 'midnight'
      : hour === 12 && !minute
        ? 'midday'
        : `${hour % 12 === 0 ? 12 : hour % 12}${minute}${hour < 12 ? 'am' : 'pm'}`;
  return `${formatDate(londonDate.format(at))} at ${time}`;
}

const EVIDENCE_STATUS: Record<string, { text: string; classes: string }> = {
  submitted: { text: 'Submitted', classes: 'nhsuk-tag--grey' },
  accepted: { text: 'Accepted', classes: 'nhsuk-tag--green' },
  rejected: { text: 'Rejected', classes: 'nhsuk-tag--red' },
};

/** '23 November 2026': the day something was recorded, in England. */
export function recordedOn(instant: string): string {
  const at = new Date(instant);
  return Number.isNaN(at.getTime()) ? '' : formatDate(londonDate.format(at));
}

const WITHDRAWN_STATUS = { text: 'Withdrawn', classes: 'nhsuk-tag--grey' };

/** "Withdrawn on 3 December 2026 by Sam Nurse. Reason: posted on the wrong action." */
function withdrawnText(item: {
  withdrawn_at: string | null;
  withdrawn_by: string | null;
  withdrawn_reason: string | null;
}): string | null {
  if (item.withdrawn_at === null) return null;
  const reason = item.withdrawn_reason ? ` Reason: ${item.withdrawn_reason}` : '';
  const by = item.withdrawn_by ?? 'the person who posted it';
  return `Withdrawn on ${recordedOn(item.withdrawn_at)} by ${by}.${reason}`;
}

/** The kind of a stored file by its extension, which the upload check set from its content. */
function fileKind(fileName: string | null): string {
  const extension = /\.([a-z0-9]+)$/i.exec(fileName ?? '')?.[1];
  return extension ? `${extension.toUpperCase()} file` : 'File';
}

/** Only web addresses become links: anything else is shown as text. */
function isWebAddress(url: string | null): url is string {
  return url !== null && /^https?:\/\//i.test(url);
}

/** "agreed at the peer challenge group on 12 January 2017": the meeting that took a decision. */
export function meetingWords(
  verb: string,
  meeting: { forum: string | null; startsAt: string | null } | null,
): string | null {
  if (!meeting?.forum || !meeting.startsAt) return null;
  const forum = meeting.forum as Forum;
  const name = FORUM_NAMES[forum] as string | undefined;
  const at =
    forum === 'other' || name === undefined
      ? 'a meeting'
      : forum === 'health_wellbeing_board'
        ? `the ${name}`
        : `the ${name.charAt(0).toLowerCase()}${name.slice(1)}`;
  return `${verb} at ${at} on ${formatDate(meeting.startsAt.slice(0, 10))}`;
}

/** Where a completed action's assurance stands, in words for its page. */
function assuranceWords(p: ActionPage) {
  const due = p.action.reassurance_due_on;
  const sustain = p.action.sustain_how.trim();
  const dueWords = due ? formatDate(due) : null;
  const state = p.assurance;
  const lines: Record<typeof state, string> = {
    not_complete: dueWords
      ? `Not agreed complete yet. Once it is, fresh evidence is due by ${dueWords}.`
      : 'Not agreed complete yet.',
    no_date: 'Agreed complete, but no date is set by which fresh evidence is due.',
    due: `Fresh evidence due by ${dueWords ?? ''}.`,
    held: `Fresh accepted evidence is in: the effect is shown to last.${dueWords ? ` It was due by ${dueWords}.` : ''}`,
    lapsed:
      `Assurance lapsed on ${due ? formatDate(addDays(due, 1)) : ''}: ` +
      `fresh accepted evidence was due by ${dueWords ?? ''}.`,
  };
  return {
    state,
    name: LASTING_ASSURANCE_NAMES[state],
    lapsed: state === 'lapsed',
    line: lines[state],
    sustain: sustain || null,
    dueOn: dueWords,
  };
}

function currentStatus(p: ActionPage): string {
  const { agreed, proposed, disputed, challenge, overrideReason } = p.current;
  if (challenge)
    return `Proposed ${ratingName(proposed)}, not agreed: the proposal was challenged on ${formatDate(challenge.at)}.`;
  if (agreed) {
    const override = overrideReason ? ' Agreed without accepted recent evidence.' : '';
    return disputed
      ? `Agreed ${ratingName(agreed)}; a later proposal of ${ratingName(proposed)} is waiting to be agreed.${override}`
      : `Agreed ${ratingName(agreed)}.${override}`;
  }
  return proposed ? `Proposed ${ratingName(proposed)}, not yet agreed.` : `${NO_RATING.meaning}.`;
}

export function presentAction(p: ActionPage) {
  const { review, action } = p;
  const scale = review.rating_scale;
  const base = `/reviews/${review.id}`;
  const actionHref = `${base}/actions/${action.id}`;
  const recommendationHref = `${base}/recommendations/${encodeURIComponent(action.recommendation_number)}`;
  const shown = shownRating(p.current);
  const evidenceByUpdate = new Map<number, { title: string }[]>();
  const evidenceDecided = new Set<number>();
  for (const e of p.evidence) {
    if (e.progress_update_id === null) continue;
    evidenceByUpdate.set(e.progress_update_id, [
      ...(evidenceByUpdate.get(e.progress_update_id) ?? []),
      { title: e.title },
    ]);
    if (e.status !== 'submitted') evidenceDecided.add(e.progress_update_id);
  }
  const ratingHistory = [
    ...p.ratings.map((r) => ({
      sortKey: [r.decided_on, r.created_at, 0, r.id] as const,
      // Dated as the progress update it came with; the time it was typed in is kept beside it.
      date: formatDate(r.effective_on ?? r.decided_on),
      what: r.kind === 'agreed' ? 'Agreed' : 'Proposed',
      tag: ratingTag(scale, r.rating),
      by: r.actor_name,
      rationale: r.rationale,
      override: r.override_reason,
      recordedAt: formatRecordedAt(r.created_at),
      illustrative: r.is_illustrative === 1,
      meeting: meetingWords(r.kind === 'agreed' ? 'Agreed' : 'Recorded', {
        forum: r.meeting_forum,
        startsAt: r.meeting_starts_at,
      }),
    })),
    ...p.challenges.map((c) => ({
      sortKey: [c.decided_on, c.created_at, 1, c.id] as const,
      date: formatDate(c.decided_on),
      what: 'Challenged the proposal',
      tag: ratingTag(scale, c.rating),
      by: c.actor_name,
      rationale: c.rationale,
      override: null,
      recordedAt: formatRecordedAt(c.created_at),
      illustrative: false,
      meeting: meetingWords('Challenged', { forum: c.meeting_forum, startsAt: c.meeting_starts_at }),
    })),
  ]
    // Newest first (issue 13): the latest decision is what a reader looks for.
    .sort((a, b) => {
      for (let i = 0; i < a.sortKey.length; i += 1) {
        const x = a.sortKey[i] ?? '';
        const y = b.sortKey[i] ?? '';
        if (x !== y) return x < y ? 1 : -1;
      }
      return 0;
    })
    .map(({ sortKey: _, ...entry }) => entry);
  // The group has decided on an update once it agrees or challenges a rating after it was posted.
  const decisionTimes = [
    ...p.ratings.filter((r) => r.kind === 'agreed').map((r) => r.created_at),
    ...p.challenges.map((c) => c.created_at),
  ];
  const decidedSince = (at: string) => decisionTimes.some((t) => t >= at);

  return {
    pageTitle: `${p.label} – ${review.area}`,
    label: p.label,
    isDemo: review.is_demo === 1,
    noticeText: review.illustrative_notice,
    archived: action.archived_at !== null,
    recommendation: {
      number: action.recommendation_number,
      text: action.recommendation_text,
      href: recommendationHref,
    },
    agency: action.agency_text || 'Not given',
    organisations: p.organisations.map((o) => o.name),
    text: action.action_text,
    lead: action.lead_text || 'Not given',
    dateWords: action.date_words || 'Not given',
    dueDate: action.due_date ? formatDate(action.due_date) : 'No date',
    // Once a revised date is agreed, the date words no longer say where the due date came from.
    dateReason:
      p.dueDates.moves > 0
        ? `An agreed revised date (the date words gave ${p.dateReading.reason}).`
        : p.dateReading.reason,
    dueDates: {
      original: p.dueDates.original ? formatDate(p.dueDates.original) : 'No date',
      moves: p.dueDates.moves,
      pending: p.dueDates.pending && {
        date: formatDate(p.dueDates.pending.proposedDate),
        by: p.dueDates.pending.by,
        reason: p.dueDates.pending.reason,
      },
    },
    measure: action.measure,
    recommendationOutcome: action.recommendation_outcome,
    assurance: action.assurance,
    links: {
      progress: `${actionHref}/progress/new`,
      evidence: `${actionHref}/evidence/new`,
      rating: `${actionHref}/rating`,
      edit: `${actionHref}/edit`,
      archive: `${actionHref}/archive`,
      history: `${actionHref}/history`,
      dueDate: `${actionHref}/due-date`,
      askQuestion: `${base}/questions/new?about=action:${action.id}`,
      questions: `${base}/questions`,
    },
    rating: {
      tag: ratingTag(scale, shown),
      status: currentStatus(p),
      challenge: p.current.challenge ? p.current.challenge.rationale : null,
      override: p.current.overrideReason,
    },
    ratingHistory,
    // Newest first (issue 13); the service keeps them oldest first, as the diary was written.
    progress: [...p.progress].reverse().map((u) => ({
      date: formatDate(u.progress_on),
      recordedAt: formatRecordedAt(u.created_at),
      text: u.text,
      author: u.author_name,
      proposed: u.proposed_rating ? ratingTag(scale, u.proposed_rating) : null,
      evidence: evidenceByUpdate.get(u.id) ?? [],
      illustrative: u.is_illustrative === 1,
      withdrawn: withdrawnText(u),
      // Only its author may withdraw it, which the withdrawal page checks: this page is the same for every editor.
      withdrawHref:
        u.withdrawn_at === null &&
        u.author_user_id !== null &&
        !evidenceDecided.has(u.id) &&
        !decidedSince(u.created_at)
          ? `${base}/progress/${u.id}/withdraw`
          : null,
    })),
    evidence: p.evidence.map((e) => ({
      id: e.id,
      title: e.title,
      kind: e.kind === 'file' ? 'File' : e.kind === 'link' ? 'Link' : 'Note',
      file:
        e.kind === 'file'
          ? {
              name: e.file_name ?? 'evidence',
              details: `${fileKind(e.file_name)}, ${fileSize(e.size)}`,
              href: `${base}/evidence/${e.id}/file`,
            }
          : null,
      url: e.kind === 'link' ? e.url : null,
      urlIsLink: e.kind === 'link' && isWebAddress(e.url),
      note: e.kind === 'note' ? e.note : null,
      dates: e.period_start
        ? `${formatDate(e.period_start)} to ${formatDate(e.effective_on)}`
        : formatDate(e.effective_on),
      addedBy: e.added_by_name,
      addedAt: formatRecordedAt(e.created_at),
      status: e.withdrawn_at
        ? WITHDRAWN_STATUS
        : (EVIDENCE_STATUS[e.status] ?? { text: e.status, classes: 'nhsuk-tag--grey' }),
      withdrawn: withdrawnText(e),
      withdrawHref:
        e.withdrawn_at === null && e.added_by_user_id !== null && e.status === 'submitted'
          ? `${base}/evidence/${e.id}/withdraw`
          : null,
      decision:
        e.status === 'submitted'
          ? null
          : (e.status === 'accepted' ? 'Accepted' : 'Rejected') +
            (e.status_by_name ? ` by ${e.status_by_name}` : '') +
            `${e.status_at ? ` on ${formatRecordedAt(e.status_at)}` : ''}.`,
      statusReason: e.status_reason,
      submitted: e.status === 'submitted' && e.withdrawn_at === null,
      version: e.version,
      decisionHref: `${base}/evidence/${e.id}/decision`,
      illustrative: e.is_illustrative === 1,
    })),
    exceptions: p.exceptions.map((e) => e.reason),
    lastingAssurance: assuranceWords(p),
    questions: p.publishedQuestions.map((q) => ({
      text: q.text,
      askedBy: q.asked_by,
      askedOn: formatDate(q.asked_on),
      forum: FORUM_NAMES[q.forum],
      meetingWords: q.meeting_words,
      response: q.response_text,
      respondedBy: q.response_by_name,
      publishedOn: q.published_on ? formatDate(q.published_on) : null,
      illustrative: q.is_illustrative === 1,
    })),
    breadcrumbs: [
      { text: 'Reviews', href: '/reviews' },
      { text: review.area, href: base },
      { text: `Recommendation ${action.recommendation_number}`, href: recommendationHref },
    ],
  };
}

/** An action page -> the JSON answer (actionPageAnswer): the action with its history, 0 and 1 as booleans. */
export function presentActionJson(p: ActionPage) {
  const a = p.action;
  return {
    action: {
      id: a.id,
      review_id: a.review_id,
      recommendation_id: a.recommendation_id,
      position: a.position,
      agency_text: a.agency_text,
      action_text: a.action_text,
      lead_text: a.lead_text,
      date_words: a.date_words,
      due_date: a.due_date,
      measure: a.measure,
      assurance: a.assurance,
      sustain_how: a.sustain_how,
      reassurance_due_on: a.reassurance_due_on,
      created_on: a.created_on,
      archived_at: a.archived_at,
      version: a.version,
      recommendation_number: a.recommendation_number,
      recommendation_text: a.recommendation_text,
      recommendation_outcome: a.recommendation_outcome,
    },
    label: p.label,
    organisations: p.organisations.map((o) => ({ id: o.id, name: o.name, short_name: o.short_name })),
    dateReading: p.dateReading,
    rating: p.current,
    lastingAssurance: p.assurance,
    assignments: p.assignments.map((a) => ({
      organisationId: a.organisationId,
      name: a.name,
      assignedAt: a.assignedAt,
      answer: a.answer && { response: a.answer.response, reason: a.answer.reason, by: a.answer.by, at: a.answer.at },
    })),
    questions: p.publishedQuestions.map((q) => ({
      id: q.id,
      text: q.text,
      asked_by: q.asked_by,
      forum: q.forum,
      asked_on: q.asked_on,
      response_text: q.response_text,
      response_by_name: q.response_by_name,
      published_on: q.published_on,
    })),
    ratingHistory: p.ratings.map((r) => ({ ...r, is_illustrative: r.is_illustrative === 1 })),
    challenges: p.challenges,
    progress: p.progress.map((u) => ({ ...u, is_illustrative: u.is_illustrative === 1 })),
    evidence: p.evidence.map((e) => ({
      ...e,
      is_illustrative: e.is_illustrative === 1,
      download: e.kind === 'file' ? `/reviews/${p.review.id}/evidence/${e.id}/file` : null,
    })),
    exceptions: p.exceptions,
  };
}
