import { z } from 'zod';
import { formatLongDate, isoFromParts, monthFromTyped, parseIsoDate, splitTypedDate } from '../domain/dates.ts';
import { FormErrors } from './forms.ts';
import type { UploadedFile } from './http/form-bodies.ts';

/*
 * One way to read a form, whether it came from a page (urlencoded or multipart) or from a script
 * (JSON). Each form is a zod schema, usually made by a function of the rules it needs (today's
 * date, the plan's rating scale, whether a number is taken). `parseForm` turns the body into
 * the schema's input, checks it and gives a typed command, or throws `FormInvalid` with every
 * problem against its field, in the order of the form's fields. Services take the command; when
 * a rule they check while writing fails (a stale version, a file that is not what it says), they
 * throw `FormInvalid` too. One error type, so a page shows the error summary and the API answers
 * {errors: [{field, message}]} with the same words.
 */

/** A value changed by someone else since the form was opened, as the stale-edit table shows it. */
export interface FieldChange {
  field: string;
  label: string;
  /** The value when the form was opened, rebuilt from the audit trail. */
  opened: string;
  saved: string;
  yours: string;
}

/** Someone saved the thing after the form was opened: what changed, and the version to save on top of. */
export interface StaleEdit {
  message: string;
  /** The version saved now: a second save, after reviewing the changes, goes through. */
  version: number;
  changes: FieldChange[];
}

/** A form that cannot be saved as sent: 400, or 409 when someone else changed the thing first. */
export class FormInvalid extends Error {
  readonly status: 400 | 409;
  readonly stale: StaleEdit | null;
  constructor(
    readonly errors: FormErrors,
    options: { status?: 400 | 409; stale?: StaleEdit | null } = {},
  ) {
    super('The form has problems');
    this.stale = options.stale ?? null;
    this.status = options.status ?? (this.stale ? 409 : 400);
  }

  /** One problem with one field. */
  static of(field: string, message: string, status: 400 | 409 = 400): FormInvalid {
    const errors = new FormErrors();
    errors.add(field, message);
    return new FormInvalid(errors, { status });
  }
}

/**
 * The API's list of problems, each naming the field as the caller sent it; a field of choices
 * also lists the values it takes (`allowed`), since its message uses the page's words for them.
 */
export function errorList(errors: FormErrors): { field: string; message: string; allowed?: string[] }[] {
  const allowed = errors.allowed;
  return Object.entries(errors.fields).map(([field, message]) => {
    const values = allowed[field];
    return values ? { field, message, allowed: [...values] } : { field, message };
  });
}

/** The three boxes of a date input, as typed. */
export interface DateBoxes {
  day: string;
  month: string;
  year: string;
}

/** A file field of a multipart form, as @fastify/multipart attaches it. */
function partValue(value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value) && 'value' in value) {
    const inner = value.value;
    if (inner && typeof inner === 'object' && 'bytes' in inner) {
      const file = inner as UploadedFile;
      // A file input left empty still sends a part with no name and no bytes.
      return file.fileName === '' && file.bytes.length === 0 ? undefined : file;
    }
    return inner;
  }
  return value;
}

/**
 * A body as a form's input: multipart parts unwrapped to their values, date boxes
 * (NAME-day, NAME-month, NAME-year) gathered into {day, month, year} under NAME, the CSRF token
 * left out. A JSON body passes through unchanged (its dates are 'YYYY-MM-DD' strings).
 */
export function formInput(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return {};
  const input: Record<string, unknown> = {};
  const dates = new Map<string, DateBoxes>();
  for (const [key, raw] of Object.entries(body as Record<string, unknown>)) {
    if (key === '_csrf') continue;
    const value = Array.isArray(raw) ? raw.map(partValue) : partValue(raw);
    const box = /^(.+)-(day|month|year)$/.exec(key);
    if (box?.[1] && box[2] && (typeof value === 'string' || value === undefined)) {
      const name = box[1];
      const boxes = dates.get(name) ?? { day: '', month: '', year: '' };
      boxes[box[2] as keyof DateBoxes] = value ?? '';
      dates.set(name, boxes);
      continue;
    }
    input[key] = value;
  }
  for (const [name, boxes] of dates) if (!(name in input)) input[name] = boxes;
  return input;
}

/** The values a page shows again after a refused save: text as typed, never the CSRF token or a file. */
export function formFields(body: unknown): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  if (!body || typeof body !== 'object') return fields;
  for (const [key, raw] of Object.entries(body as Record<string, unknown>)) {
    if (key === '_csrf') continue;
    const value = Array.isArray(raw) ? raw.map(partValue) : partValue(raw);
    if (typeof value === 'string') fields[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') fields[key] = String(value);
    else if (Array.isArray(value)) fields[key] = value.filter((v): v is string => typeof v === 'string');
  }
  return fields;
}

function issuesToErrors(issues: readonly z.core.$ZodIssue[]): FormErrors {
  const errors = new FormErrors();
  for (const issue of issues) {
    const field = issue.path.length > 0 ? String(issue.path[0]) : 'form';
    errors.add(field, issue.message, issue.code === 'custom' ? allowedOf(issue.params) : undefined);
  }
  return errors;
}

