import { addDays } from './dates.ts';

// The one rating vocabulary: every page, document and report prints a rating's name, meaning
// and colour from here, so a board reads the same words on screen, in Word, Excel, CSV and PDF.
//
// Decisions:
// - Two scales. Rotherham's key is BRAG (Blue: completed; Green: on target; Amber: off target
//   with remedial action; Red: not yet planned, started or progressed); other areas use RAG,
//   where Green means complete and there is no Blue (DOMAIN.md, "BRAG / RAG rating").
// - "No rating" is written one way, "Not rated", wherever a rating would be shown.
// - Colours are the NHS identity palette. Each text colour reads on its fill at 4.5:1 or better
//   (WCAG 2.2, 1.4.3; checked in ratings.test.ts), and the words always go with the colour
//   (WCAG 1.4.1: colour is never the only signal).
// - The rating shown for an action is the latest agreed one, else the latest proposed one.

export type Rating = 'blue' | 'green' | 'amber' | 'red';
export type RatingScale = 'BRAG' | 'RAG';
export type RatingCounts = Record<Rating, number>;
/** A rating, or none: the key of the "Not rated" column and colour. */
export type RatingOrNone = Rating | 'none';

/** Worst first: the order of severity, and of the count columns. */
export const RATINGS: readonly Rating[] = ['red', 'amber', 'green', 'blue'];

/** An action nobody has proposed or agreed a rating for: its name wherever a rating is shown. */
export const NO_RATING = { name: 'Not rated', meaning: 'No rating proposed or agreed yet' } as const;

export const RATING_NAMES: Readonly<Record<RatingOrNone, string>> = {
  blue: 'Blue',
  green: 'Green',
  amber: 'Amber',
  red: 'Red',
  none: NO_RATING.name,
};

/** What a rating means in each scale, as the plan's key says it. */
export const RATING_MEANINGS: Readonly<Record<RatingScale, Partial<Record<Rating, string>>>> = {
  BRAG: {
    blue: 'Completed',
    green: 'On target',
    amber: 'Off target with remedial action',
    red: 'Not yet planned, started or progressed',
  },
  RAG: {
    green: 'Completed',
    amber: 'In progress or off target',
    red: 'Not started',
  },
};

/** Fill and text colours, #rrggbb. */
export const RATING_COLOURS: Readonly<Record<RatingOrNone, { fill: string; text: string }>> = {
  blue: { fill: '#005eb8', text: '#ffffff' },
  green: { fill: '#007f3b', text: '#ffffff' },
  amber: { fill: '#ffb81c', text: '#212b32' },
  red: { fill: '#d5281b', text: '#ffffff' },
  none: { fill: '#d8dde0', text: '#212b32' },
};

/** One line of a plan's key. */
export interface RatingKeyEntry {
  rating: RatingOrNone;
  /** "Blue", or "Not rated" */
  name: string;
  /** "Completed" */
  meaning: string;
  /** Fill colour, #rrggbb */
  colour: string;
  /** Text colour that reads on that fill with at least 4.5:1 contrast. */
  textColour: string;
}

/** "Blue", or "Not rated" for none. */
export function ratingName(rating: Rating | null): string {
  return RATING_NAMES[rating ?? 'none'];
}

/** What the rating means in this scale ("Completed"); '' for a rating the scale does not have. */
export function ratingMeaning(scale: RatingScale, rating: RatingOrNone | null): string {
  return rating === null || rating === 'none' ? NO_RATING.meaning : (RATING_MEANINGS[scale][rating] ?? '');
}

/** "Blue: completed", the words a rating carries wherever one line holds it; "Not rated" for none. */
export function ratingLabel(scale: RatingScale, rating: Rating | null): string {
  return rating === null
    ? NO_RATING.name
    : keyLabel({ name: RATING_NAMES[rating], meaning: ratingMeaning(scale, rating) });
}

