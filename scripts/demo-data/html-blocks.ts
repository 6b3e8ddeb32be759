// A small reader for the HTML that mammoth produces from the fixture .docx files.
// mammoth emits only a handful of tags (p, table, tr, td, ul, li, em, strong, a, sup, br),
// so a tokenizer is enough: it turns the HTML into a flat list of blocks, each a paragraph
// outside a table or a whole table (rows of cells of paragraphs).

export type Cell = string[]; // the paragraphs of one table cell
export type Row = Cell[];
export type Block = { type: 'p'; text: string } | { type: 'table'; rows: Row[] };

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** Collapses runs of white space (including non-breaking spaces) to one space and trims. */
export function squash(text: string): string {
  return text.replace(/[\s\u00a0]+/g, ' ').trim();
}

export function htmlToBlocks(html: string): Block[] {
  const blocks: Block[] = [];
  const tokens = html.matchAll(/<(\/?)([a-zA-Z0-9]+)[^>]*>|([^<]+)/g);
  let tableDepth = 0;
  let rows: Row[] = [];
  let row: Row | null = null;
  let cell: Cell | null = null;
  let paragraph: string | null = null;
  let listItem = false;

  const endParagraph = (): void => {
    if (paragraph === null) return;
    const text = squash(decodeEntities(paragraph));
    const value = listItem && text !== '' ? `• ${text}` : text;
    if (cell) {
      if (value !== '') cell.push(value);
    } else if (tableDepth === 0 && value !== '') {
      blocks.push({ type: 'p', text: value });
    }
    paragraph = null;
  };

  for (const token of tokens) {
    const [, closing, rawName, text] = token;
    if (text !== undefined) {
      if (paragraph !== null) paragraph += text;
      else if (text.trim() !== '') paragraph = text; // bare text, e.g. inside <li>
      continue;
    }
    const name = (rawName ?? '').toLowerCase();
    const isClose = closing === '/';
    switch (name) {
      case 'table':
        if (!isClose) {
          endParagraph();
          tableDepth += 1;
          if (tableDepth > 1) throw new Error('nested tables are not expected in the fixtures');
          rows = [];
        } else {
          endParagraph();
          tableDepth -= 1;
          blocks.push({ type: 'table', rows });
          rows = [];
        }
        break;
      case 'tr':
        if (!isClose) row = [];
        else if (row) {
          rows.push(row);
          row = null;
        }
        break;
      case 'td':
      case 'th':
        if (!isClose) cell = [];
        else {
          endParagraph();
          if (row && cell) row.push(cell);
          cell = null;
        }
        break;
      case 'p':
      case 'h1':
      case 'h2':
      case 'h3':
      case 'h4':
      case 'h5':
      case 'h6':
        if (!isClose) {
          endParagraph();
          paragraph = '';
        } else endParagraph();
        break;
      case 'li':
        if (!isClose) {
          endParagraph();
          listItem = true;
          paragraph = '';
        } else {
          endParagraph();
          listItem = false;
        }
        break;
      case 'br':
        if (paragraph !== null) paragraph += ' ';
        break;
      default:
        // inline tags (em, strong, a, sup, sub, span, ul, ol, img): keep only their text
        break;
    }
  }
  endParagraph();
  return blocks;
}
