import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Fastify from 'fastify';
import { listRoutes, routeMapMarkdown } from '../../src/cli-routes.ts';
import { recordRoutes, ROUTE_ACCESS, type RouteSummary } from '../../src/platform/route-access.ts';
import { ARCHITECTURE_DOC, routeMapIn } from '../../scripts/route-map.ts';

/*
 * The route list behind `clasp routes` and the route map in docs/ARCHITECTURE.md: each route
 * names the file that registers it, and the map is the one the command prints.
 */

const root = path.resolve(path.dirname(ARCHITECTURE_DOC), '..');

describe('the route list', () => {
  let routes: RouteSummary[];
  before(async () => {
    routes = await listRoutes();
  });

  it('names, for every route, the file that registers it', () => {
    const problems: string[] = [];
    for (const r of routes) {
      const file = path.join(root, r.file);
      if (!r.file.startsWith('src/') || !fs.existsSync(file)) {
        problems.push(`${r.method} ${r.url}: no file ${r.file}`);
        continue;
      }
      // The file spells the path out, or the prefix under which a plugin serves files.
      const spelt = `'${r.url.endsWith('*') ? r.url.slice(0, -1) : r.url}'`;
      const text = fs.readFileSync(file, 'utf8');
      if (!text.includes(spelt)) problems.push(`${r.method} ${r.url}: no ${spelt} in ${r.file}`);
    }
    assert.deepEqual(problems, []);
    const fileOf = (key: string) => routes.find((r) => `${r.method} ${r.url}` === key)?.file;
    assert.equal(fileOf('GET /reviews/:reviewId/actions/:actionId'), 'src/features/actions/actions.routes.ts');
    assert.equal(fileOf('PUT /api/reviews/:reviewId/actions/:actionId'), 'src/features/actions/actions-api.routes.ts');
    assert.equal(fileOf('GET /health'), 'src/platform/health.ts');
    assert.equal(fileOf('GET /assets/*'), 'src/platform/http/static-files.ts');
  });

  it('lists each route once, sorted by path then method, without the HEAD routes Fastify adds', () => {
    const keys = routes.map((r) => `${r.method} ${r.url}`);
    assert.equal(new Set(keys).size, keys.length);
    const outOfOrder = routes.filter((r, i) => {
      const previous = routes[i - 1];
      return previous && (previous.url > r.url || (previous.url === r.url && previous.method > r.method));
    });
    assert.deepEqual(outOfOrder, []);
    assert.ok(!routes.some((r) => r.method === 'HEAD'));
    assert.ok(routes.every((r) => r.access in ROUTE_ACCESS));
  });

  it('is the route map in docs/ARCHITECTURE.md', () => {
    const inDoc = routeMapIn(fs.readFileSync(ARCHITECTURE_DOC, 'utf8'));
    assert.ok(inDoc !== null, 'docs/ARCHITECTURE.md has lost its <!-- routes:start --> and <!-- routes:end --> lines');
    assert.ok(
      inDoc === routeMapMarkdown(routes),
      'The route map in docs/ARCHITECTURE.md differs from "clasp routes --markdown": ' +
        'run "npm run routes:doc" (or "npx tsx scripts/route-map.ts") and commit the result.',
    );
  });
});

describe('a route without its access', () => {
  it('stops the app from starting, naming the route', () => {
    const app = Fastify();
    app.addHook('onRoute', recordRoutes([]));
    const forgotten = () => app.get('/forgotten', () => 'page');
    assert.throws(forgotten, /The route GET \/forgotten does not say who may use it/);
    assert.throws(
      // A misspelt rule is a type error, and refused when the types are bypassed.
      () => app.post('/misspelt', { config: { access: 'reed' as 'read' } }, () => 'page'),
      /The route POST \/misspelt gives an unknown access 'reed'/,
    );
  });
});
