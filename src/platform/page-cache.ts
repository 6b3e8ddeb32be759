import { randomBytes } from 'node:crypto';
import { canJoinGzip, compressPieces, joinGzip } from './http/gzip-pieces.ts';

/** What differs between two people's copies of the same page: filled in per response. */
export interface PageSlots {
  /** The signed-in person's CSRF token (or the anonymous one). */
  csrf: string;
  /** The signed-in person's name, already escaped for HTML. */
  user: string;
  /** The banner confirming the person's last change ("Version 9 issued"), as HTML, or empty. */
  confirmation: string;
  /** The person's count of My work items for the header, as " (3)", or empty. */
  myWorkCount: string;
}

type SlotName = keyof PageSlots;
const SLOT_NAMES: SlotName[] = ['csrf', 'user', 'confirmation', 'myWorkCount'];
/** Slots whose values are the same length in every response: a 43-character token. */
const SAME_LENGTH: readonly SlotName[] = ['csrf'];

/**
 * A page kept in pieces, with a slot between each two; filled in per response, as it is or as
 * gzip put together from the pieces compressed once (gzip-pieces.ts).
 */
export class KeptPage {
  /** The pieces compressed, made the first time a response is sent as gzip. */
  #gzipPieces: Buffer[] | null = null;
  /** The lengths of the same-length slots' values the compressed pieces were made for. */
  #slotLengths: Partial<Record<SlotName, number>> = {};

  constructor(
    /** Where the cache keeps it. */
    readonly key: string,
    /** Text pieces; between piece i and i + 1 goes slot slots[i]. */
    readonly pieces: Buffer[],
    readonly slots: SlotName[],
    /** Told how many bytes the compressed pieces add, so the cache can count them. */
    private readonly grew: (page: KeptPage, bytes: number) => void,
  ) {}

  /** Bytes the page holds: its pieces, and their compressed copies once made. */
  get size(): number {
    return sum(this.pieces) + (this.#gzipPieces ? sum(this.#gzipPieces) : 0);
  }

  /** Bytes of the page without this response's values: what it weighs as sent, near enough. */
  get textBytes(): number {
    return sum(this.pieces);
  }

  /** The page with this response's values. */
  fill(values: PageSlots): Buffer {
    const first = this.pieces[0] ?? Buffer.alloc(0);
    if (this.slots.length === 0) return first;
    const filled = slotBytes(values);
    const out: Buffer[] = [first];
    this.slots.forEach((slot, index) => {
      out.push(filled[slot], this.pieces[index + 1] ?? Buffer.alloc(0));
    });
    return Buffer.concat(out);
  }

  /**
   * The page with this response's values as gzip, or null where it cannot be put together: on
   * a Node without zlib.crc32, or for values of another length than the first response's.
   */
  gzip(values: PageSlots): Buffer | null {
    if (!canJoinGzip) return null;
    const filled = slotBytes(values);
    if (!this.#gzipPieces) {
      for (const slot of SAME_LENGTH) this.#slotLengths[slot] = filled[slot].length;
      this.#gzipPieces = compressPieces(
        this.pieces,
        this.slots.map((slot) => this.#slotLengths[slot] ?? null),
      );
      this.grew(this, sum(this.#gzipPieces));
    }
    if (SAME_LENGTH.some((slot) => this.slots.includes(slot) && filled[slot].length !== this.#slotLengths[slot])) {
      return null;
    }
    return joinGzip(
      this.pieces,
      this.#gzipPieces,
      this.slots.map((slot) => filled[slot]),
    );
  }
}

/**
 * Rendered pages kept as bytes, least recently used first out, within a byte budget. A page
 * is rendered once with placeholders where each response differs (CSRF token, name,
 * confirmation banner, My work count)
 * and kept in pieces; serving it joins the pieces around this response's values.
 */
export class PageCache {
  /** Unguessable per process, so no user text can forge a placeholder. */
  readonly #secret = randomBytes(12).toString('hex');
  readonly placeholders: PageSlots = {
    csrf: `__clasp_csrf_${this.#secret}__`,
    user: `__clasp_user_${this.#secret}__`,
    confirmation: `__clasp_confirmation_${this.#secret}__`,
    myWorkCount: `__clasp_myWorkCount_${this.#secret}__`,
  };
  readonly #pattern = new RegExp(`__clasp_(${SLOT_NAMES.join('|')})_${this.#secret}__`, 'g');
  readonly #entries = new Map<string, KeptPage>();
  #bytes = 0;

  constructor(readonly budgetBytes: number) {}

  /** The page kept under `key`, now the most recently used, or undefined. */
  find(key: string): KeptPage | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry;
  }

  /** Keeps a page rendered with `placeholders` (unless it is larger than the whole budget) and returns it. */
  keep(key: string, html: string): KeptPage {
    const entry = this.#split(key, html);
    this.#remove(key);
    if (entry.size <= this.budgetBytes) {
      this.#entries.set(key, entry);
      this.#bytes += entry.size;
      this.#evict();
    }
    return entry;
  }

  get(key: string, values: PageSlots): Buffer | undefined {
    return this.find(key)?.fill(values);
  }

  /** Stores a page rendered with `placeholders` and returns it filled in for this request. */
  set(key: string, html: string, values: PageSlots): Buffer {
    return this.keep(key, html).fill(values);
  }

  get bytes(): number {
    return this.#bytes;
  }

  #grew = (page: KeptPage, bytes: number): void => {
    if (this.#entries.get(page.key) !== page) return;
    this.#bytes += bytes;
    this.#evict();
  };

  #evict(): void {
    for (const [oldest, old] of this.#entries) {
      if (this.#bytes <= this.budgetBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= old.size;
    }
  }

  #split(key: string, html: string): KeptPage {
    const pieces: Buffer[] = [];
    const slots: SlotName[] = [];
    let last = 0;
    for (const match of html.matchAll(this.#pattern)) {
      pieces.push(Buffer.from(html.slice(last, match.index), 'utf8'));
      slots.push(match[1] as SlotName);
      last = match.index + match[0].length;
    }
    pieces.push(Buffer.from(html.slice(last), 'utf8'));
    return new KeptPage(key, pieces, slots, this.#grew);
  }

  #remove(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#bytes -= entry.size;
  }
}

function sum(buffers: readonly Buffer[]): number {
  return buffers.reduce((n, b) => n + b.length, 0);
}

function slotBytes(values: PageSlots): Record<SlotName, Buffer> {
  return Object.fromEntries(SLOT_NAMES.map((name) => [name, Buffer.from(values[name], 'utf8')])) as Record<
    SlotName,
    Buffer
  >;
}
