// The existing-plan reader: a Word, Excel or CSV action plan in, a PlanDraft out, by way of
// the format-neutral SourceDocument. What the file is has already been decided from its bytes.
import type { PlanDraft, PlanParseOptions } from '../drafts.ts';
import { ImportRejected } from '../errors.ts';
import { readCsv } from '../sources/csv.ts';
import { readDocx } from '../sources/docx.ts';
import type { SourceDocument } from '../sources/model.ts';
import { readXlsx } from '../sources/xlsx.ts';
import { interpretPlan } from './interpret.ts';

export type PlanFormat = 'docx' | 'xlsx' | 'csv';

const LOOKED_FOR = 'a row of headings such as Number, Recommendation, Action, Lead, By when, RAG rating and Progress';

const NO_PLAN: Record<PlanFormat, string> = {
  docx:
    'This document has no action plan that Clasp could find: ' +
    'we looked for recommendation headings ("Recommendation 1.1") followed by a table of actions, ' +
    `or for a table with ${LOOKED_FOR}. Check that you chose the action plan. ` +
    'If you did, add a heading row to the table of actions and upload it again.',
  xlsx:
    'This spreadsheet has no table whose headings look like an action plan: ' +
    `we looked on every sheet for ${LOOKED_FOR}. Check that you chose the action plan. ` +
    'If you did, add a heading row above the actions and upload it again.',
  csv:
    `This CSV file has no table whose headings look like an action plan: we looked for ${LOOKED_FOR}. ` +
    'Check that you chose the action plan. If you did, add a heading row above the actions and upload it again.',
};

async function readSource(content: Uint8Array, format: PlanFormat): Promise<SourceDocument> {
  if (content.byteLength === 0)
    throw new ImportRejected('This file is empty. Check that you chose the right file and upload it again.');
  switch (format) {
    case 'docx':
      return readDocx(content);
    case 'xlsx':
      return readXlsx(content);
    case 'csv':
      return readCsv(content);
  }
}

/** Reads an existing action plan. Throws ImportRejected when the file holds no plan Clasp can read. */
export async function readPlanFile(
  content: Uint8Array,
  format: PlanFormat,
  options: PlanParseOptions = {},
): Promise<PlanDraft> {
  const source = await readSource(content, format);
  const draft = interpretPlan(source, options);
  if (!draft) throw new ImportRejected(NO_PLAN[format]);
  return draft;
}
