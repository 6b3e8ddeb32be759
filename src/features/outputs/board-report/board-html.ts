// The board and scrutiny report as one self-contained HTML page: inline CSS, inline SVG
// charts, no scripts and nothing fetched, so it can be saved, emailed, printed or served under
// the app's Content Security Policy. It is its own document rather than a page of the app's
// layout so that the same bytes work as a file; read inside Clasp it carries the service's
// header and breadcrumbs too (BoardHtmlOptions.inApp), and its tables reflow on a phone.
// Everything it says comes from the BoardReport; this file only turns that data into what the
// template shows.
import { lastingRows } from './board-pdf-blocks-summary.ts';
import {
  questionAskedWords,
  questionOccasion,
  questionResponseWords,
  questionsByOccasion,
  questionsSummaryWords,
} from '../meeting-documents/questions-blocks.ts';
import { DEADLINES_INTRO, DEADLINES_UNKNOWN, LAPSED_INTRO, NO_LAPSED, NO_MOVED_DEADLINES } from './board-pdf-blocks.ts';
import { NO_RATING, RATING_COLOURS, RATING_NAMES, type Rating, type RatingOrNone } from '../../../domain/ratings.ts';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { formatLongDate } from '../../../domain/dates.ts';
import type { PlanComparison } from '../../../domain/plan-comparison.ts';
import type { BoardReport, ChartSpec, RatingCountsWithNone } from './board-report.ts';
import { plural } from '../../../domain/words.ts';
import { chartSvg } from './charts.ts';

const viewsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'views');

let environment: nunjucks.Environment | undefined;

function views(): nunjucks.Environment {
  environment ??= new nunjucks.Environment(new nunjucks.FileSystemLoader(viewsDir), {
    autoescape: true,
    throwOnUndefined: true,
    trimBlocks: true,
    lstripBlocks: true,
  });
  return environment;
}

/** A rating as the page shows it: always words, and a tag class for its colours. */
interface Tag {
  rating: RatingOrNone;
  words: string;
}

interface TagStyle {
  rating: RatingOrNone;
  fill: string;
  text: string;
}

interface CountRow {
  tag: Tag;
  meaning: string;
  count: number;
}

interface Column {
  key: RatingOrNone;
  tag: Tag;
}

const HEX_COLOUR = /^#[0-9a-f]{6}$/i;

function tag(rating: RatingOrNone, words?: string): Tag {
  return { rating, words: words ?? RATING_NAMES[rating] };
}

function tagOf(rating: Rating | null): Tag {
  return tag(rating ?? 'none');
}

/**
 * The key's own colours where it gives them, the standard ones otherwise. Colours go into the
 * <style> block (an inline style attribute would break under the app's CSP), so anything that
 * is not a plain #rrggbb is refused rather than written into CSS.
 */
function tagStyles(report: BoardReport): TagStyle[] {
  const ratings: RatingOrNone[] = ['blue', 'green', 'amber', 'red', 'none'];
  return ratings.map((rating) => {
    const entry = report.key.find((k) => k.rating === rating);
    const fill = entry?.colour ?? RATING_COLOURS[rating].fill;
    const text = entry?.textColour ?? RATING_COLOURS[rating].text;
    if (!HEX_COLOUR.test(fill) || !HEX_COLOUR.test(text))
      throw new Error(`The key's colours for ${rating} are not #rrggbb: ${fill}, ${text}`);
    return { rating, fill, text };
  });
}

/** The ratings in the key's order, then "No rating": the columns of every count table. */
function columns(report: BoardReport): Column[] {
  return [
    ...report.key.map((k) => ({ key: k.rating, tag: tag(k.rating, k.name) })),
    { key: 'none' as const, tag: tag('none') },
  ];
}

function countRows(report: BoardReport): CountRow[] {
  const counts = report.summary.counts;
  return [
    ...report.key.map((k) => ({ tag: tag(k.rating, k.name), meaning: k.meaning, count: counts[k.rating] })),
    { tag: tag('none'), meaning: NO_RATING.meaning, count: counts.none },
  ];
}

function countsInOrder(cols: Column[], counts: RatingCountsWithNone): number[] {
  return cols.map((c) => counts[c.key]);
}

/** SVG properties that may be written as attributes of the element itself. */
const PRESENTATION_PROPERTIES = new Set([
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
  'dominant-baseline',
]);

