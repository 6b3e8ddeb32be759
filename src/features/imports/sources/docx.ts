// Reads a Word .docx into paragraphs and tables. We read word/document.xml ourselves rather
// than through mammoth because mammoth drops what plans carry in the table markup: cell
// shading (often the only record of a RAG rating), gridSpan/gridBefore (without which a row
// shifts one column) and repeated header rows. The XML is read with htmlparser2's streaming
// parser: @xmldom/xmldom 0.9 compiles a regular expression for every end tag, which made a
// 600 KB document.xml take most of a second.
import JSZip from 'jszip';
import { Parser } from 'htmlparser2';
import { ImportRejected } from '../errors.ts';
import type { SourceBlock, SourceCell, SourceDocument, SourceRow } from './model.ts';
import { tidyLines } from './text.ts';

// Transitional and Strict OOXML name the WordprocessingML namespace differently.
const W_NAMESPACES = new Set([
  'http://schemas.openxmlformats.org/wordprocessingml/2006/main',
  'http://purl.oclc.org/ooxml/wordprocessingml/main',
]);
const MARKUP_COMPATIBILITY = 'http://schemas.openxmlformats.org/markup-compatibility/2006';

/** Tables inside tables deeper than this are read as text only (untrusted input: bounded work). */
const MAX_TABLE_DEPTH = 6;
/** A part larger than this when unzipped is refused rather than risk a zip bomb. */
const MAX_XML_BYTES = 150 * 1024 * 1024;

const NOT_WORD =
  'This file could not be read as a Word document (.docx). It may be damaged, or be an older .doc file. ' +
  'Open it in Word, save it as a .docx file and upload it again.';

/**
 * An XML element: its namespace and local name, its WordprocessingML attributes by local name
 * (w:val → val) and its other attributes by local name.
 */
type El = {
  ns: string;
  local: string;
  w: Record<string, string>;
  other: Record<string, string>;
  children: (El | string)[];
};

// Run formatting, borders and drawings say nothing a plan needs; not building them keeps a
// large document quick to read.
const UNREAD = new Set(['rPr', 'tcBorders', 'tblBorders', 'pBdr', 'drawing', 'pict', 'object']);

function emptyEl(ns: string, local: string): El {
  return { ns, local, w: {}, other: {}, children: [] };
}

/** Builds the element tree of an XML part, resolving namespace prefixes as declared (scoped). */
function parseXml(xml: string): El {
  const root = emptyEl('', '#document');
  const elements: El[] = [root];
  const scopes: Map<string, string>[] = [new Map<string, string>()];
  let skipping = 0;
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (skipping > 0) {
          skipping++;
          return;
        }
        let prefixes = scopes[scopes.length - 1] as Map<string, string>;
        for (const key in attribs) {
          if (key === 'xmlns' || key.startsWith('xmlns:')) {
            if (prefixes === scopes[scopes.length - 1]) prefixes = new Map(prefixes);
            prefixes.set(key === 'xmlns' ? '' : key.slice(6), attribs[key] ?? '');
          }
        }
        const at = name.indexOf(':');
        const el = emptyEl(prefixes.get(at < 0 ? '' : name.slice(0, at)) ?? '', at < 0 ? name : name.slice(at + 1));
        if (W_NAMESPACES.has(el.ns) && UNREAD.has(el.local)) {
          skipping = 1;
          return;
        }
        for (const key in attribs) {
          const colon = key.indexOf(':');
          // Unprefixed attributes belong to no namespace.
          if (colon < 0) el.other[key] = attribs[key] ?? '';
          else if (W_NAMESPACES.has(prefixes.get(key.slice(0, colon)) ?? ''))
            el.w[key.slice(colon + 1)] = attribs[key] ?? '';
        }
        (elements[elements.length - 1] as El).children.push(el);
        elements.push(el);
        scopes.push(prefixes);
      },
      ontext(text) {
        if (skipping === 0) (elements[elements.length - 1] as El).children.push(text);
      },
      onclosetag() {
        if (skipping > 0) skipping--;
        else if (elements.length > 1) {
          elements.pop();
          scopes.pop();
        }
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.write(xml);
  parser.end();
  return root;
}

function isW(el: El, name: string): boolean {
  return el.local === name && W_NAMESPACES.has(el.ns);
}

function wAttr(el: El | null, name: string): string | null {
  return el?.w[name] ?? null;
}

function childElements(el: El): El[] {
  return el.children.filter((c): c is El => typeof c !== 'string');
}

function firstChild(el: El | null | undefined, name: string): El | null {
  return el ? (childElements(el).find((c) => isW(c, name)) ?? null) : null;
}

