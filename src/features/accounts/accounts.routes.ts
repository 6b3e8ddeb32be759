import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import { id, noticeQuery } from '../../platform/route-params.ts';
import type { ClaspApp } from '../../platform/http/typed-app.ts';
import type { Actor } from '../../domain/permissions.ts';
import type { AppContext } from '../context.ts';
import { fieldText, type FieldValues } from '../../platform/forms.ts';
import { FormInvalid, parseForm } from '../../platform/form-schema.ts';
import { passwordRefusalFor } from '../sso/sso.service.ts';
import { submitForm, type RefusedForm } from '../../platform/http/form-replies.ts';
import { confirm } from '../../platform/http/confirmations.ts';
import { requireActor } from '../../platform/auth/plugin.ts';
import { apiTokenForm, changePasswordForm, forgotPasswordForm, setPasswordForm } from './accounts.forms.ts';
import { answerForm } from '../../platform/http/form-replies.ts';
import { AfterResponseQueue } from './after-response-queue.ts';
import { presentSessions, presentTokenForm, presentTokens } from './accounts.presenter.ts';
import { tokensApiRoutes } from './tokens-api.routes.ts';
import { listOwnSessions } from './sessions.service.ts';
import { secondFactorStatus } from './second-factor.service.ts';
import { twoStepRoutes } from './two-step.routes.ts';
import { seenIn } from './second-step.routes.ts';
import {
  changePassword,
  changePasswordRules,
  apiTokenRules,
  issueApiToken,
  findUsableLink,
  getOwnAccount,
  LinkNotUsable,
  requestPasswordReset,
  revokeApiToken,
  setPasswordWithLink,
} from './accounts.service.ts';
import { getReminderPreference, reminderForm, setReminderPreference } from '../reminders/reminders.service.ts';

const ROLE_NAMES = {
  coordinator: 'Plan coordinator',
  editor: 'Organisation editor',
  reviewer: 'Assurance reviewer',
  viewer: 'Viewer',
} as const;

/** What the account page says after a change made from it. */
const ACCOUNT_NOTICES = new Map([
  [
    'password-changed',
    'Your password has been changed. You have been signed out everywhere else, and your API tokens no longer work.',
  ],
  ['signed-out-device', 'You have signed out that device.'],
  ['signed-out-elsewhere', 'You have been signed out everywhere else.'],
  ['two-step-off', 'Two-step verification is off. You will sign in with your password only.'],
]);

/** The secret of a set-password link, as sent in its address. */
const tokenParams = z.object({ token: z.string() });

/** An API token to revoke: anything that is not one of the person's tokens changes nothing. */
const revokeParams = z.object({ tokenId: id.nullable().catch(null) });

/** Where the error summary's links go for fields whose first box is not named after them. */
const ERROR_LINKS = { expires: '#expires-day' };

/** The problems of a refused form, as the account pages show them. */
function refusal(refused: RefusedForm) {
  return { errors: refused.failure.errors.summary(ERROR_LINKS), fieldErrors: refused.failure.errors.fields };
}

