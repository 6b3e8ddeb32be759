// Lasting assurance in the board report: how many completed actions still show their effect
// lasts, and which have lapsed (the day for fresh accepted evidence passed without it). A
// lapsed completion is told apart from the rest, so a board does not read it as done and kept.
import { formatLongDate } from '../../../domain/dates.ts';
import { LASTING_ASSURANCE_NAMES } from '../../../domain/lasting-assurance.ts';
import { snapshotLastingAssurance, type PlanSnapshot } from '../../../domain/plan-snapshot.ts';
import { plural } from '../../../domain/words.ts';
import type { BoardReport } from './board-report.ts';

export function lastingSummary(snapshot: PlanSnapshot): BoardReport['summary']['lasting'] {
  const tally = { lapsed: 0, held: 0, due: 0, noDate: 0 };
  for (const action of snapshot.actions) {
    const state = snapshotLastingAssurance(snapshot, action);
    if (state === 'lapsed') tally.lapsed += 1;
    else if (state === 'held') tally.held += 1;
    else if (state === 'due') tally.due += 1;
    else if (state === 'no_date') tally.noDate += 1;
  }
  const completed = tally.lapsed + tally.held + tally.due + tally.noDate;
  const known = snapshot.actions.some((action) => action.reassuranceDueOn !== undefined);
  const sentences =
    !known && snapshot.actions.length > 0
      ? ['This version was issued before Clasp kept lasting assurance, so it cannot say whether any has lapsed.']
      : completed === 0
        ? ['No action has been agreed complete, so there is no lasting assurance to report.']
        : [
            tally.lapsed === 0
              ? 'No completed action has lapsed: none has passed its day for fresh evidence without it.'
              : `${LASTING_ASSURANCE_NAMES.lapsed} for ${plural(tally.lapsed, 'completed action')}: ` +
                'the day for fresh accepted evidence passed without it.',
          ];
  return { ...tally, sentences };
}

/** Each completed action whose assurance lapsed, in plan order. */
export function lapsedActions(snapshot: PlanSnapshot): BoardReport['lapsed'] {
  const numberOf = new Map(snapshot.recommendations.map((r) => [r.id, r.number]));
  return snapshot.actions.flatMap((action) => {
    if (snapshotLastingAssurance(snapshot, action) !== 'lapsed') return [];
    return [
      {
        label: action.label,
        recommendationNumber: numberOf.get(action.recommendationId) ?? null,
        statusWords: LASTING_ASSURANCE_NAMES.lapsed,
        dueWords: action.reassuranceDueOn ? formatLongDate(action.reassuranceDueOn) : 'No date',
        sustainHow: action.sustainHow?.trim() || 'Not said',
      },
    ];
  });
}
