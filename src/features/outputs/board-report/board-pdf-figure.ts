// Charts in the PDF: the same SVG the HTML report shows, drawn as vectors (sharp at any zoom,
// its labels real text), inside a Figure element whose alternative text is the chart's
// description, so a screen reader gets every number the chart shows (WCAG 2.2, 1.1.1).
import { createRequire } from 'node:module';
import { chartSize, chartSvg } from './charts.ts';
import type { ChartSpec } from './board-report.ts';
import { contentWidth, ensureSpace, FONT, MARGINS, type PdfWriter } from './board-pdf-writer.ts';

interface SvgToPdfOptions {
  width?: number;
  height?: number;
  preserveAspectRatio?: string;
  fontCallback?: (family: string, bold: boolean, italic: boolean) => string;
  warningCallback?: (message: string) => void;
}

type SvgToPdf = (doc: PDFKit.PDFDocument, svg: string, x: number, y: number, options?: SvgToPdfOptions) => void;

// svg-to-pdfkit is CommonJS without type declarations; this is the one function it exports.
const svgToPdf = createRequire(import.meta.url)('svg-to-pdfkit') as SvgToPdf;

/** pdfkit writes a Figure's bounding box and placement, which PDF/UA asks for; its types lag behind. */
type FigureOptions = PDFKit.Mixins.StructureElementOptions & {
  bbox?: [number, number, number, number];
  placement?: 'Block';
};

/** Room on the chart's page for its heading, its caption and the start of its table of numbers. */
const ROOM_FOR_NEIGHBOURS = 160;

/** The chart at the full text width, or smaller when that would not fit on one page with its neighbours. */
export function figureBox(doc: PDFKit.PDFDocument, chart: ChartSpec): { width: number; height: number } {
  const size = chartSize(chart);
  const maxHeight = doc.page.height - MARGINS.top - MARGINS.bottom - ROOM_FOR_NEIGHBOURS;
  const width = Math.min(contentWidth(doc), (maxHeight * size.width) / size.height);
  return { width, height: (width * size.height) / size.width };
}

/** `keepWith`: the height of the caption and the start of the table after the chart, which stay on its page. */
export function writeFigure(w: PdfWriter, chart: ChartSpec, keepWith = 0): void {
  const { doc } = w;
  const box = figureBox(doc, chart);
  ensureSpace(w, box.height + keepWith);
  const x = doc.page.margins.left;
  const y = doc.y;
  const options: FigureOptions = {
    alt: chart.description,
    bbox: [x, y, x + box.width, y + box.height],
    placement: 'Block',
  };
  const figure = doc.struct('Figure', options);
  w.root.add(figure);
  figure.add(() =>
    svgToPdf(doc, chartSvg(chart), x, y, {
      width: box.width,
      height: box.height,
      preserveAspectRatio: 'xMinYMin meet',
      fontCallback: (_family, bold) => (bold ? FONT.bold : FONT.regular),
      warningCallback: (message) => {
        throw new Error(`The chart "${chart.title}" could not be drawn in the PDF: ${message}`);
      },
    }),
  );
  figure.end();
  doc.x = x;
  doc.y = y + box.height + 6;
  doc.font(FONT.regular);
}
