// PDF → report blocks, with pdfjs reading each page's positioned text runs. Fonts are not
// loaded and no code from the file is evaluated: only the text and where it sits are needed.
import { getDocument, VerbosityLevel } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { ImportRejected } from '../errors.ts';
import type { ReportBlock } from './blocks.ts';
import { blocksFromPositionedPages, type PositionedPage, type PositionedText } from './pdf-layout.ts';

// CQC reports run to 20–60 pages; far longer files are not reports and would only cost time.
const MAX_PAGES = 400;
const TIME_LIMIT_MS = 30_000;

const DAMAGED =
  'This PDF could not be read: it is damaged or not a PDF file. Download the report again from the CQC website ' +
  '(or ask CQC for a new copy) and upload that file, or upload the Word version of the report.';
const PASSWORD =
  'This PDF is password-protected, so its text cannot be read. Upload a copy without a password: ' +
  'download the report again from the CQC website, or ask whoever sent it for an unprotected copy.';

// A scanner's PDF holds pictures of the pages and no text, or only a stamp ("Scanned on …")
// a few words long; any page of a report has hundreds of letters.
const SCAN_LETTERS_PER_PAGE = 40;
const SCAN =
  'This PDF has no text in it: it looks like a scan or a picture of the report. Clasp cannot read scans. ' +
  'Upload the report as the PDF published by CQC, or as a Word or web page file.';

type TextRun = { str?: unknown; transform?: unknown; width?: unknown };

/** A horizontal run of text with its position and font size, or null for anything else. */
function positioned(item: TextRun): PositionedText | null {
  if (typeof item.str !== 'string' || !Array.isArray(item.transform) || typeof item.width !== 'number') return null;
  const [a, b, c, d, x, y] = item.transform.map(Number);
  if ([a, b, c, d, x, y].some((n) => n === undefined || !Number.isFinite(n))) return null;
  const size = Math.hypot(c ?? 0, d ?? 0);
  // Rotated or mirrored text (watermarks, margin notes) is not part of the reading text.
  if (size === 0 || Math.abs(b ?? 0) > 0.01 * size || Math.abs(c ?? 0) > 0.01 * size || (a ?? 0) <= 0) return null;
  return { text: item.str, x: x ?? 0, y: y ?? 0, width: item.width, size };
}

function rejectionFor(error: unknown): ImportRejected {
  if (error instanceof ImportRejected) return error;
  const name = error instanceof Error ? error.name : '';
  return new ImportRejected(name === 'PasswordException' ? PASSWORD : DAMAGED);
}

export async function blocksFromPdf(content: Uint8Array, timeLimitMs = TIME_LIMIT_MS): Promise<ReportBlock[]> {
  const deadline = Date.now() + timeLimitMs;
  // pdfjs may take over the array it is given, so it gets a copy.
  const task = getDocument({
    data: content.slice(),
    useSystemFonts: false,
    isEvalSupported: false,
    disableFontFace: true,
    verbosity: VerbosityLevel.ERRORS,
  });
  try {
    const document = await task.promise;
    if (document.numPages > MAX_PAGES) {
      throw new ImportRejected(
        `This PDF has ${document.numPages} pages, far more than a CQC review report. ` +
          'Check that you chose the report file.',
      );
    }
    const pages: PositionedPage[] = [];
    let letters = 0;
    for (let number = 1; number <= document.numPages; number += 1) {
      if (Date.now() > deadline) {
        throw new ImportRejected(
          'Reading this PDF took too long, so it was stopped. Check that the file is the CQC report, ' +
            'or upload the Word version instead.',
        );
      }
      const page = await document.getPage(number);
      const text = await page.getTextContent();
      const runs = text.items.flatMap((item) => positioned(item as TextRun) ?? []);
      for (const run of runs) letters += run.text.match(/\p{L}/gu)?.length ?? 0;
      pages.push(runs);
      page.cleanup();
    }
    if (pages.length > 0 && letters < SCAN_LETTERS_PER_PAGE * pages.length) throw new ImportRejected(SCAN);
    return blocksFromPositionedPages(pages);
  } catch (error) {
    throw rejectionFor(error);
  } finally {
    await task.destroy();
  }
}
