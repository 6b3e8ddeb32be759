// The board and scrutiny report, of the plan now or of an issued version, compared with the
// version issued before it.
import type { AppContext } from '../../context.ts';
import { documentFileName, MEDIA_TYPES, type ProducedFile } from '../plan-documents/plan-documents.service.ts';
import { comparePlans } from '../../../domain/compare-plans.ts';
import type { PlanSnapshot } from '../../../domain/plan-snapshot.ts';
import { previousFrozenVersion, snapshotAt, type Acting, type PlanPoint } from '../versions/versions.service.ts';
import { boardToDocx } from './board-docx.ts';
import { boardToHtml, type BoardHtmlOptions } from './board-html.ts';
import { buildBoardReport } from './board-model.ts';
import { boardToPdf } from './board-pdf.ts';
import type { BoardReport } from './board-report.ts';

export const REPORT_FORMATS = ['html', 'docx', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function boardReportOf(current: PlanSnapshot, previous: PlanSnapshot | null): BoardReport {
  return buildBoardReport({ current, previous, changes: previous ? comparePlans(previous, current) : null });
}

export async function writeBoardReport(
  report: BoardReport,
  snapshot: PlanSnapshot,
  format: ReportFormat,
  options: BoardHtmlOptions = {},
): Promise<ProducedFile> {
  const content =
    format === 'html'
      ? Buffer.from(boardToHtml(report, options), 'utf8')
      : format === 'docx'
        ? await boardToDocx(report)
        : await boardToPdf(report);
  return {
    fileName: documentFileName(snapshot, 'clas-board-report', format),
    mediaType: MEDIA_TYPES[format] ?? 'application/octet-stream',
    content,
  };
}

export async function loadBoardReport(
  ctx: AppContext,
  who: Acting,
  reviewId: number,
  point: PlanPoint = 'now',
): Promise<{ report: BoardReport; snapshot: PlanSnapshot }> {
  const snapshot = await snapshotAt(ctx, who, reviewId, point);
  const previous = await previousFrozenVersion(ctx, who, reviewId, point);
  return { report: boardReportOf(snapshot, previous), snapshot };
}

export async function produceBoardReport(
  ctx: AppContext,
  who: Acting,
  reviewId: number,
  format: ReportFormat,
  point: PlanPoint = 'now',
  options: BoardHtmlOptions = {},
): Promise<ProducedFile> {
  const { report, snapshot } = await loadBoardReport(ctx, who, reviewId, point);
  return writeBoardReport(report, snapshot, format, options);
}
