// Issue 12, section 3: tamper evidence. Each audit event's hash covers the previous hash and its own
// fields; `clasp audit verify` walks the chain and checks each issued version's frozen snapshot.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { databaseTargets, type DatabaseTarget, type TestDatabase } from '../helpers/databases.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { addMember, createUser, sessionFor } from '../helpers/people.ts';
import { Client } from '../helpers/client.ts';
import { recordAudit } from '../../src/platform/audit.ts';
import type { Db } from '../../src/platform/db/database.ts';
import { verifyAuditTrail } from '../../src/features/audit/audit-verify.service.ts';
import { seedHistory } from './history-fixtures.ts';

/**
 * What only the tables' owner could do: switch off the trigger refusing changes to a history table.
 * The app's role cannot (see history-roles.test.ts); this is someone editing the database directly.
 */
async function unlock(db: Db, target: DatabaseTarget, table: string, event: 'update' | 'delete'): Promise<void> {
  if (target.name === 'postgres') {
    await sql`alter table ${sql.table(table)} disable trigger user`.execute(db);
  } else {
    const triggers = await sql<{ name: string }>`
      select name from sqlite_master where type = 'trigger' and tbl_name = ${table}
        and sql like ${`%before ${event}%`}`.execute(db);
    for (const { name } of triggers.rows) await sql`drop trigger ${sql.id(name)}`.execute(db);
  }
}

async function eventIds(db: Db): Promise<number[]> {
  return (await db.selectFrom('audit_events').select('id').orderBy('id').execute()).map((r) => r.id);
}

