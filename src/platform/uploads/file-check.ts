import { Buffer } from 'node:buffer';
import { fileTypeFromBuffer, supportedExtensions, type FileTypeResult } from 'file-type';
import { officeFileOpens } from './ooxml-open.ts';
import { openPdf } from './pdf-open.ts';

/**
 * Checks an uploaded evidence file before it is stored. The type comes from the file's
 * content (its magic bytes), never from its name or the type the browser declared: the name
 * only has to agree with the content, and the stored name gets the content's extension.
 * A file whose bytes say PDF, Word, Excel or PowerPoint must also open as one.
 */

export interface CheckedFile {
  mediaType: string;
  extension: string;
  /** What a person would call it: 'PDF', 'Word document', 'PNG image', 'Email', 'Text'. */
  kindLabel: string;
  /** The safe name to store and to send in Content-Disposition. */
  fileName: string;
}

/** The message is shown to the user as it is: it says what is wrong and what to do. */
export class UploadRejected extends Error {
  override readonly name = 'UploadRejected';
}

export const ACCEPTED_DESCRIPTION =
  'PDF, Word, Excel, PowerPoint, PNG, JPEG, GIF, WebP, email (.eml) or text (.txt, .csv, .md)';

type Family = 'pdf' | 'word' | 'excel' | 'powerpoint' | 'png' | 'jpeg' | 'gif' | 'webp' | 'email' | 'text';

const FAMILY_PHRASES: Record<Family, string> = {
  pdf: 'a PDF',
  word: 'a Word document',
  excel: 'an Excel spreadsheet',
  powerpoint: 'a PowerPoint presentation',
  png: 'a PNG image',
  jpeg: 'a JPEG image',
  gif: 'a GIF image',
  webp: 'a WebP image',
  email: 'an email',
  text: 'a text file',
};

interface Kind {
  extension: string;
  mediaType: string;
  kindLabel: string;
  family: Family;
}

const KINDS = {
  pdf: { extension: 'pdf', mediaType: 'application/pdf', kindLabel: 'PDF', family: 'pdf' },
  docx: {
    extension: 'docx',
    mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    kindLabel: 'Word document',
    family: 'word',
  },
  xlsx: {
    extension: 'xlsx',
    mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    kindLabel: 'Excel spreadsheet',
    family: 'excel',
  },
  pptx: {
    extension: 'pptx',
    mediaType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    kindLabel: 'PowerPoint presentation',
    family: 'powerpoint',
  },
  doc: { extension: 'doc', mediaType: 'application/msword', kindLabel: 'Word document', family: 'word' },
  xls: { extension: 'xls', mediaType: 'application/vnd.ms-excel', kindLabel: 'Excel spreadsheet', family: 'excel' },
  ppt: {
    extension: 'ppt',
    mediaType: 'application/vnd.ms-powerpoint',
    kindLabel: 'PowerPoint presentation',
    family: 'powerpoint',
  },
  png: { extension: 'png', mediaType: 'image/png', kindLabel: 'PNG image', family: 'png' },
  jpg: { extension: 'jpg', mediaType: 'image/jpeg', kindLabel: 'JPEG image', family: 'jpeg' },
  gif: { extension: 'gif', mediaType: 'image/gif', kindLabel: 'GIF image', family: 'gif' },
  webp: { extension: 'webp', mediaType: 'image/webp', kindLabel: 'WebP image', family: 'webp' },
  eml: { extension: 'eml', mediaType: 'message/rfc822', kindLabel: 'Email', family: 'email' },
  // The charset is stated because the content was checked to be UTF-8; browsers then never guess it.
  txt: { extension: 'txt', mediaType: 'text/plain; charset=utf-8', kindLabel: 'Text', family: 'text' },
  csv: { extension: 'csv', mediaType: 'text/csv; charset=utf-8', kindLabel: 'CSV file', family: 'text' },
  md: { extension: 'md', mediaType: 'text/markdown; charset=utf-8', kindLabel: 'Markdown text', family: 'text' },
} as const satisfies Record<string, Kind>;

