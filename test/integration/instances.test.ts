// Two Clasp processes (`clasp serve`) on one PostgreSQL database, driven over real HTTP as a
// proxy in front of them would: a change made on one shows on the other at once, a session
// works on either and ends on both, reminders are sent once however many run, and imports and
// version issues sent to both at once leave the plan consistent.
//
// PostgreSQL only. The embedded SQLite database is a file in CLASP_DATA_DIR that one server
// process opens: instances on other machines cannot reach it (SQLite's locking is not safe on
// network file systems), and Clasp is neither built nor tested for several processes writing
// one file, so several instances mean PostgreSQL. Like the other PostgreSQL tests, this fails
// at once, saying why, when TEST_DATABASE_URL is not set (freshStore).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { openDatabase, type DatabaseHandle, type Db } from '../../src/platform/db/database.ts';
import { DEMO_PASSWORD } from '../../src/features/demo/demo.service.ts';
import { todayInEngland } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { runReminders } from '../../src/features/reminders/reminders.service.ts';
import { addDays } from '../../src/domain/dates.ts';
import { visibleText } from '../helpers/app.ts';
import {
  createAction,
  createGroup,
  createOrganisation,
  createRecommendation,
  createReview,
} from '../helpers/factories.ts';
import { addMember, createUser } from '../helpers/people.ts';
import {
  postgresStore,
  runClasp,
  startServer,
  type ServerProcess,
  type ServerStore,
} from '../helpers/server-process.ts';

const DEMO_REVIEW = 1;
const COORDINATOR = 'coordinator@demo.clasp.invalid';
const EDITOR = 'editor@demo.clasp.invalid';
const ADMIN = 'admin@demo.clasp.invalid';
/** How long a signed-out or disabled session may still work on the other instance. */
const SESSION_END_LIMIT_MS = 5000;

const fixtures = path.resolve(import.meta.dirname, '../fixtures');
const REPORT_DOCX = 'rotherham-2015-cqc-report.docx';
const ROTHERHAM_PLAN = 'rotherham-2015-hwb-paper-and-action-plan.docx';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fresh database on the test cluster; without one, says so plainly before anything else. */
function freshStore(): Promise<ServerStore> {
  if (!process.env.TEST_DATABASE_URL) {
    throw new Error('TEST_DATABASE_URL is not set: these tests need PostgreSQL. Run them with "npm test".');
  }
  return postgresStore();
}

/* ---------- Speaking to the servers ---------- */

/**
 * One person's browser: its cookies, sent to whichever instance it asks (a browser keeps
 * cookies by host, not port, so both instances on 127.0.0.1 get the same ones, as behind a proxy).
 */
class Browser {
  readonly cookies = new Map<string, string>();

  get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async request(base: string, url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', this.cookieHeader);
    const response = await fetch(`${base}${url}`, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some(
        (a) =>
          /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1] ?? '') < Date.now()),
      );
      if (!value || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** A page: its status, visible text and the CSRF token its forms carry. */
  async page(base: string, url: string): Promise<{ status: number; text: string; csrf: string; location: string }> {
    const response = await this.request(base, url);
    const html = await response.text();
    return {
      status: response.status,
      text: visibleText(html),
      csrf: /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '',
      location: response.headers.get('location') ?? '',
    };
  }

  postForm(base: string, url: string, fields: Record<string, string>): Promise<Response> {
    return this.request(base, url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** Signs in on `base` with the sign-in page's form, as a person would. */
  async signIn(base: string, email: string): Promise<void> {
    const form = await this.page(base, '/sign-in');
    assert.equal(form.status, 200);
    const signedIn = await this.postForm(base, '/sign-in', {
      _csrf: form.csrf,
      email,
      password: DEMO_PASSWORD,
      next: `/reviews/${DEMO_REVIEW}`,
    });
    assert.equal(signedIn.status, 303, `${email} signs in: ${await signedIn.text()}`);
    assert.ok(this.cookies.has('clasp_session'), 'a session cookie is set');
  }
}

/** An API client with a token, speaking to whichever instance it is given. */
function api(token: string) {
  const send = async (base: string, method: string, url: string, body?: unknown) => {
    const response = await fetch(`${base}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // Not JSON: the test reading it says what it expected.
    }
    return { status: response.status, json, text };
  };
  return {
    get: (base: string, url: string) => send(base, 'GET', url),
    send,
    async upload(base: string, url: string, fileName: string) {
      const form = new FormData();
      form.append('file', new Blob([fs.readFileSync(path.join(fixtures, fileName))]), fileName);
      const response = await fetch(`${base}${url}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: form,
      });
      const text = await response.text();
      return { status: response.status, json: JSON.parse(text) as Record<string, unknown>, text };
    },
  };
}

