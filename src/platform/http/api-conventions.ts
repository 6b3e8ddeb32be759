import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { BadInput } from './input-guard.ts';
import {
  PROBLEM_CONTENT_TYPE,
  problemKindOf,
  problemTitle,
  problemType,
  type FieldProblem,
  type Problem,
  type ProblemKind,
} from './problem-schema.ts';

/*
 * What every /api route does the same way: refusals as problem details (RFC 9457), a request
 * id on every answer, ETags and If-Match for things with a version (RFC 9110 sections 8.8.3 and
 * 13.1), and cursor paging for the lists that grow.
 */

declare module 'fastify' {
  interface FastifyRequest {
    /** The version a change named in If-Match, when its body named none: a stale one is then 412, not 409. */
    versionFromIfMatch?: number;
  }
}

export function isApiRequest(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/') || request.url === '/api';
}

/* Request ids. */

/** An id a proxy may hand on: letters, digits and - _ . : only, at most 128 of them. */
const WELL_FORMED_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The id of a request: the X-Request-Id a trusted proxy in front of Clasp sent, when it is
 * well formed, so the proxy's logs and Clasp's name the same request; otherwise a new one.
 * An id sent by anyone else is not reused, so a caller cannot make its requests look like another's.
 */
export function requestIdFrom(request: IncomingMessage, fromTrustedProxy: boolean): string {
  const sent = request.headers['x-request-id'];
  if (fromTrustedProxy && typeof sent === 'string' && WELL_FORMED_ID.test(sent)) return sent;
  return randomUUID();
}

/* Problems. */

/** The path a problem is about: the request's path, without its query. */
function instanceOf(request: FastifyRequest): string {
  return request.url.split('?')[0] ?? request.url;
}

/** A problem details object for this request. */
export function problemFor(
  request: FastifyRequest,
  status: number,
  detail: string,
  extras: { kind?: ProblemKind; errors?: FieldProblem[]; version?: number; changes?: Problem['changes'] } = {},
): Problem {
  const kind = extras.kind ?? problemKindOf(status);
  return {
    type: kind ? problemType(kind) : 'about:blank',
    title: problemTitle(status, kind),
    status,
    detail,
    instance: instanceOf(request),
    requestId: request.id,
    error: detail,
    ...(extras.errors ? { errors: extras.errors } : {}),
    ...(extras.version !== undefined ? { version: extras.version } : {}),
    ...(extras.changes ? { changes: extras.changes } : {}),
  };
}

/** Answers `problem` as application/problem+json. */
export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
}

/** A JSON body of a refusal made before problems were answered: {error} and perhaps {errors}. */
function legacyRefusal(payload: string): { error?: unknown; errors?: unknown } | null {
  try {
    const body: unknown = JSON.parse(payload);
    if (!body || typeof body !== 'object' || Array.isArray(body) || 'type' in body) return null;
    return 'error' in body || 'errors' in body ? body : null;
  } catch {
    return null;
  }
}

/** Turns a refusal that is still {error} (from a hook, a plugin) into a problem, so every /api refusal is one. */
function asProblem(request: FastifyRequest, reply: FastifyReply, payload: string): string {
  const legacy = legacyRefusal(payload);
  if (!legacy) return payload;
  const errors = Array.isArray(legacy.errors) ? (legacy.errors as FieldProblem[]) : undefined;
  const detail =
    typeof legacy.error === 'string' ? legacy.error : (errors?.map((e) => e.message).join(' ') ?? 'Refused');
  const kind = errors && reply.statusCode === 400 ? 'invalid-fields' : undefined;
  reply.type(PROBLEM_CONTENT_TYPE);
  return JSON.stringify(problemFor(request, reply.statusCode, detail, { kind, errors }));
}

/* ETags: a thing with a version. */

/** An ETag names its thing's kind, id and version, then a digest of the answer, so any change to it is seen. */
const ETAG = /^"([a-z][a-z-]{0,39})-(\d{1,10})-v(\d{1,9})(?:\.[A-Za-z0-9_-]{1,32})?"$/;

