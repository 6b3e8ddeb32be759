import type { ClaspApp } from '../../platform/http/typed-app.ts';
import { id, noticeQuery } from '../../platform/route-params.ts';
import { z } from 'zod';
import path from 'node:path';
import type { FastifyReply } from 'fastify';
import { requireActor } from '../../platform/auth/plugin.ts';
import { formText } from '../../platform/http/form-bodies.ts';
import type { FormErrors } from '../../platform/forms.ts';
import { createMailer } from '../../platform/mail.ts';
import type { Actor } from '../../domain/permissions.ts';
import type { AppContext } from '../context.ts';
import { requireAdministrator } from './admin.policy.ts';
import {
  ACCESS_CHANGES,
  addUser,
  changeAccess,
  getAccount,
  listAccounts,
  readNewUser,
  resendInvitation,
  type AccessChange,
  type NewUserFields,
} from './users-admin.service.ts';
import {
  addOrganisation,
  fieldsFrom,
  getOrganisationForEdit,
  listAllOrganisations,
  readOrganisationFields,
  updateOrganisation,
  type OrganisationFields,
  type OrganisationOutcome,
} from './organisations-admin.service.ts';
import {
  ADMIN_CRUMBS,
  presentAccount,
  presentOrganisationForm,
  presentOrganisations,
  presentUsers,
  userNotice,
  type Notice,
} from './admin.presenter.ts';

/*
 * /admin: accounts and organisations, for system administrators. Every service call checks
 * the administrator rule again; the routes only read forms and choose what to render.
 */

const organisationParams = z.object({ organisationId: id });

const userParams = z.object({ userId: id });

