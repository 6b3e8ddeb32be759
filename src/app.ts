import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { dateInEngland } from './domain/dates.ts';
import type { DatabaseHandle } from './platform/db/database.ts';
import { registerHttpPlatform } from './platform/http/plugin.ts';
import { requestIdFrom } from './platform/http/api-conventions.ts';
import { recordSecurityEvent } from './platform/security-events.ts';
import { serializeRequest } from './platform/http/log-redaction.ts';
import { registerSchemaCompilers, typed, type ClaspApp } from './platform/http/typed-app.ts';
import { registerAddressGuard } from './platform/http/input-guard.ts';
import { healthRoutes } from './platform/health.ts';
import { createViewEnvironment } from './platform/views.ts';
import { PlanCache } from './features/reviews/plan-cache.ts';
import { PageCache } from './platform/page-cache.ts';
import { reviewsRoutes } from './features/reviews/reviews.routes.ts';
import { myWorkRoutes } from './features/my-work/my-work.routes.ts';
import { countMyWork } from './features/my-work/my-work.service.ts';
import { searchRoutes } from './features/search/search.routes.ts';
import { recommendationsRoutes } from './features/recommendations/recommendations.routes.ts';
import { actionsRoutes } from './features/actions/actions.routes.ts';
import { findingsRoutes } from './features/findings/findings.routes.ts';
import { groupsRoutes } from './features/groups/groups.routes.ts';
import { registerAuth } from './platform/auth/plugin.ts';
import {
  resolveApiToken,
  resolveSession,
  watchSessionChanges,
  type SessionRecord,
} from './features/accounts/sessions.service.ts';
import { SessionCache, sessionWritesPlugin } from './platform/auth/session-cache.ts';
import { signInRoutes } from './features/accounts/sign-in.routes.ts';
import { publicBase } from './features/accounts/accounts.service.ts';
import { SingleSignOn } from './features/sso/sso.service.ts';
import { ssoRoutes } from './features/sso/sso.routes.ts';
import type { AppContext } from './features/context.ts';
import { accountsRoutes } from './features/accounts/accounts.routes.ts';
import { adminRoutes } from './features/admin/admin.routes.ts';
import { membersRoutes } from './features/members/members.routes.ts';
import { auditRoutes } from './features/audit/audit.routes.ts';
import { remindersRoutes } from './features/reminders/reminders.routes.ts';
import { meetingsRoutes } from './features/meetings/meetings.routes.ts';
import { organisationsRoutes } from './features/organisations/organisations.routes.ts';
import { importsRoutes } from './features/imports/imports.routes.ts';
import { versionsRoutes } from './features/outputs/versions/versions.routes.ts';
import { documentsRoutes } from './features/outputs/documents.routes.ts';
import { questionsRoutes } from './features/questions/questions.routes.ts';
import { servicePagesRoutes } from './features/service-pages/service-pages.routes.ts';
import { claspVersion } from './features/service-pages/service-pages.service.ts';
import { apiDocsRoutes } from './features/api-docs/api-docs.routes.ts';
import { registerOpenApi } from './platform/http/openapi.ts';
import { declareRouteAccess, recordRoutes, type RouteSummary } from './platform/route-access.ts';

/** Pages anyone may open without signing in. */

export type { RouteSummary } from './platform/route-access.ts';

declare module 'fastify' {
  interface FastifyInstance {
    routeList: RouteSummary[];
  }
}

export interface AppDependencies {
  config: Config;
  database: DatabaseHandle;
  /** The current time; injectable so tests and reports can fix it. Defaults to the system clock. */
  now?: () => Date;
  /**
   * Today's date as YYYY-MM-DD in England; injectable so reports can be reproduced for a given day.
   * Defaults to the date in England of `now`.
   */
  today?: () => string;
  logger?: boolean | object;
}

/**
 * The system clock: the application's default for `now`, and the one place outside migrations,
 * tests and benchmarks where it reads the time (command-line entry points use it too).
 */
export const systemClock = (): Date => new Date();

