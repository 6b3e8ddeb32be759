import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import type { DatabaseHandle } from './platform/db/database.ts';
import { registerHttpPlatform } from './platform/http.ts';
import { healthRoutes } from './platform/health.ts';
import { createViewEnvironment } from './platform/views.ts';
import type { ReviewsContext } from './features/reviews/reviews.service.ts';
import { PlanCache } from './features/reviews/plan-cache.ts';
import { PageCache } from './platform/page-cache.ts';
import { reviewsRoutes } from './features/reviews/reviews.routes.ts';
import { recommendationsRoutes } from './features/recommendations/recommendations.routes.ts';
import { actionsRoutes } from './features/actions/actions.routes.ts';
import { findingsRoutes } from './features/findings/findings.routes.ts';

export interface AppDependencies {
  config: Config;
  database: DatabaseHandle;
  /** Today's date as YYYY-MM-DD in England; injectable so reports can be reproduced for a given day. */
  today?: () => string;
  logger?: boolean | object;
}

// Built once: constructing an Intl formatter costs more than formatting with it.
const englandDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's date in England as YYYY-MM-DD ('en-CA' formats dates in that order). */
export function todayInEngland(now = new Date()): string {
  return englandDate.format(now);
}

/** The composition root: every plugin and feature is registered here, explicitly. */
export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? { level: deps.config.logLevel },
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  });
  const views = createViewEnvironment();
  await registerHttpPlatform(app, views, new PageCache(deps.config.pageCacheMegabytes * 1024 * 1024));

  const ctx: ReviewsContext = {
    db: deps.database.db,
    staleDays: deps.config.staleDays,
    today: deps.today ?? (() => todayInEngland()),
    plans: new PlanCache(deps.config.planCacheSize),
  };
  await app.register(async (scope) => healthRoutes(scope, deps.database));
  await app.register(async (scope) => reviewsRoutes(scope, ctx));
  await app.register(async (scope) => recommendationsRoutes(scope, ctx));
  await app.register(async (scope) => actionsRoutes(scope, ctx));
  await app.register(async (scope) => findingsRoutes(scope, ctx));
  return app;
}
