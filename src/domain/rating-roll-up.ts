import { isRatingAllowed, type Rating, type RatingCounts, type RatingScale } from './ratings.ts';

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
  /**
   * The rating it shows (`rollUpRating`): the worst of its actions, where an unrated action
   * ranks between Amber and Green. Null when no action is rated, or when an action is not
   * rated and the rated ones are all Green or Blue.
   */
  rating: Rating | null;
  counts: RatingCounts;
  /** Actions with no rating (or a rating the scale does not allow). */
  unrated: number;
  total: number;
  /**
   * Completed actions whose assurance lapsed: fresh accepted evidence was due and did not come.
   * They still count in `counts` by their rating; this says how many of them no longer hold.
   */
  lapsed: number;
};

export type RollUpInput = {
  scale: RatingScale;
  actions: Array<{
    id: string;
    recommendationId: string;
    organisationIds: string[];
    rating: Rating | null;
    /** Its assurance lapsed after completion (src/domain/lasting-assurance.ts). */
    lapsed?: boolean;
  }>;
  recommendationIds: string[];
  organisationIds: string[];
};

export type RollUpResult = {
  byRecommendation: Record<string, RollUp>;
  byOrganisation: Record<string, RollUp>;
  plan: {
    /** The whole plan's rating, by the same rule over all its actions. */
    rating: Rating | null;
    actions: RatingCounts & { unrated: number; total: number; lapsed: number };
    /**
     * Counts of the recommendations' roll-up ratings; unrated = recommendations with no rated action;
     * lapsed = recommendations with at least one action whose assurance lapsed.
     */
    recommendations: RatingCounts & { unrated: number; total: number; lapsed: number };
  };
};

function emptyCounts(): RatingCounts {
  return { blue: 0, green: 0, amber: 0, red: 0 };
}

/**
 * The rating that stands for several actions. It is never better than any of them:
 *
 * - the worst rated one, Red, then Amber, then Green, then Blue;
 * - an action with no rating is not ignored: nobody can say it is on target or complete, so
 *   while one is unrated the roll-up cannot be Green or Blue and shows no rating (null) until
 *   it is rated. A known Red or Amber still shows, since the unrated action cannot make it
 *   better;
 * - no actions, or none rated: no rating.
 */
export function rollUpRating(ratings: readonly (Rating | null)[]): Rating | null {
  const worst = worstRating(ratings.filter((r): r is Rating => r !== null));
  const anyUnrated = ratings.some((r) => r === null);
  if (anyUnrated && (worst === 'green' || worst === 'blue')) return null;
  return worst;
}

type Rated = { rating: Rating | null; lapsed: boolean };

function rollUp(entries: readonly Rated[]): RollUp {
  const ratings = entries.map((e) => e.rating);
  const counts = emptyCounts();
  let rated = 0;
  for (const rating of ratings) {
    if (rating !== null) {
      counts[rating] += 1;
      rated += 1;
    }
  }
  return {
    rating: rollUpRating(ratings),
    counts,
    unrated: ratings.length - rated,
    total: ratings.length,
    lapsed: entries.filter((e) => e.lapsed).length,
  };
}

/**
 * Rolls action ratings up to recommendations, organisations and the whole plan.
 *
 * Decisions:
 * - Each roll-up follows `rollUpRating`: never better than any of its actions, and an
 *   unrated action stops it being Green or Blue. Each reports how many actions are
 *   `unrated`, for the "n of m actions rated" shown beside it.
 * - A rating the scale does not allow (Blue in a RAG plan) counts as unrated: it cannot
 *   be shown in that plan's key, and guessing what it meant would be a silent change.
 * - Every listed id gets an entry (total 0, rating null when it has no action), and ids
 *   that only appear on actions are added, so no action drops out of the totals.
 * - An action for several organisations counts once for each of them.
 * - `lapsed` counts the actions whose assurance lapsed after completion, beside the ratings:
 *   it changes no rating and no other count.
 */
export function rollUpRatings(input: RollUpInput): RollUpResult {
  const allowed = (rating: Rating | null): Rating | null =>
    rating !== null && isRatingAllowed(input.scale, rating) ? rating : null;

  const byRecRatings = new Map<string, Rated[]>(input.recommendationIds.map((id) => [id, []]));
  const byOrgRatings = new Map<string, Rated[]>(input.organisationIds.map((id) => [id, []]));
  const add = (map: Map<string, Rated[]>, id: string, entry: Rated): void => {
    const list = map.get(id);
    if (list) list.push(entry);
    else map.set(id, [entry]);
  };
  const entries = input.actions.map((a) => ({ rating: allowed(a.rating), lapsed: a.lapsed === true }));
  input.actions.forEach((action, i) => {
    const entry = entries[i] ?? { rating: null, lapsed: false };
    add(byRecRatings, action.recommendationId, entry);
    // A Set, so an organisation listed twice on one action still counts that action once.
    for (const orgId of new Set(action.organisationIds)) add(byOrgRatings, orgId, entry);
  });

  const byRecommendation: Record<string, RollUp> = {};
  for (const [id, list] of byRecRatings) byRecommendation[id] = rollUp(list);
  const byOrganisation: Record<string, RollUp> = {};
  for (const [id, list] of byOrgRatings) byOrganisation[id] = rollUp(list);

  const actions = rollUp(entries);
  const recommendations = rollUp(
    Object.values(byRecommendation).map((r) => ({ rating: r.rating, lapsed: r.lapsed > 0 })),
  );
  return {
    byRecommendation,
    byOrganisation,
    plan: {
      rating: actions.rating,
      actions: { ...actions.counts, unrated: actions.unrated, total: actions.total, lapsed: actions.lapsed },
      recommendations: {
        ...recommendations.counts,
        unrated: recommendations.unrated,
        total: recommendations.total,
        lapsed: recommendations.lapsed,
      },
    },
  };
}

/**
 * "2 of 3 actions rated", shown beside every roll-up so a rating's completeness is never assumed;
 * "2 of 3 actions rated; 1 with assurance lapsed" when completed actions no longer hold.
 */
export function ratedWords(roll: { unrated: number; total: number; lapsed?: number }): string {
  if (roll.total === 0) return 'No actions';
  const rated = roll.total - roll.unrated;
  const lapsed = roll.lapsed ?? 0;
  const words = `${rated} of ${roll.total} action${roll.total === 1 ? '' : 's'} rated`;
  return lapsed > 0 ? `${words}; ${lapsed} with assurance lapsed` : words;
}
