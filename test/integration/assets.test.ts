import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { createGroup, createOrganisation, createRecommendation, createReview } from '../helpers/factories.ts';
import { addMember, createUser, sessionFor, type TestSession } from '../helpers/people.ts';

/*
 * What travels between Clasp and a browser, over a real socket: pages and files compressed as
 * the browser asks (Brotli, gzip or neither), files kept by fingerprinted address, ETag and 304,
 * and nothing that would make a page load from another origin.
 */

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The bytes as they came, still compressed. */
  raw: Buffer;
  /** The bytes after undoing Content-Encoding. */
  body: Buffer;
}

/** A browser on one of Clasp's own pages asks for another (Sec-Fetch-Site: same-origin). */
const FROM_CLASP = { 'sec-fetch-site': 'same-origin' };

function decode(raw: Buffer, encoding: string | undefined): Buffer {
  if (encoding === 'br') return zlib.brotliDecompressSync(raw);
  if (encoding === 'gzip') return zlib.gunzipSync(raw);
  assert.equal(encoding, undefined, 'no coding other than br or gzip');
  return raw;
}

for (const target of databaseTargets) {
  describe(`compression, caching and a self-contained page, on ${target.name}`, () => {
    let t: TestApp;
    let base: string;
    let session: TestSession;
    let reviewId: number;

    function get(path: string, headers: Record<string, string> = {}, signedIn = true): Promise<Answer> {
      return new Promise((resolve, reject) => {
        const cookie: Record<string, string> = signedIn ? { cookie: session.cookie } : {};
        http
          .get(`${base}${path}`, { headers: { ...cookie, ...headers } }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('error', reject);
            res.on('end', () => {
              const raw = Buffer.concat(chunks);
              const encoding = res.headers['content-encoding'];
              resolve({ status: res.statusCode ?? 0, headers: res.headers, raw, body: decode(raw, encoding) });
            });
          })
          .on('error', reject);
      });
    }

    /** The addresses of the page's stylesheets, scripts, icons and manifest. */
    const linked = (html: string) =>
      [...html.matchAll(/<(?:link|script)\b[^>]*\b(?:href|src)="([^"]+)"/g)].map((m) => m[1] ?? '');

    before(async () => {
      t = await startTestApp(target);
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
      const organisationId = await createOrganisation(t.database.db, { name: 'Testshire Council' });
      reviewId = await createReview(t.database.db, { coveredOrganisationIds: [organisationId] });
      const groupId = await createGroup(t.database.db, reviewId, 1, [organisationId]);
      for (let n = 1; n <= 12; n++) {
        await createRecommendation(t.database.db, {
          reviewId,
          groupId,
          number: `1.${n}`,
          text: `Make sure that every child looked after has a health assessment on time (${n}).`,
        });
      }
      const userId = await createUser(t.database.db, { name: 'Cora Coordinator' });
      await addMember(t.database.db, { userId, reviewId, organisationId, role: 'coordinator' });
      session = await sessionFor(t.database.db, userId);
    });
    after(() => t.close());

    it('sends a kept page and a page made per request as Brotli, gzip or as it is, as the browser asks', async () => {
      for (const path of [`/reviews/${reviewId}`, '/reviews']) {
        const plain = await get(path, FROM_CLASP);
        assert.equal(plain.status, 200, path);
        assert.equal(plain.headers['content-encoding'], undefined, `${path}: no Accept-Encoding, sent as it is`);
        assert.ok(plain.raw.length > 1024, `${path} is large enough to compress`);
        assert.match(String(plain.headers.vary), /Accept-Encoding/i, path);
        assert.equal(plain.headers['cache-control'], 'no-store', `${path} names people: kept nowhere`);
        assert.equal(plain.headers.etag, undefined, `${path}: no ETag on a page`);
        const text = plain.body.toString('utf8');

        for (const [accept, expected] of [
          ['br', 'br'],
          ['gzip', 'gzip'],
          ['gzip, deflate, br, zstd', undefined],
          ['br;q=0.5, gzip;q=0.8', 'gzip'],
          ['gzip;q=0.2, br', 'br'],
          ['br;q=0, gzip;q=0', null],
          ['identity', null],
          ['*', undefined],
        ] as const) {
          const res = await get(path, { ...FROM_CLASP, 'accept-encoding': accept });
          const encoding = res.headers['content-encoding'];
          if (expected === null) assert.equal(encoding, undefined, `${path} for "${accept}"`);
          else if (expected) assert.equal(encoding, expected, `${path} for "${accept}"`);
          else assert.ok(encoding === 'br' || encoding === 'gzip', `${path} for "${accept}": ${String(encoding)}`);
          assert.match(String(res.headers.vary), /Accept-Encoding/i);
          if (encoding) assert.ok(res.raw.length < plain.raw.length / 2, `${path} for "${accept}" is half or less`);
          assert.equal(res.body.toString('utf8'), text, `${path} for "${accept}" reads the same`);
        }
      }
    });

    it('sends a page unencoded when another site asked for it, so its length tells that site nothing', async () => {
      for (const site of ['cross-site', 'same-site']) {
        const res = await get(`/reviews/${reviewId}`, { 'sec-fetch-site': site, 'accept-encoding': 'br, gzip' });
        assert.equal(res.status, 200);
        assert.equal(res.headers['content-encoding'], undefined, site);
      }
      // Typed into the address bar or opened from a bookmark: the person's own request.
      const own = await get(`/reviews/${reviewId}`, { 'sec-fetch-site': 'none', 'accept-encoding': 'br, gzip' });
      assert.ok(own.headers['content-encoding']);
      // Without a cookie no site can have asked on someone's behalf: the sign-in page is compressed.
      const signIn = await get('/sign-in', { 'accept-encoding': 'br' }, false);
      assert.equal(signIn.headers['content-encoding'], 'br');
    });

    it('keeps each response its own values in a kept page sent as gzip', async () => {
      const first = await get(`/reviews/${reviewId}`, { ...FROM_CLASP, 'accept-encoding': 'gzip' });
      const second = await get(`/reviews/${reviewId}`, { ...FROM_CLASP, 'accept-encoding': 'gzip' });
      assert.equal(second.body.toString('utf8'), first.body.toString('utf8'), "no value of its own but the person's");
      for (const res of [first, second]) {
        const html = res.body.toString('utf8');
        assert.doesNotMatch(html, /nonce=|__clasp_/);
        assert.ok(html.includes(`name="_csrf" value="${session.csrf}"`), 'and the CSRF token of the person');
        assert.match(html, /Cora Coordinator/);
      }
    });

    it('serves files by fingerprinted address, compressed once, kept for a year, with ETag and 304', async () => {
      const page = (await get(`/reviews/${reviewId}`, FROM_CLASP)).body.toString('utf8');
      const files = linked(page);
      for (const plain of [
        '/assets/nhsuk-frontend.min.css',
        '/assets/nhsuk-frontend.min.js',
        '/static/clasp.css',
        '/static/ratings.css',
        '/static/idle-warning.js',
        '/assets/images/favicon.ico',
        '/assets/manifest.json',
      ]) {
        const [stem = '', extension = ''] = /^(.*)(\.[a-z]+)$/.exec(plain)?.slice(1) ?? [];
        assert.ok(
          files.some((f) => new RegExp(`^${stem}\\.[0-9a-f]{16}\\${extension}$`).test(f)),
          `${plain} is linked by its fingerprinted address: ${files.join(' ')}`,
        );
      }
      assert.ok(
        files.every((f) => /\.[0-9a-f]{16}\.[a-z]+$/.test(f)),
        `every file is linked by fingerprint: ${files.join(' ')}`,
      );

      const css = files.find((f) => f.startsWith('/assets/nhsuk-frontend.min.')) ?? '';
      const plain = await get(css);
      assert.equal(plain.status, 200);
      assert.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.match(String(plain.headers['content-type']), /^text\/css/);
      assert.match(String(plain.headers.vary), /Accept-Encoding/i);
      assert.equal(plain.headers['content-encoding'], undefined);
      for (const encoding of ['br', 'gzip']) {
        const res = await get(css, { 'accept-encoding': encoding });
        assert.equal(res.headers['content-encoding'], encoding);
        assert.ok(res.raw.length < plain.raw.length / 8, `${encoding}: ${res.raw.length} bytes`);
        assert.ok(res.body.equals(plain.body), `${encoding} decompresses to the same stylesheet`);
        assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');

        const etag = String(res.headers.etag);
        assert.match(etag, /^"[0-9a-f]{16}-(br|gzip)"$/);
        const again = await get(css, { 'accept-encoding': encoding, 'if-none-match': etag });
        assert.equal(again.status, 304);
        assert.equal(again.raw.length, 0);
        assert.equal(again.headers.etag, etag);
        assert.equal(again.headers['cache-control'], 'public, max-age=31536000, immutable');
        const changed = await get(css, { 'accept-encoding': encoding, 'if-none-match': '"0000000000000000"' });
        assert.equal(changed.status, 200);
      }

      // The plain address still works, kept for an hour and checked again with its ETag.
      const old = await get('/assets/nhsuk-frontend.min.css', { 'accept-encoding': 'br' });
      assert.equal(old.status, 200);
      assert.equal(old.headers['cache-control'], 'public, max-age=3600');
      assert.ok(old.body.equals(plain.body));
      assert.equal(
        (await get('/assets/nhsuk-frontend.min.css', { 'if-none-match': String(old.headers.etag) })).status,
        304,
      );
      // A fingerprint of another content gets today's file, not kept for good.
      const stale = await get(css.replace(/\.[0-9a-f]{16}\./, '.0123456789abcdef.'));
      assert.equal(stale.status, 200);
      assert.equal(stale.headers['cache-control'], 'public, max-age=3600');
      assert.equal((await get('/assets/nhsuk-frontend.min.0123456789abcdef.map')).status, 404);
      assert.equal((await get('/assets/../package.json')).status, 404);
      assert.equal((await get('/static/missing.css')).status, 404);
    });

    it('sends small files, images and downloads as they are', async () => {
      const page = (await get(`/reviews/${reviewId}`, FROM_CLASP)).body.toString('utf8');
      const files = linked(page);
      const ratings = files.find((f) => f.startsWith('/static/ratings.')) ?? '';
      const small = await get(ratings, { 'accept-encoding': 'br, gzip' });
      assert.equal(small.status, 200);
      assert.ok(small.raw.length < 1024, 'the rating colours are under 1 KB');
      assert.equal(small.headers['content-encoding'], undefined);
      const icon = files.find((f) => f.endsWith('.png')) ?? '';
      const png = await get(icon, { 'accept-encoding': 'br, gzip' });
      assert.equal(png.status, 200);
      assert.equal(png.headers['content-encoding'], undefined, 'a PNG is compressed already');
      const word = await get(`/reviews/${reviewId}/documents/plan/docx`, {
        ...FROM_CLASP,
        'accept-encoding': 'br, gzip',
      });
      assert.equal(word.status, 200);
      assert.equal(word.headers['content-encoding'], undefined, 'a Word file is compressed already');
      assert.equal(word.raw.subarray(0, 2).toString('latin1'), 'PK');
    });

    it('lets a page load only from Clasp itself: no other host, no https: source, no font from elsewhere', async () => {
      for (const path of [`/reviews/${reviewId}`, '/reviews', '/sign-in']) {
        const res = await get(path, FROM_CLASP, path !== '/sign-in');
        const csp = String(res.headers['content-security-policy']);
        assert.match(csp, /default-src 'self'/, path);
        assert.doesNotMatch(csp, /https?:|\*|\/\/|nhs\.uk/, `${path}: ${csp}`);
        const fonts = /font-src ([^;]*)/.exec(csp)?.[1];
        assert.ok(fonts === undefined || fonts.trim() === "'self'", `${path}: font-src ${String(fonts)}`);
        const html = res.body.toString('utf8');
        const elsewhere = linked(html).filter((f) => !f.startsWith('/'));
        assert.deepEqual(elsewhere, [], `${path} links nothing on another origin`);
      }
      const page = (await get(`/reviews/${reviewId}`, FROM_CLASP)).body.toString('utf8');
      for (const file of linked(page).filter((f) => /\.(css|js|json)$/.test(f))) {
        const text = (await get(file, { 'accept-encoding': 'br' })).body.toString('utf8');
        assert.doesNotMatch(text, /https?:\/\//, `${file} names no other origin`);
        assert.doesNotMatch(text, /url\(\s*["']?\/\//, `${file} has no protocol-relative url()`);
        assert.doesNotMatch(text, /Frutiger/, `${file} asks for no Frutiger font`);
        for (const fontFace of text.match(/@font-face\s*\{[^}]*\}/g) ?? []) {
          assert.doesNotMatch(fontFace, /url\(\s*["']?[a-z]+:/i, `${file}: ${fontFace}`);
        }
        // Images named by the stylesheet are Clasp's own, by fingerprint.
        for (const [, address = ''] of text.matchAll(/url\(\s*["']?([^)"']+)/g)) {
          assert.match(address, /^\/assets\/images\/[\w-]+\.[0-9a-f]{16}\.svg$/, `${file}: url(${address})`);
          assert.equal((await get(address)).status, 200, address);
        }
      }
      const css = linked(page).find((f) => f.startsWith('/assets/nhsuk-frontend.min.')) ?? '';
      const styles = (await get(css)).body.toString('utf8');
      assert.match(styles, /font-family:arial,sans-serif/, "the design system's fallback stack");
    });

    it('signs out from the header in one step, with the CSRF token, and links the service pages', async () => {
      const html = (await get(`/reviews/${reviewId}`, FROM_CLASP)).body.toString('utf8');
      const header = /<header[\s\S]*?<\/header>/.exec(html)?.[0] ?? '';
      const form =
        /<form class="nhsuk-header__account-form" action="\/sign-out" method="post"[^>]*>([\s\S]*?)<\/form>/.exec(
          header,
        );
      assert.ok(form, 'the header has a sign-out form');
      assert.ok(form[1]?.includes(`<input type="hidden" name="_csrf" value="${session.csrf}">`));
      assert.match(form[1] ?? '', /<button class="nhsuk-header__account-button" type="submit">Sign out<\/button>/);
      assert.doesNotMatch(header, /href="\/sign-out"/, 'no link to a second step');
      const footer = /<footer[\s\S]*?<\/footer>/.exec(html)?.[0] ?? '';
      const links = [...footer.matchAll(/<a [^>]*href="([^"]+)"[^>]*>([^<]+)<\/a>/g)].map((m) => `${m[2]} ${m[1]}`);
      assert.deepEqual(links, [
        'Accessibility statement /accessibility',
        'Privacy notice /privacy',
        'Cookies /cookies',
        'Help and contact /help',
        'Service status /status',
      ]);
    });
  });
}
