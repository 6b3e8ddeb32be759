import { ratingName, type Rating } from '../../domain/ratings.ts';
import { formatDate, formatInstant } from '../../domain/dates.ts';

/* The fields an audit event changed or set, as rows of text: never the stored JSON. */

type Fields = Record<string, unknown>;

const RATINGS = new Set(['blue', 'green', 'amber', 'red']);

export interface UpdateRow {
  field: string;
  before: string;
  after: string;
}

export interface ValueRow {
  field: string;
  value: string;
}

export type Changes =
  { kind: 'update'; rows: UpdateRow[] } | { kind: 'values'; heading: string; rows: ValueRow[] } | { kind: 'none' };

// Secrets are never stored in the trail on purpose; should one slip in, it is still not shown.
const SECRET_FIELD = /password|secret|token_?hash|csrf/i;

/** Row version counters mean nothing to a reader (the API still gives them). */
function shown(field: string): boolean {
  return field !== 'version';
}

const FIELD_WORDS: Record<string, string> = {
  id: 'ID',
  ids: 'IDs',
  url: 'URL',
  api: 'API',
  nhs: 'NHS',
  cqc: 'CQC',
  gp: 'GP',
};

/** 'dueDate', 'due_date' → 'Due date'; 'organisationIds' → 'Organisation IDs'. */
export function humanise(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_.-]+/)
    .filter(Boolean)
    .map((w) => FIELD_WORDS[w.toLowerCase()] ?? w.toLowerCase());
  return capitalise(words.join(' '));
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A stored value as a reader should see it: dates in words, lists joined, nothing as JSON. */
export function formatValue(field: string, value: unknown): string {
  if (SECRET_FIELD.test(field)) return 'Hidden';
  if (value === null || value === undefined || value === '') return 'Not set';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(value);
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) && !Number.isNaN(Date.parse(value))) return formatInstant(value);
    if (/rating$/i.test(field) && RATINGS.has(value)) return ratingName(value as Rating);
    return value;
  }
  if (Array.isArray(value)) return value.length ? value.map((v) => formatValue(field, v)).join(', ') : 'None';
  if (typeof value === 'object') {
    const entries = Object.entries(value as Fields);
    return entries.length ? entries.map(([k, v]) => `${humanise(k)}: ${formatValue(k, v)}`).join('; ') : 'None';
  }
  // Stored JSON holds none of these; should one come, it reads as its own text, as String() gives it.
  if (typeof value === 'bigint' || typeof value === 'symbol' || typeof value === 'function') return value.toString();
  // Every kind of JavaScript value is answered above.
  throw new TypeError(`A value of an unknown kind (${typeof value}) for ${field}`);
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The before and after of an update as a table; the values of a creation (or of what was removed). */
export function changesOf(before: unknown, after: unknown): Changes {
  const hasBefore = before !== null && before !== undefined;
  const hasAfter = after !== null && after !== undefined;
  if (hasBefore && hasAfter) {
    const b = typeof before === 'object' && !Array.isArray(before) ? (before as Fields) : { value: before };
    const a = typeof after === 'object' && !Array.isArray(after) ? (after as Fields) : { value: after };
    const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter(shown);
    const rows = fields
      .filter((f) => !sameValue(b[f], a[f]))
      .map((f) => ({ field: humanise(f), before: formatValue(f, b[f]), after: formatValue(f, a[f]) }));
    return rows.length ? { kind: 'update', rows } : { kind: 'none' };
  }
  if (hasBefore || hasAfter) {
    const source = hasAfter ? after : before;
    const fields = typeof source === 'object' && !Array.isArray(source) ? (source as Fields) : { value: source };
    const rows = Object.entries(fields)
      .filter(([f]) => shown(f))
      .map(([f, v]) => ({ field: humanise(f), value: formatValue(f, v) }));
    return rows.length
      ? { kind: 'values', heading: hasAfter ? 'Values recorded' : 'Values before', rows }
      : { kind: 'none' };
  }
  return { kind: 'none' };
}

/** Parses a stored before/after column; text that is not JSON is shown as it is. */
export function parseStored(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
