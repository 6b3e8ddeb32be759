import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { createMailer, type MailMessage } from './mail.ts';

const FROM = 'Clasp <clasp@localhost>';
const TIMEOUT = { timeout: 10_000 };

const MESSAGE: MailMessage = {
  to: 'Ann Jones <ann.jones@example.nhs.uk>',
  subject: 'Action due: ‘Train foster carers’ – 14 July 2026',
  text:
    'Dear Ms O’Brien,\n\n' +
    'The action ‘Train foster carers in CSE awareness’ is due on 14 July 2026 — £0 budget so far. ' +
    'This line is long enough that quoted-printable has to fold it with a soft line break.\n' +
    '.\nA line with only a dot, above, must survive.\n',
};

// ---- Reading a message back: RFC 5322 headers, RFC 2047 encoded words, RFC 2045 quoted-printable ----

interface ParsedMessage {
  head: string;
  headers: Map<string, string>;
  body: string;
}

function parseMessage(raw: string): ParsedMessage {
  const split = raw.indexOf('\r\n\r\n');
  assert.ok(split > 0, 'the message has a header block ending in an empty line');
  const head = raw.slice(0, split);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n(?=[ \t])/gu, '').split('\r\n')) {
    const colon = line.indexOf(':');
    assert.ok(colon > 0, `header line ${JSON.stringify(line)}`);
    headers.set(line.slice(0, colon).toLowerCase(), decodeHeader(line.slice(colon + 1).trim()));
  }
  return { head, headers, body: raw.slice(split + 4) };
}

/** Decodes =?UTF-8?Q?...?= and =?UTF-8?B?...?= words; adjacent words join without their space. */
function decodeHeader(value: string): string {
  const joined = value.replace(/(\?=)\s+(?==\?)/gu, '$1');
  const bytes = joined.replace(/=\?utf-8\?([qb])\?([^?]*)\?=/giu, (_, encoding: string, text: string) =>
    encoding.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('latin1')
      : text
          .replace(/_/gu, ' ')
          .replace(/=([0-9A-F]{2})/gu, (_hex, hex: string) => String.fromCharCode(parseInt(hex, 16))),
  );
  return strictUtf8(Buffer.from(bytes, 'latin1'));
}

