import type { RatingScale } from '../../domain/ratings.ts';
import { formatDate, ratingTag, ratingWord } from '../../platform/presentation.ts';
import type { ActionPage } from './actions.service.ts';

function fileSize(bytes: number | null): string {
  if (bytes === null) return '';
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 102.4) / 10} KB`;
  return `${Math.round(bytes / (1024 * 104.86)) / 10} MB`;
}

const EVIDENCE_STATUS: Record<string, { text: string; classes: string }> = {
  submitted: { text: 'Submitted', classes: 'nhsuk-tag--grey' },
  accepted: { text: 'Accepted', classes: 'nhsuk-tag--green' },
  rejected: { text: 'Rejected', classes: 'nhsuk-tag--red' },
};

export function presentAction(p: ActionPage) {
  const { review, action } = p;
  const scale = review.rating_scale as RatingScale;
  const base = `/reviews/${review.id}`;
  const recommendationHref = `${base}/recommendations/${encodeURIComponent(action.recommendation_number)}`;
  const shown = p.current.agreed ?? p.current.proposed;
  return {
    pageTitle: `${p.label} – ${review.area}`,
    label: p.label,
    isDemo: review.is_demo === 1,
    noticeText: review.illustrative_notice,
    archived: action.archived_at !== null,
    recommendation: { number: action.recommendation_number, text: action.recommendation_text, href: recommendationHref },
    agency: action.agency_text || 'Not given',
    organisations: p.organisations.map((o) => o.name),
    text: action.action_text,
    lead: action.lead_text || 'Not given',
    dateWords: action.date_words || 'Not given',
    dueDate: action.due_date ? formatDate(action.due_date) : 'No date',
    dateReason: p.dateReading.reason,
    measure: action.measure,
    recommendationOutcome: action.recommendation_outcome,
    assurance: action.assurance,
    rating: {
      tag: ratingTag(scale, shown),
      status: p.current.agreed
        ? p.current.disputed
          ? `Agreed ${ratingWord(p.current.agreed)}; a later proposal of ${ratingWord(p.current.proposed)} is waiting to be agreed.`
          : `Agreed ${ratingWord(p.current.agreed)}.`
        : p.current.proposed
          ? `Proposed ${ratingWord(p.current.proposed)}, not yet agreed.`
          : 'No rating yet.',
    },
    ratingHistory: p.ratings.map((r) => ({
      date: formatDate(r.decided_on),
      what: r.kind === 'agreed' ? 'Agreed' : 'Proposed',
      tag: ratingTag(scale, r.rating),
      by: r.actor_name,
      rationale: r.rationale,
      override: r.override_reason,
      illustrative: r.is_illustrative === 1,
    })),
    progress: p.progress.map((u) => ({
      date: formatDate(u.progress_on),
      text: u.text,
      author: u.author_name,
      proposed: u.proposed_rating ? ratingTag(scale, u.proposed_rating) : null,
      illustrative: u.is_illustrative === 1,
    })),
    evidence: p.evidence.map((e) => ({
      title: e.title,
      kind: e.kind === 'file' ? `File: ${e.file_name ?? ''} (${fileSize(e.size)})` : e.kind === 'link' ? 'Link' : 'Note',
      url: e.kind === 'link' ? e.url : null,
      note: e.kind === 'note' ? e.note : null,
      date: formatDate(e.effective_on),
      status: EVIDENCE_STATUS[e.status] ?? { text: e.status, classes: 'nhsuk-tag--grey' },
      statusReason: e.status_reason,
      addedBy: e.added_by_name,
      illustrative: e.is_illustrative === 1,
    })),
    exceptions: p.exceptions.map((e) => e.reason),
    breadcrumbs: [
      { text: 'Reviews', href: '/reviews' },
      { text: review.area, href: base },
      { text: `Recommendation ${action.recommendation_number}`, href: recommendationHref },
    ],
  };
}
