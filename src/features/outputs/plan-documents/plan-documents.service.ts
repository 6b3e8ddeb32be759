// The plan as a document to download: Word, Excel or CSV, of the plan now or of an issued
// version. Writers work from the snapshot alone, so a version's documents come out the same
// every time.
import { dateInEngland } from '../../../domain/dates.ts';
import type { AppContext } from '../../context.ts';
import { snapshotAt, type Acting, type PlanPoint } from '../versions/versions.service.ts';
import type { PlanSnapshot } from '../../../domain/plan-snapshot.ts';
import { planToCsv } from './plan-csv.ts';
import { planToDocx } from './plan-docx.ts';
import { planToXlsx } from './plan-xlsx.ts';

export const PLAN_FORMATS = ['docx', 'xlsx', 'csv'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

export const MEDIA_TYPES: Record<string, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  pdf: 'application/pdf',
  html: 'text/html; charset=utf-8',
};

export interface ProducedFile {
  fileName: string;
  mediaType: string;
  content: Buffer;
}

/** "rotherham-clas-action-plan-version-8.docx", or "…-2026-11-30.docx" for the plan now. */
export function documentFileName(snapshot: PlanSnapshot, what: string, format: string): string {
  const area =
    snapshot.review.area
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || `review-${snapshot.review.id}`;
  const when = snapshot.version
    ? `version-${snapshot.version.number.replace(/[^0-9a-z]+/gi, '')}`
    : dateInEngland(new Date(snapshot.takenAt));
  return `${area}-${what}-${when}.${format}`;
}

export async function writePlan(snapshot: PlanSnapshot, format: PlanFormat): Promise<ProducedFile> {
  const content =
    format === 'docx'
      ? await planToDocx(snapshot)
      : format === 'xlsx'
        ? await planToXlsx(snapshot)
        : planToCsv(snapshot);
  return {
    fileName: documentFileName(snapshot, 'clas-action-plan', format),
    mediaType: MEDIA_TYPES[format] ?? 'application/octet-stream',
    content,
  };
}

export async function exportPlan(
  ctx: AppContext,
  who: Acting,
  reviewId: number,
  format: PlanFormat,
  point: PlanPoint = 'now',
): Promise<ProducedFile> {
  return writePlan(await snapshotAt(ctx, who, reviewId, point), format);
}
