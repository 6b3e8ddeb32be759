import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from './db/database.ts';

/** GET /health: 200 when the database answers, 503 when it does not. */
export function healthRoutes(app: FastifyInstance, database: DatabaseHandle): void {
  app.get('/health', async (request, reply) => {
    try {
      await database.check();
      return { status: 'ok', database: database.kind };
    } catch (error) {
      request.log.error({ err: error }, 'health check failed');
      return reply.code(503).send({ status: 'unavailable', database: database.kind });
    }
  });
}
