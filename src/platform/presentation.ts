import {
  ratingLabel,
  ratingName,
  ratingsOf,
  type Rating,
  type RatingOrNone,
  type RatingScale,
} from '../domain/ratings.ts';

export interface RatingTag {
  text: string;
  title: string;
  classes: string;
}

/** The tag's class: its colours come from the domain's rating colours (see http/rating-styles.ts). */
export function ratingClass(rating: RatingOrNone): string {
  return `clasp-rating clasp-rating--${rating}`;
}

/** A rating as an NHS tag: the colour is never the only signal, the word is always there. */
export function ratingTag(scale: RatingScale, rating: Rating | null): RatingTag {
  return { text: ratingName(rating), title: ratingLabel(scale, rating), classes: ratingClass(rating ?? 'none') };
}

/** The count columns of a ratings table: the scale's ratings in key order, then "Not rated". */
export function ratingHeadings(scale: RatingScale): RatingTag[] {
  return [...ratingsOf(scale).map((r) => ratingTag(scale, r)), ratingTag(scale, null)];
}

/** Counts in the column order of the ratings tables: each rating the scale allows, then "Not rated". */
export function ratingCountsRow(scale: RatingScale, counts: Record<Rating, number>, unrated: number) {
  return ratingsOf(scale)
    .map((r) => counts[r])
    .concat(unrated);
}