export interface NamedVersion {
  kind: string;
  id: number;
  version: number;
}

/** The thing an answer is about, when it has one with a version: its first member with an id and a version. */
export function versionedThing(body: unknown): NamedVersion | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  for (const [kind, value] of Object.entries(body)) {
    if (!value || typeof value !== 'object' || !/^[a-z][a-z-]{0,39}$/.test(kind)) continue;
    const { id, version } = value as { id?: unknown; version?: unknown };
    if (Number.isInteger(id) && Number.isInteger(version))
      return { kind, id: id as number, version: version as number };
  }
  return null;
}

export function etagOf(thing: NamedVersion, payload: string): string {
  const digest = createHash('sha256').update(payload, 'utf8').digest('base64url').slice(0, 16);
  return `"${thing.kind}-${thing.id}-v${thing.version}.${digest}"`;
}

/** The version named by an If-Match header; null for "*"; BadInput when it is not one of Clasp's ETags. */
export function versionInIfMatch(header: string): NamedVersion | null {
  const value = header.trim();
  if (value === '*') return null;
  const match = ETAG.exec(value);
  if (!match) {
    throw new BadInput(
      'If-Match must be one ETag as Clasp gave it, for example "review-12-v3.…" with its quotes. ' +
        'Send the ETag of your last GET of the thing you are changing, or leave If-Match out.',
    );
  }
  return { kind: match[1] ?? '', id: Number(match[2]), version: Number(match[3]) };
}

/** Whether If-None-Match names this ETag (weakly compared, as RFC 9110 section 13.1.2 says). */
function noneMatch(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

function bodyHasVersion(body: unknown): boolean {
  if (!body || typeof body !== 'object' || !('version' in body)) return false;
  return body.version !== null && body.version !== undefined;
}

/**
 * A change sent with If-Match and no `version` in its body is checked against the version the
 * ETag names. An ETag of another thing (its id is not the one in the address) fails at once.
 */
function applyIfMatch(request: FastifyRequest): void {
  const header = request.headers['if-match'];
  if (typeof header !== 'string' || !['POST', 'PUT', 'PATCH', 'DELETE'].includes(request.method)) return;
  const named = versionInIfMatch(header);
  if (!named || bodyHasVersion(request.body)) return;
  const params = (request.params ?? {}) as Record<string, unknown>;
  const ownId = params[`${named.kind.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())}Id`];
  if ((typeof ownId === 'number' || typeof ownId === 'string') && String(ownId) !== String(named.id)) {
    throw Object.assign(new Error(`If-Match names ${named.kind} ${named.id}, not the one in the address`), {
      statusCode: 412,
    });
  }
  const body = request.body;
  if (body === undefined || body === null) request.body = { version: named.version };
  else if (typeof body === 'object' && !Array.isArray(body)) (body as Record<string, unknown>).version = named.version;
  else return;
  request.versionFromIfMatch = named.version;
}

/* Paging. */

export const DEFAULT_PAGE_SIZE = 100;
export const MOST_PER_PAGE = 500;

/** The query of a list that pages: how many to list, and where the last page ended. */
export const pageQuery = {
  limit: z
    .string()
    .optional()
    .describe(`How many to list: a whole number from 1 to ${MOST_PER_PAGE}; ${DEFAULT_PAGE_SIZE} if not given`),
  cursor: z
    .string()
    .optional()
    .describe('Where the page before ended: the X-Next-Cursor it was answered with. Leave out for the first page'),
};

export interface PageRequest<K> {
  limit: number;
  /** The key of the last item of the page before; null for the first page. */
  after: K | null;
}

/**
 * The page a list's query asks for. A cursor is the last key of the page before, as base64url
 * JSON: opaque to callers, who send back what they were given; `validKey` checks it.
 */
export function readPage<K>(
  query: { limit?: string | undefined; cursor?: string | undefined },
  validKey: (key: unknown) => key is K,
): PageRequest<K> {
  let limit = DEFAULT_PAGE_SIZE;
  if (query.limit !== undefined) {
    const raw = query.limit.trim();
    if (!/^\d{1,4}$/.test(raw) || Number(raw) < 1 || Number(raw) > MOST_PER_PAGE) {
      throw new BadInput(
        `limit must be a whole number from 1 to ${MOST_PER_PAGE}. Send a smaller number, or leave it out.`,
      );
    }
    limit = Number(raw);
  }
  if (query.cursor === undefined || query.cursor === '') return { limit, after: null };
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(query.cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(query.cursor) || !validKey(key)) {
    throw new BadInput(
      'cursor is not one Clasp gave. Send the X-Next-Cursor of the page before exactly as it came, ' +
        'or leave it out to start again.',
    );
  }
  return { limit, after: key };
}

export function cursorOf(key: unknown): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/**
 * Says where the next page is, when there is one: its cursor in X-Next-Cursor and its address
 * in a Link header (RFC 8288), the same query with the new cursor. The body keeps its shape.
 */
export function linkNextPage(request: FastifyRequest, reply: FastifyReply, nextKey: unknown): void {
  if (nextKey === null || nextKey === undefined) return;
  const cursor = cursorOf(nextKey);
  const [path = '', search = ''] = request.url.split('?');
  const query = new URLSearchParams(search);
  query.set('cursor', cursor);
  reply.header('x-next-cursor', cursor);
  reply.header('link', `<${path}?${query.toString()}>; rel="next"`);
}

/**
 * One page of a list kept in memory, in its own order, each item known by a unique key. The
 * cursor holds the last key shown and where it stood: the next page starts after that item,
 * or at where it stood when it has gone from the list since.
 */
export function pageOfList<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  query: { limit?: string | undefined; cursor?: string | undefined },
): { items: T[]; next: { key: string; at: number } | null } {
  const isListKey = (key: unknown): key is { key: string; at: number } =>
    !!key &&
    typeof key === 'object' &&
    typeof (key as { key?: unknown }).key === 'string' &&
    Number.isInteger((key as { at?: unknown }).at) &&
    (key as { at: number }).at >= 0;
  const page = readPage(query, isListKey);
  let start = 0;
  if (page.after) {
    const found = items.findIndex((item) => keyOf(item) === page.after?.key);
    start = found >= 0 ? found + 1 : Math.min(page.after.at + 1, items.length);
  }
  const shown = items.slice(start, start + page.limit);
  const last = shown.at(-1);
  const more = start + shown.length < items.length;
  return { items: shown, next: more && last !== undefined ? { key: keyOf(last), at: start + shown.length - 1 } : null };
}

