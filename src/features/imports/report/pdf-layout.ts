// Positioned text runs of PDF pages → report blocks. A PDF has no paragraphs, only runs of
// text at positions, so lines are rebuilt from positions (top to bottom, then left to right),
// running headers, footers and page numbers are dropped, two-column rows become label/value
// pairs, and lines are joined into paragraphs across line and page breaks.
import { joinLines, paragraph, tidyText, type ReportBlock } from './blocks.ts';

/** One run of text: PDF user space, y upwards from the bottom of the page. */
export type PositionedText = { text: string; x: number; y: number; width: number; size: number };
export type PositionedPage = PositionedText[];

type Segment = { x: number; right: number; text: string };
type Line = { page: number; y: number; size: number; left: number; right: number; segments: Segment[]; text: string };

// A gap wider than this many font sizes separates table columns rather than words.
const COLUMN_GAP = 1.5;
const BULLET = /^[•●▪■◦○·∙‣⁃–—-]$/;
const BULLET_START = /^[•●▪■◦○·∙‣⁃](?:\s|$)|^[–—-]\s/;
// A list's bullet or number set apart from its text ("1." … "NHS England should:") is not a table's label.
const LIST_MARKER = /^(?:[•●▪■◦○·∙‣⁃–—-]|\(?\d{1,2}(?:\.\d{1,3})*[.)]?|\(?[a-z][.)])$/i;
const NUMBERED_START = /^(?:\d{1,2}(?:\.\d{1,3}){1,3}\.?|\d{1,2}[.)])\s+\S/;

function segmentText(items: readonly PositionedText[]): string {
  let text = '';
  let end = -Infinity;
  for (const item of items) {
    const gap = item.x - end;
    if (text !== '' && gap > 0.2 * item.size && !/\s$/.test(text) && !/^\s/.test(item.text)) text += ' ';
    text += item.text;
    end = Math.max(end, item.x + item.width);
  }
  return tidyText(text);
}

function lineFrom(page: number, items: PositionedText[]): Line | null {
  const sorted = items.filter((i) => i.text.trim() !== '').sort((a, b) => a.x - b.x);
  const first = sorted[0];
  if (!first) return null;
  const segments: Segment[] = [];
  let run: PositionedText[] = [];
  let end = first.x;
  for (const item of sorted) {
    if (run.length > 0 && item.x - end > COLUMN_GAP * item.size) {
      segments.push({ x: run[0]?.x ?? 0, right: end, text: segmentText(run) });
      run = [];
    }
    end = run.length === 0 ? item.x + item.width : Math.max(end, item.x + item.width);
    run.push(item);
  }
  segments.push({ x: run[0]?.x ?? 0, right: end, text: segmentText(run) });
  // The line's size is that of most of its text, so a superscript does not change it.
  const main = sorted.reduce((best, item) => (item.text.length > best.text.length ? item : best), first);
  return {
    page,
    y: main.y,
    size: main.size,
    left: first.x,
    right: end,
    segments,
    text: segments.map((s) => s.text).join(' '),
  };
}

const isBlank = (item: PositionedText) => item.text.trim() === '';

/** True when the run lies wholly to the left or right of every run of the group: another table cell. */
function besideAll(group: readonly PositionedText[], item: PositionedText): boolean {
  if (isBlank(item)) return false;
  return group.every((g) => isBlank(g) || item.x >= g.x + g.width - 0.5 || item.x + item.width <= g.x + 0.5);
}

/**
 * Rebuilds a page's lines: runs whose baselines are within half a font size share a line. So
 * does a run up to 0.7 of a font size lower that sits beside the line's runs, not under them:
 * a browser sets a table's cells in the middle of their row, so a one-line label beside a
 * two-line value sits half a line below the value's first line.
 */
function linesOfPage(page: number, items: readonly PositionedText[]): Line[] {
  const sorted = [...items].sort((a, b) => b.y - a.y || a.x - b.x);
  const groups: PositionedText[][] = [];
  let group: PositionedText[] = [];
  let baseline = Infinity;
  let size = 0;
  for (const item of sorted) {
    const drop = baseline - item.y;
    const most = Math.max(size, item.size);
    if (group.length > 0 && drop > 0.5 * most && !(drop <= 0.7 * most && besideAll(group, item))) {
      groups.push(group);
      group = [];
    }
    if (group.length === 0 || item.size > size) {
      baseline = item.y;
      size = item.size;
    }
    group.push(item);
  }
  if (group.length > 0) groups.push(group);
  return groups.flatMap((g) => lineFrom(page, g) ?? []);
}

