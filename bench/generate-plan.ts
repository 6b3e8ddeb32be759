// Generates a large, realistic action plan for the import benchmark (bench/imports.ts): by
// default 1,000 actions under 60 recommendations in the 4 groups of the Rotherham report, with
// the date words, ratings and dated progress entries real plans carry. It is written two ways,
// as the two shapes areas actually send:
//
// - a flat Excel workbook (one row per action, as West Sussex's plan): Number · Recommendation ·
//   Action · Outcome · Lead · By When · RAG · Progress, with group heading rows, real date cells
//   for some due dates and the rating as the RAG cell's fill colour (with or without a word);
// - a Word document in the block template (as Rotherham's plan): per recommendation a heading,
//   its text, "(See …)", "Outcome: …", then a table Agency/Service · SMART Action · Lead Officer ·
//   Date of Action · Progress, Evidence, Date · BRAG with shaded BRAG cells, closed by an
//   "Anticipated Evidence" row.
//
// The same seed gives the same plan, so runs are comparable. Recommendation numbers start as
// the review's do, so importing over a review made from the Rotherham report matches the first
// ones and adds the rest, as happens when an area's plan carries more than the report.
//
// Run on its own: `tsx bench/generate-plan.ts [folder] [actions]` writes
// generated-plan-<actions>.xlsx and .docx into the folder (default: the current one).
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ExcelJS from 'exceljs';
import {
  AlignmentType,
  Document,
  HeadingLevel,
  Packer,
  PageOrientation,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type IRunOptions,
} from 'docx';
import type { Rating } from '../src/domain/ratings.ts';
import { addDays, MONTH_NAMES } from '../src/domain/dates.ts';
import { int, pick, seededRandom, weighted, type Random } from './random.ts';

/* ---------- what is generated ---------- */

export type DueDate =
  /** Words as typed in the cell ("Mar-17", "31 December 2016", "On-going"). */
  | { kind: 'words'; words: string }
  /** A real spreadsheet date cell, shown as the format says ("dd/mm/yyyy" or "mmm-yy"); Word gets the words. */
  | { kind: 'date'; iso: string; format: 'dd/mm/yyyy' | 'mmm-yy'; words: string };

export type GeneratedAction = {
  agency: string;
  text: string;
  outcome: string;
  lead: string;
  due: DueDate;
  rating: Rating | null;
  /** The word written in the rating cell as well as its colour ("Green", "G", "BLUE"), or '' for colour only. */
  ratingWord: string;
  /** Dated entries, oldest first, written one per line in a single cell: "12/10/2016 – …". */
  progress: { dateWords: string; text: string }[];
};

export type GeneratedRecommendation = {
  number: string;
  text: string;
  findings: string[];
  outcome: string;
  anticipatedEvidence: string[];
  actions: GeneratedAction[];
};

export type GeneratedGroup = { number: number; heading: string; recommendations: GeneratedRecommendation[] };

export type GeneratedPlan = {
  title: string;
  groups: GeneratedGroup[];
  actionCount: number;
  recommendationCount: number;
};

export type PlanOptions = { actions?: number; recommendations?: number; seed?: number };

/* ---------- helpers ---------- */

const MONTHS = MONTH_NAMES;
const pad = (n: number): string => String(n).padStart(2, '0');
const parts = (iso: string): [number, number, number] => iso.split('-').map(Number) as [number, number, number];
const longDate = (iso: string): string => {
  const [y, m, d] = parts(iso);
  return `${d} ${MONTHS[m - 1]} ${y}`;
};
const slashDate = (iso: string): string => {
  const [y, m, d] = parts(iso);
  return `${pad(d)}/${pad(m)}/${y}`;
};
const monthYear = (iso: string): string => {
  const [y, m] = parts(iso);
  return `${MONTHS[m - 1]} ${y}`;
};
const shortMonth = (iso: string): string => {
  const [y, m] = parts(iso);
  return `${(MONTHS[m - 1] as string).slice(0, 3)}-${String(y).slice(2)}`;
};

/* ---------- words from real plans ---------- */

