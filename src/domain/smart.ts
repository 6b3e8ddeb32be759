// SMART actions: Specific, Measurable, Assignable, Realistic, Time-related. The CQC asks for
// a SMART action plan; the parts software can check are Assignable (a lead is named),
// Time-related (a due date can be derived) and Measurable (a measure of completion).

import { readDateWords } from './date-words.ts';

export type SmartPart = 'lead' | 'date' | 'measure';
export type SmartGap = { part: SmartPart; reason: string };

export type SmartInput = {
  lead: string;
  /** The due date derived from the date words (readDateWords), or null. */
  dueDate: string | null;
  /** The original date words, quoted in the reason when no date could be derived. */
  dateWords: string;
  /** The action's own "how we will know it is complete". */
  measure: string;
  /** The recommendation's Outcome line. */
  recommendationOutcome: string;
};

// Cells filled only to look complete name no one and measure nothing, so they count as blank.
const PLACEHOLDERS = new Set(['-', '–', '—', '?', 'n/a', 'na', 'none', 'tbc', 'tba', 'tbd', 'to be confirmed']);

function isBlank(text: string): boolean {
  const trimmed = text.replace(/\s+/g, ' ').trim();
  return trimmed === '' || PLACEHOLDERS.has(trimmed.toLowerCase());
}

/**
 * The SMART parts an action is missing, in the order lead, date, measure; empty when none is.
 * A recommendation's Outcome counts as the measure: the Rotherham template states measures
 * once per recommendation as its "Outcome:" line rather than on each action.
 */
export function checkSmart(input: SmartInput): SmartGap[] {
  const gaps: SmartGap[] = [];
  if (isBlank(input.lead)) {
    gaps.push({
      part: 'lead',
      reason: input.lead.trim() === '' ? 'No lead is named' : `The lead "${input.lead.trim()}" names no one`,
    });
  }
  if (input.dueDate === null) {
    const words = input.dateWords.replace(/\s+/g, ' ').trim();
    // Words naming a day that was not taken as the due date (one before the review began, say).
    const named = words !== '' && readDateWords(words).date !== null;
    gaps.push({
      part: 'date',
      reason:
        words === ''
          ? 'No date is given'
          : named
            ? `The date "${words}" gives no due date`
            : `The date "${words}" is not a date`,
    });
  }
  if (isBlank(input.measure) && isBlank(input.recommendationOutcome)) {
    gaps.push({ part: 'measure', reason: 'No measure of completion and no recommendation outcome' });
  }
  return gaps;
}
