import type { FastifyReply } from 'fastify';
import { FormInvalid, errorList, formFields } from '../form-schema.ts';

/*
 * The two answers to a form that cannot be saved. A page is shown again with the error summary,
 * each message beside its field and what was typed (status 400, or 409 for a stale edit); a JSON
 * caller gets the same messages as {errors: [{field, message}]} (the error handler answers that
 * for every /api route, so API handlers only call the service).
 */

/** What a page needs to show a refused form again. */
export interface RefusedForm {
  failure: FormInvalid;
  /** What was sent, as typed, to fill the fields again. */
  fields: Record<string, string | string[]>;
}

/**
 * Runs a page form's save: on success redirects (303) to the address `save` returns; when the
 * form is refused, `rerender` shows it again with its problems.
 */
export async function submitForm(
  reply: FastifyReply,
  body: unknown,
  save: () => Promise<string>,
  rerender: (refused: RefusedForm) => Promise<FastifyReply> | FastifyReply,
): Promise<FastifyReply> {
  let next: string;
  try {
    next = await save();
  } catch (error) {
    if (error instanceof FormInvalid) return rerender({ failure: error, fields: formFields(body) });
    throw error;
  }
  return reply.redirect(next, 303);
}

/** The API's body for a refused form: the problems, and for a stale edit the version saved and what changed. */
export function refusalJson(failure: FormInvalid) {
  const errors = errorList(failure.errors);
  if (!failure.stale) return { errors };
  return {
    errors: [{ field: 'version', message: failure.stale.message }, ...errors],
    version: failure.stale.version,
    changes: failure.stale.changes,
  };
}

/**
 * Like submitForm, for the forms whose success is a page rather than a redirect: "check your
 * email" after a forgotten password, and a new API token, which is shown once on the answer
 * itself. `answer` parses the form, acts and shows the page; a refused form is shown again by
 * `rerender`, with what was typed.
 */
export async function answerForm(
  body: unknown,
  answer: () => Promise<FastifyReply>,
  rerender: (refused: RefusedForm) => Promise<FastifyReply> | FastifyReply,
): Promise<FastifyReply> {
  try {
    return await answer();
  } catch (error) {
    if (error instanceof FormInvalid) return rerender({ failure: error, fields: formFields(body) });
    throw error;
  }
}
