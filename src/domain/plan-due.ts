// Where a review's action plan stands against its due date, for the overview's first line. The
// CQC asks for the plan within 20 working days of receipt (working-days.ts); people ask "how
// long have we got?" and "were we late?", so the answer is counted in working days too.
import { addDays, requireIsoDate } from './dates.ts';
import { isWorkingDay } from './working-days.ts';

export type PlanDuePosition =
  /** No due date: the report's dates are not recorded. */
  | { state: 'unknown'; sentOn: string | null }
  /** Sent: how many working days after the due date (0 or less is on time). */
  | { state: 'sent'; dueDate: string; sentOn: string; workingDaysLate: number }
  /** Not sent, and the due date is today or later. */
  | { state: 'due'; dueDate: string; workingDaysLeft: number }
  /** Not sent, and the due date has passed. */
  | { state: 'overdue'; dueDate: string; workingDaysOverdue: number };

/**
 * Working days after `from` up to and including `to`; negative when `to` comes first. The
 * day counted from is not counted, as for the due date itself.
 */
export function workingDaysBetween(from: string, to: string): number {
  requireIsoDate(from, 'from');
  requireIsoDate(to, 'to');
  if (to < from) return -workingDaysBetween(to, from);
  let count = 0;
  for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) if (isWorkingDay(day)) count += 1;
  return count;
}

/** The plan's position on `today` (or the day the review is assessed at). */
export function planDuePosition(dueDate: string | null, sentOn: string | null, today: string): PlanDuePosition {
  requireIsoDate(today, 'today');
  if (dueDate === null) return { state: 'unknown', sentOn };
  if (sentOn !== null) return { state: 'sent', dueDate, sentOn, workingDaysLate: workingDaysBetween(dueDate, sentOn) };
  if (today <= dueDate) return { state: 'due', dueDate, workingDaysLeft: workingDaysBetween(today, dueDate) };
  return { state: 'overdue', dueDate, workingDaysOverdue: workingDaysBetween(dueDate, today) };
}
