import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import type { LightMyRequestResponse } from 'fastify';
import type { Db } from '../../src/platform/db/database.ts';
import { requestIdFrom } from '../../src/platform/http/api-conventions.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { createGroup, createOrganisation, createRecommendation, createReview } from '../helpers/factories.ts';
import { addMember, createUser, sessionFor } from '../helpers/people.ts';

/*
 * What every /api route does the same way: refusals are problem details (RFC 9457) with the
 * request's id, which every answer carries; a thing with a version has an ETag, which a
 * change may send back as If-Match; the lists that grow come a page at a time.
 */

const PROBLEM = /^application\/problem\+json/;

/** Checks an answer is a problem of `status` and `type`, about `path`, naming its request's id. */
function assertProblem(res: LightMyRequestResponse, status: number, type: string, path: string) {
  assert.equal(res.statusCode, status, res.body);
  assert.match(String(res.headers['content-type']), PROBLEM);
  const problem = res.json();
  assert.equal(problem.status, status);
  assert.equal(problem.type, type);
  assert.equal(typeof problem.title, 'string');
  assert.ok(problem.detail.length > 10, problem.detail);
  assert.equal(problem.error, problem.detail, 'scripts reading error still find the message');
  assert.equal(problem.instance, path);
  assert.equal(problem.requestId, res.headers['x-request-id']);
  return problem;
}

/** Every item of a list, following its Link rel="next" header from `first`. */
async function everyPage(client: Client, first: string, read: (body: never) => unknown[]) {
  const items: unknown[] = [];
  let url: string | null = first;
  let pages = 0;
  while (url) {
    const res = await client.getJson(url);
    assert.equal(res.statusCode, 200, res.body);
    items.push(...read(res.json<never>()));
    pages += 1;
    const link = res.headers.link;
    const next = typeof link === 'string' ? /^<([^>]+)>; rel="next"$/.exec(link)?.[1] : undefined;
    if (next) assert.ok(next.includes(`cursor=${String(res.headers['x-next-cursor'])}`));
    url = next ?? null;
    assert.ok(pages < 50, 'the pages end');
  }
  return { items, pages };
}

