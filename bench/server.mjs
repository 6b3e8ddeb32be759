// The server under test, started by bench/run.ts and bench/cycle.ts in a child process. It is the real app, built
// the way src/server.ts builds it (configuration from the environment, the database opened
// and migrated, buildApp), plus two routes answering with the HTML saved in
// $BENCH_BASELINE_FILE, so the baseline runs through the same process, plugins and hooks
// (helmet, logging, the session lookup) as the pages, without the page's queries and templates.
// Like every route, each says who may use it: anyone signed in (the bench signs in).
// Plain JavaScript over the compiled build (dist/), as Clasp runs in production: no TypeScript
// loader in the measured process. bench/run.ts builds dist/ first.
import fs from 'node:fs';
import { loadConfig } from '../dist/config.js';
import { buildApp } from '../dist/app.js';
import { openConfiguredDatabase } from '../dist/platform/db/open.js';

const config = loadConfig();
const baselineFile = process.env.BENCH_BASELINE_FILE;
const database = await openConfiguredDatabase(config);
const app = await buildApp({ config, database });

// Read on first use: run.ts writes the file after fetching a page from this server.
let baseline;
function readBaseline() {
  if (!baseline && baselineFile && fs.existsSync(baselineFile)) {
    const bytes = fs.readFileSync(baselineFile);
    baseline = { text: bytes.toString('utf8'), bytes };
  }
  return baseline;
}
// The string, as reply.page sends the rendered HTML: the baseline the aims are measured against.
app.get('/bench/baseline', { config: { access: 'signed in' } }, async (_request, reply) => {
  const b = readBaseline();
  if (!b) return reply.code(404).send('BENCH_BASELINE_FILE is not set or not written yet');
  return reply.type('text/html; charset=utf-8').send(b.text);
});
// The same page as bytes, as a static file server would send it: shows what sending a
// string costs.
app.get('/bench/baseline-bytes', { config: { access: 'signed in' } }, async (_request, reply) => {
  const b = readBaseline();
  if (!b) return reply.code(404).send('BENCH_BASELINE_FILE is not set or not written yet');
  return reply.type('text/html; charset=utf-8').send(b.bytes);
});

// Memory as the process sees it, so run.ts can say where the RSS goes (heap or elsewhere).
// With ?gc=1 (and node --expose-gc) after a full collection: what is really kept.
const collect = globalThis.gc;
app.get('/bench/memory', { config: { access: 'signed in' } }, async (request) => {
  if (request.query.gc === '1' && collect) collect();
  return process.memoryUsage();
});

let closing = false;
const close = async () => {
  if (closing) return;
  closing = true;
  await app.close();
  await database.close();
};
process.once('SIGINT', () => void close());
process.once('SIGTERM', () => void close());

await app.listen({ port: config.port, host: config.host });