// The groups and addressees of the Rotherham report, so the plan lays over a review made from it.
const GROUPS = [
  'NHS England and Rotherham Clinical Commissioning Group (RCCG) should:',
  'NHS England, Rotherham Clinical Commissioning Group (RCCG), ' +
    'Rotherham, Doncaster and South Humber NHS Foundation Trust (RDaSH) ' +
    'and The Rotherham Foundation NHS Trust (TRFT) should:',
  'Rotherham CCG and Rotherham, Doncaster and South Humber NHS Foundation Trust (RDaSH) should:',
  'Rotherham CCG and The Rotherham Foundation NHS Trust (TRFT) should:',
];
const GROUP_SHARE = [0.17, 0.3, 0.23, 0.3];
const AGENCIES_BY_GROUP = [
  ['RCCG/NHS England', 'RCCG', 'NHS England', 'GP Practices', 'RCCG/NHS England Independent Providers'],
  ['CCG/TRFT/RDaSH', 'TRFT', 'RDaSH', 'RCCG', 'NHS England', 'TRFT and RDaSH'],
  ['RDaSH', 'RCCG', 'RDaSH CAMHS', 'RCCG/RDaSH'],
  ['TRFT', 'RCCG', 'TRFT Paediatrics', 'RCCG/TRFT'],
];
// Finding numbers of the report's sections, for "(See …)".
const FINDINGS = [
  ...Array.from({ length: 27 }, (_, i) => `1.${i + 1}`),
  ...Array.from({ length: 20 }, (_, i) => `2.${i + 1}`),
  ...Array.from({ length: 21 }, (_, i) => `3.${i + 1}`),
  ...Array.from({ length: 17 }, (_, i) => `4.${i + 1}`),
  ...Array.from({ length: 18 }, (_, i) => `5.1.${i + 1}`),
  ...Array.from({ length: 10 }, (_, i) => `5.2.${i + 1}`),
  ...Array.from({ length: 10 }, (_, i) => `5.3.${i + 1}`),
];

const STAFF = [
  'GPs and practice staff',
  'health visitors',
  'school nurses',
  'midwives',
  'emergency department staff',
  'CAMHS practitioners',
  'paediatric ward nurses',
  'looked after children nurses',
  'sexual health practitioners',
  'substance misuse workers',
  'adult mental health practitioners',
  'the 0-19 service',
];
const SUBJECTS = [
  'the risk of child sexual exploitation',
  'the health needs of looked after children',
  'safeguarding information in the electronic record',
  'the impact of parental mental ill health',
  'domestic abuse notifications',
  'the quality of initial health assessments',
  'transition plans for care leavers',
  'referrals to children’s social care',
  'children who are not brought to appointments',
  'the hidden male in the household',
  'the needs of young carers',
  'the emotional wellbeing of children',
  'previous attendances at the emergency department',
  'the voice of the child',
];
const VERBS = [
  'consistently record',
  'routinely share',
  'identify and respond to',
  'escalate concerns about',
  'assess and plan for',
  'audit the quality of',
  'seek the views of children on',
  'attend multi-agency meetings about',
];
const QUALIFIERS = [
  'so that risks are identified early',
  'in line with the Intercollegiate Document (2014)',
  'with management oversight evident on file',
  'within statutory timescales',
  'so that plans are child-centred',
  'and act on what they find',
  'in line with RLSCB procedures',
  'as part of every contact',
];
const FORUMS = [
  'Safeguarding Children Operational Group',
  'Peer Challenge Group',
  'TRFT Safeguarding Committee',
  'RCCG Operational Executive',
  'Provider to Provider meeting',
  'Health and Wellbeing Board',
  "Practice Manager's Forum",
];
const SYSTEMS = [
  'SystmOne',
  'EMIS Web',
  'the Meditech record',
  'the maternity booking system',
  'the ED triage template',
];
const DOCUMENTS = [
  'Safeguarding Children Policy',
  'Was Not Brought policy',
  'Self-Harm Pathway',
  'supervision policy',
  'perinatal mental health pathway',
  'information sharing protocol',
  'CSE screening tool',
];
const LEADS = [
  'Named Nurse Safeguarding Children, TRFT',
  'Head of Safeguarding, RCCG',
  'Designated Nurse Looked After Children',
  'Service Manager, CAMHS, RDaSH',
  'Named GP Safeguarding',
  'Deputy Designated Nurse Safeguarding Children',
  'Head of Midwifery, TRFT',
  'Chief Nurse, RCCG',
  'Named Nurse – Looked After Children & Care Leavers',
  'Head of Primary Care Quality',
  'Paediatric Liaison Nurse TRFT/CAMHS Interface Liaison Post',
  'Senior Commissioning Manager Children & Young People',
  'Named Professional, RDaSH',
  'Clinical Lead, 0-19 Service',
];
const EVIDENCE = [
  'Audit report and action plan',
  'Training attendance figures',
  'Minutes of the Peer Challenge Group',
  'Revised pathway, ratified',
  'Supervision records',
  'Email to all GP Safeguarding Leads',
  'Survey Monkey report',
  'Screenshots of the electronic template',
  'Case file audit tool',
  'Quarterly safeguarding assurance report',
  'Policy on the intranet',
];
const PROGRESS = [
  'Task and finish group met; draft pathway circulated for comment.',
  'Training delivered to {n} staff; compliance now {p}%.',
  'Audit of case files completed: {k} showed the voice of the child recorded. Re-audit planned.',
  'Template added to {system}; use to be monitored through the monthly dashboard.',
  'Policy revised and approved at the {forum}; cascaded to all teams.',
  'Awaiting ratification at the {forum}.',
  'Recruitment under way; interim arrangements in place.',
  'Evidence presented to the Peer Challenge Group and accepted.',
  'Action delayed by staff vacancies; remedial plan agreed with the {forum}.',
  'Spot checks of records found {k} fully completed; feedback given to teams.',
  'Not yet started: depends on the new contract from April.',
];
const RATING_COLOURS: Record<Rating, string> = { blue: '0070C0', green: '00B050', amber: 'FFC000', red: 'FF0000' };
const RATING_WORDS: Record<Rating, readonly string[]> = {
  blue: ['Blue', 'BLUE', 'B', 'Complete'],
  green: ['Green', 'GREEN', 'G'],
  amber: ['Amber', 'AMBER', 'A'],
  red: ['Red', 'RED', 'R'],
};

