// Reads the "by when" words that real plans put in a date cell ("31 December 2015",
// "Jan-16", "Autumn 2016", "Completed 28 July 2015 29 September 2015", "On-going") and
// derives a due date where one is meant. DOMAIN.md: keep the original words, derive a date
// where one is meant, and say when none can be derived — so the result always carries the
// untouched words and a plain-English reason.
import { daysInMonth, formatLongDate, isoFromParts, MONTH_NAMES } from './dates.ts';

export type DateWordsKind = 'day' | 'month' | 'season' | 'year' | 'financial-year' | 'none';

export type DateWordsReading = {
  /** The words exactly as given. */
  words: string;
  /** Every date found, in the order the words give them. */
  dates: string[];
  /** The derived due date: the latest date found, or null. */
  date: string | null;
  kind: DateWordsKind;
  reason: string;
};

export type DateWordsOptions = {
  /** Year for a day and month given without one ("30 September"); without it no date is read. */
  referenceYear?: number;
  /**
   * The day the review began ('YYYY-MM-DD', see reviewBeganOn). An action is due after its
   * review, so words whose dates all fall before it ("Safeguarding PLT 6 November 2014") name
   * something that had already happened: they are kept, but give no due date.
   */
  reviewBegan?: string | null;
};

type DateKind = Exclude<DateWordsKind, 'none'>;
type Reading =
  | { type: 'date'; date: string; kind: DateKind; describe: string }
  | { type: 'invalid' } // looks like a date but the day does not exist (31 June)
  | { type: 'no-year' } // a day and month with no year and no reference year
  | { type: 'contract-year' }; // "2016/17 contract": a contract year, not a due date
type Found = Reading & { start: number; end: number; text: string };
type Rule = { pattern: RegExp; read: (m: RegExpExecArray, options: DateWordsOptions) => Reading | null };

const MONTH =
  String.raw`(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|` +
  String.raw`sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?(?![a-z])`;
const ORDINAL = String.raw`(?:st|nd|rd|th)?`;
/**
 * Between a day and its month: spaces, a hyphen or "of", never a line break. Cells often hold one
 * date per line, and "Mar-17⏎Sep-17" is two months, not "17 Sep-17".
 */
const DAY_TO_MONTH = String.raw`(?:[^\S\n]+of)?(?:[^\S\n]|-)+`;
const FINANCIAL_YEAR = String.raw`(\d{4})\s*[/-]\s*(\d{4}|\d{2})`;

function monthNumber(name: string): number {
  const prefix = name.slice(0, 3).toLowerCase();
  return MONTH_NAMES.findIndex((full) => full.slice(0, 3).toLowerCase() === prefix) + 1;
}

/** Two-digit years are this century: plans date from 2000 on ("Jan-16" is January 2016). */
function fullYear(digits: string): number {
  return digits.length === 2 ? 2000 + Number(digits) : Number(digits);
}

/** The start year of a financial year written "2016/17", "2016-17" or "2016/2017", else null. */
function financialYearStart(first: string, second: string): number | null {
  const start = Number(first);
  const ok = second.length === 2 ? Number(second) === (start + 1) % 100 : Number(second) === start + 1;
  return ok ? start : null;
}

function fyLabel(start: number): string {
  return `${start}/${String((start + 1) % 100).padStart(2, '0')}`;
}

function endOfMonth(year: number, month: number): string | null {
  return isoFromParts(year, month, daysInMonth(year, month));
}

function day(year: number, month: number, dayOfMonth: number, note = ''): Reading {
  const date = isoFromParts(year, month, dayOfMonth);
  return date ? { type: 'date', date, kind: 'day', describe: formatLongDate(date) + note } : { type: 'invalid' };
}

function dated(date: string | null, kind: DateKind, describe: (iso: string) => string): Reading | null {
  return date ? { type: 'date', date, kind, describe: describe(date) } : null;
}

// Ends of the meteorological seasons; winter runs December to February, so it ends in
// the following year.
const SEASON_END: Record<string, { month: number; nextYear: boolean }> = {
  spring: { month: 5, nextYear: false },
  summer: { month: 8, nextYear: false },
  autumn: { month: 11, nextYear: false },
  fall: { month: 11, nextYear: false },
  winter: { month: 2, nextYear: true },
};