/** One key entry on one line: "Blue: completed"; the name alone when it has no meaning. */
export function keyLabel(entry: Pick<RatingKeyEntry, 'name' | 'meaning'>): string {
  return entry.meaning ? `${entry.name}: ${meaningAfterName(entry.meaning)}` : entry.name;
}

/** A meaning as it reads after the rating's name: "Completed" → "completed". */
export function meaningAfterName(meaning: string): string {
  return `${meaning.charAt(0).toLowerCase()}${meaning.slice(1)}`;
}

/**
 * The key in the order plans print it: Blue (BRAG only), Green, Amber, Red; with `withNone`,
 * then "Not rated" (for keys that explain the grey of an unrated cell).
 */
export function ratingKey(scale: RatingScale, { withNone = false }: { withNone?: boolean } = {}): RatingKeyEntry[] {
  const entry = (rating: RatingOrNone): RatingKeyEntry => ({
    rating,
    name: RATING_NAMES[rating],
    meaning: ratingMeaning(scale, rating),
    colour: RATING_COLOURS[rating].fill,
    textColour: RATING_COLOURS[rating].text,
  });
  return [...ratingsOf(scale).map(entry), ...(withNone ? [entry('none')] : [])];
}

/** Blue exists only in BRAG; a RAG plan has no colour beyond Green. */
export function isRatingAllowed(scale: RatingScale, rating: Rating): boolean {
  return RATING_MEANINGS[scale][rating] !== undefined;
}

/** Completed is Blue in BRAG and Green in RAG. */
export function isComplete(scale: RatingScale, rating: Rating): boolean {
  return scale === 'BRAG' ? rating === 'blue' : rating === 'green';
}

/**
 * One event in an action's rating history: a proposal, an agreement, or a challenge of a
 * proposal by the peer challenge group.
 */
export type RatingHistoryEntry = {
  proposed: Rating | null;
  agreed: Rating | null;
  at: string;
  /** The proposal the group challenged (did not accept), on a challenge entry. */
  challenged?: Rating | null;
  /** Why the group agreed or challenged. */
  rationale?: string;
  /** Why the group agreed Green or Blue without accepted recent evidence, on an agreement. */
  overrideReason?: string | null;
};

export type PendingChallenge = { rating: Rating; rationale: string; at: string };

export type CurrentRating = {
  /** The latest rating the peer challenge group agreed. */
  agreed: Rating | null;
  /** The latest rating an organisation proposed. */
  proposed: Rating | null;
  /** When those were recorded (the `at` of their entries). */
  agreedAt: string | null;
  proposedAt: string | null;
  /** The latest proposal is newer than the group's last decision (an agreement or a challenge). */
  awaitingDecision: boolean;
  /**
   * The group has decided since the latest proposal and the organisation's view differs: the
   * group challenged it, or agreed another rating. A proposal waiting for a decision is not a
   * dispute, however it differs from the agreed rating.
   */
  disputed: boolean;
  /** The override reason of the latest agreement, when it was agreed without accepted recent evidence. */
  overrideReason: string | null;
  /** The group's challenge of the latest proposal, until a newer proposal or agreement answers it. */
  challenge: PendingChallenge | null;
};

/**
 * The current rating from a history that is kept oldest first and never overwritten
 * (DOMAIN.md: "history matters and must never be overwritten").
 *
 * Decisions:
 * - "Newer" is by position in the history, not by comparing `at`, because a proposal and
 *   an agreement can share a day and the order of entries is the order of events.
 * - Awaiting a decision: the latest proposal came after the group's last decision (its latest
 *   agreement or challenge). The group has not looked at it yet, so it is not a dispute.
 * - Disputed: the group has decided since the latest proposal, and differently: it agreed
 *   another rating (the organisation still holds its view until it proposes again), or it
 *   challenged the proposal. Both are questions a board will want to see.
 * - A challenge leaves the proposal unagreed and disputed. It stands until the organisation
 *   proposes again (then awaiting a decision) or the group agrees a rating.
 */