type KindKey = keyof typeof KINDS;

/** The type each accepted name extension promises. */
const NAME_FAMILIES: Record<string, Family> = {
  pdf: 'pdf',
  doc: 'word',
  docx: 'word',
  xls: 'excel',
  xlsx: 'excel',
  ppt: 'powerpoint',
  pptx: 'powerpoint',
  png: 'png',
  jpg: 'jpeg',
  jpeg: 'jpeg',
  gif: 'gif',
  webp: 'webp',
  eml: 'email',
  txt: 'text',
  csv: 'text',
  md: 'text',
};

/** Kinds file-type recognises on its own; GIF and CFB need a closer look. */
const SIGNATURE_KINDS: Record<string, KindKey> = {
  pdf: 'pdf',
  docx: 'docx',
  xlsx: 'xlsx',
  pptx: 'pptx',
  png: 'png',
  jpg: 'jpg',
  webp: 'webp',
};
const TEXT_KINDS: Record<string, KindKey> = { txt: 'txt', csv: 'csv', md: 'md' };
const MACRO_ENABLED = new Set(['docm', 'dotm', 'xlsm', 'xltm', 'xlam', 'pptm', 'potm', 'ppsm']);
const CONTENT_PHRASES: Record<string, string> = {
  exe: 'a Windows program',
  elf: 'a program',
  zip: 'a zip file',
  xml: 'an XML file',
};

/** Extensions a stored name loses when the content's extension replaces them. */
const KNOWN_EXTENSIONS = new Set([
  ...Object.keys(NAME_FAMILIES),
  ...supportedExtensions,
  'htm',
  'html',
  'js',
  'json',
  'svg',
  'bin',
  'dat',
  'tmp',
  'rtf',
  'msg',
]);

const MAX_NAME_CHARACTERS = 120;
// Most file systems allow 255 bytes in a name; 120 characters of some scripts exceed that.
const MAX_NAME_BYTES = 255;

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });
// Control characters (C0, DEL and C1) other than tab, LF, form feed and CR.
const CONTROL_CHARACTERS = /[^\P{Cc}\t\n\f\r]/u;
/**
 * Text a browser could take for markup. The tags are those of the WHATWG MIME Sniffing
 * standard (§7.1, "identifying a resource with an unknown MIME type"), plus SVG.
 */
const MARKUP_START = new RegExp(
  String.raw`^[\s\uFEFF]*(?:<!doctype|<\?xml|<!--|` +
    String.raw`<(?:html|head|body|script|iframe|style|title|table|div|font|svg|h1|br|a|b|p)(?:[\s>/]|$))`,
  'iu',
);

