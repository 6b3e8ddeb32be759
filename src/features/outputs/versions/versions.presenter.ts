import { formatDate } from '../../../domain/dates.ts';
import { ratingTag } from '../../../platform/presentation.ts';
import { fieldText } from '../../../platform/forms.ts';
import type { RefusedForm } from '../../../platform/http/form-replies.ts';
import type { Breadcrumb } from '../../../platform/http/pages.ts';
import { reviewCrumbs } from '../../../platform/review-paths.ts';
import type { Rating } from '../../../domain/ratings.ts';
import type { ReviewRow } from '../../../platform/db/schema.ts';
import type { PlanComparison } from '../../../domain/plan-comparison.ts';
import { comparisonSummary } from './comparison-words.ts';
import {
  VERSION_PURPOSE_LABELS,
  VERSION_PURPOSES,
  type PlanSnapshot,
  type SnapshotVersionRow,
} from '../../../domain/plan-snapshot.ts';

export function reviewHref(reviewId: number): string {
  return `/reviews/${reviewId}`;
}

/** The trail of a page under a review's versions, starting at Reviews as every page of a review does. */
function versionsCrumbs(reviewId: number, area: string): Breadcrumb[] {
  return [
    { text: 'Reviews', href: '/reviews' },
    { text: area, href: reviewHref(reviewId) },
    { text: 'Versions and documents', href: `${reviewHref(reviewId)}/versions` },
  ];
}

/** Download links for the plan and board report of a version (or of now, with no number). */
export function documentLinks(reviewId: number, number: string | null) {
  const q = number === null ? '' : `?version=${encodeURIComponent(number)}`;
  const base = `${reviewHref(reviewId)}/documents`;
  return {
    plan: [
      { text: 'Word (.docx)', href: `${base}/plan/docx${q}` },
      { text: 'Excel (.xlsx)', href: `${base}/plan/xlsx${q}` },
      { text: 'CSV', href: `${base}/plan/csv${q}` },
    ],
    report: [
      { text: 'Web page', href: `${base}/board-report/html${q}` },
      { text: 'Word (.docx)', href: `${base}/board-report/docx${q}` },
      { text: 'PDF', href: `${base}/board-report/pdf${q}` },
    ],
  };
}

/** The label of a purpose key; versions recorded before Clasp keep their purpose in words, which have none. */
export function purposeWords(purpose: string): string {
  const labels: Partial<Record<string, string>> = VERSION_PURPOSE_LABELS;
  return labels[purpose] ?? purpose;
}

export function presentVersions(
  review: ReviewRow,
  versions: SnapshotVersionRow[],
  canIssue: boolean,
  notice: string | null,
) {
  const frozen = versions.filter((v) => v.frozen);
  return {
    pageTitle: `Versions and documents – ${review.area}`,
    breadcrumbs: reviewCrumbs(review),
    area: review.area,
    reviewHref: reviewHref(review.id),
    canIssue,
    notice,
    now: documentLinks(review.id, null),
    versions: versions.map((v) => ({
      number: v.number,
      date: formatDate(v.issuedOn, 'Not dated'),
      author: v.author,
      action: v.actionText,
      comment: v.comment,
      href: v.frozen ? `${reviewHref(review.id)}/versions/${encodeURIComponent(v.number)}` : null,
    })),
    compareFrom: frozen.map((v, i) => ({
      value: v.number,
      text: `Version ${v.number} (${formatDate(v.issuedOn, 'not dated')})`,
      selected: i === frozen.length - 1,
    })),
    compareTo: [
      { value: 'now', text: 'Now', selected: true },
      ...frozen.map((v) => ({
        value: v.number,
        text: `Version ${v.number} (${formatDate(v.issuedOn, 'not dated')})`,
        selected: false,
      })),
    ],
    compareAction: `${reviewHref(review.id)}/compare`,
  };
}

