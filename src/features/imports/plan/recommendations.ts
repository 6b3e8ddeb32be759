// A recommendation while the plan is read: its text, outcomes, "(See …)" findings and
// anticipated evidence gather from headings, labelled lines and table cells, in any order,
// and the same words seen twice (a merged or repeated cell, a contents line) count once.
import type { ActionDraft } from './actions.ts';
import { isFinished, startsMidSentence } from './cells.ts';
import { MAX_FIELD_TEXT } from './rows.ts';

export type RecDraft = {
  number: string;
  text: string;
  outcomes: string[];
  findings: string[];
  anticipatedEvidence: string;
  /** The group heading it came under, if any. */
  headingGroup: string | null;
  actions: ActionDraft[];
  source: string;
  /** Some of its text was left out for length (see MAX_FIELD_TEXT). */
  overflow: boolean;
  seen: Set<string>;
};

export function newRecommendation(number: string, source: string, headingGroup: string | null): RecDraft {
  return {
    number,
    text: '',
    outcomes: [],
    findings: [],
    anticipatedEvidence: '',
    headingGroup,
    actions: [],
    source,
    overflow: false,
    seen: new Set(),
  };
}

function normalSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function fits(rec: RecDraft, upper: string, lower: string): boolean {
  if (upper.length + lower.length <= MAX_FIELD_TEXT) return true;
  rec.overflow = true;
  return false;
}

/** Adds words to the recommendation's text unless they repeat it (a merged or repeated cell). */
export function addRecommendationText(rec: RecDraft, text: string): void {
  const words = normalSpace(text);
  if (words === '' || normalSpace(rec.text).includes(words)) return;
  if (rec.text === '' || words.includes(normalSpace(rec.text))) rec.text = text;
  else if (fits(rec, rec.text, text))
    rec.text = `${rec.text}${startsMidSentence(text) || !isFinished(rec.text) ? ' ' : '\n'}${text}`;
}

/** True when the words are (a repeat of) the recommendation's text. */
export function repeatsRecommendationText(rec: RecDraft, text: string): boolean {
  return normalSpace(rec.text).includes(normalSpace(text));
}

export function addFindings(rec: RecDraft, numbers: string[]): void {
  for (const n of numbers) {
    if (rec.seen.has(`finding ${n}`)) continue;
    rec.seen.add(`finding ${n}`);
    rec.findings.push(n);
  }
}

export function addOutcome(rec: RecDraft, text: string): void {
  if (text === '' || rec.seen.has(`outcome ${text}`)) return;
  rec.seen.add(`outcome ${text}`);
  rec.outcomes.push(text);
}

/** Adds the rest of the last outcome: another line of it, or its lower half across a page break. */
export function extendOutcome(rec: RecDraft, text: string, separator: ' ' | '\n'): void {
  const last = rec.outcomes.at(-1);
  if (last === undefined) addOutcome(rec, text);
  else if (fits(rec, last, text)) rec.outcomes[rec.outcomes.length - 1] = `${last}${separator}${text}`;
}

/** Adds anticipated evidence; words already there are skipped when `once` (a column repeated on each row). */
export function addEvidence(rec: RecDraft, text: string, once: boolean): void {
  if (text === '' || (once && rec.anticipatedEvidence.includes(text)) || !fits(rec, rec.anticipatedEvidence, text))
    return;
  rec.anticipatedEvidence = rec.anticipatedEvidence === '' ? text : `${rec.anticipatedEvidence}\n${text}`;
}
