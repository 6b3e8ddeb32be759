// Builds the Rotherham 2015 demo data set from the public documents.
//
//   npx tsx scripts/demo-data/build-rotherham.ts
//
// Reads (from the shared domain folder beside the repository):
//   sources/rotherham-2015-cqc-report.md                  the CQC report as text
//   fixtures/rotherham-2015-cqc-report.docx               the same report as Word (cross-check only)
//   fixtures/rotherham-2015-hwb-paper-and-action-plan.docx the board paper and published action plan
// Writes (into src/features/demo/data/):
//   rotherham-2015.json               the published record
//   rotherham-2015-illustrative.json  the invented illustrative layer (from ./rotherham-illustrative.ts)
//   sources/rotherham-2015-cqc-report.md  a copy of the report text, read by the tests
//
// Every place where the documents are irregular is corrected by explicit data below
// (ROW_CORRECTIONS, AGENCY_ORGANISATIONS, INSPECTOR_NAMES, …), never silently; each
// correction must match exactly once or the build fails. SOURCES.md lists them for readers.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import mammoth from 'mammoth';
import type {
  DemoAction,
  DemoDataset,
  DemoFinding,
  DemoGroup,
  DemoOrganisation,
  DemoRecommendation,
  DemoReview,
  DemoVersion,
  FindingKind,
  FindingSection,
} from '../../src/features/demo/data/dataset-types.ts';
import { htmlToBlocks, squash, type Block, type Cell, type Row } from './html-blocks.ts';
import { buildIllustrativeLayer } from './rotherham-illustrative.ts';

const SHARED = new URL('../../../shared/domain/', import.meta.url);
const DATA_DIR = new URL('../../src/features/demo/data/', import.meta.url);
const REPORT_MD = new URL('sources/rotherham-2015-cqc-report.md', SHARED);
const REPORT_DOCX = new URL('fixtures/rotherham-2015-cqc-report.docx', SHARED);
const PLAN_DOCX = new URL('fixtures/rotherham-2015-hwb-paper-and-action-plan.docx', SHARED);

// ---------------------------------------------------------------------------------
// Organisations. Keys are stable: the app and the illustrative layer refer to them.

export const ORGANISATIONS: DemoOrganisation[] = [
  {
    key: 'nhs-england',
    name: 'NHS England',
    shortName: 'NHS England',
    kind: 'nhs_england',
    aliases: ['NHS England Area Team'],
  },
  {
    key: 'rotherham-ccg',
    name: 'NHS Rotherham Clinical Commissioning Group',
    shortName: 'Rotherham CCG',
    kind: 'commissioner',
    aliases: ['Rotherham CCG', 'RCCG', 'CCG', 'Rotherham Clinical Commissioning Group (RCCG)'],
  },
  {
    key: 'rdash',
    name: 'Rotherham Doncaster and South Humber NHS Foundation Trust',
    shortName: 'RDaSH',
    kind: 'nhs_trust',
    aliases: [
      'Rotherham Doncaster & South Humber NHS Foundation Trust',
      'Rotherham, Doncaster and South Humber NHS Foundation Trust',
      'RDASH',
    ],
    note: 'Provides CAMHS, adult mental health and the adult substance misuse service "Clearways".',
  },
  {
    key: 'trft',
    name: 'The Rotherham NHS Foundation Trust',
    shortName: 'TRFT',
    kind: 'nhs_trust',
    aliases: ['The Rotherham Foundation NHS Trust', 'RFT'],
    note:
      "The report's recommendation group headings (2 and 4), and the plan's, misname it \"The Rotherham " +
      'Foundation NHS Trust"; the header table and the body of the report use the correct name. Both map here.',
  },
  {
    key: 'rmbc',
    name: 'Rotherham Metropolitan Borough Council',
    shortName: 'RMBC',
    kind: 'local_authority',
    aliases: ['RMBC Public Health', 'RMBC Safeguarding', 'Rotherham MBC', "RMBC Children and Young People's Service"],
    note:
      'Public health (commissioner of school nursing, sexual health, substance misuse, health visiting from 1/10/15) ' +
      "and children's social care.",
  },
  {
    key: 'rotherham-gp-practices',
    name: 'GP practices in Rotherham',
    shortName: 'GP practices',
    kind: 'gp_practice',
    aliases: ['Independent Providers', 'GP Practices'],
    note: 'Independent contractors to NHS England; the plan\'s "Independent Providers" in recommendation 1.1.',
  },
  {
    key: 'rotherham-lscb',
    name: 'Rotherham Local Safeguarding Children Board',
    shortName: 'RLSCB',
    kind: 'other',
    aliases: ['RLSCB', 'LSCB'],
    note: "A partner on the plan's distribution list and peer challenge group; named in lead cells, not as an agency.",
  },
  {
    key: 'healthwatch-rotherham',
    name: 'Healthwatch Rotherham',
    shortName: 'Healthwatch Rotherham',
    kind: 'other',
    note: "A partner on the plan's distribution list and peer challenge group; not an agency for any action.",
  },
];

// The report's recommendation group headings name the addressees. Each phrase maps to one
// organisation; the build fails if a heading has words left over. "The Rotherham Foundation
// NHS Trust" is the report's misnaming of The Rotherham NHS Foundation Trust (TRFT).
const ADDRESSEE_PHRASES: Array<[string, string]> = [
  ['Rotherham, Doncaster and South Humber NHS Foundation Trust', 'rdash'],
  ['The Rotherham Foundation NHS Trust', 'trft'],
  ['NHS England', 'nhs-england'],
  ['Rotherham CCG', 'rotherham-ccg'],
];

