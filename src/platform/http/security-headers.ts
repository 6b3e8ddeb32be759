import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { assetUrl, nhsukDist } from './assets.ts';

/**
 * The layout's inline script (layout.njk): it starts the design system's components.
 * The layout writes exactly this text, so its hash in the Content Security Policy lets it run
 * and nothing else inline: no per-response nonce, so a kept page goes out as it was kept.
 */
export function designSystemStart(): string {
  return `import { initAll } from '${assetUrl('/assets/nhsuk-frontend.min.js')}'; initAll();`;
}

/**
 * The design system's own inline script (its template.njk marks the body as having scripts),
 * read from the installed version, so an upgrade that changes it changes its hash too.
 */
export function designSystemBodyScript(): string {
  const template = fs.readFileSync(path.join(nhsukDist, 'nhsuk', 'template.njk'), 'utf8');
  const found = /<script[^>]*>([^<]*)<\/script>/.exec(template)?.[1];
  if (found === undefined || found.includes('{')) {
    throw new Error('The design system template has no fixed inline script: check security-headers.ts.');
  }
  return found;
}

/** The CSP source allowing an inline script of exactly this text. */
export function scriptHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * A Content Security Policy that lets a page load only Clasp's own scripts, styles, images and
 * fonts, and run only the two inline scripts every page has (by their hashes). Nothing is loaded from
 * another origin (the design system's Frutiger font is not used: see selfContainedStyles in
 * assets.ts). The directives are in the order Helmet wrote them before.
 */
export function contentSecurityPolicy(): string {
  return [
    "default-src 'self'",
    "base-uri 'self'",
    "font-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "img-src 'self' data:",
    "object-src 'none'",
    `script-src 'self' ${scriptHash(designSystemBodyScript())} ${scriptHash(designSystemStart())}`,
    "script-src-attr 'none'",
    "style-src 'self'",
  ].join(';');
}

/**
 * Every answer's security headers, the same for every answer: the values Helmet gave them
 * (helmet 8 with Clasp's settings), worked out once per process instead of per request. The
 * Content Security Policy is worked out on the first answer, since it names the design system's
 * script by its hash. A route may still set its own (downloads set a stricter policy).
 */
export function securityHeaders(): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(),
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'origin-agent-cluster': '?1',
    'referrer-policy': 'no-referrer',
    'strict-transport-security': 'max-age=31536000; includeSubDomains',
    'x-content-type-options': 'nosniff',
    'x-dns-prefetch-control': 'off',
    'x-download-options': 'noopen',
    'x-frame-options': 'SAMEORIGIN',
    'x-permitted-cross-domain-policies': 'none',
    'x-xss-protection': '0',
  };
}

/**
 * Sets the security headers on every answer, as the request arrives (before anything can
 * answer it), on the response itself, so a header the route sets replaces its value.
 */
export function registerSecurityHeaders(app: FastifyInstance): void {
  let headers: [string, string][] | null = null;
  app.addHook('onRequest', (_request, reply, done) => {
    headers ??= Object.entries(securityHeaders());
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
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
