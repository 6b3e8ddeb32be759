import type { ClaspApp } from '../../platform/http/typed-app.ts';
import { id, noticeQuery } from '../../platform/route-params.ts';
import { z } from 'zod';
import path from 'node:path';
import type { FastifyReply } from 'fastify';
import { requireActor } from '../../platform/auth/plugin.ts';
import { parseForm, type FormInvalid } from '../../platform/form-schema.ts';
import { fieldText } from '../../platform/forms.ts';
import { submitForm, type RefusedForm } from '../../platform/http/form-replies.ts';
import { createMailer } from '../../platform/mail.ts';
import type { Actor } from '../../domain/permissions.ts';
import type { AppContext } from '../context.ts';
import { requireAdministrator } from './admin.policy.ts';
import { adminApiRoutes } from './admin-api.routes.ts';
import { getSecurityEvents, SECURITY_EVENTS_SHOWN } from './security-events-admin.service.ts';
import { accessForm, newOrganisationForm, newUserForm, organisationEditForm } from './admin.forms.ts';
import { organisationListJson, organisationListOf, userListJson, userListOf } from './admin.schemas.ts';
import {
  addUser,
  changeAccess,
  getAccount,
  listAccounts,
  newUserRules,
  resendInvitation,
} from './users-admin.service.ts';
import {
  addOrganisation,
  fieldsFrom,
  getOrganisationForEdit,
  listAllOrganisations,
  organisationRules,
  updateOrganisation,
  type OrganisationFields,
} from './organisations-admin.service.ts';
import {
  ADMIN_CRUMBS,
  presentAccount,
  presentOrganisationForm,
  presentOrganisations,
  presentSecurityEvent,
  presentUsers,
  userNotice,
} from './admin.presenter.ts';

/*
 * /admin: accounts and organisations, for system administrators. Every service call checks
 * the administrator rule again; the routes parse forms and choose what to render.
 */

const organisationParams = z.object({ organisationId: id });

const userParams = z.object({ userId: id });

