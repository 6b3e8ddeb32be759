// What every report format is first turned into: the document's paragraphs in reading order,
// with the rows of a two-column table (the report's header: "Date of review:" | "23rd
// February – 27th February 2015") kept as label/value pairs. One interpreter then reads the
// review out of these blocks, whatever the file's format.

export type ReportBlock =
  | {
      kind: 'paragraph';
      /** The paragraph's text on one line, joined across line and page breaks. */
      text: string;
      /** Heading level 1–6 where the format says so, else null. A hint only: plain text and PDF rarely say. */
      heading: number | null;
    }
  | { kind: 'pair'; label: string; value: string };

/** Collapses runs of white space (no-break spaces included) and trims. */
export function tidyText(text: string): string {
  return text.replace(/[\s\u00a0\u2000-\u200b\u202f\u205f\u3000]+/g, ' ').trim();
}

/**
 * Joins the lines of one paragraph. A line ending in a hyphen after a letter joins the next
 * without a space ("multi-" + "agency" is "multi-agency"); a soft hyphen is dropped.
 */
export function joinLines(lines: readonly string[]): string {
  let text = '';
  for (const raw of lines) {
    const line = tidyText(raw);
    if (line === '') continue;
    if (text === '') text = line;
    else if (/\u00ad$/.test(text)) text = text.slice(0, -1) + line;
    else if (/\p{L}-$/u.test(text) && /^\p{L}/u.test(line)) text += line;
    else text += ` ${line}`;
  }
  return text.replace(/\u00ad/g, '');
}

export function paragraph(text: string, heading: number | null = null): ReportBlock {
  return { kind: 'paragraph', text: tidyText(text), heading };
}
