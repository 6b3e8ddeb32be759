// `clasp backup`, `clasp restore` and `clasp move-to` on real server processes (issue 18, section 5):
// a backup taken while the server is writing comes back whole and identical, on SQLite and on
// PostgreSQL; an SQLite database moved into PostgreSQL serves the same plan, files, versions and
// audit trail; and every refusal says what to do.
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import {
  postgresStore,
  runClasp,
  sqliteStore,
  startServer,
  storeKinds,
  type ServerProcess,
  type ServerStore,
} from '../helpers/server-process.ts';
import { makeToken, TokenApi } from '../helpers/process-api.ts';

const REVIEW = 1;
const COORDINATOR = 'coordinator@demo.clasp.invalid';
// The demo's action our evidence goes on, and the one the writes during the backup go on.
const ACTION = 2;
const BUSY_ACTION = 3;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The JSON API with a token, as a script sees it, with what this test does through it. */
class Api extends TokenApi {
  /** Every event of the review's audit trail, newest first, following the cursor to the end. */
  async auditTrail(): Promise<unknown[]> {
    const events: unknown[] = [];
    let url = `/api/reviews/${REVIEW}/audit`;
    for (;;) {
      const answer = await this.send('GET', url);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      const page = Object.values(answer.body).find(Array.isArray) as unknown[] | undefined;
      assert.ok(page, `the audit trail answer has a list: ${JSON.stringify(answer.body).slice(0, 200)}`);
      events.push(...page);
      const next = answer.headers.get('x-next-cursor');
      if (!next) return events;
      url = `/api/reviews/${REVIEW}/audit?cursor=${encodeURIComponent(next)}`;
    }
  }

  async uploadEvidence(actionId: number, title: string, bytes: Buffer): Promise<number> {
    const form = new FormData();
    form.set('kind', 'file');
    form.set('title', title);
    form.set('effectiveOn', new Date().toISOString().slice(0, 10));
    form.set('file', new Blob([new Uint8Array(bytes)], { type: 'text/plain' }), `${title}.txt`);
    const answer = await this.send('POST', `/api/reviews/${REVIEW}/actions/${actionId}/evidence`, form);
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    return Number(answer.body.evidenceId);
  }
}

async function clasp(store: ServerStore, args: string[]): Promise<string> {
  const result = await runClasp(store, args);
  assert.equal(result.code, 0, `clasp ${args.join(' ')}: ${result.stdout}${result.stderr}`);
  return result.stdout;
}

function tokenFor(store: ServerStore): Promise<string> {
  return makeToken(store, COORDINATOR, 'write', 'backup');
}

/** What a person sees of the review: the plan, our action with its evidence, the versions and the trail. */
async function seen(api: Api) {
  return {
    overview: await api.get(`/api/reviews/${REVIEW}`),
    action: await api.get(`/api/reviews/${REVIEW}/actions/${ACTION}`),
    versions: await api.get(`/api/reviews/${REVIEW}/versions`),
    audit: await api.auditTrail(),
  };
}

/** Adds evidence with a file of its own and issues a version: the changes a restore must bring back. */
async function makeChanges(api: Api): Promise<{ evidenceId: number; bytes: Buffer }> {
  const bytes = Buffer.from(`Case file audit, quarter 3. ${randomUUID()}\n`.repeat(50));
  const evidenceId = await api.uploadEvidence(ACTION, 'Case file audit', bytes);
  const issued = await api.send('POST', `/api/reviews/${REVIEW}/versions`, {
    purpose: 'comment',
    comment: 'Before the backup',
    recipients: 'Health and wellbeing board',
  });
  assert.equal(issued.status, 201, JSON.stringify(issued.body));
  return { evidenceId, bytes };
}

/** The titles of the evidence on the busy action that the writes during the backup added, in order. */
async function busyTitles(api: Api): Promise<string[]> {
  const text = JSON.stringify(await api.get(`/api/reviews/${REVIEW}/actions/${BUSY_ACTION}`));
  return [...new Set([...text.matchAll(/During the backup (\d+)/g)].map((m) => Number(m[1])))]
    .sort((a, b) => a - b)
    .map((n) => `During the backup ${n}`);
}

async function auditVerified(store: ServerStore): Promise<void> {
  const out = await clasp(store, ['audit', 'verify']);
  assert.match(out, /The audit trail is intact/);
}

