import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/*
 * Brotli and gzip, chosen by the browser's Accept-Encoding. Three kinds of answer:
 * - static files are compressed once per process at the highest quality (assets.ts);
 * - kept pages are gzip made from pieces compressed once when kept (page-cache.ts, gzip-pieces.ts);
 * - everything else (pages rendered per request, JSON, CSV) is compressed per response at a
 *   cheap setting, by the onSend hook here.
 * docs/performance.md ("What pages weigh") has the measured cost and gain of each.
 */

export type Encoding = 'br' | 'gzip';

/** Bodies smaller than this go as they are: compressing them saves a few hundred bytes at most. */
export const MIN_COMPRESSED_BYTES = 1024;

/** Brotli quality and gzip level for a body compressed on every response: cheap, and most of the gain. */
const PER_RESPONSE = { brotliQuality: 4, gzipLevel: 6 };

/**
 * Content types worth compressing, besides text/*: other text, and icons. PDF, Word, Excel,
 * zip, PNG and JPEG are compressed already.
 */
const COMPRESSIBLE = new Set([
  'application/json',
  'application/javascript',
  'application/xml',
  'application/manifest+json',
  'application/problem+json',
  'image/svg+xml',
  'image/x-icon',
  'image/vnd.microsoft.icon',
]);

export function isCompressibleType(contentType: string): boolean {
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return type.startsWith('text/') || COMPRESSIBLE.has(type);
}

/**
 * The q-value of each coding the client names in Accept-Encoding (lower case; "x-gzip" is gzip).
 * A coding given twice keeps its first q-value; a malformed q-value counts as 0.
 */
export function acceptedEncodings(header: string | undefined): Map<string, number> {
  const accepted = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [rawName = '', ...params] = part.split(';');
    let name = rawName.trim().toLowerCase();
    if (name === '') continue;
    if (name === 'x-gzip') name = 'gzip';
    let q = 1;
    for (const param of params) {
      const [key = '', value = ''] = param.split('=').map((s) => s.trim());
      if (key.toLowerCase() !== 'q') continue;
      q = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value) ? Number(value) : 0;
    }
    if (!accepted.has(name)) accepted.set(name, q);
  }
  return accepted;
}

/**
 * The coding to send, of `offered` (in the server's order of preference for this answer), by
 * the client's q-values: the highest wins, a tie goes to the server's order, q=0 refuses. Null
 * means the body goes as it is: no Accept-Encoding, nothing offered accepted, or identity
 * preferred outright.
 */
export function negotiateEncoding(header: string | undefined, offered: readonly Encoding[]): Encoding | null {
  if (header === undefined) return null;
  const accepted = acceptedEncodings(header);
  const wildcard = accepted.get('*');
  let best: Encoding | null = null;
  let bestQ = 0;
  for (const coding of offered) {
    const q = accepted.get(coding) ?? wildcard ?? 0;
    if (q > bestQ) {
      best = coding;
      bestQ = q;
    }
  }
  const identity = accepted.get('identity');
  if (best !== null && identity !== undefined && identity > bestQ) return null;
  return best;
}

const brotliQuality = (quality: number, size: number) => ({
  params: {
    [zlib.constants.BROTLI_PARAM_QUALITY]: quality,
    [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
    [zlib.constants.BROTLI_PARAM_SIZE_HINT]: size,
  },
});

/** A body compressed for one response, at the cheap setting (a page is 1 ms at most: docs/performance.md). */
export function compressPerResponse(body: Buffer, encoding: Encoding): Buffer {
  return encoding === 'br'
    ? zlib.brotliCompressSync(body, brotliQuality(PER_RESPONSE.brotliQuality, body.length))
    : zlib.gzipSync(body, { level: PER_RESPONSE.gzipLevel });
}

const brotliAsync = promisify(zlib.brotliCompress);
const gzipAsync = promisify(zlib.gzip);

/**
 * A body compressed once, at the highest setting, off the event loop (zlib's thread pool):
 * Brotli at quality 11 takes about half a second for the design system's stylesheet.
 */
export function compressOnce(body: Buffer, encoding: Encoding): Promise<Buffer> {
  return encoding === 'br'
    ? brotliAsync(body, brotliQuality(zlib.constants.BROTLI_MAX_QUALITY, body.length))
    : gzipAsync(body, { level: zlib.constants.Z_BEST_COMPRESSION });
}

/** Adds a field to the Vary header, keeping those already there. */
export function addVary(reply: FastifyReply, field: string): void {
  const current = reply.getHeader('vary');
  const fields = String(current ?? '')
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
  if (fields.includes('*') || fields.some((f) => f.toLowerCase() === field.toLowerCase())) return;
  reply.header('vary', [...fields, field].join(', '));
}

/**
 * Whether an answer holding someone's data may be compressed for this request. A compressed
 * answer's length says something about what it holds, so a page that holds a secret next to
 * text another site chose (a search term, a filter) could be guessed at by a site that makes the
 * browser ask again and again and watches the lengths on the network (the BREACH attack). The
 * browser says who started each request: answers go compressed when it was Clasp's own pages or
 * the person themselves (Sec-Fetch-Site same-origin or none), or when the request carries no
 * cookie, so no other site can have made it on someone's behalf (API clients with a token).
 * Browsers too old to say get the answer uncompressed.
 */
export function mayCompressPersonal(request: FastifyRequest): boolean {
  if (request.headers.cookie === undefined) return true;
  const site = request.headers['sec-fetch-site'];
  return site === 'same-origin' || site === 'none';
}

/** Replies whose encoding was chosen where they were made (static files, kept pages): the hook leaves them alone. */
const negotiated = new WeakSet<FastifyReply>();

export function markNegotiated(reply: FastifyReply): void {
  negotiated.add(reply);
}

/**
 * Compresses, per response, each text answer of 1 KB or more that has no Content-Encoding of
 * its own and was not compressed where it was made: Brotli quality 4, else gzip level 6.
 */
export function registerCompression(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (negotiated.has(reply) || reply.hasHeader('content-encoding')) return payload;
    if (!(typeof payload === 'string' || Buffer.isBuffer(payload))) return payload;
    if (!isCompressibleType(String(reply.getHeader('content-type') ?? ''))) return payload;
    const status = reply.statusCode;
    if (status === 204 || status === 206 || status === 304) return payload;
    const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
    if (body.length < MIN_COMPRESSED_BYTES) return payload;
    addVary(reply, 'Accept-Encoding');
    if (!mayCompressPersonal(request)) return payload;
    const encoding = negotiateEncoding(request.headers['accept-encoding'], ['br', 'gzip']);
    if (encoding === null) return payload;
    reply.header('content-encoding', encoding);
    reply.removeHeader('content-length');
    return compressPerResponse(body, encoding);
  });
}