/**
 * The children that carry content, looking through wrappers that only group it: content
 * controls (w:sdt), custom XML, smart tags and tracked insertions. Deleted text is left out.
 */
function contentChildren(el: El): El[] {
  const out: El[] = [];
  const stack = childElements(el).reverse();
  while (stack.length > 0) {
    const c = stack.pop() as El;
    const wrapper = isW(c, 'sdt')
      ? firstChild(c, 'sdtContent')
      : isW(c, 'customXml') || isW(c, 'ins') || isW(c, 'moveTo') || isW(c, 'smartTag')
        ? c
        : null;
    if (wrapper) {
      const inner = childElements(wrapper);
      for (let i = inner.length - 1; i >= 0; i--) stack.push(inner[i] as El);
    } else out.push(c);
  }
  return out;
}

const SKIPPED = new Set(['del', 'moveFrom', 'instrText', 'delInstrText', 'pPr']);

/** A paragraph's text: runs, tabs and breaks, without deleted text, field codes or fallback copies. */
function paragraphText(p: El): string {
  let text = '';
  const stack: (El | string)[] = [p];
  while (stack.length > 0) {
    const node = stack.pop() as El | string;
    if (typeof node === 'string') continue;
    if (isW(node, 't')) text += node.children.filter((c) => typeof c === 'string').join('');
    else if (isW(node, 'tab') || isW(node, 'ptab')) text += ' ';
    else if (isW(node, 'br') || isW(node, 'cr')) text += wAttr(node, 'type') === 'page' ? ' ' : '\n';
    else if (isW(node, 'noBreakHyphen')) text += '-';
    else if (W_NAMESPACES.has(node.ns) && SKIPPED.has(node.local)) continue;
    else if (node.local === 'Fallback' && node.ns === MARKUP_COMPATIBILITY) continue;
    else for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as El | string);
  }
  return text;
}

type Styles = { headingLevel: (styleId: string | null) => number | null; isList: (styleId: string | null) => boolean };
type Context = { styles: Styles; blocks: SourceBlock[]; tableCount: number; paragraphCount: number };

function paragraphStyle(p: El): string | null {
  return wAttr(firstChild(firstChild(p, 'pPr'), 'pStyle'), 'val');
}

function isListParagraph(p: El, styles: Styles): boolean {
  const numPr = firstChild(firstChild(p, 'pPr'), 'numPr');
  // numId 0 switches numbering off for a paragraph whose style would number it.
  if (numPr) return wAttr(firstChild(numPr, 'numId'), 'val') !== '0';
  return styles.isList(paragraphStyle(p));
}

function headingLevel(p: El, styles: Styles): number | null {
  const direct = Number(wAttr(firstChild(firstChild(p, 'pPr'), 'outlineLvl'), 'val') ?? NaN);
  // Outline level 9 means body text.
  if (Number.isInteger(direct) && direct >= 0 && direct < 6) return direct + 1;
  return styles.headingLevel(paragraphStyle(p));
}

/** A paragraph as one or more lines, list items marked "• ". */
function readParagraph(p: El, styles: Styles): string {
  const text = tidyLines(paragraphText(p));
  if (text === '' || !isListParagraph(p, styles) || text.startsWith('•')) return text;
  return `• ${text}`;
}

/** The fill of a shading element: a solid pattern paints its colour over the fill. White means none. */
function shadingColour(shd: El | null): string | null {
  if (!shd) return null;
  const fill = (wAttr(shd, 'fill') ?? '').toUpperCase();
  const colour = (wAttr(shd, 'color') ?? '').toUpperCase();
  const seen = wAttr(shd, 'val') === 'solid' && /^[0-9A-F]{6}$/.test(colour) ? colour : fill;
  return /^[0-9A-F]{6}$/.test(seen) && seen !== 'FFFFFF' ? seen : null;
}

function cellFill(tc: El): string | null {
  const own = shadingColour(firstChild(firstChild(tc, 'tcPr'), 'shd'));
  if (own) return own;
  // Some plans shade the paragraph rather than the cell; the reader sees the same colour.
  const firstParagraph = contentChildren(tc).find((c) => isW(c, 'p'));
  return firstParagraph ? shadingColour(firstChild(firstChild(firstParagraph, 'pPr'), 'shd')) : null;
}

function positiveInt(el: El | null, fallback: number): number {
  const n = Number(wAttr(el, 'val') ?? NaN);
  return Number.isInteger(n) && n > 0 ? Math.min(n, 64) : fallback;
}

