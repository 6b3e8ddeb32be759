import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formBody, type ClaspApp } from '../../platform/http/typed-app.ts';
import { id, noticeQuery } from '../../platform/route-params.ts';
import { cookieOptions, requireActor, SESSION_COOKIE } from '../../platform/auth/plugin.ts';
import { parseForm } from '../../platform/form-schema.ts';
import { fieldText } from '../../platform/forms.ts';
import { submitForm, type RefusedForm } from '../../platform/http/form-replies.ts';
import type { Db } from '../../platform/db/database.ts';
import type { SessionSettings } from '../accounts/sessions.service.ts';
import { SSO_UNAVAILABLE, type SingleSignOn } from './sso.service.ts';
import { ProviderUnavailable } from './sso.provider.ts';
import { mappingBody, mappingForm } from './sign-in-domains.forms.ts';
import {
  addSignInDomain,
  changeSignInDomain,
  getSignInDomain,
  listSignInDomains,
  mappingRules,
  organisationChoices,
  removeSignInDomain,
  type MappingRow,
} from './sign-in-domains.service.ts';

/*
 * Single sign-on: starting a sign-in at the provider and coming back from it, and the
 * administrators' sign-in domains (pages, and their JSON twins under /api/admin).
 */

export interface SsoContext {
  db: Db;
  now: () => Date;
  sessions: SessionSettings;
  alwaysSecureCookies: boolean;
  /** Null when no provider is configured: the sign-in routes then send people to the password form. */
  sso: SingleSignOn | null;
}

/** Only paths on this site, so a link cannot send someone elsewhere after they sign in. */
function safeReturnTo(value: string | undefined): string {
  return value && /^\/(?![/\\])[^\s]*$/.test(value) && !value.startsWith('/sign-') ? value : '/my-work';
}

const startQuery = z.object({ returnTo: z.string().max(2000).optional() });
const callbackQuery = z.record(z.string(), z.union([z.string(), z.array(z.string())]));
const mappingParams = z.object({ mappingId: id });

const mappingJson = z.object({
  id: z.number(),
  kind: z.enum(['domain', 'claim']).describe('"domain": an email domain; "claim": a value of the organisation claim'),
  value: z.string(),
  organisationId: z.number(),
  organisationName: z.string(),
  mayJoin: z.boolean().describe('Someone new from here gets an account at their first sign-in'),
  requireSso: z.boolean().describe('Passwords are refused for addresses at this domain'),
});
const mappingAnswer = z.object({ mapping: mappingJson });
const mappingListAnswer = z.object({ mappings: z.array(mappingJson) });

const presentMapping = (row: MappingRow): z.output<typeof mappingJson> => ({
  id: row.id,
  kind: row.kind,
  value: row.value,
  organisationId: row.organisation_id,
  organisationName: row.organisation_name,
  mayJoin: row.may_join === 1,
  requireSso: row.require_sso === 1,
});

const ADMIN_CRUMBS = [{ text: 'Administration', href: '/admin' }];
const LIST = '/admin/sign-in-domains';

