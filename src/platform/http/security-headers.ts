import type { FastifyInstance } from 'fastify';
import fastifyHelmet from '@fastify/helmet';

/**
 * Helmet's headers with a Content Security Policy that lets a page load only Clasp's own
 * scripts, styles, images and fonts, with a nonce per response for the layout's inline scripts.
 * Every directive is written out: Helmet's defaults would otherwise add `https:` to font-src
 * and style-src, letting a page load from any host. Nothing is loaded from another origin (the
 * design system's Frutiger font is not used: see selfContainedStyles in assets.ts).
 */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(fastifyHelmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        fontSrc: ["'self'"],
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
}

/**
 * Nothing Clasp answers is kept by the browser or a proxy unless the answer says so itself:
 * pages and API answers name people and failures of care, so every answer without its own
 * Cache-Control (static files, the ratings stylesheet and downloads set theirs) is `no-store`.
 */
export function registerNoStore(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
}
