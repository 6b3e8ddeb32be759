import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
} from 'fastify';
import type { RawServerDefault } from 'fastify';
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

/** Zod checks requests and writes answers for every route. */
export function registerSchemaCompilers(app: FastifyInstance): void {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
}

/** The same instance, seen with zod-typed routes. */
export function typed(app: FastifyInstance): ClaspApp {
  return app.withTypeProvider<ZodTypeProvider>();
}
