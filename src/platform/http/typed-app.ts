import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
} from 'fastify';
import type { RawServerDefault } from 'fastify';
import type { z } from 'zod';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';

/*
 * Routes declare their params, query strings, bodies and answers as zod schemas: Fastify checks
 * a request against them and the handler's types come from them (no casts of request.params).
 */

/** The application as routes see it: every schema a zod schema, every request typed by its schema. */
export type ClaspApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

const describedOnly = new WeakSet<object>();

/**
 * A request body described for the API's description only: the route reads it with its form
 * (parseForm), whose rules come from the database and whose field errors use the pages' words,
 * so Fastify passes it through unchecked. Describe each field the form reads, with its type and
 * what it means; anything else sent is ignored by the form.
 */
export function formBody<T extends z.ZodType>(schema: T): T {
  describedOnly.add(schema);
  return schema;
}

/** Zod checks requests and writes answers for every route; bodies marked formBody are left to their form. */
export function registerSchemaCompilers(app: FastifyInstance): void {
  app.setValidatorCompiler((route) =>
    route.httpPart === 'body' && describedOnly.has(route.schema as object)
      ? (data: unknown) => ({ value: data })
      : validatorCompiler(route as Parameters<typeof validatorCompiler>[0]),
  );
  app.setSerializerCompiler(serializerCompiler);
}

/** The same instance, seen with zod-typed routes. */
export function typed(app: FastifyInstance): ClaspApp {
  return app.withTypeProvider<ZodTypeProvider>();
}
