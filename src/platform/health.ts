import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { DatabaseHandle, DatabaseKind } from './db/database.ts';

/** Whether Clasp can use its database, and which kind it is. */
export interface Health {
  status: 'ok' | 'unavailable';
  database: DatabaseKind;
}

/** Asks the database to answer: what /health reports to monitors and the "Service status" page shows people. */
export async function checkHealth(database: DatabaseHandle, log: FastifyBaseLogger): Promise<Health> {
  try {
    await database.check();
    return { status: 'ok', database: database.kind };
  } catch (error) {
    log.error({ err: error }, 'health check failed');
    return { status: 'unavailable', database: database.kind };
  }
}

/** GET /health: 200 when the database answers, 503 when it does not. */
export function healthRoutes(app: FastifyInstance, database: DatabaseHandle): void {
  app.get('/health', async (request, reply) => {
    const health = await checkHealth(database, request.log);
    return health.status === 'ok' ? health : reply.code(503).send(health);
  });
}
