import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { startTestApp, TEST_TODAY, type TestApp } from '../helpers/app.ts';
import { createOrganisation, createReview } from '../helpers/factories.ts';
import { createUser, sessionFor, signedInMember } from '../helpers/people.ts';
import { Client } from '../helpers/client.ts';
import type { FastifyInstance } from 'fastify';

/*
 * Sessions are resolved from memory for a few seconds (CLASP_SESSION_CACHE_SECONDS). Ending a
 * session, disabling an account or changing someone's roles takes effect on the next request on
 * the same instance, and within about a second on another instance sharing the database.
 */

const membershipIdOf = async (t: TestApp, userId: number, reviewId: number) => {
  const row = await t.database.db
    .selectFrom('memberships')
    .select('id')
    .where('user_id', '=', userId)
    .where('review_id', '=', reviewId)
    .executeTakeFirstOrThrow();
  return row.id;
};

/** Asks until `check` passes or `ms` have gone by; returns how long it took. */
async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > ms) assert.fail(`not within ${String(ms)} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

for (const target of databaseTargets) {
  describe(`sessions held in memory on ${target.name}`, () => {
    let t: TestApp;
    let other: FastifyInstance;
    let admin: Client;
    let reviewId: number;
    let organisationId: number;

    before(async () => {
      t = await startTestApp(target, { env: { CLASP_SESSION_CACHE_SECONDS: '30' } });
      // A second instance over the same database, with its own memory.
      other = await buildApp({
        config: loadConfig({
          LOG_LEVEL: 'silent',
          CLASP_DATA_DIR: '/nonexistent/clasp-test-data',
          CLASP_SESSION_CACHE_SECONDS: '30',
        }),
        database: t.database,
        today: () => TEST_TODAY,
        logger: false,
      });
      await other.ready();
      admin = await t.admin();
      organisationId = await createOrganisation(t.database.db);
      reviewId = await createReview(t.database.db, { area: 'Cacheshire' });
    });
    after(async () => {
      await other.close();
      await t.close();
    });

    /** A member able to read the review, who has used their session on both instances (so both hold it). */
    async function member(name: string) {
      const session = await signedInMember(t.database.db, { reviewId, organisationId, role: 'viewer', name });
      const here = new Client(t.app, session);
      const there = new Client(other, session);
      // Each instance reads the changes once a second; after that the session is held in memory.
      await new Promise((resolve) => setTimeout(resolve, 1200));
      for (const client of [here, there]) {
        assert.equal((await client.get(`/reviews/${reviewId}`)).statusCode, 200);
        assert.equal((await client.get(`/reviews/${reviewId}`)).statusCode, 200);
      }
      return { session, here, there };
    }

    it('ends a session signed out of at once here, and within a second on the other instance', async () => {
      const { here, there } = await member('Sam Signout');
      const out = await here.postForm('/sign-out', {});
      assert.equal(out.statusCode, 303);
      const next = await here.get(`/reviews/${reviewId}`);
      assert.equal(next.statusCode, 303);
      assert.match(String(next.headers.location), /^\/sign-in/);
      const took = await within(2500, async () => (await there.get(`/reviews/${reviewId}`)).statusCode === 303);
      assert.ok(took < 2500, `the other instance took ${String(took)} ms`);
    });

    it('refuses a disabled account at once here, and within a second on the other instance', async () => {
      const { session, here, there } = await member('Dee Disabled');
      const res = await admin.postForm(`/admin/users/${String(session.userId)}/access`, { change: 'disable' });
      assert.equal(res.statusCode, 303);
      assert.equal((await here.get(`/reviews/${reviewId}`)).statusCode, 303);
      await within(2500, async () => (await there.get(`/reviews/${reviewId}`)).statusCode === 303);
    });

    it('takes a removed role away at once here, and within a second on the other instance', async () => {
      const { session, here, there } = await member('Rory Removed');
      const membershipId = await membershipIdOf(t, session.userId, reviewId);
      const res = await admin.postForm(`/reviews/${String(reviewId)}/members/${String(membershipId)}/remove`, {});
      assert.equal(res.statusCode, 303);
      assert.equal((await here.get(`/reviews/${reviewId}`)).statusCode, 404);
      await within(2500, async () => (await there.get(`/reviews/${reviewId}`)).statusCode === 404);
    });

    it('gives a new administrator the administration pages at once here', async () => {
      const { session, here, there } = await member('Ada Promoted');
      assert.equal((await here.get('/admin')).statusCode, 403);
      const res = await admin.postForm(`/admin/users/${String(session.userId)}/access`, { change: 'make-admin' });
      assert.equal(res.statusCode, 303);
      assert.equal((await here.get('/admin')).statusCode, 200);
      await within(2500, async () => (await there.get('/admin')).statusCode === 200);
    });

    it('notices a change made by another process (a command) within a second', async () => {
      const { session, here } = await member('Cal Command');
      // Written straight to the database, as `clasp user disable` would from its own process.
      await t.database.db
        .updateTable('users')
        .set({ disabled_at: new Date().toISOString() })
        .where('id', '=', session.userId)
        .execute();
      await within(2500, async () => (await here.get(`/reviews/${reviewId}`)).statusCode === 303);
    });

    it('still ends a session idle too long, by the clock, while it is held in memory', async () => {
      let clock = new Date();
      const idle = await startTestApp(target, { env: { CLASP_SESSION_CACHE_SECONDS: '30' }, now: () => clock });
      try {
        const userId = await createUser(idle.database.db, { name: 'Ida Idle', isAdmin: true });
        const client = new Client(idle.app, await sessionFor(idle.database.db, userId));
        await new Promise((resolve) => setTimeout(resolve, 1200));
        assert.equal((await client.get('/reviews')).statusCode, 200);
        assert.equal((await client.get('/reviews')).statusCode, 200);
        clock = new Date(clock.getTime() + 61 * 60_000);
        const res = await client.get('/reviews');
        assert.equal(res.statusCode, 303, 'an hour and a minute idle: signed out');
        const left = await idle.database.db
          .selectFrom('sessions')
          .select('id')
          .where('user_id', '=', userId)
          .executeTakeFirst();
        assert.equal(left, undefined);
      } finally {
        await idle.close();
      }
    });
  });
}
