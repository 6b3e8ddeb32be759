// Plain text and Markdown → report blocks. Covers text copied out of a PDF (hard-wrapped
// lines, paragraphs between blank lines), text saved from Word (one paragraph a line) and
// Markdown (headings, lists, emphasis, tables, the odd inline HTML tag).
import { joinLines, paragraph, tidyText, type ReportBlock } from './blocks.ts';

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  rsquo: '’',
  lsquo: '‘',
  rdquo: '”',
  ldquo: '“',
};

export function decodeText(content: Uint8Array): string {
  const utf16 =
    content[0] === 0xff && content[1] === 0xfe
      ? 'utf-16le'
      : content[0] === 0xfe && content[1] === 0xff
        ? 'utf-16be'
        : null;
  const text = new TextDecoder(utf16 ?? 'utf-8').decode(content);
  return text.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n');
}

/** Removes Markdown and inline HTML markup from one line, keeping its words. */
function plainWords(line: string): string {
  return line
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<\/?[a-z][^<>\n]{0,200}>/gi, '')
    .replace(/&(#\d{1,6}|#x[0-9a-f]{1,6}|[a-z]{2,6});/gi, (whole, name: string) => {
      if (name.startsWith('#x') || name.startsWith('#X'))
        return String.fromCodePoint(parseInt(name.slice(2), 16) || 0x20);
      if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)) || 0x20);
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .replace(/!\[[^\]\n]*\]\([^)\n]*\)/g, '')
    .replace(/\[([^\]\n]*)\]\([^)\n]*\)/g, '$1')
    .replace(/\*{1,3}/g, '')
    .replace(/(^|[\s(])_{1,3}(?=\S)/g, '$1')
    .replace(/(?<=\S)_{1,3}(?=[\s).,;:!?]|$)/g, '')
    .replace(/`/g, '');
}

type Line =
  | { type: 'blank' }
  | { type: 'heading'; level: number; text: string }
  | { type: 'item'; text: string }
  | { type: 'cells'; cells: string[] }
  | { type: 'text'; text: string };

// "Date of review: 23 February 2015" on a line of its own: a header row written as text.
const LABEL_LINE = /^(\p{Lu}[^:\d]{2,60}):\s+(\S.*)$/u;
// A numbered paragraph or list item ("1.6 …", "5.2.4. …", "1. …"); a wrapped line starting
// with a year or a day ("2015 …", "16 September …") is not one.
const NUMBERED_START = /^(?:\d{1,2}(?:\.\d{1,3}){1,3}\.?|\d{1,2}[.)])\s+\S/;

function classify(raw: string): Line {
  if (raw.trim() === '' || /^\s*([-*_])(?:\s*\1){2,}\s*$/.test(raw)) return { type: 'blank' };
  const heading = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(raw);
  if (heading) return { type: 'heading', level: heading[1]?.length ?? 1, text: plainWords(heading[2] ?? '') };
  if (/^\s*\|.*\|\s*$/.test(raw)) {
    if (/^[\s|:-]+$/.test(raw)) return { type: 'blank' };
    return {
      type: 'cells',
      cells: raw
        .trim()
        .slice(1, -1)
        .split('|')
        .map((c) => tidyText(plainWords(c))),
    };
  }
  if (raw.includes('\t')) {
    const cells = raw
      .split(/\t+/)
      .map((c) => tidyText(plainWords(c)))
      .filter(Boolean);
    if (cells.length >= 2) return { type: 'cells', cells };
  }
  const bullet = /^\s*[-*+•–▪◦]\s+(.*)$/.exec(raw);
  if (bullet) return { type: 'item', text: plainWords(bullet[1] ?? '') };
  const text = plainWords(raw);
  if (NUMBERED_START.test(text.trim())) return { type: 'item', text };
  return { type: 'text', text };
}

// Text saved from Word puts each paragraph on one (long) line with no blank line between;
// text copied from a PDF wraps lines at about 80 characters and separates paragraphs.
function oneParagraphPerLine(lines: readonly Line[]): boolean {
  const lengths = lines.flatMap((l) => (l.type === 'text' ? [l.text.length] : [])).sort((a, b) => a - b);
  const median = lengths[Math.floor(lengths.length / 2)] ?? 0;
  return median > 120;
}

export function blocksFromPlainText(content: Uint8Array): ReportBlock[] {
  const lines = decodeText(content).split('\n').map(classify);
  const eachLine = oneParagraphPerLine(lines);
  const blocks: ReportBlock[] = [];
  let open: string[] = [];
  // A wrapped header row ("Provider services included:<tab>… NHS" / "Foundation Trust") goes on
  // in the lines after it, up to a blank line.
  let openPair: { label: string; value: string } | null = null;
  const flush = () => {
    const text = joinLines(open);
    open = [];
    if (text !== '') blocks.push(paragraph(text));
  };
  for (const line of lines) {
    const label = line.type === 'text' && open.length === 0 ? LABEL_LINE.exec(tidyText(line.text)) : null;
    const isLabelLine = label !== null && (label[1] ?? '').split(' ').length <= 8;
    if (line.type === 'text' && openPair && !eachLine && !isLabelLine) {
      openPair.value = joinLines([openPair.value, line.text]);
      continue;
    }
    openPair = null;
    if (label && isLabelLine && label[1] && label[2]) {
      flush();
      const pair = { kind: 'pair' as const, label: `${label[1]}:`, value: label[2] };
      blocks.push(pair);
      openPair = pair;
      continue;
    }
    if (line.type === 'text' && !eachLine) {
      open.push(line.text);
      continue;
    }
    flush();
    if (line.type === 'heading' && tidyText(line.text) !== '') blocks.push(paragraph(line.text, line.level));
    else if (line.type === 'item' || line.type === 'text') open.push(line.text);
    else if (line.type === 'cells') {
      const [label, value] = line.cells;
      if (line.cells.length === 2 && label && value) {
        const pair = { kind: 'pair' as const, label, value };
        blocks.push(pair);
        openPair = pair;
      } else if (line.cells.length > 0) blocks.push(paragraph(line.cells.join(' ')));
    }
  }
  flush();
  return blocks;
}