export function adminRoutes(app: ClaspApp, ctx: AppContext): void {
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

  app.get('/admin/security-events', { config: { access: 'administer' } }, async (request, reply) => {
    const events = await getSecurityEvents(ctx, requireActor(request));
    return reply.page('admin/views/security-events.njk', {
      pageTitle: 'Security events',
      breadcrumbs: ADMIN_CRUMBS,
      shown: SECURITY_EVENTS_SHOWN,
      events: events.map(presentSecurityEvent),
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

  const newUserPage = (reply: FastifyReply, refused: RefusedForm | null) =>
    reply.page(
      'admin/views/user-form.njk',
      {
        pageTitle: refused ? 'Error: Add a person' : 'Add a person',
        breadcrumbs: [...ADMIN_CRUMBS, { text: 'Accounts', href: '/admin/users' }],
        fields: {
          name: fieldText(refused?.fields ?? {}, 'name').trim(),
          email: fieldText(refused?.fields ?? {}, 'email').trim(),
          isAdmin: fieldText(refused?.fields ?? {}, 'isAdmin') === 'yes',
        },
        errorList: refused?.failure.errors.summary({ isAdmin: '#isAdmin' }) ?? [],
        errors: refused?.failure.errors.fields ?? {},
      },
      refused ? refused.failure.status : 200,
    );

  app.get('/admin/users/new', { config: { access: 'administer' } }, async (request, reply) => {
    requireAdministrator(requireActor(request));
    return newUserPage(reply, null);
  });

  app.post('/admin/users/new', { config: { access: 'administer' } }, async (request, reply) => {
    const actor = requireActor(request);
    const form = newUserForm(newUserRules(ctx, actor));
    return submitForm(
      reply,
      request.body,
      async () => {
        const added = await addUser(ctx, actor, await parseForm(form, request.body));
        if (added.mailError) request.log.error({ err: added.mailError }, 'the invitation email could not be sent');
        return `/admin/users/${added.userId}?done=invited${added.mailError ? '&mail=failed' : ''}`;
      },
      (refused) => newUserPage(reply, refused),
    );
  });

  /** A person's page again, with why the change asked for was refused. */
  async function refusedAccountPage(reply: FastifyReply, actor: Actor, userId: number, refused: RefusedForm) {
    const view = await getAccount(ctx, actor, userId);
    return reply.page(
      'admin/views/user.njk',
      presentAccount(view, actor.userId, { notice: null, failure: refused.failure }),
      refused.failure.status,
    );
  }

  app.get(
    '/admin/users/:userId',
    { schema: { params: userParams, querystring: noticeQuery }, config: { access: 'administer' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const view = await getAccount(ctx, actor, request.params.userId);
      const query = request.query;
      const notice = userNotice(query.done, view.user, query.mail === 'failed');
      return reply.page('admin/views/user.njk', presentAccount(view, actor.userId, { notice, failure: null }));
    },
  );

  app.post(
    '/admin/users/:userId/access',
    { schema: { params: userParams }, config: { access: 'administer' } },
    async (request, reply) => {
      const actor = requireActor(request);
      requireAdministrator(actor);
      const { userId } = request.params;
      return submitForm(
        reply,
        request.body,
        async () => {
          const command = await parseForm(accessForm, request.body);
          await changeAccess(ctx, actor, userId, command);
          return `/admin/users/${userId}?done=${command.change}`;
        },
        (refused) => refusedAccountPage(reply, actor, userId, refused),
      );
    },
  );

  app.post(
    '/admin/users/:userId/invite',
    { schema: { params: userParams }, config: { access: 'administer' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { userId } = request.params;
      return submitForm(
        reply,
        request.body,
        async () => {
          const { mailError } = await resendInvitation(ctx, actor, userId);
          if (mailError) request.log.error({ err: mailError }, 'the invitation email could not be sent');
          return `/admin/users/${userId}?done=reinvited${mailError ? '&mail=failed' : ''}`;
        },
        (refused) => refusedAccountPage(reply, actor, userId, refused),
      );
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
    formAction: string,
    view: ReturnType<typeof presentOrganisationForm>,
    failure: FormInvalid | null,
  ) => reply.page('admin/views/organisation-form.njk', { ...view, formAction }, failure ? failure.status : 200);

  /** The form's fields as typed, for a refused form. */
  const typedFields = (fields: RefusedForm['fields']): OrganisationFields => ({
    name: fieldText(fields, 'name').trim(),
    shortName: fieldText(fields, 'shortName').trim(),
    kind: fieldText(fields, 'kind'),
  });

  app.get('/admin/organisations/new', { config: { access: 'administer' } }, async (request, reply) => {
    requireAdministrator(requireActor(request));
    const blank: OrganisationFields = { name: '', shortName: '', kind: '' };
    return organisationPage(
      reply,
      '/admin/organisations/new',
      presentOrganisationForm('Add an organisation', blank, null, null),
      null,
    );
  });

  app.post('/admin/organisations/new', { config: { access: 'administer' } }, async (request, reply) => {
    const actor = requireActor(request);
    const form = newOrganisationForm(await organisationRules(ctx, actor, null));
    return submitForm(
      reply,
      request.body,
      async () => {
        const organisationId = await addOrganisation(ctx, actor, await parseForm(form, request.body));
        return `/admin/organisations?done=added&organisation=${organisationId}`;
      },
      ({ failure, fields }) =>
        organisationPage(
          reply,
          '/admin/organisations/new',
          presentOrganisationForm('Add an organisation', typedFields(fields), failure, null),
          failure,
        ),
    );
  });

  app.get(
    '/admin/organisations/:organisationId/edit',
    { schema: { params: organisationParams }, config: { access: 'administer' } },
    async (request, reply) => {
      const row = await getOrganisationForEdit(ctx, requireActor(request), request.params.organisationId);
      return organisationPage(
        reply,
        request.url,
        presentOrganisationForm(`Edit ${row.name}`, fieldsFrom(row), null, row.version),
        null,
      );
    },
  );

  app.post(
    '/admin/organisations/:organisationId/edit',
    { schema: { params: organisationParams }, config: { access: 'administer' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { organisationId } = request.params;
      const form = organisationEditForm(await organisationRules(ctx, actor, organisationId));
      return submitForm(
        reply,
        request.body,
        async () => {
          await updateOrganisation(ctx, actor, organisationId, await parseForm(form, request.body));
          return `/admin/organisations?done=saved&organisation=${organisationId}`;
        },
        async ({ failure, fields }) => {
          const row = await getOrganisationForEdit(ctx, actor, organisationId);
          // A stale edit carries the version saved now, so that saving again goes through.
          const version = failure.stale?.version ?? typedVersion(fieldText(fields, 'version'));
          return organisationPage(
            reply,
            request.url,
            presentOrganisationForm(`Edit ${row.name}`, typedFields(fields), failure, version),
            failure,
          );
        },
      );
    },
  );

  /* The same lists for scripts */

  app.get(
    '/api/admin/users',
    {
      schema: { summary: 'List every user account', response: { 200: userListJson } },
      config: { access: 'administer' },
    },
    async (request) => userListOf(await listAccounts(ctx, requireActor(request))),
  );

  app.get(
    '/api/admin/organisations',
    {
      schema: { summary: 'List every organisation', response: { 200: organisationListJson } },
      config: { access: 'administer' },
    },
    async (request) => organisationListOf(await listAllOrganisations(ctx, requireActor(request))),
  );

  adminApiRoutes(app, ctx);
}

/** The version an edit form was opened at, as its hidden field carried it; null when missing or malformed. */
function typedVersion(text: string): number | null {
  return /^\d{1,9}$/.test(text) ? Number(text) : null;
}
