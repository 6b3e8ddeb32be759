// npm run bench: generates a national-scale data set, starts the real server in a child
// process (bench/server.ts), loads three pages and a same-size static baseline with
// autocannon on loopback, samples the server's memory, and prints the figures against the aims.
//
// Environment:
//   BENCH_DURATION     seconds measured per target (default 10)
//   BENCH_WARMUP       seconds of discarded warm-up per target (default 2)
//   BENCH_CONNECTIONS  concurrent connections (default 10)
//   BENCH_REVIEWS      reviews to generate (default 150)
//   BENCH_DATABASE_URL postgres://… of an existing database on a cluster where the user may
//                      create databases; the bench creates and drops its own database
//                      (BENCH_PG_DATABASE, default clasp_bench) there. Without it: SQLite.
//   BENCH_OUTPUT       a file to write the results to as JSON
//   BENCH_KEEP=1       keep the temp folder (and PostgreSQL database) afterwards
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { sql } from 'kysely';
import { openDatabase, describeUrl } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { countRows, generate, seededRandom, type GeneratedSet } from './generate.ts';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const rootDir = path.dirname(benchDir);

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, not "${raw}"`);
  return n;
}

const settings = {
  duration: envNumber('BENCH_DURATION', 10),
  warmup: envNumber('BENCH_WARMUP', 2),
  connections: Math.round(envNumber('BENCH_CONNECTIONS', 10)),
  reviews: Math.round(envNumber('BENCH_REVIEWS', 150)),
  adminUrl: process.env.BENCH_DATABASE_URL || null,
  pgDatabase: process.env.BENCH_PG_DATABASE || 'clasp_bench',
  output: process.env.BENCH_OUTPUT || null,
  keep: process.env.BENCH_KEEP === '1',
};

const AIMS = { ratioToBaseline: 0.5, p95Ms: 20, memoryMb: 200 };

const log = (line = '') => process.stdout.write(`${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/* ---------- the database ---------- */

interface Prepared {
  kind: 'sqlite' | 'postgres';
  /** DATABASE_URL for the server, or null for SQLite in dataDir. */
  url: string | null;
  version: string;
  generateMs: number;
  set: GeneratedSet;
  counts: Record<string, number>;
  sizeMb: number;
  drop(): Promise<void>;
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function prepareDatabase(dataDir: string): Promise<Prepared> {
  let url: string | null = null;
  let drop: () => Promise<void> = async () => {};
  if (settings.adminUrl) {
    if (!/^[a-z_][a-z0-9_]*$/.test(settings.pgDatabase)) throw new Error(`BENCH_PG_DATABASE "${settings.pgDatabase}" is not a plain name`);
    const parsed = new URL(settings.adminUrl);
    parsed.pathname = `/${settings.pgDatabase}`;
    url = parsed.toString();
    await adminQuery(settings.adminUrl, `drop database if exists ${settings.pgDatabase} with (force)`);
    await adminQuery(settings.adminUrl, `create database ${settings.pgDatabase}`);
    drop = () => adminQuery(settings.adminUrl as string, `drop database if exists ${settings.pgDatabase} with (force)`);
  }
  const sqliteFile = path.join(dataDir, 'clasp.db');
  const handle = await openDatabase({ url, sqliteFile });
  try {
    await migrateToLatest(handle);
    log(`Generating ${settings.reviews} reviews into ${url ? describeUrl(url) : sqliteFile} …`);
    const started = performance.now();
    let lastReport = started;
    const set = await generate(handle, {
      reviews: settings.reviews,
      onProgress: (done, total) => {
        if (performance.now() - lastReport > 5000 || done === total) {
          lastReport = performance.now();
          log(`  ${done}/${total} reviews, ${seconds(lastReport - started)}`);
        }
      },
    });
    const generateMs = performance.now() - started;
    const counts = await countRows(handle.db);
    let version: string;
    let sizeMb: number;
    if (handle.kind === 'postgres') {
      const row = await sql<{ v: string; size: number }>`select version() as v, pg_database_size(current_database()) as size`.execute(handle.db);
      version = (row.rows[0]?.v ?? '').split(' on ')[0] ?? '';
      sizeMb = Number(row.rows[0]?.size ?? 0) / 1024 / 1024;
    } else {
      const row = await sql<{ v: string }>`select sqlite_version() as v`.execute(handle.db);
      version = `SQLite ${row.rows[0]?.v ?? ''} (better-sqlite3)`;
      sizeMb = 0;
    }
    await handle.close();
    if (handle.kind === 'sqlite') {
      for (const file of [sqliteFile, `${sqliteFile}-wal`]) if (fs.existsSync(file)) sizeMb += fs.statSync(file).size / 1024 / 1024;
    }
    return { kind: handle.kind, url, version, generateMs, set, counts, sizeMb, drop };
  } catch (error) {
    await handle.close().catch(() => undefined);
    await drop().catch(() => undefined);
    throw error;
  }
}

/* ---------- the server ---------- */

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

interface Memory {
  rssKb: number;
  hwmKb: number;
}

function readMemory(pid: number): Memory | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
  } catch {
    return null;
  }
}

