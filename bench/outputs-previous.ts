// The plan as it stood some weeks before a snapshot, worked out from the snapshot, for the
// outputs benchmark: the board report compares the plan now with the version issued for the
// last board, and its "what changed" part costs time only when something did change.
//
// Taking away what is dated after the earlier day gives a plausible version: progress and
// evidence added since, ratings proposed or agreed since (each action's rating goes back to
// the one it had then), evidence decided since back to "submitted". So that the comparison
// also finds actions added and changed, one action in 25 is left out (added since) and one
// in 12 has other words (changed since). Recommendation roll-ups are worked out again; exceptions are kept
// for the actions still there. It is a stand-in, not what the app would have recorded.
import { addDays } from '../src/domain/dates.ts';
import type { Rating } from '../src/domain/ratings.ts';
import { worstRating } from '../src/domain/rating-roll-up.ts';
import type { PlanSnapshot, SnapshotAction, SnapshotRatingEvent } from '../src/domain/plan-snapshot.ts';

function ratingAsAt(
  events: readonly SnapshotRatingEvent[],
): Pick<SnapshotAction, 'rating' | 'ratingStatus' | 'agreedBy' | 'agreedOn'> {
  const agreed = events.filter((e) => e.kind === 'agreed').at(-1);
  const last = events.at(-1);
  const awaiting = last !== undefined && last.kind === 'proposed' && last !== agreed;
  const rating: Rating | null = awaiting ? last.rating : (agreed?.rating ?? null);
  return {
    rating,
    ratingStatus: rating === null ? 'none' : awaiting ? 'proposed' : 'agreed',
    agreedBy: agreed?.by ?? null,
    agreedOn: agreed?.on ?? null,
  };
}

function actionAsAt(action: SnapshotAction, day: string, index: number): SnapshotAction {
  const ratingEvents = action.ratingEvents.filter((e) => e.on <= day);
  return {
    ...action,
    ...ratingAsAt(ratingEvents),
    action: index % 12 === 5 ? `${action.action} (first draft)` : action.action,
    disputed: false,
    ratingEvents,
    progress: action.progress.filter((p) => p.on <= day),
    evidence: action.evidence
      .filter((e) => e.effectiveOn <= day)
      .map((e) =>
        e.statusOn !== null && e.statusOn > day
          ? { ...e, status: 'submitted' as const, statusBy: null, statusOn: null, statusReason: null }
          : e,
      ),
  };
}

/** The plan `daysBefore` days before `current.asOf`, as a frozen version numbered after the existing ones. */
export function previousVersionOf(current: PlanSnapshot, daysBefore: number): PlanSnapshot {
  const day = addDays(current.asOf, -daysBefore);
  const actions = current.actions.filter((_, i) => i % 25 !== 24).map((a, i) => actionAsAt(a, day, i));
  const kept = new Set(actions.map((a) => a.id));
  const recommendations = current.recommendations.map((r) => {
    const own = actions.filter((a) => a.recommendationId === r.id);
    return {
      ...r,
      rating: worstRating(own.flatMap((a) => (a.rating ? [a.rating] : []))),
      basis: {
        ...r.basis,
        actions: own.length,
        ratedActions: own.filter((a) => a.rating !== null).length,
        acceptedEvidence: own.reduce((n, a) => n + a.evidence.filter((e) => e.status === 'accepted').length, 0),
        lastProgressOn:
          own
            .flatMap((a) => a.progress.map((p) => p.on))
            .sort()
            .at(-1) ?? null,
      },
    };
  });
  const numbers = current.versions.map((v) => Number.parseInt(v.number, 10)).filter(Number.isFinite);
  const version = {
    number: String(Math.max(0, ...numbers) + 1),
    issuedOn: day,
    author: current.review.leadOrganisation ?? 'Lead commissioner',
    purpose: 'hwb',
    actionText: 'Health and Wellbeing Board',
    comment: 'Quarterly report to the board',
    recipients: 'Health and Wellbeing Board',
    frozen: true,
  };
  return {
    ...current,
    takenAt: `${day}T09:00:00.000Z`,
    asOf: day,
    version,
    versions: [...current.versions, version],
    recommendations,
    actions,
    exceptions: current.exceptions.filter((e) => e.subjectType !== 'action' || kept.has(e.subjectId)),
  };
}
