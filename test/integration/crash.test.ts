// A crash in the middle of a write (issue 18 §4). The real server (`clasp serve --demo`) is
// started with CLASP_FAILPOINT naming a point inside a write's transaction, after part of its data
// is written (src/platform/failpoints.ts); the write is sent with an API token; once the server
// says it reached the point, it is killed with SIGKILL, as by a power cut. The database is then
// checked (SQLite's integrity and foreign key checks, before anything reopens it for writing), the
// server restarted without the failpoint, and what a person sees compared with what they saw
// before the write: nothing of the interrupted write may show, the audit trail must still verify
// and hold no event for it, and the same write, sent again, must work in full.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { FailpointName } from '../../src/platform/failpoints.ts';
import { runClasp, startServer, storeKinds, type ServerProcess, type ServerStore } from '../helpers/server-process.ts';
import { makeToken, TokenApi, type ApiAnswer } from '../helpers/process-api.ts';

const REVIEW = 1;
const COORDINATOR = 'coordinator@demo.clasp.invalid';
const PLAN_FILE = path.resolve(import.meta.dirname, '../fixtures/plans/plan.csv');
// The demo's action that the evidence is added to.
const ACTION = 2;

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** 'YYYY-MM-DD', `days` from today. */
function dayFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** Rows from the store's database, read directly: SQLite opened read-only, PostgreSQL over a client of its own. */
async function query(store: ServerStore, text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  if (store.name === 'sqlite') {
    const db = new SQLite(path.join(store.env.CLASP_DATA_DIR ?? '', 'clasp.db'), {
      readonly: true,
      fileMustExist: true,
    });
    try {
      const statement = db.prepare(text.replace(/\$\d+/g, '?'));
      return statement.reader ? (statement.all(...params) as Record<string, unknown>[]) : [];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: store.env.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

async function count(store: ServerStore, text: string, params: unknown[] = []): Promise<number> {
  const [row] = await query(store, text, params);
  return Number(row?.n ?? 0);
}

/** How many rows of each kind a write could leave behind, and the audit trail's length. */
const COUNTS = {
  recommendations: 'select count(*) as n from recommendations',
  actions: 'select count(*) as n from actions',
  progress: 'select count(*) as n from progress_updates',
  ratings: 'select count(*) as n from rating_events',
  evidence: 'select count(*) as n from evidence_items',
  blobs: 'select count(*) as n from blobs',
  versions: 'select count(*) as n from plan_versions',
  meetings: 'select count(*) as n from meetings',
  draftMinutes: "select count(*) as n from meetings where minutes_status = 'draft'",
  decidedItems: "select count(*) as n from meeting_items where outcome <> 'open'",
  requests: 'select count(*) as n from meeting_requests',
  importsConfirmed: "select count(*) as n from imports where status = 'imported'",
  planRevision: `select plan_revision as n from reviews where id = ${REVIEW}`,
  audit: 'select count(*) as n from audit_events',
} as const;

type Counts = Record<keyof typeof COUNTS, number>;

async function counts(store: ServerStore): Promise<Counts> {
  const entries = await Promise.all(
    Object.entries(COUNTS).map(async ([name, text]) => [name, await count(store, text)] as const),
  );
  return Object.fromEntries(entries) as Counts;
}

/** Rows that point at nothing, as a foreign key would refuse (PostgreSQL checks them itself; this is both). */
const ORPHANS = [
  [
    'evidence_items e',
    'e.blob_sha256 is not null and not exists (select 1 from blobs b where b.sha256 = e.blob_sha256)',
  ],
  ['actions a', 'not exists (select 1 from recommendations r where r.id = a.recommendation_id)'],
  ['progress_updates p', 'not exists (select 1 from actions a where a.id = p.action_id)'],
  ['meeting_requests q', 'not exists (select 1 from meetings m where m.id = q.meeting_id)'],
  ['meeting_items i', 'not exists (select 1 from meetings m where m.id = i.meeting_id)'],
].map(([table, orphan]) => `select count(*) as n from ${table} where ${orphan}`);

/** Connections to the database that are inside a transaction, waiting. */
const IN_TRANSACTION =
  "select count(*) as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'";

/** The database after the kill, before anything opens it to write: whole, and nothing pointing at nothing. */
async function checkDatabase(store: ServerStore): Promise<void> {
  if (store.name === 'sqlite') {
    assert.deepEqual(await query(store, 'pragma integrity_check'), [{ integrity_check: 'ok' }]);
    assert.deepEqual(await query(store, 'pragma foreign_key_check'), []);
  } else {
    // The killed server's connection is gone and its transaction with it: nothing holds a lock.
    assert.equal(await count(store, IN_TRANSACTION), 0);
  }
  for (const orphans of ORPHANS) assert.equal(await count(store, orphans), 0, orphans);
}

/**
 * That the server stopped at the failpoint holds a write open: on SQLite the write lock is taken
 * (another writer is refused at once), on PostgreSQL one of its connections is in a transaction.
 */
async function checkWriteOpen(store: ServerStore): Promise<void> {
  if (store.name === 'sqlite') {
    const db = new SQLite(path.join(store.env.CLASP_DATA_DIR ?? '', 'clasp.db'), { timeout: 0, fileMustExist: true });
    try {
      assert.throws(() => db.exec('begin immediate'), /database is locked/);
    } finally {
      if (db.inTransaction) db.exec('rollback');
      db.close();
    }
  } else {
    assert.ok((await count(store, IN_TRANSACTION)) >= 1, 'a transaction is open at the failpoint');
  }
}

/** One write that a crash interrupts. */
interface CrashCase<P> {
  failpoint: FailpointName;
  title: string;
  /** The audit event the write records, and only it. */
  event: { entityType: string; action: string };
  /** What comes before the write on the same server (an upload to preview, a meeting to decide at). */
  prepare: (api: TokenApi) => Promise<P>;
  /** The write itself: one request. */
  write: (api: TokenApi, p: P) => Promise<ApiAnswer>;
  /** What a person sees of it through the API: the same before the write and after the crash. */
  seen: (api: TokenApi, p: P) => Promise<unknown>;
  /** What must have changed once the write, sent again after the restart, has worked. */
  done: (api: TokenApi, p: P, answer: ApiAnswer, before: Counts, now: Counts, store: ServerStore) => Promise<void>;
}

function crashCase<P>(c: CrashCase<P>): CrashCase<unknown> {
  return c as CrashCase<unknown>;
}

const cases: CrashCase<unknown>[] = [
  crashCase<{ importId: number }>({
    failpoint: 'import-confirm',
    title: "a plan import's confirmation, after the plan's rows are written",
    event: { entityType: 'import', action: 'imported' },
    prepare: async (api) => {
      const form = new FormData();
      form.set('file', new Blob([fs.readFileSync(PLAN_FILE)], { type: 'text/csv' }), 'plan.csv');
      const started = await api.send('POST', `/api/reviews/${REVIEW}/import`, form);
      assert.equal(started.status, 201, JSON.stringify(started.body));
      return { importId: Number(started.body.importId) };
    },
    write: (api, { importId }: { importId: number }) =>
      api.send('POST', `/api/imports/${importId}/confirm`, { acceptMismatch: true }),
    seen: async (api, { importId }: { importId: number }) => {
      const imported = await api.get(`/api/imports/${importId}`);
      return { status: imported.status, review: (await api.get(`/api/reviews/${REVIEW}`)).ratings };
    },
    done: async (api, { importId }: { importId: number }, answer, before, now) => {
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.equal(answer.body.actionsNew, 3);
      assert.equal((await api.get(`/api/imports/${importId}`)).status, 'imported');
      assert.equal(now.actions, before.actions + 3);
      assert.equal(now.recommendations, before.recommendations + 1);
      assert.equal(now.progress, before.progress + 3);
      assert.equal(now.importsConfirmed, before.importsConfirmed + 1);
    },
  }),
  crashCase<{ bytes: Buffer; title: string }>({
    failpoint: 'evidence-upload',
    title: "an evidence upload, after the file's content is stored and before its evidence row",
    event: { entityType: 'evidence_item', action: 'created' },
    prepare: () => {
      const bytes = Buffer.from(`Audit of records, quarter 3. ${randomUUID()}\n`);
      return Promise.resolve({ bytes, title: `Audit of records ${randomUUID().slice(0, 8)}` });
    },
    write: (api, { bytes, title }: { bytes: Buffer; title: string }) => {
      const form = new FormData();
      form.set('kind', 'file');
      form.set('title', title);
      form.set('effectiveOn', dayFromToday(-2));
      form.set('file', new Blob([new Uint8Array(bytes)], { type: 'text/plain' }), 'audit.txt');
      return api.send('POST', `/api/reviews/${REVIEW}/actions/${ACTION}/evidence`, form);
    },
    seen: (api) => api.get(`/api/reviews/${REVIEW}/actions/${ACTION}`),
    done: async (api, { bytes, title }: { bytes: Buffer; title: string }, answer, before, now, store) => {
      assert.equal(answer.status, 201, JSON.stringify(answer.body));
      assert.equal(answer.body.status, 'submitted');
      assert.ok(JSON.stringify(await api.get(`/api/reviews/${REVIEW}/actions/${ACTION}`)).includes(title));
      assert.equal(now.evidence, before.evidence + 1);
      assert.equal(now.blobs, before.blobs + 1);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const [row] = await query(
        store,
        'select e.id as id, b.content as content from evidence_items e ' +
          'join blobs b on b.sha256 = e.blob_sha256 where e.blob_sha256 = $1',
        [sha256],
      );
      assert.equal(Number(row?.id), answer.body.evidenceId);
      assert.ok(Buffer.from(row?.content as Uint8Array).equals(bytes));
    },
  }),
  crashCase<null>({
    failpoint: 'version-issue',
    title: 'a version issue, after the version and its snapshot are written and before its audit event',
    event: { entityType: 'plan_version', action: 'issued' },
    prepare: () => Promise.resolve(null),
    write: (api) =>
      api.send('POST', `/api/reviews/${REVIEW}/versions`, {
        purpose: 'comment',
        comment: 'For the board to comment on',
        recipients: 'Health and wellbeing board',
      }),
    seen: (api) => api.get(`/api/reviews/${REVIEW}/versions`),
    done: async (api, _p, answer, before, now) => {
      assert.equal(answer.status, 201, JSON.stringify(answer.body));
      const version = answer.body.version as { number: string; frozen: boolean };
      assert.equal(version.frozen, true);
      // The number the interrupted write would have taken is not used up.
      assert.equal(Number(version.number), before.versions + 1);
      const versions = (await api.get(`/api/reviews/${REVIEW}/versions`)).versions as { number: string }[];
      assert.equal(versions.at(-1)?.number, version.number);
      const snapshot = await api.get(`/api/reviews/${REVIEW}/versions/${version.number}`);
      assert.ok(JSON.stringify(snapshot).includes('For the board to comment on'));
      assert.equal(now.versions, before.versions + 1);
    },
  }),
  crashCase<{ meetingId: number; itemIds: number[] }>({
    failpoint: 'meeting-decisions',
    title: "a meeting's batch of decisions, after the first decision is written",
    event: { entityType: 'meeting', action: 'decisions' },
    prepare: async (api) => {
      const scheduled = await api.send('POST', `/api/reviews/${REVIEW}/meetings`, {
        startsOn: dayFromToday(30),
        time: '14:00',
        forum: 'peer_challenge',
        place: 'Committee room, CCG offices',
      });
      assert.equal(scheduled.status, 201, JSON.stringify(scheduled.body));
      const meetingId = Number(scheduled.body.id);
      const meeting = await api.get(`/api/reviews/${REVIEW}/meetings/${meetingId}`);
      const items = (meeting.items as { id: number; decisions: string[] }[])
        .filter((i) => i.decisions.includes('request'))
        .slice(0, 3);
      assert.equal(items.length, 3, 'the demo meeting has three items to ask for more evidence on');
      return { meetingId, itemIds: items.map((i) => i.id) };
    },
    write: (api, { meetingId, itemIds }: { meetingId: number; itemIds: number[] }) =>
      api.send('POST', `/api/reviews/${REVIEW}/meetings/${meetingId}/decisions`, {
        items: itemIds.map((itemId) => ({
          itemId,
          decision: 'request',
          request: 'Send the latest audit of records.',
          requestDue: dayFromToday(60),
        })),
      }),
    seen: (api, { meetingId }: { meetingId: number }) => api.get(`/api/reviews/${REVIEW}/meetings/${meetingId}`),
    done: async (api, { meetingId, itemIds }: { meetingId: number; itemIds: number[] }, answer, before, now) => {
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.equal(answer.body.message, '3 decided');
      const meeting = await api.get(`/api/reviews/${REVIEW}/meetings/${meetingId}`);
      const items = meeting.items as { id: number; outcome: string }[];
      assert.deepEqual(
        itemIds.map((id) => items.find((i) => i.id === id)?.outcome),
        ['decided', 'decided', 'decided'],
      );
      assert.equal(meeting.minutesStatus, 'draft');
      assert.equal(now.requests, before.requests + 3);
      assert.equal(now.decidedItems, before.decidedItems + 3);
    },
  }),
];

async function until(condition: () => boolean, what: string, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await wait(25);
  }
}

async function eventCount(store: ServerStore, event: { entityType: string; action: string }): Promise<number> {
  return count(store, 'select count(*) as n from audit_events where entity_type = $1 and action = $2', [
    event.entityType,
    event.action,
  ]);
}

/**
 * One database, and the server running on it now. The cases run one after another on it: the
 * server restarted after one case's crash is started with the next case's failpoint, which no
 * other write reaches, so it serves as "the restarted server" for the one and as "the server that
 * crashes" for the next. Each process costs seconds of CPU on a busy machine: this way a database
 * needs five servers, not eight.
 */
class Run {
  server: ServerProcess | null = null;
  armed: string | null = null;
  token = '';

  constructor(readonly store: ServerStore) {}

  /** The running server if it has this failpoint (null: none); otherwise a new one that has. */
  async serverWith(failpoint: FailpointName | null): Promise<TokenApi> {
    if (!this.server || this.armed !== failpoint) {
      await this.server?.kill();
      const first = !this.token;
      this.server = await startServer(this.store, {
        args: first ? ['--demo'] : [],
        // Reading the plan file in a busy test run can take longer than the usual limit.
        env: { CLASP_IMPORT_TIME_LIMIT_SECONDS: '300', ...(failpoint ? { CLASP_FAILPOINT: failpoint } : {}) },
      });
      this.armed = failpoint;
      if (first) {
        this.token = await makeToken(this.store, COORDINATOR, 'write', 'crash');
      }
    }
    return new TokenApi(this.server.base, this.token);
  }

  async crash(c: CrashCase<unknown>, next: FailpointName | null): Promise<void> {
    const { store } = this;
    // 1. A server that stops inside the write, and what a person sees before it.
    let api = await this.serverWith(c.failpoint);
    const crashing = this.server;
    assert.ok(crashing);
    const prepared = await c.prepare(api);
    const seenBefore = await c.seen(api, prepared);
    const before = await counts(store);
    const eventsBefore = await eventCount(store, c.event);

    // 2. The write, stopped at the failpoint and killed there: the request gets no answer.
    const sent = c.write(api, prepared).then(
      (answered) => ({ answered, error: null }),
      (error: unknown) => ({ answered: null, error }),
    );
    await until(() => crashing.stderr().includes(`failpoint reached: ${c.failpoint}`), 'the failpoint');
    await checkWriteOpen(store);
    await crashing.kill();
    this.server = null;
    const outcome = await sent;
    assert.equal(outcome.answered, null, 'the interrupted write got no answer');
    // fetch's "fetch failed": the connection was closed with the request unanswered.
    assert.ok(outcome.error instanceof TypeError, String(outcome.error));

    // 3. The database is whole; once restarted, nothing of the write shows.
    await checkDatabase(store);
    assert.deepEqual(await counts(store), before);
    api = await this.serverWith(next);
    assert.deepEqual(await c.seen(api, prepared), seenBefore);
    assert.deepEqual(await counts(store), before);
    assert.equal(await eventCount(store, c.event), eventsBefore);

    // 4. The same write again, with nothing in its way.
    const answer = await c.write(api, prepared);
    const now = await counts(store);
    await c.done(api, prepared, answer, before, now, store);
    assert.equal(await eventCount(store, c.event), eventsBefore + 1);
    assert.ok(now.audit > before.audit);
    await checkDatabase(store);
  }
}

// The two databases side by side; on each, the four cases one after another (see Run).
describe('a crash in the middle of a write', { concurrency: true }, () => {
  for (const kind of storeKinds) {
    // One case after another (not inherited from the describe above).
    describe(`on ${kind.name}`, { concurrency: false }, () => {
      let run: Run | undefined;
      after(async () => {
        await run?.server?.kill();
        await run?.store.dispose();
      });

      for (const [index, c] of cases.entries()) {
        it(`${c.title}: nothing half-written after a restart, and the write then works`, async () => {
          run ??= new Run(await kind.make());
          await run.crash(c, cases[index + 1]?.failpoint ?? null);
        });
      }

      it('leaves an audit trail that verifies', async () => {
        assert.ok(run);
        const verified = await runClasp(run.store, ['audit', 'verify']);
        assert.equal(verified.code, 0, verified.stdout + verified.stderr);
        assert.match(verified.stdout, /The audit trail is intact/);
      });
    });
  }
});
