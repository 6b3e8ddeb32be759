import type { PlanException } from '../domain/exceptions.ts';
import type { ReviewRow } from './db/schema.ts';
import type { Breadcrumb } from './http/pages.ts';

// Where the pages of a review live: the one place presenters of several features build a
// review's links from.

export function reviewPath(reviewId: number): string {
  return `/reviews/${reviewId}`;
}

/** The page of an exception's subject, or null when it has none of its own. */
export function exceptionHref(
  reviewId: number,
  exception: PlanException,
  recommendationNumbers: Map<string, string>,
): string | null {
  const base = reviewPath(reviewId);
  switch (exception.subject.type) {
    case 'action':
      return `${base}/actions/${exception.subject.id}`;
    case 'finding':
      return `${base}/findings/${encodeURIComponent(exception.subject.label.replace(/^Finding\s+/, ''))}`;
    case 'organisation': {
      const number = exception.recommendationId ? recommendationNumbers.get(exception.recommendationId) : undefined;
      return number ? `${base}/recommendations/${encodeURIComponent(number)}` : null;
    }
    case 'recommendation':
      return `${base}/recommendations/${encodeURIComponent(exception.subject.label.replace(/^Recommendation\s+/, ''))}`;
    case 'review':
      return base;
    default:
      return null;
  }
}

/** The first two breadcrumbs of every page of a review. */
export function reviewCrumbs(review: ReviewRow): Breadcrumb[] {
  return [
    { text: 'Reviews', href: '/reviews' },
    { text: review.area, href: reviewPath(review.id) },
  ];
}

/** The trail to an action, for the pages about it (its due date, assignment, assurance…). */
export function actionCrumbs(
  review: Pick<ReviewRow, 'id' | 'area'>,
  recommendationNumber: string,
  action: { label: string; href: string },
): Breadcrumb[] {
  return [
    { text: 'Reviews', href: '/reviews' },
    { text: review.area, href: reviewPath(review.id) },
    {
      text: `Recommendation ${recommendationNumber}`,
      href: `${reviewPath(review.id)}/recommendations/${encodeURIComponent(recommendationNumber)}`,
    },
    { text: action.label, href: action.href },
  ];
}
