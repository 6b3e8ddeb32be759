// "What changed since the last board" as blocks: each kind of change as its own small table,
// field by field with the words before and after, so a board member can see exactly what moved.
import { formatLongDate } from '../../../domain/dates.ts';
import { RATING_NAMES, type Rating } from '../../../domain/ratings.ts';
import type { FieldChange, PlanComparison } from '../../../domain/plan-comparison.ts';
import type { BoardReport } from './board-report.ts';
import { heading, paragraph, SECTION_TITLES, type Block, type Cell, type Column } from './board-pdf-blocks-base.ts';
import { plural } from '../../../domain/words.ts';

export function changesBlocks(report: BoardReport): Block[] {
  const blocks: Block[] = [heading(2, SECTION_TITLES.changes)];
  const changes = report.changes;
  if (changes === null)
    return [
      ...blocks,
      paragraph('No earlier version of the plan was issued, so there is nothing to compare with yet.'),
    ];
  if (changes.unchanged)
    return [
      ...blocks,
      paragraph(`Nothing in the plan has changed between ${changes.from.label} and ${changes.to.label}.`),
    ];
  blocks.push(paragraph(`This compares ${changes.from.label} with ${changes.to.label}. ${inShort(changes)}`.trim()));
  for (const part of changeParts(changes)) {
    if (part.rows.length === 0) continue;
    if (part.title) blocks.push(heading(3, part.title));
    if (part.caption) blocks.push(paragraph(part.caption, 'caption'));
    blocks.push({ kind: 'table', columns: part.columns, rows: part.rows });
  }
  return blocks;
}

/** "In short: 1 action added, 3 ratings changed.": the changes at a glance, before the detail. */
function inShort(c: PlanComparison): string {
  const parts: [number, string, string][] = [
    [c.addedRecommendations.length, 'recommendation added', 'recommendations added'],
    [c.removedRecommendations.length, 'recommendation removed', 'recommendations removed'],
    [c.changedRecommendations.length, 'recommendation changed', 'recommendations changed'],
    [c.addedActions.length, 'action added', 'actions added'],
    [c.removedActions.length, 'action removed', 'actions removed'],
    [c.changedActions.length, 'action changed', 'actions changed'],
    [c.ratingChanges.length, 'rating changed', 'ratings changed'],
    [c.newProgress.length, 'new progress update', 'new progress updates'],
    [c.newEvidence.length, 'new piece of evidence', 'new pieces of evidence'],
    [c.evidenceDecisions.length, 'evidence decision changed', 'evidence decisions changed'],
  ];
  const said = parts.filter(([n]) => n > 0).map(([n, one, many]) => plural(n, one, many));
  return said.length === 0 ? '' : `In short: ${said.join(', ')}.`;
}

interface ChangePart {
  /** A heading of its own, or none when the part continues the one before (evidence decisions). */
  title: string | null;
  caption?: string;
  columns: Column[];
  rows: Cell[][];
}

const EVIDENCE_STATUS_WORDS = {
  submitted: 'Submitted, not yet decided',
  accepted: 'Accepted',
  rejected: 'Rejected',
} as const;

const RECOMMENDATION_COLUMNS: Column[] = [
  { header: 'Recommendation', width: 0.18 },
  { header: 'What it asks', width: 0.82 },
];

const ACTION_COLUMNS: Column[] = [
  { header: 'Action', width: 0.24 },
  { header: 'Agency or service', width: 0.2 },
  { header: 'SMART action', width: 0.56 },
];

function fieldColumns(label: string): Column[] {
  return [
    { header: label, width: 0.22 },
    { header: 'What changed', width: 0.16 },
    { header: 'Before', width: 0.31 },
    { header: 'After', width: 0.31 },
  ];
}

function fieldRows(label: string, changes: FieldChange[]): Cell[][] {
  return changes.map((c) => [
    { text: label },
    { text: c.field },
    { text: c.before || '(empty)' },
    { text: c.after || '(empty)' },
  ]);
}

function ratingCell(rating: Rating | null): Cell {
  return rating === null ? { text: RATING_NAMES.none, rating: 'none' } : { text: RATING_NAMES[rating], rating };
}

function changeParts(c: PlanComparison): ChangePart[] {
  const newEvidenceTitle =
    c.newEvidence.length > 0 || c.evidenceDecisions.length > 0 ? 'New evidence and decisions on evidence' : null;
  return [
    {
      title: 'Recommendations added',
      columns: RECOMMENDATION_COLUMNS,
      rows: c.addedRecommendations.map((r) => [{ text: r.number }, { text: r.text }]),
    },
    {
      title: 'Recommendations removed',
      columns: RECOMMENDATION_COLUMNS,
      rows: c.removedRecommendations.map((r) => [{ text: r.number }, { text: r.text }]),
    },
    {
      title: 'Recommendations changed',
      columns: fieldColumns('Recommendation'),
      rows: c.changedRecommendations.flatMap((r) => fieldRows(`Recommendation ${r.number}`, r.changes)),
    },
    {
      title: 'Actions added',
      columns: ACTION_COLUMNS,
      rows: c.addedActions.map((a) => [{ text: a.label }, { text: a.agency }, { text: a.action }]),
    },
    {
      title: 'Actions removed',
      columns: ACTION_COLUMNS,
      rows: c.removedActions.map((a) => [{ text: a.label }, { text: a.agency }, { text: a.action }]),
    },
    {
      title: 'Actions changed',
      columns: fieldColumns('Action'),
      rows: c.changedActions.flatMap((a) => fieldRows(a.label, a.changes)),
    },
    {
      title: 'Ratings changed',
      columns: [
        { header: 'Action', width: 0.5 },
        { header: 'Rating before', width: 0.25 },
        { header: 'Rating now', width: 0.25 },
      ],
      rows: c.ratingChanges.map((r) => [{ text: r.label }, ratingCell(r.before), ratingCell(r.after)]),
    },
    {
      title: 'New progress',
      columns: [
        { header: 'Date', width: 0.15 },
        { header: 'Action', width: 0.22 },
        { header: 'Progress', width: 0.45 },
        { header: 'By', width: 0.18 },
      ],
      rows: c.newProgress.map((p) => [
        { text: formatLongDate(p.on) },
        { text: p.label },
        { text: p.text },
        { text: p.author },
      ]),
    },
    {
      title: newEvidenceTitle,
      caption: 'New evidence',
      columns: [
        { header: 'Dated', width: 0.15 },
        { header: 'Action', width: 0.22 },
        { header: 'Evidence', width: 0.4 },
        { header: 'Decision', width: 0.23 },
      ],
      rows: c.newEvidence.map((e) => [
        { text: formatLongDate(e.effectiveOn) },
        { text: e.label },
        { text: e.title },
        { text: EVIDENCE_STATUS_WORDS[e.status] },
      ]),
    },
    {
      title: c.newEvidence.length > 0 ? null : newEvidenceTitle,
      caption: 'Decisions changed on earlier evidence',
      columns: [
        { header: 'Action', width: 0.26 },
        { header: 'Evidence', width: 0.4 },
        { header: 'Before', width: 0.17 },
        { header: 'Now', width: 0.17 },
      ],
      rows: c.evidenceDecisions.map((e) => [
        { text: e.label },
        { text: e.title },
        { text: e.before },
        { text: e.after },
      ]),
    },
  ];
}