// Rules in priority order: a span of the words claimed by an earlier rule is not read again,
// so "2015-12-31" is one day (not a financial year 2015-12 nor the year 2015) and
// "2016/17 contract" is a contract year (not the financial year 2016/17).
const RULES: Rule[] = [
  {
    // 2015-12-31
    pattern: /\b(\d{4})-(\d{2})-(\d{2})\b/g,
    read: (m) => day(Number(m[1]), Number(m[2]), Number(m[3])),
  },
  {
    // 31/12/2015, 31.12.15, 31-12-2015: day first, as in the UK
    pattern: /\b(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})\b/g,
    read: (m) => day(fullYear(m[4] ?? ''), Number(m[3]), Number(m[1])),
  },
  {
    // 31 December 2015, 31st Dec 2015, 31-Dec-15
    pattern: new RegExp(String.raw`\b(\d{1,2})${ORDINAL}${DAY_TO_MONTH}${MONTH},?[\s-]+(\d{4}|\d{2})\b`, 'gi'),
    read: (m) => day(fullYear(m[3] ?? ''), monthNumber(m[2] ?? ''), Number(m[1])),
  },
  {
    // December 31, 2015
    pattern: new RegExp(String.raw`\b${MONTH}\s+(\d{1,2})${ORDINAL},?\s+(\d{4})\b`, 'gi'),
    read: (m) => day(Number(m[3]), monthNumber(m[1] ?? ''), Number(m[2])),
  },
  {
    // "Include in 2016/17 contract": names the contract the work goes into, not when it is due
    pattern: new RegExp(String.raw`\b${FINANCIAL_YEAR}\s+contracts?\b`, 'gi'),
    read: () => ({ type: 'contract-year' }),
  },
  {
    // Q3 2016/17, Quarter 3 2015/16: quarters of the financial year, April–June being Q1
    pattern: new RegExp(String.raw`\b(?:q|quarter\s*)([1-4])(?:\s+of)?\s+${FINANCIAL_YEAR}\b`, 'gi'),
    read: (m) => {
      const start = financialYearStart(m[2] ?? '', m[3] ?? '');
      if (start === null) return null;
      const quarter = Number(m[1]);
      const date = quarter === 4 ? endOfMonth(start + 1, 3) : endOfMonth(start, 3 + quarter * 3);
      return dated(
        date,
        'financial-year',
        (iso) => `End of Q${quarter} of financial year ${fyLabel(start)} (${formatLongDate(iso)})`,
      );
    },
  },
  {
    // Autumn 2016, Winter 2016/17
    pattern: /\b(spring|summer|autumn|fall|winter)\s+(?:of\s+)?(\d{4})(?:\s*[/-]\s*(\d{4}|\d{2}))?\b/gi,
    read: (m) => {
      const season = (m[1] ?? '').toLowerCase();
      const end = SEASON_END[season];
      const year = Number(m[2]);
      if (!end) return null;
      // Only winter spans two years; "Spring 2016/17" is left to the financial-year rule.
      if (m[3] !== undefined && (!end.nextYear || financialYearStart(m[2] ?? '', m[3]) === null)) return null;
      const label = end.nextYear ? fyLabel(year) : String(year);
      const date = endOfMonth(end.nextYear ? year + 1 : year, end.month);
      return dated(date, 'season', (iso) => `End of ${season} ${label} (${formatLongDate(iso)})`);
    },
  },
  {
    // 2016/17, 2016-17: the financial year ends on 31 March
    pattern: new RegExp(String.raw`\b${FINANCIAL_YEAR}\b`, 'g'),
    read: (m) => {
      const start = financialYearStart(m[1] ?? '', m[2] ?? '');
      if (start === null) return null;
      return dated(
        endOfMonth(start + 1, 3),
        'financial-year',
        (iso) => `End of financial year ${fyLabel(start)} (${formatLongDate(iso)})`,
      );
    },
  },
  {
    // Jan-16, Mar-17, January 2016, Sept 2015, end of March 2016: the month's last day
    pattern: new RegExp(String.raw`\b${MONTH}([\s'’/-]+)(\d{4}|\d{2})\b`, 'gi'),
    read: (m) => {
      // "Jan 16" could be the 16th of January; only "Jan-16" or "Jan '16" is a month and year.
      if ((m[3] ?? '').length === 2 && (m[2] ?? '').trim() === '') return null;
      const year = fullYear(m[3] ?? '');
      const month = monthNumber(m[1] ?? '');
      return dated(endOfMonth(year, month), 'month', () => `End of ${MONTH_NAMES[month - 1] ?? ''} ${year}`);
    },
  },
  {
    // 30 September: a day without a year
    pattern: new RegExp(String.raw`\b(\d{1,2})${ORDINAL}${DAY_TO_MONTH}${MONTH}`, 'gi'),
    read: (m, { referenceYear }) =>
      referenceYear === undefined
        ? { type: 'no-year' }
        : day(referenceYear, monthNumber(m[2] ?? ''), Number(m[1]), ` (year ${referenceYear} assumed)`),
  },
  {
    // 2016 alone: the end of the calendar year
    pattern: /\b(199\d|20\d{2})\b/g,
    read: (m) =>
      dated(isoFromParts(Number(m[1]), 12, 31), 'year', (iso) => `End of ${m[1] ?? ''} (${formatLongDate(iso)})`),
  },
];

