// What one plan cell says: a rating from its words or fill colour, a due date from its words
// (or a real date cell), dated progress entries, a "(See …)" list of findings. Each reading
// keeps the cell's words; a date or rating is only derived when the cell means one.
import { readDateWords as readDateWordsUncached } from '../../../domain/date-words.ts';
import type { DateWordsReading } from '../../../domain/date-words.ts';
import type { Rating } from '../../../domain/ratings.ts';
import type { SourceCell } from '../sources/model.ts';

export type RatingScale = 'BRAG' | 'RAG' | null;

// Plans repeat the same date words hundreds of times ("31 August 2015", "Mar-17"); reading
// each once keeps a 1,000-action plan quick. The cache is emptied when it grows large.
const dateReadings = new Map<string, DateWordsReading>();

function readDateWords(words: string, options: { referenceYear?: number }): DateWordsReading {
  const key = `${options.referenceYear ?? ''}|${words}`;
  let reading = dateReadings.get(key);
  if (!reading) {
    if (dateReadings.size > 10_000) dateReadings.clear();
    reading = readDateWordsUncached(words, options);
    dateReadings.set(key, reading);
  }
  return reading;
}

const COLOUR_WORDS: Record<string, Rating> = {
  b: 'blue',
  blue: 'blue',
  g: 'green',
  green: 'green',
  a: 'amber',
  amber: 'amber',
  yellow: 'amber',
  orange: 'amber',
  r: 'red',
  red: 'red',
};

/**
 * A rating cell's words: "Green", "G", "BRAG: Blue", "Amber - off target". "Complete" is read
 * only when the plan's key says which colour means complete (Blue in BRAG, Green in RAG).
 */
export function ratingFromText(text: string, scale: RatingScale): Rating | null {
  const words =
    text
      .toLowerCase()
      .replace(/\b(?:b?rag|rating|status)\b\s*[:=\-–]?/g, ' ')
      .match(/[a-z]+/g) ?? [];
  const first = words[0];
  if (first === undefined) return null;
  // A single letter or colour word on its own ("G", "Amber").
  if (words.length === 1 && COLOUR_WORDS[first]) return COLOUR_WORDS[first] ?? null;
  const colours = new Set(words.filter((w) => w.length > 1 && COLOUR_WORDS[w]).map((w) => COLOUR_WORDS[w]));
  if (colours.size === 1) return [...colours][0] ?? null;
  if (colours.size === 0 && /^(?:complete|completed|closed|achieved)$/.test(first) && words.length <= 2) {
    return scale === 'BRAG' ? 'blue' : scale === 'RAG' ? 'green' : null;
  }
  return null;
}

/** A rating written into a progress narrative with its label: "BRAG: Blue", "RAG rating - Amber". */
export function labelledRating(text: string): Rating | null {
  const m = /\bb?rag(?:\s*(?:rating|status|rated))?\s*[:=\-–]?\s*(blue|green|amber|red)\b/i.exec(text);
  return m ? (COLOUR_WORDS[(m[1] ?? '').toLowerCase()] ?? null) : null;
}

/**
 * The rating a fill colour stands for, by hue: reds, ambers (yellow and orange too), greens
 * and blues. Greys, whites, near-blacks, very pale tints and purples mean no rating.
 */
export function ratingFromFill(hex: string | null): Rating | null {
  if (!hex || !/^[0-9A-F]{6}$/i.test(hex)) return null;
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const chroma = max - min;
  // Pale banding and greys are decoration, not a rating.
  if (chroma < 0.12 || max < 0.2) return null;
  let hue: number;
  if (max === r) hue = (((g - b) / chroma) % 6) * 60;
  else if (max === g) hue = ((b - r) / chroma + 2) * 60;
  else hue = ((r - g) / chroma + 4) * 60;
  if (hue < 0) hue += 360;
  if (hue < 15 || hue >= 320) return 'red';
  if (hue < 75) return 'amber';
  if (hue < 165) return 'green';
  if (hue < 255) return 'blue';
  return null;
}

const MONTH =
  String.raw`(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|` +
  String.raw`sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`;

/** Words that name a calendar date or month, for telling a date cell from a name. */
const DATE_LIKE = new RegExp(
  String.raw`\b(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}|${MONTH}\b|` +
    String.raw`(?:spring|summer|autumn|winter)\s+\d{4}|q[1-4]\b|20\d\d)`,
  'i',
);

export function looksLikeDate(text: string): boolean {
  return DATE_LIKE.test(text);
}

/** A day and month with no year ("30 September"), whose year may follow on the next line of a split row. */
export function lacksYear(text: string): boolean {
  return new RegExp(String.raw`\b\d{1,2}(?:st|nd|rd|th)?\s+${MONTH}\s*$`, 'i').test(text.trim());
}

export type Due = { text: string; date: string | null };

const DUE_WORDS_READ = 300;

/**
 * The date the words give. Lines that each name a date ("Mar-17" above "Sep-17", from a cell
 * merged down or a row cut in two) are read one by one, the latest being the due date: read
 * as one run of words, a year ending one line and a month starting the next would be taken
 * for a day ("17 Sep-17", 17 September). Otherwise the words are read whole, so that a date
 * split over two lines ("30 September" above "2015") is still one date.
 */
function dateOfWords(text: string, referenceYear: number | undefined): string | null {
  const options = referenceYear === undefined ? {} : { referenceYear };
  // Date cells are short; reading a long one whole would take time that grows with its square.
  const words = text.slice(0, DUE_WORDS_READ);
  const lines = words.split('\n').filter((line) => line.trim() !== '');
  if (lines.length > 1) {
    const dates = lines.map((line) => readDateWords(line, options).date);
    if (dates.every((date) => date !== null)) return dates.reduce((latest, date) => (date > latest ? date : latest));
  }
  return readDateWords(words, options).date;
}

