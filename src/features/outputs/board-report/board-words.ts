// Small pieces of plain English the board report is built from: counts with their nouns,
// lists, and how a version of the plan is named. GOV.UK and NHS content style: numerals for
// numbers, sentence case, no abbreviations a lay reader would have to look up.
import { RATING_NAMES, ratingMeaning, type RatingOrNone, type RatingScale } from '../../../domain/ratings.ts';
import { formatLongDate } from '../../../domain/dates.ts';
import { listWords, numberWords } from '../../../domain/words.ts';
import {
  VERSION_PURPOSE_LABELS,
  VERSION_PURPOSES,
  type PlanSnapshot,
  type SnapshotVersionRow,
  type VersionPurpose,
} from '../../../domain/plan-snapshot.ts';
import type { RatingCountsWithNone } from './board-report.ts';

/** "is" or "are", to agree with a count. */
export function isAre(n: number): string {
  return n === 1 ? 'is' : 'are';
}

/** The ratings a report shows, in key order (Blue first in BRAG), then "Not rated". */
export function reportRatings(scale: RatingScale): RatingOrNone[] {
  return scale === 'BRAG' ? ['blue', 'green', 'amber', 'red', 'none'] : ['green', 'amber', 'red', 'none'];
}

/**
 * The ratings to count: the scale's own, plus any other that actually occurs (a Blue in a RAG
 * plan should not exist, but if it does the numbers must still add up).
 */
export function ratingsToShow(scale: RatingScale, counts: RatingCountsWithNone): RatingOrNone[] {
  const shown = reportRatings(scale);
  const extra = reportRatings('BRAG').filter((r) => !shown.includes(r) && counts[r] > 0);
  return [...extra, ...shown];
}

export function emptyCounts(): RatingCountsWithNone {
  return { blue: 0, green: 0, amber: 0, red: 0, none: 0 };
}

/** "completed (Blue)" or "not rated": what a count of actions with a rating are. */
export function ratingPhrase(scale: RatingScale, rating: RatingOrNone, n: number): string {
  if (rating === 'none') return `${isAre(n)} ${RATING_NAMES.none.toLowerCase()}`;
  const meaning = ratingMeaning(scale, rating);
  return meaning
    ? `${isAre(n)} ${meaning.toLowerCase()} (${RATING_NAMES[rating]})`
    : `${isAre(n)} rated ${RATING_NAMES[rating]}`;
}

/** "20 Blue, 5 Green and 1 not rated": the non-zero counts, in key order. */
export function countsWords(scale: RatingScale, counts: RatingCountsWithNone): string {
  const parts = ratingsToShow(scale, counts)
    .filter((r) => counts[r] > 0)
    .map((r) => `${numberWords(counts[r])} ${r === 'none' ? RATING_NAMES.none.toLowerCase() : RATING_NAMES[r]}`);
  return listWords(parts);
}

function purposeWords(purpose: string): string {
  const trimmed = purpose.trim();
  return (VERSION_PURPOSES as readonly string[]).includes(trimmed)
    ? VERSION_PURPOSE_LABELS[trimmed as VersionPurpose]
    : trimmed;
}

/** "Version 8, issued 30 November 2026 (Health and Wellbeing Board)". */
export function versionWords(version: SnapshotVersionRow): string {
  const issued = version.issuedOn ? `, issued ${formatLongDate(version.issuedOn)}` : ', with no issue date recorded';
  const purpose = purposeWords(version.purpose);
  return `Version ${version.number}${issued}${purpose ? ` (${purpose})` : ''}`;
}

/** What a snapshot is: an issued version, or the plan as it stood on its day. */
export function snapshotWords(snapshot: PlanSnapshot): string {
  return snapshot.version
    ? versionWords(snapshot.version)
    : `The plan as it stands on ${formatLongDate(snapshot.asOf)}`;
}

/** First letter up: for a sentence that starts with a phrase built elsewhere. */
export function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