/* The hooks. */

/**
 * Every answer carries X-Request-Id; every /api refusal is a problem; a JSON answer about a
 * thing with a version carries its ETag, and If-None-Match naming it is answered 304; a change
 * may name the version it read with If-Match. Registered before compression, which must see
 * the final body.
 */
export function registerApiConventions(app: FastifyInstance): void {
  app.addHook('preValidation', (request, _reply, done) => {
    if (!isApiRequest(request)) {
      done();
      return;
    }
    try {
      applyIfMatch(request);
      done();
    } catch (error) {
      done(error as Error);
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    if (!isApiRequest(request) || typeof payload !== 'string') return payload;
    const type = String(reply.getHeader('content-type') ?? '');
    if (!type.includes('json')) return payload;
    if (reply.statusCode >= 400) return asProblem(request, reply, payload);
    if (reply.statusCode !== 200 && reply.statusCode !== 201) return payload;
    const thing = versionedThing(parsed(payload));
    if (!thing) return payload;
    const etag = etagOf(thing, payload);
    reply.header('etag', etag);
    const ifNoneMatch = request.headers['if-none-match'];
    if ((request.method === 'GET' || request.method === 'HEAD') && typeof ifNoneMatch === 'string') {
      if (noneMatch(ifNoneMatch, etag)) {
        reply.code(304);
        reply.removeHeader('content-type');
        reply.removeHeader('content-length');
        return '';
      }
    }
    return payload;
  });
}

function parsed(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    return null;
  }
}
