// The review's details from the report's opening pages: the header block ("Date of review:",
// "Provider services included:" …), the title, and the number of children whose experiences
// were taken into account. Labels are recognised by what they say, not where they sit, and
// values are matched to them in whichever layout the file has (see header-labels.ts).
import { readDateWords } from '../../../domain/date-words.ts';
import { MONTH_NAMES } from '../../../domain/dates.ts';
import type { ReportDraft, ReportOrganisation } from '../drafts.ts';
import { looksLikeOrganisationName, organisationKind, splitOrganisationList } from '../organisation-names.ts';
import { tidyText, type ReportBlock } from './blocks.ts';
import { cutAtLabels, headerItems, type HeaderField, type HeaderItem, type LabelField } from './header-labels.ts';

type Review = ReportDraft['review'];

/** "23 rd February", "14th July" → "23 February", "14 July": the suffix may be a separate superscript run. */
function withoutOrdinals(words: string): string {
  return tidyText(words.replace(/\b(\d{1,2})\s*(?:st|nd|rd|th)\b/gi, '$1'));
}

function dayOf(words: string, referenceYear?: number): string | null {
  const reading = readDateWords(words, referenceYear === undefined ? {} : { referenceYear });
  return reading.kind === 'day' && reading.dates.length === 1 ? reading.date : null;
}

/** A single day, or null when the words name none exactly. */
export function readDay(words: string): string | null {
  return dayOf(withoutOrdinals(words));
}

/** "23rd February – 27th February 2015", "23–27 February 2015", "23/02/2015 to 27/02/2015". */
export function readDateRange(words: string): { start: string | null; end: string | null } {
  const text = withoutOrdinals(words);
  // A hyphen joins two days ("23-27 February") or a month and a day ("30 November-4 December").
  const parts = text.split(/\s+[-–—]\s+|\s*[–—]\s*|\s+(?:to|until)\s+|(?<=^\d{1,2}|\p{L})-(?=\d{1,2}\s)/iu);
  const first = parts[0] ?? '';
  if (parts.length === 1) {
    const day = dayOf(first);
    return { start: day, end: day };
  }
  const end = parts.length === 2 ? dayOf(parts[1] ?? '') : null;
  if (!end) return { start: null, end: null };
  const endYear = Number(end.slice(0, 4));
  // "23–27 February 2015": the start is a bare day in the end's month.
  let start = /^\d{1,2}$/.test(first) ? dayOf(`${first} ${monthName(end)} ${endYear}`) : dayOf(first, endYear);
  // "28 December – 2 January 2016": the start is in the year before.
  if (start && start > end && !/\b\d{4}\b/.test(first)) start = dayOf(first, endYear - 1);
  return { start, end };
}

function monthName(iso: string): string {
  return MONTH_NAMES[Number(iso.slice(5, 7)) - 1] ?? '';
}

/**
 * Names run together with nothing between them ("Lea Pickerill Jan Clark Lynette Ranson")
 * are read as pairs of words, with a warning; any separator that is there is used instead.
 */
function readInspectors(value: string, warnings: string[]): string[] {
  const names = value
    .split(/\n|[,;]|\s+(?:and|&)\s+/i)
    .map(tidyText)
    .filter(Boolean);
  const only = names[0];
  if (names.length !== 1 || !only) return names;
  const words = only.split(' ');
  if (words.length <= 3) return names;
  if (words.length % 2 === 0 && words.every((w) => /^\p{Lu}/u.test(w))) {
    const pairs = words.flatMap((w, i) => (i % 2 === 0 ? [`${w} ${words[i + 1] ?? ''}`] : []));
    warnings.push(
      "The inspectors' names are not separated in the report, " +
        `so they were read as pairs of words: ${pairs.join(', ')}. Check them.`,
    );
    return pairs;
  }
  warnings.push(
    `The inspectors' names are not separated in the report ("${only}"), so they were kept as one entry. ` +
      'Correct them by hand.',
  );
  return names;
}

function readOrganisations(value: string, role: ReportOrganisation['role']): ReportOrganisation[] {
  return value
    .split('\n')
    .flatMap((line) => splitOrganisationList(line))
    .map((name) => ({ name, kind: organisationKind(name), role }));
}

// Fields whose value may run over several lines or paragraphs: one name to a line.
const LISTS = new Set<LabelField>(['inspectors', 'providers', 'commissioners']);

