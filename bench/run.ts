// npm run bench: generates a national-scale data set, starts the real server in a child
// process (bench/server.mjs, over the compiled build), loads three pages and a same-size static baseline with
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
//   BENCH_UNLOADED_DURATION seconds per page of the 1-connection pass (default 5)
//   BENCH_KEEP=1       keep the temp folder (and PostgreSQL database) afterwards
//   BENCH_NODE_FLAGS   extra node flags for the server, e.g. "--max-semi-space-size=2"
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import autocannon from 'autocannon';
import { adminQuery } from './pg-admin.ts';
import { sql } from 'kysely';
import { openDatabase, describeUrl } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { countRows, generate, seededRandom, type GeneratedSet } from './generate.ts';
import { newToken, tokenHash } from '../src/platform/auth/secrets.ts';

const benchDir = path.dirname(fileURLToPath(import.meta.url));

/** The session every measured request carries, set once the data set is generated. */
let sessionCookie = '';
const signedIn = (): Record<string, string> => ({ cookie: sessionCookie });
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
  unloaded: envNumber('BENCH_UNLOADED_DURATION', 5),
  nodeFlags: (process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter((f) => f !== ''),
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

async function prepareDatabase(dataDir: string): Promise<Prepared> {
  let url: string | null = null;
  let drop: () => Promise<void> = async () => {};
  if (settings.adminUrl) {
    if (!/^[a-z_][a-z0-9_]*$/.test(settings.pgDatabase))
      throw new Error(`BENCH_PG_DATABASE "${settings.pgDatabase}" is not a plain name`);
    const parsed = new URL(settings.adminUrl);
    if (decodeURIComponent(parsed.pathname.slice(1)) === settings.pgDatabase) {
      throw new Error(
        `BENCH_DATABASE_URL must name another database than ${settings.pgDatabase}, which the bench drops and creates`,
      );
    }
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
    // Every page needs a signed-in person: the bench reads as a system administrator, who may
    // read every review, with a session made as the sign-in form makes one.
    const now = new Date().toISOString();
    const admin = await handle.db
      .insertInto('users')
      .values({
        email: 'bench@example.invalid',
        name: 'Bench reader',
        password_hash: null,
        is_admin: 1,
        created_at: now,
        disabled_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const token = newToken();
    await handle.db
      .insertInto('sessions')
      .values({
        id: tokenHash(token),
        user_id: admin.id,
        csrf_token: newToken(),
        created_at: now,
        last_seen_at: now,
        expires_at: new Date(Date.now() + 86_400_000).toISOString(),
        ip: null,
        user_agent: 'bench',
      })
      .execute();
    sessionCookie = `clasp_session=${token}`;
    const counts = await countRows(handle.db);
    let version: string;
    let sizeMb: number;
    if (handle.kind === 'postgres') {
      const row = await sql<{
        v: string;
        size: number;
      }>`select version() as v, pg_database_size(current_database()) as size`.execute(handle.db);
      version = (row.rows[0]?.v ?? '').split(' on ')[0] ?? '';
      sizeMb = (row.rows[0]?.size ?? 0) / 1024 / 1024;
    } else {
      const row = await sql<{ v: string }>`select sqlite_version() as v`.execute(handle.db);
      version = `SQLite ${row.rows[0]?.v ?? ''} (better-sqlite3)`;
      sizeMb = 0;
    }
    await handle.close();
    if (handle.kind === 'sqlite') {
      for (const file of [sqliteFile, `${sqliteFile}-wal`])
        if (fs.existsSync(file)) sizeMb += fs.statSync(file).size / 1024 / 1024;
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
  /** The parts of the RSS: anonymous memory (heaps, stacks) and mapped files (mostly the node binary). */
  anonKb: number;
  fileKb: number;
}

function readMemory(pid: number): Memory | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssKb: field('VmRSS'), hwmKb: field('VmHWM'), anonKb: field('RssAnon'), fileKb: field('RssFile') };
  } catch {
    return null;
  }
}

/** CPU time in clock ticks: the whole machine (busy and total) from /proc/stat, one process from /proc/<pid>/stat. */
interface CpuSnapshot {
  busy: number;
  total: number;
  server: number;
  self: number;
  /** PostgreSQL's processes (the local cluster), by pid. */
  postgres: Map<number, number>;
}

function processTicks(pid: number | string): { comm: string; ticks: number } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { comm, ticks: Number(rest[11]) + Number(rest[12]) };
  } catch {
    return null;
  }
}

