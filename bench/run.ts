// npm run bench (first part): generates a national-scale data set, starts the real server in a
// child process (bench/server.mjs, over the compiled build), signs in, and loads three pages
// (review overview, recommendation, action) with autocannon on loopback, each beside the
// machine's limit for the same bytes: a bare node:http server in a process of its own
// (bench/bare-server.mjs) sending, byte for byte, what the app sent for a sample of those pages,
// requested in the same distribution. Two access patterns: uniform (every page equally likely)
// and a realistic mix (most requests to a few busy reviews). Also an in-server baseline (the
// overview's bytes through Clasp's own hooks), the server's memory and CPU, and the aims.
//
// Environment:
//   BENCH_DURATION     seconds measured per target (default 10)
//   BENCH_WARMUP       seconds of discarded warm-up per target (default 2)
//   BENCH_CONNECTIONS  concurrent connections (default 10)
//   BENCH_REVIEWS      reviews to generate (default 150)
//   BENCH_PATTERNS     uniform,mix (default both), or one of them
//   BENCH_BUSY_REVIEWS the mix's busy reviews (default 5)
//   BENCH_BUSY_SHARE   the mix's share of requests to them (default 0.8; the rest spread evenly)
//   BENCH_BARE_SAMPLE  pages per kind whose bytes the bare server sends (default 300)
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
  getRaw,
  groupPicker,
  load,
  readMemory,
  startBareServer,
  startServer,
  table,
  type BareEntry,
  type BareServer,
  type CpuShare,
  type Measured,
  type Memory,
  type PathGroup,
  type Server,
} from './http-load.ts';
import { sample, seededRandom } from './random.ts';

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
  patterns: patternsFromEnv(),
  busyReviews: Math.round(envNumber('BENCH_BUSY_REVIEWS', 5)),
  busyShare: envNumber('BENCH_BUSY_SHARE', 0.8),
  bareSample: Math.round(envNumber('BENCH_BARE_SAMPLE', 300)),
};
if (settings.busyShare >= 1) throw new Error(`BENCH_BUSY_SHARE must be below 1, not ${settings.busyShare}`);

type Pattern = 'uniform' | 'mix';

function patternsFromEnv(): Pattern[] {
  const raw = (process.env.BENCH_PATTERNS ?? '').trim();
  if (raw === '') return ['uniform', 'mix'];
  const list = raw.split(',').map((p) => p.trim());
  for (const p of list)
    if (p !== 'uniform' && p !== 'mix') throw new Error(`BENCH_PATTERNS lists uniform and/or mix, not "${p}"`);
  return [...new Set(list)] as Pattern[];
}

/** Issue 18's aims: throughput as a share of the bare server sending the same bytes, p95, memory. */
const AIMS = { ratioToBare: { sqlite: 0.25, postgres: 0.15 }, p95Ms: 20, memoryMb: 200 };

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
    // As bench/cycle.ts: fresh statistics, as autovacuum would have gathered on a live database.
    if (handle.kind === 'postgres') await sql`analyze`.execute(handle.db);
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

type AfterGc = { rss: number; heapUsed: number; heapTotal: number; external: number; arrayBuffers: number };

interface TargetResult extends Measured {
  /** in-server: the baseline through Clasp's hooks; bare: the bare server; app: the page itself. */
  role: 'in-server' | 'bare' | 'app';
  page: PageKind | null;
  pattern: Pattern | null;
  /** Distinct paths the target draws from. */
  pathCount: number;
  /** Highest RSS of Clasp's server sampled while this target was loaded, warm-up included (not for bare). */
  peakRssMb: number | null;
  /** process.memoryUsage() of Clasp's server right after this target and a full GC, in MB (not for bare). */
  after: AfterGc | null;
  /** The same paths with one connection: the time a page takes when the server is not queueing. */
  unloaded?: Measured & CpuShare;
  /** CPU of the process that answered: Clasp's server, or the bare server. */
  cpu: CpuShare;
}

type PageKind = 'overview' | 'recommendation' | 'action';
const PAGE_NAMES: Record<PageKind, string> = {
  overview: 'review overview',
  recommendation: 'recommendation',
  action: 'action',
};

