import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PageCache } from './page-cache.ts';

test('PageCache serves a stored page with each request its own nonce', () => {
  const cache = new PageCache(1000);
  const html = `<script nonce="${cache.placeholder}">a</script><script nonce="${cache.placeholder}">b</script>`;
  assert.equal(cache.set('k', html, 'first').toString(), '<script nonce="first">a</script><script nonce="first">b</script>');
  assert.equal(cache.get('k', 'second')?.toString(), '<script nonce="second">a</script><script nonce="second">b</script>');
  assert.equal(cache.get('other', 'x'), undefined);
});

test('PageCache drops the least recently used pages to stay within its budget', () => {
  const cache = new PageCache(10);
  cache.set('a', 'aaaa', 'n');
  cache.set('b', 'bbbb', 'n');
  cache.get('a', 'n'); // a is now the most recent
  cache.set('c', 'cccc', 'n'); // 12 bytes: b goes
  assert.equal(cache.get('b', 'n'), undefined);
  assert.equal(cache.get('a', 'n')?.toString(), 'aaaa');
  assert.equal(cache.get('c', 'n')?.toString(), 'cccc');
  assert.equal(cache.bytes, 8);
});

test('PageCache never keeps a page larger than its budget, but still returns it', () => {
  const cache = new PageCache(3);
  assert.equal(cache.set('big', 'too big', 'n').toString(), 'too big');
  assert.equal(cache.get('big', 'n'), undefined);
  assert.equal(cache.bytes, 0);
});

test('PageCache replacing a key does not count it twice', () => {
  const cache = new PageCache(100);
  cache.set('k', '12345', 'n');
  cache.set('k', '123', 'n');
  assert.equal(cache.bytes, 3);
});
