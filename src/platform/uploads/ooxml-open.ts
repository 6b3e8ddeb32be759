import type { Buffer } from 'node:buffer';
import zlib from 'node:zlib';
import JSZip from 'jszip';
import { Parser } from 'htmlparser2';

/**
 * Whether a Word, Excel or PowerPoint file (.docx, .xlsx, .pptx) opens as one: its zip
 * reads, it has its content types and its main part (word/document.xml, xl/workbook.xml,
 * ppt/presentation.xml, or where the package's relationships say), and that part unpacks
 * whole to well-formed XML with the right root element. Nothing else is unpacked, and the
 * main part is read as it unpacks, so a zip bomb costs no more memory than a real file.
 */

export type OfficeKind = 'docx' | 'xlsx' | 'pptx';

/** A Word or Excel file has tens of parts, a large workbook a few hundred (as for imports). */
export const ZIP_ENTRY_LIMIT = 10_000;
/** No document unpacks to anything near this; a zip that claims to is a zip bomb (as for imports). */
export const UNPACKED_LIMIT_BYTES = 200 * 1024 * 1024;
/** The package's relationships part is a few hundred bytes. */
const RELATIONSHIPS_LIMIT_BYTES = 1024 * 1024;

const MAIN_PARTS: Record<OfficeKind, { path: string; root: string; namespaces: string[] }> = {
  docx: {
    path: 'word/document.xml',
    root: 'document',
    namespaces: [
      'http://schemas.openxmlformats.org/wordprocessingml/2006/main',
      'http://purl.oclc.org/ooxml/wordprocessingml/main',
    ],
  },
  xlsx: {
    path: 'xl/workbook.xml',
    root: 'workbook',
    namespaces: [
      'http://schemas.openxmlformats.org/spreadsheetml/2006/main',
      'http://purl.oclc.org/ooxml/spreadsheetml/main',
    ],
  },
  pptx: {
    path: 'ppt/presentation.xml',
    root: 'presentation',
    namespaces: [
      'http://schemas.openxmlformats.org/presentationml/2006/main',
      'http://purl.oclc.org/ooxml/presentationml/main',
    ],
  },
};

/** JSZip keeps each entry's declared size and checksum from the zip's directory. */
type Declared = { _data?: { uncompressedSize?: unknown; crc32?: unknown } };

export async function officeFileOpens(bytes: Uint8Array, kind: OfficeKind): Promise<boolean> {
  const count = declaredEntryCount(bytes);
  if (count === undefined || count > ZIP_ENTRY_LIMIT) return false;
  let zip: JSZip;
  try {
    // Loading reads the zip's directory only; no part is unpacked until asked for.
    zip = await JSZip.loadAsync(bytes, { checkCRC32: false });
  } catch {
    return false;
  }
  // Office Open XML part names are case-insensitive (ECMA-376 part 2, 6.2.2.3).
  const parts = new Map<string, JSZip.JSZipObject>();
  let declaredTotal = 0;
  for (const entry of Object.values(zip.files)) {
    if (entry.dir) continue;
    parts.set(entry.name.toLowerCase(), entry);
    if (parts.size > ZIP_ENTRY_LIMIT) return false;
    declaredTotal += declaredSize(entry) ?? 0;
    if (declaredTotal > UNPACKED_LIMIT_BYTES) return false;
  }
  if (!parts.has('[content_types].xml')) return false;
  const main = MAIN_PARTS[kind];
  const path = (await mainPartPath(parts)) ?? main.path;
  const part = parts.get(path.toLowerCase());
  if (part === undefined) return false;
  try {
    if (!(await isWellFormed(part, main.root, main.namespaces, UNPACKED_LIMIT_BYTES))) return false;
    // Every other part must unpack whole too: a damaged zip fails its checksum or size.
    for (const other of parts.values()) {
      if (other !== part && !(await unpacks(other, UNPACKED_LIMIT_BYTES))) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * The number of entries the zip's end-of-directory record declares (APPNOTE.TXT 4.3.16), read
 * before JSZip builds an object for each; undefined when there is no such record (a zip cut
 * short). A zip64 count (0xFFFF here) is far more than any document has.
 */
function declaredEntryCount(bytes: Uint8Array): number | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const earliest = Math.max(0, bytes.length - 22 - 0xffff);
  for (let at = bytes.length - 22; at >= earliest; at -= 1) {
    if (view.getUint32(at, true) === 0x06054b50) return view.getUint16(at + 10, true);
  }
  return undefined;
}

function declaredSize(entry: JSZip.JSZipObject): number | undefined {
  const size = (entry as unknown as Declared)._data?.uncompressedSize;
  return typeof size === 'number' ? size : undefined;
}

/** The main part the package's relationships name (ECMA-376 part 2, 9.3), if they name one. */
async function mainPartPath(parts: Map<string, JSZip.JSZipObject>): Promise<string | undefined> {
  const relationships = parts.get('_rels/.rels');
  if (relationships === undefined || (declaredSize(relationships) ?? 0) > RELATIONSHIPS_LIMIT_BYTES) return undefined;
  let xml: string;
  try {
    xml = await relationships.async('string');
  } catch {
    return undefined;
  }
  let target: string | undefined;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        const type = attributes.Type ?? '';
        if (target === undefined && /(?:^|:)Relationship$/u.test(name) && /\/officeDocument$/u.test(type))
          target = attributes.Target;
      },
    },
    { xmlMode: true },
  );
  parser.end(xml);
  if (target === undefined || /^[a-z][a-z0-9+.-]*:/iu.test(target)) return undefined;
  return target.replace(/^\/+/u, '');
}

