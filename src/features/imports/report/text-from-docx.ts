// Word (.docx) → report blocks. mammoth turns the document body into plain semantic HTML
// (headings, paragraphs, lists, tables, superscripts), which the HTML reader then reads, so
// Word and HTML reports go through the same code.
import mammoth from 'mammoth';
import { ImportRejected } from '../errors.ts';
import type { ReportBlock } from './blocks.ts';
import { blocksFromHtml } from './text-from-html.ts';

// Compound-file signature: password-protected Word files, and old .doc files, are not ZIP packages.
const COMPOUND_FILE = [0xd0, 0xcf, 0x11, 0xe0];

// Images play no part in reading a report; not decoding them saves time and memory.
const skipImages = mammoth.images.imgElement(() => Promise.resolve({ src: '' }));

export async function blocksFromDocx(content: Uint8Array): Promise<ReportBlock[]> {
  if (COMPOUND_FILE.every((byte, i) => content[i] === byte)) {
    throw new ImportRejected(
      'This Word file is password-protected or saved in the old Word 97–2003 (.doc) format, so it cannot be read. ' +
        'Remove the password, or open it in Word and save it as a .docx document, then upload it again.',
    );
  }
  let html: string;
  try {
    const buffer = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
    html = (await mammoth.convertToHtml({ buffer }, { convertImage: skipImages, externalFileAccess: false })).value;
  } catch {
    throw new ImportRejected(
      'This file could not be opened as a Word document: it may be damaged or not a .docx file. ' +
        'Open it in Word to check it, save it again as a .docx document, or upload the report as a PDF instead.',
    );
  }
  return blocksFromHtml(html);
}