/** An on/off property: present and not switched off with val="false" or "0". */
function isOn(el: El | null): boolean {
  const val = wAttr(el, 'val');
  return el !== null && val !== 'false' && val !== '0' && val !== 'off';
}

function tableRows(tbl: El): El[] {
  return contentChildren(tbl).filter((c) => isW(c, 'tr'));
}

function tableCells(tr: El): El[] {
  return contentChildren(tr).filter((c) => isW(c, 'tc'));
}

/** Text of a table nested in a cell: one line per row, cells separated by " – ". */
function nestedTableText(tbl: El, ctx: Context, depth: number): string {
  return tableRows(tbl)
    .map((tr) =>
      tableCells(tr)
        .map((tc) => cellText(tc, ctx, depth + 1).replace(/\n/g, '; '))
        .filter((t) => t !== '')
        .join(' – '),
    )
    .filter((line) => line !== '')
    .join('\n');
}

function cellText(tc: El, ctx: Context, depth: number): string {
  const parts: string[] = [];
  for (const c of contentChildren(tc)) {
    if (isW(c, 'p')) parts.push(readParagraph(c, ctx.styles));
    else if (isW(c, 'tbl') && depth < MAX_TABLE_DEPTH) parts.push(nestedTableText(c, ctx, depth));
  }
  return parts.filter((t) => t !== '').join('\n');
}

/** vMerge="restart" opens a vertically merged cell; a bare vMerge (or "continue") continues it. */
function isMergeContinuation(tc: El): boolean {
  const vMerge = firstChild(firstChild(tc, 'tcPr'), 'vMerge');
  return vMerge !== null && (wAttr(vMerge, 'val') ?? 'continue') === 'continue';
}

function readRow(
  tr: El,
  above: Map<number, SourceCell>,
  ctx: Context,
  depth: number,
): { cells: SourceCell[]; here: Map<number, SourceCell> } {
  const cells: SourceCell[] = [];
  const here = new Map<number, SourceCell>();
  // gridBefore: grid columns the row skips before its first cell.
  let column = positiveInt(firstChild(firstChild(tr, 'trPr'), 'gridBefore'), 0);
  if (column > 0) cells.push({ text: '', fill: null, date: null, span: column });
  for (const tc of tableCells(tr)) {
    const span = positiveInt(firstChild(firstChild(tc, 'tcPr'), 'gridSpan'), 1);
    const merged = isMergeContinuation(tc) ? above.get(column) : undefined;
    const cell: SourceCell = merged
      ? { ...merged, span, mergedFromAbove: true }
      : { text: cellText(tc, ctx, depth), fill: cellFill(tc), date: null, span };
    cells.push(cell);
    here.set(column, cell);
    column += span;
  }
  return { cells, here };
}

function readTable(tbl: El, ctx: Context, depth: number): void {
  const trs = tableRows(tbl);
  // A table of one column used only to lay out the page: read what it holds as the body.
  const layoutOnly =
    trs.length > 0 &&
    trs.every((tr) => tableCells(tr).length === 1) &&
    trs.some((tr) => tableCells(tr).some((tc) => contentChildren(tc).some((c) => isW(c, 'tbl'))));
  if (layoutOnly) {
    for (const tr of trs) for (const tc of tableCells(tr)) readBody(tc, ctx, depth + 1);
    return;
  }
  const index = ctx.tableCount++;
  const rows: SourceRow[] = [];
  // Cells of the row above by grid column, so that a vertically merged cell is read on every
  // row it covers, as the reader of the page sees it.
  let above = new Map<number, SourceCell>();
  trs.forEach((tr, r) => {
    const { cells, here } = readRow(tr, above, ctx, depth);
    above = here;
    rows.push({
      cells,
      source: `table ${index + 1}, row ${r + 1}`,
      header: isOn(firstChild(firstChild(tr, 'trPr'), 'tblHeader')),
    });
  });
  ctx.blocks.push({ type: 'table', index, rows, name: null });
}

function readBody(container: El, ctx: Context, depth: number): void {
  for (const c of contentChildren(container)) {
    if (isW(c, 'p')) {
      const text = readParagraph(c, ctx.styles);
      if (text !== '')
        ctx.blocks.push({
          type: 'paragraph',
          text,
          heading: headingLevel(c, ctx.styles),
          source: `paragraph ${++ctx.paragraphCount}`,
        });
    } else if (isW(c, 'tbl') && depth < MAX_TABLE_DEPTH) readTable(c, ctx, depth);
  }
}

type StyleInfo = { name: string; basedOn: string | null; outline: number | null; list: boolean };

