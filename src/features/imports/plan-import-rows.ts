// The rows a new action of an imported plan brings with it beyond its own: its rating and where
// that stands (agreed, proposed, disputed), and its evidence items. Each row carries the import's
// id, so that the import can be reverted.
import type { RatingValue } from '../../platform/db/schema.ts';
import type { NewEvidence, NewRatingChallenge, NewRatingEvent } from '../reviews/plan-writer.service.ts';
import type { PlanAction } from './drafts.ts';

type RatingRows = { ratings: NewRatingEvent[]; challenges: NewRatingChallenge[] };

/**
 * A new action's rating as the file gives it, credited to the file. Clasp's own export says
 * where it stands: agreed (by whom, on which day) or only proposed, and whether it is disputed.
 * A dispute comes back as an open challenge of a proposal of the same rating, after the
 * agreement: the file does not say which rating was proposed. A file that says nothing of it
 * gives an agreed rating, dated by its latest progress.
 */
export function ratingRows(
  base: { review_id: number; action_id: number; import_id: number | null; created_at: string },
  rating: RatingValue,
  action: PlanAction,
  o: { author: string; userId: number | null; fileName: string; latest: string },
): RatingRows {
  const agreement = action.agreement ?? null;
  const event = (kind: 'agreed' | 'proposed', decidedOn: string, actorName: string, rationale: string) => ({
    ...base,
    kind,
    rating,
    decided_on: decidedOn,
    user_id: o.userId,
    actor_name: actorName,
    rationale,
    override_reason: null,
    is_illustrative: 0,
  });
  const ratings: NewRatingEvent[] = [];
  let on = o.latest;
  if (agreement?.status === 'proposed') {
    ratings.push(event('proposed', on, o.author, 'The rating the imported plan gave, proposed and not yet agreed.'));
  } else {
    on = agreement?.on ?? o.latest;
    const by = agreement?.by ?? null;
    ratings.push(
      event(
        'agreed',
        on,
        by ?? o.author,
        by ? `Agreed by ${by}, as the imported plan (${o.fileName}) says.` : 'The rating the imported plan gave.',
      ),
    );
    if (agreement?.disputed)
      ratings.push(event('proposed', on, o.author, 'The imported plan shows the rating as disputed.'));
  }
  const challenges: NewRatingChallenge[] = agreement?.disputed
    ? [
        {
          ...base,
          rating,
          decided_on: on,
          user_id: o.userId,
          actor_name: o.author,
          rationale: `Disputed in the imported plan (${o.fileName}); the file does not say why.`,
        },
      ]
    : [];
  return { ratings, challenges };
}

/** A new action's evidence items as the file lists them; a file comes back as a note naming it. */
export function evidenceRows(
  base: { review_id: number; action_id: number; import_id: number | null; created_at: string },
  action: PlanAction,
  author: string,
): NewEvidence[] {
  return (action.evidence ?? []).map((e) => ({
    ...base,
    kind: e.kind,
    title: e.title,
    effective_on: e.effectiveOn,
    period_start: e.periodStart,
    blob_sha256: null,
    file_name: null,
    media_type: null,
    size: null,
    url: e.url,
    note: e.note,
    status: e.status,
    status_reason: e.reason,
    status_by_name: e.status === 'submitted' ? null : (e.decidedBy ?? author),
    status_at: e.status === 'submitted' ? null : `${e.decidedOn ?? base.created_at.slice(0, 10)}T00:00:00.000Z`,
    added_by_user_id: null,
    added_by_name: e.addedBy ?? author,
    is_illustrative: 0,
  }));
}
