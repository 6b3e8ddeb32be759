import { test } from 'node:test';
import assert from 'node:assert/strict';
import { acceptedEncodings, negotiateEncoding } from './compression.ts';

test('Accept-Encoding is read with its q-values, in any case, x-gzip as gzip', () => {
  assert.deepEqual(
    [...acceptedEncodings('GZIP;q=0.5, br , x-gzip;q=1, deflate;q=1.5, identity; Q=0')],
    [
      ['gzip', 0.5],
      ['br', 1],
      ['deflate', 0],
      ['identity', 0],
    ],
  );
  assert.deepEqual([...acceptedEncodings('')], []);
});

test('the coding sent is the one the browser takes most gladly, ties going to the order offered', () => {
  const cases: [string | undefined, ReturnType<typeof negotiateEncoding>, ReturnType<typeof negotiateEncoding>][] = [
    // header, offered br first, offered gzip first
    [undefined, null, null],
    ['', null, null],
    ['gzip, deflate, br, zstd', 'br', 'gzip'],
    ['br;q=0.5, gzip;q=0.8', 'gzip', 'gzip'],
    ['gzip;q=0.2, br', 'br', 'br'],
    ['br;q=0, gzip;q=0', null, null],
    ['*', 'br', 'gzip'],
    ['*;q=0.5, br;q=0', 'gzip', 'gzip'],
    ['gzip;q=0.5, identity', null, null],
    ['deflate', null, null],
  ];
  for (const [header, brFirst, gzipFirst] of cases) {
    assert.equal(negotiateEncoding(header, ['br', 'gzip']), brFirst, `${String(header)}, br first`);
    assert.equal(negotiateEncoding(header, ['gzip', 'br']), gzipFirst, `${String(header)}, gzip first`);
  }
});
