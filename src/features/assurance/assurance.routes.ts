import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';

export async function assuranceRoutes(_app: FastifyInstance, _ctx: AppContext): Promise<void> {}
