// One data row of a plan table, read through the column map: the words under each field,
// and whether the row is really the lower half of the row above, cut by a page break.
import type { PlanField } from '../drafts.ts';
import type { SourceCell, SourceRow } from '../sources/model.ts';
import type { ColumnMap } from './columns.ts';
import { lacksYear, looksLikeDate, startsMidSentence, isFinished } from './cells.ts';

/** A cell under a field, with the header of its column (which may name a rating scale). */
export type FieldCell = { cell: SourceCell; header: string; column: number };

export type RowValues = {
  source: string;
  /** Non-empty cells under each field, in column order. */
  byField: Map<PlanField, FieldCell[]>;
};

/**
 * The most text one field gathers from the rows it is joined from. Real cells hold a few
 * hundred words; beyond this a file is damaged or hostile, and joining more would be slow.
 */
export const MAX_FIELD_TEXT = 20_000;

const EMPTY: SourceCell = { text: '', fill: null, date: null, span: 1 };

/** The row's cells placed at their grid columns; a spanning cell sits at its first column. */
export function gridCells(row: SourceRow): SourceCell[] {
  const out: SourceCell[] = [];
  for (const cell of row.cells) {
    out.push(cell);
    for (let i = 1; i < cell.span; i++) out.push(EMPTY);
  }
  return out;
}

/**
 * A row that arrives one column to the right, as text extracted from a PDF sometimes does:
 * the action column is empty, the date column holds words that are no date, and the column
 * after it holds the date. Returns the cells moved back one column, or null.
 */
export function unshiftedCells(cells: SourceCell[], map: ColumnMap): SourceCell[] | null {
  const actionAt = map.fields.indexOf('action');
  const dueAt = map.fields.indexOf('due');
  if (actionAt < 0 || dueAt <= actionAt + 1) return null;
  const text = (i: number) => cells[i]?.text ?? '';
  if (text(actionAt) !== '' || text(actionAt + 1) === '') return null;
  if (text(dueAt) === '' || looksLikeDate(text(dueAt)) || !looksLikeDate(text(dueAt + 1))) return null;
  return [...cells.slice(0, actionAt), ...cells.slice(actionAt + 1), EMPTY];
}

/**
 * What a recommendation has once, however many action rows it covers: a cell of these merged
 * down over several rows was read on the row where the merge starts. Its number is kept on
 * each row, since it says which recommendation the row's action is under.
 */
const ONCE_PER_RECOMMENDATION: ReadonlySet<PlanField> = new Set([
  'recommendation',
  'outcome',
  'findings',
  'anticipatedEvidence',
]);

/** True when the row's action cell is the action cell of the row above, merged down. */
function continuesMergedAction(cells: SourceCell[], map: ColumnMap): boolean {
  const actions = cells.filter((cell, i) => map.fields[i] === 'action' && cell.text !== '');
  return actions.length > 0 && actions.every((cell) => cell.mergedFromAbove === true);
}

/**
 * The row's non-empty cells by field. A cell merged down from the row above is left out when
 * what it holds was already read there: a recommendation's text, outcome, findings or
 * evidence, and every such cell of a row whose action cell is itself merged down (the same
 * action, given more leads, dates or progress). A lead, date or rating merged down over
 * several actions belongs to each of them, and is kept.
 */
export function rowValues(source: string, cells: SourceCell[], map: ColumnMap): RowValues {
  const byField = new Map<PlanField, FieldCell[]>();
  const sameAction = continuesMergedAction(cells, map);
  cells.forEach((cell, i) => {
    const field = map.fields[i] ?? 'ignore';
    if (field === 'ignore' || (cell.text === '' && cell.fill === null && cell.date === null)) return;
    if (cell.mergedFromAbove === true && (sameAction || ONCE_PER_RECOMMENDATION.has(field))) return;
    const list = byField.get(field) ?? [];
    list.push({ cell, header: map.headers[i] ?? '', column: i });
    byField.set(field, list);
  });
  return { source, byField };
}

/** The words under a field, several columns joined one per line, repeats left out. */
export function textOf(values: RowValues, field: PlanField): string {
  const texts = (values.byField.get(field) ?? []).map((f) => f.cell.text).filter((t) => t !== '');
  return [...new Set(texts)].join('\n');
}

/** The last action so far, as far as deciding about a split row needs it. */
export type ActionSoFar = { text: string; due: string; lead: string };

/** How a row relates to the action above it: a new action, more of it, or its lower half. */
export type Continuation = 'new' | 'more' | 'cut';

/**
 * Whether a row (that starts no new recommendation) continues the action above, rather than
 * being a new action:
 * - 'more': no action text (more leads, dates or progress for the action above), the same
 *   action text again (a merged cell read on each row it covers), or a list item with no lead
 *   and no date of its own;
 * - 'cut', a row split by a page break: action text that starts mid-sentence ("audit,
 *   including …"); an action above that stops mid-sentence when this row gives no date and no
 *   number of its own; a date above with no year when this row's date is the year
 *   ("30 September" / "2015").
 */
export function continuesAction(values: RowValues, above: ActionSoFar, numbered: boolean): Continuation {
  const action = textOf(values, 'action');
  const due = textOf(values, 'due');
  if (action === '' || action === above.text) return 'more';
  if (startsMidSentence(action)) return 'cut';
  if (!numbered && !isFinished(above.text) && due === '') return 'cut';
  if (lacksYear(above.due) && /^\d{4}\b/.test(due)) return 'cut';
  return /^[•·▪–-]/.test(action) && due === '' && textOf(values, 'lead') === '' ? 'more' : 'new';
}

/**
 * Joins the lower part of a split cell to the upper: a sentence cut mid-way runs on with a
 * space; anything else (a new item, a second date or name) starts a new line. A repeat of
 * the same words (a lead written again on the lower row) is kept once, except where each
 * line has its own meaning (a date for each part of the action).
 */
export function joinCellText(upper: string, lower: string, runsOn: boolean, keepRepeats = false): string {
  if (lower === '' || (upper === lower && !keepRepeats)) return upper;
  if (upper === '') return lower;
  return `${upper}${runsOn && !isFinished(upper) ? ' ' : '\n'}${lower}`;
}
