// The review's details from the report's opening pages: the header table ("Date of review:",
// "Provider services included:" …), the title, and the number of children whose experiences
// were taken into account. Labels are recognised by what they say, not where they sit.
import { readDateWords } from '../../../domain/date-words.ts';
import { MONTH_NAMES } from '../../../domain/dates.ts';
import type { ReportDraft, ReportOrganisation } from '../drafts.ts';
import { organisationKind, splitOrganisationList } from '../organisation-names.ts';
import { tidyText, type ReportBlock } from './blocks.ts';

type Review = ReportDraft['review'];
type HeaderField =
  'reviewDates' | 'published' | 'inspectors' | 'providers' | 'commissioners' | 'nhsEnglandArea' | 'cqcRegion';

// Checked in order; the first that fits a label wins.
const HEADER_LABELS: [RegExp, HeaderField][] = [
  [/\bNHS England (?:area|region)\b/i, 'nhsEnglandArea'],
  [/\bCQC region\b/i, 'cqcRegion'],
  [/\b(?:dates? of (?:the )?(?:review|inspection|visit)|(?:review|inspection|visit) dates?)\b/i, 'reviewDates'],
  [/\b(?:date of publication|publication date|published)\b/i, 'published'],
  [/\binspectors?\b|\binspection team\b/i, 'inspectors'],
  [/\bprovider/i, 'providers'],
  [/\bCCGs?\b|\bICBs?\b|\bcommissioners?\b|clinical commissioning|integrated care board/i, 'commissioners'],
];

function headerField(label: string): HeaderField | null {
  // The Deputy Chief Inspector signs the report; they are not one of the review's inspectors.
  if (/\bchief inspector\b/i.test(label)) return null;
  return HEADER_LABELS.find(([pattern]) => pattern.test(label))?.[1] ?? null;
}

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
  const parts = text.split(/\s+[-–—]\s+|\s*[–—]\s*|\s+(?:to|until)\s+|(?<=^\d{1,2})-(?=\d{1,2}\s)/i);
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

/** Header rows: table pairs, or "Label: value" paragraphs before the findings start. */
function headerRows(blocks: readonly ReportBlock[]): { label: string; value: string }[] {
  return blocks.flatMap((block) => {
    if (block.kind === 'pair') return [{ label: block.label, value: block.value }];
    const m = /^([^:]{3,80}):\s+(\S.*)$/.exec(block.text);
    return m && headerField(m[1] ?? '') ? [{ label: m[1] ?? '', value: m[2] ?? '' }] : [];
  });
}

function readTitle(blocks: readonly ReportBlock[]): string | null {
  const opening = blocks.slice(0, 30).flatMap((b) => (b.kind === 'paragraph' ? [b] : []));
  const titled = opening.find((b) => /^review of\b/i.test(b.text) && b.text.length <= 200);
  return titled?.text ?? opening.find((b) => b.heading === 1)?.text ?? null;
}

/** "Review of health services for … Safeguarding in Rotherham" → "Rotherham". */
function readArea(title: string | null, blocks: readonly ReportBlock[]): string | null {
  const candidates = [
    title,
    ...blocks
      .slice(0, 30)
      .map((b) => (b.kind === 'paragraph' && /^the role of health services in\b/i.test(b.text) ? b.text : null)),
  ];
  for (const text of candidates) {
    const m = text ? /\bin\s+(\p{Lu}[\p{L}'’ &,.-]{1,80}?)\s*$/u.exec(text) : null;
    if (m?.[1]) return m[1];
  }
  return null;
}

function readChildrenCases(blocks: readonly ReportBlock[]): number | null {
  for (const block of blocks) {
    if (block.kind !== 'paragraph') continue;
    const m = /\bexperiences of\s+(\d{1,5})\s+(?:children|young people|cases)\b/i.exec(block.text);
    if (m) return Number(m[1]);
  }
  return null;
}

/**
 * The review details found in the blocks before the findings. Organisations are the header's
 * providers, then its commissioners; addressees are added later, from the recommendations.
 */
export function readReviewDetails(opening: readonly ReportBlock[], warnings: string[]): Review {
  const review: Review = {
    title: readTitle(opening),
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
  review.area = readArea(review.title, opening);
  const seen = new Set<HeaderField>();
  for (const { label, value } of headerRows(opening)) {
    const field = headerField(label);
    if (!field || seen.has(field) || tidyText(value) === '') continue;
    seen.add(field);
    if (field === 'reviewDates') {
      const { start, end } = readDateRange(value);
      review.reviewStart = start;
      review.reviewEnd = end;
      if (!start || !end)
        warnings.push(
          `The review dates "${tidyText(value)}" could not be read as a start and an end date. Enter them by hand.`,
        );
    } else if (field === 'published') {
      review.published = readDay(value);
      if (!review.published)
        warnings.push(`The publication date "${tidyText(value)}" could not be read as a date. Enter it by hand.`);
    } else if (field === 'inspectors') review.inspectors = readInspectors(value, warnings);
    else if (field === 'providers') review.organisations.push(...readOrganisations(value, 'provider'));
    else if (field === 'commissioners') review.organisations.push(...readOrganisations(value, 'commissioner'));
    else if (field === 'nhsEnglandArea') review.nhsEnglandArea = tidyText(value);
    else review.cqcRegion = tidyText(value);
  }
  if (!seen.has('reviewDates'))
    warnings.push(
      'The report does not give the dates of the review in a form that could be found. Enter them by hand.',
    );
  if (!seen.has('published'))
    warnings.push('The report does not give its date of publication in a form that could be found. Enter it by hand.');
  return review;
}
