import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from './app.ts';

/**
 * Sends a public form (sign-in, password reset) as a browser would: open `formUrl` for the
 * anonymous CSRF cookie and the token in its form, then post `fields` to `postUrl`.
 */
export async function postPublicForm(
  t: TestApp,
  formUrl: string,
  postUrl: string,
  fields: Record<string, string>,
): Promise<LightMyRequestResponse> {
  const form = await t.app.inject(formUrl);
  const cookie = form.cookies.find((c) => c.name === 'clasp_csrf');
  const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
  assert.ok(cookie && token, `${formUrl} sets an anonymous CSRF cookie and carries its token`);
  return t.app.inject({
    method: 'POST',
    url: postUrl,
    headers: { cookie: `clasp_csrf=${cookie.value}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: token, ...fields }).toString(),
  });
}

/** The messages in the outbox by file name (oldest first), with quoted-printable soft breaks undone. */
export function outbox(dataDir: string): Map<string, string> {
  const dir = path.join(dataDir, 'outbox');
  if (!fs.existsSync(dir)) return new Map();
  return new Map(
    fs
      .readdirSync(dir)
      .sort()
      .map((f) => [
        f,
        fs
          .readFileSync(path.join(dir, f), 'utf8')
          .replace(/=\r?\n/g, '')
          .replace(/=3D/g, '='),
      ]),
  );
}

/** The path of the set-password link in a message. */
export function linkIn(message: string): string {
  const match = /http:\/\/[^/\s]+(\/reset-password\/[\w-]+)/.exec(message);
  assert.ok(match, 'the message has a link');
  return match[1] as string;
}
