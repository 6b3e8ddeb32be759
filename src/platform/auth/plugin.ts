import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import { scopeCovers, scopeNeeded, type Actor } from '../../domain/permissions.ts';
import type { Db } from '../db/database.ts';
import {
  deleteKeptForm,
  findKeptForm,
  formToKeep,
  isFormPost,
  isSameOrigin,
  keepForm,
  KEPT_FORM_COOKIE,
  KEPT_FORM_MINUTES,
  pathOf,
} from './kept-forms.ts';
import { newToken, sameSecret, tokenHash } from './secrets.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in person, or null. */
    actor: Actor | null;
    /** The token forms must send back: the session's, or an anonymous one for sign-in pages. */
    csrfToken: string;
    /** The session's id (a hash), or null when not signed in with a cookie. */
    sessionId: string | null;
    /** Whether cookies set for this request are marked Secure, as the session cookie is. */
    secureCookies: boolean;
  }
}

export const SESSION_COOKIE = 'clasp_session';
export const ANONYMOUS_CSRF_COOKIE = 'clasp_csrf';
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export interface AuthOptions {
  /** The session a cookie names; for one that has just ended, whose it was; null when unknown. */
  resolveSession(
    token: string,
  ): Promise<{ sessionId: string; csrfToken: string; actor: Actor } | { endedFor: number } | null>;
  /**
   * The person an API token acts for (with the token on the actor), why a known token is refused
   * (revoked, expired), or null for a token Clasp does not know.
   */
  resolveApiToken(token: string, request: FastifyRequest): Promise<Actor | { refused: string } | null>;
  /** Whether anyone may use the route asked for without signing in (unknown addresses are not public). */
  isPublic(request: FastifyRequest): boolean;
  /** Whether cookies must be marked Secure whatever the request's protocol (an https public address). */
  alwaysSecure: boolean;
  /** Where forms sent after a session ended are kept (kept-forms.ts), and the clock. */
  db: Db;
  now: () => Date;
  /** The sign-in page's template, shown to someone whose session ended as they sent a form. */
  signInTemplate: string;
}

/** What the sign-in page says to someone whose session ended as they sent a form. */
export const SESSION_ENDED_KEPT =
  'Your session ended, so what you sent has not been saved yet. ' +
  'Sign in and you will be taken back to the form with what you typed.';
export const SESSION_ENDED_NOT_KEPT =
  'Your session ended, so what you sent has not been saved. Sign in, then send it again.';

export const TOKEN_NOT_VALID =
  'The API token is not valid. Create a new one on your account page or with "clasp token create".';
