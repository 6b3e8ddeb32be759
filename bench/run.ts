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
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { adminQuery } from './pg-admin.ts';
import { sql } from 'kysely';
import { openDatabase, describeUrl } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { countRows, generate, type GeneratedSet } from './generate.ts';
import {
  cpuShare,
  cpuSnapshot,
  createSession,
  load,
  readMemory,
  startServer,
  table,
  type CpuShare,
  type Measured,
  type Memory,
  type Server,
  type Target,
} from './http-load.ts';

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
    sessionCookie = await createSession(handle.db, admin.id);
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

    server = await startServer({ dataDir, url: prepared.url, baselineFile, nodeFlags: settings.nodeFlags });
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
      await load(base, target, settings.warmup, settings.connections, 1000 + index, signedIn());
      const before = cpuSnapshot(pid, pgRun);
      const measured = await load(base, target, settings.duration, settings.connections, 2000 + index, signedIn());
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
      const measured = await load(base, target, settings.unloaded, 1, 3000 + index, signedIn());
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
