// Organisation names as CQC reports and action plans write them. The same body appears in
// several forms ("Rotherham CCG", "NHS Rotherham Clinical Commissioning Group", "Rotherham
// Clinical Commissioning Group (RCCG)"; "The Rotherham NHS Foundation Trust", "The Rotherham
// Foundation NHS Trust"), and lists of addressees run names together with commas and "and"
// that may also sit inside one name ("Rotherham, Doncaster and South Humber NHS Foundation
// Trust"). Pure functions, so the importers and the organisation matching can share them.
import type { OrganisationKind } from './drafts.ts';

// Word endings that close an organisation's name, longest first so that "NHS Foundation
// Trust" wins over "Trust" at the same place. An abbreviation in brackets may follow.
const NAME_ENDINGS = [
  'NHS Foundation Trust',
  'Foundation NHS Trust',
  'NHS Trust',
  'Foundation Trust',
  'Trust',
  'Clinical Commissioning Groups?',
  'CCGs?',
  'Integrated Care Boards?',
  'ICBs?',
  'Metropolitan Borough Council',
  'Borough Council',
  'County Council',
  'City Council',
  'Council',
  'MBC',
  'Local Authority',
  'Area Team',
  'Surgery',
  'Medical Centre',
  'Health Centre',
  'Group Practice',
  'Medical Practice',
  'GP Practices?',
];
const ABBREVIATION = String.raw`(?:\s*\([^()]{1,24}\))?`;
const ENDING_ALTERNATIVES = NAME_ENDINGS.map((e) => e.replace(/ /g, String.raw`\s+`)).join('|');
const ENDING_SOURCE = String.raw`\b(?:${ENDING_ALTERNATIVES})\b${ABBREVIATION}`;
const ENDS_WITH_NAME_ENDING = new RegExp(`${ENDING_SOURCE}$`, 'i');
// Names complete in themselves that carry no ending ("NHS England", "Healthwatch Rotherham").
const WHOLE_NAME_START = /^(?:the\s+)?(?:NHS England|NHS Improvement|Public Health England|Healthwatch)\b/i;

