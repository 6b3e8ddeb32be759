// Issue 12, section 3: security events are kept durably, newest first, and cannot be rewritten.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { databaseTargets, type TestDatabase } from '../helpers/databases.ts';
import { listSecurityEvents, recordSecurityEvent } from '../../src/platform/security-events.ts';

for (const target of databaseTargets) {
  describe(`security events on ${target.name}`, () => {
    let database: TestDatabase;

    before(async () => {
      database = await target.open();
    });
    after(() => database.dispose());

    it('keeps each event and lists the newest first', async () => {
      const db = database.handle.db;
      await recordSecurityEvent(
        db,
        { kind: 'sign-in failed', email: 'someone@example.nhs.uk', ip: '192.0.2.7', userAgent: 'x'.repeat(1000) },
        new Date('2026-12-06T10:00:00Z'),
      );
      // A refused request's own work is rolled back; its security event is written after, on its own.
      await assert.rejects(
        db.transaction().execute(async (trx) => {
          await trx.selectFrom('users').selectAll().execute();
          throw new Error('the request failed');
        }),
        /the request failed/,
      );
      await recordSecurityEvent(
        db,
        { kind: 'refused', userId: null, method: 'POST', path: '/admin/users', detail: { status: 403 } },
        new Date('2026-12-06T10:01:00Z'),
      );
      const events = await listSecurityEvents(db, { limit: 10 });
      assert.deepEqual(
        events.map((e) => [e.kind, e.at, e.path, e.detail]),
        [
          ['refused', '2026-12-06T10:01:00.000Z', '/admin/users', '{"status":403}'],
          ['sign-in failed', '2026-12-06T10:00:00.000Z', null, null],
        ],
      );
      assert.equal(events[1]?.user_agent?.length, 300, 'a long User-Agent is cut short');
      assert.deepEqual(
        (await listSecurityEvents(db, { limit: 10, kind: 'sign-in failed' })).map((e) => e.email),
        ['someone@example.nhs.uk'],
      );
    });

    it('refuses to change a security event', async () => {
      const db = database.handle.db;
      await assert.rejects(
        sql`update security_events set kind = 'nothing'`.execute(db),
        /security_events rows cannot be changed/,
      );
      const [newest] = await listSecurityEvents(db, { limit: 1 });
      assert.ok(newest);
      const replace =
        target.name === 'sqlite'
          ? sql`insert or replace into security_events (id, at, kind) values (${newest.id}, 'x', 'nothing')`
          : sql`insert into security_events (id, at, kind) values (${newest.id}, 'x', 'nothing')
              on conflict (id) do update set kind = excluded.kind`;
      await assert.rejects(replace.execute(db), /security_events rows cannot be changed/);
      assert.equal((await listSecurityEvents(db, { limit: 1 }))[0]?.kind, 'refused');
    });
  });
}
