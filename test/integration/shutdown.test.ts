// The real server as a child process, spoken to over real sockets: shutting down within a limit,
// the request and header time limits, and a start that fails. These use the embedded SQLite
// database, the database not being what is tested, except where PostgreSQL's open connections
// are the point.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import {
  CLASP_BIN,
  postgresStore,
  processEnvironment,
  sqliteStore,
  startServer,
  type ServerProcess,
  type ServerStore,
} from '../helpers/server-process.ts';

const stores: ServerStore[] = [];
after(async () => {
  for (const store of stores) await store.dispose();
});

/** Starts `clasp serve` on an SQLite folder of its own. */
function start(env: Record<string, string> = {}): Promise<ServerProcess> {
  const store = sqliteStore();
  stores.push(store);
  return startServer(store, { env });
}

/** Opens a socket to the server; resolves once connected. */
function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Everything the server sends on a socket until it closes it. */
function answer(socket: net.Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.on('close', () => resolve(text));
    socket.on('error', () => undefined);
  });
}

/** A sign-in form's request line and headers, promising a body of `length` bytes. */
function postHeaders(port: number, length: number): string {
  return (
    `POST /sign-in HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
    `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${length}\r\n\r\n`
  );
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await wait(20);
  }
}

const logged = (server: ServerProcess, message: string) => server.logs.some((l) => String(l.msg).startsWith(message));

// Each test starts its own server, so they run side by side.
describe('shutting down and time limits (real server, SQLite)', { concurrency: true }, () => {
  it('disconnects slow headers; at SIGTERM finishes a request in flight, refuses new ones, exits 0', async () => {
    const server = await start({ CLASP_SHUTDOWN_SECONDS: '10', CLASP_HEADER_TIMEOUT_SECONDS: '1' });

    // Slowloris: a request line, then a header now and then, never the blank line that ends them.
    const slow = await connect(server.port);
    const slowReply = answer(slow);
    const opened = Date.now();
    slow.write(`GET /health HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n`);
    const dribble = setInterval(() => slow.write('X-Slow: a\r\n'), 200);
    const slowText = await slowReply;
    clearInterval(dribble);
    const took = Date.now() - opened;
    assert.ok(took >= 900 && took < 3500, `disconnected after ${took} ms`);
    assert.ok(
      slowText === '' || slowText.startsWith('HTTP/1.1 408'),
      `answers 408 or nothing: ${slowText.slice(0, 40)}`,
    );
    // A client that sends its request promptly is still answered.
    const prompt = await connect(server.port);
    const promptReply = answer(prompt);
    prompt.write(`GET /health HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: close\r\n\r\n`);
    assert.match(await promptReply, /^HTTP\/1\.1 200 /);

    const body = 'email=someone%40example.nhs.uk&password=not-the-password';
    const socket = await connect(server.port);
    const reply = answer(socket);
    socket.write(postHeaders(server.port, body.length) + body.slice(0, 5));
    await wait(200);

    server.child.kill('SIGTERM');
    await until(() => logged(server, 'shutting down'), 'the shutdown to start');
    // The listening socket closes: a new connection is refused.
    await assert.rejects(connect(server.port), { code: 'ECONNREFUSED' });

    // The request in flight still gets its whole answer once its body arrives.
    socket.write(body.slice(5));
    const text = await reply;
    assert.match(text, /^HTTP\/1\.1 [2-4]\d\d /);
    assert.match(text, /\r\nconnection: close\r\n/i, 'tells the client the connection ends');
    assert.equal(await server.exited, 0, server.stderr());
    for (const step of ['reminder schedule stopped', 'server closed', 'database closed', 'shut down']) {
      assert.ok(logged(server, step), `logs "${step}"`);
    }
  });

  it('cuts off a request still running after CLASP_SHUTDOWN_SECONDS, says which, and exits 1', async () => {
    const server = await start({ CLASP_SHUTDOWN_SECONDS: '1' });
    const socket = await connect(server.port);
    const reply = answer(socket);
    // A body that never finishes arriving.
    socket.write(postHeaders(server.port, 1000) + 'email=');
    await wait(200);

    const signalled = Date.now();
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 1);
    const took = Date.now() - signalled;
    assert.ok(took >= 900 && took < 4000, `exited ${took} ms after the signal`);
    await reply; // the connection was closed
    const warning = server.logs.find((l) => String(l.msg).startsWith('requests still running'));
    assert.ok(warning, 'logs the requests it cut off');
    assert.equal(warning.level, 40);
    const requests = warning.requests as { method: string; url: string; requestId: string }[];
    assert.deepEqual(
      requests.map((r) => [r.method, r.url, typeof r.requestId]),
      [['POST', '/sign-in', 'string']],
    );
    assert.ok(logged(server, 'database closed'));
  });

  it('a second signal during shutdown stops at once with exit 1', async () => {
    const server = await start({ CLASP_SHUTDOWN_SECONDS: '30' });
    const socket = await connect(server.port);
    const reply = answer(socket);
    socket.write(postHeaders(server.port, 1000) + 'email=');
    await wait(200);
    const signalled = Date.now();
    server.child.kill('SIGTERM');
    await until(() => logged(server, 'shutting down'), 'the shutdown to start');
    server.child.kill('SIGINT');
    assert.equal(await server.exited, 1);
    assert.ok(Date.now() - signalled < 3000);
    assert.ok(logged(server, 'a second signal'));
    await reply;
  });

  it('exits with a message when it cannot listen, instead of running on with nothing listening', async () => {
    const first = await start();
    try {
      // On PostgreSQL, whose open connections would keep a process alive that forgot to close them.
      const store = await postgresStore();
      stores.push(store);
      // The same port as a running server: the database opens, the schedule starts, listening fails.
      const child = spawn(process.execPath, [CLASP_BIN, 'serve', '--port', String(first.port)], {
        env: processEnvironment(store, { CLASP_REMINDERS_EVERY_MINUTES: '60' }),
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve, reject) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`still running 60 s after failing to listen: ${stderr}`));
        }, 60_000);
        child.on('exit', (exitCode) => {
          clearTimeout(timer);
          resolve(exitCode);
        });
      });
      assert.notEqual(code, 0);
      assert.match(stderr, /EADDRINUSE|address already in use/i);
    } finally {
      await first.stop();
    }
  });

  it('stops start-up with a clear message for a bad setting', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [
        { CLASP_SHUTDOWN_SECONDS: 'soon', CLASP_REQUEST_TIMEOUT_SECONDS: '0' },
        new RegExp(
          'CLASP_SHUTDOWN_SECONDS must be a number of seconds from 1 to 600[^]*' +
            'CLASP_REQUEST_TIMEOUT_SECONDS must be a number of seconds from 1 to 3600',
        ),
      ],
      [
        { CLASP_HEADER_TIMEOUT_SECONDS: '60', CLASP_REQUEST_TIMEOUT_SECONDS: '30' },
        /CLASP_HEADER_TIMEOUT_SECONDS: make it no more than CLASP_REQUEST_TIMEOUT_SECONDS \(30\)/,
      ],
    ];
    await Promise.all(
      cases.map(async ([env, message]) => {
        const store = sqliteStore();
        stores.push(store);
        const child = spawn(process.execPath, [CLASP_BIN, 'serve', '--port', '0'], {
          env: processEnvironment(store, env),
        });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
        assert.notEqual(code, 0);
        assert.match(stderr, message);
      }),
    );
  });
});