function fill(rnd: Random, template: string): string {
  const n = int(rnd, 12, 140);
  return template
    .replace('{n}', String(n))
    .replace('{p}', String(int(rnd, 62, 98)))
    .replace('{k}', `${int(rnd, Math.ceil(n / 2), n)} of ${n}`)
    .replace('{system}', pick(rnd, SYSTEMS))
    .replace('{forum}', pick(rnd, FORUMS));
}

/* ---------- the plan ---------- */

function actionText(rnd: Random, staff: string, subject: string): string {
  const main = pick(rnd, [
    () =>
      `Deliver level 3 safeguarding training to ${staff} on ${subject}, ` +
      `with attendance reported monthly to the ${pick(rnd, FORUMS)}.`,
    () =>
      `Audit ${int(rnd, 10, 40)} case files a quarter to check that ${staff} ${pick(rnd, VERBS)} ${subject}; ` +
      `report findings to the ${pick(rnd, FORUMS)}.`,
    () => `Review the ${pick(rnd, DOCUMENTS)} so that it sets out how ${staff} ${pick(rnd, VERBS)} ${subject}.`,
    () => `Add a prompt to ${pick(rnd, SYSTEMS)} so that ${staff} record ${subject} at every contact.`,
    () => `Issue a 7-minute briefing to ${staff} on ${subject} and follow it up with a survey.`,
    () =>
      'Agree with children’s social care ' +
      `a pathway for ${subject}, ` +
      `and include it in the ${pick(rnd, DOCUMENTS)}.`,
  ])();
  // About one action in five carries a list or a second paragraph in the cell, as real plans do.
  if (rnd() < 0.1) return `${main}\n• ${pick(rnd, EVIDENCE)}\n• ${pick(rnd, EVIDENCE)}`;
  if (rnd() < 0.1)
    return `${main}\nA re-audit will follow ${int(rnd, 3, 6)} months later to check the change is sustained.`;
  return main;
}

