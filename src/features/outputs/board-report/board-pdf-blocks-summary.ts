// The summary part of the board report as blocks: the overall sentences, counts by rating,
// the table by organisation, the due-date position and the trend since the last board.
import { NO_RATING, RATING_NAMES } from '../../../domain/ratings.ts';
import type { BoardReport } from './board-report.ts';
import {
  countColumns,
  heading,
  paragraph,
  SECTION_TITLES,
  type Block,
  type Cell,
  type Column,
} from './board-pdf-blocks-base.ts';

export function summaryBlocks(report: BoardReport): Block[] {
  return [
    heading(2, SECTION_TITLES.summary),
    ...report.summary.sentences.map((sentence) => paragraph(sentence)),
    ...countBlocks(report),
    ...organisationBlocks(report),
    ...dueBlocks(report),
    ...lastingBlocks(report),
    heading(3, 'Trend since the last board'),
    ...report.summary.trend.map((sentence) => paragraph(sentence)),
  ];
}

function countBlocks(report: BoardReport): Block[] {
  const { counts, totalActions } = report.summary;
  const rows: Cell[][] = [
    ...report.key.map((entry): Cell[] => [
      { text: entry.name, rating: entry.rating },
      { text: entry.meaning },
      { text: String(counts[entry.rating]) },
    ]),
    [{ text: RATING_NAMES.none, rating: 'none' }, { text: NO_RATING.meaning }, { text: String(counts.none) }],
    [{ text: 'All actions', bold: true }, { text: '' }, { text: String(totalActions), bold: true }],
  ];
  return [
    heading(3, 'Actions by rating'),
    {
      kind: 'table',
      columns: [
        { header: 'Rating', width: 0.25 },
        { header: 'What it means', width: 0.55 },
        { header: 'Actions', width: 0.2, align: 'right' },
      ],
      rows,
    },
  ];
}

function organisationBlocks(report: BoardReport): Block[] {
  const ratings = countColumns(report);
  const share = 0.5 / (ratings.length + 1);
  const columns: Column[] = [
    { header: 'Organisation', width: 1 - share * (ratings.length + 1) },
    ...ratings.map((column) => ({ ...column, width: share })),
    { header: 'Total', width: share, align: 'right' },
  ];
  const rows = report.summary.byOrganisation.map((org): Cell[] => [
    { text: org.organisation },
    ...ratings.map((column) => ({ text: String(org.counts[column.rating]) })),
    { text: String(org.total), bold: true },
  ]);
  return [
    heading(3, 'Actions by organisation'),
    rows.length > 0 ? { kind: 'table', columns, rows } : paragraph('No organisation has an action yet.'),
  ];
}

function dueBlocks(report: BoardReport): Block[] {
  const { due } = report.summary;
  const blocks: Block[] = [heading(3, 'Due dates')];
  if (due.planDueWords) blocks.push(paragraph(due.planDueWords));
  const rows: [string, number][] = [
    ['Past their date and not completed', due.overdue],
    ['Due in the next 30 days', due.dueWithin30Days],
    ['Due later', due.dueLater],
    ['No date that can be worked out', due.noDate],
    ['Completed', due.completed],
  ];
  blocks.push(...due.sentences.map((sentence) => paragraph(sentence)), {
    kind: 'table',
    columns: [
      { header: 'Actions', width: 0.7 },
      { header: 'Number', width: 0.3, align: 'right' },
    ],
    rows: rows.map(([words, n]) => [{ text: words }, { text: String(n) }]),
  });
  return blocks;
}

/** Completed actions by where their lasting assurance stands, lapsed counted on its own. */
function lastingBlocks(report: BoardReport): Block[] {
  const { lasting } = report.summary;
  return [
    heading(3, 'Lasting assurance'),
    ...lasting.sentences.map((sentence) => paragraph(sentence)),
    {
      kind: 'table',
      columns: [
        { header: 'Completed actions', width: 0.7 },
        { header: 'Number', width: 0.3, align: 'right' },
      ],
      rows: lastingRows(report).map(([words, n, bold]) => [
        { text: words, bold },
        { text: String(n), bold },
      ]),
    },
  ];
}

/** The rows of the lasting assurance table: words, count, and whether the row is the lapsed one. */
export function lastingRows(report: BoardReport): [string, number, boolean][] {
  const { lasting } = report.summary;
  return [
    ['Assurance lapsed', lasting.lapsed, true],
    ['Assurance held: fresh evidence accepted', lasting.held, false],
    ['Fresh evidence due on a day still to come', lasting.due, false],
    ['No day set for fresh evidence', lasting.noDate, false],
  ];
}
