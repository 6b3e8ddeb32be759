import { RATING_LABELS, type Rating, type RatingScale } from '../domain/ratings.ts';

export interface RatingTag {
  text: string;
  title: string;
  classes: string;
}

const TAG_CLASSES: Record<Rating, string> = {
  blue: 'nhsuk-tag--blue',
  green: 'nhsuk-tag--green',
  amber: 'nhsuk-tag--orange',
  red: 'nhsuk-tag--red',
};

const RATING_WORDS: Record<Rating, string> = { blue: 'Blue', green: 'Green', amber: 'Amber', red: 'Red' };

/** A rating as an NHS tag: the colour is never the only signal, the word is always there. */
export function ratingTag(scale: RatingScale, rating: Rating | null): RatingTag {
  if (!rating) return { text: 'Not rated', title: 'No rating yet', classes: 'nhsuk-tag--grey' };
  return { text: RATING_WORDS[rating], title: RATING_LABELS[scale][rating] ?? RATING_WORDS[rating], classes: TAG_CLASSES[rating] };
}

export function ratingWord(rating: Rating | null): string {
  return rating ? RATING_WORDS[rating] : 'Not rated';
}

/** Plural-aware counts: '1 action', '3 actions'. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? singular : plural}`;
}
