import { plural } from '../../domain/words.ts';
import { formatDate } from '../../domain/dates.ts';
import type { MemberRole } from '../../platform/db/schema.ts';
import { ratingCountsRow, ratingHeadings, ratingTag } from '../../platform/presentation.ts';
import { ratedWords } from '../../domain/rating-roll-up.ts';
import { EXCEPTION_HEADINGS } from '../../domain/exceptions.ts';
import { ORGANISATION_KIND_NAMES } from '../../domain/organisations.ts';
import { exceptionHref } from '../../platform/review-paths.ts';
import type { OrganisationPage } from './organisations.service.ts';
import type { OrganisationJson } from './organisations.schemas.ts';

export const ROLE_WORDS: Record<MemberRole, string> = {
  coordinator: 'Coordinator',
  editor: 'Editor',
  reviewer: 'Reviewer (peer challenge group)',
  viewer: 'Viewer',
};

function partsTaken(p: OrganisationPage): string {
  const parts: string[] = [];
  if (p.lead) parts.push('Lead organisation for the action plan');
  if (p.organisation.covered) parts.push('Covered by the review');
  if (p.addressedRecommendations.length) {
    const numbers = p.addressedRecommendations.map((r) => r.number);
    parts.push(`Addressed by ${numbers.length === 1 ? 'recommendation' : 'recommendations'} ${numbers.join(', ')}`);
  }
  if (p.actions.length) parts.push(`Named on ${plural(p.actions.length, 'action')}`);
  return parts.join('. ') || 'Named on actions that have been archived';
}

export function presentOrganisation(p: OrganisationPage) {
  const { review, organisation } = p;
  const scale = review.rating_scale;
  const base = `/reviews/${review.id}`;
  const recommendationNumbers = new Map(p.state.recommendations.map((r) => [String(r.id), r.number]));
  const roll = p.rollUp;

  const byRecommendation = p.state.recommendations
    .map((r) => ({
      number: r.number,
      text: r.text,
      href: `${base}/recommendations/${encodeURIComponent(r.number)}`,
      actions: p.actions
        .filter((a) => a.recommendation_id === r.id)
        .map((a) => ({
          label: a.status?.label ?? `Action ${a.id}`,
          href: `${base}/actions/${a.id}`,
          text: a.text,
          tag: ratingTag(scale, a.status?.rating ?? null),
          awaitingAgreement: a.status?.awaitingAgreement ?? false,
          due: a.due_date ? formatDate(a.due_date) : a.date_words || 'No date',
          lastProgress: formatDate(a.lastProgressOn, 'No progress yet'),
        })),
    }))
    .filter((r) => r.actions.length > 0);

  const exceptionGroups = (Object.keys(EXCEPTION_HEADINGS) as (keyof typeof EXCEPTION_HEADINGS)[])
    .map((kind) => ({
      kind,
      heading: EXCEPTION_HEADINGS[kind],
      items: p.exceptions
        .filter((e) => e.kind === kind)
        .map((e) => ({
          label: e.subject.label,
          reason: e.reason,
          href: exceptionHref(review.id, e, recommendationNumbers),
        })),
    }))
    .filter((g) => g.items.length > 0);

  return {
    pageTitle: `${organisation.name} – ${review.area}`,
    name: organisation.name,
    reviewTitle: review.title,
    isDemo: review.is_demo === 1,
    noticeText: review.illustrative_notice,
    details: [
      { key: 'Kind of organisation', value: ORGANISATION_KIND_NAMES[organisation.kind] },
      ...(organisation.short_name && organisation.short_name !== organisation.name
        ? [{ key: 'Short name', value: organisation.short_name }]
        : []),
      { key: 'Part in this review', value: partsTaken(p) },
      { key: 'Last progress', value: formatDate(p.lastProgressOn, 'No progress yet') },
    ],
    ratingHeadings: ratingHeadings(scale),
    ratings: {
      total: roll?.total ?? 0,
      tag: ratingTag(scale, roll?.rating ?? null),
      rated: ratedWords(roll ?? { unrated: 0, total: 0 }),
      counts: roll
        ? ratingCountsRow(scale, roll.counts, roll.unrated)
        : ratingCountsRow(scale, { blue: 0, green: 0, amber: 0, red: 0 }, 0),
    },
    byRecommendation,
    exceptionGroups,
    exceptionCount: p.exceptions.length,
    asOf: formatDate(p.options.today),
    people: p.people.map((person) => ({ name: person.name, role: ROLE_WORDS[person.role], email: person.email })),
    showEmails: p.people.some((person) => person.email !== null),
    breadcrumbs: [
      { text: 'Reviews', href: '/reviews' },
      { text: review.area, href: base },
    ],
  };
}

export function organisationJson(p: OrganisationPage): OrganisationJson {
  const recommendationNumber = new Map(p.state.recommendations.map((r) => [r.id, r.number]));
  return {
    organisation: {
      id: p.organisation.id,
      name: p.organisation.name,
      shortName: p.organisation.short_name,
      kind: p.organisation.kind,
    },
    lead: p.lead,
    covered: p.organisation.covered,
    addressedRecommendations: p.addressedRecommendations.map((r) => r.number),
    ratings: p.rollUp
      ? { rating: p.rollUp.rating, counts: { ...p.rollUp.counts }, unrated: p.rollUp.unrated, total: p.rollUp.total }
      : { rating: null, counts: { blue: 0, green: 0, amber: 0, red: 0 }, unrated: 0, total: 0 },
    lastProgressOn: p.lastProgressOn,
    actions: p.actions.map((a) => ({
      id: a.id,
      label: a.status?.label ?? null,
      recommendation: recommendationNumber.get(a.recommendation_id) ?? null,
      text: a.text,
      rating: a.status?.rating ?? null,
      awaitingAgreement: a.status?.awaitingAgreement ?? false,
      dueDate: a.due_date,
      dateWords: a.date_words,
      lastProgressOn: a.lastProgressOn,
    })),
    exceptions: p.exceptions.map((e) => ({
      kind: e.kind,
      subject: { type: e.subject.type, id: e.subject.id, label: e.subject.label },
      ...(e.recommendationId === undefined ? {} : { recommendationId: e.recommendationId }),
      reason: e.reason,
    })),
    people: p.people.map((person) =>
      person.email === null
        ? { name: person.name, role: person.role }
        : { name: person.name, role: person.role, email: person.email },
    ),
    asOf: p.options.today,
  };
}
