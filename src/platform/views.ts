import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** The folder holding nhsuk-frontend's templates, styles, scripts and assets. */
export const nhsukDist = path.join(path.dirname(require.resolve('nhsuk-frontend/package.json')), 'dist');

export const publicDir = path.join(here, 'public');

/**
 * Templates are found by path from src/features, so a page's template name says which
 * feature it belongs to ("reviews/views/overview.njk"); nhsuk-frontend's macros come
 * from its own package.
 */
export function createViewEnvironment(): nunjucks.Environment {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader([path.join(here, 'views'), path.join(here, '..', 'features'), nhsukDist], {
      noCache: false,
    }),
    { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true },
  );
  return env;
}

export function renderView(env: nunjucks.Environment, template: string, context: object): Promise<string> {
  return new Promise((resolve, reject) => {
    env.render(template, context, (error, html) => {
      if (error) reject(error);
      else resolve(html ?? '');
    });
  });
}
