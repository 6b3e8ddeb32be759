// The report's numbered findings: one per numbered paragraph of "The child's journey" and
// "Management", under the section heading it follows. The "(Recommendation 4.1)" pointer at
// the end of a paragraph is taken out of the text into the finding's recommendations.
import type { FindingSection, ReportFinding } from '../drafts.ts';
import { tidyText } from './blocks.ts';

const SECTION_NAMES: [RegExp, FindingSection][] = [
  [/^early help$/, 'Early help'],
  [/^children in need$/, 'Children in need'],
  [/^child protection$/, 'Child protection'],
  [/^(?:looked[- ]after children|children looked[- ]after)$/, 'Looked after children'],
  [/^leadership (?:and|&) management$/, 'Leadership and management'],
  [/^governance$/, 'Governance'],
  [/^training (?:and|&) supervision$/, 'Training and supervision'],
];

/** A section heading ("1. Early help", "5.1 Leadership & management"), with its number if written. */
export function readSectionHeading(text: string): { section: FindingSection; number: string | null } | null {
  const m = /^(?:(\d{1,2}(?:\.\d{1,2})?)\.?\s+)?(.{3,40}?)\s*:?$/.exec(tidyText(text));
  if (!m) return null;
  const name = (m[2] ?? '').toLowerCase();
  const section = SECTION_NAMES.find(([pattern]) => pattern.test(name))?.[1];
  return section ? { section, number: m[1] ?? null } : null;
}

/** "1.6 Children's records…", "3.1. Health practitioners…", "5.2.4 Use of…". */
export function readNumberedFinding(text: string): { number: string; text: string } | null {
  const m = /^(\d{1,2}(?:\.\d{1,3}){1,2})\.?\s+(\S[\s\S]*)$/.exec(text);
  return m ? { number: m[1] ?? '', text: m[2] ?? '' } : null;
}

// "(Recommendation 4.1)", "(Recommendations 2.4 and 4.8)", "(Recommendation 1.1, 1.2)", "(See recommendation 3.3)".
const POINTER = /\s*\(\s*(?:see\s+)?recommendations?\s+([^()]{1,120})\)(\s*\.)?/gi;
const POINTER_LIST = /^(?:\d{1,2}\.\d{1,3}\.?|[\s,;&]|and\b)+$/i;

/** True when the whole paragraph is only a pointer, as when a page break cut it off its finding. */
export function isPointerOnly(text: string): boolean {
  const rest = text.replace(POINTER, (whole, list: string) => (POINTER_LIST.test(list.trim()) ? '' : whole));
  return rest.trim() === '' || rest.trim() === '.';
}

/** The recommendation numbers a paragraph points to, in order, and its text without the pointers. */
export function takePointers(text: string): { text: string; recommendations: string[] } {
  const recommendations: string[] = [];
  const cleaned = text.replace(POINTER, (whole, list: string, dot: string | undefined, offset: number) => {
    if (!POINTER_LIST.test(list.trim())) return whole;
    for (const m of list.matchAll(/\d{1,2}\.\d{1,3}/g)) if (!recommendations.includes(m[0])) recommendations.push(m[0]);
    // Keep the full stop that closed the sentence only when the sentence had none before the pointer.
    const before = text.slice(0, offset).trimEnd();
    return dot && !/[.!?]["”’]?$/.test(before) ? '.' : '';
  });
  return { text: tidyText(cleaned), recommendations };
}

const PUBLIC_HEALTH = [
  /\b(?:brought|bring|bringing|raised|passed|referred)\b[^.]{0,60}\battention of\b[^.]{0,40}\bpublic health\b/i,
  /\bpublic health\b[^.]{0,60}\b(?:has|have) been (?:informed|notified|alerted|made aware)\b/i,
];

export function mentionsPublicHealth(text: string): boolean {
  return PUBLIC_HEALTH.some((pattern) => pattern.test(text));
}

// Words that mark a shortfall in CQC's findings, and words that mark good practice. A finding
// that points to a recommendation or was referred to public health is a concern whatever it says.
const SHORTFALL = [
  /\bnot\b/i,
  /\bno\b/i,
  /\bnever\b/i,
  /\bneither\b/i,
  /\black(?:s|ing)?\b/i,
  /\bgaps?\b/i,
  /\bconcerns?\b(?! for)/i,
  /\bunacceptable\b/i,
  /\bpoor(?:er|ly)?\b/i,
  /\bweak\b/i,
  /\bmissed\b/i,
  /\brisks?\b/i,
  /\barea for development\b/i,
  /\binsufficient(?:ly)?\b/i,
  /\bdelays?\b/i,
  /\bunderdeveloped\b/i,
  /\bvulnerable as\b/i,
  /\bfail(?:s|ed|ing)?\b/i,
  /\binconsisten(?:t|cy)\b/i,
  /\bbarriers?\b/i,
  /\bcompromised\b/i,
  /\bimpeded\b/i,
  /\brequires? strengthening\b/i,
];
const GOOD_PRACTICE = [
  /\bgood practice\b/i,
  /\bbest practice\b/i,
  /\bpositive\b/i,
  /\bcommendable\b/i,
  /\bwell[- ](?:established|supported|regarded|received)\b/i,
  /\beffective(?:ly)?\b/i,
  /\bgood\b/i,
  /\bencouraging\b/i,
  /\binnovative\b/i,
  /\bimprov(?:ed|ing|ement)\b/i,
  /\bcommitted\b/i,
  /\bassured\b/i,
  /\breassuring\b/i,
  /\bproactive\b/i,
  /\btenacious\b/i,
  /\bbeneficial\b/i,
];

export function findingKind(
  text: string,
  recommendations: readonly string[],
  publicHealth: boolean,
): ReportFinding['kind'] {
  if (recommendations.length > 0 || publicHealth) return 'concern';
  // CQC sets a shortfall against good practice with "however" ("… is positive. However, …").
  const shortfalls = SHORTFALL.filter((p) => p.test(text)).length + (/\bhowever\b/i.test(text) ? 2 : 0);
  const praise = GOOD_PRACTICE.filter((p) => p.test(text)).length;
  return shortfalls > praise ? 'concern' : 'good_practice';
}

/** A finding from its numbered paragraph's text, pointers included. */
export function finding(number: string, section: FindingSection, paragraphText: string): ReportFinding {
  const { text, recommendations } = takePointers(paragraphText);
  const publicHealth = mentionsPublicHealth(text);
  return {
    number,
    section,
    text,
    recommendations,
    publicHealth,
    kind: findingKind(text, recommendations, publicHealth),
  };
}