// The report's header table runs the organisation names together in one cell.
const HEADER_ORGANISATION_PHRASES: Array<[string, string]> = [
  ['Rotherham Doncaster & South Humber NHS Foundation Trust', 'rdash'],
  ['The Rotherham NHS Foundation Trust', 'trft'],
  ['Rotherham CCG', 'rotherham-ccg'],
];

// HAND CORRECTION: the header table gives the inspectors as one run of words
// ("Lea Pickerill Jan Clark Lynette Ranson Pauline Hyde", also so in the PDF). Split into
// two-word names; the build checks that they rejoin to the cell text.
const INSPECTOR_NAMES = ['Lea Pickerill', 'Jan Clark', 'Lynette Ranson', 'Pauline Hyde'];

// Agency/Service cell text (verbatim, as repeated on every action) → organisation keys.
// Judgements: the LAC health team is TRFT's ("RCCG and TRFT LAC Team", rec 4.9); CAMHS is
// RDaSH's; "Children and Young People's Services", "Local Authority (LA)" and "Children's
// Social Care Services" are RMBC's; "Independent Providers" in 1.1 are the GP practices
// (the action is about GPs and practice staff); "All Providers and Commissioner(s)" in 2.4
// are the addressees of group 2.
export const AGENCY_ORGANISATIONS: Record<string, string[]> = {
  'RCCG/NHS England Independent Providers': ['rotherham-ccg', 'nhs-england', 'rotherham-gp-practices'],
  'CCG/TRFT/RDaSH': ['rotherham-ccg', 'trft', 'rdash'],
  'RCCG/TRFT/RDaSH': ['rotherham-ccg', 'trft', 'rdash'],
  'RMBC Public Health': ['rmbc'],
  'Rotherham CCG/ RDaSH/TRFT': ['rotherham-ccg', 'rdash', 'trft'],
  'All Providers and Commissioner(s)': ['nhs-england', 'rotherham-ccg', 'rdash', 'trft'],
  'RMBC Safeguarding, RMBC Public Health': ['rmbc'],
  'NHS England Input': ['nhs-england'],
  CAMHS: ['rdash'],
  'RDaSH, NHS England Area Team and RCCG': ['rdash', 'nhs-england', 'rotherham-ccg'],
  'TRFT Emergency Department (ED) and Safeguarding Team': ['trft'],
  'RDaSH/CCG': ['rdash', 'rotherham-ccg'],
  RDaSH: ['rdash'],
  'RDaSH and RMBC Public Health': ['rdash', 'rmbc'],
  'TRFT ED': ['trft'],
  'TRFT Emergency Department (ED)': ['trft'],
  'TRFT Midwifery, CASH & GUM Integrated Sexual Health Services (ISHS)': ['trft'],
  'TRFT Midwifery and Health Visiting and Public Health as the commissioners of HV/FNP from 1/10/15 and SN': [
    'trft',
    'rmbc',
  ],
  'TRFT Midwifery RCGG': ['trft', 'rotherham-ccg'], // "RCGG" is the plan's typing of RCCG
  "TRFT Midwifery and Health Visiting, FNP, RMBC Children and Young People's Service": ['trft', 'rmbc'],
  'TRFT Integrated Sexual Health Service TRFT CSE Nurse CSE Multi-Agency Team Local Authority (LA)': ['trft', 'rmbc'],
  "Children's Social Care Services and CSE Nurse TRFT": ['rmbc', 'trft'],
  "Looked After Children's Team": ['trft'],
  "Looked After Children's Team/ Children and Young People's Services and RCCG": ['trft', 'rmbc', 'rotherham-ccg'],
  "Looked After Children's Team/Children and Young People's Services": ['trft', 'rmbc'],
  "Looked After Children's Team/Children and Young People's Service": ['trft', 'rmbc'],
  'TRFT ED and Paediatric Liaison': ['trft'],
};

// ---------------------------------------------------------------------------------
// Findings: classification of paragraphs with no recommendation pointer and no public
// health note. A finding is a concern if it points to a recommendation or was brought to
// public health's attention; these unreferenced ones are concerns on a plain reading
// (they describe a shortfall or risk). Every other unreferenced finding is good practice.
export const UNREFERENCED_CONCERNS: Record<string, string> = {
  '1.4': "children's waiting area not observable by staff or covered by CCTV: a potential safeguarding risk",
  '1.5': 'children walk through the main ED to x-ray: "clearly undesirable and potentially detrimental"',
  '1.23': 'no audit of midwife to health visitor handovers to assure managers or commissioners',
  '2.4': 'no access to an out-of-hours consultant CAMHS psychiatrist: "not best practice"',
  '2.10': 'no CAMHS intensive home treatment team',
  '2.12': 'a gap in services to support children with autistic spectrum disorder',
  '2.20': 'the early attachment service is vulnerable, over reliant on one practitioner',
  '3.13': 'not clear that the CAMHS clinical decision tree is routinely used',
  '3.17': 'self-referral to Clearways does not prompt contact with the social worker, nor vice versa',
  '3.20': 'professionals reluctant to challenge colleagues; over-reliance on escalation',
  '4.5': 'GPs have little understanding of the looked-after child system',
  '4.12': 'seeing young people alone at RHAs is not well evidenced in the record',
  '5.1.3': '"It is of concern": children not a priority of the Health and Wellbeing Board or the JSNA',
  '5.1.7': 'neither GP practice held a vulnerable families meeting',
  '5.1.8': 'little development of primary care structures to monitor internal safeguarding practice',
  '5.1.9': 'still a lack of understanding of roles and responsibilities in CSE',
  '5.1.13': 'CAMHS: unallocated cases, high agency staffing, low morale, "significant areas of concern"',
  '5.1.15': 'the CCG and partners cannot identify the health needs of the looked after cohort',
  '5.1.16': 'preceptorship programme requires strengthening in safeguarding competencies',
  '5.1.18': 'no paediatric nurse on duty in ED overnight',
  '5.2.1': 'the trust does not use the NHS number; CPIS not yet addressed',
  '5.2.2': 'disparate CASH and GUM IT systems are barriers to safeguarding practice',
  '5.2.3': 'READ coding and storage of child protection documents in GP practices a key area for development',
  '5.3.6': 'not all staff working with potential FGM victims have had FGM training',
  '5.3.8': 'supervision across TRFT compromised; recording of supervision a key area for development',
  '5.3.9': 'no safeguarding supervision for the ED lead clinician; ED supervision "weak and ad-hoc"',
  '5.3.10': 'no opportunity for restorative reflection in the health visiting supervision model',
};

