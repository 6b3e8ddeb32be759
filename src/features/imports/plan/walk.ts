// The walk through a plan's paragraphs and one-cell table rows: where the reader is (which
// group, which recommendation), and what each heading or labelled line changes.
import type { ColumnChoice, PlanColumn, PlanDraft } from '../drafts.ts';
import { splitOrganisationList } from '../organisation-names.ts';
import type { SourceRow } from '../sources/model.ts';
import type { ColumnMap } from './columns.ts';
import { isStructural, readLine, readsAsAddressees } from './lines.ts';
import type { Line } from './lines.ts';
import {
  addEvidence,
  addFindings,
  addOutcome,
  addRecommendationText,
  extendOutcome,
  newRecommendation,
} from './recommendations.ts';
import type { RecDraft } from './recommendations.ts';

export type Group = { number: string; heading: string; addressees: string[] };

export type State = {
  referenceYear: number | undefined;
  choices: ColumnChoice[];
  groups: Map<string, Group>;
  recs: RecDraft[];
  byNumber: Map<string, RecDraft>;
  current: RecDraft | null;
  currentGroup: string | null;
  /** A group heading with no organisations yet ("Recommendation 1"): they follow on the next line. */
  awaitingAddressees: string | null;
  /**
   * What running text is, when a heading or label said so: the recommendation's text after
   * its heading; outcomes or anticipated evidence after a label that stands alone ("Outcome:").
   */
  expecting: 'text' | 'outcome' | 'evidence' | null;
  /** An agency written on a row of its own, for the actions below it. */
  agencyBelow: string;
  lastMap: ColumnMap | null;
  columns: PlanColumn[];
  unplaced: PlanDraft['unplaced'];
  warnings: string[];
  /** Paragraphs repeated through the document: running page headers, not plan text. */
  furniture: Set<string>;
};

export function newState(choices: ColumnChoice[], referenceYear: number | undefined, furniture: Set<string>): State {
  return {
    referenceYear,
    choices,
    groups: new Map(),
    recs: [],
    byNumber: new Map(),
    current: null,
    currentGroup: null,
    awaitingAddressees: null,
    expecting: null,
    agencyBelow: '',
    lastMap: null,
    columns: [],
    unplaced: [],
    warnings: [],
    furniture,
  };
}

export function recommendation(state: State, number: string, source: string): RecDraft {
  const known = state.byNumber.get(number);
  if (known) return known;
  const rec = newRecommendation(number, source, state.currentGroup);
  state.recs.push(rec);
  if (number !== '') state.byNumber.set(number, rec);
  return rec;
}

export function enterRecommendation(state: State, rec: RecDraft): void {
  if (state.current !== rec) state.agencyBelow = '';
  state.current = rec;
  state.awaitingAddressees = null;
}

function knownNames(state: State): string[] {
  const names = [...state.groups.values()].flatMap((g) => g.addressees);
  // Abbreviations given in brackets ("… Group (RCCG)") name the body on their own later.
  const abbreviations = names.flatMap((n) => [...n.matchAll(/\(([A-Za-z]{2,12})\)/g)].map((m) => m[1] ?? ''));
  return [...names, ...abbreviations];
}

function setAddressees(state: State, number: string, heading: string): void {
  const group = state.groups.get(number);
  if (!group || group.addressees.length > 0) return;
  group.heading = heading;
  group.addressees = splitOrganisationList(heading, knownNames(state));
}

/**
 * A group heading given beside a recommendation (the "Addressed to" column of Clasp's own export):
 * the group takes it, with its addressees, unless the file gave the group a heading of its own.
 */
export function noteGroupHeading(state: State, recommendationNumber: string, heading: string): void {
  const number = recommendationNumber.split('.')[0] ?? '';
  if (!/^\d+$/.test(number) || !heading.trim()) return;
  if (!state.groups.has(number)) state.groups.set(number, { number, heading: '', addressees: [] });
  setAddressees(state, number, heading.trim());
}

function startGroup(state: State, number: string, heading: string | null): void {
  if (!state.groups.has(number)) state.groups.set(number, { number, heading: '', addressees: [] });
  state.currentGroup = number;
  state.current = null;
  state.expecting = null;
  state.awaitingAddressees = heading === null ? number : null;
  if (heading !== null) setAddressees(state, number, heading);
}

/** Running text, read as what the last heading or label said it is. A heading of another kind ends that. */
function applyRunningText(state: State, text: string, isHeading: boolean): void {
  const awaiting = state.awaitingAddressees;
  state.awaitingAddressees = null;
  if (awaiting !== null && readsAsAddressees(text)) {
    setAddressees(state, awaiting, text);
    return;
  }
  if (isHeading) {
    state.expecting = null;
    return;
  }
  const rec = state.current;
  if (!rec || state.furniture.has(text)) return;
  if (state.expecting === 'text') addRecommendationText(rec, text);
  else if (state.expecting === 'outcome') addOutcome(rec, text);
  else if (state.expecting === 'evidence') addEvidence(rec, text, false);
}

function applyLine(state: State, line: Line, source: string, isHeading: boolean): void {
  const rec = state.current;
  switch (line.kind) {
    case 'group':
      startGroup(state, line.number, line.heading);
      return;
    case 'recommendation': {
      const found = recommendation(state, line.number, source);
      enterRecommendation(state, found);
      addRecommendationText(found, line.text);
      addFindings(found, line.findings);
      state.expecting = 'text';
      return;
    }
    case 'see':
      if (rec) addFindings(rec, line.findings);
      state.expecting = null;
      return;
    case 'outcome':
      if (rec) addOutcome(rec, line.text);
      state.expecting = line.text === '' ? 'outcome' : null;
      return;
    case 'evidence':
      if (rec) addEvidence(rec, line.text, false);
      state.expecting = line.text === '' ? 'evidence' : null;
      return;
    case 'text':
      applyRunningText(state, line.text, isHeading);
  }
}

/**
 * Applies a paragraph or one-cell row, line by line. The lines after an "Outcome:" or
 * "Anticipated Evidence:" label in the same cell belong to it.
 */
export function applyText(state: State, text: string, source: string, heading: number | null = null): void {
  let label: { kind: 'outcome' | 'evidence'; started: boolean } | null = null;
  for (const raw of text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')) {
    const line = readLine(raw, heading);
    const rec = state.current;
    if (label && rec && !isStructural(line)) {
      if (label.kind === 'evidence') addEvidence(rec, raw, false);
      else if (label.started) extendOutcome(rec, raw, '\n');
      else addOutcome(rec, raw);
      label.started = true;
      // The label's words were in this cell, so the paragraphs after it are not its words.
      state.expecting = null;
      continue;
    }
    applyLine(state, line, source, heading !== null);
    label = line.kind === 'outcome' || line.kind === 'evidence' ? { kind: line.kind, started: line.text !== '' } : null;
  }
}

export function unplace(state: State, row: SourceRow, reason: string): void {
  const text = row.cells
    .map((c) => c.text)
    .filter((t) => t !== '')
    .join(' | ');
  state.unplaced.push({ source: row.source, text, reason });
}
