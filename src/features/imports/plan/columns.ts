// What a plan table's header cells mean. Plans name the same column many ways ("Lead",
// "Lead Officer and Key Personnel", "Lead responsible for updating progress"; "By When",
// "Timescale", "Date of Action"), in any order, so each header is read for its meaning.
import type { ColumnChoice, PlanColumn, PlanField } from '../drafts.ts';
import type { SourceRow } from '../sources/model.ts';

type Rule = { field: Exclude<PlanField, 'ignore'>; pattern: RegExp };

// When a header names several things ("Progress, Evidence, Date, BRAG"; "Date of Action";
// "Outcomes: how will we know when this action is complete"), the one named first is what the
// column holds. Rules matching at the same place are tried in this order, so the more
// specific phrase wins ("recommendation number" is a number, "status update" is progress).
const RULES: Rule[] = [
  {
    field: 'number',
    pattern: new RegExp(
      String.raw`\b(?:rec(?:ommendation)?s?\s*(?:no|num|number|ref|reference)\b|` +
        String.raw`no\b|nos\b|number\b|ref\b|reference\b|item\b|hash\b)`,
    ),
  },
  {
    field: 'anticipatedEvidence',
    pattern: new RegExp(
      String.raw`\b(?:anticipated|expected|proposed|planned)\s+evidence|` +
        String.raw`evidence\s+(?:required|expected|needed|to be (?:provided|supplied))|` +
        String.raw`evidence of (?:completion|compliance)`,
    ),
  },
  {
    field: 'responsibleOfficer',
    pattern: new RegExp(
      String.raw`\b(?:responsible\s+(?:officer|director|executive|manager|lead officer)|accountable|` +
        String.raw`executive\s+(?:lead|sponsor)|exec\s+lead|senior responsible|sro\b)`,
    ),
  },
  { field: 'progress', pattern: /\b(?:status\s+update|progress\s+(?:status|update|report))/ },
  {
    field: 'findings',
    pattern: new RegExp(
      String.raw`\b(?:findings?|report\s+(?:paragraphs?|paras?|ref(?:erence)?s?)|` +
        String.raw`paragraphs?\s*(?:ref|no|number)?|paras?\b|see\b)`,
    ),
  },
  {
    field: 'recommendation',
    pattern: /\b(?:recommendations?|areas?\s+for\s+improvement|requirements?|cqc\s+findings)\b/,
  },
  { field: 'lead', pattern: /\baction\s+(?:owners?|leads?|by)\b/ },
  {
    field: 'action',
    pattern: new RegExp(
      String.raw`\b(?:actions?|what\s+(?:will\s+)?(?:we|be)\s+(?:will\s+)?(?:do|done)|` +
        String.raw`tasks?|steps?|activit(?:y|ies)|interventions?)\b`,
    ),
  },
  {
    field: 'outcome',
    pattern: new RegExp(
      String.raw`\b(?:outcomes?|how\s+will\s+we\s+know|how\s+we\s+will\s+know|impacts?|expected\s+results?|` +
        String.raw`what\s+will\s+be\s+different|success\s+looks)`,
    ),
  },
  {
    field: 'agency',
    pattern: /\b(?:agency|agencies|services?|organi[sz]ations?|providers?|partners?|directorates?)\b/,
  },
  {
    field: 'lead',
    pattern: new RegExp(
      String.raw`\b(?:leads?|owners?|key\s+personnel|officers?|person\s+responsible|responsible\s+person|` +
        String.raw`responsibility|by\s+whom|who)\b`,
    ),
  },
  {
    field: 'due',
    pattern: new RegExp(
      String.raw`\b(?:by\s+when|when|dates?|timescales?|time\s*scales?|time\s*frames?|deadlines?|due|` +
        String.raw`target\s+(?:date|completion)|completion\s+date|target)\b`,
    ),
  },
  { field: 'assurance', pattern: /\b(?:assurance|monitor(?:ed|ing)?|governance|oversight|reporting\s+(?:to|route))\b/ },
  {
    field: 'measure',
    pattern: /\b(?:measures?|measurable|measurement|measured|kpis?|metrics?|indicators?|success\s+criteria)\b/,
  },
  { field: 'rating', pattern: /\b(?:b?rag|rating|rated|status|colour|color)\b/ },
  {
    field: 'progress',
    pattern: new RegExp(
      String.raw`\b(?:progress|updates?|evidence|current\s+position|position|comments?|narrative|achievements?|` +
        String.raw`what\s+has\s+been\s+done)\b`,
    ),
  },
];

// Columns of Clasp's own export (outputs/plan-documents/plan-table.ts), known by their exact
// headings: read back into the plan, so that a round trip keeps them. Exact, so that another
// plan's "Evidence" stays progress and its "RAG status" stays the rating.
const CLASP_HEADERS = new Map<string, Exclude<PlanField, 'ignore'>>([
  ['complete by', 'dueDate'],
  ['evidence items', 'evidence'],
  ['taking part', 'takingPart'],
  ['addressed to', 'addressedTo'],
  ['rating status', 'ratingStatus'],
  ['rating agreed by', 'agreedBy'],
  ['rating agreed on', 'agreedOn'],
]);