/** The values a field of choices takes, as `choice` puts them on its problem. */
function allowedOf(params: Record<string, unknown> | undefined): readonly string[] | undefined {
  const allowed = params?.allowed;
  return Array.isArray(allowed) && allowed.every((v) => typeof v === 'string') ? allowed : undefined;
}

/** The fields of a form's schema in the order the form lists them (through transforms and intersections). */
function fieldOrder(schema: z.ZodType): string[] {
  if (schema instanceof z.ZodObject) return Object.keys(schema.shape);
  if (schema instanceof z.ZodPipe) return fieldOrder(schema.in as z.ZodType);
  if (schema instanceof z.ZodIntersection) {
    return [...fieldOrder(schema.def.left as z.ZodType), ...fieldOrder(schema.def.right as z.ZodType)];
  }
  return [];
}

/**
 * Checks a body against a form's schema: the command, or FormInvalid with each problem against
 * its field. Problems are listed in the order of the form's fields, as the error summary expects,
 * whichever check found them first (a check that reads the database answers after the others).
 */
export async function parseForm<S extends z.ZodType>(schema: S, body: unknown): Promise<z.output<S>> {
  const result = await schema.safeParseAsync(formInput(body));
  if (result.success) return result.data;
  const order = fieldOrder(schema);
  const place = (issue: z.core.$ZodIssue) => {
    const index = order.indexOf(String(issue.path[0]));
    return index < 0 ? order.length : index;
  };
  throw new FormInvalid(issuesToErrors([...result.error.issues].sort((a, b) => place(a) - place(b))));
}

/**
 * Rules across fields (a title needs a file; an end after a start). They run even when a field
 * already has a problem, so the person sees every problem at once.
 */
export const ALWAYS = { when: () => true } as const;

/* Field builders. Each gives a message that says what to do, in the NHS design system's words. */

/** One text value from a form or JSON: a number reads as its digits; anything else is not text. */
function asText(value: unknown): unknown {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return value === false ? '' : String(value);
  if (Array.isArray(value)) return value.length === 0 ? '' : asText(value[0]);
  return value;
}

/** Trimmed text (line endings as \n), with a message when required and empty or when longer than `max`. */
export function text(options: { required?: string; max?: number; label?: string } = {}) {
  const max = options.max ?? 10_000;
  return z
    .preprocess(asText, z.string({ error: `${options.label ?? 'This'} must be text` }))
    .transform((value, ctx) => {
      const trimmed = value.replace(/\r\n/g, '\n').trim();
      if (!trimmed && options.required) ctx.addIssue({ code: 'custom', message: options.required });
      if (trimmed.length > max) {
        const limit = max.toLocaleString('en-GB');
        ctx.addIssue({ code: 'custom', message: `${options.label ?? 'This'} must be ${limit} characters or fewer` });
      }
      return trimmed;
    });
}

/**
 * One of a list of values ('' when nothing was chosen), with `message` for anything else or
 * nothing. The message is shown on the page, so it uses the page's words ("Select what this
 * version is for"), never the values themselves: the API lists those apart, as `allowed`.
 */
export function choice<const T extends string>(
  values: readonly T[],
  message: string,
  options: { required?: boolean } = {},
) {
  return z.preprocess(asText, z.string()).transform((value, ctx): T | '' => {
    const trimmed = value.trim();
    if (trimmed === '' && options.required === false) return '';
    const found = values.find((v) => v === trimmed);
    if (found === undefined) {
      ctx.addIssue({ code: 'custom', message, params: { allowed: values } });
      return '';
    }
    return found;
  });
}

/** A whole-number id from a field or a JSON number; null when empty, `message` when not an id. */
export function optionalId(message: string) {
  return z.preprocess(asText, z.string()).transform((value, ctx): number | null => {
    const trimmed = value.trim();
    if (trimmed === '') return null;
    if (!/^\d{1,9}$/.test(trimmed) || Number(trimmed) < 1) {
      ctx.addIssue({ code: 'custom', message });
      return null;
    }
    return Number(trimmed);
  });
}

/** Checkbox ids (or a JSON array of ids), sorted and without repeats; `message` when any is not an id. */
export function idList(message: string) {
  return z
    .unknown()
    .optional()
    .transform((value, ctx): number[] => {
      const raw = (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value])
        .map((v) => (typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : null))
        .filter((v) => v !== '');
      const ids = raw.filter((v): v is string => v !== null && /^\d{1,9}$/.test(v)).map(Number);
      if (ids.length !== raw.length) ctx.addIssue({ code: 'custom', message });
      return [...new Set(ids)].sort((a, b) => a - b);
    });
}

/** The version a form was opened at (hidden field, or a JSON number); null when missing or malformed. */
export const version = z
  .unknown()
  .optional()
  .transform((value): number | null => {
    const raw = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
    return /^\d{1,9}$/.test(raw) && Number(raw) > 0 ? Number(raw) : null;
  });