function findAll(words: string, options: DateWordsOptions): Found[] {
  const found: Found[] = [];
  for (const { pattern, read } of RULES) {
    const re = new RegExp(pattern.source, pattern.flags);
    for (let m = re.exec(words); m !== null; m = re.exec(words)) {
      const start = m.index;
      const end = start + m[0].length;
      const reading = found.some((f) => start < f.end && f.start < end) ? null : read(m, options);
      if (reading) found.push({ ...reading, start, end, text: m[0] });
      // Retry from the next character when this match was not taken, so a shorter match
      // inside it can still be found.
      else re.lastIndex = start + 1;
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

// Words that say something about timing without naming a date, checked in this order.
const NO_DATE_WORDS: { pattern: RegExp; says: string }[] = [
  { pattern: /\b(tbc|tba|tbd|to be (confirmed|agreed|decided))\b/i, says: 'means the date is still to be confirmed' },
  { pattern: /\b(on[\s-]?going|continuous(ly)?|continual|rolling)\b/i, says: 'names no end date' },
  { pattern: /\bimmediate(ly)?\b/i, says: 'asks for action now but names no date' },
  { pattern: /\b(implemented|completed?|done|achieved|in place)\b/i, says: 'says it is done but not when' },
];

/** The dates, in words: "6 November 2014", "1 May 2014 and 6 November 2014". */
function listDates(dates: readonly string[]): string {
  const long = dates.map(formatLongDate);
  return long.length < 2 ? (long[0] ?? '') : `${long.slice(0, -1).join(', ')} and ${long.at(-1) ?? ''}`;
}

/**
 * Why a due date before the review began is not taken as one, or null when it is not before it.
 * Several dates are named when the words give several, all of them earlier.
 */
export function dueBeforeReview(dates: readonly string[], reviewBegan: string | null | undefined): string | null {
  if (!reviewBegan || dates.length === 0 || dates.some((d) => d >= reviewBegan)) return null;
  const unique = [...new Set(dates)];
  return (
    `No due date: ${listDates(unique)} ${unique.length === 1 ? 'is' : 'are'} ` +
    `before the review began on ${formatLongDate(reviewBegan)}`
  );
}

/** Reads the date words of a plan's "by when" cell. Pure: "today" plays no part. */
export function readDateWords(words: string, options: DateWordsOptions = {}): DateWordsReading {
  const quoted = `"${words.replace(/\s+/g, ' ').trim()}"`;
  const found = findAll(words, options);
  // The same date written twice ("Mar-17⏎Mar-17") is one date.
  const dates = found
    .flatMap((f) => (f.type === 'date' ? [f] : []))
    .filter((f, i, all) => all.findIndex((g) => g.date === f.date) === i);
  const notes = found.flatMap((f) => {
    if (f.type === 'contract-year') return [`"${f.text}" names a contract year, not a due date`];
    if (f.type === 'invalid') return [`"${f.text}" is not a real date`];
    if (f.type === 'no-year') return [`"${f.text}" has no year`];
    return [];
  });
  const none = (reason: string): DateWordsReading => ({
    words,
    dates: [],
    date: null,
    kind: 'none',
    reason: `No date: ${reason}`,
  });

  const first = dates[0];
  if (!first) {
    if (words.trim() === '') return none('no date words were given');
    if (found.some((f) => f.type === 'contract-year')) return none(`${quoted} names a contract year, not a due date`);
    const firstNote = notes[0];
    if (firstNote) return none(firstNote);
    const match = NO_DATE_WORDS.find(({ pattern }) => pattern.test(words));
    return none(`${quoted} ${match ? match.says : 'names no date'}`);
  }
  const early = dueBeforeReview(
    dates.map((f) => f.date),
    options.reviewBegan,
  );
  if (early) return { words, dates: dates.map((f) => f.date), date: null, kind: 'none', reason: early };
  // Several dates in one cell ("Completed 28 July 2015 29 September 2015") are milestones:
  // the action is due when the last of them is, so the latest is the due date.
  const latest = dates.reduce((best, f) => (f.date > best.date ? f : best), first);
  const many =
    dates.length > 1
      ? `, the latest of ${dates.length} dates (${dates.map((f) => formatLongDate(f.date)).join(', ')})`
      : '';
  const reason = [`${latest.describe}${many}, read from ${quoted}`, ...notes].join('; ');
  return { words, dates: dates.map((f) => f.date), date: latest.date, kind: latest.kind, reason };
}