// National NHS bodies named "NHS …"; any other "NHS" and a place ("NHS Salford", "NHS Bath and
// North East Somerset") is how many clinical commissioning groups styled themselves.
const NATIONAL_NHS_BODIES = [
  'England',
  'Improvement',
  'Digital',
  'Wales',
  'Scotland',
  'Education',
  'Blood',
  'Resolution',
  'Property',
  'Business',
  'Litigation',
  'Direct',
  'Choices',
  'Employers',
  'Providers',
  'Confederation',
  'Counter',
  'Supply',
  'Professionals',
  'Trust',
  'Foundation',
  'Commissioning',
  'Health',
  'Leadership',
  'Pensions',
  '111',
  '24',
];
const NATIONAL_NHS_BODY = new RegExp(String.raw`^NHS\s+(?:${NATIONAL_NHS_BODIES.join('|')})\b`, 'i');
const NHS_AND_PLACE = /^(?:the\s+)?NHS(?:\s+(?:and|&|upon|on|under|of|in|le)?\s*\p{Lu}[\p{L}'’.-]*){1,6}$/u;

/** "NHS Salford": a commissioner named by "NHS" and its place, without "CCG". */
function isNhsAndPlace(name: string): boolean {
  const text = name
    .replace(/\([^()]*\)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^the /i, '');
  return NHS_AND_PLACE.test(text) && !NATIONAL_NHS_BODY.test(text) && !ENDS_WITH_NAME_ENDING.test(text);
}

/** What kind of body a name denotes, from the words it ends or starts with. */
export function organisationKind(name: string): OrganisationKind {
  const text = name.replace(/\s+/g, ' ').trim();
  if (/\b(?:CCGs?|ICBs?)\b|clinical commissioning group|integrated care board/i.test(text)) return 'commissioner';
  if (/\bNHS (?:Foundation )?Trust\b|\bFoundation (?:NHS )?Trust\b/i.test(text)) return 'nhs_trust';
  if (/^(?:the\s+)?NHS England\b/i.test(text)) return 'nhs_england';
  if (/\b(?:Council|MBC|Borough|County|Local Authority)\b/i.test(text)) return 'local_authority';
  if (/\b(?:GP practices?|Surgery|Medical Centre|Health Centre|Group Practice|Medical Practice)\b/i.test(text))
    return 'gp_practice';
  if (isNhsAndPlace(text)) return 'commissioner';
  return 'other';
}

// Canonical forms of the endings, applied to the lower-case words of a name.
const CANONICAL_ENDINGS: [RegExp, string][] = [
  [/\bclinical commissioning groups?$/, 'ccg'],
  [/\bccgs$/, 'ccg'],
  [/\bintegrated care boards?$/, 'icb'],
  [/\bicbs$/, 'icb'],
  [/\bmetropolitan borough council$/, 'mbc'],
  // "Foundation NHS Trust" is a common misnaming of "NHS Foundation Trust"; "X Foundation
  // Trust" is the same body written without "NHS".
  [/\b(?:foundation nhs trust|nhs foundation trust|foundation trust)$/, 'nhs foundation trust'],
];

/**
 * A key under which the known forms of one organisation's name agree: case, punctuation, a
 * leading "The", "&" for "and", a bracketed abbreviation, the order of "NHS Foundation Trust",
 * and "X CCG" = "NHS X Clinical Commissioning Group" = "X Clinical Commissioning Group (XCCG)".
 */
export function organisationNameKey(name: string): string {
  // "NHS Salford" is Salford's CCG.
  const nhsAndPlace = isNhsAndPlace(name);
  let text = name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\([^()]*\)/g, ' ')
    .replace(/&/g, ' and ')
    .replace(/['’‘`]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(/^the /, '');
  if (nhsAndPlace) text = `${text} ccg`;
  for (const [pattern, canonical] of CANONICAL_ENDINGS) text = text.replace(pattern, canonical);
  // The NHS prefix of commissioners is part of the formal name only ("NHS Rotherham CCG").
  if (/\b(?:ccg|icb)$/.test(text)) text = text.replace(/^nhs /, '');
  return text;
}

/** True when two names are known forms of the same organisation's name. */
export function sameOrganisation(a: string, b: string): boolean {
  const key = organisationNameKey(a);
  return key !== '' && key === organisationNameKey(b);
}

// A whole name by its ending or its start. Lists are split only where one of these ends, not
// after "NHS" and a word, which may be the start of a longer place ("NHS Bath and North East Somerset").
function endsOrStartsAsName(text: string): boolean {
  const tidy = text.replace(/\s+/g, ' ').trim();
  return ENDS_WITH_NAME_ENDING.test(tidy) || WHOLE_NAME_START.test(tidy);
}

/** True when the words are a whole organisation's name by their form alone. */
export function looksLikeOrganisationName(text: string): boolean {
  return endsOrStartsAsName(text) || isNhsAndPlace(text);
}

type Span = { start: number; end: number };
type Word = Span & { text: string; separator: boolean };

// Words and separators with their places in the text. "and", "&", commas, semicolons and
// slashes separate names, but may also sit inside one.
function wordsOf(text: string): Word[] {
  const words: Word[] = [];
  for (const m of text.matchAll(/[,;&/]|[^\s,;&/]+/g)) {
    const start = m.index;
    words.push({ text: m[0], start, end: start + m[0].length, separator: /^(?:[,;&/]|and)$/i.test(m[0]) });
  }
  return words;
}

// Where known names occur in the list, longest first, so that "Rotherham, Doncaster and
// South Humber NHS Foundation Trust" is found whole when the header named it.
function knownNameSpans(text: string, words: Word[], knownKeys: Set<string>): Span[] {
  const found: Span[] = [];
  const longest = 16;
  for (let i = 0; i < words.length; i += 1) {
    const first = words[i];
    if (!first || first.separator) continue;
    for (let j = Math.min(words.length - 1, i + longest); j >= i; j -= 1) {
      const last = words[j];
      if (!last || last.separator) continue;
      if (knownKeys.has(organisationNameKey(text.slice(first.start, last.end)))) {
        found.push({ start: first.start, end: last.end });
        break;
      }
    }
  }
  const taken: Span[] = [];
  for (const span of found.sort((a, b) => a.start - b.start || b.end - a.end)) {
    if (!taken.some((t) => span.start < t.end && t.start < span.end)) taken.push(span);
  }
  return taken;
}

// Cuts after every name ending, so names written with no separator between them
// ("… NHS Foundation Trust The Rotherham NHS Foundation Trust") come apart.
function cutAfterEndings(text: string, span: Span): Span[] {
  const pieces: Span[] = [];
  let start = span.start;
  const ending = new RegExp(ENDING_SOURCE, 'gi');
  const part = text.slice(span.start, span.end);
  for (const m of part.matchAll(ending)) {
    const end = span.start + m.index + m[0].length;
    if (text.slice(end, span.end).trim() === '') break;
    pieces.push({ start, end });
    start = end;
  }
  pieces.push({ start, end: span.end });
  return pieces;
}

// Within a stretch ending in at most one name ending, separators cut names only where the
// words before them already make a whole name ("NHS England, Rotherham CCG"); otherwise they
// belong to the name ("Rotherham, Doncaster and South Humber NHS Foundation Trust").
function splitAtSeparators(text: string, span: Span): Span[] {
  const words = wordsOf(text.slice(span.start, span.end)).map((w) => ({
    ...w,
    start: w.start + span.start,
    end: w.end + span.start,
  }));
  const names: Span[] = [];
  // Declared wide on purpose: closeRun sets it, and TypeScript does not follow assignments made in a closure.
  let open = null as Span | null;
  let runStart: number | null = null;
  let runEnd = 0;
  const closeRun = () => {
    if (runStart === null) return;
    open = open ? { start: open.start, end: runEnd } : { start: runStart, end: runEnd };
    runStart = null;
    if (endsOrStartsAsName(text.slice(open.start, open.end))) {
      names.push(open);
      open = null;
    }
  };
  for (const word of words) {
    if (word.separator) closeRun();
    else {
      runStart ??= word.start;
      runEnd = word.end;
    }
  }
  closeRun();
  if (open) names.push(open);
  return names;
}

function tidyName(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/^(?:\s*(?:,|;|&|\/|and\b))+\s*/i, '')
    .replace(/(?:\s*(?:,|;|&|\/|\band))+\s*$/i, '')
    .trim();
}

/**
 * Splits a list of organisations ("NHS England, Rotherham CCG, Rotherham, Doncaster and South
 * Humber NHS Foundation Trust and The Rotherham Foundation NHS Trust") into names as written.
 * Known names (for example from the report's header) are found first in any of their forms;
 * the rest is split after name endings and at separators that follow a whole name.
 */
export function splitOrganisationList(text: string, knownNames: readonly string[] = []): string[] {
  const list = text
    .replace(/\s+/g, ' ')
    .replace(/\s*\bshould\s*:?\s*$/i, '')
    .replace(/[:.]\s*$/, '')
    .trim();
  if (list === '') return [];
  const knownKeys = new Set(knownNames.map(organisationNameKey).filter((k) => k !== ''));
  const known = knownNameSpans(list, wordsOf(list), knownKeys);
  const spans: Span[] = [...known];
  let position = 0;
  for (const gap of [...known, { start: list.length, end: list.length }]) {
    if (gap.start > position) {
      for (const piece of cutAfterEndings(list, { start: position, end: gap.start })) {
        spans.push(...splitAtSeparators(list, piece));
      }
    }
    position = gap.end;
  }
  return spans
    .sort((a, b) => a.start - b.start)
    .map((s) => tidyName(list.slice(s.start, s.end)))
    .filter((name) => /[a-z0-9]/i.test(name));
}
