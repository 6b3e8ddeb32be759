import { z } from 'zod';
import { parseIsoDate } from '../../domain/dates.ts';
import { ALWAYS, FormInvalid, formFields, optionalDate, parseForm } from '../../platform/form-schema.ts';
import type { FieldValues } from '../../platform/forms.ts';

/*
 * The filter form of a review's audit trail. It is a GET form, so the filters are in the address
 * and a filtered trail can be bookmarked and shared; the JSON API takes the same query parameters.
 * Dates are three boxes on the page (from-day, from-month, from-year) or, for scripts,
 * 'YYYY-MM-DD' (from=2026-09-01). Nothing is required: an empty form lists the whole trail.
 */

/** A query parameter's text, trimmed; '' when absent. */
function queryText(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** A database id chosen from a list: null when none was chosen, `message` when it is not an id. */
function listedId(message: string) {
  return z
    .unknown()
    .optional()
    .transform((value, ctx): number | null => {
      const raw = queryText(value);
      if (raw === '') return null;
      // Ids are PostgreSQL integers.
      if (!/^[1-9]\d{0,9}$/.test(raw) || Number(raw) > 2_147_483_647) {
        ctx.addIssue({ code: 'custom', message });
        return null;
      }
      return Number(raw);
    });
}

/** A value of the trail (a kind of record, what happened): null for any, `message` when far too long to be one. */
function listedValue(message: string) {
  return z
    .unknown()
    .optional()
    .transform((value, ctx): string | null => {
      const raw = queryText(value);
      if (raw.length > 200) ctx.addIssue({ code: 'custom', message });
      return raw === '' ? null : raw;
    });
}

/**
 * A date to show from or up to, or null. A script's 'YYYY-MM-DD' that is not a real date is
 * explained with that format's example; the boxes are checked as every date in Clasp is.
 */
function filterDate(what: string) {
  const boxes = optionalDate(what);
  return z
    .unknown()
    .optional()
    .transform((value, ctx): string | null => {
      const iso = queryText(value);
      if (iso !== '') {
        if (parseIsoDate(iso)) return iso;
        ctx.addIssue({ code: 'custom', message: `The date ${what} must be a real date, for example 2027-03-31` });
        return null;
      }
      const checked = boxes.safeParse(value);
      if (checked.success) return checked.data;
      for (const issue of checked.error.issues) ctx.addIssue({ code: 'custom', message: issue.message });
      return null;
    });
}

export const trailFilterForm = z
  .object({
    person: listedId('Select a person from the list'),
    organisation: listedId('Select an organisation from the list'),
    type: listedValue('Select a kind of record from the list'),
    action: listedValue('Select what happened from the list'),
    from: filterDate('to show from'),
    to: filterDate('to show up to'),
    // A page that is not a page number shows the first; one past the end shows the last.
    page: z
      .unknown()
      .optional()
      .transform((value) => {
        const raw = queryText(value);
        return /^[1-9]\d{0,6}$/.test(raw) ? Number(raw) : 1;
      }),
  })
  .superRefine((filter, ctx) => {
    if (filter.from && filter.to && filter.to < filter.from) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: 'The date to show up to must be the same as or after the date to show from',
      });
    }
  }, ALWAYS);

/**
 * The trail's filters, checked: ids of the person and organisation, the kind of record and what
 * happened (each null for any), the first and last days shown ('YYYY-MM-DD', or null) and the page.
 */
export type TrailFilter = z.output<typeof trailFilterForm>;

/** A trail request's filters: the checked filter or its problems, and what was sent, to show in the form again. */
export type TrailRequest =
  | { filter: TrailFilter; failure: null; fields: FieldValues }
  | { filter: null; failure: FormInvalid; fields: FieldValues };

/**
 * The query as the form reads it: the first value of a repeated parameter, and no blank ones, so
 * that a blank from= (or to=) leaves the date to its three boxes.
 */
function queryValues(query: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  if (!query || typeof query !== 'object') return values;
  for (const [name, value] of Object.entries(query)) {
    const first: unknown = Array.isArray(value) ? (value as unknown[])[0] : value;
    if (typeof first === 'string' && first.trim() !== '') values[name] = first;
  }
  return values;
}

/**
 * Reads the filters of a trail request (the query string of the page or of the API). Problems are
 * not thrown: the page still shows the form, with its error summary, and lists nothing.
 */
export async function readTrailFilter(query: unknown): Promise<TrailRequest> {
  const fields = formFields(query);
  try {
    return { filter: await parseForm(trailFilterForm, queryValues(query)), failure: null, fields };
  } catch (error) {
    if (error instanceof FormInvalid) return { filter: null, failure: error, fields };
    throw error;
  }
}