export const TOKEN_READ_ONLY = 'This token can only read. Create a token with the write scope to change things.';
export const TOKEN_CANNOT_ADMINISTER =
  'This token cannot administer. An administrator can create a token with the admin scope for this.';

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
  app.decorateRequest('secureCookies', false);
  app.decorateRequest('keptForm', null);
  const viaToken = new WeakSet<FastifyRequest>();
  /** Forms sent after their session ended, answered once their body is parsed: whose session it was, if known. */
  const endedPosts = new WeakMap<FastifyRequest, { endedFor: number | null }>();
  /** The form pages that show a kept form again (`config: { restoresKeptForm: true }` on their GET route). */
  const restoringPages = new Set<string>();
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (route.config?.restoresKeptForm && methods.includes('GET')) restoringPages.add(route.url);
  });

  app.addHook('onRequest', async (request, reply) => {
    if (isAsset(request.url)) return;
    request.secureCookies = cookieOptions(request, options.alwaysSecure).secure;
    const authorization = request.headers.authorization;
    if (authorization?.startsWith('Bearer ')) {
      const actor = await options.resolveApiToken(authorization.slice('Bearer '.length).trim(), request);
      if (!actor) {
        return reply.code(401).send({ error: TOKEN_NOT_VALID });
      }
      if ('refused' in actor) return reply.code(401).send({ error: actor.refused });
      request.actor = { ...actor, requestId: request.id };
      viaToken.add(request);
      // What the token's scope allows: refused before the route runs, whoever its person is.
      const needed = scopeNeeded(request.method, pathOf(request.url));
      if (actor.token && !scopeCovers(actor.token.scope, needed)) {
        throw new ForbiddenError(needed === 'admin' ? TOKEN_CANNOT_ADMINISTER : TOKEN_READ_ONLY);
      }
      return;
    }
    const cookie = request.cookies[SESSION_COOKIE];
    let endedFor: number | null = null;
    if (cookie) {
      const session = await options.resolveSession(cookie);
      if (session && 'actor' in session) {
        request.actor = { ...session.actor, requestId: request.id };
        request.sessionId = session.sessionId;
        request.csrfToken = session.csrfToken;
      } else {
        endedFor = session?.endedFor ?? null;
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
      if (options.isPublic(request)) return;
      if (isApiRequest(request)) {
        return reply.code(401).send({ error: 'Sign in first, or send an API token as "Authorization: Bearer TOKEN".' });
      }
      if (request.method === 'GET' || request.method === 'HEAD') {
        return reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`, 303);
      }
      // A form sent after its session ended: answered with the sign-in page once its body is read.
      endedPosts.set(request, { endedFor });
      return;
    }
    const kept = request.cookies[KEPT_FORM_COOKIE];
    if (kept && request.method === 'GET') await findKeptFormFor(request, reply, kept);
  });

  /** Puts a kept form on the request when it is for this page; forgets the cookie when the form is gone. */
  async function findKeptFormFor(request: FastifyRequest, reply: FastifyReply, token: string) {
    const actor = request.actor;
    if (!actor || isApiRequest(request)) return;
    const hash = tokenHash(token);
    const found = await findKeptForm(options.db, hash, actor.userId, options.now());
    if (!found) reply.clearCookie(KEPT_FORM_COOKIE, { path: '/' });
    else if (pathOf(found.page) === pathOf(request.url))
      request.keptForm = { tokenHash: hash, form: found.form, shown: false };
  }

  /**
   * The answer to a request sent after its session ended: the sign-in page, leading back to the
   * form's page. A same-origin form's fields are kept first, so the page can show them again.
   */
  async function answerEndedPost(request: FastifyRequest, reply: FastifyReply, endedFor: number | null) {
    // Kept only for a form whose page shows it again, at the address the form was sent to.
    const pattern = request.routeOptions.url;
    const restores = pattern !== undefined && restoringPages.has(pattern);
    const form = restores && isFormPost(request) && isSameOrigin(request) ? formToKeep(request.body) : null;
    const next = restores ? pathOf(request.url) : formPage(app, request);
    const token = newToken();
    const before = request.cookies[KEPT_FORM_COOKIE];
    const entry = {
      tokenHash: tokenHash(token),
      replaces: before ? tokenHash(before) : null,
      userId: endedFor,
      page: next,
    };
    const kept = form !== null && (await keepForm(options.db, { ...entry, form }, options.now()));
    if (kept) {
      reply.setCookie(KEPT_FORM_COOKIE, token, {
        ...cookieOptions(request, options.alwaysSecure),
        maxAge: KEPT_FORM_MINUTES * 60,
      });
    }
    const notice = kept ? SESSION_ENDED_KEPT : SESSION_ENDED_NOT_KEPT;
    return reply.page(options.signInTemplate, { pageTitle: 'Sign in', next, fieldErrors: {}, notice }, 401);
  }

  // Anything but a form is answered before its body is read (the security headers are set by then).
  app.addHook('preParsing', async (request, reply, payload) => {
    const ended = endedPosts.get(request);
    if (ended && !isFormPost(request)) await answerEndedPost(request, reply, ended.endedFor);
    return payload;
  });

  // A form once its body is read, before any other check: the route itself never runs.
  app.addHook('preHandler', async (request, reply) => {
    const ended = endedPosts.get(request);
    if (ended) await answerEndedPost(request, reply, ended.endedFor);
  });

  // Once a page has shown a kept form's fields, the kept form is deleted.
  app.addHook('onResponse', async (request, reply) => {
    if (request.keptForm?.shown && reply.statusCode < 400) await deleteKeptForm(options.db, request.keptForm.tokenHash);
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

/** A request to the API, or one asking for or sending JSON: it is answered with JSON, never a page. */
function isApiRequest(request: FastifyRequest): boolean {
  return (
    request.url.startsWith('/api/') ||
    request.headers.accept === 'application/json' ||
    (request.headers['content-type'] ?? '').startsWith('application/json')
  );
}

/** A path on this site that signing in may lead back to (as the sign-in form's `next` allows). */
function isSafePage(path: string): boolean {
  return /^\/(?![/\\])[^\s]*$/.test(path) && !path.startsWith('/sign-');
}

/**
 * The page of the form that was sent: the page it was sent from (the Referer, when it is on
 * this site), else the address it was sent to when that is a page too, else the reviews.
 */
function formPage(app: FastifyInstance, request: FastifyRequest): string {
  const referer = request.headers.referer;
  if (referer) {
    try {
      const from = new URL(referer);
      const page = from.pathname + from.search;
      if (from.host === new URL(`${request.protocol}://${request.host}`).host && isSafePage(page)) return page;
    } catch {
      // Not an address: the next choice is taken.
    }
  }
  const pattern = request.routeOptions.url;
  const path = pathOf(request.url);
  if (pattern && isSafePage(path) && app.hasRoute({ method: 'GET', url: pattern })) return path;
  return '/reviews';
}

/** The signed-in person, or a 401-style refusal for code paths that cannot run without one. */
export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw new ForbiddenError('Sign in first');
  return request.actor;
}
