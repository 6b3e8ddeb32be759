// Reads a plan out of a document's paragraphs and tables, whatever its layout: the block
// template (a heading, text, "(See …)" and "Outcome:" per recommendation, then a table of its
// actions) and flat tables (one row per action, with number and recommendation columns) are
// both read as one walk through the document that keeps track of the current group and
// recommendation. Headings may be paragraphs or one-cell rows inside the tables.
import type { PlanDraft, PlanParseOptions } from '../drafts.ts';
import type { SourceBlock, SourceDocument } from '../sources/model.ts';
import { finishAction } from './actions.ts';
import { readableText } from './cells.ts';
import type { RatingScale } from './cells.ts';
import { isWorkedOutColumn } from './columns.ts';
import { isStructural, readLine } from './lines.ts';
import type { RecDraft } from './recommendations.ts';
import { MAX_FIELD_TEXT } from './rows.ts';
import { applyTable, HEADER_SEARCH_ROWS } from './table.ts';
import { applyText, newState } from './walk.ts';
import type { Group, State } from './walk.ts';

function ratingScale(doc: SourceDocument): RatingScale {
  const texts = doc.blocks.flatMap((b) =>
    b.type === 'paragraph' ? [b.text] : b.rows.slice(0, HEADER_SEARCH_ROWS).flatMap((r) => r.cells.map((c) => c.text)),
  );
  if (texts.some((t) => /\bBRAG\b/i.test(t))) return 'BRAG';
  return texts.some((t) => /\bRAG\b/.test(t)) ? 'RAG' : null;
}

function repeatedParagraphs(doc: SourceDocument): Set<string> {
  const counts = new Map<string, number>();
  for (const b of doc.blocks) if (b.type === 'paragraph') counts.set(b.text, (counts.get(b.text) ?? 0) + 1);
  return new Set(
    [...counts].filter(([text, n]) => n > 1 && text.length > 20 && !isStructural(readLine(text))).map(([text]) => text),
  );
}

/** The group a recommendation belongs to: by its number's first part when the file has groups. */
function groupOf(rec: RecDraft, groups: Map<string, Group>): string | null {
  if (groups.size === 0) return null;
  const first = rec.number.includes('.') ? (rec.number.split('.')[0] ?? null) : null;
  if (first !== null && groups.has(first)) return first;
  return rec.headingGroup ?? first;
}

function finish(state: State, scale: RatingScale): Omit<PlanDraft, 'columns'> {
  const warn = (message: string) => state.warnings.push(message);
  // A plan may give only the numbers of the recommendations: say so once, not for each.
  const noTexts = state.recs.length > 0 && state.recs.every((r) => r.text === '');
  const columns = { takingPart: state.columns.some((c) => c.field === 'takingPart') };
  if (noTexts) warn('The file gives the numbers of the recommendations but not their texts.');
  const recommendations = state.recs.map((rec) => {
    if (rec.actions.length === 0)
      warn(`Recommendation ${rec.number || `from ${rec.source}`} has no actions in the file.`);
    if (rec.text === '' && !noTexts) warn(`Recommendation ${rec.number} has no text in the file.`);
    if (rec.overflow)
      warn(
        `Recommendation ${rec.number || `from ${rec.source}`} has more text than any plan holds; ` +
          `the text beyond ${MAX_FIELD_TEXT.toLocaleString('en-GB')} characters in a field was left out.`,
      );
    return {
      number: rec.number,
      text: rec.text,
      group: groupOf(rec, state.groups),
      outcomes: rec.outcomes,
      findings: rec.findings,
      anticipatedEvidence: rec.anticipatedEvidence === '' ? null : rec.anticipatedEvidence,
      actions: rec.actions.map((a) => finishAction(a, scale, state.referenceYear, warn, columns)),
    };
  });
  for (const group of state.groups.values()) {
    if (group.addressees.length === 0) warn(`Group ${group.number} names no organisations it is addressed to.`);
  }
  for (const column of state.columns) {
    if (
      column.field === 'ignore' &&
      !column.chosen &&
      column.header.trim() !== '' &&
      !isWorkedOutColumn(column.header)
    ) {
      warn(
        `Table ${column.table + 1}, column "${column.header}" was not recognised and will not be imported. ` +
          'Choose what it holds if it matters.',
      );
    }
  }
  if (state.unplaced.length > 0) {
    const n = state.unplaced.length;
    warn(
      `${n} ${n === 1 ? 'row' : 'rows'} could not be placed in the plan and will not be ` +
        `imported; ${n === 1 ? 'it is' : 'they are'} listed with the reason.`,
    );
  }
  return {
    groups: [...state.groups.values()],
    recommendations,
    unplaced: state.unplaced,
    warnings: state.warnings,
    scale,
  };
}

function readableDocument(doc: SourceDocument): SourceDocument {
  const blocks = doc.blocks.map((b): SourceBlock =>
    b.type === 'paragraph'
      ? { ...b, text: readableText(b.text) }
      : {
          ...b,
          rows: b.rows.map((r) => ({ ...r, cells: r.cells.map((c) => ({ ...c, text: readableText(c.text) })) })),
        },
  );
  return { ...doc, blocks };
}

// Clasp's Word plan lists each recommendation's evidence items below its table, under this
// heading, one line each: "Action 2: Audit of referrals | dated 1 May 2016 | …".
const EVIDENCE_HEADING = /^evidence for recommendation (\S+)$/i;
const EVIDENCE_FOR_ACTION = /^(?:[•·▪-]\s*)?action (\d+):\s*([\s\S]+)$/i;

/**
 * Takes an evidence line of Clasp's Word plan for its action, when the paragraph is one: under
 * the heading of the recommendation the reader is in. Returns whether it was taken.
 */
function takeEvidenceLine(state: State, text: string, under: string | null): boolean {
  const m = EVIDENCE_FOR_ACTION.exec(text.trim());
  const rec = state.current;
  if (!m || under === null || !rec || rec.number !== under) return false;
  const action = rec.actions[Number(m[1]) - 1];
  if (!action) return false;
  action.evidenceLines.push((m[2] ?? '').trim());
  return true;
}

/** The plan in a document, or null when no table in it reads as an action plan. */
export function interpretPlan(source: SourceDocument, options: PlanParseOptions = {}): PlanDraft | null {
  const doc = readableDocument(source);
  const state = newState(options.columns ?? [], options.referenceYear, repeatedParagraphs(doc));
  let evidenceFor: string | null = null;
  for (const block of doc.blocks) {
    if (block.type === 'paragraph') {
      if (takeEvidenceLine(state, block.text, evidenceFor)) continue;
      evidenceFor = EVIDENCE_HEADING.exec(block.text.trim())?.[1] ?? null;
      if (!state.furniture.has(block.text)) applyText(state, block.text, block.source, block.heading);
    } else {
      evidenceFor = null;
      applyTable(state, block);
    }
  }
  if (state.columns.length === 0) return null;
  for (const choice of state.choices) {
    if (!state.columns.some((c) => c.table === choice.table && c.column === choice.column)) {
      state.warnings.push(
        `The column choice for table ${choice.table + 1}, column ${choice.column + 1} matched no column of the plan.`,
      );
    }
  }
  return { ...finish(state, ratingScale(doc)), columns: state.columns };
}