export function accountsRoutes(app: ClaspApp, ctx: AppContext): void {
  twoStepRoutes(app, ctx);
  tokensApiRoutes(app, ctx);
  const linkNotValid = (reply: FastifyReply) =>
    reply.page('accounts/views/link-not-valid.njk', { pageTitle: 'This link does not work' }, 404);

  app.get('/forgot-password', { config: { access: 'public' } }, async (_request, reply) =>
    reply.page('accounts/views/forgot-password.njk', { pageTitle: 'Reset your password', fieldErrors: {} }),
  );

  // Reset emails are sent after the answer has gone (see after-response-queue.ts); failures are logged.
  const afterResponse = new AfterResponseQueue((error: unknown) => {
    app.log.error({ err: error }, 'Could not send a password reset email');
  });
  app.addHook('onClose', () => afterResponse.idle());

  // The same answer, as fast, whether or not the address has an account, so nobody learns who has one.
  app.post(
    '/forgot-password',
    {
      config: { access: 'public' },
      onResponse: (_request, _reply, done) => {
        afterResponse.start();
        done();
      },
    },
    async (request, reply) =>
      answerForm(
        request.body,
        async () => {
          const form = await parseForm(forgotPasswordForm, request.body);
          // A domain whose people must use single sign-on has no passwords to reset.
          const mustUseSso = await passwordRefusalFor(ctx.db, ctx.config.oidc, form.email);
          if (mustUseSso) throw FormInvalid.of('email', mustUseSso);
          const sendLink = await requestPasswordReset(ctx.db, ctx.config, form, seenIn(request), ctx.now);
          if (sendLink) afterResponse.add(sendLink);
          return reply.page('accounts/views/reset-sent.njk', { pageTitle: 'Check your email' });
        },
        (refused) =>
          reply.page(
            'accounts/views/forgot-password.njk',
            {
              pageTitle: 'Error: Reset your password',
              email: fieldText(refused.fields, 'email').trim(),
              ...refusal(refused),
            },
            400,
          ),
      ),
  );

  app.get(
    '/reset-password/:token',
    { schema: { params: tokenParams }, config: { access: 'public' } },
    async (request, reply) => {
      const link = await findUsableLink(ctx.db, request.params.token, ctx.now());
      if (!link) return linkNotValid(reply);
      return reply.page('accounts/views/set-password.njk', {
        pageTitle: heading(link.purpose),
        heading: heading(link.purpose),
        email: link.email,
        fieldErrors: {},
      });
    },
  );

  app.post(
    '/reset-password/:token',
    { schema: { params: tokenParams }, config: { access: 'public' } },
    async (request, reply) => {
      const { token } = request.params;
      const now = ctx.now();
      const link = await findUsableLink(ctx.db, token, now);
      if (!link) return linkNotValid(reply);
      try {
        return await submitForm(
          reply,
          request.body,
          async () => {
            const command = await parseForm(setPasswordForm({ email: link.email, name: link.name }), request.body);
            await setPasswordWithLink(ctx.db, token, command, seenIn(request), now);
            return '/sign-in?notice=password-set';
          },
          (refused) =>
            reply.page(
              'accounts/views/set-password.njk',
              {
                pageTitle: `Error: ${heading(link.purpose)}`,
                heading: heading(link.purpose),
                email: link.email,
                ...refusal(refused),
              },
              400,
            ),
        );
      } catch (error) {
        // Used in another tab, or run out, while the form was being filled in.
        if (error instanceof LinkNotUsable) return linkNotValid(reply);
        throw error;
      }
    },
  );

  const sessionSettings = { idleMinutes: ctx.config.sessionIdleMinutes, maxHours: ctx.config.sessionMaxHours };

  async function showAccount(
    actor: Actor,
    sessionId: string | null,
    extra: Record<string, unknown> = {},
    typedToken: FieldValues | null = null,
  ) {
    const now = ctx.now();
    const [{ roles, tokens }, sessions, twoStep, reminders, tokenRules] = await Promise.all([
      getOwnAccount(ctx.db, actor, now),
      listOwnSessions(ctx.db, sessionSettings, actor, sessionId, now),
      secondFactorStatus(ctx.db, actor),
      getReminderPreference(ctx, actor),
      apiTokenRules(ctx.db, actor, now),
    ]);
    return {
      reminders,
      sessions: presentSessions(sessions),
      twoStep,
      pageTitle: 'Your account',
      name: actor.name,
      email: actor.email,
      isAdmin: actor.isAdmin,
      roles: roles.map((r) => ({
        review: r.area,
        href: `/reviews/${r.review_id}`,
        organisation: r.organisation,
        role: ROLE_NAMES[r.role],
      })),
      tokens: presentTokens(tokens),
      tokenForm: presentTokenForm(tokenRules, typedToken),
      fieldErrors: {},
      ...extra,
    };
  }

  /** The account page again, with the problems of one of its forms. */
  const refusedAccountPage = async (
    reply: FastifyReply,
    actor: Actor,
    sessionId: string | null,
    refused: RefusedForm,
    typedToken: FieldValues | null = null,
  ) =>
    reply.page(
      'accounts/views/account.njk',
      await showAccount(actor, sessionId, { pageTitle: 'Error: Your account', ...refusal(refused) }, typedToken),
      400,
    );

  app.get(
    '/account',
    { schema: { querystring: noticeQuery }, config: { access: 'signed in' } },
    async (request, reply) => {
      const notice = request.query.notice === undefined ? undefined : ACCOUNT_NOTICES.get(request.query.notice);
      return reply.page(
        'accounts/views/account.njk',
        await showAccount(requireActor(request), request.sessionId, { notice }),
      );
    },
  );

  app.post('/account/password', { config: { access: 'signed in' } }, async (request, reply) => {
    const actor = requireActor(request);
    return submitForm(
      reply,
      request.body,
      async () => {
        const form = changePasswordForm(await changePasswordRules(ctx.db, actor, ctx.now()));
        await changePassword(
          ctx.db,
          actor,
          request.sessionId,
          await parseForm(form, request.body),
          seenIn(request),
          ctx.now(),
        );
        return '/account?notice=password-changed';
      },
      (refused) => refusedAccountPage(reply, actor, request.sessionId, refused),
    );
  });

  app.post('/account/reminders', { config: { access: 'signed in' } }, async (request, reply) => {
    const actor = requireActor(request);
    return submitForm(
      reply,
      request.body,
      async () => {
        await setReminderPreference(ctx, actor, (await parseForm(reminderForm, request.body)).reminders);
        confirm(reply, 'Your choice of email reminders has been saved');
        return '/account#reminders';
      },
      (refused) => refusedAccountPage(reply, actor, request.sessionId, refused),
    );
  });

  app.post('/account/tokens', { config: { access: 'signed in' } }, async (request, reply) => {
    const actor = requireActor(request);
    return answerForm(
      request.body,
      async () => {
        const now = ctx.now();
        const command = await parseForm(apiTokenForm(await apiTokenRules(ctx.db, actor, now)), request.body);
        const { token } = await issueApiToken(
          ctx.db,
          { userId: actor.userId, actor: actor.name, requestId: actor.requestId ?? null, token: actor.token },
          command,
          now,
        );
        // Shown once, on this response only: it is not stored anywhere it could be read back.
        return reply.page(
          'accounts/views/account.njk',
          await showAccount(actor, request.sessionId, { newToken: { name: command.tokenName, token } }),
        );
      },
      (refused) => refusedAccountPage(reply, actor, request.sessionId, refused, refused.fields),
    );
  });

  app.post(
    '/account/tokens/:tokenId/revoke',
    { schema: { params: revokeParams }, config: { access: 'signed in' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { tokenId } = request.params;
      if (tokenId !== null) {
        await revokeApiToken(ctx.db, actor, tokenId, ctx.now());
        confirm(reply, 'API token revoked');
      }
      return reply.redirect('/account#api-tokens', 303);
    },
  );
}

function heading(purpose: 'reset' | 'invite'): string {
  return purpose === 'invite' ? 'Set your password' : 'Set a new password';
}
