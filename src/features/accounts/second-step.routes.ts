import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ClaspApp } from '../../platform/http/typed-app.ts';
import type { Db } from '../../platform/db/database.ts';
import { parseForm } from '../../platform/form-schema.ts';
import { answerForm, submitForm, type RefusedForm } from '../../platform/http/form-replies.ts';
import { cookieOptions, SESSION_COOKIE } from '../../platform/auth/plugin.ts';
import { startSession, type SessionSettings } from './sessions.service.ts';
import {
  challengeSetUpDetails,
  checkSecondStep,
  confirmSetUpAtSignIn,
  findLiveChallenge,
  finishChallenge,
  type LiveChallenge,
  type Seen,
} from './second-factor.service.ts';
import { codeForm } from './second-factor.forms.ts';

/*
 * The second step of signing in: /sign-in/code asks for a code from the app or a recovery code;
 * /sign-in/set-up is where an account that must have two-step verification sets it up. Both are
 * reached only with the cookie the password step set, which only /sign-in pages receive.
 */

export const CHALLENGE_COOKIE = 'clasp_sign_in';

/** Who is asking, as the sign-in records note it. */
export function seenIn(request: FastifyRequest): Seen {
  return { ip: request.ip, userAgent: request.headers['user-agent'] ?? null, requestId: request.id };
}

interface SecondStepContext {
  db: Db;
  now: () => Date;
  sessions: SessionSettings;
  alwaysSecureCookies: boolean;
}

function refusal(refused: RefusedForm) {
  return { errors: refused.failure.errors.summary(), fieldErrors: refused.failure.errors.fields };
}

export function secondStepRoutes(app: ClaspApp, ctx: SecondStepContext): void {
  /** The challenge the request's cookie names, if it is live and for this page. */
  const liveChallenge = async (request: FastifyRequest, purpose: 'code' | 'set-up') => {
    const live = await findLiveChallenge(ctx.db, request.cookies[CHALLENGE_COOKIE], ctx.now());
    return live?.challenge.purpose === purpose ? live : null;
  };
  const startAgain = (reply: FastifyReply) => {
    reply.clearCookie(CHALLENGE_COOKIE, { path: '/sign-in' });
    return reply.redirect('/sign-in?notice=sign-in-expired', 303);
  };
  /** The last step passed: the challenge ends, and a session starts unless another request ended it first. */
  const finish = async (
    request: FastifyRequest,
    reply: FastifyReply,
    live: LiveChallenge,
    how?: 'code' | 'recovery code',
  ) => {
    const token = request.cookies[CHALLENGE_COOKIE] ?? '';
    if (!(await finishChallenge(ctx.db, token))) return false;
    const session = await startSession(ctx.db, ctx.sessions, live.user, seenIn(request), ctx.now(), how);
    reply.clearCookie(CHALLENGE_COOKIE, { path: '/sign-in' });
    reply.setCookie(SESSION_COOKIE, session.token, cookieOptions(request, ctx.alwaysSecureCookies));
    return true;
  };

  const codePage = (extra: Record<string, unknown> = {}) => ({
    pageTitle: extra.errors
      ? 'Error: Enter the code from your authenticator app'
      : 'Enter the code from your authenticator app',
    fieldErrors: {},
    ...extra,
  });

  app.get('/sign-in/code', { config: { access: 'public' } }, async (request, reply) => {
    if (!(await liveChallenge(request, 'code'))) return startAgain(reply);
    return reply.page('accounts/views/sign-in-code.njk', codePage());
  });

  app.post('/sign-in/code', { config: { access: 'public' } }, async (request, reply) => {
    const live = await liveChallenge(request, 'code');
    if (!live) return startAgain(reply);
    return submitForm(
      reply,
      request.body,
      async () => {
        const { code } = await parseForm(codeForm, request.body);
        const how = await checkSecondStep(ctx.db, live, code, seenIn(request), ctx.now());
        return (await finish(request, reply, live, how)) ? live.challenge.next : '/sign-in?notice=sign-in-expired';
      },
      (refused) => reply.page('accounts/views/sign-in-code.njk', codePage(refusal(refused)), 400),
    );
  });

  const setUpPage = async (live: LiveChallenge, extra: Record<string, unknown> = {}) => ({
    pageTitle: extra.errors ? 'Error: Set up two-step verification' : 'Set up two-step verification',
    caption: 'Sign in to Clasp',
    required: true,
    action: '/sign-in/set-up',
    backHref: '/sign-in',
    backText: 'Start signing in again',
    ...(await challengeSetUpDetails(live)),
    fieldErrors: {},
    ...extra,
  });

  app.get('/sign-in/set-up', { config: { access: 'public' } }, async (request, reply) => {
    const live = await liveChallenge(request, 'set-up');
    if (!live?.user.totp_pending_secret) return startAgain(reply);
    return reply.page('accounts/views/two-step-set-up.njk', await setUpPage(live));
  });

  app.post('/sign-in/set-up', { config: { access: 'public' } }, async (request, reply) => {
    const live = await liveChallenge(request, 'set-up');
    if (!live?.user.totp_pending_secret) return startAgain(reply);
    return answerForm(
      request.body,
      async () => {
        const { code } = await parseForm(codeForm, request.body);
        const codes = await confirmSetUpAtSignIn(ctx.db, live, code, seenIn(request), ctx.now());
        if (!(await finish(request, reply, live))) return startAgain(reply);
        // Shown once, on this response only: only their hashes are kept.
        return reply.page('accounts/views/recovery-codes.njk', {
          pageTitle: 'Save your recovery codes',
          turnedOn: true,
          codes,
          continueHref: live.challenge.next,
        });
      },
      async (refused) => reply.page('accounts/views/two-step-set-up.njk', await setUpPage(live, refusal(refused)), 400),
    );
  });
}
