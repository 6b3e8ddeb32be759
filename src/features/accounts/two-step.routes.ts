import type { FastifyReply } from 'fastify';
import type { ClaspApp } from '../../platform/http/typed-app.ts';
import type { Actor } from '../../domain/permissions.ts';
import type { AppContext } from '../context.ts';
import { parseForm } from '../../platform/form-schema.ts';
import { answerForm, submitForm, type RefusedForm } from '../../platform/http/form-replies.ts';
import { requireActor } from '../../platform/auth/plugin.ts';
import { changePasswordRules } from './accounts.service.ts';
import {
  confirmOwnSetUp,
  ownSetUpDetails,
  renewRecoveryCodes,
  secondFactorStatus,
  turnOffOwn,
} from './second-factor.service.ts';
import { codeForm, turnOffForm } from './second-factor.forms.ts';
import { seenIn } from './second-step.routes.ts';

/*
 * Two-step verification from the account page: setting it up, new recovery codes, turning it off.
 */

function refusal(refused: RefusedForm) {
  return { errors: refused.failure.errors.summary(), fieldErrors: refused.failure.errors.fields };
}

export function twoStepRoutes(app: ClaspApp, ctx: AppContext): void {
  /** The set-up page while it is off; the page that manages it while it is on. */
  const twoStepPage = async (reply: FastifyReply, actor: Actor, extra: Record<string, unknown> = {}, status = 200) => {
    const title = (t: string) => (extra.errors ? `Error: ${t}` : t);
    const details = await ownSetUpDetails(ctx.db, actor);
    if (details === 'already on') {
      const s = await secondFactorStatus(ctx.db, actor);
      return reply.page(
        'accounts/views/two-step.njk',
        {
          pageTitle: title('Two-step verification'),
          email: actor.email,
          required: s.required,
          recoveryCodesLeft: String(s.recoveryCodesLeft),
          fieldErrors: {},
          ...extra,
        },
        status,
      );
    }
    return reply.page(
      'accounts/views/two-step-set-up.njk',
      {
        pageTitle: title('Set up two-step verification'),
        caption: 'Your account',
        required: (await secondFactorStatus(ctx.db, actor)).required,
        action: '/account/two-step',
        backHref: '/account#two-step',
        backText: 'Back to your account',
        ...details,
        fieldErrors: {},
        ...extra,
      },
      status,
    );
  };

  app.get('/account/two-step', { config: { access: 'signed in' } }, async (request, reply) =>
    twoStepPage(reply, requireActor(request)),
  );

  const recoveryCodesPage = (reply: FastifyReply, codes: string[], turnedOn: boolean) =>
    reply.page('accounts/views/recovery-codes.njk', {
      pageTitle: 'Save your recovery codes',
      turnedOn,
      oldCodesEnded: !turnedOn,
      codes,
      continueHref: '/account#two-step',
    });

  app.post('/account/two-step', { config: { access: 'signed in' } }, async (request, reply) => {
    const actor = requireActor(request);
    return answerForm(
      request.body,
      async () => {
        const { code } = await parseForm(codeForm, request.body);
        return recoveryCodesPage(reply, await confirmOwnSetUp(ctx.db, actor, code, seenIn(request), ctx.now()), true);
      },
      (refused) => twoStepPage(reply, actor, refusal(refused), 400),
    );
  });

  app.post('/account/two-step/recovery-codes', { config: { access: 'signed in' } }, async (request, reply) => {
    const actor = requireActor(request);
    return answerForm(
      request.body,
      async () => {
        const { code } = await parseForm(codeForm, request.body);
        return recoveryCodesPage(
          reply,
          await renewRecoveryCodes(ctx.db, actor, code, seenIn(request), ctx.now()),
          false,
        );
      },
      (refused) => twoStepPage(reply, actor, refusal(refused), 400),
    );
  });

  app.post('/account/two-step/off', { config: { access: 'signed in' } }, async (request, reply) => {
    const actor = requireActor(request);
    return submitForm(
      reply,
      request.body,
      async () => {
        const { password } = await parseForm(turnOffForm, request.body);
        const rules = await changePasswordRules(ctx.db, actor, ctx.now());
        await turnOffOwn(ctx.db, actor, rules.checkCurrentPassword, password, seenIn(request), ctx.now());
        return '/account?notice=two-step-off#two-step';
      },
      (refused) => twoStepPage(reply, actor, refusal(refused), 400),
    );
  });
}