// ---------------------------------------------------------------------------------
// Action plan table corrections. The plan's tables break across pages, so one logical row
// can arrive as two rows, and one row arrives shifted one column to the left. Each entry
// names the recommendation and the row (by the start of one of its cells, as extracted)
// and says how its cells are joined to the row above: ' ' where a sentence or a name runs
// on across the break, '\n' where the lower part starts a new item (another person, another
// date, another piece of evidence), 'same' where the lower cell only repeats the upper.

type Column = 'agency' | 'action' | 'lead' | 'date' | 'progress';
const COLUMNS: Column[] = ['agency', 'action', 'lead', 'date', 'progress'];
type Separator = ' ' | '\n' | 'same';
type RowMatch = { column: Column; startsWith: string };
type RowCorrection =
  | {
      kind: 'join';
      recommendation: string;
      match: RowMatch;
      separators: Partial<Record<Column, Separator>>;
      why: string;
    }
  | { kind: 'shift-right'; recommendation: string; match: RowMatch; why: string };

export const ROW_CORRECTIONS: RowCorrection[] = [
  {
    kind: 'join',
    recommendation: '2.3',
    match: { column: 'progress', startsWith: 'included in Level 3 Safeguarding training.' },
    separators: { progress: ' ' },
    why: 'page break inside the progress cell ("… is already | included in Level 3 …"); all other cells empty',
  },
  {
    kind: 'join',
    recommendation: '2.4',
    match: { column: 'action', startsWith: 'audit, including the audit of:' },
    separators: { action: ' ', lead: '\n', date: '\n', progress: '\n' },
    why:
      'page break inside the action sentence ' +
      '("Providers to undertake clinical record keeping | audit, including …"); ' +
      'the lower part carries the RDaSH lead, a second date and RDaSH progress for the audit half of the same row',
  },
  {
    kind: 'join',
    recommendation: '2.5',
    match: { column: 'action', startsWith: 'Pharmacies commissioned by RMBC Public Health.' },
    separators: { action: ' ', lead: '\n', progress: '\n' },
    why:
      'page break inside the action sentence ("… to be disseminated to all | Pharmacies …"); ' +
      'date cell empty below',
  },
  {
    kind: 'join',
    recommendation: '3.1',
    match: { column: 'action', startsWith: '• initial assessments' },
    separators: { action: '\n' },
    why: 'the bullet list of the action "… allocation meeting for:" fell below the page break; other cells empty',
  },
  {
    kind: 'join',
    recommendation: '3.2',
    match: { column: 'action', startsWith: 'Pathway for CAMHS Tier 4 services' },
    separators: { action: ' ', progress: ' ' },
    why:
      'page break inside the action ("… Specialised Mental Health Services | Pathway …") ' +
      'and progress ("… 2015/16 | contract …")',
  },
  {
    kind: 'join',
    recommendation: '3.5',
    match: { column: 'action', startsWith: 'need/child protection plan have a safeguarding alert' },
    separators: { action: ' ', progress: ' ' },
    why:
      'page break inside the action ("… subject to a child in | need/child protection plan …") ' +
      'and progress ("… shared | with all …")',
  },
  {
    kind: 'join',
    recommendation: '3.6',
    match: { column: 'action', startsWith: 'appropriate, with partner services' },
    separators: { action: ' ', progress: ' ' },
    why:
      'page break inside the action ("… where | appropriate …") ' +
      'and progress ("… RDaSH Safeguarding | Quality and Standards Group.")',
  },
  {
    kind: 'join',
    recommendation: '4.1',
    match: { column: 'progress', startsWith: 'Spine. New upgrade to Symphony' },
    separators: { progress: ' ' },
    why: 'page break inside the progress cell ("… Systmone or National | Spine. …"); all other cells empty',
  },
  {
    kind: 'join',
    recommendation: '4.4',
    match: { column: 'lead', startsWith: 'Head of Health Improvement, RMBC Public Health' },
    separators: { lead: '\n', date: '\n', progress: '\n' },
    why: 'empty action cell: a second lead, date and evidence line for the same action (antenatal pathway review)',
  },
  {
    kind: 'join',
    recommendation: '4.4',
    match: { column: 'lead', startsWith: 'RCCG IT Project and Data Quality Team' },
    separators: { lead: '\n', date: '\n', progress: '\n' },
    why: 'empty action cell: a third lead, date and evidence line for the same action (GP Practice EMIS pathway part)',
  },
  {
    kind: 'join',
    recommendation: '4.6',
    match: { column: 'progress', startsWith: 'Implementation plan to include a pathway' },
    separators: { date: '\n', progress: '\n' },
    why: 'empty action and lead cells: a second date and progress line for the joint protocol action',
  },
  {
    kind: 'join',
    recommendation: '4.6',
    match: { column: 'action', startsWith: 'Safeguarding Children and Young People at the same time.' },
    separators: { action: ' ', lead: ' ', progress: ' ' },
    why:
      'page break inside the action ("… copied to the Director of | Safeguarding …"), ' +
      'lead ("Wharnccliffe Ward | Manager") and progress ("… All | breaches …")',
  },
  {
    kind: 'join',
    recommendation: '4.10',
    match: { column: 'progress', startsWith: "Audit tool re use of SDQ's in health assessments" },
    separators: { lead: 'same', date: '\n', progress: '\n' },
    why:
      'empty action cell: the second date (30 November 2015, the "audited in 3 months\' time") of the SDQ action; ' +
      'the lead cell repeats the lead above word for word',
  },
  {
    kind: 'shift-right',
    recommendation: '4.10',
    match: { column: 'lead', startsWith: 'Health recommendations from the assessment will be shared' },
    why:
      'this row arrives one column to the left: action text in the lead column, lead in the date column, ' +
      '"30 September" in the progress column',
  },
  {
    kind: 'join',
    recommendation: '4.10',
    match: { column: 'action', startsWith: 'LAC Council to be kept informed' },
    separators: { action: ' ', lead: ' ', date: ' ' },
    why:
      'page break: lower half of the shifted row ' +
      '("School Nursing | Service and Service Managers", "30 September | 2015")',
  },
];