const PERSON_WORD = /^\p{Lu}[\p{L}'’.-]*$/u;

/** "Lea Pickerill", "Jan Clark and Pauline Hyde": people's names, not an organisation's. */
function namesPeople(text: string): boolean {
  const names = text
    .split(/\n|[,;]|\s+(?:and|&)\s+/i)
    .map(tidyText)
    .filter(Boolean);
  return (
    names.length > 0 &&
    names.every((name) => {
      const words = name.split(' ');
      return (
        words.length >= 2 &&
        words.length <= 4 &&
        words.every((w) => PERSON_WORD.test(w)) &&
        !looksLikeOrganisationName(name) &&
        organisationKind(name) === 'other'
      );
    })
  );
}

function namesOrganisations(text: string, commissioners: boolean): boolean {
  const names = text.split('\n').flatMap((line) => splitOrganisationList(line));
  return (
    names.length > 0 &&
    names.every((name) => (organisationKind(name) === 'commissioner') === commissioners) &&
    names.every((name) => commissioners || looksLikeOrganisationName(name))
  );
}

/** True when a further line or paragraph is more of a list field's value rather than the next label's. */
function continues(field: LabelField, text: string): boolean {
  if (field === 'inspectors') return namesPeople(text);
  if (field === 'providers') return namesOrganisations(text, false);
  if (field === 'commissioners') return namesOrganisations(text, true);
  return false;
}

/** True when the words could be the field's value at all: dates and counts have figures, names have none. */
function couldBe(field: LabelField, text: string): boolean {
  if (field === 'reviewDates' || field === 'published' || field === 'childrenCases') return /\d/.test(text);
  if (field === 'providers' || field === 'commissioners' || field === 'ignored') return !/\b\d{4}\b/.test(text);
  return !/\d/.test(text);
}

type HeaderRow = { field: LabelField; values: string[] };

/**
 * Each label with its value. A label with no value beside it takes the next value in the text;
 * several such labels in a row (all the labels, then all the values) take the values in order,
 * skipping a label whose value is plainly missing. A list (names, organisations) takes every
 * following line that reads as more of it.
 */
function headerRows(items: readonly HeaderItem[]): HeaderRow[] {
  const rows: HeaderRow[] = [];
  let waiting: LabelField[] = [];
  // Declared wide on purpose: start() sets it, and TypeScript does not follow assignments made in a closure.
  let open = null as HeaderRow | null;
  const start = (field: LabelField, value: string) => {
    const row = { field, values: [value] };
    rows.push(row);
    open = LISTS.has(field) ? row : null;
  };
  for (const item of items) {
    if (item.kind === 'other') {
      open = null;
      waiting = [];
    } else if (item.kind === 'label') {
      open = null;
      if (item.value === '') waiting.push(item.field);
      else {
        waiting = [];
        start(item.field, item.value);
      }
    } else if (open && continues(open.field, item.text)) {
      open.values.push(item.text);
    } else {
      const text = item.text;
      while (waiting.length > 1 && !couldBe(waiting[0] ?? 'ignored', text) && waiting.some((f) => couldBe(f, text)))
        waiting.shift();
      const field = waiting.shift();
      if (field) start(field, text);
      else open = null;
    }
  }
  return rows;
}

/** "1 Review of …", "… in Salford Page 1 of 30": a page number or footer glued to a line. */
function withoutPageFurniture(text: string): string {
  return tidyText(
    tidyText(text)
      .replace(/^(?:page\s+)?\d{1,3}(?:\s*(?:of|\/)\s*\d{1,3})?\s+(?=\p{Lu})/iu, '')
      .replace(/\s+(?:page\s+)?\d{1,3}(?:\s*(?:of|\/)\s*\d{1,3})?$/i, ''),
  );
}

/** The opening paragraphs, each without page furniture and cut short where a header label starts. */
function openingLines(blocks: readonly ReportBlock[]): { text: string; heading: number | null }[] {
  return blocks.slice(0, 30).flatMap((b) => {
    if (b.kind !== 'paragraph') return [];
    const text = withoutPageFurniture(cutAtLabels(b.text).before);
    return text === '' ? [] : [{ text, heading: b.heading }];
  });
}

function readTitle(lines: readonly { text: string; heading: number | null }[]): string | null {
  const titled = lines.find((l) => /^review of\b/i.test(l.text) && l.text.length <= 200);
  return titled?.text ?? lines.find((l) => l.heading === 1)?.text ?? null;
}

/** "Review of health services for … Safeguarding in Rotherham" → "Rotherham". */
function readArea(title: string | null, lines: readonly { text: string }[]): string | null {
  const candidates = [title, ...lines.map((l) => (/^the role of health services in\b/i.test(l.text) ? l.text : null))];
  for (const text of candidates) {
    const m = text ? /\bin\s+(\p{Lu}[\p{L}'’ &,.-]{1,80}?)\s*$/u.exec(text) : null;
    if (m?.[1]) return m[1];
  }
  return null;
}

/** "Salford City Council" → "Salford": the area a local authority covers. */
function areaOfLocalAuthority(value: string): string | null {
  const area = tidyText(value)
    .replace(/^the\s+/i, '')
    .replace(/\s+(?:(?:metropolitan\s+)?borough|city|county|district)?\s*council$|\s+MBC$/i, '')
    .replace(/[.;,]$/, '');
  return area === '' ? null : area;
}

function readChildrenCases(blocks: readonly ReportBlock[]): number | null {
  for (const block of blocks) {
    if (block.kind !== 'paragraph') continue;
    const m = /\bexperiences of\s+(\d{1,5})\s+(?:children|young people|cases)\b/i.exec(block.text);
    if (m) return Number(m[1]);
  }
  return null;
}

// What to say when the header does not give a field: what to check, and what can be done.
const NOT_FOUND: Record<Exclude<HeaderField, 'localAuthority' | 'childrenCases'> | 'area', string> = {
  area:
    'The report\'s area was not found: check the title names the area ("… Safeguarding in Salford"); ' +
    'you can set it after import.',
  reviewDates:
    'The dates of the review were not found: check the header has a "Date of review" line; ' +
    'you can enter them after import.',
  published:
    'The date of publication was not found: check the header has a "Date of publication" line; ' +
    'you can enter it after import.',
  inspectors:
    'The names of the CQC inspectors were not found: check the header has a "Name(s) of CQC inspector" line. ' +
    'The review will show them as not given.',
  providers:
    'The provider services were not found: check the header has a "Provider services included" line; ' +
    'you can add the organisations to the review after import.',
  commissioners:
    'The commissioners were not found: check the header has a "CCGs included" line; ' +
    'you can add them to the review after import.',
  nhsEnglandArea:
    'The NHS England area was not found: check the header has an "NHS England area" line. ' +
    'The review will show it as not given.',
  cqcRegion:
    'The CQC region was not found: check the header has a "CQC region" line. The review will show it as not given.',
};

/**
 * The review details found in the blocks before the findings. Organisations are the header's
 * providers, then its commissioners; addressees are added later, from the recommendations.
 * Each header field that cannot be found gets a warning of its own.
 */
export function readReviewDetails(opening: readonly ReportBlock[], warnings: string[]): Review {
  const lines = openingLines(opening);
  const review: Review = {
    title: readTitle(lines),
    area: null,
    reviewStart: null,
    reviewEnd: null,
    published: null,
    inspectors: [],
    nhsEnglandArea: null,
    cqcRegion: null,
    childrenCases: readChildrenCases(opening),
    organisations: [],
  };
  let localArea: string | null = null;
  const seen = new Set<LabelField>();
  for (const { field, values } of headerRows(headerItems(opening))) {
    const value = values.map((v) => v.trim()).join('\n');
    if (field === 'ignored' || seen.has(field) || tidyText(value) === '') continue;
    seen.add(field);
    if (field === 'reviewDates') {
      const { start, end } = readDateRange(value);
      review.reviewStart = start;
      review.reviewEnd = end;
      if (!start || !end)
        warnings.push(
          `The review dates "${tidyText(value)}" could not be read as a start and an end date. ` +
            'Enter them after import.',
        );
    } else if (field === 'published') {
      review.published = readDay(value);
      if (!review.published)
        warnings.push(`The publication date "${tidyText(value)}" could not be read as a date. Enter it after import.`);
    } else if (field === 'inspectors') review.inspectors = readInspectors(value, warnings);
    else if (field === 'providers') review.organisations.push(...readOrganisations(value, 'provider'));
    else if (field === 'commissioners') review.organisations.push(...readOrganisations(value, 'commissioner'));
    else if (field === 'localAuthority') localArea = areaOfLocalAuthority(value);
    else if (field === 'childrenCases') review.childrenCases ??= Number(/\d{1,5}/.exec(value)?.[0] ?? '') || null;
    else if (field === 'nhsEnglandArea') review.nhsEnglandArea = tidyText(value);
    else review.cqcRegion = tidyText(value);
  }
  review.area = localArea ?? readArea(review.title, lines);
  if (!review.area) warnings.push(NOT_FOUND.area);
  for (const field of [
    'reviewDates',
    'published',
    'inspectors',
    'providers',
    'commissioners',
    'nhsEnglandArea',
    'cqcRegion',
  ] as const) {
    if (!seen.has(field)) warnings.push(NOT_FOUND[field]);
  }
  return review;
}
