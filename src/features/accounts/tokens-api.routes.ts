import { z } from 'zod';
import { formBody, type ClaspApp } from '../../platform/http/typed-app.ts';
import { requireActor } from '../../platform/auth/plugin.ts';
import { parseForm } from '../../platform/form-schema.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { id } from '../../platform/route-params.ts';
import { isoDate, isoInstant } from '../../platform/plan-schemas.ts';
import { scopesUpTo, TOKEN_SCOPES } from '../../domain/permissions.ts';
import type { AppContext } from '../context.ts';
import { apiTokenForm } from './accounts.forms.ts';
import {
  apiTokenRules,
  issueApiToken,
  listOwnApiTokens,
  revokeApiToken,
  type OwnApiToken,
} from './accounts.service.ts';

/*
 * Your own API tokens as JSON: list them (never their secrets), create one (its secret is in
 * this answer only) and revoke one. Through a token these need its write scope, and a token
 * never makes one that does more, lasts longer or reaches more reviews than itself.
 */

const scopeList = z
  .array(z.enum(TOKEN_SCOPES as ['read', 'write', 'admin']))
  .describe("What it may do: 'read' (GET), 'write' (also changes), 'admin' (also /api/admin/…)");

const tokenJson = z.object({
  id: z.number().int(),
  name: z.string().describe('What it is for'),
  scopes: scopeList,
  createdAt: isoInstant,
  expiresAt: isoInstant.nullable().describe('When it stops working; null for a token with no expiry'),
  expired: z.boolean(),
  lastUsedAt: isoInstant.nullable().describe('Null when it has never been used'),
  lastUsedFrom: z.string().nullable().describe('The internet address it was last used from'),
  reviews: z
    .array(z.object({ id: z.number().int(), area: z.string() }))
    .nullable()
    .describe('The reviews it is limited to; null for every review you belong to'),
});

const tokenListAnswer = z.object({ tokens: z.array(tokenJson) });

const newTokenAnswer = z.object({
  token: tokenJson.extend({
    secret: z.string().describe('Send it as "Authorization: Bearer SECRET". It is shown only in this answer'),
  }),
});

export const apiTokenBody = z
  .object({
    tokenName: z.string().describe('What the token is for, for example "Monthly board report script"'),
    scope: z
      .enum(TOKEN_SCOPES as ['read', 'write', 'admin'])
      .optional()
      .describe("What it may do: 'read' (the default), 'write', or 'admin' (administrators only)"),
    expires: isoDate
      .optional()
      .describe('The last day it works, at most a year ahead (and not after the token you send); 90 days by default'),
    reviews: z
      .array(z.number().int())
      .optional()
      .describe('Ids of your reviews to limit it to; none or empty for every review you belong to'),
  })
  .describe('A new API token');

const tokenParams = z.object({ tokenId: id });

function tokenAsJson(t: OwnApiToken) {
  return {
    id: t.id,
    name: t.name,
    scopes: scopesUpTo(t.scope),
    createdAt: t.createdAt,
    expiresAt: t.expiresAt,
    expired: t.expired,
    lastUsedAt: t.lastUsedAt,
    lastUsedFrom: t.lastUsedFrom,
    reviews: t.reviews,
  };
}

export function tokensApiRoutes(app: ClaspApp, ctx: AppContext): void {
  app.get(
    '/api/tokens',
    {
      schema: {
        summary: 'List your API tokens',
        description: 'Your tokens that are not revoked, newest first, expired ones too. Never their secrets.',
        response: { 200: tokenListAnswer },
      },
      config: { access: 'signed in' },
    },
    async (request) => {
      const actor = requireActor(request);
      return { tokens: (await listOwnApiTokens(ctx.db, actor.userId, ctx.now())).map(tokenAsJson) };
    },
  );

  app.post(
    '/api/tokens',
    {
      schema: {
        summary: 'Create an API token',
        description: 'Answers with the new token and its secret, which is not shown again.',
        body: formBody(apiTokenBody),
        response: { 201: newTokenAnswer },
      },
      config: { access: 'signed in' },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const now = ctx.now();
      const command = await parseForm(apiTokenForm(await apiTokenRules(ctx.db, actor, now)), request.body);
      const made = await issueApiToken(
        ctx.db,
        { userId: actor.userId, actor: actor.name, requestId: actor.requestId ?? null, token: actor.token },
        command,
        now,
      );
      const listed = (await listOwnApiTokens(ctx.db, actor.userId, now)).find((t) => t.id === made.id);
      if (!listed) throw new Error('The new token was not saved');
      return reply.code(201).send({ token: { ...tokenAsJson(listed), secret: made.token } });
    },
  );

  app.delete(
    '/api/tokens/:tokenId',
    {
      schema: {
        summary: 'Revoke one of your API tokens',
        description: 'It stops working at once. A token may revoke itself.',
        params: tokenParams,
        response: { 204: z.null().describe('Revoked') },
      },
      config: { access: 'signed in' },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      if (!(await revokeApiToken(ctx.db, actor, request.params.tokenId, ctx.now()))) {
        throw new NotFoundError('You have no API token with this id that still works. GET /api/tokens lists yours.');
      }
      return reply.code(204).send(null);
    },
  );
}