function dueDate(rnd: Random, start: string): DueDate {
  const iso = addDays(start, int(rnd, 30, 600));
  const endOfMonth = (() => {
    const [y, m] = parts(iso);
    return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  })();
  return weighted<() => DueDate>(rnd, [
    [() => ({ kind: 'words', words: shortMonth(iso) }), 20],
    [() => ({ kind: 'words', words: longDate(iso) }), 20],
    [() => ({ kind: 'date', iso, format: 'dd/mm/yyyy', words: longDate(iso) }), 15],
    [() => ({ kind: 'date', iso: endOfMonth, format: 'mmm-yy', words: shortMonth(endOfMonth) }), 10],
    [() => ({ kind: 'words', words: `Q${int(rnd, 1, 4)} ${parts(iso)[0]}/${String(parts(iso)[0] + 1).slice(2)}` }), 8],
    [() => ({ kind: 'words', words: `${pick(rnd, ['Spring', 'Summer', 'Autumn', 'Winter'])} ${parts(iso)[0]}` }), 6],
    [() => ({ kind: 'words', words: `To be completed ${longDate(iso)}` }), 6],
    [() => ({ kind: 'words', words: `Completed ${longDate(iso)} ${longDate(addDays(iso, int(rnd, 20, 90)))}` }), 5],
    [
      () => ({
        kind: 'words',
        words: pick(rnd, ['On-going continuous monitoring', 'Immediate', 'Include in 2016/17 contract', 'Implemented']),
      }),
      10,
    ],
  ])();
}

function progressEntries(rnd: Random, start: string): GeneratedAction['progress'] {
  const entries: GeneratedAction['progress'] = [];
  let on = addDays(start, int(rnd, 20, 90));
  for (let i = int(rnd, 1, 3); i > 0; i--) {
    const dateWords = weighted(rnd, [
      [slashDate(on), 5],
      [monthYear(on), 3],
      [longDate(on), 2],
    ] as const);
    entries.push({ dateWords, text: fill(rnd, pick(rnd, PROGRESS)) });
    on = addDays(on, int(rnd, 25, 120));
  }
  return entries;
}

function generateAction(rnd: Random, groupIndex: number, agencyFirst: string, start: string): GeneratedAction {
  const staff = pick(rnd, STAFF);
  const subject = pick(rnd, SUBJECTS);
  const rating = weighted<Rating | null>(rnd, [
    ['blue', 25],
    ['green', 35],
    ['amber', 20],
    ['red', 10],
    [null, 10],
  ]);
  return {
    agency: rnd() < 0.6 ? agencyFirst : pick(rnd, AGENCIES_BY_GROUP[groupIndex] ?? []),
    text: actionText(rnd, staff, subject),
    outcome: `${pick(rnd, ['All', 'At least 95% of', 'Audit shows that'])} ${staff} ${pick(rnd, VERBS)} ${subject}.`,
    lead: pick(rnd, LEADS),
    due: dueDate(rnd, start),
    rating,
    ratingWord: rating && rnd() < 0.4 ? pick(rnd, RATING_WORDS[rating]) : '',
    progress: progressEntries(rnd, start),
  };
}

/**
 * Actions with different wording: a plan does not repeat an action word for word under one
 * recommendation, and an importer may fairly read two identical rows in a row as one row
 * broken across a page.
 */
function distinctActions(rnd: Random, count: number, make: () => GeneratedAction): GeneratedAction[] {
  const seen = new Set<string>();
  const actions: GeneratedAction[] = [];
  while (actions.length < count) {
    let action = make();
    for (let tries = 0; seen.has(action.text) && tries < 20; tries++) action = make();
    if (seen.has(action.text))
      action = {
        ...action,
        text: `${action.text}
Phase ${actions.length + 1}.`,
      };
    seen.add(action.text);
    actions.push(action);
  }
  return actions;
}

/** Splits `total` into `parts` counts of 10–25 where it can (fewer when the total is small). */
function spread(rnd: Random, total: number, count: number): number[] {
  const counts = Array.from({ length: count }, () => Math.min(10, Math.floor(total / count)));
  let left = total - counts.reduce((a, b) => a + b, 0);
  while (left > 0) {
    const room = counts.map((c, i) => (c < 25 ? i : -1)).filter((i) => i >= 0);
    const i = room.length > 0 ? pick(rnd, room) : int(rnd, 0, count - 1);
    counts[i] = (counts[i] ?? 0) + 1;
    left -= 1;
  }
  return counts;
}

