// The body of the plan in the block template users know (the Rotherham plan): per group its
// heading and addressees; per recommendation its heading, text, "(See …)", outcome and a table of
// its actions with an "Anticipated Evidence" row; then the evidence received.
//
// The layout also reads back: Clasp's own plan importer (src/features/imports/plan) takes this
// document back to the same recommendations, actions, dates, ratings, progress entries, agreement
// details, organisations taking part and evidence items. That is why evidence items are listed
// below the table, one line each in the form the importer splits back ("Action 2: title | dated
// … | …", domain/evidence-lines.ts), rather than in the progress cell (the importer would read
// them as progress); why progress entries start "14 July 2016 – "; why the rating cell says
// "Agreed 16 June 2016 by Peer challenge group"; and why the agency cell ends "Taking part: …".
import { evidenceItemLine, progressLabel } from './plan-table.ts';
import { agreedAtWords, dueDateMovesWords, snapshotLastingAssurance } from '../../../domain/plan-snapshot.ts';
import { LASTING_ASSURANCE_NAMES, type LastingAssuranceState } from '../../../domain/lasting-assurance.ts';
import { HeadingLevel, Paragraph, Table, TableLayoutType, TableRow, TextRun, WidthType } from 'docx';
import { RATING_COLOURS, ratingLabel, type RatingScale } from '../../../domain/ratings.ts';
import type {
  PlanSnapshot,
  SnapshotAction,
  SnapshotEvidence,
  SnapshotGroup,
  SnapshotRecommendation,
} from '../../../domain/plan-snapshot.ts';
import {
  anchorsOf,
  CELL_TEXT,
  cell,
  cellParagraphs,
  columnWidths,
  headerRow,
  labelled,
  linesOf,
  longDate,
  NumberedBookmark,
  paragraphsOf,
  runsWithBreaks,
  TEXT_WIDTH,
  textRun,
  wordColour,
} from './plan-docx-parts.ts';
import type { Anchor } from './plan-docx-parts.ts';

const ACTION_WIDTHS = columnWidths([13, 27, 14, 10, 26, 10]);

/** What every action row is drawn with: the plan's scale and each action's lasting assurance. */
interface PlanView {
  scale: RatingScale;
  lasting: ReadonlyMap<number, LastingAssuranceState>;
  /** Organisation names by id. */
  organisations: ReadonlyMap<number, string>;
}

function actionHeadings(scale: RatingScale): string[] {
  return [
    'Agency/Service',
    'SMART Action',
    'Lead Officer and Key Personnel',
    'Date of Action',
    'Progress, Evidence, Date',
    scale,
  ];
}

/** A dated entry, one paragraph each, in a form the importer splits on: "14 July 2016 – text". */
function progressParagraphs(action: SnapshotAction): Paragraph[] {
  return action.progress.map(
    (entry) =>
      new Paragraph({
        style: CELL_TEXT,
        children: [textRun({ text: progressLabel(entry), bold: true }), ...runsWithBreaks(entry.text)],
      }),
  );
}

function evidenceCount(items: SnapshotEvidence[]): string {
  if (items.length === 0) return 'No evidence yet';
  const counts = [
    ['accepted', items.filter((e) => e.status === 'accepted').length],
    ['awaiting a decision', items.filter((e) => e.status === 'submitted').length],
    ['rejected', items.filter((e) => e.status === 'rejected').length],
  ] as const;
  return `Evidence: ${counts
    .filter(([, n]) => n > 0)
    .map(([words, n]) => `${n} ${words}`)
    .join(', ')}`;
}

/**
 * Where the rating stands: agreed (when, by whom, at which meeting), proposed and awaiting
 * agreement, disputed. The first line reads back as the agreement ("Agreed 16 June 2016 by Peer
 * challenge group"); the meeting's words are for the reader.
 */
function ratingStatus(action: SnapshotAction): string[] {
  const lines: string[] = [];
  if (action.ratingStatus === 'agreed') {
    const by = action.agreedBy ? ` by ${action.agreedBy.replace(/\s+/g, ' ').trim()}` : '';
    lines.push(action.agreedOn ? `Agreed ${longDate(action.agreedOn)}${by}` : 'Agreed');
    if (action.agreedAt) lines.push(agreedAtWords(action.agreedAt));
  }
  if (action.ratingStatus === 'proposed') lines.push('Proposed, awaiting agreement');
  if (action.disputed) lines.push('Disputed');
  return lines;
}