function decodeQuotedPrintable(body: string): string {
  const bytes = body
    .replace(/=\r\n/gu, '')
    .replace(/=([0-9A-F]{2})/gu, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return strictUtf8(Buffer.from(bytes, 'latin1'));
}

function strictUtf8(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/** The checks every message must pass, whichever way it was sent. */
function assertWellFormed(raw: string, message: MailMessage): ParsedMessage {
  assert.match(raw, /^[\x20-\x7E\r\n\t]*$/u, 'the message is 7-bit ASCII, safe for any relay');
  assert.doesNotMatch(raw, /[^\r]\n|\r(?!\n)/u, 'every line ends in CRLF');
  const parsed = parseMessage(raw);
  const { headers } = parsed;
  assert.equal(headers.get('from'), FROM);
  assert.equal(headers.get('to'), message.to);
  assert.equal(headers.get('subject'), message.subject);
  assert.equal(headers.get('mime-version'), '1.0');
  assert.equal(headers.get('content-type'), 'text/plain; charset=utf-8');
  assert.equal(headers.get('content-transfer-encoding'), 'quoted-printable');
  assert.match(headers.get('message-id') ?? '', /^<[^<>@\s]+@[^<>@\s]+>$/u);
  assert.ok(!Number.isNaN(Date.parse(headers.get('date') ?? '')), 'a Date header');
  assert.equal(decodeQuotedPrintable(parsed.body), message.text.replace(/\n/gu, '\r\n'));
  return parsed;
}

async function temporaryDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'clasp-mail-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

// ---- Outbox ----

test(
  'with no SMTP server, send writes the message as an .eml file in a new private outbox folder',
  TIMEOUT,
  async (t) => {
    const outboxDir = path.join(await temporaryDir(t), 'data', 'outbox');
    const mailer = createMailer({ smtpUrl: null, from: FROM, outboxDir, now: () => new Date() });
    assert.equal(mailer.description, `outbox folder ${outboxDir}`);

    const { location } = await mailer.send(MESSAGE);

    assert.equal(path.dirname(location), outboxDir);
    assert.match(path.basename(location), /^\d{8}T\d{6}Z-[0-9a-f]{8}\.eml$/u);
    assert.equal((await stat(outboxDir)).mode & 0o777, 0o700);
    assert.equal((await stat(location)).mode & 0o777, 0o600);
    assertWellFormed(await readFile(location, 'latin1'), MESSAGE);
  },
);

test('the outbox folder may be given as a relative path and already exist', TIMEOUT, async (t) => {
  const dir = await temporaryDir(t);
  const relative = path.relative(process.cwd(), dir);
  const mailer = createMailer({ smtpUrl: null, from: FROM, outboxDir: relative, now: () => new Date() });
  assert.equal(mailer.description, `outbox folder ${dir}`);
  const { location } = await mailer.send(MESSAGE);
  assert.equal(path.dirname(location), dir);
});

test('outbox file names sort by the time of sending, and each send makes its own file', TIMEOUT, async (t) => {
  const outboxDir = await temporaryDir(t);
  const mailer = createMailer({ smtpUrl: null, from: FROM, outboxDir, now: () => new Date() });
  t.mock.timers.enable({ apis: ['Date'], now: new Date('2026-03-01T09:05:00.250Z') });
  const sent = [(await mailer.send({ ...MESSAGE, subject: 'first' })).location];
  sent.push((await mailer.send({ ...MESSAGE, subject: 'second, same second' })).location);
  t.mock.timers.tick(55 * 60 * 1000); // 10:00:00, where unpadded hours would sort before 09
  sent.push((await mailer.send({ ...MESSAGE, subject: 'third' })).location);
  t.mock.timers.tick(245 * 24 * 60 * 60 * 1000); // 1 November, where unpadded months would sort before 3
  sent.push((await mailer.send({ ...MESSAGE, subject: 'fourth' })).location);

  const names = sent.map((file) => path.basename(file));
  assert.deepEqual(
    names.map((name) => name.slice(0, 17)),
    ['20260301T090500Z-', '20260301T090500Z-', '20260301T100000Z-', '20261101T100000Z-'],
  );
  assert.notEqual(names[0], names[1]);
  assert.deepEqual((await readdir(outboxDir)).sort(), [...names].sort());
  assert.deepEqual(names.slice(2), [...names.slice(2)].sort());
  const [firstName, secondName, thirdName] = names;
  assert.ok(firstName !== undefined && secondName !== undefined && thirdName !== undefined);
  assert.ok(secondName < thirdName && firstName < thirdName);

  const thirdFile = sent[2];
  assert.ok(thirdFile !== undefined);
  const third = parseMessage(await readFile(thirdFile, 'latin1'));
  assert.equal(third.headers.get('subject'), 'third');
  assert.equal(third.headers.get('date'), 'Sun, 01 Mar 2026 10:00:00 +0000');
});

test('a line break in the subject cannot add a header', TIMEOUT, async (t) => {
  const mailer = createMailer({ smtpUrl: null, from: FROM, outboxDir: await temporaryDir(t), now: () => new Date() });
  const { location } = await mailer.send({ ...MESSAGE, subject: 'Hello\r\nBcc: attacker@example.com\nX-Evil: 1' });
  const { head, headers } = parseMessage(await readFile(location, 'latin1'));
  assert.doesNotMatch(head, /^(Bcc|X-Evil):/imu);
  assert.ok(!headers.has('bcc') && !headers.has('x-evil'));
  assert.doesNotMatch(headers.get('subject') ?? '', /[\r\n]/u);
});

// ---- SMTP, against a small server on the loopback interface ----

interface Delivery {
  auth: string | undefined;
  mailFrom: string;
  rcptTo: string[];
  data: string;
}

/** Just enough of RFC 5321 for nodemailer: EHLO, AUTH PLAIN, MAIL, RCPT, DATA, RSET, QUIT. */
async function startSmtpServer(
  t: TestContext,
  options: { rejectRecipients?: boolean } = {},
): Promise<{ port: number; deliveries: Delivery[] }> {
  const deliveries: Delivery[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.setTimeout(5_000, () => socket.destroy());
    socket.setEncoding('latin1');
    const reply = (line: string): void => void socket.write(`${line}\r\n`);
    let buffered = '';
    let inData = false;
    let awaitingAuth = false;
    let auth: string | undefined;
    let mailFrom = '';
    let rcptTo: string[] = [];
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      for (;;) {
        if (inData) {
          const end = buffered.indexOf('\r\n.\r\n');
          if (end < 0) return;
          const data = buffered.slice(0, end + 2).replace(/^\.\./gmu, '.');
          buffered = buffered.slice(end + 5);
          inData = false;
          deliveries.push({ auth, mailFrom, rcptTo, data });
          reply('250 2.0.0 Ok: queued');
          continue;
        }
        const eol = buffered.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffered.slice(0, eol);
        buffered = buffered.slice(eol + 2);
        if (awaitingAuth) {
          awaitingAuth = false;
          auth = Buffer.from(line, 'base64').toString('utf8');
          reply('235 2.7.0 Authentication successful');
          continue;
        }
        const command = line.toUpperCase();
        if (command.startsWith('EHLO')) reply('250-127.0.0.1\r\n250-AUTH PLAIN\r\n250 8BITMIME');
        else if (command.startsWith('HELO')) reply('250 127.0.0.1');
        else if (command === 'AUTH PLAIN') {
          awaitingAuth = true;
          reply('334 ');
        } else if (command.startsWith('AUTH PLAIN ')) {
          auth = Buffer.from(line.slice('AUTH PLAIN '.length), 'base64').toString('utf8');
          reply('235 2.7.0 Authentication successful');
        } else if (command.startsWith('MAIL FROM:')) {
          mailFrom = /<([^>]*)>/u.exec(line)?.[1] ?? '';
          rcptTo = [];
          reply('250 2.1.0 Ok');
        } else if (command.startsWith('RCPT TO:')) {
          if (options.rejectRecipients) {
            reply('550 5.1.1 No such user here');
          } else {
            rcptTo.push(/<([^>]*)>/u.exec(line)?.[1] ?? '');
            reply('250 2.1.5 Ok');
          }
        } else if (command === 'DATA') {
          inData = true;
          reply('354 End data with <CR><LF>.<CR><LF>');
        } else if (command === 'RSET' || command === 'NOOP') reply('250 2.0.0 Ok');
        else if (command === 'QUIT') {
          reply('221 2.0.0 Bye');
          socket.end();
        } else reply('502 5.5.2 Command not recognised');
      }
    });
    reply('220 127.0.0.1 ESMTP test server');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  t.after(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return { port: (server.address() as AddressInfo).port, deliveries };
}

test('with an SMTP URL, send delivers the message to that server and returns its message id', TIMEOUT, async (t) => {
  const { port, deliveries } = await startSmtpServer(t);
  const mailer = createMailer({
    smtpUrl: `smtp://clasp:s3cret-pass@127.0.0.1:${port}`,
    from: FROM,
    outboxDir: '/nonexistent/never-used',
    now: () => new Date(),
  });
  assert.equal(mailer.description, `SMTP server smtp://127.0.0.1:${port}`);

  const { location } = await mailer.send(MESSAGE);

  assert.equal(deliveries.length, 1);
  const [delivery] = deliveries;
  assert.equal(delivery?.auth, '\0clasp\0s3cret-pass');
  assert.equal(delivery.mailFrom, 'clasp@localhost');
  assert.deepEqual(delivery.rcptTo, ['ann.jones@example.nhs.uk']);
  const { headers } = assertWellFormed(delivery.data, MESSAGE);
  assert.equal(location, headers.get('message-id'));
});

test('the SMTP description never shows the user name or password', () => {
  const mailer = createMailer({
    smtpUrl: 'smtps://clasp%40trust.nhs.uk:p%40ss-word@smtp.example.nhs.uk:465',
    from: FROM,
    outboxDir: 'unused',
    now: () => new Date(),
  });
  assert.equal(mailer.description, 'SMTP server smtps://smtp.example.nhs.uk:465');
  assert.doesNotMatch(mailer.description, /p%40ss|p@ss|clasp%40|trust/u);
});

test('a refused recipient makes send fail with the server reply', TIMEOUT, async (t) => {
  const { port, deliveries } = await startSmtpServer(t, { rejectRecipients: true });
  const mailer = createMailer({
    smtpUrl: `smtp://127.0.0.1:${port}`,
    from: FROM,
    outboxDir: 'unused',
    now: () => new Date(),
  });
  await assert.rejects(mailer.send(MESSAGE), /550 5\.1\.1 No such user here/u);
  assert.equal(deliveries.length, 0);
});

test('an SMTP server that is not listening makes send fail', TIMEOUT, async () => {
  const closed = net.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const mailer = createMailer({
    smtpUrl: `smtp://127.0.0.1:${port}`,
    from: FROM,
    outboxDir: 'unused',
    now: () => new Date(),
  });
  await assert.rejects(mailer.send(MESSAGE), /ECONNREFUSED/u);
});

test('createMailer refuses a URL that is not smtp:// or smtps://, without repeating a password', () => {
  assert.throws(
    () => createMailer({ smtpUrl: 'http://mail.example.org', from: FROM, outboxDir: 'unused', now: () => new Date() }),
    /must start with smtp:\/\/ or smtps:\/\//u,
  );
  assert.throws(
    () =>
      createMailer({
        smtpUrl: 'smtp://clasp:s3cret@exa mple.org',
        from: FROM,
        outboxDir: 'unused',
        now: () => new Date(),
      }),
    (error: unknown) =>
      error instanceof Error &&
      error.message === 'Mail: the SMTP URL is not a valid URL' &&
      !inspect(error).includes('s3cret'),
  );
});