interface Server {
  child: ChildProcess;
  base: string;
  output: string[];
  exited: Promise<number | null>;
}

async function startServer(dataDir: string, url: string | null, baselineFile: string): Promise<Server> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['DATABASE_URL', 'CLASP_STALE_DAYS', 'PORT', 'HOST']) delete env[name];
  Object.assign(env, {
    CLASP_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    PORT: String(port),
    HOST: '127.0.0.1',
    BENCH_BASELINE_FILE: baselineFile,
    ...(url ? { DATABASE_URL: url } : {}),
  });
  // node --import tsx runs the TypeScript in this very process (no wrapper), so its pid is the server's.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(benchDir, 'server.ts')], { cwd: rootDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const collect = (chunk: Buffer) => output.push(...chunk.toString('utf8').split('\n').filter((l) => l.trim() !== ''));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (gone) throw new Error(`The server exited before answering /health:\n${output.join('\n')}`);
    try {
      const response = await fetch(`${base}/health`);
      if (response.status === 200) return { child, base, output, exited };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`The server did not answer /health within 60 s:\n${output.join('\n')}`);
}

/* ---------- load ---------- */

interface Target {
  name: string;
  paths: string[];
}

interface Measured {
  name: string;
  bytes: number;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

async function load(base: string, target: Target, duration: number, seed: number): Promise<Measured> {
  const rnd = seededRandom(seed);
  const latencies: number[] = [];
  let bytes = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: base,
        connections: settings.connections,
        duration,
        requests: [
          {
            method: 'GET',
            // Each request goes to a path drawn from the target's list, so the load spreads over
            // many reviews, recommendations and actions rather than one cached row.
            setupRequest: (request) => ({ ...request, path: target.paths[Math.floor(rnd() * target.paths.length)] as string }),
          },
        ],
      },
      (error: unknown, done) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(done)),
    );
    instance.on('response', (_client, statusCode, resBytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) {
        latencies.push(responseTime);
        bytes += resBytes;
      }
    });
  });
  latencies.sort((a, b) => a - b);
  return {
    name: target.name,
    bytes: latencies.length ? bytes / latencies.length : 0,
    requests: latencies.length,
    // Successful responses per second of the measured run.
    rps: latencies.length / result.duration,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    p99: percentile(latencies, 0.99),
    max: latencies.at(-1) ?? NaN,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/* ---------- the run ---------- */

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ')).join('\n');
}