function cpuSnapshot(pid: number, withPostgres: boolean): CpuSnapshot {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  const postgres = new Map<number, number>();
  if (withPostgres) {
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const p = processTicks(entry);
      if (p?.comm === 'postgres') postgres.set(Number(entry), p.ticks);
    }
  }
  const own = process.cpuUsage();
  // USER_HZ is 100 on Linux: one tick is 10 ms.
  return {
    busy,
    total: busy + idle + iowait,
    server: processTicks(pid)?.ticks ?? 0,
    self: (own.user + own.system) / 10_000,
    postgres,
  };
}

interface CpuShare {
  /** Server CPU as a percentage of one core. */
  serverPct: number;
  /** Server CPU time (all its threads) per successful request: what a page costs, whatever else runs. */
  serverMsPerRequest: number;
  /** PostgreSQL's CPU time per successful request (0 on SQLite, which runs inside the server). */
  dbMsPerRequest: number;
  /**
   * CPU used by everything but the server, PostgreSQL and this process (autocannon), as a
   * percentage of the whole machine.
   */
  otherPct: number;
}

function cpuShare(a: CpuSnapshot, b: CpuSnapshot, cores: number, requests: number): CpuShare {
  const total = Math.max(1, b.total - a.total);
  const server = b.server - a.server;
  let db = 0;
  for (const [pid, ticks] of b.postgres) db += ticks - (a.postgres.get(pid) ?? 0);
  const other = Math.max(0, b.busy - a.busy - server - db - (b.self - a.self));
  const n = Math.max(1, requests);
  return {
    serverPct: (100 * server * cores) / total,
    serverMsPerRequest: (server * 10) / n,
    dbMsPerRequest: (db * 10) / n,
    otherPct: (100 * other) / total,
  };
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
  delete env.DATABASE_URL;
  delete env.CLASP_STALE_DAYS;
  delete env.PORT;
  delete env.HOST;
  Object.assign(env, {
    CLASP_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    PORT: String(port),
    HOST: '127.0.0.1',
    BENCH_BASELINE_FILE: baselineFile,
    ...(url ? { DATABASE_URL: url } : {}),
  });
  // The compiled build, as production runs it (node dist/main.js serve); the pid is the
  // server's own. --expose-gc only lets /bench/memory?gc=1 collect before measuring the heap.
  const child = spawn(process.execPath, [...settings.nodeFlags, '--expose-gc', path.join(benchDir, 'server.mjs')], {
    cwd: rootDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const collect = (chunk: Buffer) =>
    output.push(
      ...chunk
        .toString('utf8')
        .split('\n')
        .filter((l) => l.trim() !== ''),
    );
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  // An object, not a `let`: the flag is set in a callback, which TypeScript's narrowing does not see.
  const status = { gone: false };
  void exited.then(() => (status.gone = true));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (status.gone) throw new Error(`The server exited before answering /health:\n${output.join('\n')}`);
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

async function load(
  base: string,
  target: Target,
  duration: number,
  connections: number,
  seed: number,
): Promise<Measured> {
  const rnd = seededRandom(seed);
  const latencies: number[] = [];
  let bytes = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: base,
        connections,
        duration,
        requests: [
          {
            method: 'GET',
            headers: signedIn(),
            // Each request goes to a path drawn from the target's list, so the load spreads over
            // many reviews, recommendations and actions rather than one cached row.
            setupRequest: (request) => ({
              ...request,
              path: target.paths[Math.floor(rnd() * target.paths.length)],
            }),
          },
        ],
      },
      (error: unknown, done) =>
        error ? reject(error instanceof Error ? error : new Error(inspect(error))) : resolve(done),
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
  return rows
    .map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  '))
    .join('\n');
}

interface TargetResult extends Measured {
  /** Highest RSS sampled while this target was loaded, warm-up included. */
  peakRssMb: number;
  /** process.memoryUsage() of the server right after this target and a full GC, in MB. */
  after: { rss: number; heapUsed: number; heapTotal: number; external: number; arrayBuffers: number };
  /** The same paths with one connection: the time a page takes when the server is not queueing. */
  unloaded?: Measured & CpuShare;
  cpu: CpuShare;
}

async function serverMemory(base: string): Promise<TargetResult['after']> {
  const m = (await (await fetch(`${base}/bench/memory?gc=1`, { headers: signedIn() })).json()) as Record<
    string,
    number
  >;
  const mb = (name: string) => (m[name] ?? 0) / 1024 / 1024;
  return {
    rss: mb('rss'),
    heapUsed: mb('heapUsed'),
    heapTotal: mb('heapTotal'),
    external: mb('external'),
    arrayBuffers: mb('arrayBuffers'),
  };
}

async function main(): Promise<void> {
  const started = performance.now();
  // Measure what production runs: the tsc build in dist/, not the TypeScript through tsx.
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: rootDir, stdio: 'inherit' });
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
      await prepared
        ?.drop()
        .catch((e: unknown) => log(`Could not drop the bench database: ${e instanceof Error ? e.message : String(e)}`));
      fs.rmSync(dataDir, { recursive: true, force: true });
    } else {
      log(`Kept ${dataDir}${prepared?.url ? ` and ${describeUrl(prepared.url)}` : ''}`);
    }
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));

  try {
    const cpus = os.cpus();
    log('Clasp benchmark');
    log(
      `Machine: ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ` +
        `${(os.totalmem() / 1024 ** 3).toFixed(1)} GB RAM, ${os.type()} ${os.release()}, Node ${process.version}`,
    );
    log(
      `Load: autocannon on 127.0.0.1, ${settings.connections} connections, ` +
        `${settings.warmup} s warm-up + ${settings.duration} s measured per target;` +
        ` then pages alone with 1 connection for ${settings.unloaded} s` +
        (settings.nodeFlags.length ? `; server node flags: ${settings.nodeFlags.join(' ')}` : ''),
    );
    log(
      `Load average before: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} ("other CPU %" below shows what else ran during each target)`,
    );
    log();

    prepared = await prepareDatabase(dataDir);
    log(`Generated in ${seconds(prepared.generateMs)} (${prepared.version}, ${prepared.sizeMb.toFixed(0)} MB on disk)`);
    log(
      Object.entries(prepared.counts)
        .map(([t, n]) => `${t} ${n.toLocaleString('en-GB')}`)
        .join(', '),
    );
    log();

    server = await startServer(dataDir, prepared.url, baselineFile);
    const base = server.base;
    const pid = server.child.pid as number;
    let peakRssKb = 0;
    let targetPeakKb = 0;
    const sample = () => {
      const m = readMemory(pid);
      if (!m) return;
      peakRssKb = Math.max(peakRssKb, m.rssKb);
      targetPeakKb = Math.max(targetPeakKb, m.rssKb);
    };
    const sampler = setInterval(sample, 100);
    const pgRun = prepared.kind === 'postgres';
    const startMemory = await serverMemory(base);
    const startProc = readMemory(pid);
    const parts = (m: Memory | null) =>
      m ? `anonymous ${(m.anonKb / 1024).toFixed(0)} MB + files ${(m.fileKb / 1024).toFixed(0)} MB` : '';
    log(
      `Server pid ${pid} at ${base}: RSS after start ${startMemory.rss.toFixed(0)} MB ` +
        `(${parts(startProc)}; V8 heap used ${startMemory.heapUsed.toFixed(0)} MB)`,
    );

    const reviews = prepared.set.reviews;
    const first = reviews[0];
    if (!first) throw new Error('No reviews were generated');
    const overview = await fetch(`${base}/reviews/${first.id}`, { headers: signedIn() });
    if (overview.status !== 200) throw new Error(`GET /reviews/${first.id} answered ${overview.status}`);
    fs.writeFileSync(baselineFile, await overview.text());

    const targets: (Target & { page: boolean })[] = [
      // The baseline is the overview's HTML as a static server sends it: prepared bytes.
      { name: 'baseline: overview HTML, static', paths: ['/bench/baseline-bytes'], page: false },
      { name: 'same HTML sent as a string (info)', paths: ['/bench/baseline'], page: false },
      { name: 'review overview', paths: reviews.map((r) => `/reviews/${r.id}`), page: true },
      {
        name: 'recommendation',
        paths: reviews.flatMap((r) => r.recommendationNumbers.map((n) => `/reviews/${r.id}/recommendations/${n}`)),
        page: true,
      },
      {
        name: 'action',
        paths: reviews.flatMap((r) => r.actionIds.map((a) => `/reviews/${r.id}/actions/${a}`)),
        page: true,
      },
    ];
    for (const target of targets) {
      const probe = target.paths[0] as string;
      const response = await fetch(`${base}${probe}`, { headers: signedIn() });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`GET ${probe} answered ${response.status}`);
    }

    const results: TargetResult[] = [];
    for (const [index, target] of targets.entries()) {
      log(`Loading ${target.name} (${target.paths.length.toLocaleString('en-GB')} paths) …`);
      targetPeakKb = 0;
      await load(base, target, settings.warmup, settings.connections, 1000 + index);
      const before = cpuSnapshot(pid, pgRun);
      const measured = await load(base, target, settings.duration, settings.connections, 2000 + index);
      const cpu = cpuShare(before, cpuSnapshot(pid, pgRun), cpus.length, measured.requests);
      sample();
      results.push({ ...measured, cpu, peakRssMb: targetPeakKb / 1024, after: await serverMemory(base) });
      if (server.child.exitCode !== null)
        throw new Error(`The server exited during the run:\n${server.output.join('\n')}`);
    }
    for (const [index, target] of targets.entries()) {
      if (!target.page) continue;
      log(`Loading ${target.name} with 1 connection …`);
      const result = results[index] as TargetResult;
      const before = cpuSnapshot(pid, pgRun);
      const measured = await load(base, target, settings.unloaded, 1, 3000 + index);
      result.unloaded = { ...measured, ...cpuShare(before, cpuSnapshot(pid, pgRun), cpus.length, measured.requests) };
    }
    clearInterval(sampler);
    sample();
    const endMemory = readMemory(pid);
    const peakMb = Math.max(endMemory?.hwmKb ?? 0, peakRssKb) / 1024;

    const baseline = results[0] as TargetResult;
    const pages = results.filter((_, i) => targets[i]?.page);
    const fmt = (n: number | undefined) => (n !== undefined && Number.isFinite(n) ? n.toFixed(1) : '–');
    log();
    log(
      `Results (${prepared.kind}, ${reviews.length} reviews, ` +
        `${settings.connections} connections, ${settings.duration} s each)`,
    );
    log(
      table([
        [
          'target',
          'KB',
          'req/s',
          'p50 ms',
          'p95 ms',
          'p99 ms',
          'max ms',
          '× baseline',
          'peak RSS MB',
          'failed',
          'CPU ms/req',
          ...(pgRun ? ['PG ms/req'] : []),
          'server CPU %',
          'other CPU %',
        ],
        ...results.map((r) => [
          r.name,
          (r.bytes / 1024).toFixed(1),
          r.rps.toFixed(0),
          fmt(r.p50),
          fmt(r.p95),
          fmt(r.p99),
          fmt(r.max),
          (r.rps / baseline.rps).toFixed(2),
          r.peakRssMb.toFixed(0),
          String(r.non2xx + r.errors + r.timeouts),
          r.cpu.serverMsPerRequest.toFixed(2),
          ...(pgRun ? [r.cpu.dbMsPerRequest.toFixed(2)] : []),
          r.cpu.serverPct.toFixed(0),
          r.cpu.otherPct.toFixed(0),
        ]),
      ]),
    );
    log();
    log(`Pages alone (1 connection, ${settings.unloaded} s each): the time one request takes when nothing queues`);
    log(
      table([
        [
          'target',
          'req/s',
          'p50 ms',
          'p95 ms',
          'p99 ms',
          'CPU ms/req',
          ...(pgRun ? ['PG ms/req'] : []),
          'server CPU %',
          'other CPU %',
        ],
        ...pages.map((r) => [
          r.name,
          (r.unloaded?.rps ?? 0).toFixed(0),
          fmt(r.unloaded?.p50),
          fmt(r.unloaded?.p95),
          fmt(r.unloaded?.p99),
          r.unloaded ? r.unloaded.serverMsPerRequest.toFixed(2) : '–',
          ...(pgRun ? [r.unloaded ? r.unloaded.dbMsPerRequest.toFixed(2) : '–'] : []),
          fmt(r.unloaded?.serverPct),
          fmt(r.unloaded?.otherPct),
        ]),
      ]),
    );
    log();
    log(
      `Server memory: RSS after start ${startMemory.rss.toFixed(0)} MB (${parts(startProc)}), ` +
        `at end ${((endMemory?.rssKb ?? 0) / 1024).toFixed(0)} MB (${parts(endMemory)}), ` +
        `peak (VmHWM) ${peakMb.toFixed(0)} MB`,
    );
    log(
      table([
        ['after target, full GC', 'peak RSS during', 'RSS', 'heap used', 'heap total', 'external'],
        ...results.map((r) =>
          [r.name, r.peakRssMb, r.after.rss, r.after.heapUsed, r.after.heapTotal, r.after.external].map((v) =>
            typeof v === 'number' ? v.toFixed(0) : v,
          ),
        ),
      ]),
    );
    log();
    log('Aims');
    const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
    const aims: { aim: string; ok: boolean; detail: string }[] = [];
    for (const r of pages) {
      const ratio = r.rps / baseline.rps;
      aims.push({
        aim: `${r.name}: throughput ≥ ${AIMS.ratioToBaseline} × baseline`,
        ok: ratio >= AIMS.ratioToBaseline,
        detail: `${ratio.toFixed(2)} ×`,
      });
    }
    for (const r of pages)
      aims.push({
        aim: `${r.name}: p95 < ${AIMS.p95Ms} ms (${settings.connections} connections)`,
        ok: r.p95 < AIMS.p95Ms,
        detail: `${fmt(r.p95)} ms`,
      });
    aims.push({
      aim: `server peak RSS < ${AIMS.memoryMb} MB`,
      ok: peakMb < AIMS.memoryMb,
      detail: `${peakMb.toFixed(0)} MB`,
    });
    log(table(aims.map((a) => [a.aim, a.detail, verdict(a.ok)])));
    const failed = results.filter((r) => r.non2xx > 0 || r.errors > 0 || r.timeouts > 0);
    if (failed.length)
      log(`Warning: ${failed.map((r) => r.name).join(', ')} had failed requests; see the server output below.`);
    if (server.output.length) {
      log(`The server logged ${server.output.length} line(s) at warn or above; the first ones:`);
      for (const line of server.output.slice(0, 5)) log(`  ${line.slice(0, 300)}`);
    }
    log();
    log(
      `Load average after: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}. Total time ${seconds(performance.now() - started)}`,
    );

    if (settings.output) {
      fs.writeFileSync(
        settings.output,
        `${JSON.stringify(
          {
            date: new Date().toISOString(),
            machine: {
              cpus: cpus.length,
              model: cpus[0]?.model,
              totalMemGb: os.totalmem() / 1024 ** 3,
              os: `${os.type()} ${os.release()}`,
              node: process.version,
              loadAvgAtEnd: os.loadavg(),
            },
            database: {
              kind: prepared.kind,
              version: prepared.version,
              sizeMb: prepared.sizeMb,
              generateMs: prepared.generateMs,
              counts: prepared.counts,
            },
            settings: {
              duration: settings.duration,
              warmup: settings.warmup,
              connections: settings.connections,
              unloaded: settings.unloaded,
              nodeFlags: settings.nodeFlags,
            },
            results,
            memory: { start: startMemory, startProc, end: endMemory, peakMb },
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