// Columns of Clasp's own export that say what the rest of the plan works out (how often a date
// moved, how many items of evidence were accepted, the exceptions …): known, and left out of
// the import without a warning, since the plan works them out again.
const WORKED_OUT_HEADERS = new Set([
  'label',
  'originally agreed',
  'times moved',
  'rating agreed at',
  'rating lasting assurance',
  'rating fresh evidence due',
  'rating basis accepted evidence',
  'last updated',
  'exceptions',
]);

/** True for a column of Clasp's own export that the plan works out for itself: not imported, and no warning. */
export function isWorkedOutColumn(header: string): boolean {
  return WORKED_OUT_HEADERS.has(normaliseHeader(header));
}

function normaliseHeader(text: string): string {
  return text
    .toLowerCase()
    .replace(/#/g, ' hash ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

// Every row is checked for being a heading row; most cells repeat (names, dates, "Green").
const headerFields = new Map<string, Exclude<PlanField, 'ignore'> | null>();

/** The field a header cell names, or null when it names none we know. */
export function fieldOfHeader(text: string): Exclude<PlanField, 'ignore'> | null {
  const known = headerFields.get(text);
  if (known !== undefined) return known;
  if (headerFields.size > 10_000) headerFields.clear();
  const field = readHeader(text);
  headerFields.set(text, field);
  return field;
}

function readHeader(text: string): Exclude<PlanField, 'ignore'> | null {
  if (text.length > 120) return null;
  const header = normaliseHeader(text);
  if (header === '' || WORKED_OUT_HEADERS.has(header)) return null;
  const own = CLASP_HEADERS.get(header);
  if (own) return own;
  let best: { field: Exclude<PlanField, 'ignore'>; at: number } | null = null;
  for (const { field, pattern } of RULES) {
    const m = pattern.exec(header);
    if (m && (best === null || m.index < best.at)) best = { field, at: m.index };
  }
  return best?.field ?? null;
}

/** A table's columns by grid position: the header text and field of each. */
export type ColumnMap = { table: number; headers: string[]; fields: PlanField[]; chosen: boolean[] };

function headerTexts(row: SourceRow): string[] {
  const out: string[] = [];
  for (const cell of row.cells) for (let i = 0; i < Math.max(1, cell.span); i++) out.push(cell.text);
  return out;
}

const WHO: Exclude<PlanField, 'ignore'>[] = ['lead', 'agency', 'responsibleOfficer'];

/**
 * Whether a row is a plan's heading row: short cells naming an action with either the
 * recommendation it serves or who does it. A version-control table (Version, Date, Author,
 * Action, Comment) names no one responsible and is not a plan.
 */
export function isHeaderRow(row: SourceRow): boolean {
  const texts = row.cells.map((c) => c.text).filter((t) => t !== '');
  if (texts.length < 2 || texts.some((t) => t.length > 120)) return false;
  const named = texts.map(fieldOfHeader).filter((f) => f !== null);
  const workedOut = texts.filter(isWorkedOutColumn).length;
  // Headings name what each column holds; a data row that merely mentions "action" in one
  // cell has most of its cells naming nothing.
  if ((named.length + workedOut) * 3 < texts.length * 2) return false;
  const fields = new Set(named);
  const hasAction = fields.has('action');
  const hasRecommendation = fields.has('recommendation') || fields.has('number');
  if (hasAction && hasRecommendation) return true;
  if (hasAction && WHO.some((f) => fields.has(f)) && fields.size >= 3) return true;
  return fields.has('recommendation') && WHO.some((f) => fields.has(f)) && fields.size >= 3;
}

/** The column map a heading row gives, with the user's corrections applied. */
export function mapColumns(table: number, row: SourceRow, choices: ColumnChoice[]): ColumnMap {
  const headers = headerTexts(row);
  const read: ColumnMap = {
    table,
    headers,
    fields: headers.map((h) => fieldOfHeader(h) ?? 'ignore'),
    chosen: headers.map(() => false),
  };
  return continueColumns(read, table, choices);
}

/**
 * The columns of a table that continues the one before it (no heading row of its own), with this
 * table's corrections.
 */
export function continueColumns(previous: ColumnMap, table: number, choices: ColumnChoice[]): ColumnMap {
  const map: ColumnMap = {
    table,
    headers: [...previous.headers],
    fields: [...previous.fields],
    chosen: [...previous.chosen],
  };
  for (const choice of choices) {
    if (choice.table !== table || choice.column < 0 || choice.column >= map.headers.length) continue;
    map.fields[choice.column] = choice.field;
    map.chosen[choice.column] = true;
  }
  return map;
}

export function planColumns(map: ColumnMap): PlanColumn[] {
  return map.headers.map((header, column) => ({
    table: map.table,
    column,
    header,
    field: map.fields[column] ?? 'ignore',
    chosen: map.chosen[column] ?? false,
  }));
}