/**
 * The chart's inline style attributes as presentation attributes. Under the app's CSP
 * (style-src with a nonce, no 'unsafe-inline') a browser ignores every style attribute, and
 * the labels would lose their size; presentation attributes are not styles to CSP. A
 * declaration that has no attribute form stays in a style attribute, where the browser test
 * under that CSP will catch it.
 */
function withPresentationAttributes(svg: string): string {
  return svg.replace(/ style="([^"]*)"/g, (_, declarations: string) => {
    const kept: string[] = [];
    const attributes: string[] = [];
    for (const declaration of declarations.split(';')) {
      const colon = declaration.indexOf(':');
      if (colon < 0) continue;
      const property = declaration.slice(0, colon).trim();
      const value = declaration.slice(colon + 1).trim();
      if (PRESENTATION_PROPERTIES.has(property)) attributes.push(` ${property}="${value}"`);
      else kept.push(`${property}:${value}`);
    }
    return attributes.join('') + (kept.length > 0 ? ` style="${kept.join(';')}"` : '');
  });
}

function chartView(spec: ChartSpec, cols: Column[]) {
  const series = cols.map((c) => spec.series.find((s) => s.key === c.key));
  return {
    id: spec.id,
    title: spec.title,
    // Generated markup, not user text: charts.ts escapes every name and number it writes into the SVG.
    svg: new nunjucks.runtime.SafeString(withPresentationAttributes(chartSvg(spec))),
    categoryAxisName: spec.categoryAxisName,
    valueAxisName: spec.valueAxisName,
    columns: cols.filter((_, i) => series[i] !== undefined),
    rows: spec.categories.map((category, row) => {
      const values = series.filter((s) => s !== undefined).map((s) => s.values[row] ?? 0);
      return { category, values, total: values.reduce((a, b) => a + b, 0) };
    }),
  };
}

/** "1 action added, 3 ratings changed…": the changes at a glance, before the detail. */
function changeCounts(changes: PlanComparison): string {
  const parts = [
    [changes.addedRecommendations.length, 'recommendation added', 'recommendations added'],
    [changes.removedRecommendations.length, 'recommendation removed', 'recommendations removed'],
    [changes.changedRecommendations.length, 'recommendation changed', 'recommendations changed'],
    [changes.addedActions.length, 'action added', 'actions added'],
    [changes.removedActions.length, 'action removed', 'actions removed'],
    [changes.changedActions.length, 'action changed', 'actions changed'],
    [changes.ratingChanges.length, 'rating changed', 'ratings changed'],
    [changes.newProgress.length, 'new progress update', 'new progress updates'],
    [changes.newEvidence.length, 'new piece of evidence', 'new pieces of evidence'],
    [changes.evidenceDecisions.length, 'evidence decision changed', 'evidence decisions changed'],
  ] as const;
  const said = parts.filter(([n]) => n > 0).map(([n, one, many]) => plural(n, one, many));
  return said.length === 0 ? '' : `In short: ${said.join(', ')}.`;
}

const EVIDENCE_STATUS_WORDS = {
  submitted: 'Submitted, not yet decided',
  accepted: 'Accepted',
  rejected: 'Rejected',
} as const;

function changesView(changes: PlanComparison | null) {
  if (changes === null) return null;
  return {
    fromLabel: changes.from.label,
    toLabel: changes.to.label,
    unchanged: changes.unchanged,
    inShort: changeCounts(changes),
    addedRecommendations: changes.addedRecommendations,
    removedRecommendations: changes.removedRecommendations,
    changedRecommendations: changes.changedRecommendations.flatMap((r) =>
      r.changes.map((c) => ({ label: `Recommendation ${r.number}`, ...c })),
    ),
    addedActions: changes.addedActions,
    removedActions: changes.removedActions,
    changedActions: changes.changedActions.flatMap((a) => a.changes.map((c) => ({ label: a.label, ...c }))),
    ratingChanges: changes.ratingChanges.map((r) => ({
      label: r.label,
      before: tagOf(r.before),
      after: tagOf(r.after),
    })),
    newProgress: changes.newProgress.map((p) => ({
      label: p.label,
      on: formatLongDate(p.on),
      text: p.text,
      author: p.author,
    })),
    newEvidence: changes.newEvidence.map((e) => ({
      label: e.label,
      title: e.title,
      on: formatLongDate(e.effectiveOn),
      status: EVIDENCE_STATUS_WORDS[e.status],
    })),
    evidenceDecisions: changes.evidenceDecisions,
  };
}

