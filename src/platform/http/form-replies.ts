import type { FastifyReply, FastifyRequest } from 'fastify';
import { FormInvalid, errorList, formFields } from '../form-schema.ts';
import { FormErrors } from '../forms.ts';
import { problemFor } from './api-conventions.ts';
import type { Problem } from './problem-schema.ts';

/*
 * The two answers to a form that cannot be saved. A page is shown again with the error summary,
 * each message beside its field and what was typed (status 400, or 409 for a stale edit); a JSON
 * caller gets the same messages in a problem, as errors: [{field, message}] (the error handler
 * answers that for every /api route, so API handlers only call the service).
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

/**
 * The API's problem for a refused form: each field's problem, and for a stale edit the version
 * saved and what changed. A stale edit whose version came from If-Match is 412 Precondition
 * Failed (RFC 9110 section 13.1.1) rather than 409, with the same details.
 */
export function refusalProblem(request: FastifyRequest, failure: FormInvalid): Problem {
  const errors = errorList(failure.errors);
  if (!failure.stale) {
    const detail =
      errors.length <= 1 ? (errors[0]?.message ?? 'What was sent cannot be used') : refusedDetail(errors.length);
    return problemFor(request, failure.status, detail, {
      kind: failure.status === 400 ? 'invalid-fields' : 'conflict',
      errors,
    });
  }
  const preconditioned = request.versionFromIfMatch !== undefined;
  return problemFor(request, preconditioned ? 412 : 409, failure.stale.message, {
    kind: preconditioned ? 'precondition-failed' : 'stale-edit',
    errors: [{ field: 'version', message: failure.stale.message }, ...errors],
    version: failure.stale.version,
    changes: failure.stale.changes,
  });
}

function refusedDetail(count: number): string {
  return `${count} fields have problems: each is listed in errors with what to do. Put them right and send it again.`;
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

/**
 * A form kept when the person's session ended as they sent it (platform/auth/kept-forms.ts),
 * when this request is for its page: the fields as typed, with no problems, for a form page
 * to show as it shows a refused form. The page then says so, and the kept form is deleted.
 */
export function keptFormFor(request: FastifyRequest): RefusedForm | null {
  const kept = request.keptForm;
  if (!kept) return null;
  kept.shown = true;
  return { failure: new FormInvalid(new FormErrors()), fields: kept.form.fields };
}
