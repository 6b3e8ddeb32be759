// The lines around and between a plan's action tables: group headings ("Recommendation 2",
// "2. NHS England and … should:"), recommendation headings ("Recommendation 1.1"), "(See …)"
// lists, "Outcome:" and "Anticipated Evidence:". They arrive as paragraphs, or as rows of one
// cell inside a table, and are read the same way either way.
import { looksLikeOrganisationName, splitOrganisationList } from '../organisation-names.ts';
import { findingNumbers, takeSeeList } from './cells.ts';

export type Line =
  | { kind: 'group'; number: string; heading: string | null }
  | { kind: 'recommendation'; number: string; text: string; findings: string[] }
  | { kind: 'see'; findings: string[] }
  | { kind: 'outcome'; text: string }
  | { kind: 'evidence'; text: string }
  | { kind: 'text'; text: string };

const GROUP_ALONE = /^(?:recommendations?|group|section)\s+(\d{1,2})\s*[:.]?$/i;
const GROUP_WITH_ADDRESSEES = /^(?:(?:recommendations?|group|section)\s+)?(\d{1,2})(?:\s*[.):]\s*|\s+)(\D.*)$/is;
const RECOMMENDATION = /^(?:recommendation|rec\.?)\s+(\d+(?:\.\d+)+)\.?(?=$|[\s:–—-])\s*[:–—-]?\s*(.*)$/is;
const NUMBERED_HEADING = /^(\d+(?:\.\d+)+)\.?\s+(.*)$/s;
const SEE_ONLY = /^\(?\s*see\s+(?:para(?:graph)?s?\.?\s*)?[\d.\s,;&]*(?:and[\d.\s,;&]*)*\)?\.?$/i;
const OUTCOME = /^(?:expected\s+|intended\s+|desired\s+)?outcomes?\s*(?:[:–—-]\s*|\n)([\s\S]*)$/i;
const EVIDENCE = /^(?:anticipated|expected)\s+evidence\b\s*[:–—-]?\s*([\s\S]*)$/i;
// Dot leaders and a page number, or a page number alone: a contents line
// ("Recommendation 1.1 ........ 4").
const CONTENTS_TAIL = /(?:^|\s*\.{3,}\s*)\d{0,3}\s*$/;

/** Words that name the organisations a group is addressed to ("… should:", "… (RCCG):"). */
export function readsAsAddressees(text: string): boolean {
  const t = text.trim();
  if (t.length > 600) return false;
  if (/\bshould\s*:?$/i.test(t)) return true;
  if (!t.endsWith(':')) return false;
  return splitOrganisationList(t).some(
    (name) =>
      looksLikeOrganisationName(name) ||
      /^[A-Z][A-Za-z]*[A-Z]{2,}\b/.test(name) ||
      /\([A-Z]{2,}[A-Za-z]*\)$/.test(name),
  );
}

function recommendationLine(number: string, rest: string): Line {
  const see = takeSeeList(rest);
  const text = (see ? see.rest : rest).replace(CONTENTS_TAIL, '').trim();
  return { kind: 'recommendation', number, text, findings: see?.findings ?? [] };
}

/** What one line says. `heading` is its heading level when the document styles it as one. */
export function readLine(text: string, heading: number | null = null): Line {
  const t = text.trim();
  const alone = GROUP_ALONE.exec(t);
  if (alone) return { kind: 'group', number: alone[1] ?? '', heading: null };
  const rec = RECOMMENDATION.exec(t);
  if (rec) return recommendationLine(rec[1] ?? '', rec[2] ?? '');
  const group = GROUP_WITH_ADDRESSEES.exec(t);
  if (group && readsAsAddressees(group[2] ?? ''))
    return { kind: 'group', number: group[1] ?? '', heading: (group[2] ?? '').trim() };
  if (SEE_ONLY.test(t)) return { kind: 'see', findings: findingNumbers(t) };
  const outcome = OUTCOME.exec(t);
  if (outcome) return { kind: 'outcome', text: (outcome[1] ?? '').trim() };
  const evidence = EVIDENCE.exec(t);
  if (evidence) return { kind: 'evidence', text: (evidence[1] ?? '').trim() };
  // A numbered heading ("1.1 Work with GPs …") counts only when styled as a heading: plain
  // numbered paragraphs are as likely to be a report's findings.
  const numbered = heading !== null ? NUMBERED_HEADING.exec(t) : null;
  if (numbered) return recommendationLine(numbered[1] ?? '', numbered[2] ?? '');
  return { kind: 'text', text: t };
}

/** True for lines that change what follows (headings, lists, labels), not running text. */
export function isStructural(line: Line): boolean {
  return line.kind !== 'text';
}
