// Assurance that lasts after completion (issue 14, section 3). The Rutland panel asked how a
// trust could grade recommendations complete "without ongoing monitoring". A completed action
// says how its effect will be shown to last and by when fresh accepted evidence is due; when
// that day passes without it, its assurance has lapsed.
import { addDays } from './dates.ts';
import { isComplete, type Rating, type RatingScale } from './ratings.ts';

export type LastingAssuranceState =
  /** Not agreed complete: nothing to sustain yet. */
  | 'not_complete'
  /** Agreed complete, but nobody has set when fresh evidence is due: listed for the coordinator. */
  | 'no_date'
  /** Fresh evidence is due on a day still to come. */
  | 'due'
  /** Fresh accepted evidence is in: the effect is shown to last. */
  | 'held'
  /** The day passed without fresh accepted evidence. */
  | 'lapsed';

export interface LastingAssuranceInput {
  scale: RatingScale;
  /** The rating the peer challenge group agreed last; only an agreed completion counts. */
  agreed: Rating | null;
  /** The day that rating was agreed ('YYYY-MM-DD' or a timestamp). */
  agreedAt: string | null;
  /** The day by which fresh accepted evidence is due, if set. */
  reassuranceDueOn: string | null;
  /** Effective dates of accepted evidence. */
  acceptedEvidenceDates: readonly string[];
  /** Evidence counts as fresh when dated within this many days before the due day, or after it. */
  staleDays: number;
  today: string;
}

/**
 * Where a completed action's assurance stands. Evidence is fresh when the group accepted it,
 * it is dated after the completion was agreed, and it falls within the stale window before the
 * due day or later: so setting the next due day after a re-audit asks for the next one.
 */
export function lastingAssurance(input: LastingAssuranceInput): LastingAssuranceState {
  if (input.agreed === null || !isComplete(input.scale, input.agreed)) return 'not_complete';
  const due = input.reassuranceDueOn;
  if (due === null) return 'no_date';
  const completedOn = input.agreedAt?.slice(0, 10) ?? '';
  const from = addDays(due, -input.staleDays);
  const fresh = input.acceptedEvidenceDates.some((d) => d > completedOn && d >= from);
  if (fresh) return 'held';
  return input.today > due ? 'lapsed' : 'due';
}

/** What each state is called on pages, in documents and in the board report. */
export const LASTING_ASSURANCE_NAMES: Readonly<Record<LastingAssuranceState, string>> = {
  not_complete: 'Not complete',
  no_date: 'Complete: no date set for fresh evidence',
  due: 'Complete: fresh evidence due',
  held: 'Complete: assurance held',
  lapsed: 'Assurance lapsed',
};