/** Today's date in England as YYYY-MM-DD ('en-CA' formats dates in that order). */
export function todayInEngland(now: Date): string {
  return dateInEngland(now);
}

/** How often each instance reads the changes to sessions other processes made (session_changes). */
const SESSION_CHANGES_EVERY_MS = 1000;

/** The composition root: every plugin and feature is registered here, explicitly. */
export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const logger = deps.logger ?? { level: deps.config.logLevel };
  const app = Fastify({
    // Every request's address is logged with its secrets (a set-password link's token) redacted.
    logger: logger === false ? false : { ...(logger === true ? {} : logger), serializers: { req: serializeRequest } },
    // A trusted proxy's well-formed X-Request-Id is kept, so one id follows a request end to end.
    genReqId: (request) => requestIdFrom(request, deps.config.trustProxy),
    requestIdHeader: false,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    trustProxy: deps.config.trustProxy,
    // Time limits (README "Run it in production"). A whole request, a 25 MB upload on a slow link
    // included, must arrive within requestTimeout; a socket may sit idle no longer either.
    requestTimeout: deps.config.requestTimeoutMs,
    connectionTimeout: deps.config.requestTimeoutMs,
    // Longer than the 60 seconds a reverse proxy (nginx, a cloud load balancer) keeps an idle
    // connection to Clasp open, so the proxy, not Clasp, closes it and never reuses a closed one.
    keepAliveTimeout: 72_000,
    http: {
      // A client sending its headers too slowly (slowloris) is answered 408 and disconnected.
      headersTimeout: deps.config.headerTimeoutMs,
      requestTimeout: deps.config.requestTimeoutMs,
      // Node checks those two limits this often (30 seconds by default, too coarse for a short limit).
      connectionsCheckingInterval: Math.min(1000, deps.config.headerTimeoutMs / 2),
    },
  });
  // Every route, as registered, with who may use it and the file that registers it: `clasp routes`
  // lists them and the permission tests walk them all. A route that does not say who may use it stops the start.
  registerSchemaCompilers(app);
  // Before anything reads the request (the session lookup included): an address with NUL in it is refused.
  registerAddressGuard(app);
  const routes: RouteSummary[] = [];
  app.decorate('routeList', routes);
  app.addHook('onRoute', recordRoutes(routes));
  // The JSON API's OpenAPI description, collected from every /api route's schemas as it is registered.
  await registerOpenApi(app, { version: claspVersion() });
  const views = createViewEnvironment();
  const { config } = deps;
  // Sessions resolved from memory for a few seconds: any write through this handle to a session,
  // an account or a membership forgets them at once; other processes' writes within a second.
  const sessionRecords = new SessionCache<SessionRecord>({ ttlMs: config.sessionCacheSeconds * 1000 });
  const db = sessionRecords.enabled
    ? deps.database.db.withPlugin(sessionWritesPlugin(() => sessionRecords.forgetAll()))
    : deps.database.db;
  if (sessionRecords.enabled) {
    const watch = watchSessionChanges(db, sessionRecords, {
      intervalMs: SESSION_CHANGES_EVERY_MS,
      onError: (error) =>
        app.log.warn({ err: error }, 'could not read changes to sessions; reading each session again'),
    });
    app.addHook('onClose', (_instance, done) => {
      watch.stop();
      done();
    });
  }
  const now = deps.now ?? systemClock;
  const sessions = { idleMinutes: config.sessionIdleMinutes, maxHours: config.sessionMaxHours };
  const alwaysSecureCookies = config.publicUrl?.startsWith('https://') ?? false;
  await registerAuth(app, {
    resolveSession: (token) =>
      resolveSession(db, sessions, token, now(), sessionRecords.enabled ? sessionRecords : undefined),
    resolveApiToken: (token, request) =>
      resolveApiToken(
        db,
        token,
        { ip: request.ip, userAgent: request.headers['user-agent'] ?? null, requestId: request.id },
        now(),
      ),
    // Each route says who may use it; the public ones (sign-in, password reset, health) need no session.
    isPublic: (request) => request.routeOptions.config.access === 'public',
    alwaysSecure: alwaysSecureCookies,
    db,
    now,
    signInTemplate: 'accounts/views/sign-in.njk',
  });
  const ctx: AppContext = {
    config,
    db,
    staleDays: deps.config.staleDays,
    now,
    today: deps.today ?? (() => todayInEngland(now())),
    plans: new PlanCache(deps.config.planCacheSize),
  };
  // Signed-in pages warn before the session's idle limit (public/idle-warning.js).
  views.addGlobal('sessionIdleMinutes', config.sessionIdleMinutes);
  await registerHttpPlatform(app, views, new PageCache(config.pageCacheMegabytes * 1024 * 1024), {
    uploadLimitBytes: config.uploadLimitBytes,
    // The header's "My work (3)" on signed-in pages: the platform is given the count, not the feature.
    countMyWork: (actor) => countMyWork(ctx, actor),
    // A refused request is a security event; failing to record it must not change the answer.
    onRefused: async (request, reason) => {
      const event = {
        kind: 'refused' as const,
        userId: request.actor?.userId ?? null,
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        method: request.method,
        path: request.url.split('?')[0] ?? request.url,
        detail: { reason },
        requestId: request.id,
      };
      await recordSecurityEvent(db, event, now()).catch((error: unknown) => {
        request.log.error({ err: error }, 'could not record a refused request');
      });
    },
  });

  // The health check is for load balancers and monitors, which do not sign in.
  declareRouteAccess(app, '/health', 'public');
  await app.register(routesPlugin(healthRoutes, deps.database));
  // Signing in with an OpenID Connect provider, when CLASP_OIDC_ISSUER is set (docs/sign-in.md).
  const base = publicBase(config);
  const sso = config.oidc
    ? new SingleSignOn(
        { oidc: config.oidc, redirectUri: `${base}/sign-in/sso/callback`, signedOutUri: `${base}/signed-out` },
        now,
      )
    : null;
  await app.register(routesPlugin(signInRoutes, { db, now, sessions, alwaysSecureCookies, sso }));
  await app.register(routesPlugin(ssoRoutes, { db, now, sessions, alwaysSecureCookies, sso }));
  await app.register(routesPlugin(reviewsRoutes, ctx));
  await app.register(routesPlugin(myWorkRoutes, ctx));
  await app.register(routesPlugin(searchRoutes, ctx));
  await app.register(routesPlugin(recommendationsRoutes, ctx));
  await app.register(routesPlugin(actionsRoutes, ctx));
  await app.register(routesPlugin(findingsRoutes, ctx));
  await app.register(routesPlugin(groupsRoutes, ctx));
  await app.register(routesPlugin(accountsRoutes, ctx));
  await app.register(routesPlugin(adminRoutes, ctx));
  await app.register(routesPlugin(membersRoutes, ctx));
  await app.register(routesPlugin(auditRoutes, ctx));
  await app.register(routesPlugin(remindersRoutes, ctx));
  await app.register(routesPlugin(meetingsRoutes, ctx));
  await app.register(routesPlugin(organisationsRoutes, ctx));
  await app.register(routesPlugin(importsRoutes, ctx));
  await app.register(routesPlugin(versionsRoutes, ctx));
  await app.register(routesPlugin(documentsRoutes, ctx));
  await app.register(routesPlugin(questionsRoutes, ctx));
  // The JSON API's description and reference page, at /api/openapi.json and /api.
  await app.register(routesPlugin(apiDocsRoutes, undefined));
  // The pages linked from every page's footer: accessibility, privacy, cookies, help and status.
  await app.register(routesPlugin(servicePagesRoutes, { config, db, database: deps.database, now }));
  return app;
}

/**
 * A feature's routes as a Fastify plugin with a scope of its own. Fastify waits for the promise a
 * plugin returns (one that neither returns a promise nor takes a callback never finishes loading),
 * so routes registered at once are awaited here too.
 */
function routesPlugin<C>(routes: (app: ClaspApp, context: C) => void | Promise<void>, context: C) {
  return async (scope: FastifyInstance): Promise<void> => {
    await routes(typed(scope), context);
  };
}
