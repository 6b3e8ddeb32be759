import { formatDate } from '../../domain/dates.ts';
import { ratingTag } from '../../platform/presentation.ts';
import { ratedWords } from '../../domain/rating-roll-up.ts';
import type { RecommendationPage } from './recommendations.service.ts';

export function presentRecommendation(p: RecommendationPage) {
  const { review } = p.plan;
  const scale = review.rating_scale;
  const base = `/reviews/${review.id}`;
  const recommendationHref = `${base}/recommendations/${encodeURIComponent(p.recommendation.number)}`;
  const organisationIdsOf = new Map(p.plan.state.actions.map((a) => [a.id, a.organisationIds]));
  return {
    pageTitle: `Recommendation ${p.recommendation.number} – ${review.area}`,
    number: p.recommendation.number,
    text: p.recommendation.text,
    isDemo: review.is_demo === 1,
    noticeText: review.illustrative_notice,
    group: {
      number: p.recommendation.group_number,
      heading: p.recommendation.group_heading,
      editHref: `${base}/groups/${p.recommendation.group_id}/edit`,
    },
    // Links for those allowed: the template shows each by the page's `can` flags.
    editHref: `${recommendationHref}/edit`,
    addActionHref: `${recommendationHref}/actions/new`,
    archiveHref: `${recommendationHref}/archive`,
    archivedHref: `${base}/archived`,
    questionsHref: `${base}/questions`,
    askQuestionHref: `${base}/questions/new?about=recommendation:${p.recommendation.id}`,
    organisations: p.organisations.map((o) => o.name),
    outcome: p.recommendation.outcome,
    anticipatedEvidence: p.recommendation.anticipated_evidence,
    assurance: p.recommendation.assurance,
    responsibleOfficer: p.recommendation.responsible_officer,
    rating: ratingTag(scale, p.rollUp?.rating ?? null),
    rated: ratedWords(p.rollUp ?? { unrated: 0, total: 0 }),
    findings: p.findings.map((f) => ({
      number: f.number,
      href: `${base}/findings/${encodeURIComponent(f.number)}`,
      section: f.section,
      text: f.text,
      publicHealth: f.public_health === 1,
    })),
    actions: p.actions.map((a, index) => ({
      id: a.id,
      href: `${base}/actions/${a.id}`,
      editHref: `${base}/actions/${a.id}/edit`,
      moveAction: `${base}/actions/${a.id}/move`,
      archiveHref: `${base}/actions/${a.id}/archive`,
      organisationIds: organisationIdsOf.get(a.id) ?? [],
      first: index === 0,
      last: index === p.actions.length - 1,
      label: `Action ${index + 1}`,
      agency: a.agency_text || a.organisations.join(', ') || 'Not given',
      text: a.action_text,
      lead: a.lead_text || 'Not given',
      dateWords: a.date_words || 'Not given',
      dueDate: a.due_date ? formatDate(a.due_date) : null,
      tag: ratingTag(scale, a.status?.rating ?? null),
      awaitingAgreement: a.status?.awaitingAgreement ?? false,
    })),
    exceptions: p.exceptions.map((e) => ({
      label: e.subject.label,
      reason: e.reason,
      href: e.subject.type === 'action' ? `${base}/actions/${e.subject.id}` : null,
    })),
    breadcrumbs: [
      { text: 'Reviews', href: '/reviews' },
      { text: review.area, href: base },
    ],
  };
}

/** A recommendation page -> the JSON answer (recommendationPageAnswer). */
export function presentRecommendationJson(p: RecommendationPage) {
  const r = p.recommendation;
  return {
    recommendation: {
      id: r.id,
      number: r.number,
      text: r.text,
      outcome: r.outcome,
      anticipated_evidence: r.anticipated_evidence,
      assurance: r.assurance,
      responsible_officer: r.responsible_officer,
      group_id: r.group_id,
      archived_at: r.archived_at,
      group_number: r.group_number,
      group_heading: r.group_heading,
    },
    addressedOrganisations: p.organisations.map((o) => ({ id: o.id, name: o.name, short_name: o.short_name })),
    findings: p.findings.map((f) => ({
      id: f.id,
      number: f.number,
      section: f.section,
      text: f.text,
      kind: f.kind,
      public_health: f.public_health === 1,
      position: f.position,
    })),
    rating: p.rollUp ?? null,
    actions: p.actions.map((a) => ({
      id: a.id,
      position: a.position,
      agency_text: a.agency_text,
      action_text: a.action_text,
      lead_text: a.lead_text,
      date_words: a.date_words,
      due_date: a.due_date,
      measure: a.measure,
      organisations: a.organisations,
      rating: a.status?.rating ?? null,
      awaitingAgreement: a.status?.awaitingAgreement ?? false,
    })),
    exceptions: p.exceptions,
  };
}