export function generatePlan(options: PlanOptions = {}): GeneratedPlan {
  const actionCount = options.actions ?? 1000;
  const recommendationCount = Math.max(1, options.recommendations ?? Math.round(actionCount / (1000 / 60)));
  const rnd = seededRandom(options.seed ?? 20150714);
  const perRecommendation = spread(rnd, actionCount, recommendationCount);
  const perGroup = GROUP_SHARE.map((share) => Math.max(1, Math.round(share * recommendationCount)));
  // Rounding may miss the total by one or two: the last group takes the difference.
  perGroup[3] = Math.max(1, recommendationCount - perGroup.slice(0, 3).reduce((a, b) => a + b, 0));
  const start = '2015-08-11';
  let next = 0;
  const groups: GeneratedGroup[] = GROUPS.map((heading, g) => {
    const recommendations: GeneratedRecommendation[] = [];
    for (let r = 1; r <= (perGroup[g] ?? 0) && next < recommendationCount; r++) {
      const staff = pick(rnd, STAFF);
      const subject = pick(rnd, SUBJECTS);
      const agencyFirst = pick(rnd, AGENCIES_BY_GROUP[g] ?? []);
      const findings = [...new Set(Array.from({ length: int(rnd, 1, 4) }, () => pick(rnd, FINDINGS)))];
      recommendations.push({
        number: `${g + 1}.${r}`,
        text: `Ensure that ${staff} ${pick(rnd, VERBS)} ${subject} ${pick(rnd, QUALIFIERS)}.`,
        findings: findings.sort((a, b) => a.localeCompare(b, 'en', { numeric: true })),
        outcome:
          `All ${staff} will ${pick(rnd, VERBS)} ${subject}, ` +
          'and children and their families will see the difference.',
        anticipatedEvidence: Array.from({ length: int(rnd, 2, 5) }, () => pick(rnd, EVIDENCE)),
        actions: distinctActions(rnd, perRecommendation[next] ?? 0, () => generateAction(rnd, g, agencyFirst, start)),
      });
      next += 1;
    }
    return { number: g + 1, heading, recommendations };
  });
  return {
    title: 'Rotherham Review of Health Services for Children Looked After and Safeguarding: CQC CLAS action plan',
    groups,
    actionCount,
    recommendationCount,
  };
}

/* ---------- writing it as Excel ---------- */

const progressLines = (a: GeneratedAction): string => a.progress.map((p) => `${p.dateWords} – ${p.text}`).join('\n');

