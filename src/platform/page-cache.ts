import { randomBytes } from 'node:crypto';

/** What differs between two people's copies of the same page: filled in per response. */
export interface PageSlots {
  /** The CSP nonce of this response. */
  nonce: string;
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
const SLOT_NAMES: SlotName[] = ['nonce', 'csrf', 'user', 'confirmation', 'myWorkCount'];

interface Entry {
  /** Text pieces; between piece i and i+1 goes slot slots[i]. */
  pieces: Buffer[];
  slots: SlotName[];
  size: number;
}

/**
 * Rendered pages kept as bytes, least recently used first out, within a byte budget. A page
 * is rendered once with placeholders where each response differs (nonce, CSRF token, name,
 * confirmation banner, My work count)
 * and kept in pieces; serving it joins the pieces around this response's values.
 */
export class PageCache {
  /** Unguessable per process, so no user text can forge a placeholder. */
  readonly #secret = randomBytes(12).toString('hex');
  readonly placeholders: PageSlots = {
    nonce: `__clasp_nonce_${this.#secret}__`,
    csrf: `__clasp_csrf_${this.#secret}__`,
    user: `__clasp_user_${this.#secret}__`,
    confirmation: `__clasp_confirmation_${this.#secret}__`,
    myWorkCount: `__clasp_myWorkCount_${this.#secret}__`,
  };
  readonly #pattern = new RegExp(`__clasp_(${SLOT_NAMES.join('|')})_${this.#secret}__`, 'g');
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;

  constructor(readonly budgetBytes: number) {}

  /** The nonce placeholder, kept for callers that only vary the nonce. */
  get placeholder(): string {
    return this.placeholders.nonce;
  }

  get(key: string, values: PageSlots): Buffer | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return join(entry, values);
  }

  /** Stores a page rendered with `placeholders` and returns it filled in for this request. */
  set(key: string, html: string, values: PageSlots): Buffer {
    const entry = this.#split(html);
    if (entry.size <= this.budgetBytes) {
      this.#remove(key);
      this.#entries.set(key, entry);
      this.#bytes += entry.size;
      for (const [oldest, old] of this.#entries) {
        if (this.#bytes <= this.budgetBytes) break;
        this.#entries.delete(oldest);
        this.#bytes -= old.size;
      }
    }
    return join(entry, values);
  }

  get bytes(): number {
    return this.#bytes;
  }

  #split(html: string): Entry {
    const pieces: Buffer[] = [];
    const slots: SlotName[] = [];
    let last = 0;
    for (const match of html.matchAll(this.#pattern)) {
      pieces.push(Buffer.from(html.slice(last, match.index), 'utf8'));
      slots.push(match[1] as SlotName);
      last = match.index + match[0].length;
    }
    pieces.push(Buffer.from(html.slice(last), 'utf8'));
    return { pieces, slots, size: pieces.reduce((n, p) => n + p.length, 0) };
  }

  #remove(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#bytes -= entry.size;
  }
}

function join(entry: Entry, values: PageSlots): Buffer {
  const first = entry.pieces[0] ?? Buffer.alloc(0);
  if (entry.slots.length === 0) return first;
  const filled = Object.fromEntries(SLOT_NAMES.map((name) => [name, Buffer.from(values[name], 'utf8')])) as Record<
    SlotName,
    Buffer
  >;
  const out: Buffer[] = [first];
  entry.slots.forEach((slot, index) => {
    out.push(filled[slot], entry.pieces[index + 1] ?? Buffer.alloc(0));
  });
  return Buffer.concat(out);
}
