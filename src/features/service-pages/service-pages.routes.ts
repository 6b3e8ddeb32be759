import type { ClaspApp } from '../../platform/http/typed-app.ts';
import {
  presentAccessibility,
  presentCookiesPage,
  presentHelp,
  presentPrivacy,
  presentStatus,
} from './service-pages.presenter.ts';
import { coordinatorsFor, serviceStatus, type ServicePagesContext } from './service-pages.service.ts';

/*
 * The pages every service has, linked from the footer of every page: the accessibility
 * statement, the privacy notice, the cookies Clasp sets, help and contact, and the service's
 * status. Anyone may read them, signed in or not, and none needs JavaScript. They are top-level
 * pages, like My work and Your account, so they carry no breadcrumbs.
 */
export function servicePagesRoutes(app: ClaspApp, ctx: ServicePagesContext): void {
  const publicPage = { config: { access: 'public' as const } };

  app.get('/accessibility', publicPage, async (_request, reply) =>
    reply.page('service-pages/views/accessibility.njk', presentAccessibility(ctx.config)),
  );

  app.get('/privacy', publicPage, async (_request, reply) =>
    reply.page('service-pages/views/privacy.njk', presentPrivacy(ctx.config)),
  );

  app.get('/cookies', publicPage, async (_request, reply) =>
    reply.page('service-pages/views/cookies.njk', presentCookiesPage(ctx.config)),
  );

  app.get('/help', publicPage, async (request, reply) =>
    reply.page(
      'service-pages/views/help.njk',
      presentHelp(ctx.config, request.actor !== null, await coordinatorsFor(ctx, request.actor)),
    ),
  );

  // For people; monitors use /health, which answers the same check in JSON. Like /health, it
  // answers 503 when the database cannot be reached.
  app.get('/status', publicPage, async (request, reply) => {
    const status = await serviceStatus(ctx, request.log);
    return reply.page('service-pages/views/status.njk', presentStatus(status), status.status === 'ok' ? 200 : 503);
  });
}
