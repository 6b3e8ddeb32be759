// What the HTTP benchmarks share (bench/run.ts, bench/cycle.ts): starting the real server in a
// child process (bench/server.mjs, over the compiled build) and the bare node:http server
// (bench/bare-server.mjs, the machine's limit), loading them with autocannon, and reading a
// process's memory and CPU from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import autocannon from 'autocannon';
import type { Db } from '../src/platform/db/database.ts';
import { newToken, tokenHash } from '../src/platform/auth/secrets.ts';
import { seededRandom, type Random } from './random.ts';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const rootDir = path.dirname(benchDir);

/* ---------- the server ---------- */

export async function freePort(): Promise<number> {
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

export interface Memory {
  rssKb: number;
  hwmKb: number;
  /** The parts of the RSS: anonymous memory (heaps, stacks) and mapped files (mostly the node binary). */
  anonKb: number;
  fileKb: number;
}

export function readMemory(pid: number): Memory | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssKb: field('VmRSS'), hwmKb: field('VmHWM'), anonKb: field('RssAnon'), fileKb: field('RssFile') };
  } catch {
    return null;
  }
}

/** CPU time in clock ticks: the whole machine (busy and total) from /proc/stat, one process from /proc/<pid>/stat. */
export interface CpuSnapshot {
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

/**
 * Whether a postgres process works for the database: a backend ("postgres: 15/main: user db
 * host…") or an autovacuum worker, by the title in its command line.
 */
function servesDatabase(pid: string, database: string): boolean {
  try {
    const title = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+/g, ' ').trim();
    return title.split(' ').includes(database);
  } catch {
    return false;
  }
}

/**
 * CPU ticks now. With withPostgres, also those of the local cluster's postgres processes: all of
 * them, or with pgDatabase only those working for that database (so other databases' work on a
 * shared cluster counts as "other", not as the bench's).
 */
export function cpuSnapshot(pid: number, withPostgres: boolean, pgDatabase?: string): CpuSnapshot {
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
      if (p?.comm === 'postgres' && (!pgDatabase || servesDatabase(entry, pgDatabase)))
        postgres.set(Number(entry), p.ticks);
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

export interface CpuShare {
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

export function cpuShare(a: CpuSnapshot, b: CpuSnapshot, cores: number, requests: number): CpuShare {
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

export interface Server {
  child: ChildProcess;
  base: string;
  output: string[];
  exited: Promise<number | null>;
}

export interface ServerOptions {
  dataDir: string;
  /** DATABASE_URL, or null for SQLite in dataDir. */
  url: string | null;
  /** The HTML file the server's /bench/baseline routes send. */
  baselineFile: string;
  /** Extra node flags for the server. */
  nodeFlags: string[];
  /** Extra environment, e.g. CLASP_PLAN_CACHE_SIZE. */
  env?: Record<string, string>;
}

export async function startServer(options: ServerOptions): Promise<Server> {
  const { dataDir, url, baselineFile, nodeFlags } = options;
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
    ...options.env,
  });
  // The compiled build, as production runs it (node dist/main.js serve); the pid is the
  // server's own. --expose-gc only lets /bench/memory?gc=1 collect before measuring the heap.
  const child = spawn(process.execPath, [...nodeFlags, '--expose-gc', path.join(benchDir, 'server.mjs')], {
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

/* ---------- the bare server: the machine's limit ---------- */

export interface RawResponse {
  status: number;
  /** The response's headers as sent, in order, without those about the connection. */
  headers: [string, string][];
  body: Buffer;
}

const CONNECTION_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

/**
 * GET a path as autocannon does: node:http, the given headers and no Accept-Encoding (fetch
 * would ask for gzip and hand back the unpacked body), so the bytes are those the load run gets.
 */
export async function getRaw(base: string, pathname: string, headers: Record<string, string>): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${base}${pathname}`, { headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const pairs: [string, string][] = [];
        for (let i = 0; i + 1 < response.rawHeaders.length; i += 2) {
          const name = response.rawHeaders[i] as string;
          if (!CONNECTION_HEADERS.has(name.toLowerCase())) pairs.push([name, response.rawHeaders[i + 1] as string]);
        }
        resolve({ status: response.statusCode ?? 0, headers: pairs, body: Buffer.concat(chunks) });
      });
    });
    request.on('error', reject);
  });
}

/** One answer for bench/bare-server.mjs's manifest: the path, the file with the body, the headers. */
export interface BareEntry {
  path: string;
  file: string;
  headers: [string, string][];
}

export interface BareServer {
  base: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts bench/bare-server.mjs in a process of its own: with `manifest` (a JSON file of
 * BareEntry) it answers each entry's path with its headers and body, else GET /<file name>
 * for each file in `dir`.
 */
export async function startBareServer(options: { dir?: string; manifest?: string }): Promise<BareServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(benchDir, 'bare-server.mjs')], {
    env: {
      ...process.env,
      ...(options.dir ? { BENCH_BARE_DIR: options.dir } : {}),
      ...(options.manifest ? { BENCH_BARE_MANIFEST: options.manifest } : {}),
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`The bare server exited (${String(code)}) before listening`)));
  });
  return {
    base: `http://127.0.0.1:${port}`,
    pid: child.pid as number,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/* ---------- load ---------- */

export interface Target {
  name: string;
  paths: string[];
  /**
   * Draws each request's path; without it every path in `paths` is equally likely. The same
   * seed gives the same sequence of draws, so two targets with pickers of the same shape
   * (bench/run.ts: the app and the bare server) see the same order of choices.
   */
  pick?: (rnd: Random) => string;
}

/** A weighted share of the requests, spread evenly over its paths. */
export interface PathGroup {
  weight: number;
  paths: string[];
}

/** A picker over groups: first a group by weight, then one of its paths, each equally likely. */
export function groupPicker(groups: PathGroup[]): (rnd: Random) => string {
  const live = groups.filter((g) => g.weight > 0 && g.paths.length > 0);
  if (live.length === 0) throw new Error('A path picker needs at least one group with paths');
  const total = live.reduce((sum, g) => sum + g.weight, 0);
  return (rnd) => {
    let r = rnd() * total;
    let group = live[live.length - 1] as PathGroup;
    for (const g of live) {
      r -= g.weight;
      if (r < 0) {
        group = g;
        break;
      }
    }
    return group.paths[Math.floor(rnd() * group.paths.length)] as string;
  };
}

export interface Measured {
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

export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

export async function load(
  base: string,
  target: Target,
  duration: number,
  connections: number,
  seed: number,
  headers: Record<string, string>,
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
            headers,
            // Each request goes to a path drawn from the target's list, so the load spreads over
            // many reviews, recommendations and actions rather than one cached row.
            setupRequest: (request) => ({
              ...request,
              path: target.pick ? target.pick(rnd) : target.paths[Math.floor(rnd() * target.paths.length)],
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

/* ---------- printing ---------- */

export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  '))
    .join('\n');
}

/* ---------- sessions ---------- */

/** A session for the user, made as the sign-in form makes one; returns the Cookie header's value. */
export async function createSession(db: Db, userId: number): Promise<string> {
  const now = new Date().toISOString();
  const token = newToken();
  await db
    .insertInto('sessions')
    .values({
      id: tokenHash(token),
      user_id: userId,
      csrf_token: newToken(),
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(Date.now() + 86_400_000).toISOString(),
      ip: null,
      user_agent: 'bench',
    })
    .execute();
  return `clasp_session=${token}`;
}
