import { addDays } from './dates.ts';

// BRAG and RAG ratings. Rotherham's key is BRAG (Blue: completed; Green: on target; Amber:
// off target with remedial action; Red: not yet started or progressed); other areas use
// RAG, where Green means complete and there is no Blue (DOMAIN.md, "BRAG / RAG rating").

export type Rating = 'blue' | 'green' | 'amber' | 'red';
export type RatingScale = 'BRAG' | 'RAG';
export type RatingCounts = Record<Rating, number>;

export const RATINGS: readonly Rating[] = ['red', 'amber', 'green', 'blue'];

export const RATING_LABELS: { BRAG: Record<Rating, string>; RAG: Partial<Record<Rating, string>> } = {
  BRAG: {
    blue: 'Blue: completed',
    green: 'Green: on target',
    amber: 'Amber: off target with remedial action',
    red: 'Red: not yet started or progressed',
  },
  RAG: {
    green: 'Green: completed',
    amber: 'Amber: in progress/off target',
    red: 'Red: not started',
  },
};

/** Blue exists only in BRAG; a RAG plan has no colour beyond Green. */
export function isRatingAllowed(scale: RatingScale, rating: Rating): boolean {
  return RATING_LABELS[scale][rating] !== undefined;
}

/** Completed is Blue in BRAG and Green in RAG. */
export function isComplete(scale: RatingScale, rating: Rating): boolean {
  return scale === 'BRAG' ? rating === 'blue' : rating === 'green';
}

// Worst first: a roll-up shows the worst of its parts so that one red action is never
// hidden behind green ones.
const SEVERITY: Record<Rating, number> = { red: 0, amber: 1, green: 2, blue: 3 };

/** The worst rating (red, then amber, green, blue), or null for none. */
export function worstRating(ratings: readonly Rating[]): Rating | null {
  let worst: Rating | null = null;
  for (const rating of ratings) {
    if (worst === null || SEVERITY[rating] < SEVERITY[worst]) worst = rating;
  }
  return worst;
}

export type RollUp = {
  /** Worst of the rated actions; null when none is rated. */
  rating: Rating | null;
  counts: RatingCounts;
  /** Actions with no rating (or a rating the scale does not allow). */
  unrated: number;
  total: number;
};

export type RollUpInput = {
  scale: RatingScale;
  actions: Array<{ id: string; recommendationId: string; organisationIds: string[]; rating: Rating | null }>;
  recommendationIds: string[];
  organisationIds: string[];
};

export type RollUpResult = {
  byRecommendation: Record<string, RollUp>;
  byOrganisation: Record<string, RollUp>;
  plan: {
    actions: RatingCounts & { unrated: number; total: number };
    /** Counts of the recommendations' roll-up ratings; unrated = recommendations with no rated action. */
    recommendations: RatingCounts & { unrated: number; total: number };
  };
};

function emptyCounts(): RatingCounts {
  return { blue: 0, green: 0, amber: 0, red: 0 };
}

function rollUp(ratings: readonly (Rating | null)[]): RollUp {
  const counts = emptyCounts();
  const rated: Rating[] = [];
  for (const rating of ratings) {
    if (rating !== null) {
      counts[rating] += 1;
      rated.push(rating);
    }
  }
  return { rating: worstRating(rated), counts, unrated: ratings.length - rated.length, total: ratings.length };
}

/**
 * Rolls action ratings up to recommendations, organisations and the whole plan.
 *
 * Decisions:
 * - A recommendation (or organisation) with some unrated actions still rolls up to the
 *   worst of its rated ones, and reports how many are `unrated`: hiding a known red
 *   because another action is unrated would be worse. Callers must not show a roll-up
 *   as complete while `unrated` > 0.
 * - A rating the scale does not allow (Blue in a RAG plan) counts as unrated: it cannot
 *   be shown in that plan's key, and guessing what it meant would be a silent change.
 * - Every listed id gets an entry (total 0, rating null when it has no action), and ids
 *   that only appear on actions are added, so no action drops out of the totals.
 * - An action for several organisations counts once for each of them.
 */
