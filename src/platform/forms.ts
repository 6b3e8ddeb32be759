import { isoFromParts } from '../domain/dates.ts';
import { formText } from './http/form-bodies.ts';

/*
 * Server-side form checking in the NHS design system's pattern: every problem has a message
 * next to its field and a link to that field in the error summary at the top of the page.
 * Messages say what to do ("Enter the date the action is due, for example 31 3 2027").
 */

export interface ErrorLink {
  text: string;
  href: string;
}

export class FormErrors {
  readonly #byField = new Map<string, string>();

  add(field: string, message: string): void {
    if (!this.#byField.has(field)) this.#byField.set(field, message);
  }

  get any(): boolean {
    return this.#byField.size > 0;
  }

  /** Messages by field name, for each field's errorMessage. */
  get fields(): Record<string, string> {
    return Object.fromEntries(this.#byField);
  }

  /** The error summary's list: each message links to its field (a date links to its day box). */
  summary(hrefs: Record<string, string> = {}): ErrorLink[] {
    return [...this.#byField].map(([field, text]) => ({ text, href: hrefs[field] ?? `#${field}` }));
  }
}

export interface DateInputValue {
  /** 'YYYY-MM-DD' when a real date was entered, else null. */
  iso: string | null;
  /** What was typed, to put back in the boxes. */
  day: string;
  month: string;
  year: string;
}

/**
 * Reads an NHS date input (fields NAME-day, NAME-month, NAME-year). `what` completes
 * "Enter the date …", e.g. 'the action is due'. Adds a message to `errors` under NAME.
 */
export function readDateInput(
  body: unknown,
  name: string,
  what: string,
  errors: FormErrors,
  options: { required?: boolean; notAfter?: string; notAfterMessage?: string } = {},
): DateInputValue {
  const day = formText(body, `${name}-day`).trim();
  const month = formText(body, `${name}-month`).trim();
  const year = formText(body, `${name}-year`).trim();
  const value: DateInputValue = { iso: null, day, month, year };
  const example = 'for example 31 3 2027';
  if (!day && !month && !year) {
    if (options.required !== false) errors.add(name, `Enter the date ${what}, ${example}`);
    return value;
  }
  const missing = [!day && 'day', !month && 'month', !year && 'year'].filter(Boolean) as string[];
  if (missing.length > 0) {
    errors.add(name, `The date ${what} must include a ${missing.join(' and ')}`);
    return value;
  }
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) {
    errors.add(name, `Enter the date ${what} in numbers, ${example}`);
    return value;
  }
  const iso = isoFromParts(Number(year), Number(month), Number(day));
  if (!iso) {
    errors.add(name, `The date ${what} must be a real date, ${example}`);
    return value;
  }
  if (options.notAfter && iso > options.notAfter) {
    errors.add(name, options.notAfterMessage ?? `The date ${what} must be today or in the past`);
    return value;
  }
  value.iso = iso;
  return value;
}

/** The boxes of a date input filled from an ISO date, for editing a saved value. */
export function dateInputFrom(iso: string | null): DateInputValue {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null;
  return m
    ? { iso, day: String(Number(m[3])), month: String(Number(m[2])), year: m[1] ?? '' }
    : { iso: null, day: '', month: '', year: '' };
}

/** Trimmed text, with a message when required and empty or when longer than `max`. */
export function readText(
  body: unknown,
  name: string,
  errors: FormErrors,
  options: { required?: string; max?: number; label?: string } = {},
): string {
  const value = formText(body, name).replace(/\r\n/g, '\n').trim();
  if (!value && options.required) errors.add(name, options.required);
  const max = options.max ?? 10_000;
  if (value.length > max)
    errors.add(name, `${options.label ?? 'This'} must be ${max.toLocaleString('en-GB')} characters or fewer`);
  return value;
}

/** The version number a form was opened at (hidden field "version"), or null if missing or malformed. */
export function readVersion(body: unknown): number | null {
  const raw = formText(body, 'version');
  return /^\d{1,9}$/.test(raw) ? Number(raw) : null;
}

/** Values as a page's fields show them again: text as typed, dates as their three boxes. */
export type FieldValues = Record<string, string | string[]>;

/** One field's text as typed ('' when absent; the first of a repeated field). */
export function fieldText(fields: FieldValues, name: string): string {
  const value = fields[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** The three boxes of a date field as typed. */
export function dateBoxes(fields: FieldValues, name: string): { day: string; month: string; year: string } {
  return {
    day: fieldText(fields, `${name}-day`),
    month: fieldText(fields, `${name}-month`),
    year: fieldText(fields, `${name}-year`),
  };
}
