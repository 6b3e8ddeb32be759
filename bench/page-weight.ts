// npm run bench:weight (and the last part of npm run bench): what Clasp's pages weigh on the
// wire. Starts the demo as `clasp serve --demo` would (a child process on a fresh SQLite database
// in a temporary folder), signs in with the sign-in form as the demo's plan coordinator, and
// fetches six pages as a browser that came from one of Clasp's own pages would (Sec-Fetch-Site:
// same-origin): the review overview, a recommendation, an action, the board report page, the
// list of reviews and My work. For each it gives the HTML's bytes as they are, in Brotli and in
// gzip, and follows every stylesheet, script, font and image the page names (icons included,
// though a browser takes one), and those the stylesheets and scripts name in turn, to give the
// weight of a first visit (nothing cached) and of a repeat visit (the files kept, as their
// fingerprinted addresses allow: the HTML only). It then measures, in this process, what
// compressing each page per response costs and what the kept pages' gzip costs to put together.
//
// Environment:
//   BENCH_OUTPUT   a file to write the results to as JSON
//   BENCH_KEEP=1   keep the temporary folder afterwards
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { freePort } from './http-load.ts';
import { compressPerResponse } from '../src/platform/http/compression.ts';
import { selfContainedStyles } from '../src/platform/http/assets.ts';
import { PageCache } from '../src/platform/page-cache.ts';
import { DEMO_PASSWORD } from '../src/features/demo/demo.service.ts';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const rootDir = path.dirname(benchDir);
const log = (line = '') => process.stdout.write(`${line}\n`);

/** The aim for a first visit to the review overview, compressed, everything included. */
const AIM_FIRST_VISIT_BYTES = 100 * 1024;

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The bytes as they travelled. */
  raw: Buffer;
}

function request(
  base: string,
  method: string,
  address: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${address}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, raw: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function decoded(answer: Answer): Buffer {
  const encoding = answer.headers['content-encoding'];
  if (encoding === 'br') return zlib.brotliDecompressSync(answer.raw);
  if (encoding === 'gzip') return zlib.gunzipSync(answer.raw);
  return answer.raw;
}

/* ---------- the server ---------- */

async function startDemo(dataDir: string): Promise<{ base: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    CLASP_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'production',
  };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, [path.join(rootDir, 'bin', 'clasp'), 'serve', '--demo'], {
    cwd: rootDir,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`clasp serve --demo stopped with code ${child.exitCode}`);
    try {
      if ((await request(base, 'GET', '/health', {})).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error('clasp serve --demo did not answer /health within 3 minutes');
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    base,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Cookies as a browser keeps them: the last value of each name. */
class Jar {
  readonly #cookies = new Map<string, string>();

  take(answer: Answer): void {
    for (const line of answer.headers['set-cookie'] ?? []) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      if (at > 0) this.#cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
  }

  get header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

async function signIn(base: string, email: string): Promise<Jar> {
  const jar = new Jar();
  const form = await request(base, 'GET', '/sign-in', {});
  jar.take(form);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.raw.toString('utf8'))?.[1];
  if (!csrf) throw new Error('The sign-in page has no CSRF field');
  const body = new URLSearchParams({ _csrf: csrf, email, password: DEMO_PASSWORD, next: '/' }).toString();
  const answer = await request(
    base,
    'POST',
    '/sign-in',
    { cookie: jar.header, 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
    body,
  );
  jar.take(answer);
  if (answer.status !== 303) throw new Error(`Signing in as ${email} answered ${answer.status}`);
  return jar;
}

/* ---------- what a page names ---------- */

type Kind = 'css' | 'js' | 'font' | 'image' | 'other';

function kindOf(address: string): Kind {
  const extension = path.extname(new URL(address, 'http://x').pathname).toLowerCase();
  if (extension === '.css') return 'css';
  if (extension === '.js' || extension === '.mjs') return 'js';
  if (['.woff2', '.woff', '.ttf', '.otf', '.eot'].includes(extension)) return 'font';
  if (['.svg', '.png', '.ico', '.jpg', '.jpeg', '.gif', '.webp', '.avif'].includes(extension)) return 'image';
  return 'other';
}

/** Stylesheets, scripts, icons and images an HTML page names (not links to other pages, nor the manifest). */
function namedByHtml(html: string): string[] {
  const found: string[] = [];
  for (const [tag = ''] of html.matchAll(/<link\b[^>]*>/g)) {
    const rel = /\brel="([^"]+)"/.exec(tag)?.[1] ?? '';
    const href = /\bhref="([^"]+)"/.exec(tag)?.[1];
    if (href && /\b(stylesheet|icon|apple-touch-icon|mask-icon|preload|modulepreload)\b/.test(rel)) found.push(href);
  }
  for (const [, src = ''] of html.matchAll(/<(?:script|img|source)\b[^>]*\bsrc="([^"]+)"/g)) found.push(src);
  for (const [, srcset = ''] of html.matchAll(/\bsrcset="([^"]+)"/g)) {
    for (const candidate of srcset.split(',')) found.push(candidate.trim().split(/\s+/)[0] ?? '');
  }
  for (const [, script = ''] of html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g))
    found.push(...namedByScript(script));
  for (const [, style = ''] of html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/g)) found.push(...namedByCss(style));
  for (const [, style = ''] of html.matchAll(/\bstyle="([^"]*url\([^"]*)"/g)) found.push(...namedByCss(style));
  return found.filter((address) => address !== '' && !address.startsWith('data:'));
}

