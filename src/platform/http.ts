import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifyHelmet from '@fastify/helmet';
import type nunjucks from 'nunjucks';
import { nhsukDist, publicDir, renderView } from './views.ts';
import fastifyFormbody from '@fastify/formbody';
import fastifyMultipart from '@fastify/multipart';
import type { PageCache, PageSlots } from './page-cache.ts';
import { CsrfError, ForbiddenError } from './auth/plugin.ts';

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

/** A file sent with a multipart form, read into memory (never more than the upload limit plus one chunk). */
export interface UploadedFile {
  fileName: string;
  declaredType: string;
  bytes: Buffer;
  /** True when the file was larger than the upload limit and was cut short. */
  truncated: boolean;
}

/** A text field of a parsed form, urlencoded or multipart; '' when absent. */
export function formText(body: unknown, name: string): string {
  if (!body || typeof body !== 'object') return '';
  const value = (body as Record<string, unknown>)[name];
  const one = Array.isArray(value) ? value[0] : value;
  if (typeof one === 'string') return one;
  if (one && typeof one === 'object' && 'value' in one && typeof one.value === 'string') return one.value;
  return '';
}

/** Every value of a repeated field (checkboxes), urlencoded or multipart. */
export function formList(body: unknown, name: string): string[] {
  if (!body || typeof body !== 'object') return [];
  const value = (body as Record<string, unknown>)[name];
  const all = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return all
    .map((v: unknown) => (typeof v === 'string' ? v : v && typeof v === 'object' && 'value' in v && typeof v.value === 'string' ? v.value : null))
    .filter((v): v is string => v !== null);
}

/** The file of a multipart form field, or null when none was chosen. */
export function formFile(body: unknown, name: string): UploadedFile | null {
  if (!body || typeof body !== 'object') return null;
  const value = (body as Record<string, unknown>)[name];
  const one = Array.isArray(value) ? value[0] : value;
  if (!one || typeof one !== 'object' || !('value' in one)) return null;
  const file = one.value as UploadedFile | undefined;
  if (!file || !Buffer.isBuffer(file.bytes)) return null;
  // A file input left empty still sends a part with no name and no bytes.
  if (file.fileName === '' && file.bytes.length === 0) return null;
  return file;
}

const nhsukAllowed = /^\/(images\/[\w.-]+|manifest\.json|nhsuk-frontend\.min\.(css|js)(\.map)?)$/;

/** Security headers, static files, the page renderer and the error pages. */
export interface HttpPlatformOptions {
  uploadLimitBytes: number;
}

export async function registerHttpPlatform(
  app: FastifyInstance,
  views: nunjucks.Environment,
  pages: PageCache,
  options: HttpPlatformOptions,
): Promise<void> {
  await app.register(fastifyFormbody);
  await app.register(fastifyMultipart, {
    attachFieldsToBody: true,
    throwFileSizeLimit: false,
    limits: { fileSize: options.uploadLimitBytes, files: 1, fields: 50, fieldSize: 1_000_000, parts: 60 },
    // Files are read into memory within the upload limit; a longer one is cut short and marked.
    async onFile(part) {
      const chunks: Buffer[] = [];
      for await (const chunk of part.file) chunks.push(chunk as Buffer);
      const file: UploadedFile = { fileName: part.filename, declaredType: part.mimetype, bytes: Buffer.concat(chunks), truncated: part.file.truncated };
      (part as unknown as { value: UploadedFile }).value = file;
    },
  });

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

  function render(reply: FastifyReply, template: string, context: PageContext, slots: PageSlots): Promise<string> {
    // Every page of a review sits under the header's "Reviews" section.
    const url = reply.request.url;
    const navCurrent = context.navCurrent ?? (url.startsWith('/reviews') ? 'reviews' : url.startsWith('/admin') ? 'admin' : undefined);
    const actor = reply.request.actor;
    return renderView(views, template, {
      ...context,
      navCurrent,
      cspNonce: slots.nonce,
      csrfToken: slots.csrf,
      currentUser: actor ? { name: slots.user, isAdmin: actor.isAdmin } : null,
    });
  }

  /** This response's own values: the nonce, the CSRF token and the signed-in person's name. */
  function slotsOf(reply: FastifyReply, escapeName: boolean): PageSlots {
    const name = reply.request.actor?.name ?? '';
    return {
      nonce: reply.cspNonce?.script ?? '',
      csrf: reply.request.csrfToken,
      user: escapeName ? escapeHtml(name) : name,
    };
  }

  app.decorateReply('page', async function page(this: FastifyReply, template: string, context: PageContext, statusCode = 200) {
    const html = await render(this, template, context, slotsOf(this, false));
    // Sent as bytes: Fastify would otherwise measure and encode the string again on every send.
    return this.code(statusCode).type('text/html; charset=utf-8').send(Buffer.from(html, 'utf8'));
  });

  app.decorateReply('cachedPage', async function cachedPage(this: FastifyReply, key: string, template: string, build: () => Promise<PageContext>) {
    const values = slotsOf(this, true);
    let body = pages.get(key, values);
    if (!body) {
      const html = await render(this, template, await build(), pages.placeholders);
      body = pages.set(key, html, values);
    }
    return this.code(200).type('text/html; charset=utf-8').send(body);
  });

  app.setNotFoundHandler(async (_request: FastifyRequest, reply: FastifyReply) => {
    return reply.page('errors/not-found.njk', { pageTitle: 'Page not found' }, 404);
  });

  app.setErrorHandler(async (error: Error & { statusCode?: number; validation?: unknown }, request, reply) => {
    if (error instanceof NotFoundError) {
      if (wantsJson(request)) return reply.code(404).send({ error: error.message });
      return reply.page('errors/not-found.njk', { pageTitle: 'Page not found' }, 404);
    }
    if (error instanceof ForbiddenError || error instanceof CsrfError) {
      if (wantsJson(request)) return reply.code(403).send({ error: error.message });
      const pageTitle = error instanceof CsrfError ? 'The form could not be sent' : 'You cannot do that';
      return reply.page('errors/forbidden.njk', { pageTitle, message: error.message }, 403);
    }
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ err: error }, 'request failed');
    if (wantsJson(request)) {
      return reply.code(status).send({ error: status === 500 ? 'Something went wrong' : error.message });
    }
    if (status === 404 || error.validation) {
      return reply.page('errors/not-found.njk', { pageTitle: 'Page not found' }, 404);
    }
    return reply.page('errors/problem.njk', { pageTitle: 'Sorry, there is a problem with the service', requestId: request.id }, status);
  });
}

function wantsJson(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/') || request.headers.accept === 'application/json';
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text as Nunjucks autoescaping does, for values spliced into kept pages. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}
