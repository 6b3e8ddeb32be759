import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { SESSION_COOKIE } from '../auth/plugin.ts';
import { z } from 'zod';
import { ROUTE_ACCESS } from '../route-access.ts';
import { problemSchema } from './problem-schema.ts';

/*
 * The JSON API's OpenAPI 3.1 description, generated from the zod schemas each /api route
 * declares as it is registered (never written by hand): @fastify/swagger collects the routes and
 * fastify-type-provider-zod turns their schemas into JSON Schema. Pages answer HTML and are left
 * out; so is anything outside /api/. Register before any route, so every one is seen.
 */

/** Whether a route belongs in the description: the JSON API, under /api/. */
export function isApiRoute(url: string): boolean {
  return url.startsWith('/api/');
}

/** The group of an operation: the feature named after /api/ (or after /api/reviews/:reviewId/), in sentence case. */
export function operationTag(url: string): string {
  const segments = url.replace(/^\/api\//, '').split('/');
  const within = segments[0] === 'reviews' && segments[1] === ':reviewId' && segments[2] ? segments[2] : segments[0];
  const words = (within ?? 'api').replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const zodTransform = createJsonSchemaTransform({});

type Transform = typeof zodTransform;

/** Why an operation may be refused, by status: every /api refusal is a problem (application/problem+json). */
const REFUSALS: Record<number, string> = {
  400: 'What was sent cannot be used: each field with a problem is listed in errors',
  401: 'Not signed in, or the API token is not valid',
  403: 'You may not do this, or a change from a browser came without its CSRF token',
  404: 'There is no such thing, or you cannot read it',
  409: 'Someone else saved a change first: version is the one saved now, changes what they changed',
  412: 'If-Match named a version that is no longer the current one; the same details as a 409',
  413: 'What was sent is too large',
  415: 'What was sent is not in a type this operation takes',
};

/** The refusals an operation may answer: by its method, whether it needs signing in and whether it names a thing. */
export function refusalsOf(method: string, url: string, isPublic: boolean, sendsVersion: boolean): number[] {
  const changes = method !== 'GET' && method !== 'HEAD';
  return [
    400,
    ...(isPublic ? [] : [401, 403]),
    ...(url.includes('/:') ? [404] : []),
    ...(changes && sendsVersion ? [409, 412] : []),
    ...(changes ? [413, 415] : []),
  ];
}

/** Whether a body description has a `version` field: a change checked against the version read. */
function hasVersion(body: unknown): boolean {
  return body instanceof z.ZodObject && 'version' in body.shape;
}

const conditionalHeaders = {
  GET: z.object({
    'if-none-match': z
      .string()
      .optional()
      .describe('The ETag of the answer you have: if it is still current the answer is 304 Not Modified, with no body'),
  }),
  change: z.object({
    'if-match': z
      .string()
      .optional()
      .describe(
        'The ETag of the thing as you read it, instead of a version field: if it has changed since, the answer ' +
          'is 412 with what changed; a value that is not an ETag Clasp gave is 400',
      ),
  }),
};

/**
 * The zod transform for /api routes, with each one's group, who may use it (its declared access,
 * in `x-clasp-access`) and how to sign in (not at all for a public route); every other route is
 * hidden.
 */
const apiOnly: Transform = (input) => {
  if (!isApiRoute(input.url)) return { schema: { ...input.schema, hide: true }, url: input.url };
  const access = input.route.config?.access;
  const isPublic = access === 'public';
  const method = String(input.route.method);
  const declared = { ...((input.schema.response as Record<string, unknown> | undefined) ?? {}) };
  const sendsVersion = hasVersion(input.schema.body) || method === 'PUT' || method === 'PATCH';
  for (const status of refusalsOf(method, input.url, isPublic, sendsVersion)) {
    declared[status] ??= problemSchema.describe(REFUSALS[status] ?? '');
  }
  const headers =
    input.schema.headers ??
    (method === 'GET' ? conditionalHeaders.GET : sendsVersion ? conditionalHeaders.change : undefined);
  const { schema, url } = zodTransform({
    ...input,
    schema: { ...input.schema, response: declared, ...(headers ? { headers } : {}) },
  });
  return {
    url,
    schema: {
      ...schema,
      tags: schema.tags ?? [operationTag(url)],
      ...(access ? { 'x-clasp-access': { rule: access, who: ROUTE_ACCESS[access] } } : {}),
      ...(isPublic ? { security: [] } : {}),
    },
  };
};

const zodTransformObject = createJsonSchemaTransformObject({});

type TransformObject = typeof zodTransformObject;

type Answer = {
  description?: string;
  content?: Record<string, { schema?: JsonSchema }>;
  headers?: Record<string, unknown>;
};
type JsonSchema = { properties?: Record<string, JsonSchema>; $ref?: string };

const RESPONSE_HEADERS = {
  requestId: {
    description: 'The id of the request, as logged and shown in any problem: quote it when reporting one',
    schema: { type: 'string' },
  },
  etag: {
    description: 'The version of the thing answered (strong ETag): send it as If-Match with a change, or If-None-Match',
    schema: { type: 'string' },
  },
  nextCursor: {
    description: 'The cursor of the next page, when there is one: send it as ?cursor=',
    schema: { type: 'string' },
  },
  link: {
    description: 'The address of the next page, when there is one: <…>; rel="next" (RFC 8288)',
    schema: { type: 'string' },
  },
};

/** Whether an answer's schema has a member with an id and a version: a thing its ETag names. */
function namesVersionedThing(schema: JsonSchema | undefined): boolean {
  return Object.values(schema?.properties ?? {}).some((member) => {
    const fields = member.properties ?? {};
    return 'id' in fields && 'version' in fields;
  });
}

/**
 * The zod schemas shared through zod's registry as components; each answer described by its
 * status ("Created" for 201) where the route gives no words of its own; refusals answered as
 * application/problem+json; and the headers answers carry: X-Request-Id on each, ETag on one
 * about a thing with a version, and Link and X-Next-Cursor on a list that pages.
 */
const withAnswerWords: TransformObject = (input) => {
  const document = zodTransformObject(input);
  if (!('paths' in document)) return document;
  const paths: Record<string, unknown> = document.paths ?? {};
  for (const item of Object.values(paths)) {
    for (const operation of Object.values(item ?? {}) as unknown[]) {
      if (typeof operation !== 'object' || operation === null || !('responses' in operation)) continue;
      const responses = operation.responses as Record<string, Answer>;
      const parameters = ('parameters' in operation ? operation.parameters : []) as { name?: string; in?: string }[];
      const pages = parameters.some((p) => p.in === 'query' && p.name === 'cursor');
      for (const [code, answer] of Object.entries(responses)) {
        if (answer.description === 'Default Response') answer.description = STATUS_CODES[code] ?? code;
        const json = answer.content?.['application/json'];
        const status = Number(code);
        if (status >= 400 && json && answer.content) {
          answer.content = { 'application/problem+json': json };
        }
        const headers: Record<string, unknown> = { 'X-Request-Id': RESPONSE_HEADERS.requestId };
        if ((status === 200 || status === 201) && namesVersionedThing(json?.schema)) {
          headers.ETag = RESPONSE_HEADERS.etag;
        }
        if (status === 200 && pages) {
          headers.Link = RESPONSE_HEADERS.link;
          headers['X-Next-Cursor'] = RESPONSE_HEADERS.nextCursor;
        }
        answer.headers = { ...headers, ...answer.headers };
      }
    }
  }
  return document;
};

export interface OpenApiOptions {
  /** The version of Clasp, from package.json. */
  version: string;
}

/** Starts collecting the routes for the description; `app.swagger()` returns it once the app is ready. */
export async function registerOpenApi(app: FastifyInstance, options: OpenApiOptions): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Clasp API',
        version: options.version,
        description:
          'The JSON API of Clasp. Send an API token as `Authorization: Bearer <token>`; a browser signed in to ' +
          'Clasp may use its session cookie instead, with the CSRF token on every change.',
      },
      servers: [{ url: '/' }],
      components: {
        securitySchemes: {
          bearerToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API token, made on the "Your account" page.',
          },
          sessionCookie: {
            type: 'apiKey',
            in: 'cookie',
            name: SESSION_COOKIE,
            description: 'The session of a browser signed in to Clasp.',
          },
        },
      },
      security: [{ bearerToken: [] }, { sessionCookie: [] }],
    },
    transform: apiOnly,
    transformObject: withAnswerWords,
  });
}
