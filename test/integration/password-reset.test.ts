import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { databaseTargets, type TestDatabase } from '../helpers/databases.ts';
import { visibleText } from '../helpers/app.ts';
import { createUser, sessionFor } from '../helpers/people.ts';
import { Client } from '../helpers/client.ts';
import { linkIn, outbox } from '../helpers/public-forms.ts';

/*
 * Password reset: the link's token never reaches the log; a new password ends every other link,
 * API token and session; requests are limited per address asked about and per client address;
 * and the answer is the same page, sent before any email, whether or not the address has an account.
 */

const PASSWORD = 'walnut harbour tangerine';
const NEW_PASSWORD = 'copper meadow lighthouse';

interface ResetApp {
  app: FastifyInstance;
  db: TestDatabase['handle']['db'];
  dataDir: string;
  log: string[];
  close(): Promise<void>;
}

/** The app on a fresh database, logging at info level into `log`, with mail in its own outbox or SMTP server. */
async function startResetApp(
  target: (typeof databaseTargets)[number],
  env: Record<string, string> = {},
): Promise<ResetApp> {
  const { handle, dispose } = await target.open();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clasp-reset-'));
  const log: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      log.push(chunk.toString('utf8'));
      done();
    },
  });
  const config = loadConfig({ LOG_LEVEL: 'info', CLASP_DATA_DIR: dataDir, ...env });
  const app = await buildApp({ config, database: handle, logger: { level: 'info', stream } });
  await app.ready();
  return {
    app,
    db: handle.db,
    dataDir,
    log,
    async close() {
      await app.close();
      await dispose();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A public form posted as a browser would (its CSRF cookie and token first), from a client address. */
async function postPublic(
  app: FastifyInstance,
  formUrl: string,
  postUrl: string,
  fields: Record<string, string>,
  remoteAddress = '127.0.0.1',
): Promise<LightMyRequestResponse> {
  const form = await app.inject({ url: formUrl, remoteAddress });
  const cookie = form.cookies.find((c) => c.name === 'clasp_csrf');
  const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
  assert.ok(cookie && token);
  return app.inject({
    method: 'POST',
    url: postUrl,
    remoteAddress,
    headers: { cookie: `clasp_csrf=${cookie.value}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: token, ...fields }).toString(),
  });
}

const askForReset = (app: FastifyInstance, email: string, remoteAddress?: string) =>
  postPublic(app, '/forgot-password', '/forgot-password', { email }, remoteAddress);

/** The emails sent to an address so far. */
function mailTo(dataDir: string, address: string): string[] {
  return [...outbox(dataDir).values()].filter((m) => m.includes(`To: ${address}`));
}

/** Waits until `count` emails have gone to the address (they are sent after the answer). */
async function waitForMail(dataDir: string, address: string, count = 1): Promise<string[]> {
  for (let waited = 0; waited < 10_000; waited += 20) {
    const sent = mailTo(dataDir, address);
    if (sent.length >= count) return sent;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail(`${String(count)} email(s) to ${address} were not sent`);
}

for (const target of databaseTargets) {
  describe(`password reset on ${target.name}`, () => {
    let r: ResetApp;

    before(async () => {
      r = await startResetApp(target);
    });
    after(() => r.close());

    it('never writes the reset token to the log: the address is logged with [redacted] in its place', async () => {
      await createUser(r.db, { email: 'lola@example.nhs.uk', name: 'Lola Log', password: PASSWORD });
      await askForReset(r.app, 'lola@example.nhs.uk', '10.9.0.1');
      const link = linkIn((await waitForMail(r.dataDir, 'lola@example.nhs.uk'))[0] ?? '');
      const token = link.split('/').at(-1) ?? '';
      assert.ok(token.length > 20);
      r.log.length = 0;
      assert.equal((await r.app.inject(link)).statusCode, 200);
      const done = await postPublic(r.app, link, link, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
      assert.equal(done.statusCode, 303);
      const logged = r.log.join('');
      assert.match(logged, /"url":"\/reset-password\/\[redacted\]"/);
      assert.ok(!logged.includes(token), 'the token is nowhere in the log');
    });

    it('records the request and the reset as security events, never the link', async () => {
      await createUser(r.db, { email: 'sid@example.nhs.uk', name: 'Sid Secure', password: PASSWORD });
      await askForReset(r.app, 'sid@example.nhs.uk', '10.9.7.1');
      const link = linkIn((await waitForMail(r.dataDir, 'sid@example.nhs.uk'))[0] ?? '');
      const done = await postPublic(r.app, link, link, { password: NEW_PASSWORD, confirm: NEW_PASSWORD }, '10.9.7.2');
      assert.equal(done.statusCode, 303);
      const events = await r.db
        .selectFrom('security_events')
        .select(['kind', 'ip', 'user_id', 'detail', 'path'])
        .where('email', '=', 'sid@example.nhs.uk')
        .orderBy('id')
        .execute();
      assert.deepEqual(
        events.map((e) => [e.kind, e.ip]),
        [
          ['password reset requested', '10.9.7.1'],
          ['password reset', '10.9.7.2'],
        ],
      );
      assert.ok(events[1]?.user_id, 'the reset names the account');
      const token = link.split('/').at(-1) ?? '';
      assert.ok(!JSON.stringify(events).includes(token), 'the link is not recorded');
    });

    it('setting a password from a link ends every session, API token and other link of the person', async () => {
      const id = await createUser(r.db, { email: 'rex@example.nhs.uk', name: 'Rex Revoke', password: PASSWORD });
      const laptop = new Client(r.app, await sessionFor(r.db, id));
      const phone = new Client(r.app, await sessionFor(r.db, id));
      const made = await laptop.postForm('/account/tokens', { tokenName: 'a script' });
      const apiToken = /<code class="clasp-token">([^<]+)<\/code>/.exec(made.body)?.[1] ?? '';
      const api = () => r.app.inject({ url: '/api/reviews', headers: { authorization: `Bearer ${apiToken}` } });
      assert.equal((await api()).statusCode, 200);
      await askForReset(r.app, 'rex@example.nhs.uk', '10.9.1.1');
      await askForReset(r.app, 'rex@example.nhs.uk', '10.9.1.2');
      const [first, second] = (await waitForMail(r.dataDir, 'rex@example.nhs.uk', 2)).map(linkIn);
      assert.ok(first && second);
      const done = await postPublic(r.app, second, second, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
      assert.equal(done.statusCode, 303);
      assert.equal((await laptop.get('/account')).statusCode, 303, 'the laptop is signed out');
      assert.equal((await phone.get('/account')).statusCode, 303, 'the phone is signed out');
      assert.equal((await api()).statusCode, 401, 'the API token no longer works');
      assert.equal((await r.app.inject(first)).statusCode, 404, 'the other link no longer works');
    });

    it('changing your password ends your other sessions, API tokens and links; this session stays', async () => {
      const id = await createUser(r.db, { email: 'cass@example.nhs.uk', name: 'Cass Change', password: PASSWORD });
      const here = new Client(r.app, await sessionFor(r.db, id));
      const elsewhere = new Client(r.app, await sessionFor(r.db, id));
      const made = await here.postForm('/account/tokens', { tokenName: 'a script' });
      const apiToken = /<code class="clasp-token">([^<]+)<\/code>/.exec(made.body)?.[1] ?? '';
      await askForReset(r.app, 'cass@example.nhs.uk', '10.9.2.1');
      const link = linkIn((await waitForMail(r.dataDir, 'cass@example.nhs.uk'))[0] ?? '');
      const changed = await here.postForm('/account/password', {
        current: PASSWORD,
        password: NEW_PASSWORD,
        confirm: NEW_PASSWORD,
      });
      assert.equal(changed.statusCode, 303);
      const page = await here.get('/account?notice=password-changed');
      assert.equal(page.statusCode, 200, 'this session stays');
      assert.match(visibleText(page.body), /your API tokens no longer work/);
      assert.equal((await elsewhere.get('/account')).statusCode, 303);
      const api = await r.app.inject({ url: '/api/reviews', headers: { authorization: `Bearer ${apiToken}` } });
      assert.equal(api.statusCode, 401);
      assert.equal((await r.app.inject(link)).statusCode, 404);
      const audit = await r.db
        .selectFrom('audit_events')
        .select('after')
        .where('user_id', '=', id)
        .where('action', '=', 'changed the password')
        .executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(audit.after ?? '{}'), { sessionsEnded: 1, apiTokensRevoked: 1, linksCancelled: 1 });
    });

    it('refuses a new password that is common or has the person’s name or email, by link or change', async () => {
      const id = await createUser(r.db, {
        email: 'nell.price@example.nhs.uk',
        name: 'Nell Pricewell',
        password: PASSWORD,
      });
      await askForReset(r.app, 'nell.price@example.nhs.uk', '10.9.6.1');
      const link = linkIn((await waitForMail(r.dataDir, 'nell.price@example.nhs.uk'))[0] ?? '');
      for (const [password, message] of [
        ['Password123456', /Password is too common: attackers try it first\. Choose three random words together/],
        ['sunshine 2026!!', /Password is too common/],
        ['my name is NELL PRICEWELL', /Password must not contain your name or email address/],
        ['lantern nell.price', /Password must not contain your name or email address/],
      ] as const) {
        const byLink = await postPublic(r.app, link, link, { password, confirm: password });
        assert.equal(byLink.statusCode, 400, password);
        assert.match(visibleText(byLink.body), message);
      }
      const client = new Client(r.app, await sessionFor(r.db, id));
      const byChange = await client.postForm('/account/password', {
        current: PASSWORD,
        password: 'pricewell lantern orchestra',
        confirm: 'pricewell lantern orchestra',
      });
      assert.equal(byChange.statusCode, 400);
      assert.match(visibleText(byChange.body), /Password must not contain your name or email address/);
    });

    it('sends at most 3 links an hour for one address, from any client address, answering the same', async () => {
      await createUser(r.db, { email: 'lim@example.nhs.uk', name: 'Lim Limit', password: PASSWORD });
      for (let i = 1; i <= 5; i++) {
        const res = await askForReset(r.app, 'lim@example.nhs.uk', `10.9.3.${String(i)}`);
        assert.equal(res.statusCode, 200);
        assert.match(visibleText(res.body), /If there is an account for that email address, we have sent a link/);
      }
      // Emails go out in order: once a later one has gone, every earlier one has.
      await createUser(r.db, { email: 'later@example.nhs.uk', password: PASSWORD });
      await askForReset(r.app, 'later@example.nhs.uk', '10.9.3.99');
      await waitForMail(r.dataDir, 'later@example.nhs.uk');
      assert.equal(mailTo(r.dataDir, 'lim@example.nhs.uk').length, 3);
    });

    it('takes at most 20 requests an hour from one client address, whatever addresses they ask about', async () => {
      for (let i = 0; i < 20; i++) await askForReset(r.app, `nobody${String(i)}@example.nhs.uk`, '10.9.4.1');
      await createUser(r.db, { email: 'ivy@example.nhs.uk', password: PASSWORD });
      const res = await askForReset(r.app, 'ivy@example.nhs.uk', '10.9.4.1');
      assert.match(visibleText(res.body), /If there is an account for that email address, we have sent a link/);
      await createUser(r.db, { email: 'other@example.nhs.uk', password: PASSWORD });
      await askForReset(r.app, 'other@example.nhs.uk', '10.9.4.2');
      await waitForMail(r.dataDir, 'other@example.nhs.uk');
      assert.equal(mailTo(r.dataDir, 'ivy@example.nhs.uk').length, 0, 'the 21st request sent nothing');
    });
  });

  describe(`password reset email after the answer on ${target.name}`, () => {
    it('answers a known and an unknown address alike, before the mail server has even replied', async () => {
      const smtp = await startHeldSmtpServer();
      const r = await startResetApp(target, { CLASP_SMTP_URL: `smtp://127.0.0.1:${String(smtp.port)}` });
      try {
        await createUser(r.db, { email: 'kim@example.nhs.uk', name: 'Kim Known', password: PASSWORD });
        const known = await askForReset(r.app, 'kim@example.nhs.uk', '10.9.5.1');
        const unknown = await askForReset(r.app, 'nobody-here@example.nhs.uk', '10.9.5.2');
        assert.equal(known.statusCode, 200);
        assert.equal(unknown.statusCode, 200);
        assert.equal(visibleText(known.body), visibleText(unknown.body));
        assert.equal(smtp.deliveries.length, 0, 'both answered while the mail server had not yet greeted anyone');
        smtp.release();
        // Closing the app waits for the queued email.
        await r.app.close();
        assert.deepEqual(
          smtp.deliveries.map((d) => d.rcptTo),
          [['kim@example.nhs.uk']],
          'one email, to the known address only',
        );
      } finally {
        smtp.release();
        await r.close();
        await smtp.close();
      }
    });
  });
}

/**
 * Just enough of an SMTP server for nodemailer (EHLO, MAIL, RCPT, DATA, QUIT), which does not
 * greet anyone until released: while it waits, an answer that waited for the mail would not come.
 */
async function startHeldSmtpServer() {
  const deliveries: { rcptTo: string[] }[] = [];
  const sockets = new Set<net.Socket>();
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.setEncoding('latin1');
    const reply = (line: string): void => void socket.write(`${line}\r\n`);
    let buffered = '';
    let inData = false;
    let rcptTo: string[] = [];
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      for (;;) {
        if (inData) {
          const end = buffered.indexOf('\r\n.\r\n');
          if (end < 0) return;
          buffered = buffered.slice(end + 5);
          inData = false;
          deliveries.push({ rcptTo });
          reply('250 Ok');
          continue;
        }
        const eol = buffered.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffered.slice(0, eol);
        buffered = buffered.slice(eol + 2);
        const command = line.toUpperCase();
        if (command.startsWith('EHLO') || command.startsWith('HELO')) reply('250 127.0.0.1');
        else if (command.startsWith('MAIL FROM:')) {
          rcptTo = [];
          reply('250 Ok');
        } else if (command.startsWith('RCPT TO:')) {
          rcptTo.push(/<([^>]*)>/u.exec(line)?.[1] ?? '');
          reply('250 Ok');
        } else if (command === 'DATA') {
          inData = true;
          reply('354 End data with <CR><LF>.<CR><LF>');
        } else if (command === 'QUIT') {
          reply('221 Bye');
          socket.end();
        } else reply('250 Ok');
      }
    });
    void released.then(() => {
      reply('220 127.0.0.1 ESMTP held test server');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    deliveries,
    release: () => {
      release();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}
