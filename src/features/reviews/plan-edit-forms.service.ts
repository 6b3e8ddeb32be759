import type { FastifyReply } from 'fastify';
import { readVersion, type FormErrors } from '../../platform/forms.ts';
import type { Breadcrumb } from '../../platform/http/pages.ts';
import type { ReviewRow } from '../../platform/db/schema.ts';
import { fieldsFromBody, type Fields, type SaveOutcome, type StaleEdit } from './plan-edits.service.ts';

/*
 * What the edit pages of a review's plan (its details, recommendation groups, recommendations,
 * findings and actions) and their JSON twins share, around the stale-edit rule of
 * plan-edits.service.ts: the page's state after a refused save (400 for invalid values, 409
 * for a stale edit, with the changes), the values shown again, a JSON body read as the
 * form's fields, and the API's answer. The forms' shared macros are in views/plan-edit-parts.njk.
 */

export interface FormFailure {
  errors: FormErrors;
  stale: StaleEdit | null;
}

/** Date inputs link from the error summary to their day box (NHS design system). */
const DATE_HREFS: Record<string, string> = Object.fromEntries(
  ['reviewStart', 'reviewEnd', 'reportPublished', 'reportReceived', 'dueDate'].map((name) => [name, `#${name}-day`]),
);

/** The page title, status, error summary and field messages of a form, with or without problems. */
export function formState(title: string, failure?: FormFailure) {
  const errorList = failure
    ? [
        ...(failure.stale ? [{ text: failure.stale.message, href: '#changes' }] : []),
        ...failure.errors.summary(DATE_HREFS),
      ]
    : [];
  return {
    status: failure ? (failure.stale ? 409 : 400) : 200,
    context: {
      pageTitle: errorList.length ? `Error: ${title}` : title,
      errorList,
      errors: failure?.errors.fields ?? {},
      stale: failure?.stale ?? null,
    },
  };
}

/** Renders an edit form: its view, and its problems when a save was refused. */
export function sendForm(
  reply: FastifyReply,
  template: string,
  view: { heading: string; area?: string },
  failure?: FormFailure,
) {
  const state = formState(view.area ? `${view.heading} – ${view.area}` : view.heading, failure);
  return reply.page(template, { ...view, ...state.context }, state.status);
}

/** The values to show again after a refused save, and the version to carry on. */
export function retry(
  body: unknown,
  outcome: Extract<SaveOutcome<unknown>, { ok: false }>,
): { fields: Fields; version: number | null } {
  return { fields: fieldsFromBody(body), version: outcome.stale ? outcome.stale.version : readVersion(body) };
}

export function listOf(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

export function checkboxItems(
  options: readonly { id: number; name: string }[],
  selected: string | string[] | undefined,
) {
  const chosen = listOf(selected);
  return options.map((o) => ({ value: String(o.id), text: o.name, checked: chosen.includes(String(o.id)) }));
}

export function reviewCrumbs(review: ReviewRow): Breadcrumb[] {
  return [
    { text: 'Reviews', href: '/reviews' },
    { text: review.area, href: `/reviews/${review.id}` },
  ];
}

/* The JSON API */

/** The schema of a JSON body: an object, read field by field by the services. */
export const jsonBody = { type: 'object' } as const;

function oneValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'yes' : '';
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  return '';
}

/** A JSON body in the shape of the form the services read: dates become day, month and year boxes. */
export function fieldsFromJson(json: unknown, dateKeys: readonly string[] = []): Fields {
  const fields: Fields = {};
  if (!json || typeof json !== 'object') return fields;
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    if (dateKeys.includes(key)) {
      const text = oneValue(value);
      const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
      // Anything but YYYY-MM-DD reads as a date not written in numbers.
      const [day, month, year] = m ? [m[3] ?? '', m[2] ?? '', m[1] ?? ''] : text ? ['?', '?', '?'] : ['', '', ''];
      fields[`${key}-day`] = day;
      fields[`${key}-month`] = month;
      fields[`${key}-year`] = year;
    } else if (Array.isArray(value)) fields[key] = value.map(oneValue);
    else fields[key] = oneValue(value);
  }
  return fields;
}

function errorList(errors: Record<string, string>) {
  return Object.entries(errors).map(([field, message]) => ({ field, message }));
}

/**
 * The API's answer to a save: 201 or 200 with the saved object, 400 with
 * {errors: [{field, message}]}, 409 for a stale version (with what changed).
 */
export function sendOutcome<T>(
  reply: FastifyReply,
  outcome: SaveOutcome<T>,
  status: 200 | 201,
  present: (saved: T) => unknown,
) {
  if (outcome.ok) return reply.code(status).send(present(outcome.saved));
  const fieldErrors = errorList(outcome.errors.fields);
  if (outcome.stale) {
    return reply.code(409).send({
      errors: [{ field: 'version', message: outcome.stale.message }, ...fieldErrors],
      version: outcome.stale.version,
      changes: outcome.stale.changes,
    });
  }
  return reply.code(400).send({ errors: fieldErrors });
}
