import type { FastifyReply } from 'fastify';
import type { FormInvalid } from '../form-schema.ts';
import { dateInputFrom, fieldText, type FieldValues } from '../forms.ts';
import type { RefusedForm } from './form-replies.ts';

/*
 * What edit pages share: the page's state after a refused save (400 for invalid values, 409 for
 * a stale edit, with the table of changes), the values the fields show, and checkboxes. The
 * plan's edit forms' shared macros are in features/reviews/views/plan-edit-parts.njk.
 */

/** A saved value as an edit form starts from it. */
type SavedValue = string | number | boolean | null | number[];

/** The values an edit form's fields show: text as typed, dates as their three boxes. */
type Fields = FieldValues;

/** Date inputs link from the error summary to their day box (NHS design system). */
const DATE_HREFS: Record<string, string> = Object.fromEntries(
  ['reviewStart', 'reviewEnd', 'reportPublished', 'reportReceived', 'dueDate', 'reassuranceDueOn'].map((name) => [
    name,
    `#${name}-day`,
  ]),
);

/** The page title, status, error summary and field messages of a form, with or without problems. */
export function formState(title: string, failure?: FormInvalid | null) {
  const errorList = failure
    ? [
        ...(failure.stale ? [{ text: failure.stale.message, href: '#changes' }] : []),
        ...failure.errors.summary(DATE_HREFS),
      ]
    : [];
  return {
    // A kept form shown again has no problems: it is a form page like any other.
    status: failure && (failure.errors.any || failure.stale) ? failure.status : 200,
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
  failure?: FormInvalid | null,
) {
  const state = formState(view.area ? `${view.heading} – ${view.area}` : view.heading, failure);
  return reply.page(template, { ...view, ...state.context }, state.status);
}

/**
 * The version a refused form carries on: the version saved now after a stale edit (so a second
 * save, once the changes are reviewed, goes through), else the one it was opened at.
 */
export function refusedVersion(refused: RefusedForm): number | null {
  if (refused.failure.stale) return refused.failure.stale.version;
  const sent = fieldText(refused.fields, 'version');
  return /^\d{1,9}$/.test(sent) ? Number(sent) : null;
}

/** A saved row's values as form fields: dates split into day, month and year boxes. */
function fieldsFromSnapshot(snapshot: Partial<Record<string, SavedValue>>, dateKeys: readonly string[] = []): Fields {
  const fields: Fields = {};
  for (const [key, value] of Object.entries(snapshot)) {
    if (value === undefined) continue;
    if (dateKeys.includes(key)) {
      const parts = dateInputFrom(typeof value === 'string' ? value : null);
      fields[`${key}-day`] = parts.day;
      fields[`${key}-month`] = parts.month;
      fields[`${key}-year`] = parts.year;
    } else if (Array.isArray(value)) fields[key] = value.map(String);
    else if (typeof value === 'boolean') fields[key] = value ? 'yes' : '';
    else fields[key] = value === null ? '' : String(value);
  }
  return fields;
}

/**
 * What an edit form shows: what was typed when a save was refused, else the values saved (or
 * a new form's defaults), and the version to carry.
 */
export function formValues(
  refused: RefusedForm | null,
  values: Partial<Record<string, SavedValue>>,
  version: number | null,
  dateKeys: readonly string[] = [],
): { fields: Fields; version: number | null } {
  return refused
    ? { fields: refused.fields, version: refusedVersion(refused) }
    : { fields: fieldsFromSnapshot(values, dateKeys), version };
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
