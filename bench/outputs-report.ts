// The outputs benchmark's figures: medians of the runs after the first, the ratio to the
// library floor, and the verdicts against the aims of issue 5.
import type { RunTimes } from './outputs-child.ts';
import type { Measured } from './outputs-run.ts';

export const AIMS = { wordMs: 2000, excelMs: 2000, pdfMs: 3000, memoryMb: 300 };

export type CaseResult = {
  database: string;
  plan: string;
  document: string;
  aimMs: number | null;
  measured: Measured | null;
  floor: Measured | null;
  error: string | null;
};

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
const ms = (n: number): string => (Number.isFinite(n) ? n.toFixed(0) : '–');
const mbText = (n: number): string => (Number.isFinite(n) ? n.toFixed(0) : '–');

/** The runs after the first: the first pays for code and fonts loaded on first use. */
const later = (m: Measured | null): RunTimes[] => (m ? m.runs.slice(1) : []);
const med = (m: Measured | null, key: 'snapshotMs' | 'modelMs' | 'writeMs' | 'totalMs'): number =>
  median(later(m).map((r) => r[key]));

export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) => r.map((cell, i) => (i <= 1 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  '))
    .join('\n');
}

export function resultsTable(results: CaseResult[]): string {
  const rows = [
    [
      'plan',
      'document',
      'first',
      'snapshot',
      'model',
      'writer',
      'total (min–max)',
      'floor',
      '× floor',
      'KB',
      'pages',
      'node MB',
      'start MB',
      '1st peak',
      'peak MB',
      'other CPU %',
    ],
  ];
  for (const r of results) {
    const m = r.measured;
    if (!m) {
      rows.push([r.plan, r.document, 'failed', ...Array.from({ length: 13 }, () => '')]);
      continue;
    }
    const totals = later(m).map((x) => x.totalMs);
    const floorWrite = med(r.floor, 'writeMs');
    const last = m.runs.at(-1);
    rows.push([
      r.plan,
      r.document,
      ms(m.runs[0]?.totalMs ?? NaN),
      ms(med(m, 'snapshotMs')),
      r.document.startsWith('board') ? ms(med(m, 'modelMs')) : '–',
      ms(med(m, 'writeMs')),
      `${ms(median(totals))} (${ms(Math.min(...totals))}–${ms(Math.max(...totals))})`,
      r.floor ? ms(floorWrite) : '–',
      r.floor ? (med(m, 'writeMs') / floorWrite).toFixed(1) : '–',
      last ? (last.bytes / 1024).toFixed(0) : '–',
      last?.pages !== null && last?.pages !== undefined ? String(last.pages) : '–',
      mbText(m.bootRssMb),
      mbText(m.startRssMb),
      mbText(m.firstPeakMb),
      mbText(m.peakMb),
      m.otherCpuPct.toFixed(0),
    ]);
  }
  return table(rows);
}

export function floorTable(results: CaseResult[]): string {
  const rows = [['plan', 'document floor', 'first', 'median', 'KB', 'pages', 'start MB', 'peak MB']];
  for (const r of results) {
    const f = r.floor;
    if (!f) continue;
    const last = f.runs.at(-1);
    rows.push([
      r.plan,
      r.document,
      ms(f.runs[0]?.writeMs ?? NaN),
      ms(med(f, 'writeMs')),
      last ? (last.bytes / 1024).toFixed(0) : '–',
      last?.pages !== null && last?.pages !== undefined ? String(last.pages) : '–',
      mbText(f.startRssMb),
      mbText(f.peakMb),
    ]);
  }
  return table(rows);
}

/** Whether every run wrote the same bytes (the snapshot's fixed timestamp makes documents repeatable). */
export function sameBytes(m: Measured | null): boolean {
  return m !== null && new Set(m.runs.map((r) => r.sha256)).size === 1;
}

export type Verdict = { aim: string; detail: string; ok: boolean };

export function verdicts(results: CaseResult[]): Verdict[] {
  const out: Verdict[] = [];
  for (const r of results) {
    if (r.aimMs === null) continue;
    const total = med(r.measured, 'totalMs');
    const first = r.measured?.runs[0]?.totalMs ?? NaN;
    out.push({
      aim: `${r.plan}, ${r.document}, ${r.database}: snapshot + writer < ${r.aimMs / 1000} s`,
      detail: r.error ? 'failed' : `${ms(total)} ms (first run ${ms(first)})`,
      ok: r.error === null && total < r.aimMs,
    });
  }
  const failed = results.filter((r) => r.error).length;
  const memory = (what: string, of: (m: Measured) => number) => {
    const worst = results.reduce<CaseResult | null>(
      (w, r) => (r.measured && (!w?.measured || of(r.measured) > of(w.measured)) ? r : w),
      null,
    );
    const peak = worst?.measured ? of(worst.measured) : NaN;
    out.push({
      aim: `peak RSS ${what} < ${AIMS.memoryMb} MB`,
      detail: worst
        ? `${mbText(peak)} MB (${worst.plan}, ${worst.document}, ${worst.database})` +
          (failed ? `; ${failed} case(s) failed` : '')
        : 'no case ran',
      ok: failed === 0 && peak < AIMS.memoryMb,
    });
  };
  memory('after the first document in a process', (m) => m.firstPeakMb);
  memory('over all the runs of a case in one process', (m) => m.peakMb);
  return out;
}
