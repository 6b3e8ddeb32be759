import type { IllustrativeEvidence } from './data/dataset-types.ts';

/*
 * When the demo's illustrative evidence was added and decided, in the story's own time (2015–16),
 * never the day the demo was loaded: an item is added on the day it says (addedOn), or else on
 * its document's date, and the peer challenge group decides it at its first meeting on or after
 * that day, as each acceptance's words say ("Accepted by the peer challenge group on …").
 */

/** The day an illustrative evidence item was added. */
export function evidenceAddedOn(evidence: Pick<IllustrativeEvidence, 'addedOn' | 'effectiveDate'>): string {
  return evidence.addedOn ?? evidence.effectiveDate;
}

/** The meeting that decided an item added on this day: the first on or after it, or null after the last. */
export function evidenceDecidedOn(addedOn: string, meetings: readonly string[]): string | null {
  return [...meetings].sort().find((m) => m >= addedOn) ?? null;
}

/** Morning for what an organisation adds, afternoon for the group's meeting: a plausible order within a day. */
export const ADDED_AT = 'T09:00:00.000Z';
export const DECIDED_AT = 'T14:00:00.000Z';
