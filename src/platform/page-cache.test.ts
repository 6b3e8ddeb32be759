import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PageCache, type PageSlots } from './page-cache.ts';

const n: PageSlots = { nonce: 'n', csrf: 'c', user: 'u', confirmation: '', myWorkCount: '' };

test('PageCache serves a stored page with each request its own nonce, CSRF token and name', () => {
  const cache = new PageCache(1000);
  const p = cache.placeholders;
  const html =
    `<script nonce="${p.nonce}">a</script><input value="${p.csrf}"><span>${p.user}</span><script ` +
    `nonce="${p.nonce}">b</script>`;
  assert.equal(
    cache.set('k', html, { ...n, nonce: 'first', csrf: 'tok1', user: 'Ann' }).toString(),
    '<script nonce="first">a</script><input value="tok1"><span>Ann</span><script nonce="first">b</script>',
  );
  assert.equal(
    cache.get('k', { ...n, nonce: 'second', csrf: 'tok2', user: 'Bob &amp; Co' })?.toString(),
    '<script nonce="second">a</script><input value="tok2"><span>Bob &amp; Co</span><script nonce="second">b</script>',
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