for (const target of databaseTargets) {
  describe(`the API's conventions, on ${target.name}`, () => {
    let t: TestApp;
    let db: Db;
    let coordinator: Client;
    let viewer: Client;
    let lead = 0;
    let reviewId = 0;
    const otherReviews: number[] = [];

    before(async () => {
      t = await startTestApp(target);
      db = t.database.db;
      lead = await createOrganisation(db, { kind: 'commissioner', name: 'Conventionshire CCG' });
      reviewId = await createReview(db, {
        area: 'Conventionshire',
        leadOrganisationId: lead,
        coveredOrganisationIds: [lead],
      });
      for (let i = 0; i < 4; i += 1) {
        otherReviews.push(await createReview(db, { leadOrganisationId: lead, coveredOrganisationIds: [lead] }));
      }
      const group = await createGroup(db, reviewId, 1, [lead]);
      for (let i = 1; i <= 5; i += 1) {
        await createRecommendation(db, {
          reviewId,
          groupId: group,
          number: `1.${i}`,
          text: `Record the voice of the child, part ${i}`,
        });
      }
      const coordinatorId = await createUser(db, { name: 'Cora Coordinator' });
      const viewerId = await createUser(db, { name: 'Vic Viewer' });
      for (const id of [reviewId, ...otherReviews]) {
        await addMember(db, { userId: coordinatorId, reviewId: id, organisationId: lead, role: 'coordinator' });
        await addMember(db, { userId: viewerId, reviewId: id, organisationId: lead, role: 'viewer' });
      }
      coordinator = new Client(t.app, await sessionFor(db, coordinatorId));
      viewer = new Client(t.app, await sessionFor(db, viewerId));
    });
    after(() => t.close());

    const reviewPath = () => `/api/reviews/${reviewId}`;

    async function readReview() {
      const res = await coordinator.getJson(reviewPath());
      assert.equal(res.statusCode, 200, res.body);
      return { etag: String(res.headers.etag), version: res.json().review.version as number, res };
    }

    it('answers a form with problems as a problem listing each field', async () => {
      const { version } = await readReview();
      const res = await coordinator.sendJson('PATCH', reviewPath(), { area: '', reviewEnd: '2024-01-01', version });
      const problem = assertProblem(res, 400, '/api#problem-invalid-fields', reviewPath());
      const fields = problem.errors.map((e: { field: string }) => e.field).sort();
      assert.deepEqual(fields, ['area', 'reviewEnd']);
      assert.match(problem.detail, /2 fields have problems/);
    });

    it('answers 401, 403 and 404 as problems, wherever they are raised', async () => {
      const anonymous = await t.anonymous.getJson('/api/reviews');
      assertProblem(anonymous, 401, '/api#problem-sign-in-needed', '/api/reviews');
      assert.match(anonymous.json().detail, /Sign in first/);

      const forbidden = await viewer.sendJson('PATCH', reviewPath(), { area: 'Elsewhere' });
      assertProblem(forbidden, 403, '/api#problem-forbidden', reviewPath());

      assertProblem(
        await coordinator.getJson('/api/reviews/987654'),
        404,
        '/api#problem-not-found',
        '/api/reviews/987654',
      );
      const nowhere = await coordinator.getJson('/api/no-such-thing?x=1');
      assertProblem(nowhere, 404, '/api#problem-not-found', '/api/no-such-thing');
    });

    it('answers a stale edit with 409 and what changed', async () => {
      const { version } = await readReview();
      const first = await coordinator.sendJson('PATCH', reviewPath(), { title: 'First title', version });
      assert.equal(first.statusCode, 200, first.body);
      const stale = await coordinator.sendJson('PATCH', reviewPath(), { title: 'Second title', version });
      const problem = assertProblem(stale, 409, '/api#problem-stale-edit', reviewPath());
      assert.equal(problem.version, version + 1);
      assert.equal(problem.errors[0].field, 'version');
      assert.deepEqual(
        problem.changes.map((c: { field: string; saved: string; yours: string }) => [c.field, c.saved, c.yours]),
        [['title', 'First title', 'Second title']],
      );
    });

    it('gives every answer, page or API, its request id', async () => {
      for (const url of ['/reviews', '/no-such-page', '/api/reviews', `/reviews/${reviewId}`]) {
        const res = await coordinator.get(url);
        assert.match(String(res.headers['x-request-id']), /^[0-9a-f-]{36}$/, url);
      }
      const one = await coordinator.get('/reviews');
      const two = await coordinator.get('/reviews');
      assert.notEqual(one.headers['x-request-id'], two.headers['x-request-id']);
      // Someone else's id is not taken over; a trusted proxy's well-formed one is.
      const sent = { headers: { 'x-request-id': 'proxy-1234.abc' } } as unknown as IncomingMessage;
      assert.equal(requestIdFrom(sent, true), 'proxy-1234.abc');
      assert.notEqual(requestIdFrom(sent, false), 'proxy-1234.abc');
      const odd = { headers: { 'x-request-id': 'two words' } } as unknown as IncomingMessage;
      assert.notEqual(requestIdFrom(odd, true), 'two words');
      // Through the app: not behind a trusted proxy (the default), a sent id is not taken over.
      const ignored = await coordinator.get('/reviews', { 'x-request-id': 'proxy-1234.abc' });
      assert.notEqual(ignored.headers['x-request-id'], 'proxy-1234.abc');
    });

    it('gives a thing with a version an ETag, and 304 when it has not changed', async () => {
      const { etag, version } = await readReview();
      assert.match(etag, new RegExp(`^"review-${reviewId}-v${version}\\.[A-Za-z0-9_-]+"$`));
      const again = await coordinator.get(reviewPath(), { accept: 'application/json', 'if-none-match': etag });
      assert.equal(again.statusCode, 304);
      assert.equal(again.body, '');
      assert.equal(again.headers.etag, etag);
      const other = await coordinator.get(reviewPath(), {
        accept: 'application/json',
        'if-none-match': '"review-1-v1.x"',
      });
      assert.equal(other.statusCode, 200);
      assert.equal(other.json().review.id, reviewId);
    });

    it('takes the version from If-Match, and answers 412 when it is no longer current', async () => {
      const { etag, version } = await readReview();
      const ifMatch = (tag: string, body: unknown) =>
        t.app.inject({
          method: 'PATCH',
          url: reviewPath(),
          headers: {
            ...coordinator.headers,
            'content-type': 'application/json',
            'x-csrf-token': coordinator.session?.csrf ?? '',
            'if-match': tag,
          },
          payload: JSON.stringify(body),
        });
      const saved = await ifMatch(etag, { area: 'Conventionshire North' });
      assert.equal(saved.statusCode, 200, saved.body);
      assert.equal(saved.json().review.version, version + 1);
      assert.match(String(saved.headers.etag), new RegExp(`^"review-${reviewId}-v${version + 1}\\.`));

      const late = await ifMatch(etag, { area: 'Conventionshire South' });
      const problem = assertProblem(late, 412, '/api#problem-precondition-failed', reviewPath());
      assert.equal(problem.version, version + 1);
      assert.deepEqual(
        problem.changes.map((c: { field: string }) => c.field),
        ['area'],
      );

      const malformed = await ifMatch('review 3', { area: 'Conventionshire West' });
      assertProblem(malformed, 400, '/api#problem-bad-request', reviewPath());
      assert.match(malformed.json().detail, /If-Match must be one ETag/);

      const another = await ifMatch(`"review-${otherReviews[0]}-v1.abc"`, { area: 'Conventionshire East' });
      assertProblem(another, 412, '/api#problem-precondition-failed', reviewPath());
      assert.equal((await readReview()).res.json().review.area, 'Conventionshire North');
    });

    it('changes only the fields a PATCH sends, and records the change', async () => {
      const before = (await readReview()).res.json().review;
      const res = await coordinator.sendJson('PATCH', reviewPath(), { assignmentDays: 21, version: before.version });
      assert.equal(res.statusCode, 200, res.body);
      const saved = res.json().review;
      assert.equal(saved.assignmentDays, 21);
      assert.equal(saved.area, before.area);
      assert.equal(saved.title, before.title);
      assert.equal(saved.reviewStart, before.review_start);
      assert.deepEqual(saved.organisationIds, [lead]);
      const trail = await coordinator.getJson(`/api/reviews/${reviewId}/audit?type=review&limit=1`);
      assert.equal(trail.statusCode, 200, trail.body);
      assert.equal(trail.json().events[0].action, 'updated');
      assert.equal(trail.json().events[0].after.assignmentDays, 21);

      const unknown = await coordinator.sendJson('PATCH', reviewPath(), { colour: 'blue' });
      const problem = assertProblem(unknown, 400, '/api#problem-invalid-fields', reviewPath());
      assert.equal(problem.errors[0].field, 'colour');
    });

    it('pages the lists that grow, giving every item exactly once', async () => {
      const all = (await viewer.getJson('/api/reviews')).json().reviews.map((r: { id: number }) => r.id);
      assert.equal(all.length, 5);
      const reviews = await everyPage(viewer, '/api/reviews?limit=2', (b: { reviews: { id: number }[] }) =>
        b.reviews.map((r) => r.id),
      );
      assert.equal(reviews.pages, 3);
      assert.deepEqual(reviews.items, all);

      const hits = await everyPage(
        coordinator,
        '/api/search?q=voice+child&limit=2',
        (b: { hits: { href: string }[] }) => b.hits.map((h) => h.href),
      );
      assert.equal(hits.items.length, 5);
      assert.equal(new Set(hits.items).size, 5);

      const whole = await coordinator.getJson(`/api/reviews/${reviewId}/audit?limit=500`);
      const total = whole.json().total as number;
      assert.ok(total >= 3, `the trail has ${total} events`);
      assert.equal(whole.headers.link, undefined);
      const events = await everyPage(
        coordinator,
        `/api/reviews/${reviewId}/audit?limit=2`,
        (b: { events: { id: number }[] }) => b.events.map((e) => e.id),
      );
      assert.equal(events.pages, Math.ceil(total / 2));
      assert.deepEqual(
        events.items,
        whole.json().events.map((e: { id: number }) => e.id),
      );

      const work = await everyPage(coordinator, '/api/my-work?limit=1', (b: { reviews: { items: unknown[] }[] }) =>
        b.reviews.flatMap((r) => r.items),
      );
      assert.deepEqual(
        work.items,
        (await coordinator.getJson('/api/my-work')).json().reviews.flatMap((r: { items: unknown[] }) => r.items),
      );
    });

    it('refuses a cursor or limit it did not give, saying what to do', async () => {
      const cursor = await coordinator.getJson('/api/reviews?cursor=not-a-cursor');
      assertProblem(cursor, 400, '/api#problem-bad-request', '/api/reviews');
      assert.match(cursor.json().detail, /cursor is not one Clasp gave/);
      const audit = await coordinator.getJson(
        `/api/reviews/${reviewId}/audit?cursor=${Buffer.from('{"at":1}').toString('base64url')}`,
      );
      assertProblem(audit, 400, '/api#problem-bad-request', `/api/reviews/${reviewId}/audit`);
      const limit = await coordinator.getJson('/api/search?q=voice&limit=501');
      assertProblem(limit, 400, '/api#problem-bad-request', '/api/search');
      assert.match(limit.json().detail, /from 1 to 500/);
    });

    it('describes the problems, ETags and paging in the API description', async () => {
      const document = (await coordinator.getJson('/api/openapi.json')).json();
      const patch = document.paths['/api/reviews/{reviewId}'].patch;
      for (const status of ['400', '401', '403', '404', '409', '412']) {
        assert.ok(patch.responses[status]?.content['application/problem+json'], `PATCH answers ${status}`);
      }
      assert.ok(patch.parameters.some((p: { in: string; name: string }) => p.in === 'header' && p.name === 'if-match'));
      const get = document.paths['/api/reviews/{reviewId}'].get;
      assert.ok(get.responses['200'].headers.ETag);
      assert.ok(get.responses['200'].headers['X-Request-Id']);
      const list = document.paths['/api/reviews'].get;
      assert.ok(list.responses['200'].headers.Link);
      assert.ok(list.parameters.some((p: { name: string }) => p.name === 'cursor'));
    });
  });
}

describe('request ids behind a trusted proxy', () => {
  it("keeps the proxy's well-formed X-Request-Id, and makes a new one for anything else", async () => {
    const [sqlite] = databaseTargets;
    assert.ok(sqlite);
    const t = await startTestApp(sqlite, { env: { CLASP_TRUST_PROXY: 'true' } });
    try {
      const kept = await t.anonymous.get('/health', { 'x-request-id': 'proxy-1234.abc' });
      assert.equal(kept.headers['x-request-id'], 'proxy-1234.abc');
      const odd = await t.anonymous.get('/health', { 'x-request-id': 'two words' });
      assert.match(String(odd.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    } finally {
      await t.close();
    }
  });
});
