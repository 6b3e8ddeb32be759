// Issue 12, section 3, on PostgreSQL: migrations run as the owner, and the app's role may only read
// and add to the history tables, so it can neither rewrite them, truncate them nor switch off the
// triggers that refuse it, while everything the app does still works.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { openDatabase, type DatabaseHandle } from '../../src/platform/db/database.ts';
import { migrateAsOwner } from '../../src/platform/db/roles.ts';
import { verifyAuditTrail } from '../../src/features/audit/audit-verify.service.ts';
import { Client } from '../helpers/client.ts';
import { TEST_TODAY } from '../helpers/app.ts';
import { addMember, createUser, sessionFor } from '../helpers/people.ts';
import { dropTestSchema, whileNoSchemaIsDropped } from '../helpers/databases.ts';
import { HISTORY_TABLES, seedHistory, type History } from './history-fixtures.ts';

const ownerUrl = process.env.TEST_DATABASE_URL;

async function asSuperuser(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

describe('the app role on postgres', () => {
  const suffix = randomBytes(5).toString('hex');
  const schema = `t_${suffix}`;
  const appRole = `clasp_app_${suffix}`;
  const password = randomBytes(12).toString('hex');
  let owner: DatabaseHandle;
  let app: DatabaseHandle;
  let history: History;

  before(async () => {
    if (!ownerUrl) throw new Error('TEST_DATABASE_URL is not set, so the PostgreSQL tests cannot run.');
    // The test database's user may create roles (scripts/setup-test-postgres.sh makes it a superuser).
    // The role finds its tables through its own search_path, as a deployment would set it.
    await asSuperuser(`create role ${appRole} login password '${password}'`);
    await asSuperuser(`alter role ${appRole} set search_path = ${schema}`);
    owner = await openDatabase({ url: ownerUrl, schema, poolSize: 2 });
    const appUrl = new URL(ownerUrl);
    appUrl.username = appRole;
    appUrl.password = password;
    app = await openDatabase({ url: appUrl.toString(), poolSize: 4 });
    const { appRole: granted } = await whileNoSchemaIsDropped(ownerUrl, () => migrateAsOwner(owner, app));
    assert.equal(granted, appRole);
    history = await seedHistory(app.db);
  });
  after(async () => {
    await app.close();
    await owner.close();
    if (ownerUrl) await dropTestSchema(ownerUrl, schema);
    await asSuperuser(`drop owned by ${appRole}`);
    await asSuperuser(`drop role ${appRole}`);
  });

  it('may not truncate, update, delete or upsert history, nor disable, drop or replace its triggers', async () => {
    for (const table of HISTORY_TABLES) {
      const t = sql.table(table);
      const refusals = [
        sql`truncate ${t}`,
        sql`update ${t} set id = id`,
        sql`delete from ${t}`,
        sql`insert into ${t} select * from ${t} on conflict (id) do update set id = excluded.id`,
        sql`alter table ${t} disable trigger all`,
        sql`alter table ${t} disable trigger user`,
        sql`drop table ${t}`,
        sql`alter table ${t} owner to ${sql.id(appRole)}`,
      ];
      for (const statement of refusals) {
        await assert.rejects(
          statement.execute(app.db),
          /permission denied|must be owner/,
          `${table}: ${statement.compile(app.db).sql}`,
        );
      }
    }
    await assert.rejects(sql`drop function clasp_refuse_change() cascade`.execute(app.db), /must be owner/);
    await assert.rejects(
      sql`create or replace function clasp_refuse_change() returns trigger language plpgsql as $$
        begin return new; end $$`.execute(app.db),
      /must be owner|permission denied/,
    );
    await assert.rejects(sql`create table sneaky (id integer)`.execute(app.db), /permission denied/);
  });

  it('runs the app: progress, an agreed rating and an issued version, all audited and chained', async () => {
    const config = loadConfig({ LOG_LEVEL: 'silent', CLASP_DATA_DIR: '/nonexistent/clasp-test-data' });
    const fastify = await buildApp({ config, database: app, today: () => TEST_TODAY, logger: false });
    await fastify.ready();
    try {
      const person = async (role: 'coordinator' | 'editor' | 'reviewer') => {
        const userId = await createUser(app.db, { name: `The ${role}` });
        await addMember(app.db, { userId, reviewId: history.reviewId, organisationId: history.organisationId, role });
        return new Client(fastify, await sessionFor(app.db, userId));
      };
      const [editor, reviewer, coordinator] = [
        await person('editor'),
        await person('reviewer'),
        await person('coordinator'),
      ];
      const base = `/reviews/${history.reviewId}/actions/${history.actionId}`;
      const progress = await editor.postForm(`${base}/progress/new`, {
        'progressOn-day': '20',
        'progressOn-month': '11',
        'progressOn-year': '2026',
        text: 'Audit repeated on every ward.',
        proposedRating: 'amber',
      });
      assert.equal(progress.statusCode, 303, progress.body);
      const rating = await reviewer.postForm(`${base}/rating`, {
        decision: 'agree',
        rating: 'amber',
        rationale: 'The group saw the audit.',
      });
      assert.equal(rating.statusCode, 303, rating.body);
      const version = await coordinator.postForm(`/reviews/${history.reviewId}/versions`, { purpose: 'cqc' });
      assert.equal(version.statusCode, 303, version.body);

      const written = await app.db
        .selectFrom('audit_events')
        .select('action')
        .where('review_id', '=', history.reviewId)
        .orderBy('id')
        .execute();
      assert.ok(written.length >= 6, 'the seeded events and the three changes were audited');
      const verdict = await verifyAuditTrail(app.db);
      assert.equal(verdict.intact, true, JSON.stringify(verdict));
      assert.equal(verdict.versions, 2);
    } finally {
      await fastify.close();
    }
  });
});