function dueRows(due: BoardReport['summary']['due']) {
  return [
    { words: 'Past their date and not completed', count: due.overdue },
    { words: 'Due in the next 30 days', count: due.dueWithin30Days },
    { words: 'Due later', count: due.dueLater },
    { words: 'No date that can be worked out', count: due.noDate },
    { words: 'Completed', count: due.completed },
  ];
}

/** How the page is written: for a file on its own (the default), or for reading inside Clasp. */
export interface BoardHtmlOptions {
  /** Put on the <style> element, for a Content Security Policy that allows styles by nonce. */
  nonce?: string;
  /**
   * Served by Clasp for reading in the browser: the service's header and breadcrumbs back to the
   * review's versions go above the report, as on every page of the service, and are not printed.
   * A file saved, emailed or made by the command line has neither: its links would lead nowhere.
   */
  inApp?: { reviewHref: string };
}

/** The service's header and breadcrumbs when the page is read inside Clasp; null in a file. */
function appFurniture(report: BoardReport, inApp: BoardHtmlOptions['inApp']) {
  if (!inApp) return null;
  return {
    homeHref: '/',
    breadcrumbs: [
      { text: 'Reviews', href: '/reviews' },
      { text: report.area, href: inApp.reviewHref },
      { text: 'Versions and documents', href: `${inApp.reviewHref}/versions` },
    ],
  };
}

function viewModel(report: BoardReport, options: BoardHtmlOptions) {
  const cols = columns(report);
  const exceptionCount = report.exceptions.reduce((n, group) => n + group.items.length, 0);
  return {
    nonce: options.nonce ?? null,
    app: appFurniture(report, options.inApp),
    report,
    tagStyles: tagStyles(report),
    key: report.key.map((k) => ({ tag: tag(k.rating, k.name), meaning: k.meaning })),
    columns: cols,
    countRows: countRows(report),
    byOrganisation: report.summary.byOrganisation.map((o) => ({
      organisation: o.organisation,
      values: countsInOrder(cols, o.counts),
      total: o.total,
    })),
    dueRows: dueRows(report.summary.due),
    charts: [chartView(report.charts.byOrganisation, cols), chartView(report.charts.overTime, cols)],
    changes: changesView(report.changes),
    exceptionCount: plural(exceptionCount, 'exception', 'exceptions'),
    exceptions: report.exceptions
      .filter((group) => group.items.length > 0)
      .map((group) => ({ ...group, id: `exceptions-${group.kind.replace(/_/g, '-')}` })),
    deadlines: {
      ...report.deadlines,
      intro: DEADLINES_INTRO,
      noneMoved: NO_MOVED_DEADLINES,
      unknown: DEADLINES_UNKNOWN,
    },
    lastingRows: lastingRows(report).map(([words, count, lapsed]) => ({ words, count, lapsed })),
    lapsed: { items: report.lapsed, intro: LAPSED_INTRO, noneLapsed: NO_LAPSED },
    questions: report.questions
      ? {
          summary: questionsSummaryWords(report.questions),
          groups: questionsByOccasion(report.questions).map((group, i) => ({
            id: `questions-${String(i + 1)}`,
            occasion: group.occasion,
            items: group.questions.map((q) => ({
              text: q.text,
              asked: questionAskedWords(q),
              response: questionResponseWords(q),
              waiting: q.response === null,
            })),
          })),
          waiting: report.questions
            .filter((q) => q.response === null)
            .map((q) => ({
              text: q.text,
              occasion: `${questionOccasion(q)} (${formatLongDate(q.askedOn)})`,
              organisation: q.organisation ?? 'Not given',
            })),
        }
      : null,
    recommendations: report.recommendations.map((r) => ({ ...r, tag: tag(r.rating, r.ratingWords) })),
  };
}

/** The whole board report as one HTML5 document: for a file, or for reading inside Clasp (see BoardHtmlOptions). */
export function boardToHtml(report: BoardReport, options: BoardHtmlOptions = {}): string {
  return views().render('board-report.njk', viewModel(report, options));
}
