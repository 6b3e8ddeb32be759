/* Words as a person reads them on a page: squashed whitespace, long dates, the rating tags. */

export interface Link {
  text: string;
  href: string;
}

/** The ratings a tag may show: the four BRAG colours, or none yet. */
export const RATING_WORDS = ['Blue', 'Red', 'Amber', 'Green', 'Not rated'] as const;

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** '11 August 2015' → '2015-08-11'; throws on anything else, so a malformed date fails loudly. */
export function isoFromLongDate(text: string): string {
  const match = /^(\d{1,2}) ([A-Z][a-z]+) (\d{4})$/.exec(text.trim());
  const month = match ? MONTHS.indexOf(match[2] ?? '') : -1;
  if (!match || month < 0) throw new Error(`"${text}" is not a date written like "11 August 2015"`);
  return `${match[3]}-${String(month + 1).padStart(2, '0')}-${String(match[1]).padStart(2, '0')}`;
}

/** Text as shown: runs of whitespace as one space, none at either end. */
export const squash = (text: string | null | undefined): string => (text ?? '').replace(/\s+/g, ' ').trim();

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A pattern for a whole label or link text, whatever the whitespace around it. */
export function exactly(text: string): RegExp {
  return new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`);
}