/** The rating cell: its colour, and the same rating in words, so it never relies on colour alone (WCAG 2.2, 1.4.1). */
function ratingCell(action: SnapshotAction, view: PlanView, width: number) {
  const { scale } = view;
  const colours = RATING_COLOURS[action.rating ?? 'none'];
  const run = { color: wordColour(colours.text) };
  // A moved deadline is told here, not in the date cell, which an import reads as the due date.
  const moved = dueDateMovesWords(action);
  const lines = [...ratingStatus(action), evidenceCount(action.evidence), ...(moved ? [moved] : [])];
  return cell(
    [
      new Paragraph({
        style: CELL_TEXT,
        children: [textRun({ ...run, text: ratingLabel(scale, action.rating), bold: true })],
      }),
      ...lines.map((line) => new Paragraph({ style: CELL_TEXT, children: [new TextRun({ ...run, text: line })] })),
      ...lastingParagraphs(action, view, run.color),
    ],
    { width, fill: wordColour(colours.fill) },
  );
}

/** The date words as the plan gives them; the date itself when there are no words. */
function dateOfAction(action: SnapshotAction): string {
  return action.dateWords.trim() !== '' ? action.dateWords : (longDate(action.dueDate) ?? '');
}

/**
 * A completed action's lasting assurance, under its rating. A lapsed one says "Assurance
 * lapsed" in bold and underlined, so a reader cannot take the completion as still shown to last.
 */
function lastingParagraphs(action: SnapshotAction, view: PlanView, color: string): Paragraph[] {
  const state = view.lasting.get(action.id) ?? 'not_complete';
  if (state === 'not_complete') return [];
  const words =
    state === 'lapsed' && action.reassuranceDueOn
      ? `${LASTING_ASSURANCE_NAMES.lapsed}: fresh evidence was due ${longDate(action.reassuranceDueOn)}`
      : state === 'due' && action.reassuranceDueOn
        ? `${LASTING_ASSURANCE_NAMES.due} by ${longDate(action.reassuranceDueOn)}`
        : LASTING_ASSURANCE_NAMES[state];
  const out = [
    new Paragraph({
      style: CELL_TEXT,
      children: [
        textRun({ text: words, color, bold: state === 'lapsed', underline: state === 'lapsed' ? {} : undefined }),
      ],
    }),
  ];
  if (action.sustainHow?.trim())
    out.push(
      new Paragraph({
        style: CELL_TEXT,
        children: [new TextRun({ text: `To last: ${action.sustainHow.trim()}`, color })],
      }),
    );
  return out;
}

/** The agency as the plan words it, then every organisation taking part, as the importer reads them back. */
function agencyParagraphs(action: SnapshotAction, view: PlanView): Paragraph[] {
  const names = action.organisationIds.flatMap((id) => view.organisations.get(id) ?? []);
  if (names.length === 0) return cellParagraphs(action.agency);
  return [
    ...(action.agency.trim() === '' ? [] : cellParagraphs(action.agency)),
    new Paragraph({
      style: CELL_TEXT,
      children: [textRun({ text: 'Taking part: ', bold: true }), new TextRun(names.join('; '))],
    }),
  ];
}

function actionRow(action: SnapshotAction, view: PlanView): TableRow {
  const w = (i: number) => ACTION_WIDTHS[i] ?? 0;
  return new TableRow({
    children: [
      cell(agencyParagraphs(action, view), { width: w(0) }),
      cell(cellParagraphs(action.action), { width: w(1) }),
      cell(cellParagraphs(action.lead), { width: w(2) }),
      cell(cellParagraphs(dateOfAction(action)), { width: w(3) }),
      cell(progressParagraphs(action), { width: w(4) }),
      ratingCell(action, view, w(5)),
    ],
  });
}

/** One cell across the table, as Rotherham has it: the label, then the evidence line by line. */
function anticipatedEvidenceRow(text: string): TableRow {
  const [first = '', ...rest] = linesOf(text);
  return new TableRow({
    children: [
      cell(
        [
          new Paragraph({
            style: CELL_TEXT,
            children: [textRun({ text: 'Anticipated Evidence: ', bold: true }), new TextRun(first)],
          }),
          ...rest.map((line) => new Paragraph({ style: CELL_TEXT, children: [new TextRun(line)] })),
        ],
        { width: TEXT_WIDTH, span: ACTION_WIDTHS.length },
      ),
    ],
  });
}

