// A mail relay for the reminder bench: a small SMTP server on loopback that accepts every
// message and counts it. It speaks plain SMTP (RFC 5321: EHLO, MAIL, RCPT, DATA, RSET, NOOP,
// QUIT; no extensions, so clients send one command at a time) and greets at once.
//
// The smtp-server package (what the integration tests use) holds every greeting back by
// 100 ms to catch clients that talk too soon; with one connection per message that delay,
// not Clasp, would be most of a mass send. BENCH_CYCLE_SMTP=smtp-server measures with it.
import net from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Sink {
  url: string;
  state: { messages: number; bytes: number; connections: number };
  close(): Promise<void>;
}

const END_OF_DATA = '\r\n.\r\n';

export async function startSink(): Promise<Sink> {
  const state = { messages: 0, bytes: 0, connections: 0 };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    state.connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setNoDelay(true);
    let buffer = '';
    let inData = false;
    const reply = (line: string) => socket.write(`${line}\r\n`);
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      for (;;) {
        if (inData) {
          // The message ends with a line holding a single dot; the DATA command's CRLF starts it.
          const end = `\r\n${buffer}`.indexOf(END_OF_DATA);
          if (end < 0) return;
          const length = Math.max(0, end);
          state.bytes += length;
          state.messages += 1;
          buffer = buffer.slice(length + END_OF_DATA.length - 2);
          inData = false;
          reply('250 2.0.0 Accepted');
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') reply('250 bench.invalid');
        else if (verb === 'MAIL' || verb === 'RCPT' || verb === 'RSET' || verb === 'NOOP') reply('250 2.0.0 OK');
        else if (verb === 'DATA') {
          inData = true;
          reply('354 End data with <CR><LF>.<CR><LF>');
        } else if (verb === 'QUIT') {
          reply('221 2.0.0 Bye');
          socket.end();
          return;
        } else reply('502 5.5.2 Command not implemented');
      }
    });
    reply('220 bench.invalid ESMTP');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${String(port)}`,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The smtp-server package as the integration tests use it, with its 100 ms greeting delay. */
export async function startSmtpServer(): Promise<Sink> {
  const state = { messages: 0, bytes: 0, connections: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    disableReverseLookup: true,
    maxClients: 1000,
    onConnect(_session, callback) {
      state.connections += 1;
      callback();
    },
    onData(stream, _session, callback) {
      stream.on('data', (chunk: Buffer) => (state.bytes += chunk.length));
      stream.on('end', () => {
        state.messages += 1;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${String(port)}`,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