/** The issue form: empty, or as typed with the problems of a refused version. */
export function presentIssueForm(review: ReviewRow, refused: RefusedForm | null) {
  const errors = refused?.failure.errors ?? null;
  const fields = {
    purpose: fieldText(refused?.fields ?? {}, 'purpose'),
    comment: fieldText(refused?.fields ?? {}, 'comment'),
    recipients: fieldText(refused?.fields ?? {}, 'recipients'),
  };
  return {
    pageTitle: `${errors?.any ? 'Error: ' : ''}Issue a version – ${review.area}`,
    breadcrumbs: versionsCrumbs(review.id, review.area),
    area: review.area,
    formAction: `${reviewHref(review.id)}/versions`,
    purposes: VERSION_PURPOSES.map((p) => ({
      value: p,
      text: VERSION_PURPOSE_LABELS[p],
      checked: fields.purpose === p,
    })),
    fields,
    errors: errors?.fields ?? {},
    errorList: errors?.summary({ purpose: `#purpose` }) ?? [],
  };
}

function countsOf(snapshot: PlanSnapshot) {
  const counts: Record<Rating | 'none', number> = { blue: 0, green: 0, amber: 0, red: 0, none: 0 };
  for (const a of snapshot.actions) counts[a.rating ?? 'none'] += 1;
  return counts;
}

export function presentVersion(reviewId: number, snapshot: PlanSnapshot, previousNumber: string | null) {
  const v = snapshot.version;
  if (!v) throw new Error('A version page needs a frozen version');
  const counts = countsOf(snapshot);
  const scale = snapshot.review.ratingScale;
  const ratings = (['blue', 'green', 'amber', 'red'] as const).filter((r) => scale === 'BRAG' || r !== 'blue');
  return {
    pageTitle: `Version ${v.number} – ${snapshot.review.area}`,
    breadcrumbs: versionsCrumbs(reviewId, snapshot.review.area),
    area: snapshot.review.area,
    number: v.number,
    details: [
      { key: 'Issued', value: formatDate(v.issuedOn, 'Not dated') },
      { key: 'Issued by', value: v.author },
      { key: 'Purpose', value: purposeWords(v.purpose) },
      { key: 'Sent to', value: v.recipients || 'Not recorded' },
      { key: 'Comment', value: v.comment || 'None' },
      { key: 'Plan assessed as at', value: formatDate(snapshot.asOf) },
      { key: 'Recommendations', value: String(snapshot.recommendations.length) },
      { key: 'Actions', value: String(snapshot.actions.length) },
    ],
    ratings: [
      ...ratings.map((r) => ({ tag: ratingTag(scale, r), count: counts[r] })),
      { tag: ratingTag(scale, null), count: counts.none },
    ],
    links: documentLinks(reviewId, v.number),
    compareWithNow: `${reviewHref(reviewId)}/compare?from=${encodeURIComponent(v.number)}&to=now`,
    compareWithPrevious: previousNumber
      ? `${reviewHref(reviewId)}/compare?from=${encodeURIComponent(previousNumber)}&to=${encodeURIComponent(v.number)}`
      : null,
    previousNumber,
  };
}

export function presentComparison(review: ReviewRow, c: PlanComparison) {
  const scale = review.rating_scale === 'RAG' ? 'RAG' : 'BRAG';
  return {
    pageTitle: `What changed – ${review.area}`,
    breadcrumbs: versionsCrumbs(review.id, review.area),
    area: review.area,
    from: c.from.label,
    to: c.to.label,
    summary: comparisonSummary(c),
    unchanged: c.unchanged,
    addedRecommendations: c.addedRecommendations,
    removedRecommendations: c.removedRecommendations,
    changedRecommendations: c.changedRecommendations,
    addedActions: c.addedActions.map((a) => ({ ...a, href: `${reviewHref(review.id)}/actions/${a.actionId}` })),
    removedActions: c.removedActions,
    changedActions: c.changedActions.map((a) => ({ ...a, href: `${reviewHref(review.id)}/actions/${a.actionId}` })),
    ratingChanges: c.ratingChanges.map((r) => ({
      ...r,
      beforeTag: ratingTag(scale, r.before),
      afterTag: ratingTag(scale, r.after),
      href: `${reviewHref(review.id)}/actions/${r.actionId}`,
    })),
    newProgress: c.newProgress.map((p) => ({ ...p, date: formatDate(p.on) })),
    newEvidence: c.newEvidence.map((e) => ({ ...e, date: formatDate(e.effectiveOn) })),
    evidenceDecisions: c.evidenceDecisions,
  };
}