export function rollUpRatings(input: RollUpInput): RollUpResult {
  const allowed = (rating: Rating | null): Rating | null =>
    rating !== null && isRatingAllowed(input.scale, rating) ? rating : null;

  const byRecRatings = new Map<string, (Rating | null)[]>(input.recommendationIds.map((id) => [id, []]));
  const byOrgRatings = new Map<string, (Rating | null)[]>(input.organisationIds.map((id) => [id, []]));
  const add = (map: Map<string, (Rating | null)[]>, id: string, rating: Rating | null): void => {
    const list = map.get(id);
    if (list) list.push(rating);
    else map.set(id, [rating]);
  };
  for (const action of input.actions) {
    const rating = allowed(action.rating);
    add(byRecRatings, action.recommendationId, rating);
    // A Set, so an organisation listed twice on one action still counts that action once.
    for (const orgId of new Set(action.organisationIds)) add(byOrgRatings, orgId, rating);
  }

  const byRecommendation: Record<string, RollUp> = {};
  for (const [id, ratings] of byRecRatings) byRecommendation[id] = rollUp(ratings);
  const byOrganisation: Record<string, RollUp> = {};
  for (const [id, ratings] of byOrgRatings) byOrganisation[id] = rollUp(ratings);

  const actions = rollUp(input.actions.map((a) => allowed(a.rating)));
  const recommendations = rollUp(Object.values(byRecommendation).map((r) => r.rating));
  return {
    byRecommendation,
    byOrganisation,
    plan: {
      actions: { ...actions.counts, unrated: actions.unrated, total: actions.total },
      recommendations: { ...recommendations.counts, unrated: recommendations.unrated, total: recommendations.total },
    },
  };
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
  /**
   * The latest proposal differs from the latest agreement and came after it, or the group
   * has challenged the latest proposal.
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
 * - Disputed means what the issue says: the latest proposed and the latest agreed ratings
 *   differ. That covers the group overruling a proposal (the organisation still holds its
 *   view until it proposes again) and a newer proposal not yet considered; both are
 *   questions the peer challenge group or a board will want to see.
 * - A proposal with no agreement ever recorded is awaiting its first agreement, not
 *   disputed: nothing has been agreed for it to differ from.
 * - A challenge leaves the proposal unagreed and disputed. It stands until the organisation
 *   proposes again or the group agrees a rating: either answers it.
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
  return {
    agreed,
    proposed,
    agreedAt: agreedEntry?.at ?? null,
    proposedAt: proposedEntry?.at ?? null,
    disputed: (agreed !== null && proposed !== null && proposed !== agreed) || challenge !== null,
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
  decidedOn: string;
  recordedAt: string;
  rationale?: string;
  overrideReason?: string | null;
};

export type RatingChallenge = { rating: Rating; decidedOn: string; recordedAt: string; rationale: string };

/**
 * Decisions (oldest first, as stored) and challenges merged into one history. Decisions keep
 * their stored order; each challenge goes before the first decision made on a later day, or
 * on the same day but written later.
 */
export function buildRatingHistory(decisions: readonly RatingDecision[], challenges: readonly RatingChallenge[] = []): RatingHistoryEntry[] {
  const before = (a: { decidedOn: string; recordedAt: string }, b: { decidedOn: string; recordedAt: string }) =>
    a.decidedOn < b.decidedOn || (a.decidedOn === b.decidedOn && a.recordedAt < b.recordedAt);
  const pending = [...challenges].sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  const history: RatingHistoryEntry[] = [];
  const takeChallenge = (c: RatingChallenge) =>
    history.push({ proposed: null, agreed: null, challenged: c.rating, rationale: c.rationale, at: c.decidedOn });
  let next = 0;
  for (const d of decisions) {
    for (let c = pending[next]; c !== undefined && before(c, d); c = pending[++next]) takeChallenge(c);
    history.push({
      proposed: d.kind === 'proposed' ? d.rating : null,
      agreed: d.kind === 'agreed' ? d.rating : null,
      at: d.decidedOn,
      ...(d.rationale !== undefined ? { rationale: d.rationale } : {}),
      ...(d.kind === 'agreed' ? { overrideReason: d.overrideReason ?? null } : {}),
    });
  }
  for (const c of pending.slice(next)) takeChallenge(c);
  return history;
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