async function serverMemory(base: string): Promise<AfterGc> {
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

/** What one page kind is loaded with, per pattern: the app over every page, the bare server over a sample. */
interface PagePlan {
  kind: PageKind;
  app: Record<Pattern, PathGroup[]>;
  bare: Record<Pattern, PathGroup[]>;
}

const PATTERN_NAMES: Record<Pattern, string> = { uniform: 'uniform', mix: 'busy mix' };

async function main(): Promise<void> {
  const started = performance.now();
  // Measure what production runs: the tsc build in dist/, not the TypeScript through tsx.
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: rootDir, stdio: 'inherit' });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clasp-bench-'));
  const baselineFile = path.join(dataDir, 'baseline.html');
  const bareDir = path.join(dataDir, 'bare');
  fs.mkdirSync(bareDir);
  let server: Server | undefined;
  let bare: BareServer | undefined;
  let prepared: Prepared | undefined;
  const cleanup = async () => {
    await bare?.stop().catch(() => undefined);
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
    const loadBefore = os.loadavg();
    log('Clasp benchmark: pages against the machine’s limit');
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
      `Load average before: ${loadBefore.map((l) => l.toFixed(2)).join(' ')} ` +
        `("other CPU %" below shows what else ran during each target)`,
    );
    log();

    prepared = await prepareDatabase(dataDir);
    const ratioAim = AIMS.ratioToBare[prepared.kind];
    log(`Generated in ${seconds(prepared.generateMs)} (${prepared.version}, ${prepared.sizeMb.toFixed(0)} MB on disk)`);
    log(
      Object.entries(prepared.counts)
        .map(([t, n]) => `${t} ${n.toLocaleString('en-GB')}`)
        .join(', '),
    );
    log();

    server = await startServer({ dataDir, url: prepared.url, baselineFile, nodeFlags: settings.nodeFlags });
    const app = server;
    const base = app.base;
    const pid = app.child.pid as number;
    let peakRssKb = 0;
    let targetPeakKb = 0;
    const sampleMemory = () => {
      const m = readMemory(pid);
      if (!m) return;
      peakRssKb = Math.max(peakRssKb, m.rssKb);
      targetPeakKb = Math.max(targetPeakKb, m.rssKb);
    };
    const sampler = setInterval(sampleMemory, 100);
    sampler.unref();
    const pgRun = prepared.kind === 'postgres';
    // PostgreSQL's CPU counts only the bench database's own processes, not other work on the cluster.
    const pgName = pgRun ? settings.pgDatabase : undefined;
    const startMemory = await serverMemory(base);
    const startProc = readMemory(pid);
    const parts = (m: Memory | null) =>
      m ? `anonymous ${(m.anonKb / 1024).toFixed(0)} MB + files ${(m.fileKb / 1024).toFixed(0)} MB` : '';
    log(
      `Server pid ${pid} at ${base}: RSS after start ${startMemory.rss.toFixed(0)} MB ` +
        `(${parts(startProc)}; V8 heap used ${startMemory.heapUsed.toFixed(0)} MB)`,
    );

    /* The pages, the busy reviews and what each target draws from. */
    const reviews = prepared.set.reviews;
    if (reviews.length < 2) throw new Error('The bench needs at least 2 reviews');
    const choose = seededRandom(18);
    const busyReviews = sample(choose, reviews, Math.min(settings.busyReviews, reviews.length - 1)).map((r) => r.id);
    const busy = new Set(busyReviews);
    const pathsOf = (kind: PageKind, r: (typeof reviews)[number]): string[] =>
      kind === 'overview'
        ? [`/reviews/${r.id}`]
        : kind === 'recommendation'
          ? r.recommendationNumbers.map((n) => `/reviews/${r.id}/recommendations/${n}`)
          : r.actionIds.map((a) => `/reviews/${r.id}/actions/${a}`);
    const share = settings.busyShare;
    const kinds: PageKind[] = ['overview', 'recommendation', 'action'];
    const plans: PagePlan[] = kinds.map((kind) => {
      const all = reviews.flatMap((r) => pathsOf(kind, r));
      const busyPaths = reviews.filter((r) => busy.has(r.id)).flatMap((r) => pathsOf(kind, r));
      const restPaths = reviews.filter((r) => !busy.has(r.id)).flatMap((r) => pathsOf(kind, r));
      // The bare server's sample: enough pages that it is not one hot buffer, drawn the same way.
      const uniformSample = sample(choose, all, settings.bareSample);
      const busySample = sample(choose, busyPaths, settings.bareSample);
      const busySet = new Set(busyPaths);
      const restSample = uniformSample.filter((p) => !busySet.has(p));
      return {
        kind,
        app: {
          uniform: [{ weight: 1, paths: all }],
          mix: [
            { weight: share, paths: busyPaths },
            { weight: 1 - share, paths: restPaths },
          ],
        },
        bare: {
          uniform: [{ weight: 1, paths: uniformSample }],
          mix: [
            { weight: share, paths: busySample },
            { weight: 1 - share, paths: restSample },
          ],
        },
      };
    });
    const mixText =
      `${Math.round(share * 100)} % of requests to ${busyReviews.length} busy reviews ` +
      `(ids ${busyReviews.join(', ')}), ${Math.round((1 - share) * 100)} % spread evenly over the other ` +
      `${reviews.length - busyReviews.length}; within each part every page equally likely`;
    log(`Patterns: ${settings.patterns.map((p) => (p === 'mix' ? `busy mix (${mixText})` : 'uniform')).join('; ')}`);

    /* The bytes the app sends, for the bare server and the in-server baseline. */
    const wanted = new Set<string>();
    for (const plan of plans)
      for (const pattern of settings.patterns)
        for (const g of plan.bare[pattern]) for (const p of g.paths) wanted.add(p);
    log(`Fetching ${wanted.size.toLocaleString('en-GB')} pages signed in for the bare server …`);
    const manifest: BareEntry[] = [];
    const fetchStarted = performance.now();
    // Four at a time: quicker on a busy machine, and still nothing like the measured load.
    const queue = [...wanted];
    const fetchOne = async (): Promise<void> => {
      for (let p = queue.shift(); p !== undefined; p = queue.shift()) {
        const answer = await getRaw(base, p, signedIn());
        if (answer.status !== 200) throw new Error(`GET ${p} answered ${answer.status}: ${answer.body.toString()}`);
        const file = path.join(bareDir, `${manifest.length}.body`);
        manifest.push({ path: p, file, headers: answer.headers });
        fs.writeFileSync(file, answer.body);
      }
    };
    await Promise.all([fetchOne(), fetchOne(), fetchOne(), fetchOne()]);
    const manifestFile = path.join(dataDir, 'bare.json');
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
    log(`  in ${seconds(performance.now() - fetchStarted)}`);
    const firstOverview = await getRaw(base, `/reviews/${(reviews[0] as (typeof reviews)[number]).id}`, signedIn());
    if (firstOverview.status !== 200) throw new Error(`GET the first overview answered ${firstOverview.status}`);
    fs.writeFileSync(baselineFile, firstOverview.body);
    const probe = await getRaw(base, '/bench/baseline-bytes', signedIn());
    if (probe.status !== 200) throw new Error(`GET /bench/baseline-bytes answered ${probe.status}`);
    bare = await startBareServer({ manifest: manifestFile });
    const bareServer = bare;

    /* The targets, in the order they run: each page's bare server right before the page. */
    interface RunTarget {
      name: string;
      role: TargetResult['role'];
      page: PageKind | null;
      pattern: Pattern | null;
      base: string;
      pid: number;
      paths: string[];
      pick?: (rnd: () => number) => string;
      seed: number;
    }
    const targets: RunTarget[] = [
      {
        name: 'in-server baseline: overview bytes through Clasp’s hooks',
        role: 'in-server',
        page: null,
        pattern: null,
        base,
        pid,
        paths: ['/bench/baseline-bytes'],
        seed: 0,
      },
    ];
    for (const [pi, pattern] of settings.patterns.entries()) {
      for (const [ki, plan] of plans.entries()) {
        const seed = 10 * (pi + 1) + ki;
        const bareGroups = plan.bare[pattern];
        const appGroups = plan.app[pattern];
        targets.push({
          name: `bare node:http: ${PAGE_NAMES[plan.kind]}, ${PATTERN_NAMES[pattern]}`,
          role: 'bare',
          page: plan.kind,
          pattern,
          base: bareServer.base,
          pid: bareServer.pid,
          paths: [...new Set(bareGroups.flatMap((g) => g.paths))],
          pick: groupPicker(bareGroups),
          seed,
        });
        targets.push({
          name: `${PAGE_NAMES[plan.kind]}, ${PATTERN_NAMES[pattern]}`,
          role: 'app',
          page: plan.kind,
          pattern,
          base,
          pid,
          paths: appGroups.flatMap((g) => g.paths),
          pick: groupPicker(appGroups),
          seed,
        });
      }
    }

    const results: TargetResult[] = [];
    for (const target of targets) {
      log(`Loading ${target.name} (${target.paths.length.toLocaleString('en-GB')} paths) …`);
      targetPeakKb = 0;
      const t = { name: target.name, paths: target.paths, pick: target.pick };
      await load(target.base, t, settings.warmup, settings.connections, 1000 + target.seed, signedIn());
      const before = cpuSnapshot(target.pid, pgRun, pgName);
      const measured = await load(
        target.base,
        t,
        settings.duration,
        settings.connections,
        2000 + target.seed,
        signedIn(),
      );
      const cpu = cpuShare(before, cpuSnapshot(target.pid, pgRun, pgName), cpus.length, measured.requests);
      sampleMemory();
      const clasp = target.role !== 'bare';
      results.push({
        ...measured,
        role: target.role,
        page: target.page,
        pattern: target.pattern,
        pathCount: target.paths.length,
        cpu,
        peakRssMb: clasp ? targetPeakKb / 1024 : null,
        after: clasp ? await serverMemory(base) : null,
      });
      if (app.child.exitCode !== null) throw new Error(`The server exited during the run:\n${app.output.join('\n')}`);
    }
    for (const [index, target] of targets.entries()) {
      if (target.role !== 'app') continue;
      log(`Loading ${target.name} with 1 connection …`);
      const result = results[index] as TargetResult;
      const before = cpuSnapshot(pid, pgRun, pgName);
      const t = { name: target.name, paths: target.paths, pick: target.pick };
      const measured = await load(base, t, settings.unloaded, 1, 3000 + target.seed, signedIn());
      result.unloaded = {
        ...measured,
        ...cpuShare(before, cpuSnapshot(pid, pgRun, pgName), cpus.length, measured.requests),
      };
    }
    clearInterval(sampler);
    sampleMemory();
    // After the run: as the process stands (what it holds while serving), and after a full GC.
    const endMemory = readMemory(pid);
    const endAfterGc = await serverMemory(base);
    const peakMb = Math.max(endMemory?.hwmKb ?? 0, peakRssKb) / 1024;
    const endRssMb = (endMemory?.rssKb ?? NaN) / 1024;
    const loadAfter = os.loadavg();

    /* Printing. */
    const inServer = results[0] as TargetResult;
    const pages = results.filter((r) => r.role === 'app');
    const bareOf = (r: TargetResult) =>
      results.find((b) => b.role === 'bare' && b.page === r.page && b.pattern === r.pattern) as TargetResult;
    const fmt = (n: number | undefined | null, digits = 1) =>
      n !== undefined && n !== null && Number.isFinite(n) ? n.toFixed(digits) : '–';
    const appCpu = (r: TargetResult) => r.cpu.serverMsPerRequest + r.cpu.dbMsPerRequest;
    log();
    log(
      `Results (${prepared.kind}, ${reviews.length} reviews, ${settings.connections} connections, ` +
        `${settings.duration} s each; "× bare" is the main ratio: the page's req/s over the bare server's ` +
        `for the same bytes in the same pattern)`,
    );
    log(
      table([
        [
          'page, pattern',
          'KB',
          'req/s',
          'bare req/s',
          '× bare',
          '× in-server',
          'p50 ms',
          'p95 ms',
          'p99 ms',
          'bare p95',
          'failed',
          'CPU ms/req',
          ...(pgRun ? ['PG ms/req'] : []),
          'bare CPU ms/req',
          'CPU × bare',
          'other CPU %',
        ],
        ...pages.map((r) => {
          const b = bareOf(r);
          return [
            r.name,
            (r.bytes / 1024).toFixed(1),
            r.rps.toFixed(0),
            b.rps.toFixed(0),
            (r.rps / b.rps).toFixed(2),
            (r.rps / inServer.rps).toFixed(2),
            fmt(r.p50),
            fmt(r.p95),
            fmt(r.p99),
            fmt(b.p95),
            String(r.non2xx + r.errors + r.timeouts),
            r.cpu.serverMsPerRequest.toFixed(2),
            ...(pgRun ? [r.cpu.dbMsPerRequest.toFixed(2)] : []),
            b.cpu.serverMsPerRequest.toFixed(3),
            (b.cpu.serverMsPerRequest / Math.max(0.001, appCpu(r))).toFixed(2),
            r.cpu.otherPct.toFixed(0),
          ];
        }),
      ]),
    );
    log(
      `In-server baseline (the first overview's ${(inServer.bytes / 1024).toFixed(0)} KB as prepared bytes through ` +
        `Clasp's process, plugins and hooks, no page work): ${inServer.rps.toFixed(0)} req/s, ` +
        `p95 ${fmt(inServer.p95)} ms, ` +
        `${inServer.cpu.serverMsPerRequest.toFixed(2)} CPU ms/req` +
        (pgRun ? ` + ${inServer.cpu.dbMsPerRequest.toFixed(2)} PG ms/req` : '') +
        `, other CPU ${inServer.cpu.otherPct.toFixed(0)} %`,
    );
    log(
      '"CPU × bare": the bare server\'s CPU per request over the page\'s (server' +
        (pgRun ? ' + PostgreSQL' : '') +
        '): the same ratio from CPU time, which other work on the machine disturbs less.',
    );
    log();
    log(`Pages alone (1 connection, ${settings.unloaded} s each): the time one request takes when nothing queues`);
    log(
      table([
        [
          'page, pattern',
          'req/s',
          'p50 ms',
          'p95 ms',
          'p99 ms',
          'CPU ms/req',
          ...(pgRun ? ['PG ms/req'] : []),
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
          fmt(r.unloaded?.otherPct, 0),
        ]),
      ]),
    );
    log();
    log(
      `Server memory: RSS after start ${startMemory.rss.toFixed(0)} MB (${parts(startProc)}), ` +
        `peak while serving (VmHWM) ${peakMb.toFixed(0)} MB, ` +
        `after the run ${fmt(endRssMb, 0)} MB (${parts(endMemory)}), ` +
        `after the run and a full GC ${endAfterGc.rss.toFixed(0)} MB ` +
        `(V8 heap used ${endAfterGc.heapUsed.toFixed(0)} MB)`,
    );
    const clasp = results.filter((r) => r.role !== 'bare');
    log(
      table([
        ['after target, full GC', 'peak RSS during', 'RSS', 'heap used', 'heap total', 'external'],
        ...clasp.map((r) =>
          [
            r.name,
            r.peakRssMb ?? NaN,
            r.after?.rss ?? NaN,
            r.after?.heapUsed ?? NaN,
            r.after?.heapTotal ?? NaN,
            r.after?.external ?? NaN,
          ].map((v) => (typeof v === 'number' ? fmt(v, 0) : v)),
        ),
      ]),
    );
    log();
    log(`Aims (${prepared.kind})`);
    const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
    const aims: { aim: string; ok: boolean; detail: string }[] = [];
    for (const r of pages) {
      const ratio = r.rps / bareOf(r).rps;
      aims.push({ aim: `${r.name}: ≥ ${ratioAim} × bare`, ok: ratio >= ratioAim, detail: `${ratio.toFixed(2)} ×` });
    }
    for (const r of pages)
      aims.push({
        aim: `${r.name}: p95 < ${AIMS.p95Ms} ms (${settings.connections} connections)`,
        ok: r.p95 < AIMS.p95Ms,
        detail: `${fmt(r.p95)} ms`,
      });
    aims.push({
      aim: `serving RSS < ${AIMS.memoryMb} MB (peak while serving)`,
      ok: peakMb < AIMS.memoryMb,
      detail: `${peakMb.toFixed(0)} MB`,
    });
    aims.push({
      aim: `serving RSS < ${AIMS.memoryMb} MB (after the run)`,
      ok: endRssMb < AIMS.memoryMb,
      detail: `${fmt(endRssMb, 0)} MB`,
    });
    log(table(aims.map((a) => [a.aim, a.detail, verdict(a.ok)])));
    log(`${aims.filter((a) => a.ok).length} of ${aims.length} aims pass.`);
    const failed = results.filter((r) => r.non2xx > 0 || r.errors > 0 || r.timeouts > 0);
    if (failed.length)
      log(`Warning: ${failed.map((r) => r.name).join(', ')} had failed requests; see the server output below.`);
    if (app.output.length) {
      log(`The server logged ${app.output.length} line(s) at warn or above; the first ones:`);
      for (const line of app.output.slice(0, 5)) log(`  ${line.slice(0, 300)}`);
    }
    log();
    log(
      `Load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ` +
        `${loadAfter.map((l) => l.toFixed(2)).join(' ')}. Total time ${seconds(performance.now() - started)}`,
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
              loadAvgAtStart: loadBefore,
              loadAvgAtEnd: loadAfter,
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
              patterns: settings.patterns,
              bareSample: settings.bareSample,
              barePages: manifest.length,
            },
            mix: { busyReviews, busyShare: share, text: mixText },
            results: results.map((r) => ({
              ...r,
              ratioToBare: r.role === 'app' ? r.rps / bareOf(r).rps : null,
              ratioToInServer: r.role === 'bare' ? null : r.rps / inServer.rps,
            })),
            memory: { start: startMemory, startProc, end: endMemory, endAfterGc, peakMb, endRssMb },
            aims,
            totalMs: performance.now() - started,
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
