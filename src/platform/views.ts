import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { assetUrl, nhsukDist } from './http/assets.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

export { nhsukDist, publicDir } from './http/assets.ts';

/**
 * Templates are found by path from src/features, so a page's template name says which
 * feature it belongs to ("reviews/views/overview.njk"); nhsuk-frontend's macros come
 * from its own package. `assetHref('/static/clasp.css')` gives a file's fingerprinted address.
 */
export function createViewEnvironment(): nunjucks.Environment {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader([path.join(here, 'views'), path.join(here, '..', 'features'), nhsukDist], {
      noCache: false,
    }),
    { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true },
  );
  env.addGlobal('assetHref', assetUrl);
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
