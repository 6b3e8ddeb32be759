// The rating key every document prints, and the colours it uses. Colours are the NHS
// identity palette; each text colour reads on its fill at 4.5:1 or better (WCAG 2.2, 1.4.3).
import { ratingsOf, type Rating, type RatingScale } from '../../domain/ratings.ts';
import type { KeyEntry, RatingOrNone } from './board-report/board-report.ts';

export const RATING_NAMES: Record<RatingOrNone, string> = { blue: 'Blue', green: 'Green', amber: 'Amber', red: 'Red', none: 'No rating' };

/** Fill and text colours, #rrggbb. */
export const RATING_COLOURS: Record<RatingOrNone, { fill: string; text: string }> = {
  blue: { fill: '#005eb8', text: '#ffffff' },
  green: { fill: '#007f3b', text: '#ffffff' },
  amber: { fill: '#ffb81c', text: '#212b32' },
  red: { fill: '#d5281b', text: '#ffffff' },
  none: { fill: '#d8dde0', text: '#212b32' },
};

/** What each rating means in each scale, as the plan's key says it (DOMAIN.md, Rotherham's BRAG key). */
const MEANINGS: Record<RatingScale, Partial<Record<Rating, string>>> = {
  BRAG: { blue: 'Completed', green: 'On target', amber: 'Off target with remedial action', red: 'Not yet planned, started or progressed' },
  RAG: { green: 'Completed', amber: 'In progress or off target', red: 'Not started' },
};

export function ratingMeaning(scale: RatingScale, rating: Rating): string {
  return MEANINGS[scale][rating] ?? '';
}

/** "Blue – completed", the words a rated cell carries besides its colour. */
export function ratingWords(scale: RatingScale, rating: Rating | null): string {
  if (rating === null) return 'No rating yet';
  const meaning = ratingMeaning(scale, rating);
  return meaning ? `${RATING_NAMES[rating]} – ${meaning.charAt(0).toLowerCase()}${meaning.slice(1)}` : RATING_NAMES[rating];
}

/** The key in the order plans print it: Blue (BRAG only), Green, Amber, Red. */
export function ratingKey(scale: RatingScale): KeyEntry[] {
  return ratingsOf(scale).map((rating) => ({
    rating,
    name: RATING_NAMES[rating],
    meaning: ratingMeaning(scale, rating),
    colour: RATING_COLOURS[rating].fill,
    textColour: RATING_COLOURS[rating].text,
  }));
}
