// An action while its rows are being read (a page break can cut one action into two rows),
// and the finished PlanAction: due date read from the joined words, progress split into
// dated entries, the rating taken from words or else from the fill colour; and what Clasp's
// own export adds (where the rating stands, who takes part, the evidence items).
import type { PlanAction, PlanField } from '../drafts.ts';
import { agencyAndTakingPart, agreementOf, dayOf, evidenceOf, splitNames } from './clasp-columns.ts';
import { labelledRating, ratingFromFill, ratingFromText, readDue, splitProgress } from './cells.ts';
import type { RatingScale } from './cells.ts';
import { joinCellText, MAX_FIELD_TEXT, textOf } from './rows.ts';
import type { FieldCell, RowValues } from './rows.ts';

const TEXT_FIELDS = ['action', 'agency', 'lead', 'responsibleOfficer', 'assurance', 'measure'] as const;
type TextField = (typeof TEXT_FIELDS)[number];

/** The columns Clasp's own export adds (columns.ts, CLASP_HEADERS). */
const OWN_FIELDS = ['dueDate', 'ratingStatus', 'agreedBy', 'agreedOn', 'takingPart', 'evidence'] as const;
type OwnField = (typeof OWN_FIELDS)[number];

// Narrative columns run a cut sentence on; names and dates start a new line unless the whole
// row is a sentence cut in two.
const NARRATIVE: ReadonlySet<PlanField> = new Set(['action', 'assurance', 'measure', 'progress']);

export type ActionDraft = {
  source: string;
  words: Record<TextField, string>;
  due: { text: string; date: string | null };
  /** Progress text per column, so that a split row's progress joins its own column. */
  progress: { column: number; text: string; header: string; fill: string | null }[];
  ratings: FieldCell[];
  /** The words of Clasp's own columns, and the agreed day when that cell is a real date. */
  own: Record<OwnField, string>;
  agreedOnDate: string | null;
  dueDateCell: string | null;
  /** Evidence lines listed for the action below its table (a Word plan: "Action 2: …"). */
  evidenceLines: string[];
  /** Some of the text of the rows joined into this action was left out for length. */
  overflow: boolean;
};

function join(draft: ActionDraft, upper: string, lower: string, runsOn: boolean, keepRepeats = false): string {
  if (upper.length + lower.length > MAX_FIELD_TEXT) {
    draft.overflow = true;
    return upper;
  }
  return joinCellText(upper, lower, runsOn, keepRepeats);
}

function progressCells(values: RowValues): ActionDraft['progress'] {
  return (values.byField.get('progress') ?? []).map((f) => ({
    column: f.column,
    text: f.cell.text,
    header: f.header,
    fill: f.cell.fill,
  }));
}

export function startAction(values: RowValues, inheritedAgency: string): ActionDraft {
  const words = Object.fromEntries(TEXT_FIELDS.map((f) => [f, textOf(values, f)])) as Record<TextField, string>;
  if (words.agency === '') words.agency = inheritedAgency;
  const dueCell = values.byField.get('due')?.[0]?.cell;
  return {
    source: values.source,
    words,
    due: { text: textOf(values, 'due'), date: dueCell?.date ?? null },
    progress: progressCells(values),
    ratings: [...(values.byField.get('rating') ?? [])],
    own: Object.fromEntries(OWN_FIELDS.map((f) => [f, textOf(values, f)])) as Record<OwnField, string>,
    agreedOnDate: values.byField.get('agreedOn')?.[0]?.cell.date ?? null,
    dueDateCell: values.byField.get('dueDate')?.[0]?.cell.date ?? null,
    evidenceLines: [],
    overflow: false,
  };
}

/** Adds the lower part of a split row to the action. */
export function continueAction(draft: ActionDraft, values: RowValues, sentenceCut: boolean): void {
  for (const field of TEXT_FIELDS) {
    draft.words[field] = join(draft, draft.words[field], textOf(values, field), sentenceCut || NARRATIVE.has(field));
  }
  const dueText = textOf(values, 'due');
  draft.due.text = join(draft, draft.due.text, dueText, sentenceCut, true);
  if (dueText !== '') draft.due.date = null; // two date cells: read the joined words instead
  for (const lower of progressCells(values)) {
    const upper = draft.progress.find((p) => p.column === lower.column);
    if (upper) upper.text = join(draft, upper.text, lower.text, true, true);
    else draft.progress.push(lower);
  }
  for (const rating of values.byField.get('rating') ?? []) draft.ratings.push(rating);
  for (const field of OWN_FIELDS) draft.own[field] = join(draft, draft.own[field], textOf(values, field), false);
  draft.agreedOnDate ??= values.byField.get('agreedOn')?.[0]?.cell.date ?? null;
  draft.dueDateCell ??= values.byField.get('dueDate')?.[0]?.cell.date ?? null;
}

