// The machine's limit for a page: a bare node:http server, in a process of its own, sending
// prepared bytes. Started by bench/cycle.ts with BENCH_BARE_DIR (a folder of files) and PORT;
// GET /<file name> answers with that file's bytes, read once at start, and its media type.
// No framework, no hooks, no session, no database: what any page of the same size can at
// best reach on this machine, through the same loopback and the same load generator.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const dir = process.env.BENCH_BARE_DIR;
const port = Number(process.env.PORT);
if (!dir || !Number.isInteger(port)) throw new Error('BENCH_BARE_DIR and PORT must be set');

const TYPES = { '.html': 'text/html; charset=utf-8', '.json': 'application/json; charset=utf-8' };
const files = new Map();
for (const name of fs.readdirSync(dir)) {
  const bytes = fs.readFileSync(path.join(dir, name));
  files.set(`/${name}`, {
    bytes,
    headers: {
      'content-type': TYPES[path.extname(name)] ?? 'application/octet-stream',
      'content-length': String(bytes.length),
    },
  });
}

const server = http.createServer((request, response) => {
  const file = files.get(request.url ?? '');
  if (!file) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, file.headers).end(file.bytes);
});
process.once('SIGTERM', () => server.close());
server.listen(port, '127.0.0.1', () => process.stdout.write('listening\n'));
