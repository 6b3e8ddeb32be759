/**
 * A small least-recently-used cache of analysed plans. Entries are keyed by the review's
 * plan_revision (bumped by the database on every change to the plan), today's date and the
 * settings the analysis depends on, so a stale entry is never read: it is simply never asked for
 * again and ages out.
 */
export class PlanCache<T> {
  readonly #entries = new Map<string, T>();

  constructor(readonly capacity: number) {}

  get(key: string): T | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      // Map keeps insertion order: re-inserting marks the entry as most recently used.
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: T): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    while (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
