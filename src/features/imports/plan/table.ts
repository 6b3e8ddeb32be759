// The rows of a plan table, read through its column map: heading rows again, group and
// recommendation headings in one-cell rows, and data rows that start a recommendation, add
// an action, or continue the action above.
import type { SourceBlock, SourceRow } from '../sources/model.ts';
import { actionSoFar, continueAction, sentenceCase, startAction } from './actions.ts';
import { findingNumbers, hasWords, isFinished, startsMidSentence } from './cells.ts';
import { continueColumns, fieldOfHeader, isHeaderRow, mapColumns, planColumns } from './columns.ts';
import type { ColumnMap } from './columns.ts';
import { isStructural, readLine, readsAsAddressees } from './lines.ts';
import {
  addEvidence,
  addFindings,
  addOutcome,
  addRecommendationText,
  extendOutcome,
  repeatsRecommendationText,
} from './recommendations.ts';
import type { RecDraft } from './recommendations.ts';
import { continuesAction, gridCells, rowValues, textOf, unshiftedCells } from './rows.ts';
import type { RowValues } from './rows.ts';
import { applyText, enterRecommendation, noteGroupHeading, recommendation, unplace } from './walk.ts';
import type { State } from './walk.ts';

/** How far down a table its heading row may be (titles and notes can sit above it). */
export const HEADER_SEARCH_ROWS = 15;

function hasActionData(values: RowValues): boolean {
  const fields = ['action', 'lead', 'responsibleOfficer', 'due', 'assurance', 'measure', 'progress', 'rating'] as const;
  return fields.some((f) => (values.byField.get(f) ?? []).length > 0);
}

const RECOMMENDATION_PREFIX = /^(?:rec(?:ommendation)?\.?\s*|r)?(\d+(?:\.\d+)*)[a-z]?\.?/;
const RECOMMENDATION_REST = /(?=\s|$|[:)–—-])[\s:)–—-]*([\s\S]*)$/;
const RECOMMENDATION_NUMBER = new RegExp(RECOMMENDATION_PREFIX.source + RECOMMENDATION_REST.source, 'i');

/** A recommendation number written in a number cell or at the start of a recommendation ("2.1", "Rec 2.1.", "R2.1"). */
function recommendationNumber(text: string): { number: string; rest: string } | null {
  const m = RECOMMENDATION_NUMBER.exec(text.trim());
  return m ? { number: m[1] ?? '', rest: (m[2] ?? '').trim() } : null;
}

/** Which recommendation a data row belongs to, starting a new one when the row says so. */
function placeRow(state: State, values: RowValues): { startsRecommendation: boolean; numbered: boolean } {
  const numberCell = recommendationNumber(textOf(values, 'number'));
  const recText = textOf(values, 'recommendation');
  const inText = numberCell ? null : recommendationNumber(recText);
  // A dotted number at the start of the recommendation text is its number even when a number column
  // holds a plain index.
  const found = inText && inText.number.includes('.') ? inText : numberCell;
  // A number and its text in one cell merged across both columns ("3.1 Improve …"): the words
  // after the number are the text.
  const spans = (values.byField.get('number') ?? []).some((f) => f.cell.span > 1);
  const text = found === inText && inText ? inText.rest : recText === '' && spans ? (numberCell?.rest ?? '') : recText;
  if (found) {
    const starts = state.current?.number !== found.number;
    const rec = recommendation(state, found.number, values.source);
    // Excel shows 4.10 typed as a number as 4.1: a number seen again after others may be that.
    if (starts && rec.actions.length > 0) {
      state.warnings.push(
        `${sentenceCase(values.source)} is numbered ${found.number} again, after other recommendations; ` +
          `its actions were added to the first ${found.number}. If it should be ${found.number}0 (Excel drops a ` +
          'final 0 from numbers), correct the number in the file and import it again.',
      );
    }
    if (starts) noteGroupHeading(state, found.number, textOf(values, 'addressedTo'));
    if (starts && rec.headingGroup === null) rec.headingGroup = state.currentGroup;
    enterRecommendation(state, rec);
    addRecommendationText(rec, text);
    return { startsRecommendation: starts, numbered: true };
  }
  if (recText === '') return { startsRecommendation: false, numbered: false };
  const current = state.current;
  if (
    current &&
    (repeatsRecommendationText(current, recText) ||
      (current.text !== '' && (startsMidSentence(recText) || !isFinished(current.text))))
  ) {
    addRecommendationText(current, recText);
    return { startsRecommendation: false, numbered: false };
  }
  const rec = recommendation(state, '', values.source);
  addRecommendationText(rec, recText);
  enterRecommendation(state, rec);
  state.warnings.push(
    `${sentenceCase(values.source)}: this recommendation has no number, so it cannot be matched to the review. ` +
      'Add its number in the file and import it again.',
  );
  return { startsRecommendation: true, numbered: false };
}

