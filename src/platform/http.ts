import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifyHelmet from '@fastify/helmet';
import type nunjucks from 'nunjucks';
import { nhsukDist, publicDir, renderView } from './views.ts';
import type { PageCache } from './page-cache.ts';

export interface Breadcrumb {
  text: string;
  href: string;
}

export interface PageContext {
  pageTitle: string;
  breadcrumbs?: Breadcrumb[];
  navCurrent?: string;
  [key: string]: unknown;
}

declare module 'fastify' {
  interface FastifyReply {
    /** Renders a page with the layout's shared context (CSP nonce) and sends it as HTML. */
    page(template: string, context: PageContext, statusCode?: number): Promise<FastifyReply>;
    /**
     * Sends the page kept under `key`, or builds, renders and keeps it. The key must change
     * whenever anything the page shows changes (see reviews.service pageKey).
     */
    cachedPage(key: string, template: string, build: () => Promise<PageContext>): Promise<FastifyReply>;
  }
}

export class NotFoundError extends Error {
  constructor(message = 'Page not found') {
    super(message);
  }
}

const nhsukAllowed = /^\/(images\/[\w.-]+|manifest\.json|nhsuk-frontend\.min\.(css|js)(\.map)?)$/;

/** Security headers, static files, the page renderer and the error pages. */
export async function registerHttpPlatform(app: FastifyInstance, views: nunjucks.Environment, pages: PageCache): Promise<void> {
  await app.register(fastifyHelmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    // Pages load their own scripts and styles only; nothing here is embedded elsewhere.
    crossOriginEmbedderPolicy: false,
  });

  await app.register(fastifyStatic, {
    root: [path.join(nhsukDist, 'nhsuk', 'assets'), path.join(nhsukDist, 'nhsuk')],
    prefix: '/assets/',
    allowedPath: (pathName) => nhsukAllowed.test(pathName),
    maxAge: '1d',
    index: false,
    list: false,
  });
  await app.register(fastifyStatic, {
    root: publicDir,
    prefix: '/static/',
    decorateReply: false,
    maxAge: '1h',
    index: false,
    list: false,
  });

  function render(reply: FastifyReply, template: string, context: PageContext, nonce: string): Promise<string> {
    // Every page of a review sits under the header's "Reviews" section.
    const navCurrent = context.navCurrent ?? (reply.request.url.startsWith('/reviews') ? 'reviews' : undefined);
    return renderView(views, template, { ...context, navCurrent, cspNonce: nonce });
  }

  app.decorateReply('page', async function page(this: FastifyReply, template: string, context: PageContext, statusCode = 200) {
    const html = await render(this, template, context, this.cspNonce?.script ?? '');
    // Sent as bytes: Fastify would otherwise measure and encode the string again on every send.
    return this.code(statusCode).type('text/html; charset=utf-8').send(Buffer.from(html, 'utf8'));
  });

  app.decorateReply('cachedPage', async function cachedPage(this: FastifyReply, key: string, template: string, build: () => Promise<PageContext>) {
    const nonce = this.cspNonce?.script ?? '';
    let body = pages.get(key, nonce);
    if (!body) {
      const html = await render(this, template, await build(), pages.placeholder);
      body = pages.set(key, html, nonce);
    }
    return this.code(200).type('text/html; charset=utf-8').send(body);
  });

  app.setNotFoundHandler(async (_request: FastifyRequest, reply: FastifyReply) => {
    return reply.page('errors/not-found.njk', { pageTitle: 'Page not found' }, 404);
  });

  app.setErrorHandler(async (error: Error & { statusCode?: number; validation?: unknown }, request, reply) => {
    if (error instanceof NotFoundError) {
      return reply.page('errors/not-found.njk', { pageTitle: 'Page not found' }, 404);
    }
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ err: error }, 'request failed');
    if (request.url.startsWith('/api/') || request.headers.accept === 'application/json') {
      return reply.code(status).send({ error: status === 500 ? 'Something went wrong' : error.message });
    }
    if (status === 404 || error.validation) {
      return reply.page('errors/not-found.njk', { pageTitle: 'Page not found' }, 404);
    }
    return reply.page('errors/problem.njk', { pageTitle: 'Sorry, there is a problem with the service', requestId: request.id }, status);
  });
}
