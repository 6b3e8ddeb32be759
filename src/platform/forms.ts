/*
 * A form's problems and values in the NHS design system's pattern: every problem has a message
 * next to its field and a link to that field in the error summary at the top of the page, and a
 * refused form shows again what was typed. Forms are checked by their schemas (form-schema.ts).
 * Messages say what to do ("Enter the date the action is due, for example 31 3 2027").
 */

export interface ErrorLink {
  text: string;
  href: string;
}

export class FormErrors {
  readonly #byField = new Map<string, string>();
  readonly #allowedByField = new Map<string, readonly string[]>();

  /**
   * A problem with a field. `allowed` lists the values a field of choices takes, as a script
   * sends them: the API gives them beside the message, which uses only the words on the page.
   */
  add(field: string, message: string, allowed?: readonly string[]): void {
    if (this.#byField.has(field)) return;
    this.#byField.set(field, message);
    if (allowed) this.#allowedByField.set(field, allowed);
  }

  get any(): boolean {
    return this.#byField.size > 0;
  }

  /** Messages by field name, for each field's errorMessage. */
  get fields(): Record<string, string> {
    return Object.fromEntries(this.#byField);
  }

  /** The values each field of choices takes, for the fields that have a problem and a list of choices. */
  get allowed(): Record<string, readonly string[]> {
    return Object.fromEntries(this.#allowedByField);
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

/** The boxes of a date input filled from an ISO date, for editing a saved value. */
export function dateInputFrom(iso: string | null): DateInputValue {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null;
  return m
    ? { iso, day: String(Number(m[3])), month: String(Number(m[2])), year: m[1] ?? '' }
    : { iso: null, day: '', month: '', year: '' };
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