export async function planToXlsx(plan: GeneratedPlan): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Action plan');
  sheet.columns = [8, 50, 60, 40, 30, 16, 10, 70].map((width) => ({ width }));
  sheet.addRow([plan.title]).font = { bold: true, size: 14 };
  sheet.addRow([]);
  const header = sheet.addRow(['Number', 'Recommendation', 'Action', 'Outcome', 'Lead', 'By When', 'RAG', 'Progress']);
  header.font = { bold: true };
  header.eachCell((cell) => (cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } }));
  for (const group of plan.groups) {
    // A group heading row across the table, as plans that follow the report's grouping have.
    const headingRow = sheet.addRow([`${group.number}. ${group.heading}`]);
    headingRow.font = { bold: true };
    sheet.mergeCells(headingRow.number, 1, headingRow.number, 8);
    for (const rec of group.recommendations) {
      rec.actions.forEach((a, i) => {
        // Numbers as text: typed as numbers, Excel would show 1.10 as 1.1.
        const row = sheet.addRow([
          i === 0 ? rec.number : '',
          i === 0 ? rec.text : '',
          a.text,
          a.outcome,
          a.lead,
          null,
          a.ratingWord,
          progressLines(a),
        ]);
        row.alignment = { wrapText: true, vertical: 'top' };
        const due = row.getCell(6);
        if (a.due.kind === 'date') {
          const [y, m, d] = parts(a.due.iso);
          due.value = new Date(Date.UTC(y, m - 1, d));
          due.numFmt = a.due.format;
        } else {
          due.value = a.due.words;
        }
        if (a.rating)
          row.getCell(7).fill = {
            type: 'pattern',
            pattern: 'solid',
            fgColor: { argb: `FF${RATING_COLOURS[a.rating]}` },
          };
      });
    }
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/* ---------- writing it as Word, in the block template ---------- */

/**
 * A run made from options only. TextRun also accepts a plain string, so in an object passed straight to it
 * ESLint reads `bold` as the deprecated String.prototype.bold; typing the options as IRunOptions avoids that.
 */
const textRun = (options: IRunOptions): TextRun => new TextRun(options);

const text = (value: string, bold = false): Paragraph[] =>
  value.split('\n').map((line) => new Paragraph({ children: [textRun({ text: line, bold })] }));

function cell(value: string, options: { bold?: boolean; shade?: string | null; span?: number } = {}): TableCell {
  return new TableCell({
    children: value === '' ? [new Paragraph('')] : text(value, options.bold),
    ...(options.shade ? { shading: { fill: options.shade, type: ShadingType.CLEAR, color: 'auto' } } : {}),
    ...(options.span ? { columnSpan: options.span } : {}),
  });
}

function actionTable(rec: GeneratedRecommendation): Table {
  const head = [
    'Agency/Service',
    'SMART* Action',
    'Lead Officer and Key Personnel',
    'Date of Action',
    'Progress, Evidence, Date',
    'BRAG**',
  ];
  const rows = [
    new TableRow({ tableHeader: true, children: head.map((h) => cell(h, { bold: true, shade: 'D9E1F2' })) }),
  ];
  let lastAgency = '';
  for (const a of rec.actions) {
    // As in Rotherham's plan, the agency is written once and left empty while it stays the same.
    const agency = a.agency === lastAgency ? '' : a.agency;
    lastAgency = a.agency;
    rows.push(
      new TableRow({
        children: [
          cell(agency),
          cell(a.text),
          cell(a.lead),
          cell(a.due.words),
          cell(a.progress.map((p) => `${p.dateWords} – ${p.text}`).join('\n')),
          cell(a.ratingWord, { shade: a.rating ? RATING_COLOURS[a.rating] : null }),
        ],
      }),
    );
  }
  rows.push(
    new TableRow({
      children: [cell(''), cell(`Anticipated Evidence: ${rec.anticipatedEvidence.join(', ')}`, { span: 5 })],
    }),
  );
  return new Table({ rows, width: { size: 100, type: WidthType.PERCENTAGE } });
}

export async function planToDocx(plan: GeneratedPlan): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [new Paragraph({ text: plan.title, heading: HeadingLevel.TITLE })];
  children.push(
    new Paragraph({
      children: [
        textRun({
          text:
            'BRAG key: BLUE – completed; GREEN – on target; AMBER – off target, remedial action in place; ' +
            'RED – not yet planned, started or progressed.',
          italics: true,
        }),
      ],
    }),
  );
  for (const group of plan.groups) {
    children.push(new Paragraph({ text: `Recommendation ${group.number}`, heading: HeadingLevel.HEADING_1 }));
    children.push(
      new Paragraph({ children: [textRun({ text: group.heading.replace(/ should:$/, ':'), bold: true })] }),
    );
    for (const rec of group.recommendations) {
      children.push(new Paragraph({ text: `Recommendation ${rec.number}`, heading: HeadingLevel.HEADING_2 }));
      children.push(new Paragraph(rec.text));
      // Both ways of listing the findings appear in real plans.
      children.push(
        new Paragraph(`(See ${rec.findings.join(Number(rec.number.split('.')[1]) % 2 === 0 ? ', ' : ' ')})`),
      );
      children.push(
        new Paragraph({ children: [textRun({ text: 'Outcome: ', bold: true }), new TextRun(rec.outcome)] }),
      );
      children.push(actionTable(rec));
      children.push(new Paragraph({ text: '', alignment: AlignmentType.LEFT }));
    }
  }
  const doc = new Document({
    sections: [{ properties: { page: { size: { orientation: PageOrientation.LANDSCAPE } } }, children }],
  });
  return Packer.toBuffer(doc);
}

/** Writes the plan as .xlsx and .docx into `folder`; returns the two paths and the plan. */
export async function writePlanFiles(
  folder: string,
  options: PlanOptions = {},
): Promise<{ xlsx: string; docx: string; plan: GeneratedPlan }> {
  const plan = generatePlan(options);
  fs.mkdirSync(folder, { recursive: true });
  const base = path.join(folder, `generated-plan-${plan.actionCount}`);
  fs.writeFileSync(`${base}.xlsx`, await planToXlsx(plan));
  fs.writeFileSync(`${base}.docx`, await planToDocx(plan));
  return { xlsx: `${base}.xlsx`, docx: `${base}.docx`, plan };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const folder = process.argv[2] ?? '.';
  const actions = Number(process.argv[3] ?? 1000);
  if (!Number.isInteger(actions) || actions < 1)
    throw new Error(`The number of actions must be a whole number, not "${process.argv[3]}"`);
  const written = await writePlanFiles(folder, { actions });
  process.stdout.write(
    `Wrote ${written.xlsx} and ${written.docx}: ` +
      `${written.plan.recommendationCount} recommendations, ${written.plan.actionCount} actions\n`,
  );
}