describe('clasp backup and clasp restore', { concurrency: true }, () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  after(async () => {
    for (const clean of cleanups.reverse()) await clean().catch(() => undefined);
  });

  for (const kind of storeKinds) {
    const title = `${kind.name}: a backup taken while the server writes restores the plan, files, versions and audit`;
    it(title, async () => {
      const store = await kind.make();
      cleanups.push(() => store.dispose());
      const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'clasp-backup-'));
      cleanups.push(() => {
        fs.rmSync(folder, { recursive: true, force: true });
        return Promise.resolve();
      });
      const file = path.join(folder, kind.name === 'sqlite' ? 'clasp-backup.db' : 'clasp-backup.gz');
      const servers: ServerProcess[] = [];
      cleanups.push(() => Promise.all(servers.map((s) => s.kill())));

      const first = await startServer(store, { args: ['--demo'] });
      servers.push(first);
      const secret = await tokenFor(store);
      let api = new Api(first.base, secret);
      const { evidenceId, bytes } = await makeChanges(api);
      const before = await seen(api);
      assert.ok(before.audit.length > 0);

      // Writes, one after another, all through the backup: evidence files on another action.
      let writing = true;
      let acknowledged = 0;
      const writer = (async () => {
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the test sets it to false
        for (let n = 1; writing; n += 1) {
          await api.uploadEvidence(BUSY_ACTION, `During the backup ${n}`, Buffer.from(`write ${n} ${randomUUID()}`));
          acknowledged = n;
        }
      })();
      while (acknowledged < 2) await new Promise((resolve) => setTimeout(resolve, 20));
      const atStart = acknowledged;
      const backedUp = await clasp(store, ['backup', '--out', file]);
      const atEnd = acknowledged;
      writing = false;
      await writer;
      assert.match(backedUp, /^Backed up the (SQLite|PostgreSQL) database .* \(\d+(\.\d)? (KB|MB|bytes)\)/);
      assert.match(backedUp, /1 reviews, 93 actions/);
      assert.ok(fs.statSync(file).size > 0);

      // A second backup to the same name is refused; --force replaces it.
      const again = await runClasp(store, ['backup', '--out', file]);
      assert.equal(again.code, 2);
      assert.match(again.stderr, /already exists\. Give another file name, or add --force to replace it\./);

      let target = store;
      if (kind.name === 'sqlite') {
        const inUse = await runClasp(store, ['restore', file]);
        assert.equal(inUse.code, 2);
        assert.match(inUse.stderr, /is in use, probably by a running Clasp server\. Stop the server/);
        assert.equal(await first.stop(), 0);
        const refused = await runClasp(store, ['restore', file]);
        assert.equal(refused.code, 2);
        assert.match(refused.stderr, /already holds data .*Add --force to replace it/);
        const restored = await clasp(store, ['restore', file, '--force']);
        assert.match(restored, /The database it replaced is kept as .*clasp\.db\.before-restore-/);
        assert.match(restored, /The audit trail is intact/);
      } else {
        assert.equal(await first.stop(), 0);
        const refused = await runClasp(store, ['restore', file]);
        assert.equal(refused.code, 2);
        assert.match(refused.stderr, /already holds data .*create a new, empty one/);
        target = await postgresStore();
        cleanups.push(() => target.dispose());
        const restored = await clasp(target, ['restore', file]);
        assert.match(restored, /Every table matches the backup \(count and checksum\)\./);
        assert.match(restored, /The audit trail is intact/);
      }
      await auditVerified(target);

      const second = await startServer(target);
      servers.push(second);
      api = new Api(second.base, secret);
      const after = await seen(api);
      // The writes during the backup: those acknowledged before it started are in it, those
      // after it ended are not, and what is in it is a run from the first with no gap.
      const kept = await busyTitles(api);
      assert.ok(kept.length >= atStart && kept.length <= atEnd + 1, `${kept.length} of ${atStart}..${atEnd + 1}`);
      assert.deepEqual(
        kept,
        Array.from({ length: kept.length }, (_, i) => `During the backup ${i + 1}`),
      );
      // Everything else as it was before the writes began; the trail has theirs on top.
      assert.deepEqual(after.action, before.action);
      assert.deepEqual(after.versions, before.versions);
      assert.deepEqual(after.audit.slice(kept.length), before.audit);
      assert.equal(after.audit.length, before.audit.length + kept.length);
      const download = await api.bytes(`/reviews/${REVIEW}/evidence/${evidenceId}/file`);
      assert.equal(sha256(download), sha256(bytes));
      // The plan as before, but for the busy action's evidence: each upload bumped the plan's
      // revision once, and may have changed the exceptions about that action.
      const { review: reviewAfter, exceptions: exceptionsAfter, exceptionsTotal: _a, ...restAfter } = after.overview;
      const {
        review: reviewBefore,
        exceptions: exceptionsBefore,
        exceptionsTotal: _b,
        ...restBefore
      } = before.overview;
      assert.deepEqual(restAfter, restBefore);
      const revision = (review: unknown) => (review as { plan_revision: number }).plan_revision;
      assert.deepEqual(
        { ...(reviewAfter as object), plan_revision: 0 },
        { ...(reviewBefore as object), plan_revision: 0 },
      );
      assert.equal(revision(reviewAfter), revision(reviewBefore) + kept.length);
      const elsewhere = (list: unknown) =>
        (list as { subject: { type: string; id: number } }[]).filter(
          (e) => !(e.subject.type === 'action' && e.subject.id === BUSY_ACTION),
        );
      // The review's query of an exception's organisations has no order: PostgreSQL gives them as
      // its rows lie, which a restore (rows in key order) can change. Compared as sets.
      assert.deepEqual(
        sortedOrganisations(elsewhere(exceptionsAfter)),
        sortedOrganisations(elsewhere(exceptionsBefore)),
      );
      // The restored database takes new writes.
      await api.uploadEvidence(ACTION, 'After the restore', Buffer.from('after'));
      assert.equal(await second.stop(), 0);
      await auditVerified(target);
    });
  }

  it('move-to: the demo on SQLite, copied into an empty PostgreSQL database, serves the same review', async () => {
    const source = sqliteStore();
    cleanups.push(() => source.dispose());
    const target = await postgresStore();
    cleanups.push(() => target.dispose());
    const servers: ServerProcess[] = [];
    cleanups.push(() => Promise.all(servers.map((s) => s.kill())));

    const first = await startServer(source, { args: ['--demo'] });
    servers.push(first);
    const secret = await tokenFor(source);
    let api = new Api(first.base, secret);
    const { evidenceId, bytes } = await makeChanges(api);
    const before = await seen(api);

    const url = target.env.DATABASE_URL ?? '';
    const inUse = await runClasp(source, ['move-to', url]);
    assert.equal(inUse.code, 2);
    assert.match(inUse.stderr, /is in use, probably by a running Clasp server\. Stop the server/);
    assert.equal(await first.stop(), 0);

    const moved = await clasp(source, ['move-to', url]);
    assert.match(moved, /^Copied the SQLite database .* into postgres:\/\/.* in \d+\.\d s\./);
    assert.match(moved, /Every table has the same rows on both sides \(count and SHA-256 of its rows, \d+ tables\)\./);
    assert.match(moved, /The audit trail is intact/);
    assert.match(moved, /To switch over:\n {2}1\. Keep the server stopped/);
    assert.match(moved, /Set DATABASE_URL=postgres:\/\/.*:\*\*\*\*@/);
    await auditVerified(target);

    const second = await startServer(target);
    servers.push(second);
    api = new Api(second.base, secret);
    assert.deepEqual(await seen(api), before);
    const download = await api.bytes(`/reviews/${REVIEW}/evidence/${evidenceId}/file`);
    assert.equal(sha256(download), sha256(bytes));
    // New rows get new ids on PostgreSQL: the sequences were moved past the copied ones.
    await api.uploadEvidence(ACTION, 'After the move', Buffer.from('after'));
    assert.equal(await second.stop(), 0);

    const twice = await runClasp(source, ['move-to', url]);
    assert.equal(twice.code, 2);
    assert.match(
      twice.stderr,
      /already holds data \(.*\)\. Clasp copies only into an empty database: create a new, empty one and give its URL/,
    );
  });
});

/** Exceptions with their organisation ids in order. */
function sortedOrganisations(exceptions: object[]): object[] {
  return exceptions.map((e) => {
    const ids = (e as { organisationIds?: string[] }).organisationIds;
    return ids ? { ...e, organisationIds: [...ids].sort() } : e;
  });
}
