import { formatDate } from '../../domain/dates.ts';
import type { RatingScale } from '../../domain/ratings.ts';
import { ratingTag } from '../../platform/presentation.ts';
import type { RecommendationPage } from './recommendations.service.ts';

export function presentRecommendation(p: RecommendationPage) {
  const { review } = p.plan;
  const scale = review.rating_scale as RatingScale;
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
    organisations: p.organisations.map((o) => o.name),
    outcome: p.recommendation.outcome,
    anticipatedEvidence: p.recommendation.anticipated_evidence,
    assurance: p.recommendation.assurance,
    responsibleOfficer: p.recommendation.responsible_officer,
    rating: ratingTag(scale, p.rollUp?.rating ?? null),
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