function applyRecommendationCells(rec: RecDraft, values: RowValues, cut: boolean): void {
  const outcome = textOf(values, 'outcome');
  const lastOutcome = rec.outcomes.at(-1);
  // The lower half of an outcome cut by a page break runs on from the upper.
  if (outcome !== '' && cut && lastOutcome !== undefined && (!isFinished(lastOutcome) || startsMidSentence(outcome)))
    extendOutcome(rec, outcome, ' ');
  else addOutcome(rec, outcome);
  addFindings(rec, findingNumbers(textOf(values, 'findings')));
  addEvidence(rec, textOf(values, 'anticipatedEvidence'), true);
}

function applyDataRow(state: State, row: SourceRow, map: ColumnMap): void {
  state.expecting = null;
  const grid = gridCells(row);
  const unshifted = unshiftedCells(grid, map);
  if (unshifted)
    state.warnings.push(
      `${sentenceCase(row.source)} seemed to be one column to the right of its headings (the date was in the ` +
        'next column), so it was read one column to the left. Check this action.',
    );
  const values = rowValues(row.source, unshifted ?? grid, map);
  if (values.byField.size === 0) {
    unplace(
      state,
      row,
      'Its words are only in columns that are not imported. Choose what those columns hold if the row matters.',
    );
    return;
  }
  if ([...values.byField.keys()].every((f) => f === 'number') && !recommendationNumber(textOf(values, 'number'))) {
    unplace(state, row, 'It holds no action, and no recommendation number that could be read.');
    return;
  }
  const agencyOnly = [...values.byField.keys()].every((f) => f === 'agency');
  const placed = placeRow(state, values);
  const rec = state.current;
  if (!rec) {
    unplace(
      state,
      row,
      'It comes before any recommendation heading or number, so there is no recommendation to put it under.',
    );
    return;
  }
  if (agencyOnly && !placed.startsRecommendation) {
    state.agencyBelow = textOf(values, 'agency');
    return;
  }
  const last = placed.startsRecommendation ? undefined : rec.actions.at(-1);
  const continuation = last ? continuesAction(values, actionSoFar(last), placed.numbered) : 'new';
  applyRecommendationCells(rec, values, continuation === 'cut');
  if (!hasActionData(values)) return;
  if (last && continuation !== 'new') {
    const before = actionSoFar(last);
    const action = textOf(values, 'action');
    // The same action words again with a date or lead of their own: a cell merged down two rows,
    // or two actions worded alike. Read as one action, and said so, since it may be two.
    if (
      action !== '' &&
      action === before.text &&
      ((textOf(values, 'due') !== '' && textOf(values, 'due') !== before.due) ||
        (textOf(values, 'lead') !== '' && textOf(values, 'lead') !== before.lead))
    ) {
      state.warnings.push(
        `${sentenceCase(row.source)} repeats the action above word for word, with its own date or lead; ` +
          'the two rows were read as one action. If they are two actions, word them differently and import again.',
      );
    }
    continueAction(last, values, continuation === 'cut');
  } else if (textOf(values, 'action') === '' && map.fields.includes('action')) {
    unplace(state, row, 'It has no action text and there is no action above it to add it to.');
  } else {
    rec.actions.push(startAction(values, last?.words.agency || state.agencyBelow));
  }
}

function onlyText(row: SourceRow): string | null {
  const texts = [...new Set(row.cells.map((c) => c.text).filter((t) => t !== ''))];
  return texts.length === 1 ? (texts[0] ?? null) : null;
}

/**
 * Whether a row inside a table repeats its heading row: Word says so (w:tblHeader), or every
 * cell names what the heading above said that column holds. A short action such as "Agree an
 * action plan" beside "No rating yet" can read like headings on its own; checked against the
 * columns, it does not, and is kept as the action it is.
 */
function repeatsHeader(row: SourceRow, grid: ReturnType<typeof gridCells>, map: ColumnMap): boolean {
  if (row.header) return true;
  if (!isHeaderRow(row)) return false;
  return grid.every(
    (cell, i) => cell.text === '' || map.chosen[i] === true || (fieldOfHeader(cell.text) ?? 'ignore') === map.fields[i],
  );
}

