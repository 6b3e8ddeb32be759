import { randomBytes } from 'node:crypto';

/**
 * Rendered pages kept as bytes, least recently used first out, within a byte budget. Each
 * response needs its own CSP nonce, so a page is rendered once with a placeholder and kept
 * in pieces; serving it joins the pieces around the request's nonce.
 */
export class PageCache {
  /** Unguessable per process, so no user text can forge the placeholder. */
  readonly placeholder = `__clasp_nonce_${randomBytes(12).toString('hex')}__`;
  readonly #entries = new Map<string, Buffer[]>();
  #bytes = 0;

  constructor(readonly budgetBytes: number) {}

  get(key: string, nonce: string): Buffer | undefined {
    const parts = this.#entries.get(key);
    if (!parts) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, parts);
    return join(parts, nonce);
  }

  /** Stores a page rendered with `placeholder` as its nonce and returns it for this request. */
  set(key: string, html: string, nonce: string): Buffer {
    const parts = html.split(this.placeholder).map((piece) => Buffer.from(piece, 'utf8'));
    const size = parts.reduce((n, p) => n + p.length, 0);
    if (size <= this.budgetBytes) {
      this.#remove(key);
      this.#entries.set(key, parts);
      this.#bytes += size;
      for (const [oldest, oldParts] of this.#entries) {
        if (this.#bytes <= this.budgetBytes) break;
        this.#entries.delete(oldest);
        this.#bytes -= oldParts.reduce((n, p) => n + p.length, 0);
      }
    }
    return join(parts, nonce);
  }

  get bytes(): number {
    return this.#bytes;
  }

  #remove(key: string): void {
    const parts = this.#entries.get(key);
    if (!parts) return;
    this.#entries.delete(key);
    this.#bytes -= parts.reduce((n, p) => n + p.length, 0);
  }
}

function join(parts: Buffer[], nonce: string): Buffer {
  if (parts.length === 1) return parts[0] ?? Buffer.alloc(0);
  const nonceBytes = Buffer.from(nonce, 'utf8');
  const pieces: Buffer[] = [];
  parts.forEach((part, index) => {
    if (index > 0) pieces.push(nonceBytes);
    pieces.push(part);
  });
  return Buffer.concat(pieces);
}
