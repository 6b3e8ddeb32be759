import type { FastifyReply } from 'fastify';
import { parseIsoDate } from '../../domain/dates.ts';
import { formText } from '../../platform/http/form-bodies.ts';
import { dateInputFrom, readDateInput, type DateInputValue, type FormErrors } from '../../platform/forms.ts';

/*
 * What the forms of an action's assurance loop (progress/, evidence/ and rating/) share with
 * their JSON twins, read the same way for both: a form sends a date as three boxes (NAME-day,
 * NAME-month, NAME-year), a JSON caller as one 'YYYY-MM-DD' string under NAME. Field names are
 * the same in both, so the API's {errors: [{field, message}]} names the fields its callers sent.
 */

/** A form that cannot be saved as sent: 400, or 409 when someone else changed the thing first. */
export class ValidationFailed extends Error {
  constructor(
    readonly errors: FormErrors,
    readonly status: 400 | 409 = 400,
  ) {
    super('The form has problems');
  }
}

/** The API's shape for the same problems a form shows next to its fields. */
export function errorList(errors: FormErrors): { field: string; message: string }[] {
  return Object.entries(errors.fields).map(([field, message]) => ({ field, message }));
}

const EMPTY_DATE: DateInputValue = { iso: null, day: '', month: '', year: '' };

/** A date from three boxes or from one ISO string; problems are added to `errors` under `name`. */
export function readDate(
  body: unknown,
  name: string,
  what: string,
  errors: FormErrors,
  options: { required?: boolean; notAfter?: string; notAfterMessage?: string } = {},
): DateInputValue {
  const iso = formText(body, name).trim();
  if (!iso) return readDateInput(body, name, what, errors, options);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso) || !parseIsoDate(iso)) {
    errors.add(name, `Enter the date ${what} as a real date in the form YYYY-MM-DD, for example 2027-03-31`);
    return EMPTY_DATE;
  }
  if (options.notAfter && iso > options.notAfter) {
    errors.add(name, options.notAfterMessage ?? `The date ${what} must be today or in the past`);
    return { ...dateInputFrom(iso), iso: null };
  }
  return dateInputFrom(iso);
}

/** Runs a form's service call: problems re-render the form with their status (400, or 409). */
export async function handleForm(
  reply: FastifyReply,
  save: () => Promise<string>,
  rerender: (failed: ValidationFailed) => Promise<FastifyReply>,
) {
  try {
    return reply.redirect(await save(), 303);
  } catch (error) {
    if (error instanceof ValidationFailed) return rerender(error);
    throw error;
  }
}

/** Problems with what was sent: 400 (or 409) with {errors: [{field, message}]}, the fields named as sent. */
export async function respond(reply: FastifyReply, status: number, work: () => Promise<object>) {
  try {
    return reply.code(status).send(await work());
  } catch (error) {
    if (error instanceof ValidationFailed) return reply.code(error.status).send({ errors: errorList(error.errors) });
    throw error;
  }
}