function applyPlanRow(state: State, row: SourceRow, map: ColumnMap): void {
  const grid = gridCells(row);
  if (grid.every((c) => c.text === '' && c.fill === null)) return;
  if (!grid.some((c) => hasWords(c.text))) {
    if (grid.some((c) => c.text !== '')) unplace(state, row, 'It holds only dashes or other marks, no words.');
    return;
  }
  // A heading row again (at the top of a new page, or for the next recommendation's actions).
  if (repeatsHeader(row, grid, map)) {
    state.expecting = null;
    return;
  }
  const single = onlyText(row);
  if (single !== null) {
    const first = readLine(single.split('\n')[0] ?? '');
    const at = grid.findIndex((c) => c.text !== '');
    const cell = grid[at];
    const wide = cell !== undefined && cell.span > 1 && cell.span * 2 >= grid.length;
    // Headings, the organisations of a group heading, and (in a row of its own under a
    // recommendation heading) the recommendation's text.
    if (
      isStructural(first) ||
      (state.awaitingAddressees !== null && readsAsAddressees(single)) ||
      (wide && state.expecting !== null)
    ) {
      applyText(state, single, row.source);
      return;
    }
    if (wide || map.fields[at] === 'ignore') {
      unplace(
        state,
        row,
        'It reads as a heading inside the table, but not as a recommendation or group heading, so it was not imported.',
      );
      return;
    }
  }
  applyDataRow(state, row, map);
}

function tableWidth(rows: SourceRow[]): number {
  return rows.reduce(
    (widest, r) =>
      Math.max(
        widest,
        r.cells.reduce((n, c) => n + c.span, 0),
      ),
    0,
  );
}

/** The column map of a table: its own heading row, or the table it continues, or the user's choices. */
function findColumns(
  state: State,
  table: Extract<SourceBlock, { type: 'table' }>,
): { map: ColumnMap; headerAt: number } | null {
  const headerAt = table.rows.findIndex((row, i) => i < HEADER_SEARCH_ROWS && isHeaderRow(row));
  const header = table.rows[headerAt];
  if (header) return { map: mapColumns(table.index, header, state.choices), headerAt };
  const last = state.lastMap;
  // A table with no heading row and the same columns as the plan table before it: the same
  // table, cut in two (by a page break in a converted file, or by a note between its rows).
  if (last && last.headers.length === tableWidth(table.rows))
    return { map: continueColumns(last, table.index, state.choices), headerAt: -1 };
  // The user said what the columns of this table mean: read its first row as the headings.
  const first = table.rows[0];
  if (first && state.choices.some((c) => c.table === table.index))
    return { map: mapColumns(table.index, first, state.choices), headerAt: 0 };
  return null;
}

export function applyTable(state: State, table: Extract<SourceBlock, { type: 'table' }>): void {
  const found = findColumns(state, table);
  if (!found) {
    state.lastMap = null;
    // Not a plan table, but a heading may still sit in a one-cell row of it.
    for (const row of table.rows) {
      const single = onlyText(row);
      if (single !== null && isStructural(readLine(single.split('\n')[0] ?? ''))) applyText(state, single, row.source);
    }
    return;
  }
  const { map, headerAt } = found;
  // Rows above the heading row may still belong to the plan table before this one (cut by a
  // page break before this table's own heading row).
  const previous =
    state.lastMap && state.lastMap.headers.length === tableWidth(table.rows)
      ? continueColumns(state.lastMap, table.index, state.choices)
      : null;
  state.lastMap = map;
  state.expecting = null;
  for (const column of planColumns(map))
    state.columns.push({ ...column, samples: firstValues(table.rows, headerAt, column.column) });
  table.rows.forEach((row, i) => {
    if (i > headerAt) applyPlanRow(state, row, map);
    else if (i < headerAt) applyRowAboveHeadings(state, row, previous);
  });
}

/** The first few values under a column's heading, shortened to a line: what the preview shows beside it. */
function firstValues(rows: readonly SourceRow[], headerAt: number, column: number): string[] {
  const values: string[] = [];
  for (const row of rows.slice(headerAt + 1)) {
    const cell = gridCells(row)[column];
    const text = (cell?.text ?? '').replace(/\s+/g, ' ').trim();
    if (!text || values.includes(text.slice(0, 60))) continue;
    values.push(text.length > 60 ? `${text.slice(0, 59)}…` : text);
    if (values.length === 3) break;
  }
  return values;
}

function applyRowAboveHeadings(state: State, row: SourceRow, previous: ColumnMap | null): void {
  const single = onlyText(row);
  if (previous) applyPlanRow(state, row, previous);
  else if (single !== null) applyText(state, single, row.source);
  else if (row.cells.some((c) => hasWords(c.text)))
    unplace(state, row, "It sits above the table's heading row, so what its cells hold is not known.");
}
