// npm run bench:cycle (and the last part of npm run bench): the monthly cycle at national
// scale. Generates the bench's data set (bench/generate.ts) and its people (bench/people.ts),
// then measures, in one run:
//
// 1. My work through HTTP, for a person who is a member of 5 reviews (editor, reviewer and
//    coordinator across them): GET /my-work and GET /api/my-work on the real server
//    (bench/server.mjs over the compiled build), with autocannon on loopback, 10 connections
//    and then 1. Beside them, in the same run and the same way: the review overview (all 150,
//    as in bench/run.ts), and each page's bytes sent by a bare node:http server
//    (bench/bare-server.mjs): the machine's limit for a response of that size.
// 2. A full reminder run over every review (bench/cycle-reminders.mjs, a process of its own
//    over the compiled build, as `clasp remind` runs) into an SMTP relay on loopback
//    (bench/smtp-sink.ts, in this process): detection, the first run (every reminder recorded,
//    the mass send) and a repeat run (nothing new), optionally the run a week later (the weekly
//    digests), with the time, CPU and peak memory of each.
//
// Environment (the page settings are bench/run.ts's):
//   BENCH_DURATION, BENCH_WARMUP, BENCH_CONNECTIONS, BENCH_UNLOADED_DURATION, BENCH_REVIEWS,
//   BENCH_DATABASE_URL, BENCH_KEEP, BENCH_NODE_FLAGS  as for bench/run.ts
//   BENCH_PG_CYCLE_DATABASE  the PostgreSQL database made and dropped (default clasp_bench_cycle)
//   BENCH_CYCLE_DAY    the reminder run's day, 08:00 UTC (default 2026-12-07, a Monday)
//   BENCH_CYCLE_ONLY   pages | reminders: one half only
//   BENCH_CYCLE_WEEK=1 also time the run a week later (that week's reminders and the digests)
//   BENCH_CYCLE_SMTP=smtp-server  send into the smtp-server package (100 ms greeting delay)
//                      instead of the bench's own relay (bench/smtp-sink.ts)
//   BENCH_CYCLE_OUTPUT a file to write the results to as JSON
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { openDatabase, describeUrl } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { addDays } from '../src/domain/dates.ts';
import { countRows, generate } from './generate.ts';
import { addPeople, type GeneratedPeople } from './people.ts';
import { adminQuery } from './pg-admin.ts';
import { startSink, startSmtpServer } from './smtp-sink.ts';
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
  type Server,
  startBareServer,
} from './http-load.ts';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const rootDir = path.dirname(benchDir);

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, not "${raw}"`);
  return n;
}

const only = process.env.BENCH_CYCLE_ONLY ?? '';
if (!['', 'pages', 'reminders'].includes(only))
  throw new Error(`BENCH_CYCLE_ONLY must be "pages" or "reminders", not "${only}"`);
const day = process.env.BENCH_CYCLE_DAY || '2026-12-07';
if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`BENCH_CYCLE_DAY must be a date (YYYY-MM-DD), not "${day}"`);

const settings = {
  duration: envNumber('BENCH_DURATION', 10),
  warmup: envNumber('BENCH_WARMUP', 2),
  connections: Math.round(envNumber('BENCH_CONNECTIONS', 10)),
  unloaded: envNumber('BENCH_UNLOADED_DURATION', 5),
  reviews: Math.round(envNumber('BENCH_REVIEWS', 150)),
  adminUrl: process.env.BENCH_DATABASE_URL || null,
  pgDatabase: process.env.BENCH_PG_CYCLE_DATABASE || 'clasp_bench_cycle',
  output: process.env.BENCH_CYCLE_OUTPUT || null,
  keep: process.env.BENCH_KEEP === '1',
  nodeFlags: (process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter((f) => f !== ''),
  smtpServer: process.env.BENCH_CYCLE_SMTP === 'smtp-server',
  weekLater: process.env.BENCH_CYCLE_WEEK === '1',
  pages: only !== 'reminders',
  reminders: only !== 'pages',
};

/** Issue 13's aims. */
const AIMS = { myWorkP95Ms: 20, reminderRunMs: 10_000 };

const log = (line = '') => process.stdout.write(`${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const fmt = (n: number | undefined, digits = 1) => (n !== undefined && Number.isFinite(n) ? n.toFixed(digits) : '–');

/* ---------- the data set ---------- */

interface Prepared {
  kind: 'sqlite' | 'postgres';
  url: string | null;
  version: string;
  generateMs: number;
  peopleMs: number;
  reviewIds: number[];
  people: GeneratedPeople;
  counts: Record<string, number>;
  /** Cookie header values: the bench's administrator (reads every review) and the person in five reviews. */
  adminCookie: string;
  personCookie: string;
  drop(): Promise<void>;
}

async function prepareDatabase(dataDir: string): Promise<Prepared> {
  let url: string | null = null;
  let drop: () => Promise<void> = async () => {};
  if (settings.adminUrl) {
    if (!/^[a-z_][a-z0-9_]*$/.test(settings.pgDatabase))
      throw new Error(`BENCH_PG_CYCLE_DATABASE "${settings.pgDatabase}" is not a plain name`);
    const parsed = new URL(settings.adminUrl);
    if (decodeURIComponent(parsed.pathname.slice(1)) === settings.pgDatabase)
      throw new Error(`BENCH_DATABASE_URL must name another database than ${settings.pgDatabase}`);
    parsed.pathname = `/${settings.pgDatabase}`;
    url = parsed.toString();
    const admin = settings.adminUrl;
    await adminQuery(admin, `drop database if exists ${settings.pgDatabase} with (force)`);
    await adminQuery(admin, `create database ${settings.pgDatabase}`);
    drop = () => adminQuery(admin, `drop database if exists ${settings.pgDatabase} with (force)`);
  }
  const handle = await openDatabase({ url, sqliteFile: path.join(dataDir, 'clasp.db') });
  try {
    await migrateToLatest(handle);
    log(`Generating ${settings.reviews} reviews into ${url ? describeUrl(url) : 'SQLite'} …`);
    let started = performance.now();
    const set = await generate(handle, { reviews: settings.reviews });
    const generateMs = performance.now() - started;
    started = performance.now();
    const people = await addPeople(handle.db);
    const peopleMs = performance.now() - started;
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
    const adminCookie = await createSession(handle.db, admin.id);
    const personCookie = await createSession(handle.db, people.myWork.userId);
    if (handle.kind === 'postgres') await sql`analyze`.execute(handle.db);
    const counts = await countRows(handle.db);
    const version =
      handle.kind === 'postgres'
        ? ((await sql<{ v: string }>`select version() as v`.execute(handle.db)).rows[0]?.v ?? '').split(' on ')[0]
        : `SQLite ${(await sql<{ v: string }>`select sqlite_version() as v`.execute(handle.db)).rows[0]?.v ?? ''}`;
    await handle.close();
    return {
      kind: handle.kind,
      url,
      version: version ?? '',
      generateMs,
      peopleMs,
      reviewIds: set.reviews.map((r) => r.id),
      people,
      counts,
      adminCookie,
      personCookie,
      drop,
    };
  } catch (error) {
    await handle.close().catch(() => undefined);
    await drop().catch(() => undefined);
    throw error;
  }
}

/* ---------- My work through HTTP ---------- */

interface PageTarget {
  key: 'bare-overview' | 'bare-my-work' | 'bare-my-work-json' | 'overview' | 'my-work' | 'my-work-json';
  base: string;
  pid: number;
  paths: string[];
  headers: Record<string, string>;
}

interface PageResult extends Measured {
  key: PageTarget['key'];
  cpu: CpuShare;
  unloaded: Measured & CpuShare;
}

interface PagesOutcome {
  results: PageResult[];
  serverStartMb: number;
  serverPeakMb: number;
  myWork: { count: number; bySection: Record<string, number>; byKind: Record<string, number>; reviews: number };
}

async function measurePages(prepared: Prepared, dataDir: string): Promise<PagesOutcome> {
  const cpus = os.cpus().length;
  const pg = prepared.kind === 'postgres';
  let server: Server | undefined;
  let bare: Awaited<ReturnType<typeof startBareServer>> | undefined;
  try {
    server = await startServer({
      dataDir,
      url: prepared.url,
      baselineFile: path.join(dataDir, 'baseline.html'),
      nodeFlags: settings.nodeFlags,
    });
    const app = server;
    const pid = app.child.pid as number;
    const serverStartMb = (readMemory(pid)?.rssKb ?? NaN) / 1024;
    const admin = { cookie: prepared.adminCookie };
    const person = { cookie: prepared.personCookie };
    const fetchBytes = async (p: string, headers: Record<string, string>) => {
      const response = await fetch(`${app.base}${p}`, { headers });
      const bytes = Buffer.from(await response.arrayBuffer());
      if (response.status !== 200) throw new Error(`GET ${p} answered ${response.status}: ${bytes.toString()}`);
      return bytes;
    };
    // The bare server sends exactly the bytes the app sent, each read once at its start.
    const bareDir = path.join(dataDir, 'bare');
    fs.mkdirSync(bareDir);
    const firstReview = prepared.reviewIds[0] as number;
    fs.writeFileSync(path.join(bareDir, 'overview.html'), await fetchBytes(`/reviews/${firstReview}`, admin));
    fs.writeFileSync(path.join(bareDir, 'my-work.html'), await fetchBytes('/my-work', person));
    const json = await fetchBytes('/api/my-work', person);
    fs.writeFileSync(path.join(bareDir, 'my-work.json'), json);
    const answer = JSON.parse(json.toString('utf8')) as {
      count: number;
      reviews: { items: { section: string; kind: string }[] }[];
    };
    const tally = (by: (i: { section: string; kind: string }) => string) => {
      const out: Record<string, number> = {};
      for (const item of answer.reviews.flatMap((r) => r.items)) out[by(item)] = (out[by(item)] ?? 0) + 1;
      return out;
    };
    const myWork = {
      count: answer.count,
      reviews: answer.reviews.length,
      bySection: tally((i) => i.section),
      byKind: tally((i) => i.kind),
    };
    bare = await startBareServer({ dir: bareDir });

    const targets: PageTarget[] = [
      { key: 'bare-overview', base: bare.base, pid: bare.pid, paths: ['/overview.html'], headers: {} },
      { key: 'bare-my-work', base: bare.base, pid: bare.pid, paths: ['/my-work.html'], headers: {} },
      { key: 'bare-my-work-json', base: bare.base, pid: bare.pid, paths: ['/my-work.json'], headers: {} },
      { key: 'overview', base: app.base, pid, paths: prepared.reviewIds.map((id) => `/reviews/${id}`), headers: admin },
      { key: 'my-work', base: app.base, pid, paths: ['/my-work'], headers: person },
      { key: 'my-work-json', base: app.base, pid, paths: ['/api/my-work'], headers: person },
    ];

    let peakKb = 0;
    const sampler = setInterval(() => {
      peakKb = Math.max(peakKb, readMemory(pid)?.rssKb ?? 0);
    }, 100);
    const results: PageResult[] = [];
    try {
      for (const [index, target] of targets.entries()) {
        log(`Loading ${nameOf(target.key)} …`);
        const run = async (duration: number, connections: number, seed: number) => {
          const before = cpuSnapshot(target.pid, pg);
          const measured = await load(
            target.base,
            { name: nameOf(target.key), paths: target.paths },
            duration,
            connections,
            seed,
            target.headers,
          );
          return { measured, cpu: cpuShare(before, cpuSnapshot(target.pid, pg), cpus, measured.requests) };
        };
        await run(settings.warmup, settings.connections, 1000 + index);
        const loaded = await run(settings.duration, settings.connections, 2000 + index);
        const alone = await run(settings.unloaded, 1, 3000 + index);
        results.push({
          ...loaded.measured,
          key: target.key,
          cpu: loaded.cpu,
          unloaded: { ...alone.measured, ...alone.cpu },
        });
        if (app.child.exitCode !== null) throw new Error(`The server exited during the run:\n${app.output.join('\n')}`);
      }
    } finally {
      clearInterval(sampler);
    }
    const serverPeakMb = Math.max(peakKb, readMemory(pid)?.hwmKb ?? 0) / 1024;
    if (app.output.length) {
      log(`The server logged ${app.output.length} line(s) at warn or above; the first ones:`);
      for (const line of app.output.slice(0, 5)) log(`  ${line.slice(0, 300)}`);
    }
    return { results, serverStartMb, serverPeakMb, myWork };
  } finally {
    await bare?.stop();
    if (server && server.child.exitCode === null) {
      const s = server;
      s.child.kill('SIGTERM');
      const timer = setTimeout(() => s.child.kill('SIGKILL'), 5000);
      await s.exited;
      clearTimeout(timer);
    }
  }
}

/* ---------- the reminder run ---------- */

interface Phase {
  name: string;
  at: string;
  ms: number;
  cpuMs: number;
  peakRssMb: number;
  rssAfterMb: number;
  due: number;
  recorded?: number;
  sent?: number;
  failed?: number;
}

interface RemindersOutcome {
  bootRssMb: number;
  startRssMb: number;
  peakMb: number;
  phases: Phase[];
  /** Messages, bytes and connections the SMTP relay received over all the runs. */
  delivered: number;
  connections: number;
  deliveredBytes: number;
  otherCpuPct: number;
  reminderRows: number;
}

async function measureReminders(prepared: Prepared, dataDir: string): Promise<RemindersOutcome> {
  const smtp = settings.smtpServer ? await startSmtpServer() : await startSink();
  try {
    const job = {
      url: prepared.url,
      dataDir,
      smtpUrl: smtp.url,
      at: `${day}T08:00:00.000Z`,
      weekLater: settings.weekLater ? `${addDays(day, 7)}T08:00:00.000Z` : null,
    };
    const before = cpuSnapshot(process.pid, prepared.kind === 'postgres');
    const selfBefore = process.cpuUsage();
    const child = spawn(process.execPath, [...settings.nodeFlags, path.join(benchDir, 'cycle-reminders.mjs')], {
      cwd: rootDir,
      env: { ...process.env, BENCH_CYCLE_JOB: JSON.stringify(job) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`The reminder run failed (${String(code)}):\n${Buffer.concat(err).toString()}`);
    const result = JSON.parse(Buffer.concat(out).toString('utf8')) as Omit<
      RemindersOutcome,
      'delivered' | 'connections' | 'deliveredBytes' | 'otherCpuPct' | 'reminderRows'
    > & { processCpuMs: number };
    const after = cpuSnapshot(process.pid, prepared.kind === 'postgres');
    const self = process.cpuUsage(selfBefore);
    // Everything but the child, PostgreSQL and this process (the SMTP server), as a share of the machine.
    const total = Math.max(1, after.total - before.total);
    let pgTicks = 0;
    for (const [p, ticks] of after.postgres) pgTicks += ticks - (before.postgres.get(p) ?? 0);
    const other = after.busy - before.busy - result.processCpuMs / 10 - pgTicks - (self.user + self.system) / 10_000;
    const handle = await openDatabase({ url: prepared.url, sqliteFile: path.join(dataDir, 'clasp.db') });
    let reminderRows = 0;
    try {
      reminderRows = (await countTable(handle.db)).n;
    } finally {
      await handle.close();
    }
    if (smtp.state.messages !== result.phases.reduce((n, p) => n + (p.sent ?? 0), 0))
      log(
        `Warning: the SMTP server received ${smtp.state.messages} messages; the runs say they sent a different number.`,
      );
    return {
      ...result,
      // Resetting VmHWM for each phase resets the lifetime peak too: the highest phase is the peak.
      peakMb: Math.max(result.peakMb, ...result.phases.map((ph) => (Number.isFinite(ph.peakRssMb) ? ph.peakRssMb : 0))),
      delivered: smtp.state.messages,
      connections: smtp.state.connections,
      deliveredBytes: smtp.state.bytes,
      otherCpuPct: Math.max(0, (100 * other) / total),
      reminderRows,
    };
  } finally {
    await smtp.close();
  }
}

function countTable(db: Awaited<ReturnType<typeof openDatabase>>['db']) {
  return db
    .selectFrom('reminders')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
}

/* ---------- the run ---------- */

async function main(): Promise<void> {
  const started = performance.now();
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: rootDir, stdio: 'inherit' });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clasp-bench-cycle-'));
  let prepared: Prepared | undefined;
  try {
    const cpus = os.cpus();
    log('Clasp benchmark: the monthly cycle (My work and reminders)');
    log(
      `Machine: ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ` +
        `${(os.totalmem() / 1024 ** 3).toFixed(1)} GB RAM, ${os.type()} ${os.release()}, Node ${process.version}`,
    );
    log(
      `Load average before: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    prepared = await prepareDatabase(dataDir);
    const p = prepared;
    log(
      `Generated in ${seconds(p.generateMs)}, people in ${seconds(p.peopleMs)} (${p.version}): ` +
        `${p.counts.reviews ?? 0} reviews, ${(p.counts.actions ?? 0).toLocaleString('en-GB')} actions, ` +
        `${p.people.users.toLocaleString('en-GB')} people, ` +
        `${p.people.memberships.toLocaleString('en-GB')} memberships ` +
        `(reminders: ${p.people.preferences.immediately} as they happen, ${p.people.preferences.weekly} weekly, ` +
        `${p.people.preferences.off} off)`,
    );
    log(
      `My work is for ${p.people.myWork.name}: ` +
        p.people.myWork.reviews.map((r) => `review ${r.reviewId} ${r.roles.join(' and ')}`).join('; '),
    );
    log();

    const pages = settings.pages ? await measurePages(p, dataDir) : undefined;
    const reminders = settings.reminders ? await measureReminders(p, dataDir) : undefined;

    const aims: { aim: string; ok: boolean; detail: string }[] = [];
    if (pages) {
      const by = (key: PageResult['key']) => pages.results.find((r) => r.key === key) as PageResult;
      const overview = by('overview');
      const bareOf: Record<string, PageResult> = {
        overview: by('bare-overview'),
        'my-work': by('bare-my-work'),
        'my-work-json': by('bare-my-work-json'),
      };
      log();
      log(
        `My work: ${pages.myWork.count} items over ${pages.myWork.reviews} reviews (` +
          Object.entries(pages.myWork.bySection)
            .map(([s, n]) => `${s} ${n}`)
            .join(', ') +
          '; ' +
          Object.entries(pages.myWork.byKind)
            .map(([k, n]) => `${k} ${n}`)
            .join(', ') +
          ')',
      );
      log(
        `Pages (${p.kind}, ${settings.connections} connections, ${settings.duration} s each; ` +
          `then 1 connection, ${settings.unloaded} s)`,
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
            '× bare',
            '× overview',
            'CPU ms/req',
            ...(p.kind === 'postgres' ? ['PG ms/req'] : []),
            'other CPU %',
            'failed',
            '1 conn p50',
            '1 conn p95',
            '1 conn CPU ms',
          ],
          ...pages.results.map((r) => {
            const bare = bareOf[r.key];
            return [
              nameOf(r.key),
              (r.bytes / 1024).toFixed(1),
              r.rps.toFixed(0),
              fmt(r.p50),
              fmt(r.p95),
              fmt(r.p99),
              bare ? (r.rps / bare.rps).toFixed(2) : '–',
              r.key.startsWith('bare') ? '–' : (r.rps / overview.rps).toFixed(2),
              r.cpu.serverMsPerRequest.toFixed(2),
              ...(p.kind === 'postgres' ? [r.cpu.dbMsPerRequest.toFixed(2)] : []),
              r.cpu.otherPct.toFixed(0),
              String(r.non2xx + r.errors + r.timeouts),
              fmt(r.unloaded.p50),
              fmt(r.unloaded.p95),
              r.unloaded.serverMsPerRequest.toFixed(2),
            ];
          }),
        ]),
      );
      log(`Server RSS after start ${pages.serverStartMb.toFixed(0)} MB, peak ${pages.serverPeakMb.toFixed(0)} MB`);
      // The aim is one person's wait for their page: requests one at a time. Under 10 connections
      // on 2 cores, the bare server sending the same bytes is shown beside it: the machine's limit.
      for (const [key, bareKey] of [
        ['my-work', 'bare-my-work'],
        ['my-work-json', 'bare-my-work-json'],
      ] as const) {
        const r = by(key);
        const b = by(bareKey);
        aims.push({
          aim: `${nameOf(key)}: p95 < ${AIMS.myWorkP95Ms} ms (1 connection)`,
          ok: r.unloaded.p95 < AIMS.myWorkP95Ms,
          detail:
            `${fmt(r.unloaded.p95)} ms; ${settings.connections} connections ${fmt(r.p95)} ms ` +
            `(bare node:http, same bytes: ${fmt(b.p95)} ms)`,
        });
      }
    }
    if (reminders) {
      log();
      log(
        `Reminder run (${p.kind}, day ${day}, into ${settings.smtpServer ? 'smtp-server' : 'the bench relay'} ` +
          `on loopback; ` +
          `child RSS ${reminders.bootRssMb.toFixed(0)} MB bare node, ` +
          `${reminders.startRssMb.toFixed(0)} MB with the app loaded and the database open)`,
      );
      log(
        table([
          ['phase', 'at', 'time', 'CPU', 'due', 'recorded', 'sent', 'failed', 'peak RSS MB'],
          ...reminders.phases.map((ph) => [
            ph.name,
            ph.at.slice(0, 16).replace('T', ' '),
            seconds(ph.ms),
            seconds(ph.cpuMs),
            String(ph.due),
            ph.recorded === undefined ? '–' : String(ph.recorded),
            ph.sent === undefined ? '–' : String(ph.sent),
            ph.failed === undefined ? '–' : String(ph.failed),
            fmt(ph.peakRssMb, 0),
          ]),
        ]),
      );
      log(
        `Received by the SMTP relay: ${reminders.delivered.toLocaleString('en-GB')} messages ` +
          `over ${reminders.connections.toLocaleString('en-GB')} connections, ` +
          `${(reminders.deliveredBytes / 1024 / 1024).toFixed(1)} MB; ` +
          `reminders table ${reminders.reminderRows.toLocaleString('en-GB')} rows; ` +
          `child peak RSS ${reminders.peakMb.toFixed(0)} MB; other CPU ${reminders.otherCpuPct.toFixed(0)} %`,
      );
      for (const ph of reminders.phases.filter((x) => x.name !== 'a week later')) {
        aims.push({
          aim: `reminders, ${ph.name}: < ${seconds(AIMS.reminderRunMs)}`,
          ok: ph.ms < AIMS.reminderRunMs,
          detail: seconds(ph.ms),
        });
      }
    }
    log();
    log('Aims');
    log(table(aims.map((a) => [a.aim, a.detail, a.ok ? 'PASS' : 'MISS'])));
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
            },
            database: { kind: p.kind, version: p.version, counts: p.counts, people: p.people },
            settings: { ...settings, adminUrl: undefined, day },
            pages,
            reminders,
            aims,
          },
          null,
          2,
        )}\n`,
      );
      log(`Wrote ${settings.output}`);
    }
  } finally {
    if (settings.keep) log(`Kept ${dataDir}${prepared?.url ? ` and ${describeUrl(prepared.url)}` : ''}`);
    else {
      await prepared?.drop().catch((e: unknown) => log(`Could not drop the bench database: ${String(e)}`));
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
}

function nameOf(key: PageResult['key']): string {
  return {
    'bare-overview': 'bare node:http, overview bytes',
    'bare-my-work': 'bare node:http, My work bytes',
    'bare-my-work-json': 'bare node:http, My work JSON bytes',
    overview: 'review overview (150 pages)',
    'my-work': 'My work (HTML)',
    'my-work-json': 'My work (JSON)',
  }[key];
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
