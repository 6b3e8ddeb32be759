// Reading a CQC CLAS review report into a draft, whatever format it comes in: each format is
// first turned into the report's paragraphs in reading order (with the header table as
// label/value pairs), then one interpreter reads the review out of those.
import type { ReportDraft } from '../drafts.ts';
import { ImportRejected } from '../errors.ts';
import type { ReportBlock } from './blocks.ts';
import { readReportBlocks } from './read-report.ts';
import { blocksFromHtml } from './text-from-html.ts';
import { blocksFromPlainText, decodeText } from './text-from-plain.ts';

export type ReportFormat = 'pdf' | 'docx' | 'html' | 'text';

const NO_TEXT: Record<ReportFormat, string> = {
  pdf:
    'This PDF has no text that can be read: it may be a scanned image of the report. Upload the PDF from the ' +
    'CQC website or the Word version of the report instead.',
  docx: 'This Word document has no text in it. Check that you chose the CQC report, then upload it again.',
  html: 'This web page has no text in it. Check that you chose the CQC report, then upload it again.',
  text: 'This file is empty. Check that you chose the CQC report, then upload it again.',
};

async function blocksOf(content: Uint8Array, format: ReportFormat): Promise<ReportBlock[]> {
  // pdfjs and mammoth are large: they are loaded the first time a file needs them.
  if (format === 'pdf') return (await import('./text-from-pdf.ts')).blocksFromPdf(content);
  if (format === 'docx') return (await import('./text-from-docx.ts')).blocksFromDocx(content);
  if (format === 'html') return blocksFromHtml(decodeText(content));
  return blocksFromPlainText(content);
}

/**
 * Reads a report file into a draft of the review, its findings and its recommendation groups.
 * Throws ImportRejected, with a message for the person who chose the file, when the file cannot
 * be read or is not a CQC report; any other failure is turned into one too.
 */
export async function readReportFile(content: Uint8Array, format: ReportFormat): Promise<ReportDraft> {
  try {
    // pdf.js refuses a Node Buffer; a plain copy of the bytes reads the same in every format.
    const blocks = await blocksOf(Buffer.isBuffer(content) ? new Uint8Array(content) : content, format);
    if (blocks.length === 0) throw new ImportRejected(NO_TEXT[format]);
    return readReportBlocks(blocks);
  } catch (error) {
    if (error instanceof ImportRejected) throw error;
    throw new ImportRejected(
      'This file could not be read as a CQC report. Check that it is the report and not damaged, ' +
        'or upload it in another format (PDF or Word).',
    );
  }
}
