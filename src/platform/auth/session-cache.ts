import { performance } from 'node:perf_hooks';
import type { KyselyPlugin, OperationNode, PluginTransformQueryArgs, PluginTransformResultArgs } from 'kysely';

/*
 * Sessions resolved from memory for a few seconds, so a page does not start with a query.
 *
 * An entry is forgotten:
 * - at once on this process, by any write through its database handle to a session (other
 *   than its last-seen time), an account or a membership (sessionWritesPlugin);
 * - within about a second on every other process sharing the database, which reads the
 *   changes the database records itself (session_changes, written by triggers) once a second;
 * - after `ttlMs` whatever happens.
 *
 * The cache answers only while those reads of the changes succeed: when the database has not
 * been read for a few seconds, every request looks its session up again.
 */

/** What a cached entry must say: whose session it is. */
export interface CacheableSession {
  user_id: number;
}

interface Entry<T> {
  session: T;
  /** performance.now() after which the entry is not used. */
  until: number;
}

export interface SessionCacheOptions {
  /** How long an entry is used, in milliseconds; 0 turns the cache off. */
  ttlMs: number;
  /** How many sessions are kept at most (the oldest go first). */
  maxEntries?: number;
  /** How long after the last successful read of the changes the cache may still answer. */
  healthyForMs?: number;
}

export class SessionCache<T extends CacheableSession> {
  readonly #entries = new Map<string, Entry<T>>();
  readonly ttlMs: number;
  readonly #maxEntries: number;
  readonly #healthyForMs: number;
  /** Bumped on every forgetting: a lookup begun before it may not keep what it read. */
  #generation = 0;
  /** performance.now() until which the cache may answer (the changes were read recently). */
  #healthyUntil = 0;

  constructor(options: SessionCacheOptions) {
    this.ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#healthyForMs = options.healthyForMs ?? 3_000;
  }

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  /** The generation to give back to `set`, taken before the database is read. */
  get generation(): number {
    return this.#generation;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The session kept under this key, while it is fresh and the changes are being read. */
  get(key: string): T | undefined {
    if (!this.enabled) return undefined;
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    const now = performance.now();
    if (entry.until <= now || this.#healthyUntil <= now) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.session;
  }

  /** Keeps a session read from the database, unless anything was forgotten since the read began. */
  set(key: string, session: T, generation: number): void {
    if (!this.enabled || generation !== this.#generation) return;
    this.#entries.delete(key);
    this.#entries.set(key, { session, until: performance.now() + this.ttlMs });
    if (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }

  /** Replaces a kept session in place (its last-seen time was written), keeping its age. */
  update(key: string, session: T): void {
    const entry = this.#entries.get(key);
    if (entry) entry.session = session;
  }

  forget(key: string): void {
    this.#generation++;
    this.#entries.delete(key);
  }

  forgetUser(userId: number): void {
    this.#generation++;
    for (const [key, entry] of this.#entries) {
      if (entry.session.user_id === userId) this.#entries.delete(key);
    }
  }

  forgetAll(): void {
    this.#generation++;
    this.#entries.clear();
  }

  /** The changes were read just now: the cache may answer for a while. */
  changesRead(): void {
    this.#healthyUntil = performance.now() + this.#healthyForMs;
  }

  /** The changes could not be read: nothing is answered from memory until they are again. */
  changesUnread(): void {
    this.#healthyUntil = 0;
    this.forgetAll();
  }
}

/** The tables whose rows a resolved session is made of. */
const SESSION_TABLES = new Set(['sessions', 'users', 'memberships']);

function tableName(node: OperationNode | undefined): string | undefined {
  if (!node) return undefined;
  if (node.kind === 'AliasNode') return tableName((node as unknown as { node: OperationNode }).node);
  if (node.kind === 'TableNode')
    return (node as unknown as { table: { identifier: { name: string } } }).table.identifier.name;
  return undefined;
}

/** Whether a query may change what a session resolves to. */
export function changesSessions(node: OperationNode): boolean {
  switch (node.kind) {
    case 'InsertQueryNode': {
      // A new session changes no other; a new account has none yet; a new membership changes its person's.
      return tableName((node as unknown as { into?: OperationNode }).into) === 'memberships';
    }
    case 'UpdateQueryNode': {
      const update = node as unknown as {
        table?: OperationNode;
        updates?: readonly { column: { column: { name: string } } }[];
      };
      const table = tableName(update.table);
      if (!table || !SESSION_TABLES.has(table)) return false;
      // Writing a session's last-seen time changes nothing it resolves to.
      return !(table === 'sessions' && update.updates?.every((u) => u.column.column.name === 'last_seen_at'));
    }
    case 'DeleteQueryNode': {
      const froms = (node as unknown as { from?: { froms: readonly OperationNode[] } }).from?.froms ?? [];
      return froms.some((f) => SESSION_TABLES.has(tableName(f) ?? ''));
    }
    default:
      return false;
  }
}

/**
 * A Kysely plugin that forgets every cached session when a query through it writes to a
 * session, an account or a membership: before the query runs (so no lookup under way keeps
 * what it read) and after it (so nothing read meanwhile stays).
 */
export function sessionWritesPlugin(forget: () => void): KyselyPlugin {
  const writing = new WeakSet<object>();
  return {
    transformQuery(args: PluginTransformQueryArgs) {
      if (changesSessions(args.node)) {
        writing.add(args.queryId);
        forget();
      }
      return args.node;
    },
    transformResult(args: PluginTransformResultArgs) {
      if (writing.has(args.queryId)) forget();
      return Promise.resolve(args.result);
    },
  };
}