const PAGE_NUMBER = /^(?:page\s*)?[-–]?\s*\d{1,4}\s*[-–]?(?:\s*(?:of|\/)\s*\d{1,4})?$/i;

/**
 * Drops running headers and footers — the same words (numbers aside) at the same height at the
 * top or bottom of many pages — and page numbers standing apart at the top or bottom of a page.
 */
function withoutRunningLines(pages: Line[][]): Line[][] {
  const signature = (line: Line) => `${Math.round(line.y)}|${line.text.toLowerCase().replace(/\d+/g, '#')}`;
  const edges = (lines: Line[]) => [...lines.slice(0, 2), ...lines.slice(-2)];
  const counts = new Map<string, number>();
  for (const lines of pages) {
    for (const key of new Set(edges(lines).map(signature))) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const repeated = (line: Line) =>
    pages.length >= 3 && (counts.get(signature(line)) ?? 0) >= Math.max(3, Math.ceil(0.4 * pages.length));
  // A number alone is a page number only when set apart from the text, not a year ending a table cell.
  const standsApart = (line: Line, neighbour: Line | undefined) =>
    !neighbour || Math.abs(neighbour.y - line.y) > 2.5 * Math.max(line.size, neighbour.size);
  return pages.map((lines) => {
    const edge = new Set(edges(lines));
    const first = lines[0];
    const last = lines[lines.length - 1];
    return lines.filter((line) => {
      if (!edge.has(line)) return true;
      if (repeated(line)) return false;
      if (!PAGE_NUMBER.test(line.text)) return true;
      if (line === first) return !standsApart(line, lines[1]);
      if (line === last) return !standsApart(line, lines[lines.length - 2]);
      return true;
    });
  });
}

function mostCommon(values: readonly number[], weights?: readonly number[]): number | null {
  const counts = new Map<number, number>();
  values.forEach((v, i) => counts.set(v, (counts.get(v) ?? 0) + (weights?.[i] ?? 1)));
  let best: number | null = null;
  for (const [value, count] of counts) if (best === null || count > (counts.get(best) ?? 0)) best = value;
  return best;
}

const roundHalf = (n: number) => Math.round(n * 2) / 2;

type Measures = { bodySize: number; leading: Map<number, number>; columnRight: number; headingLevels: number[] };

function measure(lines: readonly Line[]): Measures {
  // The body text's size is the size most of the text is set in.
  const bodySize =
    mostCommon(
      lines.map((l) => roundHalf(l.size)),
      lines.map((l) => l.text.length),
    ) ?? 12;
  const gaps = new Map<number, number[]>();
  lines.forEach((line, i) => {
    const next = lines[i + 1];
    if (!next || next.page !== line.page || Math.abs(next.size - line.size) > 0.5) return;
    const size = roundHalf(line.size);
    const list = gaps.get(size) ?? [];
    list.push(roundHalf(line.y - next.y));
    gaps.set(size, list);
  });
  // A size set on only a line or two (a title, when a browser prints at a small scale) has too
  // few gaps to tell its line spacing from the space between its paragraphs: it gets the usual 1.2.
  const leading = new Map(
    [...gaps].map(([size, values]) => {
      const positive = values.filter((v) => v > 0);
      return [size, (positive.length >= 3 ? mostCommon(positive) : null) ?? size * 1.2];
    }),
  );
  const rights = lines
    .filter((l) => Math.abs(l.size - bodySize) <= 0.5)
    .map((l) => l.right)
    .sort((a, b) => a - b);
  const columnRight = rights[Math.floor(rights.length * 0.98)] ?? Math.max(...rights, 0);
  const headingLevels = [...new Set(lines.map((l) => roundHalf(l.size)).filter((s) => s > bodySize + 0.5))].sort(
    (a, b) => b - a,
  );
  return { bodySize, leading, columnRight, headingLevels };
}

/** True when the first word of the next line would have fitted on the previous one: that line ended early. */
function firstWordWouldFit(previous: Line, next: Line, m: Measures): boolean {
  const firstWord = next.text.split(' ')[0] ?? '';
  const wordWidth = ((next.right - next.left) * firstWord.length) / Math.max(1, next.text.length);
  return previous.right + 0.3 * next.size + wordWidth <= m.columnRight + 1;
}

// At a page break a paragraph goes on unless the next line plainly starts something new, or
// the first word of the next page would have fitted on the last line (so the line ended
// because the paragraph did).
function continuesOverPage(previous: Line, next: Line, m: Measures): boolean {
  if (Math.abs(previous.size - next.size) > 0.5 || BULLET_START.test(next.text) || NUMBERED_START.test(next.text))
    return false;
  if (/^\p{Ll}/u.test(next.text)) return true;
  if (!/[.!?:;)"”’]$/.test(previous.text)) return true;
  return !firstWordWouldFit(previous, next, m);
}

function startsParagraph(previous: Line, line: Line, m: Measures): boolean {
  if (Math.abs(previous.size - line.size) > 0.5 || BULLET_START.test(line.text)) return true;
  if (previous.page !== line.page) return !continuesOverPage(previous, line, m);
  // A browser prints the items of a list with no space between them and draws their bullets
  // as shapes, not text: without this, every item of a list ran into one paragraph and a
  // browser-printed report's recommendations (1.1, 1.2 …) were read as one, or not at all.
  // A numbered line starts a new item when the line before it ended early or with a full
  // stop; a wrapped sentence that happens to go on with a number ("… rose to" / "2.5 per
  // cent") fills its line and does not.
  if (NUMBERED_START.test(line.text) && (/[.!?:;)"”’*]$/.test(previous.text) || firstWordWouldFit(previous, line, m)))
    return true;
  const gap = previous.y - line.y;
  const leading = m.leading.get(roundHalf(line.size)) ?? line.size * 1.2;
  return gap <= 0 || gap > leading * 1.25;
}

type Row = { label: string; value: string[]; labelX: number; valueX: number; line: Line };

/** Blocks of a whole document from its pages' positioned text. */
export function blocksFromPositionedPages(pages: readonly PositionedPage[]): ReportBlock[] {
  const lines = withoutRunningLines(pages.map((items, i) => linesOfPage(i + 1, items))).flat();
  const m = measure(lines);
  const blocks: ReportBlock[] = [];
  let open: Line[] = [];
  let row: Row | null = null;

  const headingLevel = (size: number) => {
    const index = m.headingLevels.indexOf(roundHalf(size));
    return index < 0 ? null : Math.min(6, index + 1);
  };
  const flushParagraph = () => {
    const first = open[0];
    if (first) {
      const text = joinLines(open.map((l) => l.text))
        .replace(BULLET_START, '')
        .trim();
      if (text !== '' && !BULLET.test(text)) blocks.push(paragraph(text, headingLevel(first.size)));
    }
    open = [];
  };
  const flushRow = () => {
    if (row) blocks.push({ kind: 'pair', label: row.label, value: joinLines(row.value) });
    row = null;
  };
  const continuesRow = (r: Row, line: Line) => {
    if (line.segments.length !== 1 || line.page !== r.line.page) return false;
    if (r.line.y - line.y > 1.6 * line.size) return false;
    if (Math.abs(line.left - r.valueX) <= 2) {
      r.value.push(line.text);
    } else if (Math.abs(line.left - r.labelX) <= 2 && !r.label.endsWith(':')) {
      r.label = joinLines([r.label, line.text]);
    } else return false;
    r.line = line;
    return true;
  };

  for (const line of lines) {
    if (row && continuesRow(row, line)) continue;
    flushRow();
    const [label, value] = line.segments;
    if (line.segments.length === 2 && label && value && !LIST_MARKER.test(label.text)) {
      // A value longer than its label starts above the label's line when the row's cells are
      // set in the middle: the lines just above, at the value's left edge, are its first lines.
      const values = [value.text];
      let top = line;
      for (let above = open[open.length - 1]; above; above = open[open.length - 1]) {
        if (above.page !== line.page || above.segments.length !== 1 || Math.abs(above.left - value.x) > 2) break;
        if (above.y - top.y > 1.6 * line.size) break;
        values.unshift(above.text);
        top = above;
        open.pop();
      }
      flushParagraph();
      row = { label: label.text, value: values, labelX: label.x, valueX: value.x, line };
      continue;
    }
    const previous = open[open.length - 1];
    if (previous && startsParagraph(previous, line, m)) flushParagraph();
    open.push(line);
  }
  flushRow();
  flushParagraph();
  return blocks;
}
