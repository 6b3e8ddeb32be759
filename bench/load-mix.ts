// The people and the mix of bench/load.ts: who writes (members of the busiest reviews, each with
// their own session for pages and their own API token for JSON), what each request sends and
// what it expects, and a record of every write with the marker that finds it in the database.
import { createHash, randomUUID } from 'node:crypto';
import PDFDocument from 'pdfkit';
import type { Db } from '../src/platform/db/database.ts';
import type { MemberRole } from '../src/platform/db/schema.ts';
import { issueApiToken } from '../src/features/accounts/accounts.service.ts';
import { addDays, dateInEngland } from '../src/domain/dates.ts';
import { createSession } from './http-load.ts';
import type { GeneratedSet } from './generate.ts';
import { pick, weighted, type Random } from './random.ts';

/* ---------- people ---------- */

export interface Person {
  userId: number;
  name: string;
  reviewId: number;
  role: MemberRole;
  /** The actions this person may write to: their organisation's (editor) or the review's (reviewer, coordinator). */
  actionIds: number[];
  /**
   * Those of them an edit of one field can be saved on: the form checks every field of a PATCH,
   * and a saved due date of "TBC" (as some generated plans have) gives no date, so is refused.
   */
  editableActionIds: number[];
  cookie: string;
  token: string;
}

export interface Crowd {
  people: Person[];
  editors: Person[];
  assurers: Person[];
  reviewIds: number[];
  /** Recommendation numbers and action ids of each review the crowd works in. */
  reviews: Map<number, { recommendationNumbers: string[]; actionIds: number[] }>;
}

/**
 * Signs in the members of the first reviews (as bench/people.ts made them) until `count` people
 * are found: every member of those reviews, so the load lands on a few busy reviews. Each gets
 * a session (pages) and a write-scoped API token (JSON), made as the sign-in form and
 * `clasp token create` make them, before the run starts.
 */
export async function signInCrowd(db: Db, set: GeneratedSet, count: number): Promise<Crowd> {
  const members = await db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.user_id', 'u.name', 'm.review_id', 'm.organisation_id', 'm.role'])
    .where('u.email', '!=', 'designated.nurse@example.nhs.uk')
    .orderBy('m.review_id')
    .orderBy('m.id')
    .execute();
  const chosen: typeof members = [];
  const reviewIds: number[] = [];
  for (const m of members) {
    if (chosen.length >= count && !reviewIds.includes(m.review_id)) break;
    if (!reviewIds.includes(m.review_id)) reviewIds.push(m.review_id);
    chosen.push(m);
  }
  const acting = await db
    .selectFrom('action_organisations as ao')
    .innerJoin('actions as a', 'a.id', 'ao.action_id')
    .select(['a.id', 'a.review_id', 'ao.organisation_id', 'a.due_date'])
    .where('a.review_id', 'in', reviewIds)
    .where('a.archived_at', 'is', null)
    .execute();
  const now = new Date();
  const expires = addDays(dateInEngland(now), 30);
  const people: Person[] = [];
  for (const m of chosen) {
    const actionIds =
      m.role === 'editor'
        ? acting.filter((a) => a.review_id === m.review_id && a.organisation_id === m.organisation_id).map((a) => a.id)
        : [...new Set(acting.filter((a) => a.review_id === m.review_id).map((a) => a.id))];
    const dated = new Set(acting.filter((a) => a.due_date !== null).map((a) => a.id));
    const editableActionIds = actionIds.filter((id) => dated.has(id));
    if (actionIds.length === 0 || editableActionIds.length === 0) continue;
    const made = await issueApiToken(
      db,
      { userId: m.user_id, actor: m.name },
      { tokenName: 'load bench', scope: 'write', expires, reviews: [] },
      now,
    );
    people.push({
      userId: m.user_id,
      name: m.name,
      reviewId: m.review_id,
      role: m.role,
      actionIds,
      editableActionIds,
      cookie: await createSession(db, m.user_id),
      token: made.token,
    });
  }
  const reviews = new Map(
    set.reviews
      .filter((r) => reviewIds.includes(r.id))
      .map((r) => [r.id, { recommendationNumbers: r.recommendationNumbers, actionIds: r.actionIds }] as const),
  );
  return {
    people,
    editors: people.filter((p) => p.role === 'editor' || p.role === 'coordinator'),
    assurers: people.filter((p) => p.role === 'reviewer' || p.role === 'coordinator'),
    reviewIds,
    reviews,
  };
}

