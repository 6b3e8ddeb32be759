import type { FastifyInstance, FastifyReply } from 'fastify';
import type nunjucks from 'nunjucks';
import { KEPT_FORM_COOKIE } from '../auth/kept-forms.ts';
import { renderView } from '../views.ts';
import type { PageCache, PageSlots } from '../page-cache.ts';

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

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text as Nunjucks autoescaping does, for values spliced into kept pages. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** `reply.page` and `reply.cachedPage`: a template rendered in the layout with this response's own values. */
export function registerPageRenderer(app: FastifyInstance, views: nunjucks.Environment, pages: PageCache): void {
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
      cspNonce: slots.nonce,
      csrfToken: slots.csrf,
      currentUser: actor ? { name: slots.user, isAdmin: actor.isAdmin } : null,
    });
  }

  /** This response's own values: the nonce, the CSRF token and the signed-in person's name. */
  function slotsOf(reply: FastifyReply, escapeName: boolean): PageSlots {
    const name = reply.request.actor?.name ?? '';
    // Helmet sets the nonce in its onRequest hook, so a page sent before that hook ran (for an error
    // in an earlier hook) has none, although @fastify/helmet's types say there always is one.
    const nonce = reply.cspNonce as FastifyReply['cspNonce'] | null;
    return {
      nonce: nonce?.script ?? '',
      csrf: reply.request.csrfToken,
      user: escapeName ? escapeHtml(name) : name,
    };
  }

  app.decorateReply(
    'page',
    async function page(this: FastifyReply, template: string, context: PageContext, statusCode = 200) {
      const html = await render(this, template, context, slotsOf(this, false));
      if (this.request.keptForm?.shown) this.clearCookie(KEPT_FORM_COOKIE, { path: '/' });
      // Sent as bytes: Fastify would otherwise measure and encode the string again on every send.
      return this.code(statusCode).type('text/html; charset=utf-8').send(Buffer.from(html, 'utf8'));
    },
  );

  app.decorateReply(
    'cachedPage',
    async function cachedPage(this: FastifyReply, key: string, template: string, build: () => Promise<PageContext>) {
      const values = slotsOf(this, true);
      let body = pages.get(key, values);
      if (!body) {
        const html = await render(this, template, await build(), pages.placeholders);
        body = pages.set(key, html, values);
      }
      return this.code(200).type('text/html; charset=utf-8').send(body);
    },
  );
}
