// An evidence item as one line of text, the form a plan document gives it so that the plan
// importer can read it back (an "Evidence items" cell in Excel and CSV, a line under "Evidence
// for recommendation 1.1" in Word):
//
//   Audit of GP referrals | dated 1 May 2016 to 31 May 2016 | file: audit.pdf (sha256 9f86…) |
//   added by Named GP | accepted 16 June 2016 by Peer challenge group: Shows every practice.
//
// The parts are set apart by " | ": the title first, then labelled parts, the decision last (its
// reason may run on). Words of the item that hold " | " themselves are written with " / "
// instead, and every item is one line, so neither can be taken for a new part or a new item.
import { formatLongDate, isoFromParts, MONTH_NAMES } from './dates.ts';

export type EvidenceLineItem = {
  kind: 'file' | 'link' | 'note';
  title: string;
  /** YYYY-MM-DD the evidence is dated: the last day of the period, when it covers one. */
  effectiveOn: string;
  periodStart: string | null;
  fileName: string | null;
  sha256: string | null;
  url: string | null;
  note: string | null;
  status: 'submitted' | 'accepted' | 'rejected';
  statusReason: string | null;
  statusBy: string | null;
  /** YYYY-MM-DD of the decision. */
  statusOn: string | null;
  addedBy: string | null;
};

const SEPARATOR = ' | ';

/** Words on one line, with no " | " in them. */
function flat(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/\s\|\s/g, ' / ')
    .trim();
}

function what(item: EvidenceLineItem): string {
  if (item.kind === 'file') {
    const name = flat(item.fileName ?? '');
    return `file: ${name}${item.sha256 ? ` (sha256 ${item.sha256})` : ''}`;
  }
  return item.kind === 'link' ? `link: ${flat(item.url ?? '')}` : `note: ${flat(item.note ?? '')}`;
}

function decision(item: EvidenceLineItem): string {
  const reason = item.statusReason ? flat(item.statusReason) : '';
  if (item.status === 'submitted') return `awaiting a decision${reason ? `: ${reason}` : ''}`;
  return (
    item.status +
    (item.statusOn ? ` ${formatLongDate(item.statusOn)}` : '') +
    (item.statusBy ? ` by ${flat(item.statusBy).replace(/:/g, ' -')}` : '') +
    (reason ? `: ${reason}` : '')
  );
}

/** The item as one line (see the top of this file). */
export function evidenceLine(item: EvidenceLineItem): string {
  const dated = item.periodStart
    ? `dated ${formatLongDate(item.periodStart)} to ${formatLongDate(item.effectiveOn)}`
    : `dated ${formatLongDate(item.effectiveOn)}`;
  return [
    flat(item.title),
    dated,
    what(item),
    ...(item.addedBy ? [`added by ${flat(item.addedBy)}`] : []),
    decision(item),
  ].join(SEPARATOR);
}

const LONG_DATE = /^(\d{1,2}) ([A-Za-z]+) (\d{4})$/;

/** '14 July 2015' → '2015-07-14'; null for anything else. */
export function readLongDate(text: string): string | null {
  const m = LONG_DATE.exec(text.trim());
  if (!m) return null;
  const month = MONTH_NAMES.findIndex((name) => name.toLowerCase() === (m[2] ?? '').toLowerCase()) + 1;
  return month === 0 ? null : isoFromParts(Number(m[3]), month, Number(m[1]));
}

const DATED = /^dated (.+?)(?: to (.+))?$/;
const WHAT = /^(file|link|note): ?([\s\S]*)$/;
const ADDED = /^added by (.+)$/;
const DECIDED = /^(accepted|rejected)(?: (\d{1,2} [A-Za-z]+ \d{4}))?(?: by ([^:]+?))?(?:: ([\s\S]*))?$/;

/** An evidence item read back from its line, or null when the line is not one. */
export function readEvidenceLine(line: string): EvidenceLineItem | null {
  const parts = line.trim().split(SEPARATOR);
  const title = parts[0]?.trim() ?? '';
  if (title === '' || parts.length < 3) return null;
  const item: EvidenceLineItem = {
    kind: 'note',
    title,
    effectiveOn: '',
    periodStart: null,
    fileName: null,
    sha256: null,
    url: null,
    note: null,
    status: 'submitted',
    statusReason: null,
    statusBy: null,
    statusOn: null,
    addedBy: null,
  };
  let kindRead = false;
  let decided = false;
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i]?.trim() ?? '';
    const dated = DATED.exec(part);
    const kind = WHAT.exec(part);
    const added = ADDED.exec(part);
    if (dated && item.effectiveOn === '') {
      const first = readLongDate(dated[1] ?? '');
      const last = dated[2] === undefined ? first : readLongDate(dated[2]);
      if (!first || !last) return null;
      item.effectiveOn = last;
      item.periodStart = dated[2] === undefined ? null : first;
    } else if (kind && !kindRead) {
      kindRead = true;
      readWhat(item, kind[1] as 'file' | 'link' | 'note', (kind[2] ?? '').trim());
    } else if (added && item.addedBy === null) {
      item.addedBy = (added[1] ?? '').trim();
    } else if (readDecision(item, parts.slice(i).join(SEPARATOR).trim())) {
      // The decision comes last; its reason may hold anything, so the rest of the line is its own.
      decided = true;
      break;
    } else return null;
  }
  return item.effectiveOn !== '' && kindRead && decided ? item : null;
}

function readWhat(item: EvidenceLineItem, kind: 'file' | 'link' | 'note', words: string): void {
  item.kind = kind;
  if (kind === 'link') item.url = words;
  else if (kind === 'note') item.note = words;
  else {
    const m = /^(.*?)(?: \(sha256 ([0-9a-f]{64})\))?$/.exec(words);
    item.fileName = m?.[1] ?? words;
    item.sha256 = m?.[2] ?? null;
  }
}

function readDecision(item: EvidenceLineItem, words: string): boolean {
  const waiting = /^awaiting a decision(?:: ([\s\S]*))?$/i.exec(words);
  if (waiting) {
    item.status = 'submitted';
    item.statusReason = waiting[1]?.trim() || null;
    return true;
  }
  const m = DECIDED.exec(words);
  if (!m) return false;
  item.status = m[1] === 'accepted' ? 'accepted' : 'rejected';
  item.statusOn = m[2] === undefined ? null : readLongDate(m[2]);
  item.statusBy = m[3]?.trim() ?? null;
  item.statusReason = m[4]?.trim() || null;
  return true;
}
