// The JSON API of a real server process (test/helpers/server-process.ts), as a script sees it:
// with a token made by `clasp token create`.
import assert from 'node:assert/strict';
import { runClasp, type ServerStore } from './server-process.ts';

export type Json = Record<string, unknown>;

export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: Json;
}

export class TokenApi {
  constructor(
    readonly base: string,
    private readonly token: string,
  ) {}

  /** Sends JSON (or a FormData as multipart) and reads the answer's JSON, if any. */
  async send(method: string, url: string, body?: unknown): Promise<ApiAnswer> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
    let payload: string | FormData | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const response = await fetch(`${this.base}${url}`, { method, headers, body: payload });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Json) : {} };
  }

  /** A GET that must answer 200. */
  async get(url: string): Promise<Json> {
    const answer = await this.send('GET', url);
    assert.equal(answer.status, 200, `GET ${url}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  /** The bytes of a file a person downloads. */
  async bytes(url: string): Promise<Buffer> {
    const response = await fetch(`${this.base}${url}`, { headers: { authorization: `Bearer ${this.token}` } });
    assert.equal(response.status, 200, `GET ${url}`);
    return Buffer.from(await response.arrayBuffer());
  }
}

/** A new API token of `email` on `store`, made with `clasp token create`. */
export async function makeToken(
  store: ServerStore,
  email: string,
  scope: 'read' | 'write' | 'admin',
  name = `test ${scope}`,
): Promise<string> {
  const made = await runClasp(store, ['token', 'create', '--email', email, '--name', name, '--scope', scope]);
  assert.equal(made.code, 0, `clasp token create: ${made.stdout}${made.stderr}`);
  const secret = /clasp_\S+/.exec(made.stdout)?.[0];
  assert.ok(secret, made.stdout);
  return secret;
}
