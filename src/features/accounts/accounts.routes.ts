import { z } from 'zod';
import { noticeQuery } from '../../platform/route-params.ts';
import type { ClaspApp } from '../../platform/http/typed-app.ts';
import { formatDate } from '../../domain/dates.ts';
import type { AppContext } from '../context.ts';
import { formText } from '../../platform/http/form-bodies.ts';
import { FormErrors } from '../../platform/forms.ts';
import { requireActor } from '../../platform/auth/plugin.ts';
import {
  changePassword,
  createApiToken,
  findUsableLink,
  getOwnAccount,
  requestPasswordReset,
  revokeApiToken,
  setPasswordWithLink,
} from './accounts.service.ts';

const ROLE_NAMES = {
  coordinator: 'Plan coordinator',
  editor: 'Organisation editor',
  reviewer: 'Assurance reviewer',
  viewer: 'Viewer',
} as const;

/** The secret of a set-password link, as sent in its address. */
const tokenParams = z.object({ token: z.string() });

export async function accountsRoutes(app: ClaspApp, ctx: AppContext): Promise<void> {
  app.get('/forgot-password', { config: { access: 'public' } }, async (_request, reply) =>
    reply.page('accounts/views/forgot-password.njk', { pageTitle: 'Reset your password', fieldErrors: {} }),
  );

  app.post('/forgot-password', { config: { access: 'public' } }, async (request, reply) => {
    const email = formText(request.body, 'email').trim();
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) {
      const text = email
        ? 'Enter an email address in the correct format, like name@example.nhs.uk'
        : 'Enter your email address';
      return reply.page(
        'accounts/views/forgot-password.njk',
        {
          pageTitle: 'Error: Reset your password',
          email,
          fieldErrors: { email: text },
          errors: [{ text, href: '#email' }],
        },
        400,
      );
    }
    await requestPasswordReset(ctx.db, ctx.config, email, request.id, ctx.now);
    return reply.page('accounts/views/reset-sent.njk', { pageTitle: 'Check your email' });
  });

  app.get(
    '/reset-password/:token',
    { schema: { params: tokenParams }, config: { access: 'public' } },
    async (request, reply) => {
      const link = await findUsableLink(ctx.db, request.params.token, ctx.now());
      if (!link) return reply.page('accounts/views/link-not-valid.njk', { pageTitle: 'This link does not work' }, 404);
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
      const result = await setPasswordWithLink(
        ctx.db,
        token,
        formText(request.body, 'password'),
        formText(request.body, 'confirm'),
        request.id,
        now,
      );
      if (result.ok) return reply.redirect('/sign-in?notice=password-set', 303);
      if (!result.errors || !link)
        return reply.page('accounts/views/link-not-valid.njk', { pageTitle: 'This link does not work' }, 404);
      return reply.page(
        'accounts/views/set-password.njk',
        {
          pageTitle: `Error: ${heading(link.purpose)}`,
          heading: heading(link.purpose),
          email: link.email,
          errors: result.errors.summary(),
          fieldErrors: result.errors.fields,
        },
        400,
      );
    },
  );

  async function showAccount(actor: ReturnType<typeof requireActor>, extra: Record<string, unknown> = {}) {
    const { roles, tokens } = await getOwnAccount(ctx.db, actor);
    return {
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
      tokens: tokens.map((t) => ({
        id: t.id,
        name: t.name,
        created: formatDate(t.created_at.slice(0, 10)),
        lastUsed: t.last_used_at ? formatDate(t.last_used_at.slice(0, 10)) : 'Never',
      })),
      fieldErrors: {},
      ...extra,
    };
  }

  app.get(
    '/account',
    { schema: { querystring: noticeQuery }, config: { access: 'signed in' } },
    async (request, reply) => {
      const notice =
        request.query.notice === 'password-changed'
          ? 'Your password has been changed. You have been signed out everywhere else.'
          : undefined;
      return reply.page('accounts/views/account.njk', await showAccount(requireActor(request), { notice }));
    },
  );

  app.post('/account/password', { config: { access: 'signed in' } }, async (request, reply) => {
    const actor = requireActor(request);
    const errors = await changePassword(
      ctx.db,
      actor,
      request.sessionId,
      {
        current: formText(request.body, 'current'),
        password: formText(request.body, 'password'),
        confirm: formText(request.body, 'confirm'),
      },
      ctx.now(),
    );
    if (!errors.any) return reply.redirect('/account?notice=password-changed', 303);
    return reply.page(
      'accounts/views/account.njk',
      await showAccount(actor, {
        pageTitle: 'Error: Your account',
        errors: errors.summary(),
        fieldErrors: errors.fields,
      }),
      400,
    );
  });

  app.post('/account/tokens', { config: { access: 'signed in' } }, async (request, reply) => {
    const actor = requireActor(request);
    const name = formText(request.body, 'tokenName').trim();
    if (!name) {
      const errors = new FormErrors();
      errors.add('tokenName', 'Enter what the token is for, for example "Monthly board report script"');
      return reply.page(
        'accounts/views/account.njk',
        await showAccount(actor, {
          pageTitle: 'Error: Your account',
          errors: errors.summary(),
          fieldErrors: errors.fields,
        }),
        400,
      );
    }
    const token = await createApiToken(
      ctx.db,
      { userId: actor.userId, actor: actor.name, requestId: actor.requestId ?? null },
      name,
      ctx.now(),
    );
    // Shown once, on this response only: it is not stored anywhere it could be read back.
    return reply.page('accounts/views/account.njk', await showAccount(actor, { newToken: { name, token } }));
  });

  app.post<{ Params: { tokenId: string } }>(
    '/account/tokens/:tokenId/revoke',
    { config: { access: 'signed in' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const id = Number(request.params.tokenId);
      if (Number.isInteger(id)) await revokeApiToken(ctx.db, actor, id, ctx.now());
      return reply.redirect('/account#api-tokens', 303);
    },
  );
}

function heading(purpose: 'reset' | 'invite'): string {
  return purpose === 'invite' ? 'Set your password' : 'Set a new password';
}
