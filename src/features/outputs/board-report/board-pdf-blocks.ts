// The board report laid out once as a list of document blocks (headings, paragraphs, tables,
// charts) in reading order. The PDF and Word writers both draw this list, so the two files
// carry the same content in the same order, and the same words as the HTML report
// (board-html.ts and views/board-report.njk); they differ only in how each format prints it.
import type { RatingOrNone } from '../../../domain/ratings.ts';
import type { BoardReport, ChartSpec } from './board-report.ts';
import { countColumns, heading, paragraph, SECTION_TITLES, type Block, type Cell } from './board-pdf-blocks-base.ts';
import { plural } from '../../../domain/words.ts';
import { changesBlocks } from './board-pdf-blocks-changes.ts';
import { summaryBlocks } from './board-pdf-blocks-summary.ts';
import { questionBlocks } from '../meeting-documents/questions-blocks.ts';

/** The report, top to bottom, in the order of the HTML report. */
export function boardBlocks(report: BoardReport): Block[] {
  return [
    ...openingBlocks(report),
    ...keyBlocks(report),
    ...summaryBlocks(report),
    ...chartBlocks(report),
    ...changesBlocks(report),
    ...exceptionBlocks(report),
    ...deadlineBlocks(report),
    ...lapsedBlocks(report),
    ...(report.questions ? questionBlocks(report.questions, 2) : []),
    ...recommendationBlocks(report),
  ];
}

function openingBlocks(report: BoardReport): Block[] {
  const blocks: Block[] = [
    heading(1, report.title),
    paragraph(report.reviewTitle, 'lede'),
    paragraph(`This report shows: ${report.basisWords}`, 'basis'),
    paragraph(`Position as at: ${report.asOfWords}`),
    paragraph(
      `Compared with: ${report.previousWords ?? 'No earlier version was issued, so there is nothing to compare with.'}`,
    ),
  ];
  if (report.illustrativeNotice) blocks.push(paragraph(`Please note: ${report.illustrativeNotice}`, 'notice'));
  return blocks;
}

function keyBlocks(report: BoardReport): Block[] {
  return [
    heading(2, SECTION_TITLES.key),
    paragraph('Each rating is shown in words as well as in colour.'),
    {
      kind: 'table',
      columns: [
        { header: 'Rating', width: 0.3 },
        { header: 'What it means', width: 0.7 },
      ],
      rows: report.key.map((entry) => [{ text: entry.name, rating: entry.rating }, { text: entry.meaning }]),
    },
  ];
}

function chartBlocks(report: BoardReport): Block[] {
  const charts = [report.charts.byOrganisation, report.charts.overTime];
  return [
    heading(2, SECTION_TITLES.charts),
    paragraph('Each chart is followed by a table of the same numbers.'),
    ...charts.flatMap((chart): Block[] => [
      heading(3, chart.title),
      { kind: 'figure', chart },
      paragraph(`${chart.title}. The numbers are in the table below.`, 'caption'),
      chartTable(report, chart),
    ]),
  ];
}

/** The chart's numbers as a table, so nothing it shows depends on seeing colour (WCAG 2.2, 1.4.1). */
function chartTable(report: BoardReport, chart: ChartSpec): Block {
  const present = countColumns(report).filter((column) => chart.series.some((s) => s.key === column.rating));
  const valuesOf = (rating: RatingOrNone | undefined) => chart.series.find((s) => s.key === rating)?.values ?? [];
  const rows = chart.categories.map((category, i): Cell[] => {
    const values = present.map((column) => valuesOf(column.rating)[i] ?? 0);
    return [
      { text: category },
      ...values.map((v) => ({ text: String(v) })),
      { text: String(values.reduce((a, b) => a + b, 0)), bold: true },
    ];
  });
  const share = 0.5 / (present.length + 1);
  return {
    kind: 'table',
    columns: [
      { header: chart.categoryAxisName, width: 1 - share * (present.length + 1) },
      ...present.map((column) => ({ ...column, width: share })),
      { header: 'Total', width: share, align: 'right' as const },
    ],
    rows,
  };
}