// HAND CORRECTION: version 7's meeting list is one run of text in the .docx; split it into
// one line per meeting, before each date.
const VERSION_LINE_SPLITS: Record<string, RegExp> = {
  '7': /\s+(?=\d{1,2} (?:August|September|October|November|December) 2015 –)/g,
};

// ---------------------------------------------------------------------------------
// Helpers

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

function isoDate(day: number, monthName: string, year: number): string {
  const month = MONTHS.indexOf(monthName.toLowerCase()) + 1;
  if (month === 0) throw new Error(`unknown month ${monthName}`);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** "14 July 2015", "14 th July 2015", "14th July 2015" → ISO. */
function parseLongDate(text: string): string {
  const m = /^(\d{1,2})\s*(?:st|nd|rd|th)?\s+([A-Za-z]+)\s+(\d{4})$/.exec(text.trim());
  if (!m) throw new Error(`not a date: ${text}`);
  return isoDate(Number(m[1]), m[2] ?? '', Number(m[3]));
}

function stripMarkdown(text: string): string {
  return squash(
    text
      .replace(/\s*<sup>\s*(st|nd|rd|th)\s*<\/sup>/gi, '$1')
      .replace(/<\/?[a-z][^>]*>/gi, '')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\*+/g, ''),
  );
}

/**
 * Normalises one extracted paragraph of the plan: superscript ordinals that the .docx
 * carries as separate words ("7 th , 18 th", "3 rd person") are closed up. Nothing else in
 * the wording is changed.
 */
function tidyParagraph(text: string): string {
  return squash(text.replace(/(\d) (st|nd|rd|th)\b/g, '$1$2').replace(/(\d(?:st|nd|rd|th)) ,/g, '$1,'));
}

/**
 * Restores the item breaks that the .docx lost inside a cell: inline "•" bullets become one
 * line each, and a paragraph that starts "- " and runs its items together ("criteria-
 * allocation meetings- communication") becomes one "- " line per item.
 */
function splitItems(paragraph: string): string[] {
  if (paragraph.includes('•')) {
    const [head, ...items] = paragraph.split('•').map((s) => s.trim());
    const lines = items.filter((s) => s !== '').map((s) => `• ${s}`);
    return head ? [head, ...lines] : lines;
  }
  if (paragraph.startsWith('- ')) {
    return paragraph
      .slice(2)
      .split(/(?<=\S)- (?=\S)/)
      .map((s) => `- ${s.trim()}`);
  }
  return [paragraph];
}

function cellText(paragraphs: string[]): string {
  return paragraphs.flatMap((p) => splitItems(tidyParagraph(p))).join('\n');
}

function uniqueMatch<T>(items: T[], predicate: (item: T) => boolean, what: string): T {
  const found = items.filter(predicate);
  if (found.length !== 1) throw new Error(`${what}: expected exactly one match, found ${found.length}`);
  return found[0] as T;
}

function sectionOf(number: string): FindingSection {
  if (number.startsWith('5.1.')) return 'Leadership and management';
  if (number.startsWith('5.2.')) return 'Governance';
  if (number.startsWith('5.3.')) return 'Training and supervision';
  const sections: Record<string, FindingSection> = {
    '1': 'Early help',
    '2': 'Children in need',
    '3': 'Child protection',
    '4': 'Looked after children',
  };
  const section = sections[number.split('.')[0] ?? ''];
  if (!section || number.split('.').length !== 2) throw new Error(`no section for finding ${number}`);
  return section;
}

/** Maps a run of organisation names to keys; fails if anything but joining words is left. */
function organisationsIn(text: string, phrases: Array<[string, string]>, what: string): string[] {
  let rest = text;
  const found: Array<{ at: number; key: string }> = [];
  for (const [phrase, key] of phrases) {
    const at = rest.indexOf(phrase);
    if (at >= 0) {
      found.push({ at, key });
      rest = rest.slice(0, at) + ' '.repeat(phrase.length) + rest.slice(at + phrase.length);
    }
  }
  const leftover = squash(rest.replace(/\b(and|should:?)\b|[,&:]/g, ' '));
  if (leftover !== '') throw new Error(`${what}: unmapped words "${leftover}" in "${text}"`);
  return found.sort((a, b) => a.at - b.at).map((f) => f.key);
}

