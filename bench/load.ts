// npm run bench:load: sustained mixed load without loss. Generates the bench's data set
// (bench/generate.ts, bench/people.ts), starts the real server (bench/server.mjs over the
// compiled build), and for BENCH_LOAD_SECONDS drives a mix of reads and writes from the members
// of the busiest reviews, each with their own session (pages) and API token (JSON): pages and
// JSON of reviews, recommendations and actions; progress posts, some proposing a rating, some
// with an evidence file; evidence uploads (a small PDF or CSV); rating decisions and evidence
// decisions by reviewers and coordinators; edits of actions, some sent again with the version
// read before (stale: must be refused with 409, or 412 with If-Match); and invalid posts (must
// be refused with 400). Every write carries a uuid marker in its text.
//
// Then, with the server stopped, it checks the database (bench/load-checks.ts): no 5xx, every
// acknowledged write present exactly once, every refused write absent, the audit events made
// during the run equal to the acknowledged changes kind by kind, the audit chain intact. It
// prints requests by kind and status, req/s, p50/p95/p99 by kind, the server's RSS and CPU,
// and exits 1 when a check fails.
//
// The load: BENCH_CONNECTIONS simulated people at once (default 10, as npm run bench measures
// its pages), each sending its next request as soon as the last is answered: the server's peak.
//
// With --soak (or BENCH_SOAK_MINUTES): the same mix for BENCH_SOAK_MINUTES (default 10) at a
// steady BENCH_SOAK_RATE steps a second (default 5; a step is one to three requests), RSS
// sampled every 5 s; memory is "flat" when the last minute's mean RSS is within 10 MB or 5 %
// (whichever is larger) of the first minute's. The same checks follow.
//
// Environment:
//   BENCH_LOAD_SECONDS  seconds of load (default 60)
//   BENCH_CONNECTIONS   simulated people at once (default 10)
//   BENCH_LOAD_PEOPLE   distinct people signed in (default 120): every member of the first reviews
//   BENCH_REVIEWS       reviews to generate (default 150)
//   BENCH_DATABASE_URL  as for bench/run.ts: PostgreSQL, in a database the bench makes and drops
//                       (BENCH_PG_LOAD_DATABASE, default clasp_bench_load)
//   BENCH_SOAK_MINUTES, BENCH_SOAK_RATE  the soak (see above)
//   BENCH_OUTPUT        a file to write the results to as JSON
//   BENCH_KEEP=1        keep the temp folder (and PostgreSQL database) afterwards
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { openDatabase, describeUrl } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { generate } from './generate.ts';
import { addPeople } from './people.ts';
import { adminQuery } from './pg-admin.ts';
import { cpuSnapshot, percentile, readMemory, startServer, table, type Server } from './http-load.ts';
import { seededRandom } from './random.ts';
import { KINDS, makePdf, signInCrowd, step, type Crowd, type MixContext, type Sent } from './load-mix.ts';
import { idsBefore, runChecks, type Before, type Check } from './load-checks.ts';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const rootDir = path.dirname(benchDir);

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, not "${raw}"`);
  return n;
}

const soak = process.argv.includes('--soak') || Boolean(process.env.BENCH_SOAK_MINUTES);
const settings = {
  soak,
  seconds: soak ? envNumber('BENCH_SOAK_MINUTES', 10) * 60 : envNumber('BENCH_LOAD_SECONDS', 60),
  soakRate: envNumber('BENCH_SOAK_RATE', 5),
  connections: Math.round(envNumber('BENCH_CONNECTIONS', 10)),
  people: Math.round(envNumber('BENCH_LOAD_PEOPLE', 120)),
  reviews: Math.round(envNumber('BENCH_REVIEWS', 150)),
  adminUrl: process.env.BENCH_DATABASE_URL || null,
  pgDatabase: process.env.BENCH_PG_LOAD_DATABASE || 'clasp_bench_load',
  output: process.env.BENCH_OUTPUT || null,
  keep: process.env.BENCH_KEEP === '1',
  /** RSS is sampled this often, in ms. */
  sampleMs: soak ? 5000 : 1000,
};
/** Growth of RSS from the first minute to the last within which the soak calls memory flat. */
const FLAT = { mb: 10, share: 0.05 };

const log = (line = '') => process.stdout.write(`${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/* ---------- the database ---------- */

interface Prepared {
  kind: 'sqlite' | 'postgres';
  url: string | null;
  sqliteFile: string;
  version: string;
  crowd: Crowd;
  before: Before;
  drop(): Promise<void>;
}

async function prepareDatabase(dataDir: string): Promise<Prepared> {
  let url: string | null = null;
  let drop: () => Promise<void> = async () => {};
  if (settings.adminUrl) {
    if (!/^[a-z_][a-z0-9_]*$/.test(settings.pgDatabase))
      throw new Error(`BENCH_PG_LOAD_DATABASE "${settings.pgDatabase}" is not a plain name`);
    const parsed = new URL(settings.adminUrl);
    if (decodeURIComponent(parsed.pathname.slice(1)) === settings.pgDatabase)
      throw new Error(
        `BENCH_DATABASE_URL must name another database than ${settings.pgDatabase}, which the bench drops`,
      );
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
    const set = await generate(handle, { reviews: settings.reviews });
    const people = await addPeople(handle.db);
    const crowd = await signInCrowd(handle.db, set, settings.people);
    log(
      `Generated in ${seconds(performance.now() - started)}: ${set.reviews.length} reviews, ${people.users} people; ` +
        `${crowd.people.length} signed in for the load, members of reviews ${crowd.reviewIds.join(', ')}`,
    );
    const version =
      handle.kind === 'postgres'
        ? ((await sql<{ v: string }>`select version() as v`.execute(handle.db)).rows[0]?.v ?? '').split(' on ')[0]
        : `SQLite ${(await sql<{ v: string }>`select sqlite_version() as v`.execute(handle.db)).rows[0]?.v ?? ''}`;
    const before = await idsBefore(handle.db);
    await handle.close();
    return { kind: handle.kind, url, sqliteFile, version: version ?? '', crowd, before, drop };
  } catch (error) {
    await handle.close().catch(() => undefined);
    await drop().catch(() => undefined);
    throw error;
  }
}

/* ---------- driving the load ---------- */

interface Sample {
  at: number;
  rssMb: number;
  /** The parts of the RSS: anonymous memory (heaps, SQLite's cache) and mapped files. */
  anonMb: number;
  fileMb: number;
}

/** The server's own view of its memory after a full collection (bench/server.mjs's /bench/memory?gc=1), in MB. */
interface HeapSample {
  at: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

async function heapSample(base: string, cookie: string, at: number): Promise<HeapSample | null> {
  try {
    const response = await fetch(`${base}/bench/memory?gc=1`, { headers: { cookie } });
    const m = (await response.json()) as Record<string, number>;
    const mb = (name: string) => (m[name] ?? 0) / 1024 / 1024;
    return {
      at,
      rss: mb('rss'),
      heapUsed: mb('heapUsed'),
      heapTotal: mb('heapTotal'),
      external: mb('external'),
      arrayBuffers: mb('arrayBuffers'),
    };
  } catch {
    return null;
  }
}

async function drive(ctx: MixContext, durationMs: number, pacedPerSecond: number | null): Promise<number> {
  const started = performance.now();
  const end = started + durationMs;
  let nextSlot = started;
  const workers = Array.from({ length: settings.connections }, async () => {
    while (performance.now() < end) {
      if (pacedPerSecond) {
        const slot = Math.max(performance.now(), nextSlot);
        nextSlot = slot + 1000 / pacedPerSecond;
        const wait = slot - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        if (performance.now() >= end) break;
      }
      await step(ctx);
    }
  });
  await Promise.all(workers);
  return performance.now() - started;
}

interface KindFigures {
  kind: string;
  requests: number;
  statuses: Record<string, number>;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

function figures(entries: Sent[], kind: string, elapsedMs: number): KindFigures {
  const ms = entries.map((s) => s.ms).sort((a, b) => a - b);
  const statuses: Record<string, number> = {};
  for (const s of entries) statuses[String(s.status)] = (statuses[String(s.status)] ?? 0) + 1;
  return {
    kind,
    requests: entries.length,
    statuses,
    rps: entries.length / (elapsedMs / 1000),
    p50: percentile(ms, 0.5),
    p95: percentile(ms, 0.95),
    p99: percentile(ms, 0.99),
    max: ms.at(-1) ?? NaN,
  };
}

interface Trend {
  firstMinuteMb: number;
  lastMinuteMb: number;
  growthMb: number;
  boundMb: number;
  slopeMbPerMinute: number;
  flat: boolean;
}

function rssTrend(samples: Sample[]): Trend | null {
  if (samples.length < 4) return null;
  const t0 = samples[0]?.at ?? 0;
  const tEnd = samples.at(-1)?.at ?? 0;
  const mean = (list: Sample[]) => list.reduce((a, s) => a + s.rssMb, 0) / Math.max(1, list.length);
  const first = samples.filter((s) => s.at - t0 <= 60_000);
  const last = samples.filter((s) => tEnd - s.at <= 60_000);
  const steady = samples.filter((s) => s.at - t0 > 60_000);
  const points = steady.length >= 2 ? steady : samples;
  const xs = points.map((s) => (s.at - t0) / 60_000);
  const ys = points.map((s) => s.rssMb);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (const [i, x] of xs.entries()) {
    num += (x - mx) * ((ys[i] as number) - my);
    den += (x - mx) ** 2;
  }
  const firstMinuteMb = mean(first);
  const lastMinuteMb = mean(last);
  const boundMb = Math.max(FLAT.mb, FLAT.share * firstMinuteMb);
  return {
    firstMinuteMb,
    lastMinuteMb,
    growthMb: lastMinuteMb - firstMinuteMb,
    boundMb,
    slopeMbPerMinute: den > 0 ? num / den : 0,
    flat: lastMinuteMb - firstMinuteMb <= boundMb,
  };
}

async function stopServer(server: Server): Promise<number | null> {
  if (server.child.exitCode !== null) return server.child.exitCode;
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 15_000);
  const code = await server.exited;
  clearTimeout(timer);
  return code;
}

async function main(): Promise<void> {
  const started = performance.now();
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: rootDir, stdio: 'inherit' });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clasp-bench-load-'));
  let server: Server | undefined;
  let prepared: Prepared | undefined;
  const cleanup = async () => {
    if (server) await stopServer(server);
    if (!settings.keep) {
      await prepared
        ?.drop()
        .catch((e: unknown) => log(`Could not drop the bench database: ${e instanceof Error ? e.message : String(e)}`));
      fs.rmSync(dataDir, { recursive: true, force: true });
    } else log(`Kept ${dataDir}${prepared?.url ? ` and ${describeUrl(prepared.url)}` : ''}`);
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));
  let failed: boolean;
  try {
    const cpus = os.cpus();
    log(settings.soak ? 'Clasp soak: steady mixed load, memory over time' : 'Clasp load without loss');
    log(
      `Machine: ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ` +
        `${(os.totalmem() / 1024 ** 3).toFixed(1)} GB RAM, Node ${process.version}. ` +
        `Load average before: ${loadAverage()}`,
    );
    prepared = await prepareDatabase(dataDir);
    const { crowd } = prepared;
    const roles = (role: string) => crowd.people.filter((p) => p.role === role).length;
    log(
      `People: ${roles('editor')} editors, ${roles('reviewer')} reviewers, ${roles('coordinator')} coordinators; ` +
        (settings.soak
          ? `${settings.connections} at once, paced at ${settings.soakRate} steps a second, ` +
            `for ${settings.seconds / 60} minutes`
          : `${settings.connections} at once without pause (the bench's peak setting), for ${settings.seconds} s`),
    );

    server = await startServer({
      dataDir,
      url: prepared.url,
      baselineFile: path.join(dataDir, 'baseline.html'),
      nodeFlags: [],
    });
    const pid = server.child.pid as number;
    const samples: Sample[] = [];
    const t0 = performance.now();
    const sample = () => {
      const m = readMemory(pid);
      if (m)
        samples.push({
          at: performance.now() - t0,
          rssMb: m.rssKb / 1024,
          anonMb: m.anonKb / 1024,
          fileMb: m.fileKb / 1024,
        });
    };
    sample();
    const startRss = samples[0]?.rssMb ?? NaN;
    const ctx: MixContext = {
      base: server.base,
      crowd,
      rnd: seededRandom(20261207),
      pdf: await makePdf(),
      log: [],
      undecided: new Map(),
      timeoutMs: 30_000,
      t0: performance.now(),
    };
    // A short warm-up of reads (the plan cache, the compiled templates), not counted in the figures.
    for (const reviewId of crowd.reviewIds) {
      const p = crowd.people.find((x) => x.reviewId === reviewId);
      if (!p) continue;
      const r = await fetch(`${server.base}/reviews/${reviewId}`, { headers: { cookie: p.cookie } });
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`GET /reviews/${reviewId} answered ${r.status} in the warm-up`);
    }
    log(`Server pid ${pid}, RSS after start and warm-up ${startRss.toFixed(0)} MB. Loading …`);
    const sampler = setInterval(sample, settings.sampleMs);
    // What the server holds after a full collection, at the start and the end (and in a soak once
    // a minute), to tell a heap that grows from memory the process keeps (caches, the allocator).
    const heaps: HeapSample[] = [];
    const cookie = crowd.people[0]?.cookie ?? '';
    const takeHeap = async () => {
      const h = await heapSample(server?.base ?? '', cookie, performance.now() - t0);
      if (h) heaps.push(h);
    };
    await takeHeap();
    const heapTimer = settings.soak ? setInterval(() => void takeHeap(), 60_000) : undefined;
    const withPostgres = prepared.kind === 'postgres';
    const cpuBefore = cpuSnapshot(pid, withPostgres);
    ctx.t0 = performance.now();
    const elapsed = await drive(ctx, settings.seconds * 1000, settings.soak ? settings.soakRate : null);
    const cpuAfter = cpuSnapshot(pid, withPostgres);
    clearInterval(sampler);
    clearInterval(heapTimer);
    // Before the collection the end sample reads: the RSS the load left.
    sample();
    await takeHeap();
    sample();
    const mem = readMemory(pid);
    const endRss = mem ? mem.rssKb / 1024 : NaN;
    const peakRss = Math.max(mem ? mem.hwmKb / 1024 : 0, ...samples.map((s) => s.rssMb));
    const loadAfter = loadAverage();
    const exitCode = await stopServer(server);
    const serverOutput = server.output;
    server = undefined;

    const serverMs = (cpuAfter.server - cpuBefore.server) * 10;
    const selfMs = (cpuAfter.self - cpuBefore.self) * 10;
    let pgMs = 0;
    for (const [p, ticks] of cpuAfter.postgres) pgMs += (ticks - (cpuBefore.postgres.get(p) ?? 0)) * 10;
    const all = ctx.log;
    const byKind = KINDS.map((k) =>
      figures(
        all.filter((s) => s.kind === k),
        k,
        elapsed,
      ),
    ).filter((f) => f.requests);
    const total = figures(all, 'all', elapsed);

    const handle = await openDatabase({ url: prepared.url, sqliteFile: prepared.sqliteFile });
    let checks: Check[];
    try {
      checks = await runChecks(handle.db, prepared.before, all);
    } finally {
      await handle.close();
    }
    // A trend needs a first and a last minute apart: only for runs of 3 minutes or more.
    const trend = settings.seconds >= 180 ? rssTrend(samples) : null;
    if (settings.soak && trend)
      checks.push({
        name: `memory flat over the soak (last minute within ${trend.boundMb.toFixed(0)} MB of the first)`,
        ok: trend.flat,
        detail:
          `${trend.firstMinuteMb.toFixed(0)} → ${trend.lastMinuteMb.toFixed(0)} MB, ` +
          `slope ${trend.slopeMbPerMinute.toFixed(2)} MB/min`,
        failures: trend.flat ? [] : [`grew ${trend.growthMb.toFixed(1)} MB`],
      });
    checks.push({
      name: 'the server stopped cleanly on SIGTERM after the load',
      ok: exitCode === 0,
      detail: `exit code ${exitCode}`,
      failures: exitCode === 0 ? [] : serverOutput.slice(-5),
    });

    const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');
    const statusText = (s: Record<string, number>) =>
      Object.entries(s)
        .map(([k, v]) => `${k}×${v}`)
        .join(' ');
    log();
    log(
      `Results (${prepared.kind}, ${prepared.version}; ${settings.reviews} reviews; ${crowd.people.length} people; ` +
        `${settings.connections} at once; ${seconds(elapsed)})`,
    );
    log(
      table([
        ['kind', 'requests', 'statuses', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
        ...[...byKind, total].map((f) => [
          f.kind,
          String(f.requests),
          statusText(f.statuses),
          f.rps.toFixed(1),
          fmt(f.p50),
          fmt(f.p95),
          fmt(f.p99),
          fmt(f.max),
        ]),
      ]),
    );
    log();
    log(
      `Server CPU ${(serverMs / Math.max(1, total.requests)).toFixed(2)} ms a request` +
        (withPostgres ? `, PostgreSQL ${(pgMs / Math.max(1, total.requests)).toFixed(2)} ms a request` : '') +
        `; server ${((100 * serverMs) / elapsed).toFixed(0)} % of one core` +
        `; the load generator ${(selfMs / Math.max(1, total.requests)).toFixed(2)} ms a request`,
    );
    log(
      `Server RSS: start ${startRss.toFixed(0)} MB, peak ${peakRss.toFixed(0)} MB, end ${endRss.toFixed(0)} MB ` +
        `(${samples.length} samples, every ${settings.sampleMs / 1000} s)`,
    );
    if (trend)
      log(
        `RSS trend: first minute ${trend.firstMinuteMb.toFixed(1)} MB, ` +
          `last minute ${trend.lastMinuteMb.toFixed(1)} MB ` +
          `(${trend.growthMb >= 0 ? '+' : ''}${trend.growthMb.toFixed(1)} MB), ` +
          `slope ${trend.slopeMbPerMinute.toFixed(2)} MB/min ` +
          `after the first minute: ${trend.flat ? 'flat' : 'growing'} (bound ${trend.boundMb.toFixed(0)} MB)`,
      );
    const firstHeap = heaps[0];
    const lastHeap = heaps.at(-1);
    if (firstHeap && lastHeap) {
      const heapLine = (h: HeapSample) =>
        `RSS ${h.rss.toFixed(0)}, heap used ${h.heapUsed.toFixed(0)} of ${h.heapTotal.toFixed(0)}, ` +
        `external ${h.external.toFixed(0)} (buffers ${h.arrayBuffers.toFixed(0)})`;
      log(`After a full GC (MB), at the start: ${heapLine(firstHeap)}`);
      log(`                     at the end:   ${heapLine(lastHeap)}`);
      const lastSample = samples.at(-1);
      if (samples[0] && lastSample)
        log(
          `RSS parts (MB): anonymous ${samples[0].anonMb.toFixed(0)} → ${lastSample.anonMb.toFixed(0)}, ` +
            `files ${samples[0].fileMb.toFixed(0)} → ${lastSample.fileMb.toFixed(0)}`,
        );
    }
    log();
    log('Checks');
    log(table(checks.map((c) => [c.name, c.detail, c.ok ? 'PASS' : 'FAIL'])));
    for (const c of checks.filter((x) => !x.ok)) {
      log();
      log(`FAIL ${c.name}: ${c.failures.length} case(s); the first:`);
      for (const f of c.failures.slice(0, 10)) log(`  ${f}`);
    }
    const warnings = serverOutput;
    if (warnings.length) {
      log();
      log(`The server logged ${warnings.length} line(s) at warn or above; the first:`);
      for (const line of warnings.slice(0, 5)) log(`  ${line.slice(0, 300)}`);
    }
    log();
    log(`Load average after: ${loadAfter}. Total time ${seconds(performance.now() - started)}`);
    failed = checks.some((c) => !c.ok);

    if (settings.output) {
      fs.writeFileSync(
        settings.output,
        `${JSON.stringify(
          {
            date: new Date().toISOString(),
            mode: settings.soak ? 'soak' : 'load',
            machine: {
              cpus: cpus.length,
              model: cpus[0]?.model,
              node: process.version,
              loadAvgAfter: os.loadavg(),
            },
            database: { kind: prepared.kind, version: prepared.version },
            settings: {
              seconds: settings.seconds,
              connections: settings.connections,
              soakRate: settings.soak ? settings.soakRate : null,
              reviews: settings.reviews,
              people: crowd.people.length,
              busyReviews: crowd.reviewIds,
            },
            elapsedMs: elapsed,
            kinds: byKind,
            total,
            cpu: {
              loadGeneratorMsPerRequest: selfMs / Math.max(1, total.requests),
              serverMsPerRequest: serverMs / Math.max(1, total.requests),
              pgMsPerRequest: pgMs / Math.max(1, total.requests),
            },
            memory: { startMb: startRss, peakMb: peakRss, endMb: endRss, samples, trend, afterGc: heaps },
            checks,
            serverLog: serverOutput.slice(0, 500),
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
  if (failed) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:load: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
