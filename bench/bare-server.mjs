// The machine's limit for a page: a bare node:http server, in a process of its own, sending
// prepared bytes. Started by bench/cycle.ts and bench/run.ts (through bench/http-load.ts) with
// PORT and one of:
//   BENCH_BARE_DIR       a folder of files: GET /<file name> answers with that file's bytes and
//                        its media type;
//   BENCH_BARE_MANIFEST  a JSON file of [{ path, file, headers: [[name, value], …] }]: GET <path>
//                        answers with the file's bytes and exactly those headers (the ones the
//                        app sent for that page), so the answer is the app's, byte for byte,
//                        but for Date and the connection headers.
// Every body is read once at start. No framework, no hooks, no session, no database: what any
// page of the same size can at best reach on this machine, through the same loopback and the
// same load generator.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const dir = process.env.BENCH_BARE_DIR;
const manifest = process.env.BENCH_BARE_MANIFEST;
const port = Number(process.env.PORT);
if ((!dir && !manifest) || !Number.isInteger(port))
  throw new Error('PORT and BENCH_BARE_DIR or BENCH_BARE_MANIFEST must be set');

const TYPES = { '.html': 'text/html; charset=utf-8', '.json': 'application/json; charset=utf-8' };
const files = new Map();
if (dir) {
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
}
if (manifest) {
  for (const entry of JSON.parse(fs.readFileSync(manifest, 'utf8'))) {
    const bytes = fs.readFileSync(entry.file);
    // A flat [name, value, name, value, …] list keeps the app's order and repeated names.
    const headers = [];
    for (const [name, value] of entry.headers) {
      if (name.toLowerCase() !== 'content-length') headers.push(name, value);
    }
    headers.push('content-length', String(bytes.length));
    files.set(entry.path, { bytes, headers });
  }
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