function actionsTable(rec: SnapshotRecommendation, actions: SnapshotAction[], view: PlanView): Table {
  const rows = [headerRow(actionHeadings(view.scale), ACTION_WIDTHS), ...actions.map((a) => actionRow(a, view))];
  if (linesOf(rec.anticipatedEvidence).length > 0) rows.push(anticipatedEvidenceRow(rec.anticipatedEvidence));
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: ACTION_WIDTHS,
    layout: TableLayoutType.FIXED,
    rows,
  });
}

function evidenceLine(action: SnapshotAction, item: SnapshotEvidence): Paragraph {
  return new Paragraph({
    bullet: { level: 0 },
    children: [textRun({ text: `Action ${action.number}: `, bold: true }), new TextRun(evidenceItemLine(item))],
  });
}

/**
 * The evidence behind the actions, below the table. Each line starts "Action 2:", which an
 * importer reads as no heading or label, so the lines are not taken for plan text; under the
 * heading "Evidence for recommendation 1.1" the plan importer reads them back as evidence items.
 */
function evidenceSection(rec: SnapshotRecommendation, actions: SnapshotAction[]): Paragraph[] {
  const lines = actions.flatMap((a) => a.evidence.map((item) => evidenceLine(a, item)));
  if (lines.length === 0) return [];
  return [
    new Paragraph({
      heading: HeadingLevel.HEADING_3,
      keepNext: true,
      children: [new TextRun(`Evidence for recommendation ${rec.number}`)],
    }),
    ...lines,
  ];
}

function heading(
  level: typeof HeadingLevel.HEADING_1 | typeof HeadingLevel.HEADING_2,
  text: string,
  anchor: Anchor | undefined,
  pageBreakBefore: boolean,
): Paragraph {
  const words = new TextRun(text);
  return new Paragraph({
    heading: level,
    pageBreakBefore,
    keepNext: true,
    children: [anchor ? new NumberedBookmark(anchor.name, anchor.id, [words]) : words],
  });
}

function recommendationBlock(
  rec: SnapshotRecommendation,
  actions: SnapshotAction[],
  view: PlanView,
  anchor: Anchor | undefined,
): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [
    heading(HeadingLevel.HEADING_2, `Recommendation ${rec.number}`, anchor, false),
    ...paragraphsOf(rec.text, { keepNext: true }),
  ];
  if (rec.findingNumbers.length > 0)
    out.push(new Paragraph({ keepNext: true, children: [new TextRun(`(See ${rec.findingNumbers.join(' ')})`)] }));
  // An outcome of several lines stays one paragraph: an importer takes the lines after the label as its own.
  if (rec.outcome.trim() !== '') out.push(labelled('Outcome', rec.outcome, { keepNext: true }));
  out.push(actionsTable(rec, actions, view));
  if (actions.length === 0) out.push(new Paragraph('No actions have been added to this recommendation yet.'));
  if (rec.responsibleOfficer.trim() !== '') out.push(labelled('Responsible officer', rec.responsibleOfficer));
  if (rec.assurance.trim() !== '') out.push(labelled('Assurance', rec.assurance));
  out.push(...evidenceSection(rec, actions));
  return out;
}

function groupBlock(group: SnapshotGroup, anchor: Anchor | undefined): Paragraph[] {
  const out = [heading(HeadingLevel.HEADING_1, `Recommendation ${group.number}`, anchor, true)];
  if (group.heading.trim() !== '')
    out.push(new Paragraph({ keepNext: true, children: [textRun({ text: group.heading.trim(), bold: true })] }));
  return out;
}

/** Every group and recommendation in plan order, each group starting a new page. */
export function planBody(snapshot: PlanSnapshot): (Paragraph | Table)[] {
  const anchors = anchorsOf(snapshot);
  const view: PlanView = {
    scale: snapshot.review.ratingScale,
    lasting: new Map(snapshot.actions.map((a) => [a.id, snapshotLastingAssurance(snapshot, a) ?? 'not_complete'])),
    organisations: new Map(snapshot.organisations.map((o) => [o.id, o.name])),
  };
  const out: (Paragraph | Table)[] = [];
  let groupId: number | null = null;
  for (const rec of snapshot.recommendations) {
    const group = snapshot.groups.find((g) => g.id === rec.groupId);
    if (group && rec.groupId !== groupId) out.push(...groupBlock(group, anchors.groups.get(group.id)));
    groupId = rec.groupId;
    const actions = snapshot.actions.filter((a) => a.recommendationId === rec.id);
    out.push(...recommendationBlock(rec, actions, view, anchors.recommendations.get(rec.id)));
  }
  return out;
}