export function currentRating(history: readonly RatingHistoryEntry[]): CurrentRating {
  const { agreedIndex, proposedIndex, challengeIndex } = latestIndexes(history);
  const agreedEntry = history[agreedIndex];
  const proposedEntry = history[proposedIndex];
  const challengeEntry = history[challengeIndex];
  const agreed = agreedEntry?.agreed ?? null;
  const proposed = proposedEntry?.proposed ?? null;
  const challenge =
    challengeEntry?.challenged && challengeIndex > proposedIndex && challengeIndex > agreedIndex && proposed !== null
      ? { rating: challengeEntry.challenged, rationale: challengeEntry.rationale ?? '', at: challengeEntry.at }
      : null;
  const awaitingDecision = proposed !== null && proposedIndex > agreedIndex && proposedIndex > challengeIndex;
  return {
    agreed,
    proposed,
    agreedAt: agreedEntry?.at ?? null,
    proposedAt: proposedEntry?.at ?? null,
    awaitingDecision,
    disputed:
      !awaitingDecision && ((agreed !== null && proposed !== null && proposed !== agreed) || challenge !== null),
    overrideReason: agreedEntry?.overrideReason ?? null,
    challenge,
  };
}

/**
 * Whether the latest proposal waits for the group: made after the latest agreement and not
 * challenged since. Only such a proposal can be challenged.
 */
export function proposalAwaitingDecision(history: readonly RatingHistoryEntry[]): boolean {
  const { agreedIndex, proposedIndex, challengeIndex } = latestIndexes(history);
  return proposedIndex > agreedIndex && proposedIndex > challengeIndex;
}

/** The rating an action shows: the latest agreed one, else the latest proposed one, else none. */
export function shownRating(current: Pick<CurrentRating, 'agreed' | 'proposed'>): Rating | null {
  return current.agreed ?? current.proposed;
}

/**
 * The rating an action showed at the end of a day, from its history: the entries dated on or
 * before the day, read as `currentRating` reads them. A challenge changes no rating.
 */
export function ratingOn(history: readonly RatingHistoryEntry[], day: string): Rating | null {
  return shownRating(currentRating(history.filter((entry) => entry.at.slice(0, 10) <= day)));
}

/** Where the latest agreement, proposal and challenge are in a history (-1 for none). */
function latestIndexes(history: readonly RatingHistoryEntry[]) {
  let agreedIndex = -1;
  let proposedIndex = -1;
  let challengeIndex = -1;
  history.forEach((entry, index) => {
    if (entry.agreed !== null) agreedIndex = index;
    if (entry.proposed !== null) proposedIndex = index;
    if (entry.challenged !== undefined && entry.challenged !== null) challengeIndex = index;
  });
  return { agreedIndex, proposedIndex, challengeIndex };
}

/** A proposal or agreement as stored: `decidedOn` is its day, `recordedAt` the instant it was written. */
export type RatingDecision = {
  kind: 'proposed' | 'agreed';
  rating: Rating;
  /** The day it was recorded, which orders it among challenges. */
  decidedOn: string;
  /** The day it speaks for, when not `decidedOn`: the history's `at`. */
  effectiveOn?: string | null;
  recordedAt: string;
  rationale?: string;
  overrideReason?: string | null;
};

export type RatingChallenge = { rating: Rating; decidedOn: string; recordedAt: string; rationale: string };

type Dated = { decidedOn: string; recordedAt: string };

/**
 * Decisions (oldest first, as stored) and challenges merged in the order they happened: the
 * one order every reader of a rating history uses (the pages, the snapshot and its documents).
 * Decisions keep their stored order; each challenge goes before the first decision made on a
 * later day, or on the same day but written later.
 */
