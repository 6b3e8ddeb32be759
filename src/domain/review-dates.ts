// When a review began, for the checks that keep dates plausible: nothing about a review's plan
// (a progress update, a due date, the report reaching the area) happens before the review did.

/**
 * The day the review began: the first day of the inspectors' fieldwork when the review records
 * it (the report's "dates of review", e.g. 23 February 2015), else the day the report was
 * published, which is later but is the earliest date some reviews keep. Null when neither is known.
 */
export function reviewBeganOn(review: { reviewStart: string | null; published: string | null }): string | null {
  return review.reviewStart ?? review.published;
}