/**
 * The same words on every line ("Mar-17" twice, from a date cell repeated on the rows of one
 * action) name one date: read once, the year of one line and the month of the next cannot be
 * taken for a day.
 */
function withoutRepeatedLines(text: string): string {
  const lines = text.split('\n').map((line) => line.trim());
  const first = lines[0] ?? '';
  return lines.length > 1 && first !== '' && lines.every((line) => line === first) ? first : text;
}

/** The due words and date. A real date cell gives its date; otherwise the words are read. */
export function readDue(cell: SourceCell | undefined, referenceYear?: number): Due | null {
  if (!cell || (cell.text === '' && cell.date === null)) return null;
  const wordsDate = dateOfWords(withoutRepeatedLines(cell.text), referenceYear);
  // A month-only date cell ("Jan-16") means the end of that month, as the words do.
  const date = cell.date !== null && /^\d{1,2} /.test(cell.text) ? cell.date : (wordsDate ?? cell.date);
  // The words are kept as written, repeats included.
  return { text: cell.text, date };
}

export type ProgressEntry = { date: string | null; text: string };

// A dated label that starts a progress entry: "12/10/16 –", "December 2015 -", "Update Oct
// 2016:", "12th October 2015 -". It must name a year, be followed by a dash or colon, and
// start the cell, a line or a sentence, so that "training on 7 September", "meeting -
// 24/09/2015." or "report submitted 28 July 2015" inside a sentence is not a label.
const ENTRY_DATE =
  String.raw`(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}|` +
  String.raw`(?:\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?)?${MONTH},?[\s'’-]*(?:\d{4}|\d{2}))`;
const ENTRY_LABEL = new RegExp(
  String.raw`(?:^|(?<=\n\s*)|(?<=[.;!?)]\s+))` +
    String.raw`((?:(?:progress\s+)?updated?\s*(?:on|at|for|in)?\s*\(?\s*)?(${ENTRY_DATE}))\s*\)?\s*(?:[-–—:]|\n)`,
  'gi',
);

/**
 * Splits a progress cell into its dated entries. Text before the first dated label is an
 * undated entry. Each entry keeps its own words, label included: the date is derived from
 * them, and the history stays as written.
 */
export function splitProgress(text: string, referenceYear?: number): ProgressEntry[] {
  const starts: { at: number; label: string }[] = [];
  const re = new RegExp(ENTRY_LABEL.source, ENTRY_LABEL.flags);
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    starts.push({ at: m.index + (m[0].length - m[0].trimStart().length), label: m[2] ?? '' });
    if (re.lastIndex === m.index) re.lastIndex++;
  }
  const entries: ProgressEntry[] = [];
  const before = text.slice(0, starts[0]?.at ?? text.length).trim();
  if (before !== '') entries.push({ date: null, text: before });
  starts.forEach((start, i) => {
    const body = text.slice(start.at, starts[i + 1]?.at ?? text.length).trim();
    const date = readDateWords(start.label, referenceYear === undefined ? {} : { referenceYear }).date;
    entries.push({ date, text: body });
  });
  return entries;
}

/** Finding numbers in a "(See 3.3 3.4 3.5)" list, in order, without duplicates. */
export function findingNumbers(text: string): string[] {
  return [...new Set((text.match(/\b\d+(?:\.\d+)+\b/g) ?? []).map((n) => n.replace(/\.$/, '')))];
}

const SEE_LIST = /\(\s*see\s+((?:para(?:graph)?s?\.?\s*)?\d+(?:\.\d+)*(?:\s*(?:,|;|&|and)?\s*\d+(?:\.\d+)*)*)\s*\)/i;

/** The "(See …)" list inside a text, and the text without it. */
export function takeSeeList(text: string): { findings: string[]; rest: string } | null {
  const m = SEE_LIST.exec(text);
  if (!m) return null;
  const rest = (text.slice(0, m.index) + text.slice(m.index + m[0].length))
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{2,}/g, '\n')
    .trim();
  return { findings: findingNumbers(m[1] ?? ''), rest };
}

/** True when the text ends a sentence; false when it stops mid-sentence ("… copied to the Director of"). */
export function isFinished(text: string): boolean {
  return /[.!?;)\]"”’']\s*$/.test(text.trim());
}

/** True when a cell reads as the rest of a sentence from the row above ("audit, including …"). */
export function startsMidSentence(text: string): boolean {
  return /^[a-z]/.test(text.trim());
}

/** True when a cell has a letter or digit: a row of only dashes is a ruled line, not content. */
export function hasWords(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

/**
 * Cell text made readable where files run things together: list items written inline
 * ("systems• Use of …", "- criteria- allocation meetings- …") go one per line, and ordinals
 * cut off from their number by a conversion ("7 th , 18 th") are closed up.
 */
export function readableText(text: string): string {
  return text
    .replace(
      /\b(\d{1,2}) (st|nd|rd|th)\b( ,)?/g,
      (_m, day: string, suffix: string, comma?: string) => `${day}${suffix}${comma ? ',' : ''}`,
    )
    .replace(/(?<=\S)[ \t]*•[ \t]*/g, '\n• ')
    .split('\n')
    .flatMap((line) =>
      line.startsWith('- ') ? line.split(/(?<=\S)- (?=\S)/).map((item, i) => (i === 0 ? item : `- ${item}`)) : [line],
    )
    .join('\n');
}
