import { noticeQuery } from '../../platform/route-params.ts';
import type { FastifyRequest } from 'fastify';
import type { ClaspApp } from '../../platform/http/typed-app.ts';
import { CHALLENGE_MINUTES } from './second-factor.service.ts';
import type { Db } from '../../platform/db/database.ts';
import { parseForm } from '../../platform/form-schema.ts';
import { fieldText } from '../../platform/forms.ts';
import { submitForm } from '../../platform/http/form-replies.ts';
import { cookieOptions, SESSION_COOKIE } from '../../platform/auth/plugin.ts';
import { endOtherSessions, endOwnSession, endSession, signIn, type SessionSettings } from './sessions.service.ts';
import { safeNext, signInForm, signOutForm } from './sign-in.forms.ts';
import { CHALLENGE_COOKIE, secondStepRoutes, seenIn } from './second-step.routes.ts';
import { recordSecurityEvent } from '../../platform/security-events.ts';
import { FormInvalid } from '../../platform/form-schema.ts';
import { normaliseEmail } from '../../platform/auth/secrets.ts';
import { passwordRefusalFor, type SingleSignOn } from '../sso/sso.service.ts';

export interface SignInContext {
  db: Db;
  now: () => Date;
  sessions: SessionSettings;
  alwaysSecureCookies: boolean;
  /** Signing in with an OpenID Connect provider, when one is configured. */
  sso: SingleSignOn | null;
}

/** Where signing out leads: a page that says so, with a link to sign in again. */
const SIGNED_OUT = '/signed-out';

const SIGN_IN_NOTICES = new Map([
  ['password-set', 'Your password has been set. Sign in with it.'],
  ['sign-in-expired', 'Signing in took too long or was finished in another tab. Sign in again.'],
]);

export function signInRoutes(app: ClaspApp, ctx: SignInContext): void {
  const challengeCookie = (request: FastifyRequest) => ({
    ...cookieOptions(request, ctx.alwaysSecureCookies),
    path: '/sign-in',
    maxAge: CHALLENGE_MINUTES * 60,
  });
  const { sso } = ctx;
  /** The single sign-on button, and whether the provider can be reached (the password form stays either way). */
  const ssoOffer = async (next: string) =>
    sso
      ? {
          sso: { href: `/sign-in/sso?returnTo=${encodeURIComponent(next)}`, text: sso.buttonText },
          ssoUnavailable: !(await sso.provider.reachable()),
        }
      : {};
  const signInPage = async (next: string, extra: Record<string, unknown> = {}) => ({
    pageTitle: extra.errors ? 'Error: Sign in' : 'Sign in',
    next,
    fieldErrors: {},
    ...(await ssoOffer(next)),
    ...extra,
  });

  app.get(
    '/sign-in',
    { schema: { querystring: noticeQuery }, config: { access: 'public' } },
    async (request, reply) => {
      if (request.actor) return reply.redirect('/my-work', 303);
      const notice = SIGN_IN_NOTICES.get(request.query.notice ?? '');
      return reply.page('accounts/views/sign-in.njk', await signInPage(safeNext(request.query.next ?? ''), { notice }));
    },
  );

  app.post('/sign-in', { config: { access: 'public' } }, async (request, reply) =>
    submitForm(
      reply,
      request.body,
      async () => {
        const { email, password, next } = await parseForm(signInForm, request.body);
        // A domain whose organisation signs in with its own accounts: no password, whether right or wrong.
        const refusal = await passwordRefusalFor(ctx.db, sso?.settings.oidc ?? null, email);
        if (refusal) {
          await recordSecurityEvent(
            ctx.db,
            {
              kind: 'sign-in failed',
              email: normaliseEmail(email),
              ...seenIn(request),
              detail: { why: 'single sign-on required' },
            },
            ctx.now(),
          );
          throw FormInvalid.of('email', refusal);
        }
        const outcome = await signIn(ctx.db, ctx.sessions, { email, password, next, ...seenIn(request) }, ctx.now());
        if (outcome.kind === 'second step') {
          reply.setCookie(CHALLENGE_COOKIE, outcome.challenge, challengeCookie(request));
          return outcome.purpose === 'code' ? '/sign-in/code' : '/sign-in/set-up';
        }
        reply.setCookie(SESSION_COOKIE, outcome.token, cookieOptions(request, ctx.alwaysSecureCookies));
        return next;
      },
      async ({ failure, fields }) =>
        reply.page(
          'accounts/views/sign-in.njk',
          await signInPage(safeNext(fieldText(fields, 'next')), {
            errors: failure.errors.summary(),
            fieldErrors: failure.errors.fields,
            email: fieldText(fields, 'email').trim(),
          }),
          400,
        ),
    ),
  );

  secondStepRoutes(app, ctx);

  // The header's "Sign out" is a form that posts here with the page's CSRF token; this page, with
  // its one button, is for anyone who kept the old link. Signing out on a GET would let any other
  // site sign people out, so it only asks.
  app.get('/sign-out', { config: { access: 'public' } }, async (request, reply) => {
    if (!request.actor) return reply.redirect('/sign-in', 303);
    return reply.page('accounts/views/sign-out.njk', { pageTitle: 'Sign out' });
  });

  app.post(
    '/sign-out',
    {
      config: { access: 'public' },
      // Someone whose session has already ended (in another tab, or while the page stood open) has
      // nothing to sign out of, and the token on their page is no longer valid: they are told they
      // have signed out rather than that the form has expired. Nothing changes for them (the auth
      // plugin has already cleared a cookie that no longer works), so no token is needed; a
      // signed-in person's request is answered after the CSRF check, which it must pass.
      onRequest: async (request, reply) => {
        if (!request.actor) return reply.redirect(SIGNED_OUT, 303);
      },
    },
    async (request, reply) => {
      const { actor, sessionId } = request;
      if (actor && sessionId) {
        const { session, scope } = await parseForm(signOutForm, request.body ?? {});
        if (scope === 'others') {
          await endOtherSessions(ctx.db, actor, sessionId, ctx.now());
          return reply.redirect('/account?notice=signed-out-elsewhere#sessions', 303);
        }
        if (session && session !== sessionId) {
          await endOwnSession(ctx.db, actor, session, ctx.now());
          return reply.redirect('/account?notice=signed-out-device#sessions', 303);
        }
        // A session begun with the provider ends there too, where it supports that. Forms may only
        // post to Clasp (the CSP's form-action covers redirects too), so the signed-out page itself
        // goes on to the provider's end-session address.
        const atProvider = sso ? await sso.signOutUrl(ctx.db, sessionId) : null;
        await endSession(ctx.db, sessionId, actor, ctx.now());
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        if (atProvider) {
          // The page is for someone no longer signed in: no header for the account just left.
          request.actor = null;
          return reply.page('accounts/views/signed-out.njk', {
            pageTitle: 'You have signed out',
            providerSignOut: atProvider,
          });
        }
        return reply.redirect(SIGNED_OUT, 303);
      }
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.redirect(SIGNED_OUT, 303);
    },
  );

  // The confirmation after signing out: nothing on it is about the person, who is no longer known.
  app.get(SIGNED_OUT, { config: { access: 'public' } }, async (request, reply) => {
    if (request.actor) return reply.redirect('/my-work', 303);
    return reply.page('accounts/views/signed-out.njk', { pageTitle: 'You have signed out' });
  });
}