/* ---------- files ---------- */

export interface EvidenceFile {
  name: string;
  type: string;
  bytes: Buffer;
}

/** A one-page PDF, as an organisation's audit report might be, made once. */
export async function makePdf(): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4' });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  doc.fontSize(14).text('Audit of safeguarding supervision records');
  doc.fontSize(10).text('20 records checked; 18 show supervision within 3 months.');
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

export function csvFile(marker: string): EvidenceFile {
  return {
    name: 'audit.csv',
    type: 'text/csv',
    bytes: Buffer.from(`month,records,with supervision\nOctober,20,18\nNovember,20,19\n# ${marker}\n`),
  };
}

/* ---------- what is sent and what came back ---------- */

/** Every kind of request the mix sends; the first five only read. */
export const KINDS = [
  'page: overview',
  'page: recommendation',
  'page: action',
  'json: action',
  'json: action (before an edit)',
  'progress',
  'evidence upload',
  'rating decision',
  'evidence decision',
  'action edit',
  'stale edit',
  'invalid post',
] as const;
export type Kind = (typeof KINDS)[number];

export type Expect = 'read' | 'write' | 'maybe' | 'stale' | 'invalid';

export interface Sent {
  kind: Kind;
  method: string;
  path: string;
  /** read: 200; write: 200/201; maybe: written or refused for contention (409); stale: 409/412; invalid: 400. */
  expect: Expect;
  /** The uuid in the text written, so the row is found whatever id it got. */
  marker: string | null;
  reviewId: number;
  actionId: number | null;
  /** Set on the answer: status 0 when none came (network error or time-out). */
  status: number;
  ms: number;
  /** What the answer said was written. */
  created: {
    progressUpdateId?: number;
    ratingEventId?: number | null;
    evidenceId?: number | null;
    version?: number;
    kind?: string;
  };
  /** What the write carried, to know which rows and audit events it makes. */
  detail: {
    proposedRating?: string | null;
    withFile?: boolean;
    /** The file sent: its SHA-256 and size, to compare with what was stored. */
    file?: { sha256: string; size: number; type: string };
    decision?: 'accept' | 'reject';
    evidenceId?: number;
    measure?: string;
    variant?: string;
    ifMatch?: boolean;
  };
  /** When it was sent, in ms from the start of the run. */
  at: number;
  /** The first 300 characters of an unexpected answer. */
  problem?: string;
}

export const newMarker = (): string => `load:${randomUUID()}`;
export const MARKER = /load:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** Whether a status is what the request expected. */
export function expected(s: Sent): boolean {
  switch (s.expect) {
    case 'read':
      return s.status === 200;
    case 'write':
      return s.status === 200 || s.status === 201;
    case 'maybe':
      return s.status === 200 || s.status === 201 || s.status === 409 || s.status === 412;
    case 'stale':
      return s.status === 409 || s.status === 412;
    case 'invalid':
      return s.status === 400;
  }
}

export const acknowledged = (s: Sent): boolean => s.status >= 200 && s.status < 300;

/* ---------- the mix ---------- */

export interface MixContext {
  base: string;
  crowd: Crowd;
  rnd: Random;
  pdf: Buffer;
  /** Every request sent, in the order answered. */
  log: Sent[];
  /** Evidence written during the run and not yet decided on by an acknowledged decision, by review. */
  undecided: Map<number, number[]>;
  timeoutMs: number;
  /** performance.now() when the run started. */
  t0: number;
}

type Op = 'overview' | 'recommendation' | 'actionPage' | 'actionJson' | 'progress' | 'evidence' | 'rating';
type Op2 = Op | 'evidenceDecision' | 'edit' | 'stale' | 'invalid';

const MIX: [Op2, number][] = [
  ['overview', 10],
  ['recommendation', 10],
  ['actionPage', 12],
  ['actionJson', 10],
  ['progress', 16],
  ['evidence', 8],
  ['rating', 7],
  ['evidenceDecision', 5],
  ['edit', 8],
  ['stale', 6],
  ['invalid', 8],
];

