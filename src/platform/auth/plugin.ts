import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import type { Actor } from '../../domain/permissions.ts';
import { newToken, sameSecret } from './secrets.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in person, or null. */
    actor: Actor | null;
    /** The token forms must send back: the session's, or an anonymous one for sign-in pages. */
    csrfToken: string;
    /** The session's id (a hash), or null when not signed in with a cookie. */
    sessionId: string | null;
  }
}

export const SESSION_COOKIE = 'clasp_session';
export const ANONYMOUS_CSRF_COOKIE = 'clasp_csrf';
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export interface AuthOptions {
  resolveSession(token: string): Promise<{ sessionId: string; csrfToken: string; actor: Actor } | null>;
  resolveApiToken(token: string, request: FastifyRequest): Promise<Actor | null>;
  /** Whether anyone may use the route asked for without signing in (unknown addresses are not public). */
  isPublic(request: FastifyRequest): boolean;
  /** Whether cookies must be marked Secure whatever the request's protocol (an https public address). */
  alwaysSecure: boolean;
}

export class ForbiddenError extends Error {
  readonly statusCode = 403;
  constructor(message = 'You do not have permission to do that') {
    super(message);
  }
}

/** Thrown for a state-changing request without the right CSRF token. */
export class CsrfError extends Error {
  readonly statusCode = 403;
  constructor() {
    super('The form has expired or did not come from Clasp. Go back, reload the page and try again.');
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function isAsset(url: string): boolean {
  return url.startsWith('/assets/') || url.startsWith('/static/');
}

export function cookieOptions(request: FastifyRequest, alwaysSecure: boolean) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: alwaysSecure || request.protocol === 'https' };
}

/**
 * Who is asking, and whether they may ask: sessions from a cookie or API tokens from an
 * Authorization header; a CSRF token on every state-changing request made with a cookie;
 * a sign-in for everything but the public pages.
 */
export async function registerAuth(app: FastifyInstance, options: AuthOptions): Promise<void> {
  await app.register(fastifyCookie);
  app.decorateRequest('actor', null);
  app.decorateRequest('csrfToken', '');
  app.decorateRequest('sessionId', null);
  const viaToken = new WeakSet<FastifyRequest>();

  app.addHook('onRequest', async (request, reply) => {
    if (isAsset(request.url)) return;
    const authorization = request.headers.authorization;
    if (authorization?.startsWith('Bearer ')) {
      const actor = await options.resolveApiToken(authorization.slice('Bearer '.length).trim(), request);
      if (!actor) {
        return reply
          .code(401)
          .send({ error: 'The API token is not valid. Create a new one with "clasp token create".' });
      }
      request.actor = { ...actor, requestId: request.id };
      viaToken.add(request);
      return;
    }
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie) {
      const session = await options.resolveSession(cookie);
      if (session) {
        request.actor = { ...session.actor, requestId: request.id };
        request.sessionId = session.sessionId;
        request.csrfToken = session.csrfToken;
      } else {
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
      }
    }
    if (!request.actor) {
      let anonymous = request.cookies[ANONYMOUS_CSRF_COOKIE];
      if (!anonymous || !/^[\w-]{43}$/.test(anonymous)) {
        anonymous = newToken();
        reply.setCookie(ANONYMOUS_CSRF_COOKIE, anonymous, {
          ...cookieOptions(request, options.alwaysSecure),
          sameSite: 'strict',
        });
      }
      request.csrfToken = anonymous;
      if (!options.isPublic(request)) return refuseAnonymous(request, reply);
    }
  });

  // After the body is parsed: every state-changing request made with a cookie carries the token.
  // A check that waits for nothing, so it answers through `done` rather than returning a promise.
  app.addHook('preHandler', (request, _reply, done) => {
    if (!UNSAFE.has(request.method) || viaToken.has(request)) {
      done();
      return;
    }
    const body = request.body as Record<string, unknown> | undefined;
    const fromBody = body && typeof body === 'object' ? fieldText(body[CSRF_FIELD]) : undefined;
    const sent = fromBody ?? fieldText(request.headers[CSRF_HEADER]);
    if (!sent || !request.csrfToken || !sameSecret(sent, request.csrfToken)) done(new CsrfError());
    else done();
  });
}

/** A form field as text, whether parsed from a urlencoded form or a multipart one. */
function fieldText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'value' in value && typeof value.value === 'string') return value.value;
  return undefined;
}

function refuseAnonymous(request: FastifyRequest, reply: FastifyReply) {
  if (request.url.startsWith('/api/') || request.headers.accept === 'application/json') {
    return reply.code(401).send({ error: 'Sign in first, or send an API token as "Authorization: Bearer TOKEN".' });
  }
  if (request.method === 'GET' || request.method === 'HEAD') {
    return reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`, 303);
  }
  return reply
    .code(401)
    .type('text/plain; charset=utf-8')
    .send('Your session has ended. Sign in again, then try once more.');
}

/** The signed-in person, or a 401-style refusal for code paths that cannot run without one. */
export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw new ForbiddenError('Sign in first');
  return request.actor;
}
