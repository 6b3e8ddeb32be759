// The server under test, started by bench/run.ts in a child process. It is the real app, built
// the way src/server.ts builds it (configuration from the environment, the database opened
// and migrated, buildApp), plus one route: GET /bench/baseline answers with the HTML saved in
// $BENCH_BASELINE_FILE, so the baseline runs through the same process, plugins and hooks
// (helmet, logging) as the pages, without the database and the templates.
import fs from 'node:fs';
import { loadConfig } from '../src/config.ts';
import { buildApp } from '../src/app.ts';
import { openConfiguredDatabase } from '../src/platform/db/open.ts';

const config = loadConfig();
const baselineFile = process.env.BENCH_BASELINE_FILE;
const database = await openConfiguredDatabase(config);
const app = await buildApp({ config, database });

let baseline: string | undefined;
app.get('/bench/baseline', async (_request, reply) => {
  // Read on first use: run.ts writes the file after fetching a page from this server.
  baseline ??= baselineFile ? fs.readFileSync(baselineFile, 'utf8') : undefined;
  if (baseline === undefined) return reply.code(404).send('BENCH_BASELINE_FILE is not set');
  return reply.type('text/html; charset=utf-8').send(baseline);
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