// ---------------------------------------------------------------------------------
// The report

type ReportRecommendation = { number: string; group: number; text: string };

type ReportExtract = {
  review: DemoReview;
  findings: DemoFinding[];
  groups: DemoGroup[];
  recommendations: ReportRecommendation[];
};

const POINTER = /\((?:\*\*)?Recommendations?\s+([^)]*?)(?:\*\*)?\)\.?/g;

function readReport(md: string): ReportExtract {
  const lines = md.split('\n');

  const titleLine = uniqueMatch(lines, (l) => l.startsWith('# **Review of'), 'report title');
  const header = new Map<string, string>();
  for (const line of lines) {
    const m = /^<b>(.*?):?<\/b>\t(.*)$/.exec(line);
    if (m) header.set(stripMarkdown(m[1] ?? '').replace(/:$/, ''), stripMarkdown(m[2] ?? ''));
  }
  const need = (label: string): string => {
    const value = header.get(label);
    if (value === undefined) throw new Error(`report header has no "${label}"`);
    return value;
  };

  const reviewDates = /^(\d{1,2})(?:st|nd|rd|th)? ([A-Za-z]+) – (\d{1,2})(?:st|nd|rd|th)? ([A-Za-z]+) (\d{4})$/.exec(
    need('Date of review'),
  );
  if (!reviewDates) throw new Error('cannot read the review dates');
  const year = Number(reviewDates[5]);
  const reviewStart = isoDate(Number(reviewDates[1]), reviewDates[2] ?? '', year);
  const reviewEnd = isoDate(Number(reviewDates[3]), reviewDates[4] ?? '', year);
  const published = parseLongDate(need('Date of publication'));

  if (INSPECTOR_NAMES.join(' ') !== need('Name(s) of CQC inspector'))
    throw new Error('inspector names no longer match the header');
  const covered = [
    ...organisationsIn(need('Provider services included'), HEADER_ORGANISATION_PHRASES, 'providers'),
    ...organisationsIn(need('CCGs included'), HEADER_ORGANISATION_PHRASES, 'CCGs'),
  ];
  const cases = /experiences of (\d+) children and young people/.exec(md);
  if (!cases) throw new Error('cannot find the number of children');

  const review: DemoReview = {
    key: 'rotherham-2015',
    title: stripMarkdown(titleLine.replace(/^#+/, '')),
    type: 'CLAS',
    area: 'Rotherham',
    reviewStart,
    reviewEnd,
    reportPublished: published,
    // The report was received on publication: the plan's timetable has CQC publishing and the
    // report going out to the action planning group on 14 July 2015, and the plan was sent to
    // CQC on 11 August 2015, 20 working days later.
    reportReceived: published,
    inspectors: [...INSPECTOR_NAMES],
    cqcRegion: need('CQC region'),
    nhsEnglandArea: need('NHS England area'),
    childrenCases: Number(cases[1]),
    ratingScale: 'BRAG',
    leadOrganisation: 'rotherham-ccg',
    coveredOrganisations: covered,
  };

  // Findings: numbered paragraphs between "The child's journey" and "Recommendations".
  const start = lines.findIndex((l) => l.trim() === "## The child's journey");
  const end = lines.findIndex((l) => l.trim() === '## Recommendations');
  if (start < 0 || end < start) throw new Error('cannot find the findings part of the report');
  const findings: DemoFinding[] = [];
  for (const line of lines.slice(start, end)) {
    const m = /^(\d+(?:\.\d+)+)\.?\s+(.+)$/.exec(line.trim());
    if (!m) continue;
    const number = m[1] ?? '';
    const raw = m[2] ?? '';
    const recommendations = [...raw.matchAll(POINTER)].flatMap((p) => (p[1] ?? '').match(/\d+\.\d+/g) ?? []);
    const text = stripMarkdown(raw.replace(POINTER, ' '));
    const publicHealth = /brought to the attention of (the )?public health/i.test(text);
    let kind: FindingKind = 'good_practice';
    if (recommendations.length > 0 || publicHealth || number in UNREFERENCED_CONCERNS) kind = 'concern';
    findings.push({ number, section: sectionOf(number), text, kind, publicHealth, recommendations });
  }
  for (const number of Object.keys(UNREFERENCED_CONCERNS)) {
    const f = findings.find((x) => x.number === number);
    if (!f) throw new Error(`classified finding ${number} does not exist`);
    if (f.recommendations.length > 0 || f.publicHealth)
      throw new Error(`finding ${number} is referenced; no need to classify it by hand`);
  }

  // Recommendations and their groups.
  const recStart = end;
  const recEnd = lines.findIndex((l) => l.trim() === '## Next steps');
  const groups: DemoGroup[] = [];
  const recommendations: ReportRecommendation[] = [];
  for (const line of lines.slice(recStart, recEnd)) {
    const rec = /^\s*-?\s*(\d)\.(\d+)\.?\s+(.+)$/.exec(line);
    if (rec) {
      const group = Number(rec[1]);
      if (!groups.some((g) => g.number === group)) throw new Error(`recommendation before its group: ${line}`);
      recommendations.push({ number: `${group}.${Number(rec[2])}`, group, text: stripMarkdown(rec[3] ?? '') });
      continue;
    }
    const grp = /^\s*-?\s*(\d)\.\s+(.+)$/.exec(line);
    if (grp) {
      const heading = stripMarkdown(grp[2] ?? '');
      groups.push({
        number: Number(grp[1]),
        heading,
        organisations: organisationsIn(heading, ADDRESSEE_PHRASES, `group ${grp[1]}`),
      });
    }
  }
  return { review, findings, groups, recommendations };
}

/** Cross-check: every finding's text in the .md must be in the .docx (modulo quotes). */
async function crossCheckReportDocx(findings: DemoFinding[]): Promise<string[]> {
  const { value } = await mammoth.convertToHtml({ path: fileURLToPath(REPORT_DOCX) });
  const plain = (s: string): string => squash(s.replace(/[‘’]/g, "'").replace(/[“”]/g, '"'));
  const paragraphs = htmlToBlocks(value)
    .filter((b): b is Extract<Block, { type: 'p' }> => b.type === 'p')
    .map((b) => plain(b.text.replace(POINTER, ' ')));
  const problems: string[] = [];
  for (const f of findings) {
    const hit = paragraphs.find((p) => p.startsWith(`${f.number} `) || p.startsWith(`${f.number}. `));
    if (!hit) problems.push(`finding ${f.number} not found in the report .docx`);
    else if (plain(hit.replace(/^[\d.]+\s+/, '')) !== plain(f.text))
      problems.push(`finding ${f.number} differs between .md and .docx`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------
// The action plan

type RawRow = Record<Column, string[]>;

type PlanRecommendation = {
  number: string;
  text: string;
  findings: string[];
  outcome: string;
  anticipatedEvidence: string;
  rows: RawRow[];
};

type PlanExtract = {
  groupHeadings: Map<number, string>;
  recommendations: PlanRecommendation[];
  versions: DemoVersion[];
  planIssued: string;
};

function isHeaderRow(row: Row): boolean {
  return /^agency\/service$/i.test(row[0]?.join(' ') ?? '') && /SMART/.test(row[1]?.join(' ') ?? '');
}

function rowToRaw(row: Row): RawRow {
  if (row.length !== 5) throw new Error(`action row with ${row.length} cells: ${JSON.stringify(row)}`);
  const cells = row as [Cell, Cell, Cell, Cell, Cell];
  return {
    agency: [...cells[0]],
    action: [...cells[1]],
    lead: [...cells[2]],
    date: [...cells[3]],
    progress: [...cells[4]],
  };
}

async function readPlan(): Promise<PlanExtract> {
  const { value } = await mammoth.convertToHtml({ path: fileURLToPath(PLAN_DOCX) });
  const blocks = htmlToBlocks(value);

  // Date of the foreword (signed by the Chief Nurse and Chief Officer): the day the plan went to CQC.
  const forewordAt = blocks.findIndex((b) => b.type === 'p' && b.text === 'Foreword');
  const issuedBlock = blocks.slice(forewordAt).find((b) => b.type === 'p' && /^\d{1,2} [A-Za-z]+ \d{4}$/.test(b.text));
  if (forewordAt < 0 || !issuedBlock || issuedBlock.type !== 'p') throw new Error('cannot find the foreword date');
  const planIssued = parseLongDate(issuedBlock.text);

  // Version control table.
  const versionTable = uniqueMatch(
    blocks,
    (b) => b.type === 'table' && b.rows[0]?.map((c) => c.join(' ')).join('|') === 'Version|Date|Author|Action|Comment',
    'version control table',
  );
  if (versionTable.type !== 'table') throw new Error('unreachable');
  const versions: DemoVersion[] = versionTable.rows.slice(1).map((row) => {
    const [n, d, author, action, comment] = row.map((c) => c.map(tidyParagraph));
    const number = (n ?? []).join(' ').replace(/\.$/, '');
    const dateText = (d ?? []).join(' ');
    let actionText = (action ?? []).join('\n');
    const split = VERSION_LINE_SPLITS[number];
    if (split) actionText = actionText.replace(split, '\n');
    return {
      number,
      date: dateText === '' ? null : parseLongDate(dateText),
      author: (author ?? []).join('\n'),
      action: actionText,
      comment: (comment ?? []).join('\n'),
    };
  });

  // From the first "Recommendation 1" on, turn paragraphs and table rows into one stream of
  // items. Heading rows inside tables (the tables run on from one recommendation to the
  // next) become paragraphs.
  type Item = { kind: 'p'; text: string } | { kind: 'header' } | { kind: 'row'; row: Row };
  const firstRec = blocks.findIndex((b) => b.type === 'p' && b.text === 'Recommendation 1');
  const items: Item[] = [];
  for (const block of blocks.slice(firstRec)) {
    if (block.type === 'p') {
      items.push({ kind: 'p', text: block.text });
      continue;
    }
    for (const row of block.rows) {
      const filled = row.filter((c) => c.length > 0);
      const first = row[0]?.join(' ') ?? '';
      if (isHeaderRow(row)) items.push({ kind: 'header' });
      else if (filled.length === 1 && /^(Recommendation \d|Outcome:)/.test(first)) {
        for (const p of row[0] ?? []) items.push({ kind: 'p', text: p });
      } else items.push({ kind: 'row', row });
    }
  }

  const groupHeadings = new Map<number, string>();
  const recommendations: PlanRecommendation[] = [];
  // Parser state, in one object so that the closure below can update it.
  const state: { current: PlanRecommendation | null; pendingGroup: number | null; inTable: boolean } = {
    current: null,
    pendingGroup: null,
    inTable: false,
  };
  // Paragraph texts can arrive whole ("Recommendation 2.3 Ensure … (See 3.2)") or in parts.
  const takeParagraph = (text: string): void => {
    const group = /^Recommendation (\d)$/.exec(text) ?? /^Recommendation (\d) (.+)$/.exec(text);
    if (group && !/^Recommendation \d\.\d/.test(text)) {
      state.pendingGroup = Number(group[1]);
      if (group[2]) {
        groupHeadings.set(state.pendingGroup, group[2]);
        state.pendingGroup = null;
      }
      state.current = null;
      state.inTable = false;
      return;
    }
    if (state.pendingGroup !== null) {
      groupHeadings.set(state.pendingGroup, text);
      state.pendingGroup = null;
      return;
    }
    const rec = /^Recommendation (\d\.\d+)\s*(.*)$/.exec(text);
    if (rec) {
      state.current = { number: rec[1] ?? '', text: '', findings: [], outcome: '', anticipatedEvidence: '', rows: [] };
      recommendations.push(state.current);
      state.inTable = false;
      const rest = rec[2] ?? '';
      if (rest) takeParagraph(rest);
      return;
    }
    if (!state.current) return; // page headers, the foreword etc.
    const see = /^(.*?)\s*\(See ([\d. ]+)\)$/.exec(text);
    if (see) {
      if (see[1]) state.current.text = squash(`${state.current.text} ${see[1]}`);
      state.current.findings = (see[2] ?? '').trim().split(/\s+/);
      return;
    }
    const outcome = /^Outcome:\s*(.*)$/.exec(text);
    if (outcome) {
      state.current.outcome = outcome[1] ?? '';
      return;
    }
    if (/^Rotherham Review of Health Services/.test(text)) return; // running page header
    if (state.inTable)
      throw new Error(`unexpected paragraph inside recommendation ${state.current.number}'s table: ${text}`);
    state.current.text = squash(`${state.current.text} ${text}`);
  };

  for (const item of items) {
    if (item.kind === 'p') takeParagraph(item.text);
    else if (item.kind === 'header') {
      if (!state.current) throw new Error('action table before any recommendation');
      state.inTable = true;
    } else {
      const rec: PlanRecommendation | null = state.current;
      if (!rec || !state.inTable) throw new Error(`table row outside a recommendation: ${JSON.stringify(item.row)}`);
      const anticipated = item.row.find((c) => /^Anticipated Evidence/.test(c[0] ?? ''));
      if (anticipated) {
        if (item.row.filter((c) => c.length > 0).length !== 1)
          throw new Error(`anticipated evidence row with other cells in ${rec.number}`);
        const paragraphs = anticipated.map(tidyParagraph);
        paragraphs[0] = (paragraphs[0] ?? '').replace(/^Anticipated Evidence:?\s*/, '');
        rec.anticipatedEvidence = paragraphs.filter((p) => p !== '').join('\n');
        state.inTable = false;
        continue;
      }
      rec.rows.push(rowToRaw(item.row));
    }
  }
  return { groupHeadings, recommendations, versions, planIssued };
}

function startsWithMatch(row: RawRow, match: RowMatch): boolean {
  return (row[match.column][0] ?? '').startsWith(match.startsWith);
}

function joinCells(upper: string[], lower: string[], separator: Separator | undefined, where: string): string[] {
  if (lower.length === 0) return upper;
  if (upper.length === 0) return lower;
  if (separator === undefined)
    throw new Error(`${where}: both cells have text; the correction must say how to join them`);
  if (separator === 'same') {
    if (upper.join('\n') !== lower.join('\n')) throw new Error(`${where}: cells are not the same`);
    return upper;
  }
  if (separator === '\n') return [...upper, ...lower];
  const last = upper[upper.length - 1] ?? '';
  return [...upper.slice(0, -1), `${last} ${lower[0] ?? ''}`, ...lower.slice(1)];
}

function applyCorrections(rec: PlanRecommendation, used: Set<RowCorrection>): RawRow[] {
  const rows = rec.rows.map((r) => ({ ...r }));
  for (const correction of ROW_CORRECTIONS.filter((c) => c.recommendation === rec.number && c.kind === 'shift-right')) {
    const row = uniqueMatch(rows, (r) => startsWithMatch(r, correction.match), `correction in ${rec.number}`);
    if (row.action.length > 0 || row.agency.length > 0)
      throw new Error(`shift-right in ${rec.number}: action cell is not empty`);
    row.action = row.lead;
    row.lead = row.date;
    row.date = row.progress;
    row.progress = [];
    used.add(correction);
  }
  for (const correction of ROW_CORRECTIONS.filter((c) => c.recommendation === rec.number && c.kind === 'join')) {
    if (correction.kind !== 'join') continue;
    const index = rows.findIndex((r) => startsWithMatch(r, correction.match));
    if (index < 1 || rows.filter((r) => startsWithMatch(r, correction.match)).length !== 1) {
      throw new Error(`join in ${rec.number} (${correction.match.startsWith}): expected one row below another`);
    }
    const lower = rows[index] as RawRow;
    const upper = rows[index - 1] as RawRow;
    if (lower.agency.length > 0) throw new Error(`join in ${rec.number}: the lower row names an agency`);
    for (const column of COLUMNS) {
      upper[column] = joinCells(
        upper[column],
        lower[column],
        correction.separators[column],
        `join in ${rec.number}, ${column}`,
      );
    }
    rows.splice(index, 1);
    used.add(correction);
  }
  return rows;
}

function buildActions(rec: PlanRecommendation, used: Set<RowCorrection>): DemoAction[] {
  const rows = applyCorrections(rec, used);
  let agency = '';
  return rows.map((row, i) => {
    const where = `recommendation ${rec.number}, action row ${i + 1}`;
    if (row.agency.length > 0) agency = squash(row.agency.map(tidyParagraph).join(' '));
    if (agency === '') throw new Error(`${where}: no agency`);
    const action = cellText(row.action);
    // Any row that still looks like a fragment needs an explicit correction above.
    if (action === '') throw new Error(`${where}: empty action (needs a join)`);
    if (/^[a-z]/.test(action))
      throw new Error(`${where}: action starts mid-sentence (needs a join): ${action.slice(0, 60)}`);
    if (row.lead.length === 0 || row.date.length === 0) throw new Error(`${where}: empty lead or date (needs a join)`);
    const agencies = AGENCY_ORGANISATIONS[agency];
    if (!agencies) throw new Error(`${where}: agency "${agency}" is not mapped to organisations`);
    return {
      agency,
      agencies: [...agencies],
      action,
      lead: cellText(row.lead),
      dateWords: cellText(row.date),
      progress: cellText(row.progress),
    };
  });
}

// ---------------------------------------------------------------------------------
// Assemble, check, write

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export async function buildRotherham(): Promise<{ dataset: DemoDataset; notes: string[] }> {
  const md = fs.readFileSync(REPORT_MD, 'utf8');
  const report = readReport(md);
  const plan = await readPlan();
  const notes: string[] = [];
  const problems: string[] = [];

  notes.push(...(await crossCheckReportDocx(report.findings)).map((p) => `report cross-check: ${p}`));

  const used = new Set<RowCorrection>();
  const recommendations: DemoRecommendation[] = report.recommendations.map((r) => {
    const planned = plan.recommendations.find((p) => p.number === r.number);
    if (!planned) throw new Error(`recommendation ${r.number} is not in the plan`);
    const plainQuotes = (s: string): string => s.replace(/[‘’]/g, "'").replace(/[“”]/g, '"');
    if (plainQuotes(planned.text) !== plainQuotes(r.text))
      notes.push(`recommendation ${r.number}: plan text differs from report: "${planned.text}"`);
    return {
      number: r.number,
      group: r.group,
      text: r.text,
      findings: planned.findings,
      outcome: tidyParagraph(planned.outcome),
      anticipatedEvidence: planned.anticipatedEvidence,
      actions: buildActions(planned, used),
    };
  });
  if (plan.recommendations.length !== recommendations.length)
    problems.push('the plan and the report list different recommendations');
  for (const c of ROW_CORRECTIONS)
    if (!used.has(c)) problems.push(`correction not used: ${c.recommendation} ${c.match.startsWith}`);
  for (const [n, heading] of plan.groupHeadings) notes.push(`plan group ${n} heading: "${heading}"`);

  // Cross-references: (See …) lists against report pointers.
  const numbers = new Set(recommendations.map((r) => r.number));
  for (const f of report.findings) {
    for (const p of f.recommendations)
      if (!numbers.has(p)) problems.push(`finding ${f.number} points to missing recommendation ${p}`);
  }
  for (const r of recommendations) {
    const pointing = report.findings.filter((f) => f.recommendations.includes(r.number)).map((f) => f.number);
    if (!sameList(pointing, r.findings))
      problems.push(
        `recommendation ${r.number}: (See ${r.findings.join(' ')}) but pointers from ${pointing.join(' ')}`,
      );
    if (r.actions.length === 0) problems.push(`recommendation ${r.number} has no actions`);
  }
  if (recommendations.length !== 24) problems.push(`expected 24 recommendations, found ${recommendations.length}`);
  if (report.groups.length !== 4) problems.push(`expected 4 groups, found ${report.groups.length}`);
  const orgKeys = new Set(ORGANISATIONS.map((o) => o.key));
  const referenced = [
    ...report.groups.flatMap((g) => g.organisations),
    ...recommendations.flatMap((r) => r.actions.flatMap((a) => a.agencies)),
    ...report.review.coveredOrganisations,
    report.review.leadOrganisation,
  ];
  for (const key of referenced) if (!orgKeys.has(key)) problems.push(`unknown organisation key ${key}`);
  if (problems.length > 0) throw new Error(`build checks failed:\n- ${problems.join('\n- ')}`);

  const dataset: DemoDataset = {
    review: report.review,
    organisations: ORGANISATIONS,
    findings: report.findings,
    groups: report.groups,
    recommendations,
    versions: plan.versions,
    planIssued: plan.planIssued,
  };
  return { dataset, notes };
}

function writeJson(name: string, value: unknown): void {
  fs.writeFileSync(new URL(name, DATA_DIR), `${JSON.stringify(value, null, 2)}\n`);
}

async function main(): Promise<void> {
  const { dataset, notes } = await buildRotherham();
  const illustrative = buildIllustrativeLayer(dataset);
  fs.mkdirSync(new URL('sources/', DATA_DIR), { recursive: true });
  fs.copyFileSync(REPORT_MD, new URL('sources/rotherham-2015-cqc-report.md', DATA_DIR));
  writeJson('rotherham-2015.json', dataset);
  writeJson('rotherham-2015-illustrative.json', illustrative);

  const count = (section: string): number => dataset.findings.filter((f) => f.section === section).length;
  const sections = [...new Set(dataset.findings.map((f) => f.section))];
  console.log(`findings: ${dataset.findings.length} (${sections.map((s) => `${s} ${count(s)}`).join(', ')})`);
  console.log(
    `recommendations: ${dataset.recommendations.length}; ` +
      `actions: ${dataset.recommendations.reduce((n, r) => n + r.actions.length, 0)}`,
  );
  console.log(
    `actions per recommendation: ${dataset.recommendations.map((r) => `${r.number}:${r.actions.length}`).join(' ')}`,
  );
  console.log(`illustrative entries: ${illustrative.actions.length}`);
  for (const note of notes) console.log(`note: ${note}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1])) {
  await main();
}
