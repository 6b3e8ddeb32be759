import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { listRoutes } from '../../src/cli-routes.ts';
import { loadDemo } from '../../src/features/demo/demo.service.ts';
import type { RouteSummary } from '../../src/platform/route-access.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { databaseTargets } from '../helpers/databases.ts';

/*
 * The JSON API answers with documented objects: every /api route describes each of its success
 * answers with a schema, which the server checks as it writes them, so a database row (SQLite's
 * 0 and 1 for a yes or no) never goes out as it is.
 */

describe('the JSON API’s answers', () => {
  let routes: RouteSummary[];
  before(async () => {
    routes = await listRoutes();
  });

  it('describes every success answer of every /api route with a schema', () => {
    const api = routes.filter((r) => r.url.startsWith('/api/'));
    assert.ok(api.length >= 20, `only ${api.length} API routes were found`);
    const undescribed = api
      .filter((r) => !r.responses.some((status) => /^2\d\d$/.test(status)))
      .map((r) => `${r.method} ${r.url} (${r.file})`);
    assert.deepEqual(undescribed, []);
  });
});

for (const target of databaseTargets) {
  describe(`the JSON API’s answers, on ${target.name}`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(target);
      await loadDemo(t.database.db, new Date('2026-11-23T12:00:00Z'));
    });
    after(() => t.close());

    it('says whether a review is the demo as true or false, not as a database number', async () => {
      const admin = await t.admin();
      const res = await admin.getJson('/api/reviews');
      assert.equal(res.statusCode, 200);
      const body = res.json<{ reviews: { area: string; is_demo: unknown }[] }>();
      assert.ok(body.reviews.length > 0, 'the demo review is listed');
      for (const review of body.reviews) assert.equal(typeof review.is_demo, 'boolean', review.area);
      assert.ok(body.reviews.some((r) => r.is_demo === true));
    });
  });
}
