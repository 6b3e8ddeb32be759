import { plural } from '../../domain/words.ts';
import { formatDate } from '../../domain/dates.ts';
import { filterExceptions } from '../../domain/exceptions.ts';
import { ratingKey } from '../../domain/ratings.ts';
import { ratingCountsRow, ratingHeadings, ratingTag } from '../../platform/presentation.ts';
import { ratedWords } from '../../domain/rating-roll-up.ts';
import { reviewPath } from '../../platform/review-paths.ts';
import type { ExceptionFilters } from './exception-filters.ts';
import { presentExceptions, presentGlance, type OverviewExtras } from './overview-glance.presenter.ts';
import type { ReviewOverview, ReviewStatus } from './reviews.service.ts';

/** The latest of some 'YYYY-MM-DD' dates, or null when there are none. */
function latestDate(dates: readonly (string | null)[]): string | null {
  return dates.reduce<string | null>((max, d) => (d !== null && (max === null || d > max) ? d : max), null);
}

/** "20 November 2026", the date of the latest progress update of the given actions, or "No progress yet". */
export function lastProgressText(actions: readonly { lastProgressOn: string | null }[]): string {
  return formatDate(latestDate(actions.map((a) => a.lastProgressOn)), 'No progress yet');
}

export function presentOverview(o: ReviewOverview, extras: OverviewExtras) {
  const { review, state, analysis } = o;
  const scale = review.rating_scale;
  const base = reviewPath(review.id);
  const inspectors = JSON.parse(review.inspectors) as string[];
  const headings = ratingHeadings(scale);

  const details: { key: string; value: string }[] = [
    {
      key: 'Type of review',
      value: review.type === 'CLAS' ? 'Children looked after and safeguarding (CLAS)' : review.type,
    },
    { key: 'Area', value: review.area },
    {
      key: 'Dates of review',
      value:
        review.review_start && review.review_end
          ? `${formatDate(review.review_start)} to ${formatDate(review.review_end)}`
          : formatDate(review.review_start ?? review.review_end),
    },
    { key: 'Report published', value: formatDate(review.report_published) },
    { key: 'Report received', value: formatDate(review.report_received) },
    { key: 'Inspectors', value: inspectors.length ? inspectors.join(', ') : 'Not given' },
    { key: 'Organisations covered', value: o.covered.length ? o.covered.map((c) => c.name).join('; ') : 'Not given' },
    { key: 'Lead organisation', value: o.lead?.name ?? 'Not given' },
    { key: 'Rating scale', value: scale === 'BRAG' ? 'BRAG (Blue, Red, Amber, Green)' : 'RAG (Red, Amber, Green)' },
    { key: 'Last progress', value: lastProgressText(state.actions) },
  ];
  if (review.children_cases !== null)
    details.push({ key: "Children's cases considered", value: String(review.children_cases) });

  const byRecommendation = state.recommendations.map((r) => {
    const roll = analysis.rollUp.byRecommendation[String(r.id)];
    return {
      number: r.number,
      href: `${base}/recommendations/${encodeURIComponent(r.number)}`,
      text: r.text.length > 140 ? `${r.text.slice(0, 137).trimEnd()}…` : r.text,
      total: roll?.total ?? 0,
      tag: ratingTag(scale, roll?.rating ?? null),
      rated: ratedWords(roll ?? { unrated: 0, total: 0 }),
      counts: roll ? ratingCountsRow(scale, roll.counts, roll.unrated) : [],
    };
  });

  // Each group's recommendations fold away under the group (issue 16): the page opens on the summary.
  const rowsOf = (inGroup: (groupId: number) => boolean) =>
    byRecommendation.filter((_, i) => inGroup(state.recommendations[i]?.group_id ?? -1));
  const grouped = new Set(state.groups.map((g) => g.id));
  const recommendationGroups = [
    ...state.groups.map((g) => ({
      id: `ratings-group-${g.number}`,
      name: `Group ${g.number}: ${g.heading.replace(/:\s*$/, '')}`,
      caption: `Ratings by recommendation, group ${g.number}`,
      rows: rowsOf((id) => id === g.id),
    })),
    {
      id: 'ratings-group-none',
      name: 'Recommendations in no group',
      caption: 'Ratings by recommendation, in no group',
      rows: rowsOf((id) => !grouped.has(id)),
    },
  ]
    .filter((g) => g.rows.length > 0)
    .map((g) => ({ ...g, count: plural(g.rows.length, 'recommendation') }));

  const byOrganisation = state.organisations.map((org) => {
    const roll = analysis.rollUp.byOrganisation[String(org.id)];
    return {
      name: org.name,
      href: `${base}/organisations/${org.id}`,
      lastProgress: lastProgressText(state.actions.filter((a) => a.organisationIds.includes(org.id))),
      total: roll?.total ?? 0,
      tag: ratingTag(scale, roll?.rating ?? null),
      rated: ratedWords(roll ?? { unrated: 0, total: 0 }),
      counts: roll
        ? ratingCountsRow(scale, roll.counts, roll.unrated)
        : ratingCountsRow(scale, { blue: 0, green: 0, amber: 0, red: 0 }, 0),
    };
  });

  const plan = analysis.rollUp.plan;

  return {
    pageTitle: review.title,
    title: review.title,
    reviewId: review.id,
    isDemo: review.is_demo === 1,
    noticeText: review.illustrative_notice,
    details,
    due: {
      date: formatDate(o.dueDate, 'Cannot be worked out until the date the report was received is recorded'),
      basis: review.report_received
        ? `20 working days after the report was received on ${formatDate(review.report_received)}, ` +
          'not counting weekends and bank holidays in England.'
        : review.report_published
          ? `20 working days after the report was published on ${formatDate(review.report_published)} (the date ` +
            'it was received is not recorded), not counting weekends and bank holidays in England.'
          : '',
      sent: review.plan_issued ? formatDate(review.plan_issued) : null,
    },
    ratingHeadings: headings,
    ratingScale: scale,
    ratingKey: ratingKey(scale, { withNone: true }).map((entry) => ({
      tag: ratingTag(scale, entry.rating === 'none' ? null : entry.rating),
      meaning: entry.meaning,
    })),
    planTotals: {
      actions: plan.actions.total,
      tag: ratingTag(scale, plan.rating),
      rated: ratedWords(plan.actions),
      counts: ratingCountsRow(scale, plan.actions, plan.actions.unrated),
    },
    recommendationGroups,
    byOrganisation,
    glance: presentGlance(o, extras),
    ...presentExceptions(o, extras.filters),
    staleDays: o.options.staleDays,
    asOf: formatDate(o.options.today),
    assessedAsOf: review.assessed_as_of !== null,
    findingsHref: `${base}/findings`,
    findingsCount: state.findings.length,
    versions: o.versions.map((v) => ({
      number: v.number,
      date: formatDate(v.issued_on, 'Not dated'),
      author: v.author,
      action: v.action_text,
      comment: v.comment,
    })),
  };
}

