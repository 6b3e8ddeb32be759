// An action while its rows are being read (a page break can cut one action into two rows),
// and the finished PlanAction: due date read from the joined words, progress split into
// dated entries, the rating taken from words or else from the fill colour.
import type { PlanAction, PlanField } from '../drafts.ts';
import { labelledRating, ratingFromFill, ratingFromText, readDue, splitProgress } from './cells.ts';
import type { RatingScale } from './cells.ts';
import { joinCellText, MAX_FIELD_TEXT, textOf } from './rows.ts';
import type { FieldCell, RowValues } from './rows.ts';

const TEXT_FIELDS = ['action', 'agency', 'lead', 'responsibleOfficer', 'assurance', 'measure'] as const;
type TextField = (typeof TEXT_FIELDS)[number];

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
}

export function actionSoFar(draft: ActionDraft): { text: string; due: string; lead: string } {
  return { text: draft.words.action, due: draft.due.text, lead: draft.words.lead };
}

function mentionsRating(header: string): boolean {
  return /\b(?:b?rag|rating|status)\b/i.test(header);
}

/** The rating: the rating column's words, else its colour, else a labelled rating or colour in the progress. */
function ratingOf(draft: ActionDraft, scale: RatingScale) {
  for (const f of draft.ratings) {
    const rating = ratingFromText(f.cell.text, scale);
    if (rating) return { rating, unread: null };
  }
  for (const f of draft.ratings) {
    const rating = ratingFromFill(f.cell.fill);
    if (rating) return { rating, unread: null };
  }
  // "No rating yet" or "Not rated" says there is none: nothing was left unread.
  const unread =
    draft.ratings.map((f) => f.cell.text).find((t) => t.trim() !== '' && !SAYS_UNRATED.test(t.trim())) ?? null;
  for (const p of draft.progress) {
    const rating = labelledRating(p.text) ?? (mentionsRating(p.header) ? ratingFromFill(p.fill) : null);
    if (rating) return { rating, unread: null };
  }
  return { rating: null, unread };
}

const SAYS_UNRATED = /^(?:no rating(?: yet)?|not (?:yet )?rated|unrated|none)\b/i;

export function finishAction(
  draft: ActionDraft,
  scale: RatingScale,
  referenceYear: number | undefined,
  warn: (message: string) => void,
): PlanAction {
  const { rating, unread } = ratingOf(draft, scale);
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
    agency: nullIfEmpty(draft.words.agency),
    lead: nullIfEmpty(draft.words.lead),
    responsibleOfficer: nullIfEmpty(draft.words.responsibleOfficer),
    assurance: nullIfEmpty(draft.words.assurance),
    measure: nullIfEmpty(draft.words.measure),
    due: readDue({ text: draft.due.text, date: draft.due.date, fill: null, span: 1 }, referenceYear),
    rating,
    progress: draft.progress.flatMap((p) => splitProgress(p.text, referenceYear)),
    source: draft.source,
  };
}

export function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
