import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { compressedAsset, compressibleAsset, findAsset } from './assets.ts';
import { addVary, markNegotiated, negotiateEncoding, type Encoding } from './compression.ts';

/** A fingerprinted address names one content for good: browsers and proxies keep it a year without asking. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** A plain address may change meaning with an upgrade: kept an hour, then checked with its ETag. */
export const SHORT_LIVED = 'public, max-age=3600';

/**
 * Whether If-None-Match names the current content: any of its tags, weak or strong, for any
 * coding of it ("hash", "hash-br", "hash-gzip"), or *.
 */
export function matchesContent(ifNoneMatch: string | undefined, hash: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((raw) => {
    const tag = raw.trim().replace(/^W\//, '');
    return tag === '*' || tag.replace(/^"|"$/g, '').replace(/-(br|gzip)$/, '') === hash;
  });
}

async function sendAsset(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const address = request.url.split('?')[0] ?? '';
  const found = findAsset(address);
  if (!found) {
    reply.callNotFound();
    return reply;
  }
  const { asset, immutable } = found;
  markNegotiated(reply);
  reply.header('cache-control', immutable ? IMMUTABLE : SHORT_LIVED);
  let encoding: Encoding | null = null;
  let body = asset.bytes;
  if (compressibleAsset(asset)) {
    addVary(reply, 'Accept-Encoding');
    encoding = negotiateEncoding(request.headers['accept-encoding'], ['br', 'gzip']);
    const smaller = encoding ? await compressedAsset(asset, encoding) : null;
    if (smaller) body = smaller;
    else encoding = null;
  }
  reply.header('etag', `"${asset.hash}${encoding ? `-${encoding}` : ''}"`);
  if (matchesContent(request.headers['if-none-match'], asset.hash)) return reply.code(304).send();
  if (encoding) reply.header('content-encoding', encoding);
  return reply.type(asset.type).send(body);
}

/**
 * The NHS.UK frontend's styles, script and images under /assets/, Clasp's own under /static/,
 * from memory (assets.ts): compressed once, fingerprinted addresses kept for good, ETag and 304.
 */
export function registerStaticFiles(app: FastifyInstance): void {
  for (const prefix of ['/assets/', '/static/']) {
    app.get(`${prefix}*`, { config: { access: 'public' } }, sendAsset);
  }
}