/** The reviews list -> the JSON answer (reviewListAnswer). */
export function presentReviewListJson(statuses: readonly ReviewStatus[]) {
  return {
    reviews: statuses.map(({ row: r, dueDate, planIssued, actions, exceptions }) => ({
      id: r.id,
      title: r.title,
      area: r.area,
      report_published: r.report_published,
      is_demo: r.is_demo === 1,
      findings: r.findings,
      recommendations: r.recommendations,
      actions: r.actions,
      review_start: r.review_start,
      review_end: r.review_end,
      plan_due: dueDate,
      plan_issued: planIssued,
      ratings: {
        red: actions.red,
        amber: actions.amber,
        green: actions.green,
        blue: actions.blue,
        unrated: actions.unrated,
      },
      needs_attention: exceptions,
      last_activity: r.last_activity,
    })),
  };
}

/** A review's overview -> the JSON answer (reviewOverviewAnswer), its exceptions filtered as asked. */
export function presentOverviewJson(o: ReviewOverview, filters: ExceptionFilters) {
  const r = o.review;
  return {
    review: {
      id: r.id,
      source_key: r.source_key,
      title: r.title,
      type: r.type,
      area: r.area,
      review_start: r.review_start,
      review_end: r.review_end,
      report_published: r.report_published,
      report_received: r.report_received,
      inspectors: JSON.parse(r.inspectors) as string[],
      cqc_region: r.cqc_region,
      nhs_england_area: r.nhs_england_area,
      children_cases: r.children_cases,
      lead_organisation_id: r.lead_organisation_id,
      rating_scale: r.rating_scale,
      plan_issued: r.plan_issued,
      stale_days: r.stale_days,
      assignment_days: r.assignment_days,
      assessed_as_of: r.assessed_as_of,
      is_demo: r.is_demo === 1,
      illustrative_notice: r.illustrative_notice,
      created_at: r.created_at,
      updated_at: r.updated_at,
      version: r.version,
      plan_revision: r.plan_revision,
    },
    planDueDate: o.dueDate,
    organisationsCovered: o.covered,
    leadOrganisation: o.lead ?? null,
    ratings: o.analysis.rollUp,
    exceptions: filterExceptions(o.analysis.exceptions, filters.filter).map((e) => ({
      ...e,
      organisationIds: e.organisationIds ?? [],
    })),
    exceptionsTotal: o.analysis.exceptions.length,
    exceptionFilters: {
      kind: filters.values.kind || null,
      organisation: filters.values.organisation || null,
      lead: filters.values.lead || null,
    },
    asOf: o.options.today,
    staleDays: o.options.staleDays,
    versions: o.versions,
  };
}
