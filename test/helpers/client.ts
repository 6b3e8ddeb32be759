import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { TestSession } from './people.ts';

export interface FilePart {
  field: string;
  fileName: string;
  contentType: string;
  bytes: Uint8Array;
}

type Fields = Record<string, string | string[] | undefined>;

/**
 * Requests as one person would make them: their session cookie on every request and, on
 * forms, the CSRF token their pages carry (unless a test leaves it out on purpose).
 */
export class Client {
  constructor(
    readonly app: FastifyInstance,
    readonly session: TestSession | null = null,
  ) {}

  get headers(): Record<string, string> {
    return this.session ? { cookie: this.session.cookie } : {};
  }

  get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.app.inject({ method: 'GET', url, headers: { ...this.headers, ...headers } });
  }

  getJson(url: string): Promise<LightMyRequestResponse> {
    return this.get(url, { accept: 'application/json' });
  }

  postForm(url: string, fields: Fields, options: { csrf?: boolean } = {}): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams();
    if (options.csrf !== false && this.session) body.append('_csrf', this.session.csrf);
    for (const [name, value] of Object.entries(fields)) {
      for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) body.append(name, one);
    }
    return this.app.inject({
      method: 'POST',
      url,
      headers: { ...this.headers, 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.toString(),
    });
  }

  postMultipart(
    url: string,
    fields: Fields,
    files: FilePart[],
    options: { csrf?: boolean } = {},
  ): Promise<LightMyRequestResponse> {
    const boundary = `----clasp-test-${Math.random().toString(16).slice(2)}`;
    const chunks: Buffer[] = [];
    const add = (headers: string, content: Uint8Array | string) => {
      chunks.push(
        Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`, 'utf8'),
        Buffer.from(content),
        Buffer.from('\r\n'),
      );
    };
    const all: Fields = { ...(options.csrf !== false && this.session ? { _csrf: this.session.csrf } : {}), ...fields };
    for (const [name, value] of Object.entries(all)) {
      for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
        add(`Content-Disposition: form-data; name="${name}"`, one);
      }
    }
    for (const file of files) {
      add(
        `Content-Disposition: form-data; name="${file.field}"; ` +
          `filename="${file.fileName.replace(/"/g, '%22')}"\r\nContent-Type: ${file.contentType}`,
        file.bytes,
      );
    }
    chunks.push(Buffer.from(`--${boundary}--\r\n`));
    return this.app.inject({
      method: 'POST',
      url,
      headers: { ...this.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.concat(chunks),
    });
  }

  /** A JSON request to the API, with the CSRF header a script using a session cookie would send. */
  sendJson(
    method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    json: unknown,
    options: { csrf?: boolean } = {},
  ): Promise<LightMyRequestResponse> {
    return this.app.inject({
      method,
      url,
      headers: {
        ...this.headers,
        'content-type': 'application/json',
        ...(options.csrf !== false && this.session ? { 'x-csrf-token': this.session.csrf } : {}),
      },
      payload: JSON.stringify(json),
    });
  }
}
