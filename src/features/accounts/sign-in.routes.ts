import { noticeQuery } from '../../platform/route-params.ts';
import type { ClaspApp } from '../../platform/http/typed-app.ts';
import type { FastifyRequest } from 'fastify';
import type { Db } from '../../platform/db/database.ts';
import { formText } from '../../platform/http/form-bodies.ts';
import { cookieOptions, SESSION_COOKIE } from '../../platform/auth/plugin.ts';
import { endSession, signIn, SIGN_IN_LIMITS, type SessionSettings } from './sessions.service.ts';

export interface SignInContext {
  db: Db;
  now: () => Date;
  sessions: SessionSettings;
  alwaysSecureCookies: boolean;
}

/** Only paths on this site, so a link cannot send someone elsewhere after they sign in. */
export function safeNext(value: string): string {
  return /^\/(?![/\\])[^\s]*$/.test(value) && !value.startsWith('/sign-') ? value : '/reviews';
}

export async function signInRoutes(app: ClaspApp, ctx: SignInContext): Promise<void> {
  const showForm = (request: FastifyRequest, extra: Record<string, unknown> = {}) => ({
    pageTitle: extra.errors ? 'Error: Sign in' : 'Sign in',
    next: safeNext(noticeQuery.safeParse(request.query).data?.next ?? ''),
    fieldErrors: {},
    ...extra,
  });

  app.get(
    '/sign-in',
    { schema: { querystring: noticeQuery }, config: { access: 'public' } },
    async (request, reply) => {
      if (request.actor) return reply.redirect('/reviews', 303);
      const notice =
        request.query.notice === 'password-set' ? 'Your password has been set. Sign in with it.' : undefined;
      return reply.page('accounts/views/sign-in.njk', showForm(request, { notice }));
    },
  );

  app.post('/sign-in', { config: { access: 'public' } }, async (request, reply) => {
    const email = formText(request.body, 'email').trim();
    const password = formText(request.body, 'password');
    const next = safeNext(formText(request.body, 'next'));
    const fieldErrors: Record<string, string> = {};
    if (!email) fieldErrors.email = 'Enter your email address';
    else if (!/^[^\s@]+@[^\s@]+$/.test(email))
      fieldErrors.email = 'Enter an email address in the correct format, like name@example.nhs.uk';
    if (!password) fieldErrors.password = 'Enter your password';
    if (Object.keys(fieldErrors).length === 0) {
      const result = await signIn(
        ctx.db,
        ctx.sessions,
        {
          email,
          password,
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
          requestId: request.id,
        },
        ctx.now(),
      );
      if (result.ok) {
        reply.setCookie(SESSION_COOKIE, result.token, cookieOptions(request, ctx.alwaysSecureCookies));
        return reply.redirect(next, 303);
      }
      // The same words whether or not the address has an account.
      fieldErrors.email =
        result.reason === 'throttled'
          ? `Too many attempts to sign in. Wait ${SIGN_IN_LIMITS.windowMinutes} minutes and try again, ` +
            'or reset your password'
          : 'Enter a correct email address and password';
    }
    const errors = Object.entries(fieldErrors).map(([field, text]) => ({ text, href: `#${field}` }));
    return reply.page(
      'accounts/views/sign-in.njk',
      { ...showForm(request, { errors, fieldErrors, email }), next },
      400,
    );
  });

  app.get('/sign-out', { config: { access: 'public' } }, async (request, reply) => {
    if (!request.actor) return reply.redirect('/sign-in', 303);
    return reply.page('accounts/views/sign-out.njk', { pageTitle: 'Sign out' });
  });

  app.post('/sign-out', { config: { access: 'public' } }, async (request, reply) => {
    if (request.actor && request.sessionId) await endSession(ctx.db, request.sessionId, request.actor, ctx.now());
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/sign-in', 303);
  });
}
