import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync, gzipSync } from 'node:zlib';
import { PageCache, type PageSlots } from './page-cache.ts';

const n: PageSlots = { csrf: 'c', user: 'u', confirmation: '', myWorkCount: '' };

test('PageCache serves a stored page with each request its own CSRF token and name', () => {
  const cache = new PageCache(1000);
  const p = cache.placeholders;
  const html = `<script>a</script><input value="${p.csrf}"><span>${p.user}</span><input value="${p.csrf}">`;
  assert.equal(
    cache.set('k', html, { ...n, csrf: 'tok1', user: 'Ann' }).toString(),
    '<script>a</script><input value="tok1"><span>Ann</span><input value="tok1">',
  );
  assert.equal(
    cache.get('k', { ...n, csrf: 'tok2', user: 'Bob &amp; Co' })?.toString(),
    '<script>a</script><input value="tok2"><span>Bob &amp; Co</span><input value="tok2">',
  );
  assert.equal(cache.get('other', n), undefined);
});

test('PageCache placeholders differ per process, so page text cannot forge one', () => {
  const a = new PageCache(10);
  const b = new PageCache(10);
  assert.notEqual(a.placeholders.csrf, b.placeholders.csrf);
  assert.equal(a.set('k', `x${b.placeholders.csrf}y`, n).toString(), `x${b.placeholders.csrf}y`);
});

test('PageCache drops the least recently used pages to stay within its budget', () => {
  const cache = new PageCache(10);
  cache.set('a', 'aaaa', n);
  cache.set('b', 'bbbb', n);
  cache.get('a', n); // a is now the most recent
  cache.set('c', 'cccc', n); // 12 bytes: b goes
  assert.equal(cache.get('b', n), undefined);
  assert.equal(cache.get('a', n)?.toString(), 'aaaa');
  assert.equal(cache.get('c', n)?.toString(), 'cccc');
  assert.equal(cache.bytes, 8);
});

test('PageCache never keeps a page larger than its budget, but still returns it', () => {
  const cache = new PageCache(3);
  assert.equal(cache.set('big', 'too big', n).toString(), 'too big');
  assert.equal(cache.get('big', n), undefined);
  assert.equal(cache.bytes, 0);
});

test('PageCache replacing a key does not count it twice', () => {
  const cache = new PageCache(100);
  cache.set('k', '12345', n);
  cache.set('k', '123', n);
  assert.equal(cache.bytes, 3);
});

test('PageCache fills the confirmation banner and the My work count per response', () => {
  const cache = new PageCache(1000);
  const p = cache.placeholders;
  const html = `<a>My work${p.myWorkCount}</a><main>${p.confirmation}<h1>Page</h1></main>`;
  assert.equal(cache.set('k', html, n).toString(), '<a>My work</a><main><h1>Page</h1></main>');
  assert.equal(
    cache.get('k', { ...n, confirmation: '<div>Saved</div>', myWorkCount: ' (3)' })?.toString(),
    '<a>My work (3)</a><main><div>Saved</div><h1>Page</h1></main>',
  );
});

test('PageCache sends a kept page as gzip made from its pieces, with this response’s values as they are', () => {
  const cache = new PageCache(1_000_000);
  const p = cache.placeholders;
  const body = 'A plan of recommendations and actions. '.repeat(200);
  const html = `<script></script><b>${p.user}</b><main>${p.confirmation}${body}</main>${p.csrf}`;
  const kept = cache.keep('k', html);
  const before = cache.bytes;
  const values = { ...n, user: 'Ann &amp; Bo', csrf: 'x'.repeat(70_000), confirmation: '<p>Saved</p>' };
  const gzip = kept.gzip(values);
  if (!gzip) return; // a Node without zlib.crc32 sends the page for the hook to compress
  assert.equal(gunzipSync(gzip).toString(), kept.fill(values).toString());
  assert.ok(gzip.length < 75_000, 'the page compressed, the 70,000-byte value stored as it is');
  assert.ok(cache.bytes > before, 'the compressed pieces count against the budget');
  const empty = cache.keep('empty', '');
  assert.equal(gunzipSync(empty.gzip(n) ?? Buffer.alloc(0)).toString(), '');
});

test('PageCache gzip refers back across same-length slots, and reads right whatever fills them', () => {
  const cache = new PageCache(1_000_000);
  const p = cache.placeholders;
  const form = (i: number) =>
    `<form method="post" action="/reviews/1/actions/${i}/move"><input type="hidden" name="_csrf" value="${p.csrf}">` +
    `<button class="nhsuk-button nhsuk-button--secondary">Move action ${i} up</button></form>\n`;
  const forms = Array.from({ length: 40 }, (_, i) => form(i)).join('');
  const html = `<script></script><b>${p.user}</b>${forms}`;
  const kept = cache.keep('forms', html);
  const first = { ...n, csrf: 'b'.repeat(43), user: 'Ann' };
  const gzip = kept.gzip(first);
  if (!gzip) return;
  assert.equal(gunzipSync(gzip).toString(), kept.fill(first).toString());
  // Each form compressed on its own would be some 130 bytes; referring back, the piece is a few dozen.
  const alone = kept.pieces.reduce((bytes, piece) => bytes + gzipSync(piece, { level: 9 }).length - 18, 0);
  const slots = 40 * (43 + 5);
  assert.ok(gzip.length - slots < alone / 3, `${gzip.length - slots} bytes of pieces against ${alone} alone`);
  // Another response: other values of the same lengths, and another name.
  const second = { ...n, csrf: 'Zz_-'.repeat(10) + 'xyz', user: 'Bartholomew' };
  assert.equal(gunzipSync(kept.gzip(second) ?? Buffer.alloc(0)).toString(), kept.fill(second).toString());
  // A token of another length cannot go where the pieces expect 43 bytes: the caller compresses per response.
  assert.equal(kept.gzip({ ...second, csrf: 'short' }), null);
});