/** Heading levels and list styles from styles.xml, following basedOn (a bounded number of steps). */
function readStyles(doc: El | null): Styles {
  const styles = new Map<string, StyleInfo>();
  const root = doc ? childElements(doc).find((c) => isW(c, 'styles')) : undefined;
  for (const s of root ? childElements(root).filter((c) => isW(c, 'style')) : []) {
    const id = wAttr(s, 'styleId');
    if (!id) continue;
    const name = wAttr(firstChild(s, 'name'), 'val') ?? id;
    const pPr = firstChild(s, 'pPr');
    const outline = wAttr(firstChild(pPr, 'outlineLvl'), 'val');
    styles.set(id, {
      name,
      basedOn: wAttr(firstChild(s, 'basedOn'), 'val'),
      outline: outline === null ? null : Number(outline),
      list: firstChild(pPr, 'numPr') !== null || /^list (bullet|number)/i.test(name),
    });
  }
  const chain = (id: string | null): StyleInfo[] => {
    const out: StyleInfo[] = [];
    for (
      let s = id ? styles.get(id) : undefined;
      s && out.length < 10;
      s = s.basedOn ? styles.get(s.basedOn) : undefined
    )
      out.push(s);
    return out;
  };
  return {
    headingLevel(id) {
      if (id === null) return null;
      // A style is a heading by its name ("heading 2", "Title") or its outline level, or by
      // being based on such a style.
      for (const style of styles.has(id) ? chain(id) : [{ name: id, basedOn: null, outline: null, list: false }]) {
        const named = /^(?:heading|überschrift|titre)\s*([1-6])$/i.exec(style.name);
        if (named) return Number(named[1]);
        if (/^title$/i.test(style.name)) return 1;
        if (style.outline !== null && style.outline >= 0 && style.outline < 6) return style.outline + 1;
      }
      return null;
    },
    isList: (id) => chain(id).some((s) => s.list),
  };
}

async function readZip(content: Uint8Array): Promise<JSZip> {
  // An encrypted (password-protected) Office file is an OLE compound file, not a zip.
  if (content[0] === 0xd0 && content[1] === 0xcf && content[2] === 0x11 && content[3] === 0xe0) {
    throw new ImportRejected(
      'This Word document is password-protected, or is an older .doc file. ' +
        'Remove the password (or save it as .docx) in Word and upload it again.',
    );
  }
  try {
    return await JSZip.loadAsync(content, { checkCRC32: true });
  } catch {
    throw new ImportRejected(NOT_WORD);
  }
}

async function readPart(zip: JSZip, path: string): Promise<El | null> {
  const file = zip.file(path);
  if (!file) return null;
  // JSZip keeps the declared size of each entry; refuse huge parts before inflating them.
  const declared = (file as unknown as { _data?: { uncompressedSize?: number } })._data?.uncompressedSize;
  if (typeof declared === 'number' && declared > MAX_XML_BYTES) {
    throw new ImportRejected(
      'This Word document is too large to import. Split the plan into smaller documents and import them one at a time.',
    );
  }
  try {
    return parseXml(await file.async('string'));
  } catch {
    throw new ImportRejected(NOT_WORD);
  }
}

/** Where the package keeps its main document: named by the root relationships, usually word/document.xml. */
async function mainDocumentPath(zip: JSZip): Promise<string> {
  const rels = await readPart(zip, '_rels/.rels');
  const relationships = rels
    ? childElements(rels)
        .flatMap((r) => childElements(r))
        .filter((r) => r.local === 'Relationship')
    : [];
  for (const rel of relationships) {
    const attr = (name: string) => rel.other[name] ?? '';
    if (/\/officeDocument$/.test(attr('Type')) && /^\/?[\w./-]+\.xml$/.test(attr('Target')))
      return attr('Target').replace(/^\//, '');
  }
  return 'word/document.xml';
}

/** Reads a .docx file's body as paragraphs and tables, in document order. */
export async function readDocx(content: Uint8Array): Promise<SourceDocument> {
  const zip = await readZip(content);
  const documentPath = await mainDocumentPath(zip);
  const document = await readPart(zip, documentPath);
  const body = firstChild(document ? childElements(document).find((c) => isW(c, 'document')) : null, 'body');
  if (!body) throw new ImportRejected(NOT_WORD);
  const styles = readStyles(await readPart(zip, documentPath.replace(/[^/]*$/, 'styles.xml')).catch(() => null));
  const ctx: Context = { styles, blocks: [], tableCount: 0, paragraphCount: 0 };
  readBody(body, ctx, 0);
  return { format: 'docx', blocks: ctx.blocks };
}