/** A yes/no checkbox or JSON boolean: true for 'yes', 'true', 'on' or true. */
export const flag = z
  .unknown()
  .optional()
  .transform((value) => {
    const one = Array.isArray(value) ? (value as unknown[])[0] : value;
    return one === true || one === 'yes' || one === 'true' || one === 'on';
  });

/** A file sent with a multipart form, or null when none was chosen. */
export const file = z
  .unknown()
  .optional()
  .transform((value): UploadedFile | null => {
    if (value && typeof value === 'object' && 'bytes' in value && Buffer.isBuffer((value as UploadedFile).bytes)) {
      return value as UploadedFile;
    }
    return null;
  });

export interface DateOptions {
  /** The latest date allowed (usually today), and the message when it is later. */
  notAfter?: string;
  notAfterMessage?: string;
  /** The earliest date allowed (say, the day a review began), and the message when it is earlier. */
  notBefore?: string | null;
  notBeforeMessage?: string;
  /**
   * How a JSON date that is not 'YYYY-MM-DD' is explained: 'iso' names the format the API takes;
   * 'boxes' gives the page's message (the plan's edit API has always answered that way).
   */
  jsonMessage?: 'iso' | 'boxes';
}

const EXAMPLE = 'for example 31 3 2027';

/**
 * The three boxes as a date. As the GOV.UK date input pattern advises, the month may be a name
 * or an abbreviation ("Jan", "january", "Sept") as well as a number, and a whole date typed into
 * the day box alone ("6 Jan 2026", "6/1/2026") is read as if each part were in its box.
 */
function checkBoxes(boxes: DateBoxes, what: string, required: boolean): { iso: string | null; problem?: string } {
  const typed = { day: boxes.day.trim(), month: boxes.month.trim(), year: boxes.year.trim() };
  const whole = !typed.month && !typed.year ? splitTypedDate(typed.day) : null;
  const { day, month, year } = whole ?? typed;
  if (!day && !month && !year) {
    return required ? { iso: null, problem: `Enter the date ${what}, ${EXAMPLE}` } : { iso: null };
  }
  const missing = [!day && 'day', !month && 'month', !year && 'year'].filter((m): m is string => Boolean(m));
  if (missing.length > 0) return { iso: null, problem: `The date ${what} must include a ${missing.join(' and ')}` };
  const monthNumber = monthFromTyped(month);
  if (!/^\d{1,2}$/.test(day) || monthNumber === null || !/^\d{4}$/.test(year)) {
    return { iso: null, problem: `Enter the date ${what} in numbers, ${EXAMPLE}` };
  }
  const iso = isoFromParts(Number(year), monthNumber, Number(day));
  return iso ? { iso } : { iso: null, problem: `The date ${what} must be a real date, ${EXAMPLE}` };
}

/**
 * A date that must be given: three boxes from a page, or one 'YYYY-MM-DD' string from JSON.
 * `what` completes "Enter the date …", e.g. 'the action is due'. Gives 'YYYY-MM-DD'.
 */
export function date(what: string, options: DateOptions = {}) {
  // When a date is missing the parse fails, so '' never reaches a command.
  return dateField(what, true, options).transform((iso) => iso ?? '');
}

/** A date that may be left empty: 'YYYY-MM-DD', or null. */
export function optionalDate(what: string, options: DateOptions = {}) {
  return dateField(what, false, options);
}

function dateField(what: string, required: boolean, options: DateOptions) {
  return z
    .unknown()
    .optional()
    .transform((value, ctx): string | null => {
      let checked: { iso: string | null; problem?: string };
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        const v = value as Partial<DateBoxes>;
        checked = checkBoxes({ day: v.day ?? '', month: v.month ?? '', year: v.year ?? '' }, what, required);
      } else {
        const raw = typeof asText(value) === 'string' ? (asText(value) as string).trim() : '?';
        if (raw === '') checked = checkBoxes({ day: '', month: '', year: '' }, what, required);
        else if (/^\d{4}-\d{2}-\d{2}$/.test(raw) && parseIsoDate(raw)) checked = { iso: raw };
        else if (options.jsonMessage === 'boxes') {
          const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(raw);
          checked = m
            ? checkBoxes({ day: m[3] ?? '', month: m[2] ?? '', year: m[1] ?? '' }, what, required)
            : { iso: null, problem: `Enter the date ${what} in numbers, ${EXAMPLE}` };
        } else {
          checked = {
            iso: null,
            problem: `Enter the date ${what} as a real date in the form YYYY-MM-DD, for example 2027-03-31`,
          };
        }
      }
      if (checked.problem) {
        ctx.addIssue({ code: 'custom', message: checked.problem });
        return null;
      }
      if (checked.iso && options.notAfter && checked.iso > options.notAfter) {
        ctx.addIssue({
          code: 'custom',
          message: options.notAfterMessage ?? `The date ${what} must be today or in the past`,
        });
        return null;
      }
      if (checked.iso && options.notBefore && checked.iso < options.notBefore) {
        ctx.addIssue({
          code: 'custom',
          message:
            options.notBeforeMessage ?? `The date ${what} must be on or after ${formatLongDate(options.notBefore)}`,
        });
        return null;
      }
      return checked.iso;
    });
}
