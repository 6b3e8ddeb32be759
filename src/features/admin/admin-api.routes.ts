import { z } from 'zod';
import { formBody, type ClaspApp } from '../../platform/http/typed-app.ts';
import { id } from '../../platform/route-params.ts';
import { requireActor } from '../../platform/auth/plugin.ts';
import { parseForm } from '../../platform/form-schema.ts';
import type { AppContext } from '../context.ts';
import { accessForm, newOrganisationForm, newUserForm, organisationEditForm } from './admin.forms.ts';
import {
  accessBody,
  invitedAnswer,
  newOrganisationBody,
  newUserBody,
  organisationAnswer,
  organisationEditBody,
  organisationOf,
  securityEventsAnswer,
  securityEventsOf,
  userAnswer,
  userAnswerOf,
  userOf,
} from './admin.schemas.ts';
import { getSecurityEvents, SECURITY_EVENTS_SHOWN } from './security-events-admin.service.ts';
import { addUser, changeAccess, getAccount, newUserRules, resendInvitation } from './users-admin.service.ts';
import {
  addOrganisation,
  getOrganisationForEdit,
  organisationRules,
  updateOrganisation,
} from './organisations-admin.service.ts';

/*
 * The administration pages as JSON, for system administrators' scripts: add a person, read one
 * account, change its access, send a new invitation; add, read and change an organisation; read
 * the security events. The
 * same forms, services and checks as the pages; a refused change is answered by the error
 * handler (400 with the problems, 409 for an edit of an older version, 403 for anyone who is not
 * an administrator).
 */

const userParams = z.object({ userId: id });
const organisationParams = z.object({ organisationId: id });

export function adminApiRoutes(app: ClaspApp, ctx: AppContext): void {
  app.post(
    '/api/admin/users',
    {
      schema: {
        summary: 'Add a person, who is emailed an invitation to set a password',
        body: formBody(newUserBody),
        response: { 201: invitedAnswer },
      },
      config: { access: 'administer' },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const command = await parseForm(newUserForm(newUserRules(ctx, actor)), request.body);
      const added = await addUser(ctx, actor, command);
      if (added.mailError) request.log.error({ err: added.mailError }, 'the invitation email could not be sent');
      const { user } = await getAccount(ctx, actor, added.userId);
      return reply.code(201).send({ user: userOf(user), invitationSent: added.mailError === null });
    },
  );

  app.get(
    '/api/admin/users/:userId',
    {
      schema: {
        summary: 'Show one account and its roles in reviews',
        params: userParams,
        response: { 200: userAnswer },
      },
      config: { access: 'administer' },
    },
    async (request) => {
      const view = await getAccount(ctx, requireActor(request), request.params.userId);
      return userAnswerOf(view.user, view.memberships);
    },
  );

  app.post(
    '/api/admin/users/:userId/access',
    {
      schema: {
        summary: 'Change an account’s access: disable, enable, administrator rights, two-step verification',
        params: userParams,
        body: formBody(accessBody),
        response: { 200: userAnswer },
      },
      config: { access: 'administer' },
    },
    async (request) => {
      const actor = requireActor(request);
      const { userId } = request.params;
      // The account is looked up first, so an unknown one is 404 whatever was sent.
      await getAccount(ctx, actor, userId);
      await changeAccess(ctx, actor, userId, await parseForm(accessForm, request.body));
      const view = await getAccount(ctx, actor, userId);
      return userAnswerOf(view.user, view.memberships);
    },
  );

  app.post(
    '/api/admin/users/:userId/invitation',
    {
      schema: {
        summary: 'Send a new invitation to someone who has not set a password yet',
        params: userParams,
        body: formBody(z.object({}).describe('Nothing: the invitation goes to the address on the account.')),
        response: { 200: invitedAnswer },
      },
      config: { access: 'administer' },
    },
    async (request) => {
      const actor = requireActor(request);
      const { userId } = request.params;
      const { mailError } = await resendInvitation(ctx, actor, userId);
      if (mailError) request.log.error({ err: mailError }, 'the invitation email could not be sent');
      const { user } = await getAccount(ctx, actor, userId);
      return { user: userOf(user), invitationSent: mailError === null };
    },
  );

  app.post(
    '/api/admin/organisations',
    {
      schema: {
        summary: 'Add an organisation',
        body: formBody(newOrganisationBody),
        response: { 201: organisationAnswer },
      },
      config: { access: 'administer' },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const form = newOrganisationForm(await organisationRules(ctx, actor, null));
      const organisationId = await addOrganisation(ctx, actor, await parseForm(form, request.body));
      const row = await getOrganisationForEdit(ctx, actor, organisationId);
      return reply.code(201).send({ organisation: organisationOf(row) });
    },
  );

  app.get(
    '/api/admin/organisations/:organisationId',
    {
      schema: {
        summary: 'Show one organisation, with the version an edit sends back',
        params: organisationParams,
        response: { 200: organisationAnswer },
      },
      config: { access: 'administer' },
    },
    async (request) => ({
      organisation: organisationOf(
        await getOrganisationForEdit(ctx, requireActor(request), request.params.organisationId),
      ),
    }),
  );

  app.put(
    '/api/admin/organisations/:organisationId',
    {
      schema: {
        summary: 'Change an organisation’s name, short name or kind',
        params: organisationParams,
        body: formBody(organisationEditBody),
        response: { 200: organisationAnswer },
      },
      config: { access: 'administer' },
    },
    async (request) => {
      const actor = requireActor(request);
      const { organisationId } = request.params;
      const form = organisationEditForm(await organisationRules(ctx, actor, organisationId));
      await updateOrganisation(ctx, actor, organisationId, await parseForm(form, request.body));
      return { organisation: organisationOf(await getOrganisationForEdit(ctx, actor, organisationId)) };
    },
  );

  app.get(
    '/api/admin/security-events',
    {
      schema: {
        summary: `List the newest ${SECURITY_EVENTS_SHOWN} security events`,
        description: 'Failed and throttled sign-ins, refusals, password and access changes, newest first.',
        response: { 200: securityEventsAnswer },
      },
      config: { access: 'administer' },
    },
    async (request) => securityEventsOf(await getSecurityEvents(ctx, requireActor(request))),
  );
}
