// HTML (a saved web page, or the HTML that mammoth makes of a Word file) → report blocks.
// Streaming parser callbacks with explicit stacks, so deeply nested or broken markup cannot
// exhaust the call stack.
import { Parser } from 'htmlparser2';
import { paragraph, tidyText, type ReportBlock } from './blocks.ts';

// Elements that end the paragraph before them and start a new one.
const BLOCK_ELEMENTS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'caption',
  'dd',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'html',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'ul',
]);
// Elements whose text is not part of the document's reading text.
const SKIPPED_ELEMENTS = new Set(['head', 'noscript', 'script', 'style', 'svg', 'template', 'title']);

type Table = { row: ReportBlock[][] | null };

function blocksText(blocks: readonly ReportBlock[]): string {
  return blocks.map((b) => (b.kind === 'pair' ? `${b.label} ${b.value}` : b.text)).join('\n');
}

/** A table row of two filled cells is a label and its value; any other row is its cells' paragraphs. */
function rowBlocks(cells: ReportBlock[][]): ReportBlock[] {
  const filled = cells.filter((cell) => blocksText(cell).trim() !== '');
  const [label, value] = filled;
  if (filled.length === 2 && label && value) {
    return [
      {
        kind: 'pair',
        label: tidyText(blocksText(label)),
        value: blocksText(value).split('\n').map(tidyText).filter(Boolean).join('\n'),
      },
    ];
  }
  return filled.flat();
}

export function blocksFromHtml(html: string): ReportBlock[] {
  const sinks: ReportBlock[][] = [[]];
  const tables: Table[] = [];
  const headings: number[] = [];
  let text = '';
  let skipping = 0;

  const sink = (): ReportBlock[] => sinks[sinks.length - 1] ?? [];
  const inCell = () => sinks.length > 1;
  const flush = () => {
    const tidy = tidyText(text);
    text = '';
    if (tidy !== '') sink().push(paragraph(tidy, headings[headings.length - 1] ?? null));
  };

  const parser = new Parser(
    {
      onopentag(name) {
        if (SKIPPED_ELEMENTS.has(name)) skipping += 1;
        if (skipping > 0) return;
        if (BLOCK_ELEMENTS.has(name)) flush();
        if (/^h[1-6]$/.test(name)) headings.push(Number(name.slice(1)));
        if (name === 'br') {
          // Inside a table cell a line break often separates items (names, organisations).
          if (inCell()) flush();
          else text += ' ';
        } else if (name === 'table') {
          flush();
          tables.push({ row: null });
        } else if (name === 'tr') {
          flush();
          const table = tables[tables.length - 1];
          if (table) table.row = [];
        } else if ((name === 'td' || name === 'th') && tables.length > 0) {
          flush();
          sinks.push([]);
        }
      },
      ontext(data) {
        if (skipping === 0) text += data;
      },
      onclosetag(name) {
        if (SKIPPED_ELEMENTS.has(name)) {
          skipping = Math.max(0, skipping - 1);
          return;
        }
        if (skipping > 0) return;
        if (BLOCK_ELEMENTS.has(name)) flush();
        if (/^h[1-6]$/.test(name)) headings.pop();
        const table = tables[tables.length - 1];
        if ((name === 'td' || name === 'th') && inCell()) {
          flush();
          const cell = sinks.pop() ?? [];
          if (table?.row) table.row.push(cell);
          else sink().push(...cell);
        } else if (name === 'tr' && table) {
          flush();
          sink().push(...rowBlocks(table.row ?? []));
          table.row = null;
        } else if (name === 'table') {
          flush();
          tables.pop();
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  flush();
  // Cells left open by broken markup still count as text.
  while (sinks.length > 1) {
    const cell = sinks.pop() ?? [];
    sink().push(...cell);
  }
  return sinks[0] ?? [];
}
