import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CsrfError, ForbiddenError } from '../auth/plugin.ts';
import { FormInvalid } from '../form-schema.ts';
import { refusalProblem } from './form-replies.ts';
import { BadInput } from './input-guard.ts';
import { problemFor, sendProblem } from './api-conventions.ts';

export class NotFoundError extends Error {
  constructor(message = 'Page not found') {
    super(message);
  }
}

/** Scripts and JSON clients get problem details (RFC 9457); people get the error pages. */
export function wantsJson(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/') || request.headers.accept === 'application/json';
}

/**
 * The 404, 403 and 500 answers. A bad id in a URL (a schema failure) is "page not found", not
 * "bad request": to a person following a link the page simply is not there. A 500 is logged
 * with its request id, which the problem page shows so that a report can be traced.
 */
/** Called for each request refused with 403, so it can be recorded; it must not throw. */
export type RefusalRecorder = (request: FastifyRequest, reason: string) => Promise<void>;

export function registerErrorPages(app: FastifyInstance, onRefused?: RefusalRecorder): void {
  app.setNotFoundHandler(async (request: FastifyRequest, reply: FastifyReply) => {
    if (wantsJson(request)) {
      const detail = 'There is nothing at this address. Check it against the API reference at /api.';
      return sendProblem(reply, problemFor(request, 404, detail));
    }
    return reply.page('errors/not-found.njk', { pageTitle: 'Page not found' }, 404);
  });

  app.setErrorHandler(async (error: Error & { statusCode?: number; validation?: unknown }, request, reply) => {
    if (error instanceof NotFoundError) {
      if (wantsJson(request)) return sendProblem(reply, problemFor(request, 404, error.message));
      return reply.page('errors/not-found.njk', { pageTitle: 'Page not found' }, 404);
    }
    if (error instanceof BadInput) {
      if (wantsJson(request)) return sendProblem(reply, problemFor(request, 400, error.message));
      return reply.page(
        'errors/bad-input.njk',
        { pageTitle: 'What was sent cannot be used', message: error.message },
        400,
      );
    }
    if (error instanceof FormInvalid) {
      // Pages catch their forms' refusals (submitForm); the API answers them here, for every route.
      if (wantsJson(request)) return sendProblem(reply, refusalProblem(request, error));
      const problem = { pageTitle: 'Sorry, there is a problem with the service', requestId: request.id };
      return reply.page('errors/problem.njk', problem, error.status);
    }
    if (error instanceof ForbiddenError || error instanceof CsrfError) {
      await onRefused?.(request, error instanceof CsrfError ? 'no valid CSRF token' : error.message);
      if (wantsJson(request)) return sendProblem(reply, problemFor(request, 403, error.message));
      const pageTitle = error instanceof CsrfError ? 'The form could not be sent' : 'You cannot do that';
      return reply.page('errors/forbidden.njk', { pageTitle, message: error.message }, 403);
    }
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ err: error }, 'request failed');
    if (wantsJson(request)) {
      const detail =
        status === 500 ? `Something went wrong. Try again later; if it goes on, quote ${request.id}.` : error.message;
      return sendProblem(reply, problemFor(request, status, detail));
    }
    if (status === 404 || error.validation) {
      return reply.page('errors/not-found.njk', { pageTitle: 'Page not found' }, 404);
    }
    const problem = { pageTitle: 'Sorry, there is a problem with the service', requestId: request.id };
    return reply.page('errors/problem.njk', problem, status);
  });
}
