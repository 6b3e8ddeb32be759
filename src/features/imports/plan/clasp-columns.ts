// What Clasp's own plan export adds to a plan, read back (columns.ts, CLASP_HEADERS): the
// organisations taking part, where each rating stands (agreed by whom and when, proposed,
// disputed), and the evidence items, one a line (domain/evidence-lines.ts).
import { readDateWords } from '../../../domain/date-words.ts';
import { readEvidenceLine, readLongDate } from '../../../domain/evidence-lines.ts';
import type { PlanAgreement, PlanEvidence } from '../drafts.ts';

const TAKING_PART_LINE = /^taking part\s*:\s*(.*)$/i;

/** The agency cell without its "Taking part: …" line (Clasp's Word plan), and the names that line gives. */
export function agencyAndTakingPart(words: string): { agency: string; named: string[] | null } {
  const lines = words.split('\n');
  const named = lines.flatMap((l) => {
    const m = TAKING_PART_LINE.exec(l.trim());
    return m ? [m[1] ?? ''] : [];
  });
  if (named.length === 0) return { agency: words, named: null };
  return {
    agency: lines
      .filter((l) => !TAKING_PART_LINE.test(l.trim()))
      .join('\n')
      .trim(),
    named: splitNames(named.join(';')),
  };
}

/** Names one a line or set apart by ";", each once. */
export function splitNames(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[;\n]/)
        .map((n) => n.trim())
        .filter(Boolean),
    ),
  ];
}

const AGREED_LINE = /^agreed(?: (\d{1,2} [a-z]+ \d{4}))?(?: by (.+))?$/i;

/** A day written in words or in a real date cell. */
export function dayOf(text: string, date: string | null): string | null {
  if (date) return date;
  const t = text.trim();
  return t === '' ? null : (readLongDate(t) ?? readDateWords(t).date);
}

/**
 * Where the rating stands, as Clasp's export says it: in its own columns (Excel, CSV), or in
 * lines of the rating cell below the rating (Word: "Agreed 16 June 2016 by Peer challenge group",
 * "Proposed, awaiting agreement", "Disputed"). Null when the file says nothing of it.
 */
export function agreementOf(
  own: { ratingStatus: string; agreedBy: string; agreedOn: string },
  agreedOnDate: string | null,
  ratingCells: readonly string[],
): PlanAgreement | null {
  const { ratingStatus, agreedBy, agreedOn } = own;
  if (ratingStatus !== '' || agreedBy !== '' || agreedOn !== '') {
    const status = /^\s*proposed\b/i.test(ratingStatus)
      ? 'proposed'
      : /^\s*agreed\b/i.test(ratingStatus) || agreedBy || agreedOn
        ? 'agreed'
        : null;
    if (status === null) return null;
    return {
      status,
      by: agreedBy.trim() || null,
      on: dayOf(agreedOn, agreedOnDate),
      disputed: /\bdisputed\b/i.test(ratingStatus),
    };
  }
  const lines = ratingCells.flatMap((text) => text.split('\n').map((l) => l.trim()));
  let agreement: PlanAgreement | null = null;
  for (const line of lines) {
    const agreed = AGREED_LINE.exec(line);
    if (agreed && agreement === null)
      agreement = {
        status: 'agreed',
        by: agreed[2]?.trim() ?? null,
        on: agreed[1] ? readLongDate(agreed[1]) : null,
        disputed: false,
      };
    else if (/^proposed, awaiting agreement$/i.test(line) && agreement === null)
      agreement = { status: 'proposed', by: null, on: null, disputed: false };
  }
  if (agreement && lines.some((l) => /^disputed$/i.test(l))) agreement.disputed = true;
  return agreement;
}

const FILE_NOTE = 'File in the exported plan';

/**
 * The evidence items in Clasp's "Evidence items" cell and the Word plan's lines, each read back;
 * `where` names the row in a warning about a line that cannot be read.
 */
export function evidenceOf(texts: readonly string[], where: string, warn: (message: string) => void): PlanEvidence[] {
  const lines = texts.map((l) => l.trim()).filter(Boolean);
  return lines.flatMap((line) => {
    const item = readEvidenceLine(line);
    if (!item) {
      warn(
        `${where}: the evidence item "${line.length > 80 ? `${line.slice(0, 80)}…` : line}" ` +
          'could not be read, so it was left out. Add it after importing.',
      );
      return [];
    }
    // A file cannot travel inside a table: it comes back as a note naming the file.
    const note =
      item.kind === 'file'
        ? `${FILE_NOTE}: ${item.fileName ?? ''}${item.sha256 ? ` (sha256 ${item.sha256})` : ''}`
        : item.note;
    return [
      {
        kind: item.kind === 'link' ? 'link' : 'note',
        title: item.title,
        effectiveOn: item.effectiveOn,
        periodStart: item.periodStart,
        url: item.kind === 'link' ? item.url : null,
        note: item.kind === 'link' ? null : note,
        status: item.status,
        reason: item.statusReason,
        decidedBy: item.statusBy,
        decidedOn: item.statusOn,
        addedBy: item.addedBy,
      },
    ];
  });
}