/**
 * Unpacks a part as a stream, handing each piece to `read` (which says whether to go on). The
 * part must unpack to exactly the size the zip declares, no more than `limitBytes`, and match
 * its checksum: a damaged or tampered part fails one of these.
 */
function unpacks(
  part: JSZip.JSZipObject,
  limitBytes: number,
  read: (chunk: Uint8Array) => boolean = () => true,
): Promise<boolean> {
  const declared = (part as unknown as Declared)._data;
  const size = typeof declared?.uncompressedSize === 'number' ? declared.uncompressedSize : undefined;
  const crc = typeof declared?.crc32 === 'number' ? declared.crc32 : undefined;
  if (size !== undefined && size > limitBytes) return Promise.resolve(false);
  const limit = size ?? limitBytes;
  return new Promise((resolve) => {
    let settled = false;
    let unpacked = 0;
    let checksum = 0;
    const stream = part.nodeStream('nodebuffer');
    const settle = (whole: boolean): void => {
      if (settled) return;
      settled = true;
      stream.pause();
      resolve(whole);
    };
    stream
      .on('data', (chunk: Buffer) => {
        if (settled) return;
        unpacked += chunk.length;
        if (unpacked > limit) settle(false);
        else {
          checksum = zlib.crc32(chunk, checksum);
          if (!read(chunk)) settle(false);
        }
      })
      .on('error', () => settle(false))
      .on('end', () =>
        settle((size === undefined || unpacked === size) && (crc === undefined || checksum === crc >>> 0)),
      )
      .resume();
  });
}

/**
 * Whether a part is XML holding exactly one root element, with the expected name and
 * namespace, closed at the end, with no text outside it. It decodes as UTF-8 (or UTF-16 with
 * a byte order mark) and is read while it unpacks.
 */
async function isWellFormed(
  part: JSZip.JSZipObject,
  root: string,
  namespaces: string[],
  limitBytes: number,
): Promise<boolean> {
  // What the parser has seen; its callbacks change it.
  const seen = { problem: false, depth: 0, roots: 0, ending: false };
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (seen.depth === 0) {
          seen.roots += 1;
          const colon = name.indexOf(':');
          const local = colon < 0 ? name : name.slice(colon + 1);
          const namespace = attributes[colon < 0 ? 'xmlns' : `xmlns:${name.slice(0, colon)}`];
          if (seen.roots > 1 || local !== root || namespace === undefined || !namespaces.includes(namespace))
            seen.problem = true;
        }
        seen.depth += 1;
      },
      onclosetag() {
        // Elements still open when the text ends are closed by the parser: the part was cut short.
        if (seen.ending) seen.problem = true;
        seen.depth -= 1;
      },
      ontext(text) {
        if (seen.depth === 0 && text.trim() !== '') seen.problem = true;
      },
    },
    { xmlMode: true },
  );
  let decoder: TextDecoder | undefined;
  const read = (chunk: Uint8Array, final = false): boolean => {
    try {
      decoder ??= new TextDecoder(encodingOf(chunk), { fatal: true });
      const text = decoder.decode(chunk, { stream: !final });
      // XML 1.0 allows no control characters other than tab, line feed and carriage return.
      if (/[^\P{Cc}\t\n\r\u007f-\u009f]/u.test(text)) seen.problem = true;
      else parser.write(text);
    } catch {
      seen.problem = true;
    }
    return !seen.problem;
  };
  if (!(await unpacks(part, limitBytes, read))) return false;
  read(new Uint8Array(0), true);
  seen.ending = true;
  parser.end();
  return !seen.problem && seen.roots === 1 && seen.depth === 0;
}

/** UTF-16 parts start with a byte order mark (ECMA-376 part 2, 8.1.5); UTF-8 ones may. */
function encodingOf(start: Uint8Array): string {
  if (start[0] === 0xff && start[1] === 0xfe) return 'utf-16le';
  if (start[0] === 0xfe && start[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}