function namedByCss(css: string): string[] {
  const found = [...css.matchAll(/url\(\s*(["']?)([^)"']+)\1\s*\)/g)].map((m) => m[2] ?? '');
  found.push(...[...css.matchAll(/@import\s+(["'])([^"']+)\1/g)].map((m) => m[2] ?? ''));
  return found.filter((address) => !address.startsWith('data:'));
}

function namedByScript(js: string): string[] {
  return [...js.matchAll(/(?:\bimport\s*\(?|\bfrom)\s*(["'])([^"']+\.m?js)\1/g)].map((m) => m[2] ?? '');
}

interface FileWeight {
  address: string;
  kind: Kind;
  /** As sent for Accept-Encoding: br. */
  bytes: number;
  encoding: string;
  /** As sent with no Accept-Encoding. */
  rawBytes: number;
}

interface PageWeight {
  page: string;
  address: string;
  /** As they are, for Brotli only, for gzip only, and for a browser's "gzip, deflate, br, zstd" (with its coding). */
  html: { raw: number; br: number; gzip: number; browser: number; browserCoding: string };
  files: FileWeight[];
  /** Addresses on another origin the page or its files name. */
  elsewhere: string[];
  firstVisit: number;
  /** The same files and HTML with no Accept-Encoding, as every page was sent before compression. */
  firstVisitRaw: number;
  repeatVisit: number;
  /** Per response, in this process: microseconds to compress the page, and the bytes. */
  cost: {
    brotli4: { us: number; bytes: number };
    gzip6: { us: number; bytes: number };
    keptGzip: { us: number; bytes: number };
  };
}

/** Median microseconds of `work` over enough runs to take about 200 ms (at least 20). */
function timeUs(work: () => void): number {
  work();
  const runs: number[] = [];
  const until = performance.now() + 200;
  while (runs.length < 20 || (performance.now() < until && runs.length < 2000)) {
    const start = performance.now();
    work();
    runs.push((performance.now() - start) * 1000);
  }
  runs.sort((a, b) => a - b);
  return runs[Math.floor(runs.length / 2)] ?? 0;
}

/**
 * What it costs to send this page per response: compressed whole (Brotli 4, gzip 6), or kept
 * and put together as gzip.
 */
function costOf(html: string, cookieCsrf: string | undefined, userName: string): PageWeight['cost'] {
  const body = Buffer.from(html, 'utf8');
  let br: Buffer = Buffer.alloc(0);
  let gz: Buffer = Buffer.alloc(0);
  const brotli4 = timeUs(() => {
    br = compressPerResponse(body, 'br');
  });
  const gzip6 = timeUs(() => {
    gz = compressPerResponse(body, 'gzip');
  });
  // The page as the cache keeps it: its CSRF tokens and the person's name as slots.
  const cache = new PageCache(64 * 1024 * 1024);
  const p = cache.placeholders;
  let template = html;
  if (cookieCsrf) template = template.split(cookieCsrf).join(p.csrf);
  template = template.split(userName).join(p.user);
  const kept = cache.keep('page', template);
  const values = { csrf: cookieCsrf ?? '', user: userName, confirmation: '', myWorkCount: '' };
  let joined: Buffer | null = null;
  const keptGzip = timeUs(() => {
    joined = kept.gzip(values);
  });
  return {
    brotli4: { us: brotli4, bytes: br.length },
    gzip6: { us: gzip6, bytes: gz.length },
    keptGzip: { us: keptGzip, bytes: (joined as Buffer | null)?.length ?? 0 },
  };
}

async function weigh(base: string, jar: Jar, page: string, address: string, userName: string): Promise<PageWeight> {
  const asBrowser = { cookie: jar.header, 'sec-fetch-site': 'same-origin' };
  const get = (a: string, encoding?: string) =>
    request(base, 'GET', a, encoding ? { ...asBrowser, 'accept-encoding': encoding } : asBrowser);
  const plain = await get(address);
  if (plain.status !== 200) throw new Error(`${page} (${address}) answered ${plain.status}`);
  const [br, gz, browser] = [
    await get(address, 'br'),
    await get(address, 'gzip'),
    await get(address, 'gzip, deflate, br, zstd'),
  ];
  const html = plain.raw.toString('utf8');
  const origin = new URL(base).origin;
  const files = new Map<string, FileWeight>();
  const elsewhere: string[] = [];
  const queue = namedByHtml(html).map((a) => new URL(a, `${base}${address}`).href);
  while (queue.length > 0) {
    const url = queue.shift() ?? '';
    if (files.has(url) || elsewhere.includes(url)) continue;
    if (new URL(url).origin !== origin) {
      elsewhere.push(url);
      continue;
    }
    const local = new URL(url).pathname + new URL(url).search;
    const file = await request(base, 'GET', local, { 'accept-encoding': 'br', 'sec-fetch-site': 'same-origin' });
    const unencoded = await request(base, 'GET', local, { 'sec-fetch-site': 'same-origin' });
    if (file.status !== 200) throw new Error(`${url}, named by ${page}, answered ${file.status}`);
    const kind = kindOf(url);
    files.set(url, {
      address: new URL(url).pathname,
      kind,
      bytes: file.raw.length,
      encoding: file.headers['content-encoding'] ?? 'none',
      rawBytes: unencoded.raw.length,
    });
    const text = kind === 'css' || kind === 'js' ? decoded(file).toString('utf8') : '';
    const named = kind === 'css' ? namedByCss(text) : kind === 'js' ? namedByScript(text) : [];
    queue.push(...named.map((a) => new URL(a, url).href));
  }
  const all = [...files.values()];
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  return {
    page,
    address,
    html: {
      raw: plain.raw.length,
      br: br.raw.length,
      gzip: gz.raw.length,
      browser: browser.raw.length,
      browserCoding: browser.headers['content-encoding'] ?? 'none',
    },
    files: all,
    elsewhere,
    firstVisit: br.raw.length + all.reduce((n, f) => n + f.bytes, 0),
    firstVisitRaw: plain.raw.length + all.reduce((n, f) => n + f.rawBytes, 0),
    repeatVisit: br.raw.length,
    cost: costOf(html, csrf, userName),
  };
}

/* ---------- the run ---------- */

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clasp-weight-'));
  log('Page weight: starting the demo (clasp serve --demo) on a fresh database…');
  const started = Date.now();
  const server = await startDemo(dataDir);
  try {
    log(`  answering after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const jar = await signIn(server.base, 'coordinator@demo.clasp.invalid');
    const asBrowser = { cookie: jar.header, 'sec-fetch-site': 'same-origin' };
    const list = (await request(server.base, 'GET', '/reviews', asBrowser)).raw.toString('utf8');
    const reviewId = /href="\/reviews\/(\d+)"/.exec(list)?.[1];
    if (!reviewId) throw new Error('The list of reviews links no review');
    const overview = `/reviews/${reviewId}`;
    const overviewHtml = (await request(server.base, 'GET', overview, asBrowser)).raw.toString('utf8');
    const userName = /nhsuk-icon--user[\s\S]*?<\/svg>\s*([^<]+?)\s*</.exec(overviewHtml)?.[1] ?? 'Demo';
    const recommendation = new RegExp(`href="(${overview}/recommendations/\\d[^"#?]*)"`).exec(overviewHtml)?.[1];
    if (!recommendation) throw new Error('The overview links no recommendation');
    const recommendationHtml = (await request(server.base, 'GET', recommendation, asBrowser)).raw.toString('utf8');
    const action = new RegExp(`href="(${overview}/actions/\\d+)"`).exec(recommendationHtml)?.[1];
    if (!action) throw new Error(`${recommendation} links no action`);
    const board =
      new RegExp(`href="(${overview}/[^"]*board-report[^"]*)"`).exec(overviewHtml)?.[1] ??
      `${overview}/documents/board-report/html`;
    const pages: [string, string][] = [
      ['Review overview', overview],
      ['A recommendation', recommendation],
      ['An action', action],
      ['Board report page', board],
      ['List of reviews', '/reviews'],
      ['My work', '/my-work'],
    ];
    const results: PageWeight[] = [];
    for (const [page, address] of pages) results.push(await weigh(server.base, jar, page, address, userName));

    log();
    log(
      '| page | HTML raw | HTML br | HTML gzip | HTML for a browser | first visit (all, br) | ' +
        'first visit uncompressed | repeat visit (HTML br) |',
    );
    log('|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of results) {
      log(
        `| ${r.page} (\`${r.address}\`) | ${kb(r.html.raw)} | ${kb(r.html.br)} | ${kb(r.html.gzip)} | ` +
          `${kb(r.html.browser)} (${r.html.browserCoding}) | ${kb(r.firstVisit)} | ${kb(r.firstVisitRaw)} | ` +
          `${kb(r.repeatVisit)} |`,
      );
    }
    const first = results[0];
    if (first) {
      log();
      log(`What the overview's first visit is made of (${first.files.length} files, as sent for Accept-Encoding: br):`);
      log('| file | kind | sent as | bytes |');
      log('|---|---|---|---:|');
      for (const f of [...first.files].sort((a, b) => b.bytes - a.bytes)) {
        log(`| \`${f.address}\` | ${f.kind} | ${f.encoding} | ${f.bytes.toLocaleString('en-GB')} |`);
      }
      const byKind = new Map<Kind, number>();
      for (const f of first.files) byKind.set(f.kind, (byKind.get(f.kind) ?? 0) + f.bytes);
      log(
        `By kind: HTML ${kb(first.html.br)}, ` + [...byKind].map(([kind, bytes]) => `${kind} ${kb(bytes)}`).join(', '),
      );
    }
    log();
    log('Compressing per response, in this process (median µs; bytes):');
    log('| page | Brotli 4 | gzip 6 | kept page as gzip put together |');
    log('|---|---:|---:|---:|');
    for (const r of results) {
      const c = r.cost;
      log(
        `| ${r.page} | ${c.brotli4.us.toFixed(0)} µs, ${kb(c.brotli4.bytes)} | ${c.gzip6.us.toFixed(0)} µs, ` +
          `${kb(c.gzip6.bytes)} | ${c.keptGzip.us.toFixed(0)} µs, ${kb(c.keptGzip.bytes)} |`,
      );
    }
    // Done once per process, for the record.
    const css = fs.readFileSync(
      path.join(rootDir, 'node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css'),
      'utf8',
    );
    const rewrite = timeUs(() => selfContainedStyles(css));
    const cssBytes = Buffer.from(selfContainedStyles(css), 'utf8');
    const brStart = performance.now();
    const brCss = zlib.brotliCompressSync(cssBytes, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: cssBytes.length },
    });
    const brMs = performance.now() - brStart;
    log();
    log(
      `Once per process: the stylesheet rewritten without its @font-face rules in ${(rewrite / 1000).toFixed(1)} ms; ` +
        `compressed with Brotli 11 in ${brMs.toFixed(0)} ms ` +
        `(${kb(cssBytes.length)} to ${kb(brCss.length)}; the server does it off the event loop).`,
    );

    const problems = results.filter((r) => r.elsewhere.length > 0);
    for (const r of problems) log(`PROBLEM: ${r.page} names another origin: ${r.elsewhere.join(', ')}`);
    if (first) {
      const verdict = first.firstVisit <= AIM_FIRST_VISIT_BYTES ? 'meets' : 'misses';
      log(
        `The overview's first visit is ${kb(first.firstVisit)}: it ${verdict} the aim of ${kb(AIM_FIRST_VISIT_BYTES)}` +
          (verdict === 'misses' ? ` by ${kb(first.firstVisit - AIM_FIRST_VISIT_BYTES)}.` : '.'),
      );
    }
    if (process.env.BENCH_OUTPUT) fs.writeFileSync(process.env.BENCH_OUTPUT, JSON.stringify(results, null, 2));
    if (problems.length > 0) process.exitCode = 1;
  } finally {
    await server.stop();
    if (process.env.BENCH_KEEP !== '1') fs.rmSync(dataDir, { recursive: true, force: true });
    else log(`Kept ${dataDir}`);
  }
}

await main();