export async function checkUpload(input: {
  bytes: Uint8Array;
  fileName: string;
  limitBytes: number;
}): Promise<CheckedFile> {
  const { bytes, fileName, limitBytes } = input;
  if (bytes.length === 0)
    throw new UploadRejected('The selected file is empty. Choose a file that has something in it.');
  if (bytes.length > limitBytes)
    throw new UploadRejected(`The selected file must be smaller than ${formatSize(limitBytes)}`);

  const nameExtension = extensionOf(cleanBaseName(fileName));
  const named = NAME_FAMILIES[nameExtension];
  const detected = await fileTypeFromBuffer(bytes);
  const accept = (kind: KindKey): CheckedFile => {
    const { extension, mediaType, kindLabel, family } = KINDS[kind];
    if (named !== undefined && named !== family) refuse(named, FAMILY_PHRASES[family]);
    return { mediaType, extension, kindLabel, fileName: safeFileName(fileName, extension) };
  };

  if (detected !== undefined && MACRO_ENABLED.has(detected.ext)) {
    throw new UploadRejected(
      'The selected file contains macros. Save it without macros, as a .docx, .xlsx or .pptx file, ' +
        'and upload it again.',
    );
  }
  const signatureKind = detected === undefined ? undefined : SIGNATURE_KINDS[detected.ext];
  if (signatureKind !== undefined) {
    const checked = accept(signatureKind);
    await checkOpens(signatureKind, bytes);
    return checked;
  }
  if (detected?.ext === 'gif' && isGif(bytes)) return accept('gif');
  if (detected?.ext === 'cfb') {
    if (hasCfbEntry(bytes, 'EncryptedPackage')) {
      throw new UploadRejected(PASSWORD_PROTECTED);
    }
    const kind = legacyOfficeKind(bytes, named);
    if (kind === undefined) refuse(named, 'a Microsoft compound file that is not a Word, Excel or PowerPoint file');
    // Trusted only when the name agrees: installers and Outlook messages are compound files too.
    if (named === undefined) refuse(named, undefined);
    return accept(kind);
  }

  // A Word, Excel or PowerPoint file cut short or missing its parts is only a zip to file-type.
  if (detected?.ext === 'zip' && (named === 'word' || named === 'excel' || named === 'powerpoint'))
    throw cannotOpen(named);

  const text = readText(bytes);
  if (text.kind === 'markup') refuse(named, text.description);
  if (text.kind === 'not-text') {
    if (named === 'text' && text.problem === 'encoding') {
      const excel = nameExtension === 'csv' ? ' In Excel, choose CSV UTF-8 as the file type.' : '';
      throw new UploadRejected(
        `The selected file is not saved as UTF-8 text. Save it with UTF-8 encoding and upload it again.${excel}`,
      );
    }
    if (named === 'text') {
      throw new UploadRejected(
        'The selected file is not a plain text file: it contains characters that are not text. ' +
          'Save it as UTF-8 text and upload it again.',
      );
    }
    refuse(named, describe(detected));
  }
  // An email may carry an 8-bit body in the charset its headers declare: fine as .eml, not as UTF-8 text.
  if (text.kind === 'email' && named === 'text') {
    throw new UploadRejected(
      'The selected file is not saved as UTF-8 text. Save it with UTF-8 encoding and upload it again.',
    );
  }
  const isEmail = text.kind === 'email' || text.email;
  if (named === 'text') return accept(TEXT_KINDS[nameExtension] ?? 'txt');
  if (named === 'email') return isEmail ? accept('eml') : refuse(named, 'text that does not start with email headers');
  if (named === undefined && nameExtension === '') return accept(isEmail ? 'eml' : 'txt');
  // A name that promises any other type (report.pdf, script.js) is not trusted with text content.
  return refuse(named, isEmail ? 'an email' : 'plain text');
}

const PASSWORD_PROTECTED =
  'The selected file is password protected. Remove the password, save the file and upload it again.';

/**
 * Refuses a PDF, Word, Excel or PowerPoint file that a reader could not open: the bytes start
 * as one, but the rest is missing, broken or something else.
 */
async function checkOpens(kind: KindKey, bytes: Uint8Array): Promise<void> {
  if (kind === 'pdf') {
    const opening = pdfEndsWhole(bytes) ? await openPdf(bytes) : 'damaged';
    if (opening === 'opens') return;
    if (opening === 'password') throw new UploadRejected(PASSWORD_PROTECTED);
  } else if (kind === 'docx' || kind === 'xlsx' || kind === 'pptx') {
    if (await officeFileOpens(bytes, kind)) return;
  } else {
    return;
  }
  throw cannotOpen(KINDS[kind].family);
}

function cannotOpen(family: Family): UploadRejected {
  return new UploadRejected(
    `The selected file is not ${FAMILY_PHRASES[family]} or it is damaged: it cannot be opened as one. ` +
      'Check you chose the right file and upload it again.',
  );
}

/**
 * A PDF ends with `startxref`, the offset of its last cross-reference section and `%%EOF`,
 * which readers look for in the last 1024 bytes (PDF 1.7, annex H, note 18). A download cut
 * short has no such end, even when pdf.js could rebuild what is left of it.
 */
