import { sameOrganisation } from './organisation-names.ts';

/*
 * Which organisations an action's agency cell names. Plans write agencies loosely ("RCCG/NHS
 * England Area Team", "TRFT ED", "RDaSH and RMBC"), so names are matched in their usual forms,
 * with a team after them, or as abbreviations.
 */

export type AgencyOrganisation = { id: number; name: string; short_name: string; kind: string };

// Words an abbreviation may leave out: "TRFT" is The Rotherham (NHS) Foundation Trust,
// "RDaSH" Rotherham Doncaster and South Humber (NHS Foundation Trust).
const OPTIONAL_WORDS = new Set(['the', 'and', 'of', 'nhs', 'foundation', 'trust', 'group', 'council']);

/** The abbreviations a name is commonly written as: initials, with or without the small words. */
export function abbreviationsOf(name: string): Set<string> {
  const words = name
    .replace(/\([^)]*\)/g, ' ')
    .replace(/&/g, ' and ')
    .split(/[^A-Za-z]+/)
    .filter(Boolean);
  let forms = [''];
  for (const word of words) {
    // A word that is itself an abbreviation ("CCG" in "Rotherham CCG") keeps all its letters.
    const initial =
      word.length >= 2 && word === word.toUpperCase() ? word.toLowerCase() : (word[0]?.toLowerCase() ?? '');
    const next = forms.map((f) => f + initial);
    forms = OPTIONAL_WORDS.has(word.toLowerCase()) ? [...forms, ...next] : next;
    if (forms.length > 256) break;
  }
  return new Set(forms.filter((f) => f.length >= 2));
}

/** A word written as an abbreviation: "TRFT", "RDaSH", "RCCG" (not "ED" or "Team"). */
function abbreviationWords(text: string): string[] {
  return (text.match(/\b[A-Za-z]{3,8}\b/g) ?? []).filter(
    (w) => (w.match(/[A-Z]/g) ?? []).length >= 3 && /^[A-Z]/.test(w),
  );
}

function startsWithName(part: string, name: string): boolean {
  const key = (t: string) =>
    t
      .toLowerCase()
      .replace(/&/g, ' and ')
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
  const p = key(part);
  const n = key(name);
  return n.includes(' ') && (p === n || p.startsWith(`${n} `));
}

/**
 * The organisations an agency cell names ("RCCG/NHS England Area Team", "TRFT ED", "RDaSH and
 * RMBC"), among those taking part: by full or short name in their usual forms, a name followed
 * by a team ("NHS England Area Team"), or an abbreviation of the name. "CCG" alone is the
 * review's commissioner when it has only one.
 */
export function organisationsInAgency(agency: string, organisations: readonly AgencyOrganisation[]): number[] {
  const found = new Set<number>();
  const whole = agency.trim();
  const parts = [whole, ...whole.split(/\s*(?:\/|,|;|\n|\band\b|&|\+)\s*/i)]
    .map((p) => p.replace(/^[•\-\s]+/, '').trim())
    .filter(Boolean);
  const abbreviations = organisations.map((o) => ({
    id: o.id,
    forms: new Set([...abbreviationsOf(o.name), ...abbreviationsOf(o.short_name)]),
  }));
  const commissioners = organisations.filter((o) => o.kind === 'commissioner');
  for (const part of parts) {
    for (const o of organisations) {
      if (
        sameOrganisation(o.name, part) ||
        sameOrganisation(o.short_name, part) ||
        startsWithName(part, o.name) ||
        startsWithName(part, o.short_name)
      )
        found.add(o.id);
    }
    for (const word of abbreviationWords(part)) {
      const lower = word.toLowerCase();
      for (const a of abbreviations) if (a.forms.has(lower)) found.add(a.id);
    }
    const only = commissioners.length === 1 ? commissioners[0] : undefined;
    if (only && /^(?:the\s+)?(?:ccg|icb)$/i.test(part)) found.add(only.id);
  }
  return [...found];
}