async function main(): Promise<void> {
  const started = performance.now();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clasp-bench-'));
  const baselineFile = path.join(dataDir, 'baseline.html');
  let server: Server | undefined;
  let prepared: Prepared | undefined;
  const cleanup = async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      const timer = setTimeout(() => server?.child.kill('SIGKILL'), 5000);
      await server.exited;
      clearTimeout(timer);
    }
    if (!settings.keep) {
      await prepared?.drop().catch((e: Error) => log(`Could not drop the bench database: ${e.message}`));
      fs.rmSync(dataDir, { recursive: true, force: true });
    } else {
      log(`Kept ${dataDir}${prepared?.url ? ` and ${describeUrl(prepared.url)}` : ''}`);
    }
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));

  try {
    const cpus = os.cpus();
    log('Clasp benchmark');
    log(`Machine: ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GB RAM, ${os.type()} ${os.release()}, Node ${process.version}`);
    log(`Load: autocannon on 127.0.0.1, ${settings.connections} connections, ${settings.warmup} s warm-up + ${settings.duration} s measured per target`);
    log();

    prepared = await prepareDatabase(dataDir);
    log(`Generated in ${seconds(prepared.generateMs)} (${prepared.version}, ${prepared.sizeMb.toFixed(0)} MB on disk)`);
    log(Object.entries(prepared.counts).map(([t, n]) => `${t} ${n.toLocaleString('en-GB')}`).join(', '));
    log();

    server = await startServer(dataDir, prepared.url, baselineFile);
    const pid = server.child.pid as number;
    let peakRssKb = 0;
    const sample = () => {
      const m = readMemory(pid);
      if (m && m.rssKb > peakRssKb) peakRssKb = m.rssKb;
    };
    const sampler = setInterval(sample, 100);
    const startRss = readMemory(pid);
    log(`Server pid ${pid} at ${server.base}, RSS after start ${((startRss?.rssKb ?? 0) / 1024).toFixed(0)} MB`);

    const reviews = prepared.set.reviews;
    const first = reviews[0];
    if (!first) throw new Error('No reviews were generated');
    const overviewHtml = await (async () => {
      const response = await fetch(`${server.base}/reviews/${first.id}`);
      if (response.status !== 200) throw new Error(`GET /reviews/${first.id} answered ${response.status}`);
      return response.text();
    })();
    fs.writeFileSync(baselineFile, overviewHtml);

    const targets: Target[] = [
      { name: 'baseline (static, same size as overview)', paths: ['/bench/baseline'] },
      { name: 'review overview', paths: reviews.map((r) => `/reviews/${r.id}`) },
      { name: 'recommendation', paths: reviews.flatMap((r) => r.recommendationNumbers.map((n) => `/reviews/${r.id}/recommendations/${n}`)) },
      { name: 'action', paths: reviews.flatMap((r) => r.actionIds.map((a) => `/reviews/${r.id}/actions/${a}`)) },
    ];
    for (const target of targets) {
      const probe = target.paths[0] as string;
      const response = await fetch(`${server.base}${probe}`);
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`GET ${probe} answered ${response.status}`);
    }

    const results: Measured[] = [];
    for (const [index, target] of targets.entries()) {
      log(`Loading ${target.name} (${target.paths.length.toLocaleString('en-GB')} paths) …`);
      await load(server.base, target, settings.warmup, 1000 + index);
      const measured = await load(server.base, target, settings.duration, 2000 + index);
      results.push(measured);
      if (server.child.exitCode !== null) throw new Error(`The server exited during the run:\n${server.output.join('\n')}`);
    }
    clearInterval(sampler);
    sample();
    const endMemory = readMemory(pid);
    const hwmKb = Math.max(endMemory?.hwmKb ?? 0, peakRssKb);
    const peakMb = hwmKb / 1024;

    const baseline = results[0] as Measured;
    const pages = results.slice(1);
    const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');
    log();
    log(`Results (${prepared.kind}, ${reviews.length} reviews, ${settings.connections} connections, ${settings.duration} s each)`);
    log(
      table([
        ['target', 'KB', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', '× baseline', 'non-2xx', 'errors'],
        ...results.map((r) => [
          r.name,
          (r.bytes / 1024).toFixed(1),
          r.rps.toFixed(0),
          fmt(r.p50),
          fmt(r.p95),
          fmt(r.p99),
          fmt(r.max),
          r === baseline ? '1.00' : (r.rps / baseline.rps).toFixed(2),
          String(r.non2xx),
          String(r.errors + r.timeouts),
        ]),
      ]),
    );
    log(`Server memory: RSS after start ${((startRss?.rssKb ?? 0) / 1024).toFixed(0)} MB, at end ${((endMemory?.rssKb ?? 0) / 1024).toFixed(0)} MB, peak (VmHWM) ${peakMb.toFixed(0)} MB`);
    log();
    log('Aims');
    const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
    const aims: { aim: string; ok: boolean; detail: string }[] = [];
    for (const r of pages) {
      const ratio = r.rps / baseline.rps;
      aims.push({ aim: `${r.name}: throughput ≥ ${AIMS.ratioToBaseline} × baseline`, ok: ratio >= AIMS.ratioToBaseline, detail: `${ratio.toFixed(2)} ×` });
    }
    for (const r of pages) aims.push({ aim: `${r.name}: p95 < ${AIMS.p95Ms} ms`, ok: r.p95 < AIMS.p95Ms, detail: `${fmt(r.p95)} ms` });
    aims.push({ aim: `server peak RSS < ${AIMS.memoryMb} MB`, ok: peakMb < AIMS.memoryMb, detail: `${peakMb.toFixed(0)} MB` });
    log(table(aims.map((a) => [a.aim, a.detail, verdict(a.ok)])));
    const failed = results.filter((r) => r.non2xx > 0 || r.errors > 0);
    if (failed.length) log(`Warning: ${failed.map((r) => r.name).join(', ')} had failed requests; see the server output below.`);
    if (server.output.length) {
      log(`The server logged ${server.output.length} line(s) at warn or above; the first ones:`);
      for (const line of server.output.slice(0, 5)) log(`  ${line.slice(0, 300)}`);
    }
    log();
    log(`Total time ${seconds(performance.now() - started)}`);

    if (settings.output) {
      fs.writeFileSync(
        settings.output,
        `${JSON.stringify(
          {
            date: new Date().toISOString(),
            machine: { cpus: cpus.length, model: cpus[0]?.model, totalMemGb: os.totalmem() / 1024 ** 3, os: `${os.type()} ${os.release()}`, node: process.version },
            database: { kind: prepared.kind, version: prepared.version, sizeMb: prepared.sizeMb, generateMs: prepared.generateMs, counts: prepared.counts },
            settings: { duration: settings.duration, warmup: settings.warmup, connections: settings.connections },
            results,
            memory: { startRssMb: (startRss?.rssKb ?? 0) / 1024, endRssMb: (endMemory?.rssKb ?? 0) / 1024, peakMb },
            aims,
          },
          null,
          2,
        )}\n`,
      );
      log(`Wrote ${settings.output}`);
    }
  } finally {
    await cleanup();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