function pdfEndsWhole(bytes: Uint8Array): boolean {
  const window = 1024;
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - window - 64))).toString('latin1');
  const end = tail.lastIndexOf('%%EOF');
  return end >= tail.length - window - 5 && end >= 0 && /startxref\s+\d+\s*$/u.test(tail.slice(0, end));
}

/** A name that is safe to store and to send in Content-Disposition, ending in `extension`. */
export function safeFileName(name: string, extension: string): string {
  const suffix = extension.toLowerCase().replace(/[^a-z0-9]/g, '');
  const base = cleanBaseName(name).replace(/[. ]+$/u, '');
  const dot = suffix === '' ? -1 : base.lastIndexOf('.');
  let stem = dot >= 0 && KNOWN_EXTENSIONS.has(base.slice(dot + 1).toLowerCase()) ? base.slice(0, dot) : base;
  const room = { characters: MAX_NAME_CHARACTERS - suffix.length - 1, bytes: MAX_NAME_BYTES - suffix.length - 1 };
  stem = truncate(stem.replace(/^[. ]+/u, '').replace(/[. ]+$/u, ''), room.characters, room.bytes).replace(
    /[. ]+$/u,
    '',
  );
  return suffix === '' ? stem || 'evidence' : `${stem || 'evidence'}.${suffix}`;
}