interface Body {
  json?: unknown;
  form?: FormData;
}

async function send(
  ctx: MixContext,
  s: Omit<Sent, 'status' | 'ms' | 'created' | 'at'>,
  auth: { cookie?: string; token?: string },
  body?: Body,
  headers: Record<string, string> = {},
): Promise<{ sent: Sent; answer: Record<string, unknown> | null; etag: string | null }> {
  const sent: Sent = { ...s, status: 0, ms: 0, created: {}, at: performance.now() - ctx.t0 };
  const h: Record<string, string> = { ...headers };
  if (auth.cookie) h.cookie = auth.cookie;
  if (auth.token) h.authorization = `Bearer ${auth.token}`;
  let payload: string | FormData | undefined;
  if (body?.json !== undefined) {
    h['content-type'] = 'application/json';
    payload = JSON.stringify(body.json);
  } else if (body?.form) payload = body.form;
  const started = performance.now();
  let answer: Record<string, unknown> | null = null;
  let etag: string | null = null;
  try {
    const response = await fetch(`${ctx.base}${s.path}`, {
      method: s.method,
      headers: h,
      body: payload,
      redirect: 'manual',
      signal: AbortSignal.timeout(ctx.timeoutMs),
    });
    const text = await response.text();
    sent.status = response.status;
    etag = response.headers.get('etag');
    if ((response.headers.get('content-type') ?? '').includes('json')) {
      try {
        answer = JSON.parse(text) as Record<string, unknown>;
      } catch {
        answer = null;
      }
    }
    if (!expected(sent)) sent.problem = text.slice(0, 300);
  } catch (error) {
    sent.status = 0;
    sent.problem = error instanceof Error ? error.message : String(error);
  }
  sent.ms = performance.now() - started;
  ctx.log.push(sent);
  return { sent, answer, etag };
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** One step of the mix for one simulated person: one to three requests. */
export async function step(ctx: MixContext): Promise<void> {
  const { crowd, rnd } = ctx;
  const op = weighted(ctx.rnd, MIX);
  const today = dateInEngland(new Date());
  const editor = () => pick(rnd, crowd.editors);
  const reader = () => pick(rnd, crowd.people);

  if (op === 'overview' || op === 'recommendation' || op === 'actionPage') {
    const p = reader();
    const review = crowd.reviews.get(p.reviewId);
    if (!review) return;
    const path =
      op === 'overview'
        ? `/reviews/${p.reviewId}`
        : op === 'recommendation'
          ? `/reviews/${p.reviewId}/recommendations/${pick(rnd, review.recommendationNumbers)}`
          : `/reviews/${p.reviewId}/actions/${pick(rnd, review.actionIds)}`;
    const kind: Kind =
      op === 'overview' ? 'page: overview' : op === 'recommendation' ? 'page: recommendation' : 'page: action';
    await send(
      ctx,
      { kind, method: 'GET', path, expect: 'read', marker: null, reviewId: p.reviewId, actionId: null, detail: {} },
      { cookie: p.cookie },
    );
    return;
  }
  if (op === 'actionJson') {
    const p = reader();
    const actionId = pick(rnd, crowd.reviews.get(p.reviewId)?.actionIds ?? p.actionIds);
    await send(
      ctx,
      {
        kind: 'json: action',
        method: 'GET',
        path: `/api/reviews/${p.reviewId}/actions/${actionId}`,
        expect: 'read',
        marker: null,
        reviewId: p.reviewId,
        actionId,
        detail: {},
      },
      { token: p.token },
    );
    return;
  }
  if (op === 'progress') {
    const p = editor();
    const actionId = pick(rnd, p.actionIds);
    const marker = newMarker();
    const proposedRating = rnd() < 0.3 ? pick(rnd, ['amber', 'red']) : null;
    const withFile = rnd() < 0.25;
    const text = `Audited 20 records this month; 18 show the child's voice. [${marker}]`;
    let body: Body;
    let sentFile: Sent['detail']['file'];
    if (withFile) {
      const form = new FormData();
      form.append('progressOn', today);
      form.append('text', text);
      form.append('proposedRating', proposedRating ?? 'none');
      form.append('evidenceTitle', `Records audit [${marker}]`);
      const file: EvidenceFile =
        rnd() < 0.5 ? csvFile(marker) : { name: 'audit.pdf', type: 'application/pdf', bytes: ctx.pdf };
      sentFile = describeFile(file);
      form.append('evidenceFile', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
      body = { form };
    } else {
      body = { json: { progressOn: today, text, proposedRating: proposedRating ?? 'none' } };
    }
    const { sent, answer } = await send(
      ctx,
      {
        kind: 'progress',
        method: 'POST',
        path: `/api/reviews/${p.reviewId}/actions/${actionId}/progress`,
        expect: 'write',
        marker,
        reviewId: p.reviewId,
        actionId,
        detail: { proposedRating, withFile, file: sentFile },
      },
      { token: p.token },
      body,
    );
    if (answer && acknowledged(sent)) {
      sent.created = {
        progressUpdateId: num(answer.progressUpdateId),
        ratingEventId: num(answer.ratingEventId) ?? null,
        evidenceId: num(answer.evidenceId) ?? null,
      };
      if (sent.created.evidenceId) remember(ctx, p.reviewId, sent.created.evidenceId);
    }
    return;
  }
  if (op === 'evidence') {
    const p = editor();
    const actionId = pick(rnd, p.actionIds);
    const marker = newMarker();
    const file: EvidenceFile =
      rnd() < 0.5 ? csvFile(marker) : { name: 'audit.pdf', type: 'application/pdf', bytes: ctx.pdf };
    const form = new FormData();
    form.append('kind', 'file');
    form.append('title', `Supervision audit [${marker}]`);
    form.append('effectiveOn', today);
    form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
    const { sent, answer } = await send(
      ctx,
      {
        kind: 'evidence upload',
        method: 'POST',
        path: `/api/reviews/${p.reviewId}/actions/${actionId}/evidence`,
        expect: 'write',
        marker,
        reviewId: p.reviewId,
        actionId,
        detail: { withFile: true, file: describeFile(file) },
      },
      { token: p.token },
      { form },
    );
    if (answer && acknowledged(sent)) {
      sent.created = { evidenceId: num(answer.evidenceId) ?? null };
      if (sent.created.evidenceId) remember(ctx, p.reviewId, sent.created.evidenceId);
    }
    return;
  }
  if (op === 'rating') {
    const p = pick(rnd, crowd.assurers);
    const actionId = pick(rnd, p.actionIds);
    const marker = newMarker();
    const { sent, answer } = await send(
      ctx,
      {
        kind: 'rating decision',
        method: 'POST',
        path: `/api/reviews/${p.reviewId}/actions/${actionId}/rating`,
        expect: 'write',
        marker,
        reviewId: p.reviewId,
        actionId,
        detail: {},
      },
      { token: p.token },
      {
        json: {
          decision: 'agree',
          rating: pick(rnd, ['amber', 'red', 'green']),
          rationale: `Agreed at the group's meeting on the audit figures. [${marker}]`,
          overrideReason: 'The audit was presented at the meeting; the file follows.',
        },
      },
    );
    if (answer && acknowledged(sent))
      sent.created = { ratingEventId: num(answer.ratingEventId) ?? null, kind: String(answer.kind) };
    return;
  }
  if (op === 'evidenceDecision') {
    const p = pick(rnd, crowd.assurers);
    const waiting = ctx.undecided.get(p.reviewId) ?? [];
    if (waiting.length === 0) return;
    // Often the newest, so two people may decide on the same evidence at once: one must be refused.
    const evidenceId = rnd() < 0.5 ? (waiting.at(-1) as number) : pick(rnd, waiting);
    const decision = rnd() < 0.7 ? 'accept' : 'reject';
    const marker = decision === 'reject' ? newMarker() : null;
    const { sent } = await send(
      ctx,
      {
        kind: 'evidence decision',
        method: 'POST',
        path: `/api/reviews/${p.reviewId}/evidence/${evidenceId}/decision`,
        expect: 'maybe',
        marker,
        reviewId: p.reviewId,
        actionId: null,
        detail: { decision, evidenceId },
      },
      { token: p.token },
      { json: { decision, reason: marker ? `The file is for another month. [${marker}]` : '', version: 1 } },
    );
    if (acknowledged(sent)) {
      const list = ctx.undecided.get(p.reviewId) ?? [];
      const at = list.indexOf(evidenceId);
      if (at >= 0) list.splice(at, 1);
    }
    return;
  }
  if (op === 'edit' || op === 'stale') {
    const p = editor();
    const actionId = pick(rnd, p.editableActionIds);
    const path = `/api/reviews/${p.reviewId}/actions/${actionId}`;
    const read = await send(
      ctx,
      {
        kind: 'json: action (before an edit)',
        method: 'GET',
        path,
        expect: 'read',
        marker: null,
        reviewId: p.reviewId,
        actionId,
        detail: {},
      },
      { token: p.token },
    );
    const action = read.answer?.action as Record<string, unknown> | undefined;
    const version = num(action?.version);
    if (version === undefined || !read.etag) return;
    const edit = async (kind: Kind, expect: Expect, ifMatch: boolean): Promise<Sent> => {
      const marker = newMarker();
      const measure = `Audit of 20 records each month shows supervision within 3 months [${marker}]`;
      const { sent, answer } = await send(
        ctx,
        { kind, method: 'PATCH', path, expect, marker, reviewId: p.reviewId, actionId, detail: { measure, ifMatch } },
        { token: p.token },
        { json: ifMatch ? { measure } : { measure, version } },
        ifMatch ? { 'if-match': read.etag as string } : {},
      );
      const saved = answer?.action as Record<string, unknown> | undefined;
      if (acknowledged(sent)) sent.created = { version: num(saved?.version) };
      return sent;
    };
    // A fresh edit may meet someone else's save since the read: then 409 (or 412), and it must be absent.
    const first = await edit('action edit', 'maybe', rnd() < 0.3);
    // The version read before the first edit is stale once the first was saved or refused as
    // stale: the same edit sent again must be refused.
    if (op === 'stale' && (acknowledged(first) || first.status === 409 || first.status === 412)) {
      await edit('stale edit', 'stale', rnd() < 0.5);
    }
    return;
  }
  // Invalid posts: each must be refused with 400 and leave nothing behind.
  const p = editor();
  const actionId = pick(rnd, p.actionIds);
  const marker = newMarker();
  const variant = pick(rnd, ['progress dated tomorrow', 'evidence without its file', 'edit naming no such field']);
  const tomorrow = addDays(today, 1);
  const base = {
    kind: 'invalid post' as const,
    expect: 'invalid' as const,
    marker,
    reviewId: p.reviewId,
    actionId,
    detail: { variant },
  };
  if (variant === 'progress dated tomorrow') {
    await send(
      ctx,
      { ...base, method: 'POST', path: `/api/reviews/${p.reviewId}/actions/${actionId}/progress` },
      { token: p.token },
      { json: { progressOn: tomorrow, text: `Planned for tomorrow [${marker}]`, proposedRating: 'red' } },
    );
  } else if (variant === 'evidence without its file') {
    await send(
      ctx,
      { ...base, method: 'POST', path: `/api/reviews/${p.reviewId}/actions/${actionId}/evidence` },
      { token: p.token },
      { json: { kind: 'file', title: `No file [${marker}]`, effectiveOn: today } },
    );
  } else {
    await send(
      ctx,
      { ...base, method: 'PATCH', path: `/api/reviews/${p.reviewId}/actions/${actionId}` },
      { token: p.token },
      { json: { measure: `Never saved [${marker}]`, colour: 'red', version: 1 } },
    );
  }
}

function describeFile(file: EvidenceFile): { sha256: string; size: number; type: string } {
  return { sha256: createHash('sha256').update(file.bytes).digest('hex'), size: file.bytes.length, type: file.type };
}

function remember(ctx: MixContext, reviewId: number, evidenceId: number): void {
  const list = ctx.undecided.get(reviewId) ?? [];
  list.push(evidenceId);
  // Keep the list short: decisions go to recent evidence, as they would in a meeting.
  if (list.length > 50) list.shift();
  ctx.undecided.set(reviewId, list);
}