export function actionSoFar(draft: ActionDraft): { text: string; due: string; lead: string } {
  return { text: draft.words.action, due: draft.due.text, lead: draft.words.lead };
}

function mentionsRating(header: string): boolean {
  return /\b(?:b?rag|rating|status)\b/i.test(header);
}

/**
 * The rating: the rating column's words (the whole cell, else its first line, as Clasp's Word
 * plan puts who agreed it below), else its colour, else a labelled rating or colour in the progress.
 */
function ratingOf(draft: ActionDraft, scale: RatingScale) {
  for (const f of draft.ratings) {
    const rating = ratingFromText(f.cell.text, scale) ?? ratingFromText(f.cell.text.split('\n')[0] ?? '', scale);
    if (rating) return { rating, unread: null };
  }
  // Another plan's column headed "Rating status" may hold the colour itself.
  const fromStatus = ratingFromText(draft.own.ratingStatus, scale);
  if (fromStatus) return { rating: fromStatus, unread: null };
  for (const f of draft.ratings) {
    const rating = ratingFromFill(f.cell.fill);
    if (rating) return { rating, unread: null };
  }
  // "No rating yet" or "Not rated" says there is none: nothing was left unread.
  // A cell that is only a count or a day, under a heading that starts "Rating" ("Rating basis:
  // accepted evidence"), is no rating misspelt: nothing was left unread.
  const unread =
    draft.ratings
      .map((f) => f.cell.text)
      .find((t) => t.trim() !== '' && !SAYS_UNRATED.test(t.trim()) && !ONLY_COUNT_OR_DAY.test(t.trim())) ?? null;
  for (const p of draft.progress) {
    const rating = labelledRating(p.text) ?? (mentionsRating(p.header) ? ratingFromFill(p.fill) : null);
    if (rating) return { rating, unread: null };
  }
  return { rating: null, unread };
}

const SAYS_UNRATED = /^(?:no rating(?: yet)?|not (?:yet )?rated|unrated|none)\b/i;
const ONLY_COUNT_OR_DAY =
  /^(?:\d+(?:\.\d+)?|\d{4}-\d{2}-\d{2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2} [A-Za-z]+ \d{4})$/;

/**
 * The due date: from the date words (or a real date cell under them), unless a column gives the
 * date on its own (Clasp's "Complete by": the agreed due date, which words such as "Ongoing" or
 * a date since moved do not give).
 */
function dueOf(draft: ActionDraft, referenceYear: number | undefined): PlanAction['due'] {
  const due = readDue({ text: draft.due.text, date: draft.due.date, fill: null, span: 1 }, referenceYear);
  const date = dayOf(draft.own.dueDate.split('\n')[0] ?? '', draft.dueDateCell);
  if (date === null) return due;
  return { text: due?.text ?? '', date };
}

export function finishAction(
  draft: ActionDraft,
  scale: RatingScale,
  referenceYear: number | undefined,
  warn: (message: string) => void,
  columns: { takingPart: boolean } = { takingPart: false },
): PlanAction {
  const { rating, unread } = ratingOf(draft, scale);
  const { agency, named } = agencyAndTakingPart(draft.words.agency);
  const takingPart = columns.takingPart ? splitNames(draft.own.takingPart) : named;
  if (draft.overflow)
    warn(
      `${sentenceCase(draft.source)}: this action is joined from rows with more text than any plan cell holds; ` +
        `the text beyond ${MAX_FIELD_TEXT.toLocaleString('en-GB')} characters in a field was left out.`,
    );
  if (unread !== null)
    warn(
      `${sentenceCase(draft.source)}: the rating "${unread}" was not understood, so the action has no rating. ` +
        'Set it after importing.',
    );
  const nullIfEmpty = (text: string) => (text === '' ? null : text);
  return {
    text: draft.words.action,
    agency: nullIfEmpty(agency),
    lead: nullIfEmpty(draft.words.lead),
    responsibleOfficer: nullIfEmpty(draft.words.responsibleOfficer),
    assurance: nullIfEmpty(draft.words.assurance),
    measure: nullIfEmpty(draft.words.measure),
    due: dueOf(draft, referenceYear),
    rating,
    progress: draft.progress.flatMap((p) => splitProgress(p.text, referenceYear)),
    agreement: agreementOf(
      draft.own,
      draft.agreedOnDate,
      draft.ratings.map((f) => f.cell.text),
    ),
    takingPart,
    evidence: evidenceOf([...draft.own.evidence.split('\n'), ...draft.evidenceLines], sentenceCase(draft.source), warn),
    source: draft.source,
  };
}

export function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