/** The last path segment, without characters that are unsafe or invisible in a name. */
function cleanBaseName(name: string): string {
  const base = name.normalize('NFC').split(/[/\\]/u).pop() ?? '';
  // Cf covers the bidi controls that can make 'exe.pdf' read as 'fdp.exe', and zero-width spaces.
  return base
    .replace(/\s+/gu, ' ')
    .replace(/[\p{Cc}\p{Cf}"'`<>:|?*]/gu, '')
    .replace(/ {2,}/gu, ' ')
    .trim();
}

function extensionOf(baseName: string): string {
  const trimmed = baseName.replace(/[. ]+$/u, '');
  const dot = trimmed.lastIndexOf('.');
  return dot >= 0 ? trimmed.slice(dot + 1).toLowerCase() : '';
}

/** Cuts whole code points, never half a surrogate pair, to fit both limits. */
function truncate(text: string, maxCharacters: number, maxBytes: number): string {
  let kept = '';
  for (const character of text) {
    const next = kept + character;
    if (next.length > maxCharacters || Buffer.byteLength(next) > maxBytes) break;
    kept = next;
  }
  return kept;
}

function refuse(named: Family | undefined, content: string | undefined): never {
  if (named === undefined) throw new UploadRejected(`The selected file must be a ${ACCEPTED_DESCRIPTION} file`);
  const expected = FAMILY_PHRASES[named];
  if (content === undefined) {
    throw new UploadRejected(
      `The selected file is not ${expected} or it is damaged. Check you chose the right file and upload it again.`,
    );
  }
  throw new UploadRejected(
    `The selected file is not ${expected}: its content is ${content}. Check you chose the right file.`,
  );
}

function describe(detected: FileTypeResult | undefined): string | undefined {
  if (detected === undefined) return undefined;
  return CONTENT_PHRASES[detected.ext] ?? `a .${detected.ext} file`;
}

function formatSize(limitBytes: number): string {
  const megabytes = limitBytes / (1024 * 1024);
  if (megabytes >= 1) return `${Math.floor(megabytes * 10) / 10} MB`;
  if (limitBytes >= 1024) return `${Math.floor(limitBytes / 1024)} KB`;
  return `${limitBytes} bytes`;
}

/** file-type calls anything starting 'GIF' a GIF; a real one starts GIF87a or GIF89a. */
function isGif(bytes: Uint8Array): boolean {
  const signature = Buffer.from(bytes.subarray(0, 6)).toString('latin1');
  return signature === 'GIF87a' || signature === 'GIF89a';
}

/**
 * Word, Excel and PowerPoint 97-2003 files are compound files (MS-CFB) holding a stream
 * named for the program. Embedded objects bring other programs' streams along, so the
 * type the name promises is looked for first.
 */
function legacyOfficeKind(bytes: Uint8Array, named: Family | undefined): 'doc' | 'xls' | 'ppt' | undefined {
  const streams: Array<[Family, 'doc' | 'xls' | 'ppt', string[]]> = [
    ['word', 'doc', ['WordDocument']],
    ['powerpoint', 'ppt', ['PowerPoint Document']],
    ['excel', 'xls', ['Workbook', 'Book']],
  ];
  streams.sort(([a], [b]) => Number(b === named) - Number(a === named));
  return streams.find(([, , names]) => names.some((name) => hasCfbEntry(bytes, name)))?.[1];
}

/**
 * Whether a compound file has a directory entry with this name. Directory entries are
 * 128 bytes, 128-byte aligned after the 512-byte header: a UTF-16LE name, then its length
 * in bytes including the terminator, then the type (1 storage, 2 stream) [MS-CFB] 2.6.1.
 */
function hasCfbEntry(bytes: Uint8Array, name: string): boolean {
  const wanted = Buffer.from(`${name}\0`, 'utf16le');
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let entry = 512; entry + 128 <= data.length; entry += 128) {
    if (data.readUInt16LE(entry + 64) !== wanted.length) continue;
    const type = data[entry + 66];
    if ((type === 1 || type === 2) && data.subarray(entry, entry + wanted.length).equals(wanted)) return true;
  }
  return false;
}

type TextContent =
  | { kind: 'text'; email: boolean }
  | { kind: 'email' }
  | { kind: 'markup'; description: string }
  | { kind: 'not-text'; problem: 'encoding' | 'control' };

function readText(bytes: Uint8Array): TextContent {
  const email = looksLikeEmail(bytes);
  let text: string;
  try {
    text = STRICT_UTF8.decode(bytes);
  } catch {
    return email ? { kind: 'email' } : { kind: 'not-text', problem: 'encoding' };
  }
  const markup = MARKUP_START.exec(text)?.[0].trimStart().toLowerCase();
  if (markup !== undefined) {
    const description = markup.startsWith('<?xml')
      ? 'an XML file'
      : markup.startsWith('<svg')
        ? 'an SVG image'
        : 'a web page (HTML)';
    return { kind: 'markup', description };
  }
  if (CONTROL_CHARACTERS.test(text)) return email ? { kind: 'email' } : { kind: 'not-text', problem: 'control' };
  return { kind: 'text', email };
}

const EMAIL_FIELDS = new Set([
  'from',
  'to',
  'cc',
  'subject',
  'date',
  'received',
  'mime-version',
  'message-id',
  'return-path',
  'reply-to',
  'sender',
]);
const HEADER_FIELD = /^([\x21-\x39\x3B-\x7E]+):/u;

/**
 * An email (RFC 5322 §2.2): a block of header fields, possibly folded, ending at the first
 * empty line, with at least two of the usual fields. The header block must be clean UTF-8
 * (RFC 6532); the body may be in any charset its headers declare, but holds no NUL bytes.
 */
function looksLikeEmail(bytes: Uint8Array): boolean {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ends = [data.indexOf('\n\n'), data.indexOf('\n\r\n')].filter((at) => at >= 0);
  const end = ends.length > 0 ? Math.min(...ends) : data.length;
  let header: string;
  try {
    header = STRICT_UTF8.decode(data.subarray(0, end));
  } catch {
    return false;
  }
  if (/[^\P{Cc}\t\n\r]/u.test(header) || data.indexOf(0, end) >= 0) return false;
  const lines = header.split(/\r?\n/u);
  // An mbox 'From ' line may come first in files saved by some mail programs.
  if (lines[0]?.startsWith('From ')) lines.shift();
  const fields = new Set<string>();
  for (const [index, line] of lines.entries()) {
    if (index > 0 && /^[ \t]/u.test(line)) continue;
    const field = HEADER_FIELD.exec(line)?.[1];
    if (field === undefined) return false;
    if (EMAIL_FIELDS.has(field.toLowerCase())) fields.add(field.toLowerCase());
  }
  return fields.size >= 2;
}
