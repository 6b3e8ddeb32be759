// The library floor of each document, for the outputs benchmark: the same library writing a
// document of the same size as Clasp's, with none of Clasp's layout. What Clasp's writer takes
// beyond this is the cost of its layout; this much no writer on that library can avoid.
//
// - Word (docx): one paragraph per recommendation and per action with all its text (every
//   field, progress entry and evidence title) for the plan; one paragraph per piece of text
//   for the board report. No tables, headings, shading or styles.
// - Excel (exceljs): the same three sheets of cells as the plan (actions, progress, evidence),
//   dates as date cells, no styles, widths, filters or frozen panes.
// - PDF (pdfkit): every piece of the board report's text, flowed one paragraph after another
//   in Arimo (the font Clasp embeds), with no charts, tables, tagging or page furniture.
//
// Only libraries and types are imported, so the child process can run this file compiled
// on its own (see bench/outputs-child.ts).
import { createRequire } from 'node:module';
import fs from 'node:fs';
import type { PlanSnapshot, SnapshotAction } from '../src/domain/plan-snapshot.ts';
import type { BoardReport } from '../src/features/outputs/board-report/board-report.ts';

export type FloorKind = 'plan-docx' | 'plan-xlsx' | 'board-docx' | 'board-pdf';

/** Every string inside a value, depth first: the text a renderer has to set. */
export function textsOf(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') {
    if (value.trim() !== '') into.push(value);
  } else if (Array.isArray(value)) {
    for (const item of value) textsOf(item, into);
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) textsOf(item, into);
  }
  return into;
}

function actionText(action: SnapshotAction): string {
  return [
    action.label,
    action.agency,
    action.action,
    action.lead,
    action.dateWords,
    action.measure,
    action.assurance,
    action.rating ?? '',
    ...action.progress.map((p) => `${p.on} ${p.text} (${p.author})`),
    ...action.evidence.map((e) => `${e.effectiveOn} ${e.title} ${e.status}`),
  ].join(' ');
}

function planTexts(snapshot: PlanSnapshot): string[] {
  const byRecommendation = new Map<number, SnapshotAction[]>();
  for (const a of snapshot.actions)
    byRecommendation.set(a.recommendationId, [...(byRecommendation.get(a.recommendationId) ?? []), a]);
  return snapshot.recommendations.flatMap((r) => [
    `${r.number} ${r.text} (See ${r.findingNumbers.join(' ')}) ${r.outcome} ${r.anticipatedEvidence}`,
    ...(byRecommendation.get(r.id) ?? []).map(actionText),
  ]);
}

async function docxOf(texts: string[]): Promise<Buffer> {
  const { Document, Packer, Paragraph } = await import('docx');
  const document = new Document({ sections: [{ children: texts.map((text) => new Paragraph({ text })) }] });
  return Packer.toBuffer(document);
}

const asDate = (iso: string | null): Date | null => (iso ? new Date(`${iso}T00:00:00Z`) : null);

async function xlsxOf(snapshot: PlanSnapshot): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  const numbers = new Map(snapshot.recommendations.map((r) => [r.id, r.number]));
  const actions = workbook.addWorksheet('Actions');
  actions.addRow([
    'Recommendation',
    'Action',
    'Agency',
    'SMART action',
    'Lead',
    'Date',
    'Due',
    'Measure',
    'Assurance',
    'Rating',
    'Status',
    'Agreed by',
    'Agreed on',
    'Last progress',
    'Progress',
    'Evidence',
  ]);
  for (const a of snapshot.actions) {
    actions.addRow([
      numbers.get(a.recommendationId) ?? '',
      a.number,
      a.agency,
      a.action,
      a.lead,
      a.dateWords,
      asDate(a.dueDate),
      a.measure,
      a.assurance,
      a.rating ?? '',
      a.ratingStatus,
      a.agreedBy ?? '',
      asDate(a.agreedOn),
      asDate(a.progress.at(-1)?.on ?? null),
      a.progress.map((p) => `${p.on} ${p.text}`).join('\n'),
      a.evidence.length,
    ]);
  }
  const progress = workbook.addWorksheet('Progress');
  progress.addRow(['Action', 'Date', 'Progress', 'By']);
  for (const a of snapshot.actions)
    for (const p of a.progress) progress.addRow([a.label, asDate(p.on), p.text, p.author]);
  const evidence = workbook.addWorksheet('Evidence');
  evidence.addRow(['Action', 'Date', 'Title', 'Kind', 'Status', 'Decided by', 'Decided on', 'Added by']);
  for (const a of snapshot.actions) {
    for (const e of a.evidence)
      evidence.addRow([
        a.label,
        asDate(e.effectiveOn),
        e.title,
        e.kind,
        e.status,
        e.statusBy ?? '',
        asDate(e.statusOn),
        e.addedBy,
      ]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

let arimo: Buffer | undefined;

async function pdfOf(texts: string[]): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  // Read once per process, as Clasp's PDF writer does.
  arimo ??= fs.readFileSync(
    createRequire(import.meta.url).resolve('@expo-google-fonts/arimo/400Regular/Arimo_400Regular.ttf'),
  );
  const doc = new PDFDocument({ size: 'A4', margin: 50 });
  doc.registerFont('Arimo', arimo);
  doc.font('Arimo').fontSize(11);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  for (const text of texts) doc.text(text);
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}

export async function writeFloor(kind: FloorKind, snapshot: PlanSnapshot, report: BoardReport | null): Promise<Buffer> {
  if (kind === 'plan-docx') return docxOf(planTexts(snapshot));
  if (kind === 'plan-xlsx') return xlsxOf(snapshot);
  if (!report) throw new Error(`The ${kind} floor needs the board report`);
  return kind === 'board-docx' ? docxOf(textsOf(report)) : pdfOf(textsOf(report));
}
