import type { RefusedForm } from '../../../platform/http/form-replies.ts';
import { formValues } from '../../../platform/http/form-pages.ts';
import { actionCrumbs } from '../../../platform/review-paths.ts';
import { formatLongDate } from '../../../domain/dates.ts';
import { plural } from '../../../domain/words.ts';
import type { DueDateChange, DueDatePosition } from '../../../domain/due-dates.ts';
import { dueDateWords, type DueDates } from './due-dates.service.ts';

/* An action's due dates -> what the revised due date page shows. */

const CHANGE_WORDS: Record<DueDateChange['kind'], string> = {
  proposed: 'Revised date proposed',
  agreed: 'Revised date agreed',
  refused: 'Revised date refused',
  set: 'Due date changed by the coordinator',
};

/** "Moved twice: originally 31 March 2016", or "Never moved". */
export function movesWords(position: DueDatePosition): string {
  if (position.moves === 0) return 'The due date has not moved since it was agreed.';
  const times = position.moves === 1 ? 'once' : position.moves === 2 ? 'twice' : plural(position.moves, 'time');
  return `The due date has moved ${times}. It was first agreed as ${dueDateWords(position.original)}.`;
}

export function presentDueDateHistory(history: readonly DueDateChange[]) {
  // Newest first, as the other histories.
  return [...history].reverse().map((c) => ({
    what: CHANGE_WORDS[c.kind],
    on: formatLongDate(c.at.slice(0, 10)),
    by: c.by,
    dates:
      c.kind === 'proposed'
        ? `From ${dueDateWords(c.fromDate)} to ${dueDateWords(c.toDate)}`
        : c.kind === 'refused'
          ? `${dueDateWords(c.toDate)} refused; stays ${dueDateWords(c.fromDate)}`
          : `From ${dueDateWords(c.fromDate)} to ${dueDateWords(c.toDate)}`,
    reason: c.reason,
  }));
}

export function presentDueDates(form: DueDates, refused: RefusedForm | null, which: 'propose' | 'decide' | null) {
  const { access, position } = form;
  const base = `/reviews/${access.review.id}`;
  const actionHref = `${base}/actions/${access.action.id}`;
  const { fields } = formValues(which === 'propose' ? refused : null, {}, null, ['dueDate']);
  const decideFields = which === 'decide' && refused ? refused.fields : {};
  return {
    heading: 'Due date',
    area: access.review.area,
    label: access.label,
    recommendationNumber: access.action.recommendation_number,
    actionHref,
    breadcrumbs: actionCrumbs(access.review, access.action.recommendation_number, {
      label: access.label,
      href: actionHref,
    }),
    agreed: dueDateWords(position.agreed),
    original: dueDateWords(position.original),
    moves: position.moves,
    movesWords: movesWords(position),
    pending: position.pending && {
      date: formatLongDate(position.pending.proposedDate),
      reason: position.pending.reason,
      by: position.pending.by,
      on: formatLongDate(position.pending.at.slice(0, 10)),
    },
    history: presentDueDateHistory(form.history),
    // Whoever decides a proposal decides it first, rather than proposing another on top of it.
    canPropose: form.canPropose && position.agreed !== null && !(form.canDecide && position.pending !== null),
    canDecide: form.canDecide && position.pending !== null,
    proposeAction: `${actionHref}/due-date/propose`,
    decideAction: `${actionHref}/due-date/decide`,
    fields,
    decideFields,
    which,
  };
}