for (const target of databaseTargets) {
  describe(`the audit chain on ${target.name}`, () => {
    let t: TestApp;

    before(async () => {
      t = await startTestApp(target);
    });
    after(() => t.close());

    it('is intact after a normal flow, with the issued snapshot hashed and its hash chained', async () => {
      const db = t.database.db;
      const history = await seedHistory(db);
      const userId = await createUser(db, { name: 'Cora Coordinator' });
      await addMember(db, { ...history, userId, role: 'coordinator' });
      const coordinator = new Client(t.app, await sessionFor(db, userId));
      const issued = await coordinator.postForm(`/reviews/${history.reviewId}/versions`, { purpose: 'cqc' });
      assert.equal(issued.statusCode, 303, issued.body);

      const version = await db
        .selectFrom('plan_versions')
        .select(['snapshot_sha256'])
        .where('review_id', '=', history.reviewId)
        .where('number', '=', '2')
        .executeTakeFirstOrThrow();
      assert.match(version.snapshot_sha256 ?? '', /^[0-9a-f]{64}$/);
      const event = await db
        .selectFrom('audit_events')
        .select(['after', 'hash', 'prev_hash'])
        .where('entity_type', '=', 'plan_version')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      assert.equal(
        (JSON.parse(event.after ?? '{}') as { snapshotSha256: string }).snapshotSha256,
        version.snapshot_sha256,
      );
      assert.match(event.hash ?? '', /^[0-9a-f]{64}$/);

      const verdict = await verifyAuditTrail(db);
      assert.deepEqual(verdict, { intact: true, events: (await eventIds(db)).length, versions: 2 });
    });

    it('does not fork when many transactions write at once', async () => {
      const db = t.database.db;
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          db.transaction().execute(async (trx) => {
            await recordAudit(
              trx,
              { actor: `Writer ${i}`, entityType: 'test', entityId: i, action: 'wrote' },
              new Date(),
            );
            await recordAudit(
              trx,
              { actor: `Writer ${i}`, entityType: 'test', entityId: i, action: 'again' },
              new Date(),
            );
          }),
        ),
      );
      const links = await db.selectFrom('audit_events').select('prev_hash').execute();
      assert.equal(new Set(links.map((l) => l.prev_hash)).size, links.length, 'no two events follow the same one');
      assert.equal((await verifyAuditTrail(db)).intact, true);
    });
  });

  describe(`tampering found by verify on ${target.name}`, () => {
    let database: TestDatabase;
    let db: Db;

    before(async () => {
      database = await target.open();
      db = database.handle.db;
      await seedHistory(db);
      await seedHistory(db);
    });
    after(() => database.dispose());

    it('names an event edited behind the app, and is intact again once it is put back', async () => {
      await unlock(db, target, 'audit_events', 'update');
      const [, middle] = await eventIds(db);
      assert.ok(middle);
      const original = await db
        .selectFrom('audit_events')
        .select('actor')
        .where('id', '=', middle)
        .executeTakeFirstOrThrow();
      await db.updateTable('audit_events').set({ actor: 'Someone else' }).where('id', '=', middle).execute();
      assert.deepEqual(await verifyAuditTrail(db), {
        intact: false,
        events: 1,
        versions: 0,
        problem: `Audit event ${middle} was changed after it was written: its fields no longer match its hash.`,
      });

      // Recomputing the edited event's hash does not help: the next event no longer follows it.
      await db
        .updateTable('audit_events')
        .set({ actor: original.actor, hash: 'f'.repeat(64) })
        .where('id', '=', middle)
        .execute();
      const relinked = await verifyAuditTrail(db);
      assert.match(relinked.intact ? '' : relinked.problem, new RegExp(`Audit event ${middle} was changed`));
    });

    it('names where events were removed: the newest, one in the middle, the first', async () => {
      const fresh = await target.open();
      try {
        const fdb = fresh.handle.db;
        await seedHistory(fdb);
        await seedHistory(fdb);
        await unlock(fdb, target, 'audit_events', 'delete');
        const ids = await eventIds(fdb);
        const remove = (id: number | undefined) =>
          fdb
            .deleteFrom('audit_events')
            .where('id', '=', id ?? 0)
            .execute();
        const problem = async () => {
          const verdict = await verifyAuditTrail(fdb);
          return verdict.intact ? '' : verdict.problem;
        };
        await remove(ids.at(-1));
        assert.equal(
          await problem(),
          `Audit event ${ids.at(-2)} is the last event, but later events were written: they were removed.`,
        );
        await remove(ids[1]);
        assert.equal(
          await problem(),
          `Audit event ${ids[2]} does not follow audit event ${ids[0]}: ` +
            'events between them were removed, or a link was changed.',
        );
        await remove(ids[0]);
        assert.match(await problem(), new RegExp(`Audit event ${ids[2]} is the first event but does not start`));
      } finally {
        await fresh.dispose();
      }
    });

    it('names a frozen version whose snapshot was changed, even with its hash changed to match', async () => {
      const fresh = await target.open();
      try {
        const fdb = fresh.handle.db;
        const history = await seedHistory(fdb);
        await fdb.transaction().execute((trx) =>
          recordAudit(
            trx,
            {
              actor: 'Coordinator',
              reviewId: history.reviewId,
              entityType: 'plan_version',
              entityId: '1',
              action: 'issued',
              after: { number: '1', snapshotSha256: 'a'.repeat(64) },
            },
            new Date(),
          ),
        );
        const version = await fdb
          .selectFrom('plan_versions')
          .select(['id', 'snapshot_sha256'])
          .executeTakeFirstOrThrow();
        await unlock(fdb, target, 'plan_versions', 'update');
        await fdb.updateTable('plan_versions').set({ snapshot: '{"format":1,"plan":"rewritten"}' }).execute();
        const changed = await verifyAuditTrail(fdb);
        assert.equal(
          changed.intact ? '' : changed.problem,
          `Version 1 of review ${history.reviewId} (id ${version.id}) was changed after it was issued: ` +
            'its snapshot no longer matches its hash.',
        );
        await fdb
          .updateTable('plan_versions')
          .set({ snapshot: 'b', snapshot_sha256: sha256('b') })
          .execute();
        const rehashed = await verifyAuditTrail(fdb);
        assert.match(
          rehashed.intact ? '' : rehashed.problem,
          /does not match the snapshot hash recorded by audit event \d+/,
        );
      } finally {
        await fresh.dispose();
      }
    });
  });
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