export async function adminRoutes(app: ClaspApp, ctx: AppContext): Promise<void> {
  app.get('/admin', { config: { access: 'administer' } }, async (request, reply) => {
    const actor = requireActor(request);
    const [users, organisations] = await Promise.all([listAccounts(ctx, actor), listAllOrganisations(ctx, actor)]);
    const mail = createMailer({
      smtpUrl: ctx.config.smtpUrl,
      from: ctx.config.mailFrom,
      outboxDir: path.join(ctx.config.dataDir, 'outbox'),
      now: ctx.now,
    });
    return reply.page('admin/views/index.njk', {
      pageTitle: 'Administration',
      userCount: users.length,
      disabledCount: users.filter((u) => u.disabled_at !== null).length,
      organisationCount: organisations.length,
      mailTo: mail.description,
    });
  });

  /* Accounts */

  app.get('/admin/users', { config: { access: 'administer' } }, async (request, reply) => {
    const actor = requireActor(request);
    const rows = await listAccounts(ctx, actor);
    return reply.page('admin/views/users.njk', {
      pageTitle: 'Accounts',
      breadcrumbs: ADMIN_CRUMBS,
      users: presentUsers(rows, actor.userId),
    });
  });

  const newUserPage = (reply: FastifyReply, fields: NewUserFields, errors: FormErrors | null) =>
    reply.page(
      'admin/views/user-form.njk',
      {
        pageTitle: errors ? 'Error: Add a person' : 'Add a person',
        breadcrumbs: [...ADMIN_CRUMBS, { text: 'Accounts', href: '/admin/users' }],
        fields,
        errorList: errors?.summary({ isAdmin: '#isAdmin' }) ?? [],
        errors: errors?.fields ?? {},
      },
      errors ? 400 : 200,
    );

  app.get('/admin/users/new', { config: { access: 'administer' } }, async (request, reply) => {
    requireAdministrator(requireActor(request));
    return newUserPage(reply, { name: '', email: '', isAdmin: false }, null);
  });

  app.post('/admin/users/new', { config: { access: 'administer' } }, async (request, reply) => {
    const actor = requireActor(request);
    const outcome = await addUser(ctx, actor, readNewUser(request.body));
    if (!outcome.ok) return newUserPage(reply, outcome.fields, outcome.errors);
    if (outcome.mailError) request.log.error({ err: outcome.mailError }, 'the invitation email could not be sent');
    return reply.redirect(`/admin/users/${outcome.userId}?done=invited${outcome.mailError ? '&mail=failed' : ''}`, 303);
  });

  async function accountPage(
    reply: FastifyReply,
    actor: Actor,
    userId: number,
    extra: { notice: Notice | null; problem: string | null },
    status = 200,
  ) {
    const view = await getAccount(ctx, actor, userId);
    return reply.page('admin/views/user.njk', presentAccount(view, actor.userId, extra), status);
  }

  app.get(
    '/admin/users/:userId',
    { schema: { params: userParams, querystring: noticeQuery }, config: { access: 'administer' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const view = await getAccount(ctx, actor, request.params.userId);
      const query = request.query;
      const notice = userNotice(query.done, view.user, query.mail === 'failed');
      return reply.page('admin/views/user.njk', presentAccount(view, actor.userId, { notice, problem: null }));
    },
  );

  app.post(
    '/admin/users/:userId/access',
    { schema: { params: userParams }, config: { access: 'administer' } },
    async (request, reply) => {
      const actor = requireActor(request);
      requireAdministrator(actor);
      const { userId } = request.params;
      const change = formText(request.body, 'change') as AccessChange;
      if (!ACCESS_CHANGES.includes(change))
        return accountPage(
          reply,
          actor,
          userId,
          { notice: null, problem: 'Choose a change from the buttons on this page' },
          400,
        );
      const outcome = await changeAccess(ctx, actor, userId, change);
      if (!outcome.ok) return accountPage(reply, actor, userId, { notice: null, problem: outcome.message }, 400);
      return reply.redirect(`/admin/users/${userId}?done=${outcome.change}`, 303);
    },
  );

  app.post(
    '/admin/users/:userId/invite',
    { schema: { params: userParams }, config: { access: 'administer' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { userId } = request.params;
      const outcome = await resendInvitation(ctx, actor, userId);
      if (!outcome.ok) return accountPage(reply, actor, userId, { notice: null, problem: outcome.message }, 400);
      if (outcome.mailError) request.log.error({ err: outcome.mailError }, 'the invitation email could not be sent');
      return reply.redirect(`/admin/users/${userId}?done=reinvited${outcome.mailError ? '&mail=failed' : ''}`, 303);
    },
  );

  /* Organisations */

  app.get(
    '/admin/organisations',
    { schema: { querystring: noticeQuery }, config: { access: 'administer' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const rows = await listAllOrganisations(ctx, actor);
      const query = request.query;
      const changed = rows.find((o) => String(o.id) === query.organisation);
      const notice =
        changed && (query.done === 'added' || query.done === 'saved')
          ? `${changed.name} is ${query.done === 'added' ? 'added' : 'saved'}.`
          : null;
      return reply.page('admin/views/organisations.njk', {
        pageTitle: 'Organisations',
        breadcrumbs: ADMIN_CRUMBS,
        organisations: presentOrganisations(rows),
        notice,
      });
    },
  );

  const organisationPage = (
    reply: FastifyReply,
    view: ReturnType<typeof presentOrganisationForm> & { formAction: string },
    outcome?: Extract<OrganisationOutcome, { ok: false }>,
  ) => reply.page('admin/views/organisation-form.njk', view, outcome ? (outcome.stale ? 409 : 400) : 200);

  const blank: OrganisationFields = { name: '', shortName: '', kind: '' };

  app.get('/admin/organisations/new', { config: { access: 'administer' } }, async (request, reply) => {
    requireAdministrator(requireActor(request));
    return organisationPage(reply, {
      ...presentOrganisationForm('Add an organisation', blank, null, null),
      formAction: '/admin/organisations/new',
    });
  });

  app.post('/admin/organisations/new', { config: { access: 'administer' } }, async (request, reply) => {
    const outcome = await addOrganisation(ctx, requireActor(request), readOrganisationFields(request.body));
    if (outcome.ok)
      return reply.redirect(`/admin/organisations?done=added&organisation=${outcome.organisationId}`, 303);
    return organisationPage(
      reply,
      {
        ...presentOrganisationForm('Add an organisation', outcome.fields, outcome, null),
        formAction: '/admin/organisations/new',
      },
      outcome,
    );
  });

  app.get(
    '/admin/organisations/:organisationId/edit',
    { schema: { params: organisationParams }, config: { access: 'administer' } },
    async (request, reply) => {
      const row = await getOrganisationForEdit(ctx, requireActor(request), request.params.organisationId);
      return organisationPage(reply, {
        ...presentOrganisationForm(`Edit ${row.name}`, fieldsFrom(row), null, row.version),
        formAction: request.url,
      });
    },
  );

  app.post(
    '/admin/organisations/:organisationId/edit',
    { schema: { params: organisationParams }, config: { access: 'administer' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { organisationId } = request.params;
      const outcome = await updateOrganisation(ctx, actor, organisationId, request.body);
      if (outcome.ok) return reply.redirect(`/admin/organisations?done=saved&organisation=${organisationId}`, 303);
      const row = await getOrganisationForEdit(ctx, actor, organisationId);
      return organisationPage(
        reply,
        {
          ...presentOrganisationForm(`Edit ${row.name}`, outcome.fields, outcome, outcome.version),
          formAction: request.url,
        },
        outcome,
      );
    },
  );

  /* The same lists for scripts */

  app.get('/api/admin/users', { config: { access: 'administer' } }, async (request) => {
    const rows = await listAccounts(ctx, requireActor(request));
    return {
      users: rows.map((u) => ({
        id: u.id,
        name: u.name,
        email: u.email,
        isAdmin: u.is_admin === 1,
        disabled: u.disabled_at !== null,
        passwordSet: u.has_password,
        lastSignedIn: u.last_signed_in,
      })),
    };
  });

  app.get('/api/admin/organisations', { config: { access: 'administer' } }, async (request) => {
    const rows = await listAllOrganisations(ctx, requireActor(request));
    return {
      organisations: rows.map((o) => ({
        id: o.id,
        name: o.name,
        shortName: o.short_name,
        kind: o.kind,
        version: o.version,
      })),
    };
  });
}