export function ssoRoutes(app: ClaspApp, ctx: SsoContext): void {
  const { sso } = ctx;

  /** The sign-in page with a problem from single sign-on above the password form. */
  const signInPage = (reply: FastifyReply, next: string, problem: string, status: number) =>
    reply.page(
      'accounts/views/sign-in.njk',
      {
        pageTitle: 'Error: Sign in',
        next,
        fieldErrors: {},
        errors: [{ text: problem, href: sso ? '#sso' : '#email' }],
        sso: sso ? { href: `/sign-in/sso?returnTo=${encodeURIComponent(next)}`, text: sso.buttonText } : null,
        ssoUnavailable: problem === SSO_UNAVAILABLE,
      },
      status,
    );

  const seenIn = (request: FastifyRequest) => ({
    ip: request.ip,
    userAgent: request.headers['user-agent'] ?? null,
    requestId: request.id,
  });

  app.get(
    '/sign-in/sso',
    { schema: { querystring: startQuery }, config: { access: 'public' } },
    async (request, reply) => {
      const returnTo = safeReturnTo(request.query.returnTo);
      if (request.actor) return reply.redirect(returnTo, 303);
      if (!sso) return reply.redirect(`/sign-in?next=${encodeURIComponent(returnTo)}`, 303);
      let url: URL;
      try {
        url = await sso.start(ctx.db, returnTo);
      } catch (error) {
        if (!(error instanceof ProviderUnavailable)) throw error;
        request.log.warn({ err: error }, 'the single sign-on provider could not be reached');
        return signInPage(reply, returnTo, SSO_UNAVAILABLE, 503);
      }
      return reply.redirect(url.toString(), 303);
    },
  );

  app.get(
    '/sign-in/sso/callback',
    { schema: { querystring: callbackQuery }, config: { access: 'public' } },
    async (request, reply) => {
      if (!sso) return reply.redirect('/sign-in', 303);
      // The address the provider was given, with what it sent back: openid-client checks one against the other.
      const callbackUrl = new URL(sso.settings.redirectUri);
      const query = request.url.indexOf('?');
      callbackUrl.search = query < 0 ? '' : request.url.slice(query);
      const outcome = await sso.finish(ctx.db, ctx.sessions, callbackUrl, seenIn(request));
      if (outcome.kind === 'refused') {
        return signInPage(reply, '/my-work', outcome.message, outcome.message === SSO_UNAVAILABLE ? 503 : 400);
      }
      reply.setCookie(SESSION_COOKIE, outcome.token, cookieOptions(request, ctx.alwaysSecureCookies));
      return reply.redirect(outcome.returnTo, 303);
    },
  );

  /* Administrators: sign-in domains */

  app.get(
    '/admin/sign-in-domains',
    { schema: { querystring: noticeQuery }, config: { access: 'administer' } },
    async (request, reply) => {
      const rows = await listSignInDomains(ctx, requireActor(request));
      const done = request.query.done;
      const notice =
        done === 'added'
          ? 'The sign-in domain is added.'
          : done === 'saved'
            ? 'The sign-in domain is saved.'
            : done === 'removed'
              ? 'The sign-in domain is removed.'
              : null;
      return reply.page('sso/views/sign-in-domains.njk', {
        pageTitle: 'Sign-in domains',
        breadcrumbs: ADMIN_CRUMBS,
        mappings: rows.map((row) => ({ ...presentMapping(row), editHref: `${LIST}/${row.id}` })),
        ssoConfigured: sso !== null,
        notice,
      });
    },
  );

  type Fields = { kind: string; value: string; organisationId: string; mayJoin: boolean; requireSso: boolean };

  const mappingPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    view: { heading: string; formAction: string; fields: Fields; mappingId: number | null },
    refused: RefusedForm | null,
  ) => {
    const organisations = await organisationChoices(ctx, requireActor(request));
    return reply.page(
      'sso/views/sign-in-domain-form.njk',
      {
        pageTitle: refused ? `Error: ${view.heading}` : view.heading,
        breadcrumbs: [...ADMIN_CRUMBS, { text: 'Sign-in domains', href: LIST }],
        ...view,
        organisationItems: [
          { value: '', text: 'Select an organisation' },
          ...organisations.map((o) => ({
            value: String(o.id),
            text: o.name,
            selected: String(o.id) === view.fields.organisationId,
          })),
        ],
        errorList:
          refused?.failure.errors.summary({ kind: '#kind', mayJoin: '#mayJoin', requireSso: '#requireSso' }) ?? [],
        errors: refused?.failure.errors.fields ?? {},
      },
      refused ? refused.failure.status : 200,
    );
  };

  const typedFields = (fields: RefusedForm['fields']): Fields => ({
    kind: fieldText(fields, 'kind'),
    value: fieldText(fields, 'value').trim(),
    organisationId: fieldText(fields, 'organisationId'),
    mayJoin: fieldText(fields, 'mayJoin') === 'yes',
    requireSso: fieldText(fields, 'requireSso') === 'yes',
  });

  app.get('/admin/sign-in-domains/new', { config: { access: 'administer' } }, async (request, reply) => {
    await organisationChoices(ctx, requireActor(request));
    const fields = { kind: 'domain', value: '', organisationId: '', mayJoin: false, requireSso: false };
    return mappingPage(
      request,
      reply,
      { heading: 'Add a sign-in domain', formAction: `${LIST}/new`, fields, mappingId: null },
      null,
    );
  });

  app.post('/admin/sign-in-domains/new', { config: { access: 'administer' } }, async (request, reply) => {
    const actor = requireActor(request);
    return submitForm(
      reply,
      request.body,
      async () => {
        const command = await parseForm(mappingForm(await mappingRules(ctx, actor, null)), request.body);
        await addSignInDomain(ctx, actor, command);
        return `${LIST}?done=added`;
      },
      (refused) =>
        mappingPage(
          request,
          reply,
          {
            heading: 'Add a sign-in domain',
            formAction: `${LIST}/new`,
            fields: typedFields(refused.fields),
            mappingId: null,
          },
          refused,
        ),
    );
  });

  app.get(
    '/admin/sign-in-domains/:mappingId',
    { schema: { params: mappingParams }, config: { access: 'administer' } },
    async (request, reply) => {
      const row = await getSignInDomain(ctx, requireActor(request), request.params.mappingId);
      const fields = {
        kind: row.kind,
        value: row.value,
        organisationId: String(row.organisation_id),
        mayJoin: row.may_join === 1,
        requireSso: row.require_sso === 1,
      };
      return mappingPage(
        request,
        reply,
        { heading: `Change ${row.value}`, formAction: `${LIST}/${row.id}`, fields, mappingId: row.id },
        null,
      );
    },
  );

  app.post(
    '/admin/sign-in-domains/:mappingId',
    { schema: { params: mappingParams }, config: { access: 'administer' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { mappingId } = request.params;
      const row = await getSignInDomain(ctx, actor, mappingId);
      return submitForm(
        reply,
        request.body,
        async () => {
          const command = await parseForm(mappingForm(await mappingRules(ctx, actor, mappingId)), request.body);
          await changeSignInDomain(ctx, actor, mappingId, command);
          return `${LIST}?done=saved`;
        },
        (refused) =>
          mappingPage(
            request,
            reply,
            {
              heading: `Change ${row.value}`,
              formAction: `${LIST}/${mappingId}`,
              fields: typedFields(refused.fields),
              mappingId,
            },
            refused,
          ),
      );
    },
  );

  app.post(
    '/admin/sign-in-domains/:mappingId/remove',
    { schema: { params: mappingParams }, config: { access: 'administer' } },
    async (request, reply) => {
      await removeSignInDomain(ctx, requireActor(request), request.params.mappingId);
      return reply.redirect(`${LIST}?done=removed`, 303);
    },
  );

  /* The same, as JSON */

  app.get(
    '/api/admin/sign-in-domains',
    {
      schema: {
        summary: 'List the sign-in domains',
        description: 'Email domains and organisation codes mapped to organisations, for single sign-on.',
        response: { 200: mappingListAnswer },
      },
      config: { access: 'administer' },
    },
    async (request) => ({ mappings: (await listSignInDomains(ctx, requireActor(request))).map(presentMapping) }),
  );

  app.post(
    '/api/admin/sign-in-domains',
    {
      schema: {
        summary: 'Add a sign-in domain',
        body: formBody(mappingBody),
        response: { 201: mappingAnswer },
      },
      config: { access: 'administer' },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const command = await parseForm(mappingForm(await mappingRules(ctx, actor, null)), request.body);
      const mappingId = await addSignInDomain(ctx, actor, command);
      return reply.code(201).send({ mapping: presentMapping(await getSignInDomain(ctx, actor, mappingId)) });
    },
  );

  app.put(
    '/api/admin/sign-in-domains/:mappingId',
    {
      schema: {
        summary: 'Change a sign-in domain',
        params: mappingParams,
        body: formBody(mappingBody),
        response: { 200: mappingAnswer },
      },
      config: { access: 'administer' },
    },
    async (request) => {
      const actor = requireActor(request);
      const { mappingId } = request.params;
      await getSignInDomain(ctx, actor, mappingId);
      const command = await parseForm(mappingForm(await mappingRules(ctx, actor, mappingId)), request.body);
      await changeSignInDomain(ctx, actor, mappingId, command);
      return { mapping: presentMapping(await getSignInDomain(ctx, actor, mappingId)) };
    },
  );

  app.delete(
    '/api/admin/sign-in-domains/:mappingId',
    {
      schema: {
        summary: 'Remove a sign-in domain',
        params: mappingParams,
        response: { 204: z.null().describe('Removed') },
      },
      config: { access: 'administer' },
    },
    async (request, reply) => {
      await removeSignInDomain(ctx, requireActor(request), request.params.mappingId);
      return reply.code(204).send(null);
    },
  );
}
