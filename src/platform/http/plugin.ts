import type { FastifyInstance } from 'fastify';
import type nunjucks from 'nunjucks';
import type { PageCache } from '../page-cache.ts';
import { registerApiConventions } from './api-conventions.ts';
import { registerCompression } from './compression.ts';
import { registerErrorPages, type RefusalRecorder } from './errors.ts';
import { registerFormBodies } from './form-bodies.ts';
import { registerBodyGuard } from './input-guard.ts';
import { registerPageRenderer, type PageRendererOptions } from './pages.ts';
import { registerRatingStyles } from './rating-styles.ts';
import { registerNoStore, registerSecurityHeaders } from './security-headers.ts';
import { registerStaticFiles } from './static-files.ts';

export interface HttpPlatformOptions extends PageRendererOptions {
  uploadLimitBytes: number;
  /** Records each request refused with 403 (security events). */
  onRefused?: RefusalRecorder;
}

/**
 * The API's conventions (request ids, problems, ETags), forms and uploads, security headers,
 * compression, static files, the page renderer and the error pages, in that order.
 */
export async function registerHttpPlatform(
  app: FastifyInstance,
  views: nunjucks.Environment,
  pages: PageCache,
  options: HttpPlatformOptions,
): Promise<void> {
  // First, so its onSend sees each answer before compression does.
  registerApiConventions(app);
  await registerFormBodies(app, options.uploadLimitBytes);
  registerBodyGuard(app);
  registerSecurityHeaders(app);
  registerNoStore(app);
  registerCompression(app);
  registerStaticFiles(app);
  registerRatingStyles(app);
  registerPageRenderer(app, views, pages, { countMyWork: options.countMyWork });
  registerErrorPages(app, options.onRefused);
}
