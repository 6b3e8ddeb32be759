import type { FastifyInstance, FastifyReply } from 'fastify';
import type nunjucks from 'nunjucks';
import type { Actor } from '../../domain/permissions.ts';
import { KEPT_FORM_COOKIE } from '../auth/kept-forms.ts';
import { renderView } from '../views.ts';
import type { KeptPage, PageCache, PageSlots } from '../page-cache.ts';
import {
  addVary,
  markNegotiated,
  mayCompressPersonal,
  MIN_COMPRESSED_BYTES,
  negotiateEncoding,
} from './compression.ts';
import { clearConfirmation, pendingConfirmation } from './confirmations.ts';

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
    /** Renders a page with the layout's shared context (CSRF token, the person's name) and sends it as HTML. */
    page(template: string, context: PageContext, statusCode?: number): Promise<FastifyReply>;
    /**
     * Sends the page kept under `key`, or builds, renders and keeps it. The key must change
     * whenever anything the page shows changes (see reviews.service pageKey).
     */
    cachedPage(key: string, template: string, build: () => Promise<PageContext>): Promise<FastifyReply>;
    /**
     * Sends the JSON kept under `key`, or builds and keeps it, in the same byte budget as pages.
     * `build` gives the answer already checked against the route's schema (nothing else is sent).
     */
    cachedJson(key: string, build: () => Promise<unknown>): Promise<FastifyReply>;
  }
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text as Nunjucks autoescaping does, for values spliced into kept pages. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

export interface PageRendererOptions {
  /** How many My work items a person has, for the header's "My work (3)"; no count when absent. */
  countMyWork?: (actor: Actor) => Promise<number>;
}

/** `reply.page` and `reply.cachedPage`: a template rendered in the layout with this response's own values. */
export function registerPageRenderer(
  app: FastifyInstance,
  views: nunjucks.Environment,
  pages: PageCache,
  options: PageRendererOptions = {},
): void {
  function render(reply: FastifyReply, template: string, context: PageContext, slots: PageSlots): Promise<string> {
    // Every page of a review sits under the header's "Reviews" section.
    const url = reply.request.url;
    const section = url.startsWith('/reviews') ? 'reviews' : url.startsWith('/admin') ? 'admin' : undefined;
    const actor = reply.request.actor;
    const kept = reply.request.keptForm;
    return renderView(views, template, {
      ...context,
      // A form kept when the session ended, shown again on this page: the layout says so.
      keptForm: kept?.shown ? { fileLeftOut: kept.form.fileLeftOut } : null,
      navCurrent: context.navCurrent ?? section,
      csrfToken: slots.csrf,
      currentUser: actor ? { name: slots.user, isAdmin: actor.isAdmin } : null,
      // HTML rendered from the confirmation template with autoescaping (or a kept page's placeholder).
      confirmationHtml: slots.confirmation,
      myWorkCount: slots.myWorkCount,
    });
  }

  /** " (3)" for the header's My work link, or empty: a count that cannot be had leaves the page as it is. */
  async function myWorkCountOf(reply: FastifyReply, statusCode: number): Promise<string> {
    const actor = reply.request.actor;
    // Not on the problem page: whatever failed may be what the count needs.
    if (!actor || !options.countMyWork || statusCode >= 500) return '';
    try {
      const count = await options.countMyWork(actor);
      return count > 0 ? ` (${String(count)})` : '';
    } catch (error) {
      reply.log.error({ err: error }, 'could not count the My work items for the header');
      return '';
    }
  }

  /**
   * The success banner for the person's last change, on the first page they see after it (see
   * confirmations.ts): not on an error page, nor on the answer to a form.
   */
  async function confirmationOf(reply: FastifyReply, statusCode: number): Promise<string> {
    const request = reply.request;
    if (request.method !== 'GET' || statusCode >= 400) return '';
    const text = pendingConfirmation(request, reply);
    if (text === null) return '';
    clearConfirmation(reply);
    return renderView(views, 'confirmation.njk', { confirmation: text });
  }

  /**
   * This response's own values: the CSRF token, the signed-in person's name, the
   * banner confirming their last change and their count of My work items. Names are escaped
   * when they go into a kept page, which was rendered with placeholders.
   */
  async function slotsOf(reply: FastifyReply, statusCode: number, escapeText: boolean): Promise<PageSlots> {
    const name = reply.request.actor?.name ?? '';
    const [confirmation, count] = await Promise.all([
      confirmationOf(reply, statusCode),
      myWorkCountOf(reply, statusCode),
    ]);
    return {
      csrf: reply.request.csrfToken,
      user: escapeText ? escapeHtml(name) : name,
      confirmation,
      myWorkCount: escapeText ? escapeHtml(count) : count,
    };
  }

  app.decorateReply(
    'page',
    async function page(this: FastifyReply, template: string, context: PageContext, statusCode = 200) {
      const html = await render(this, template, context, await slotsOf(this, statusCode, false));
      if (this.request.keptForm?.shown) this.clearCookie(KEPT_FORM_COOKIE, { path: '/' });
      // Sent as bytes: Fastify would otherwise measure and encode the string again on every send.
      return this.code(statusCode).type('text/html; charset=utf-8').send(Buffer.from(html, 'utf8'));
    },
  );

  /**
   * Sends a kept page with this response's values: as gzip put together from its pieces
   * compressed once (gzip-pieces.ts) when the browser takes gzip at least as gladly as Brotli;
   * otherwise as it is, for the compression hook to compress per response (Brotli for a
   * browser that takes only that).
   */
  function sendKept(reply: FastifyReply, kept: KeptPage, values: PageSlots, type: string): FastifyReply {
    reply.code(200).type(type);
    const request = reply.request;
    if (kept.textBytes >= MIN_COMPRESSED_BYTES && mayCompressPersonal(request)) {
      if (negotiateEncoding(request.headers['accept-encoding'], ['gzip', 'br']) === 'gzip') {
        const gzip = kept.gzip(values);
        if (gzip) {
          markNegotiated(reply);
          addVary(reply, 'Accept-Encoding');
          return reply.header('content-encoding', 'gzip').send(gzip);
        }
      }
    }
    return reply.send(kept.fill(values));
  }

  app.decorateReply(
    'cachedPage',
    async function cachedPage(this: FastifyReply, key: string, template: string, build: () => Promise<PageContext>) {
      const values = await slotsOf(this, 200, true);
      let kept = pages.find(key);
      if (!kept) {
        const html = await render(this, template, await build(), pages.placeholders);
        kept = pages.keep(key, html);
      }
      return sendKept(this, kept, values, 'text/html; charset=utf-8');
    },
  );

  // JSON has none of a page's per-response values; each slot is left empty.
  const noSlots: PageSlots = { csrf: '', user: '', confirmation: '', myWorkCount: '' };
  app.decorateReply('cachedJson', async function cachedJson(this: FastifyReply, key: string, build) {
    const jsonKey = `json|${key}`;
    const kept = pages.find(jsonKey) ?? pages.keep(jsonKey, JSON.stringify(await build()));
    return sendKept(this, kept, noSlots, 'application/json; charset=utf-8');
  });
}
