// The labels of a report's header block ("Date of review:", "Provider services included:" …)
// and the header's text cut into labels and values, however the file lays them out: a table
// of label and value, a label with its value on the next line, several "Label: value" pairs
// run together in one paragraph, or all the labels first and then all the values.
import { tidyText, type ReportBlock } from './blocks.ts';

export type HeaderField =
  | 'reviewDates'
  | 'published'
  | 'inspectors'
  | 'providers'
  | 'commissioners'
  | 'localAuthority'
  | 'nhsEnglandArea'
  | 'cqcRegion'
  | 'childrenCases';

/** A label's field, or 'ignored' for a label whose value the review does not keep (the signing inspector). */
export type LabelField = HeaderField | 'ignored';

// Checked in order; the first that fits a label wins. Loose, as a label at the start of a
// table row or paragraph is already known to be one.
const HEADER_LABELS: [RegExp, HeaderField][] = [
  [/\bNHS England (?:area|region)\b/i, 'nhsEnglandArea'],
  [/\bCQC region\b/i, 'cqcRegion'],
  [/\b(?:dates? of (?:the )?(?:review|inspection|visit)|(?:review|inspection|visit) dates?)\b/i, 'reviewDates'],
  [/\b(?:dates? of publication|publication date|published)\b/i, 'published'],
  [/\binspectors?\b|\binspection team\b/i, 'inspectors'],
  [/\bprovider/i, 'providers'],
  [/\bCCGs?\b|\bICBs?\b|\bcommissioners?\b|clinical commissioning|integrated care board/i, 'commissioners'],
  [/\blocal authority\b/i, 'localAuthority'],
  [/\bchildren['’]?s? experiences\b|\bcases tracked\b/i, 'childrenCases'],
];

/** The field a label names, 'ignored' for the signing Deputy Chief Inspector, or null when it names none. */
export function headerField(label: string): LabelField | null {
  // The Deputy Chief Inspector signs the report; they are not one of the review's inspectors.
  if (/\bchief inspector\b/i.test(label)) return 'ignored';
  return HEADER_LABELS.find(([pattern]) => pattern.test(label))?.[1] ?? null;
}

// The labels as CQC reports word them, strict enough to be found inside a paragraph that runs
// several "Label: value" pairs together. Longer forms first, so that the longest wins.
const LABEL_WORDS = [
  String.raw`dates? of (?:the )?(?:review|inspection|visit|fieldwork)`,
  String.raw`(?:review|inspection|visit|fieldwork) dates?`,
  String.raw`dates? of publication`,
  String.raw`publication date`,
  String.raw`date published`,
  String.raw`published`,
  String.raw`names?\s?(?:\(s\))? of (?:the )?(?:CQC )?(?:lead )?inspectors?\s?(?:\(s\))?`,
  String.raw`(?:lead )?CQC inspectors?\s?(?:\(s\))?`,
  String.raw`(?:lead )?inspectors?\s?(?:\(s\))?`,
  String.raw`inspection team`,
  String.raw`provider services included`,
  String.raw`providers? included`,
  String.raw`provider services`,
  String.raw`(?:CCGs?|ICBs?|clinical commissioning groups?|integrated care boards?|commissioners?)` +
    String.raw`\s?(?:\(s\))? included`,
  String.raw`CCGs?`,
  String.raw`local authority area`,
  String.raw`local authority`,
  String.raw`NHS England (?:area|region)`,
  String.raw`CQC region`,
  String.raw`CQC (?:deputy )?chief inspector[^:\n]{0,120}`,
  String.raw`(?:number of )?children['’]?s? experiences(?: (?:tracked|sampled|considered))?`,
].join('|');
const EMBEDDED_LABEL = new RegExp(String.raw`(?<![\p{L}\d])(?:${LABEL_WORDS})\s*:`, 'giu');
// A label alone in a paragraph, its colon left out ("Date of review").
const LABEL_ALONE = new RegExp(String.raw`^(?:${LABEL_WORDS})\s*:?$`, 'iu');
// "Date of review: …" at the start of a paragraph, for labels worded in other ways.
const LABEL_START = /^([^:]{3,80}):\s*(.*)$/s;

// Page furniture that may stand between a label and its value: a page number, "Page 1 of 30".
const FURNITURE = /^(?:page\s+)?\d{1,3}(?:\s*(?:of|\/)\s*\d{1,3})?$/i;
// Headings of the report's opening pages; none of them is a header value.
const OPENING_HEADINGS = [
  'contents',
  'summary of the review',
  'about the review',
  'how we carried out the review',
  'context of the review',
  'the report',
  'what people told us',
  'children looked after and safeguarding',
  String.raw`the role of health services in\b.*`,
  String.raw`review of health services\b.*`,
];
const OPENING_HEADING = new RegExp(`^(?:${OPENING_HEADINGS.join('|')})$`, 'i');

export type HeaderItem =
  | { kind: 'label'; field: LabelField; value: string }
  | { kind: 'value'; text: string }
  | { kind: 'other'; text: string };

type Cut = { before: string; labels: { field: LabelField; value: string }[] };

/** Cuts text at every label it holds: the words before the first label, then each label and its words. */
export function cutAtLabels(text: string): Cut {
  const matches = [...text.matchAll(EMBEDDED_LABEL)].flatMap((m) => {
    const field = headerField(m[0]);
    return field ? [{ field, start: m.index, end: m.index + m[0].length }] : [];
  });
  const first = matches[0];
  if (!first) {
    const alone = tidyText(text);
    if (LABEL_ALONE.test(alone)) {
      const field = headerField(alone);
      if (field) return { before: '', labels: [{ field, value: '' }] };
    }
    const start = LABEL_START.exec(alone);
    const field = start ? headerField(start[1] ?? '') : null;
    return start && field ? { before: '', labels: [{ field, value: start[2] ?? '' }] } : { before: text, labels: [] };
  }
  return {
    before: text.slice(0, first.start),
    labels: matches.map((m, i) => ({ field: m.field, value: text.slice(m.end, matches[i + 1]?.start ?? text.length) })),
  };
}

function looseItem(text: string, heading: number | null): HeaderItem | null {
  const tidy = tidyText(text);
  if (tidy === '' || FURNITURE.test(tidy)) return null;
  if (heading !== null || tidy.length > 200 || OPENING_HEADING.test(tidy)) return { kind: 'other', text: tidy };
  return { kind: 'value', text };
}

function itemsOfCut(cut: Cut, heading: number | null): HeaderItem[] {
  const before = looseItem(cut.before, cut.labels.length > 0 ? null : heading);
  return [
    ...(before ? [before] : []),
    ...cut.labels.map(({ field, value }) => ({ kind: 'label' as const, field, value: value.trim() })),
  ];
}

/** The opening blocks as labels (with any value given beside them), loose values, and other text. */
export function headerItems(blocks: readonly ReportBlock[]): HeaderItem[] {
  return blocks.flatMap((block): HeaderItem[] => {
    if (block.kind === 'paragraph') {
      const cut = cutAtLabels(block.text);
      // Narrative that merely mentions a label ("… the inspectors: …") is not a header.
      if (tidyText(cut.before).length > 200) return [{ kind: 'other', text: tidyText(block.text) }];
      return itemsOfCut(cut, block.heading);
    }
    const labels = cutAtLabels(block.label);
    const field = headerField(block.label);
    if (labels.labels.length > 1 && labels.labels.every((l) => l.value.trim() === '')) {
      // A table cell of labels beside a cell of their values, one to a line.
      return [
        ...itemsOfCut(labels, null),
        ...block.value.split('\n').flatMap((line) => {
          const item = looseItem(line, null);
          return item ? [item] : [];
        }),
      ];
    }
    if (!field) return [{ kind: 'other', text: `${block.label} ${block.value}` }];
    // The value may run on into further "Label: value" pairs.
    const value = cutAtLabels(block.value);
    return [
      { kind: 'label', field, value: value.before.trim() },
      ...itemsOfCut({ before: '', labels: value.labels }, null),
    ];
  });
}