/** Makes an API token with `clasp token create`. */
async function makeToken(store: ServerStore, email: string, scope: 'read' | 'write' | 'admin'): Promise<string> {
  const made = await runClasp(store, [
    'token',
    'create',
    '--email',
    email,
    '--name',
    `instances ${scope}`,
    '--scope',
    scope,
  ]);
  assert.equal(made.code, 0, made.stderr);
  const token = made.stdout.trim().split('\n').pop() ?? '';
  assert.match(token, /^clasp_/);
  return token;
}

/** Asks until `check` gives a value (not undefined); the value and how long it took. */
async function poll<T>(check: () => Promise<T | undefined>, limitMs: number): Promise<{ value: T; ms: number } | null> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined) return { value, ms: Date.now() - started };
    if (Date.now() - started > limitMs) return null;
    await wait(50);
  }
}

/* ---------- Mail ---------- */

interface Delivery {
  to: string;
  subject: string;
  body: string;
}

/** Quoted-printable as nodemailer writes it: soft line breaks and =XX bytes. */
function decodeQuotedPrintable(raw: string): string {
  const joined = raw.replace(/=\r?\n/g, '');
  return Buffer.from(
    joined.replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  ).toString('utf8');
}

async function startSmtp() {
  const deliveries: Delivery[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const subject = /^Subject: (.*)$/m.exec(raw)?.[1]?.trim() ?? '';
        for (const to of session.envelope.rcptTo)
          deliveries.push({ to: to.address, subject, body: decodeQuotedPrintable(raw) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${String(port)}`,
    deliveries,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/* ---------- A live plan with reminders due ---------- */

/**
 * A review running today whose actions are overdue: each of `size` organisations has one action
 * and one editor; every other editor also shares a second organisation's action, so some people
 * get one reminder and others several in one email. Returns the review's id.
 */
async function seedLivePlan(db: Db, label: string, size: number): Promise<number> {
  const today = todayInEngland(new Date());
  const received = addDays(today, -70);
  const reviewId = await createReview(db, {
    area: `Instanceshire ${label}`,
    published: addDays(received, -2),
    received,
  });
  const organisations: number[] = [];
  for (let i = 0; i < size; i++)
    organisations.push(await createOrganisation(db, { name: `${label} organisation ${i + 1}` }));
  const groupId = await createGroup(db, reviewId, 1, organisations);
  for (let i = 0; i < size; i++) {
    const recommendationId = await createRecommendation(db, { reviewId, groupId, number: `1.${i + 1}` });
    const shared = i % 2 === 1 ? [organisations[i - 1] ?? 0] : [];
    await createAction(db, {
      reviewId,
      recommendationId,
      organisationIds: [organisations[i] ?? 0, ...shared],
      text: `${label}: audit ${i + 1}`,
      dueDate: addDays(today, -10 - i),
      createdOn: addDays(today, -60),
    });
    const userId = await createUser(db, {
      email: `${label}.editor${i + 1}@example.nhs.uk`,
      name: `${label} editor ${i + 1}`,
    });
    await addMember(db, { userId, reviewId, organisationId: organisations[i] ?? 0, role: 'editor' });
  }
  const coordinator = await createUser(db, {
    email: `${label}.coordinator@example.nhs.uk`,
    name: `${label} coordinator`,
  });
  await addMember(db, { userId: coordinator, reviewId, organisationId: organisations[0] ?? 0, role: 'coordinator' });
  return reviewId;
}

/** The messages a run sends (single reminders and emails of several), with their items. */
async function messagesOf(db: Db, label: string) {
  const rows = await db
    .selectFrom('reminders as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select(['r.id', 'r.key', 'r.reason', 'r.status', 'r.summary', 'r.digest_key', 'u.email'])
    .where('u.email', 'like', `${label}.%`)
    .where('r.is_illustrative', '=', 0)
    .orderBy('r.id')
    .execute();
  const messages = rows.filter((r) => r.digest_key === null);
  const itemsOf = (key: string) => rows.filter((r) => r.digest_key === key);
  return { rows, messages, itemsOf };
}

/**
 * Each reminder recorded once and mailed once: every message sent, every email matching one
 * message, each reminder's summary in exactly one email to its person, no message without items.
 */
async function assertEachSentOnce(db: Db, label: string, deliveries: Delivery[]): Promise<number> {
  const { rows, messages, itemsOf } = await messagesOf(db, label);
  assert.ok(rows.length > 0, 'reminders were recorded');
  const mine = deliveries.filter((d) => d.to.startsWith(`${label}.`));
  const notSent = messages.filter((m) => m.status !== 'sent');
  assert.deepEqual(notSent, [], 'every message is sent');
  const empty = messages.filter(
    (m) => (m.reason === 'together' || m.reason === 'digest') && itemsOf(m.key).length === 0,
  );
  assert.deepEqual(
    empty.map((m) => `${m.email}: ${m.key}`),
    [],
    'no email of several reminders is recorded without any (a second run grouping the same reminders again)',
  );
  assert.equal(
    mine.length,
    messages.length,
    `one email per message: ${mine.map((d) => `${d.to} ${d.subject}`).join('; ')}`,
  );
  for (const item of rows.filter((r) => r.reason !== 'together' && r.reason !== 'digest')) {
    const carrying = mine.filter((d) => d.to === item.email && d.body.includes(item.summary));
    assert.equal(carrying.length, 1, `"${item.summary}" is mailed to ${item.email} exactly once`);
  }
  const keys = rows.map((r) => r.key);
  assert.equal(new Set(keys).size, keys.length, 'each reminder key is recorded once');
  return mine.length;
}

/* ---------- The tests ---------- */

describe('several Clasp instances on one PostgreSQL database', { concurrency: true }, () => {
  describe('two servers started one after the other', { concurrency: false }, () => {
    let store: ServerStore;
    let a: ServerProcess | undefined;
    let b: ServerProcess | undefined;
    let handle: DatabaseHandle;
    let coordinator: ReturnType<typeof api>;
    let admin: ReturnType<typeof api>;

    before(async () => {
      store = await freshStore();
      // A loads the demo (and migrates); B starts on the database A made.
      // A busy test machine reads a report slowly: the time limit is not what is tested here.
      const env = { CLASP_IMPORT_TIME_LIMIT_SECONDS: '300' };
      a = await startServer(store, { args: ['--demo'], env });
      b = await startServer(store, { env });
      handle = await openDatabase({ url: store.env.DATABASE_URL ?? null, poolSize: 2 });
      coordinator = api(await makeToken(store, COORDINATOR, 'write'));
      admin = api(await makeToken(store, ADMIN, 'admin'));
    });
    after(async () => {
      // Each may be missing when `before` failed part way.
      await (handle as DatabaseHandle | undefined)?.close();
      await Promise.all([a?.stop(), b?.stop()]);
      await (store as ServerStore | undefined)?.dispose();
    });
    const A = () => a?.base ?? '';
    const B = () => b?.base ?? '';

    it('shows a change made on A on B at once: pages, JSON and the plan analysis', async () => {
      const browser = new Browser();
      await browser.signIn(A(), COORDINATOR);
      // Recommendation 1.1: action 1 is rated, action 2 is not.
      const edited = `/reviews/${DEMO_REVIEW}/actions/1`;
      const action = `/reviews/${DEMO_REVIEW}/actions/2`;
      const recommendation = `/reviews/${DEMO_REVIEW}/recommendations/1.1`;
      const overview = `/reviews/${DEMO_REVIEW}`;
      // B reads everything twice first, so whatever it caches is in its caches.
      for (let i = 0; i < 2; i++) {
        for (const url of [overview, recommendation, action, edited])
          assert.equal((await browser.page(B(), url)).status, 200);
        for (const url of [`/api${overview}`, `/api${action}`, `/api${edited}`, `/api${recommendation}`])
          assert.equal((await coordinator.get(B(), url)).status, 200);
      }
      const before = await browser.page(B(), overview);
      assert.match(before.text, /Ratings of the 93 actions Blue 72 Green 13 Amber 3 Red 1 Not rated 4/);
      assert.match((await browser.page(B(), recommendation)).text, /4 of 5 actions rated/);
      const planBefore = (await coordinator.get(B(), `/api${overview}`)).json as {
        ratings: { plan: { actions: Record<string, number> } };
      };

      // The measure, changed on A through the API.
      const read = await coordinator.get(B(), `/api${edited}`);
      const version = (read.json.action as { version: number }).version;
      const measure = `Measured on instance A at ${new Date().toISOString()}`;
      const patched = await coordinator.send(A(), 'PATCH', `/api${edited}`, { measure, version });
      assert.equal(patched.status, 200, patched.text);
      assert.ok((await browser.page(B(), edited)).text.includes(measure), 'B’s action page shows the new measure');
      const json = await coordinator.get(B(), `/api${edited}`);
      assert.equal((json.json.action as { measure: string }).measure, measure, 'B’s JSON shows the new measure');
      assert.equal((json.json.action as { version: number }).version, version + 1);

      // A progress update posted on A.
      const progress = `Progress posted on instance A at ${new Date().toISOString()}`;
      const posted = await coordinator.send(A(), 'POST', `/api${action}/progress`, {
        progressOn: todayInEngland(new Date()),
        text: progress,
      });
      assert.equal(posted.status, 201, posted.text);
      assert.ok((await browser.page(B(), action)).text.includes(progress), 'B’s action page shows the update');

      // A rating agreed on A: the unrated action becomes Amber.
      const rated = await coordinator.send(A(), 'POST', `/api${action}/rating`, {
        decision: 'agree',
        rating: 'amber',
        rationale: 'Agreed on instance A',
      });
      assert.equal(rated.status, 201, rated.text);
      const after = await browser.page(B(), overview);
      assert.match(
        after.text,
        /Ratings of the 93 actions Blue 72 Green 13 Amber 4 Red 1 Not rated 3/,
        'B’s overview counts the new rating',
      );
      assert.match((await browser.page(B(), recommendation)).text, /5 of 5 actions rated/);
      assert.match((await browser.page(B(), action)).text, /Agreed on instance A/);
      const planAfter = (await coordinator.get(B(), `/api${overview}`)).json as typeof planBefore;
      assert.equal(planAfter.ratings.plan.actions.amber, (planBefore.ratings.plan.actions.amber ?? 0) + 1);
      assert.equal(planAfter.ratings.plan.actions.unrated, (planBefore.ratings.plan.actions.unrated ?? 0) - 1);
      const recJson = await coordinator.get(B(), `/api${recommendation}`);
      const rowOf = (recJson.json.actions as { id: number; rating: string | null; measure: string }[]).find(
        (r) => r.id === 2,
      );
      assert.equal(rowOf?.rating, 'amber', 'B’s recommendation JSON shows the rating');
    });

    it('keeps a session on either instance and ends it on both when it is signed out on A', async (t) => {
      const browser = new Browser();
      await browser.signIn(A(), COORDINATOR);
      const onA = await browser.page(A(), '/account');
      assert.equal(onA.status, 200);
      const onB = await browser.page(B(), `/reviews/${DEMO_REVIEW}`);
      assert.equal(onB.status, 200);
      assert.match(onB.text, /Demo plan coordinator/, 'B knows who is signed in');
      // A form on B, with the CSRF token of A's page.
      const chosen = await browser.postForm(B(), '/account/reminders', { _csrf: onA.csrf, reminders: 'weekly' });
      assert.equal(chosen.status, 303, await chosen.text());
      const choice = await browser.request(A(), '/api/account/reminders');
      assert.equal(((await choice.json()) as { reminders: string }).reminders, 'weekly', 'A reads what B saved');
      // And the other way round: a form on A with the token of B's page.
      const back = await browser.postForm(A(), '/account/reminders', { _csrf: onB.csrf, reminders: 'immediately' });
      assert.equal(back.status, 303);

      const kept = new Map(browser.cookies);
      const signedOut = await browser.postForm(A(), '/sign-out', { _csrf: onA.csrf });
      assert.equal(signedOut.status, 303);
      // The old cookie, as someone who copied it would send it.
      const stale = new Browser();
      for (const [name, value] of kept) stale.cookies.set(name, value);
      const refused = await poll(async () => {
        const page = await stale.page(B(), `/reviews/${DEMO_REVIEW}`);
        return page.status === 303 && page.location.startsWith('/sign-in') ? page : undefined;
      }, SESSION_END_LIMIT_MS);
      assert.ok(refused, `B still accepted the signed-out session ${SESSION_END_LIMIT_MS} ms after signing out on A`);
      t.diagnostic(`signed out on A: refused on B after ${refused.ms} ms`);
      const form = await stale.postForm(B(), '/account/reminders', { _csrf: onA.csrf, reminders: 'off' });
      assert.equal(form.status, 401, 'a form with the ended session is not saved');
      const saved = await handle.db
        .selectFrom('reminder_preferences as p')
        .innerJoin('users as u', 'u.id', 'p.user_id')
        .select('p.choice')
        .where('u.email', '=', COORDINATOR)
        .executeTakeFirst();
      assert.equal(saved?.choice, 'immediately');
    });

    it('ends a disabled person’s session and token on B when an administrator disables them on A', async (t) => {
      const editor = new Browser();
      await editor.signIn(A(), EDITOR);
      const editorApi = api(await makeToken(store, EDITOR, 'read'));
      assert.equal((await editor.page(B(), `/reviews/${DEMO_REVIEW}`)).status, 200);
      assert.equal((await editorApi.get(B(), `/api/reviews/${DEMO_REVIEW}`)).status, 200);
      const users = await admin.get(A(), '/api/admin/users');
      assert.equal(users.status, 200, users.text);
      const person = (users.json.users as { id: number; email: string }[]).find((u) => u.email === EDITOR);
      assert.ok(person, 'the editor is listed');
      const disabled = await admin.send(A(), 'POST', `/api/admin/users/${person.id}/access`, { change: 'disable' });
      assert.ok(disabled.status < 300, disabled.text);
      const refused = await poll(async () => {
        const page = await editor.page(B(), `/reviews/${DEMO_REVIEW}`);
        return page.status === 303 && page.location.startsWith('/sign-in') ? page : undefined;
      }, SESSION_END_LIMIT_MS);
      assert.ok(refused, `B still accepted the disabled person's session ${SESSION_END_LIMIT_MS} ms later`);
      t.diagnostic(`disabled on A: session refused on B after ${refused.ms} ms`);
      assert.equal((await editorApi.get(B(), `/api/reviews/${DEMO_REVIEW}`)).status, 401, 'B refuses their token');
    });

    it('sends each reminder once when `clasp remind` runs twice at the same moment', async (t) => {
      const smtp = await startSmtp();
      try {
        const label = 'remindcli';
        await seedLivePlan(handle.db, label, 8);
        const env = { CLASP_SMTP_URL: smtp.url };
        const runs = await Promise.all([runClasp(store, ['remind'], env), runClasp(store, ['remind'], env)]);
        for (const run of runs) assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
        const said = runs.map((r) => r.stdout.trim().split('\n').pop() ?? '');
        t.diagnostic(`the two runs: ${said.join(' | ')}`);
        const sent = await assertEachSentOnce(handle.db, label, smtp.deliveries);
        const counted = said.map((line) => Number(/(\d+) sent/.exec(line)?.[1] ?? NaN));
        assert.equal(
          counted.reduce((n, c) => n + c, 0),
          sent,
          'the runs together say they sent what arrived',
        );
        // A third run finds everything recorded and sends nothing more.
        const again = await runClasp(store, ['remind'], env);
        assert.match(again.stdout, / 0 newly recorded, 0 sent, 0 failed\./);
        assert.equal(smtp.deliveries.filter((d) => d.to.startsWith(`${label}.`)).length, sent);
      } finally {
        await smtp.close();
      }
    });

    it('records one email of several per person when two runs find the same reminders at once', async () => {
      // The cycle itself, twice at the same instant on two connections, as two instances' schedules
      // would run it: both read what is recorded before either records anything.
      const smtp = await startSmtp();
      const second = await openDatabase({ url: store.env.DATABASE_URL ?? null, poolSize: 2 });
      try {
        const label = 'remindrace';
        await seedLivePlan(handle.db, label, 6);
        const config = loadConfig({ ...store.env, CLASP_SMTP_URL: smtp.url });
        const today = todayInEngland(new Date());
        const run = (db: Db) =>
          runReminders(
            { db, config, staleDays: config.staleDays, now: () => new Date(), today: () => today },
            { dryRun: false },
          );
        // Both connections open and warm, so neither run starts late.
        await Promise.all(
          [handle.db, second.db].map((db) => db.selectFrom('reminders').select('id').limit(1).execute()),
        );
        const runs = await Promise.all([run(handle.db), run(second.db)]);
        for (const r of runs) assert.equal(r.failed, 0, r.lines.join('\n'));
        await assertEachSentOnce(handle.db, label, smtp.deliveries);
      } finally {
        await second.close();
        await smtp.close();
      }
    });

    it('imports the same plan through A and B at once without duplicating it', async (t) => {
      // A review from the report, then its plan uploaded to both instances before either is confirmed.
      const report = await coordinator.upload(A(), '/api/reviews/import', REPORT_DOCX);
      assert.equal(report.status, 201, report.text);
      const made = await coordinator.send(B(), 'POST', `/api/imports/${String(report.json.importId)}/confirm`, {
        received: '2015-07-14',
      });
      assert.equal(made.status, 200, made.text);
      const reviewId = made.json.reviewId as number;
      const [first, second] = await Promise.all([
        coordinator.upload(A(), `/api/reviews/${reviewId}/import`, ROTHERHAM_PLAN),
        coordinator.upload(B(), `/api/reviews/${reviewId}/import`, ROTHERHAM_PLAN),
      ]);
      assert.equal(first.status, 201, first.text);
      assert.equal(second.status, 201, second.text);
      const expected = (first.json.changes as { actionsNew: number }).actionsNew;
      assert.ok(expected > 50, `the plan brings ${expected} actions`);
      const confirmed = await Promise.all([
        coordinator.send(A(), 'POST', `/api/imports/${String(first.json.importId)}/confirm`, {}),
        coordinator.send(B(), 'POST', `/api/imports/${String(second.json.importId)}/confirm`, {}),
      ]);
      const statuses = confirmed.map((c) => c.status).sort();
      t.diagnostic(
        `confirmed at once: ${confirmed
          .map((c) => `${c.status} (${JSON.stringify(c.json.actionsNew ?? c.json.error)} new actions)`)
          .join(', ')}`,
      );
      const outcome = confirmed.map((c) => `${c.status}: ${c.text.slice(0, 300)}`).join('\n');
      for (const c of confirmed) assert.ok(c.status === 200 || c.status === 409, outcome);
      assert.ok(statuses.includes(200), `one import is saved:\n${outcome}`);
      for (const c of confirmed.filter((r) => r.status === 409)) {
        assert.ok((typeof c.json.error === 'string' ? c.json.error : '').length > 20, `a refusal says why: ${c.text}`);
      }

      // What a person sees: the plan's action count, on both instances.
      for (const base of [A(), B()]) {
        const overview = await coordinator.get(base, `/api/reviews/${reviewId}`);
        const plan = (overview.json.ratings as { plan: { actions: { total: number } } }).plan;
        assert.equal(plan.actions.total, expected, `${base} shows each of the plan's actions once:\n${outcome}`);
      }
      const duplicates = await handle.db
        .selectFrom('actions')
        .select(['recommendation_id', 'action_text', (eb) => eb.fn.countAll<number>().as('copies')])
        .where('review_id', '=', reviewId)
        .where('archived_at', 'is', null)
        .groupBy(['recommendation_id', 'action_text'])
        .having((eb) => eb.fn.countAll(), '>', 1)
        .execute();
      assert.deepEqual(duplicates, [], 'no action is in the plan twice');
      const imports = await handle.db
        .selectFrom('imports')
        .select(['id', 'status'])
        .where('review_id', '=', reviewId)
        .where('kind', '=', 'plan')
        .execute();
      const recorded = await handle.db
        .selectFrom('audit_events')
        .select('entity_id')
        .where('entity_type', '=', 'import')
        .where('action', '=', 'imported')
        .where('review_id', '=', reviewId)
        .execute();
      const saved = confirmed.filter((c) => c.status === 200).length;
      assert.equal(imports.filter((i) => i.status === 'imported').length, saved, 'each saved import is recorded');
      assert.equal(recorded.length, saved + 1, 'the report and each saved plan import are in the audit trail');
    });

    it('numbers two versions issued at once on A and B apart, both complete', async () => {
      const listed = async () =>
        (
          (await coordinator.get(A(), `/api/reviews/${DEMO_REVIEW}/versions`)).json.versions as { number: string }[]
        ).map((v) => v.number);
      const before = await listed();
      // B's overview says what changed since the last version: read first, so it is cached.
      const browser = new Browser();
      await browser.signIn(A(), COORDINATOR);
      const overview = `/reviews/${DEMO_REVIEW}`;
      for (const base of [A(), B(), B()]) {
        assert.match((await browser.page(base, overview)).text, /No version has been issued in Clasp yet/);
      }
      const issued = await Promise.all(
        [A(), B()].map((base) =>
          coordinator.send(base, 'POST', `/api/reviews/${DEMO_REVIEW}/versions`, {
            purpose: 'comment',
            comment: `Issued on ${base}`,
            recipients: 'The board',
          }),
        ),
      );
      for (const i of issued) assert.equal(i.status, 201, i.text);
      const numbers = issued.map((i) => (i.json.version as { number: string }).number);
      assert.notEqual(numbers[0], numbers[1], `two numbers: ${numbers.join(', ')}`);
      const after = await listed();
      assert.equal(after.length, before.length + 2);
      assert.equal(new Set(after).size, after.length, `no number twice: ${after.join(', ')}`);
      const latest = [...numbers].sort((x, y) => Number.parseInt(y, 10) - Number.parseInt(x, 10))[0] ?? '';
      for (const base of [B(), A()]) {
        const text = (await browser.page(base, overview)).text;
        const said = /Changes since[^.]*\./.exec(text)?.[0] ?? '';
        const which = base === A() ? 'A' : 'B';
        assert.ok(text.includes(`Changes since version ${latest}`), `${which}: ${said}`);
      }
      for (const number of numbers) {
        for (const base of [A(), B()]) {
          const shown = await coordinator.get(base, `/api/reviews/${DEMO_REVIEW}/versions/${number}`);
          assert.equal(shown.status, 200, shown.text);
          const plan = shown.json.plan as { recommendations: unknown[] };
          assert.ok(plan.recommendations.length > 20, `version ${number} holds the whole plan`);
        }
      }
    });
  });

  describe('two servers started at once on an empty database', { concurrency: false }, () => {
    let store: ServerStore;
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    const servers: ServerProcess[] = [];
    let handle: DatabaseHandle | undefined;
    const label = 'schedule';
    /** The test's own connection to the database the servers share. */
    const db = async (): Promise<Db> => {
      handle ??= await openDatabase({ url: store.env.DATABASE_URL ?? null, poolSize: 2 });
      return handle.db;
    };

    before(async () => {
      store = await freshStore();
      smtp = await startSmtp();
    });
    after(async () => {
      // Each may be missing when `before` failed part way.
      await handle?.close();
      await Promise.all(servers.map((s) => s.stop()));
      await (smtp as typeof smtp | undefined)?.close();
      await (store as ServerStore | undefined)?.dispose();
    });

    // Loading the demo holds a lock for its transaction, so the second server finds the demo
    // loaded instead of stopping on a duplicate organisation (and a server that cannot start exits).
    it('both start with --demo, and the demo is loaded once', async () => {
      const started = await Promise.allSettled([
        startServer(store, { args: ['--demo'] }),
        startServer(store, { args: ['--demo'] }),
      ]);
      const up = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      try {
        const failed = started.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []));
        assert.deepEqual(failed, [], 'both servers started with --demo at the same moment');
        const demos = await (await db()).selectFrom('reviews').select('id').where('is_demo', '=', 1).execute();
        assert.equal(demos.length, 1, 'one demo review');
        const people = await (
          await db()
        )
          .selectFrom('users')
          .select('email')
          .where('email', 'like', '%@demo.clasp.invalid')
          .execute();
        assert.equal(people.length, 5, 'each demo account once');
        for (const server of up) {
          const browser = new Browser();
          await browser.signIn(server.base, COORDINATOR);
          assert.equal((await browser.page(server.base, `/reviews/${demos[0]?.id ?? 0}`)).status, 200);
        }
      } finally {
        await Promise.all(up.map((s) => s.stop()));
      }
    });

    it('sends each reminder once when both servers run the reminder schedule', async (t) => {
      // Started together, so their first runs, a minute later, come at about the same moment.
      const env = { CLASP_REMINDERS_EVERY_MINUTES: '1', CLASP_SMTP_URL: smtp.url };
      const startedAt = Date.now();
      servers.push(...(await Promise.all([startServer(store, { env }), startServer(store, { env })])));
      await seedLivePlan(await db(), label, 30);
      const done = await poll(async () => {
        if (Date.now() < startedAt + 60_000) return undefined;
        const { messages } = await messagesOf(await db(), label);
        return messages.length > 0 && messages.every((m) => m.status === 'sent') ? true : undefined;
      }, 180_000);
      assert.ok(done, 'the scheduled runs sent the reminders within three minutes');
      // Time for the later server's run to finish, had it anything left to send.
      await wait(3000);
      const sent = await assertEachSentOnce(await db(), label, smtp.deliveries);
      const byServer = servers.map((s) =>
        s.logs.filter((l) => l.msg === 'reminders run').reduce((n, l) => n + Number(l.sent ?? 0), 0),
      );
      t.diagnostic(`emails: ${sent}; sent by each server: ${byServer.join(' and ')}`);
      assert.equal(
        byServer.reduce((n, c) => n + c, 0),
        sent,
        'the servers together say they sent what arrived',
      );
      for (const s of servers) {
        const errors = s.logs.filter((l) => Number(l.level) >= 50);
        assert.deepEqual(errors, [], 'no errors logged');
      }
    });
  });
});