export function inHistoryOrder<D extends Dated, C extends Dated>(
  decisions: readonly D[],
  challenges: readonly C[],
): Array<{ decision: D } | { challenge: C }> {
  const before = (x: Dated, y: Dated) =>
    x.decidedOn < y.decidedOn || (x.decidedOn === y.decidedOn && x.recordedAt < y.recordedAt);
  const pending = [...challenges].sort((x, y) => (before(x, y) ? -1 : before(y, x) ? 1 : 0));
  const merged: Array<{ decision: D } | { challenge: C }> = [];
  let next = 0;
  for (const decision of decisions) {
    for (let c = pending[next]; c !== undefined && before(c, decision); c = pending[++next])
      merged.push({ challenge: c });
    merged.push({ decision });
  }
  for (const challenge of pending.slice(next)) merged.push({ challenge });
  return merged;
}

/** Decisions and challenges as one history, in the order they happened (`inHistoryOrder`). */
export function buildRatingHistory(
  decisions: readonly RatingDecision[],
  challenges: readonly RatingChallenge[] = [],
): RatingHistoryEntry[] {
  return inHistoryOrder(decisions, challenges).map((event): RatingHistoryEntry => {
    if ('challenge' in event) {
      const c = event.challenge;
      return { proposed: null, agreed: null, challenged: c.rating, rationale: c.rationale, at: c.decidedOn };
    }
    const d = event.decision;
    return {
      proposed: d.kind === 'proposed' ? d.rating : null,
      agreed: d.kind === 'agreed' ? d.rating : null,
      at: d.effectiveOn ?? d.decidedOn,
      ...(d.rationale !== undefined ? { rationale: d.rationale } : {}),
      ...(d.kind === 'agreed' ? { overrideReason: d.overrideReason ?? null } : {}),
    };
  });
}

/** A rating decision as it is stored (rating_events), and a challenge (rating_challenges). */
export type StoredRatingDecision = {
  kind: 'proposed' | 'agreed';
  rating: Rating;
  decided_on: string;
  effective_on: string | null;
  created_at: string;
  override_reason: string | null;
  rationale?: string;
};
export type StoredRatingChallenge = { rating: Rating; decided_on: string; created_at: string; rationale: string };

/** `buildRatingHistory` of decisions and challenges as they are stored; a decision's rationale when it was read. */
export function ratingHistoryOf(
  decisions: readonly StoredRatingDecision[],
  challenges: readonly StoredRatingChallenge[] = [],
): RatingHistoryEntry[] {
  return buildRatingHistory(
    decisions.map((e) => ({
      kind: e.kind,
      rating: e.rating,
      decidedOn: e.decided_on,
      effectiveOn: e.effective_on,
      recordedAt: e.created_at,
      ...(e.rationale !== undefined ? { rationale: e.rationale } : {}),
      overrideReason: e.override_reason,
    })),
    challenges.map((c) => ({
      rating: c.rating,
      decidedOn: c.decided_on,
      recordedAt: c.created_at,
      rationale: c.rationale,
    })),
  );
}

/** The ratings a plan's key offers, best first: Blue (BRAG only), Green, Amber, Red. */
export function ratingsOf(scale: RatingScale): Rating[] {
  return (['blue', 'green', 'amber', 'red'] as const).filter((rating) => isRatingAllowed(scale, rating));
}

/**
 * Green and Blue say an action is on track or done (completed is Blue in BRAG, Green in
 * RAG). The group agrees them only on accepted evidence that is recent: "Green appears to
 * be the default RAG rating … not supported by substantive evidence" (DOMAIN.md, Rutland 2021).
 */
export function needsRecentEvidence(rating: Rating): boolean {
  return rating === 'green' || rating === 'blue';
}

/** The first and last day evidence may be dated to count as recent: the stale window ending today. */
export function recentEvidenceWindow(today: string, staleDays: number): { from: string; to: string } {
  return { from: addDays(today, -staleDays), to: today };
}

/** Whether any of these evidence dates falls in the stale window ending today. */
export function hasRecentEvidence(dates: readonly string[], today: string, staleDays: number): boolean {
  const { from, to } = recentEvidenceWindow(today, staleDays);
  return dates.some((date) => date >= from && date <= to);
}