function exceptionBlocks(report: BoardReport): Block[] {
  const blocks: Block[] = [heading(2, SECTION_TITLES.exceptions)];
  const groups = report.exceptions.filter((group) => group.items.length > 0);
  if (groups.length === 0) {
    return [
      ...blocks,
      paragraph(
        'There are no exceptions: no action is overdue, out of date, rated without evidence, ' +
          'disputed or not SMART, and every organisation has actions of its own.',
      ),
    ];
  }
  const count = groups.reduce((n, group) => n + group.items.length, 0);
  blocks.push(
    paragraph(
      'These are the questions a board or scrutiny panel is likely to ' +
        `ask: ${plural(count, 'exception', 'exceptions')} in all, grouped by kind, each with its reason.`,
    ),
  );
  for (const group of groups) {
    blocks.push(heading(3, `${group.kindWords} (${group.items.length})`), {
      kind: 'table',
      columns: [
        { header: 'Item', width: 0.27 },
        { header: 'Recommendation', width: 0.18 },
        { header: 'Reason', width: 0.55 },
      ],
      rows: group.items.map((item) => [
        { text: item.label },
        { text: item.recommendationNumber ?? 'None' },
        { text: item.reason },
      ]),
    });
  }
  return blocks;
}

/** Moved due dates: the date first agreed, the date now, how often it moved, and any revised date waiting. */
function deadlineBlocks(report: BoardReport): Block[] {
  const blocks: Block[] = [heading(2, SECTION_TITLES.deadlines)];
  const { known, items } = report.deadlines;
  if (!known) return [...blocks, paragraph(DEADLINES_UNKNOWN)];
  if (items.length === 0) return [...blocks, paragraph(NO_MOVED_DEADLINES)];
  blocks.push(paragraph(DEADLINES_INTRO), {
    kind: 'table',
    columns: [
      { header: 'Action', width: 0.24 },
      { header: 'Recommendation', width: 0.14 },
      { header: 'First agreed', width: 0.16 },
      { header: 'Now due', width: 0.16 },
      { header: 'Times moved', width: 0.1, align: 'right' },
      { header: 'Revised date proposed', width: 0.2 },
    ],
    rows: items.map((item) => [
      { text: item.label },
      { text: item.recommendationNumber ?? 'None' },
      { text: item.originalWords },
      { text: item.currentWords },
      { text: String(item.moves) },
      { text: item.proposedWords },
    ]),
  });
  return blocks;
}

export const DEADLINES_INTRO =
  'A due date moves only when the plan coordinator agrees it. These actions have a due date that moved ' +
  'since it was first agreed, or a revised date waiting for agreement; until it is agreed the action counts ' +
  'against the date it is now due.';
export const NO_MOVED_DEADLINES = 'No due date has moved since it was agreed, and no revised date is waiting.';
export const DEADLINES_UNKNOWN =
  'This version was issued before Clasp kept the history of due dates, so it cannot say which moved.';

/** Completed actions whose lasting assurance lapsed, each on its own row, told apart from the rest. */
function lapsedBlocks(report: BoardReport): Block[] {
  const blocks: Block[] = [heading(2, SECTION_TITLES.lapsed)];
  if (report.lapsed.length === 0) return [...blocks, paragraph(NO_LAPSED)];
  blocks.push(paragraph(LAPSED_INTRO), {
    kind: 'table',
    columns: [
      { header: 'Action', width: 0.22 },
      { header: 'Recommendation', width: 0.14 },
      { header: 'Status', width: 0.16 },
      { header: 'Fresh evidence was due', width: 0.16 },
      { header: 'How its effect was to be shown to last', width: 0.32 },
    ],
    rows: report.lapsed.map((item) => [
      { text: item.label },
      { text: item.recommendationNumber ?? 'None' },
      { text: item.statusWords, bold: true },
      { text: item.dueWords },
      { text: item.sustainHow },
    ]),
  });
  return blocks;
}

export const LAPSED_INTRO =
  'These actions were agreed complete, but the day by which fresh accepted evidence was due has passed ' +
  'without it, so their effect is no longer shown to last.';
export const NO_LAPSED = 'No completed action has passed its day for fresh evidence without it.';

function recommendationBlocks(report: BoardReport): Block[] {
  const blocks: Block[] = [
    heading(2, SECTION_TITLES.recommendations),
    paragraph(
      "A recommendation's rating is the worst rating among its actions, " +
        'so one red action is never hidden behind green ones, and while an action is not rated the recommendation ' +
        'cannot be Green or Blue. The basis says what the rating rests on.',
    ),
  ];
  for (const r of report.recommendations) {
    blocks.push(heading(3, `Recommendation ${r.number}`), paragraph(r.text), {
      kind: 'table',
      columns: [
        { header: 'Rating', width: 0.24 },
        { header: 'Actions', width: 0.12, align: 'right' },
        { header: 'Basis of the rating', width: 0.64 },
      ],
      rows: [[{ text: r.ratingWords, rating: r.rating }, { text: String(r.actions) }, { text: r.basisWords }]],
    });
  }
  return blocks;
}
