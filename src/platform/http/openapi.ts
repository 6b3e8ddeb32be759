import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { SESSION_COOKIE } from '../auth/plugin.ts';
import { ROUTE_ACCESS } from '../route-access.ts';

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

/**
 * The zod transform for /api routes, with each one's group, who may use it (its declared access,
 * in `x-clasp-access`) and how to sign in (not at all for a public route); every other route is
 * hidden.
 */
const apiOnly: Transform = (input) => {
  if (!isApiRoute(input.url)) return { schema: { ...input.schema, hide: true }, url: input.url };
  const { schema, url } = zodTransform(input);
  const access = input.route.config?.access;
  const isPublic = access === 'public';
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

/**
 * The zod schemas shared through zod's registry as components, and each answer described by its
 * status ("Created" for 201) where the route gives no words of its own.
 */
const withAnswerWords: TransformObject = (input) => {
  const document = zodTransformObject(input);
  if (!('paths' in document)) return document;
  const paths: Record<string, unknown> = document.paths ?? {};
  for (const item of Object.values(paths)) {
    for (const operation of Object.values(item ?? {}) as unknown[]) {
      if (typeof operation !== 'object' || operation === null || !('responses' in operation)) continue;
      const responses = operation.responses as Record<string, { description?: string }>;
      for (const [code, answer] of Object.entries(responses)) {
        if (answer.description === 'Default Response') answer.description = STATUS_CODES[code] ?? code;
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
