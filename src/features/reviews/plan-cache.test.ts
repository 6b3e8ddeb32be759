import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PlanCache } from './plan-cache.ts';

test('PlanCache keeps the most recently used entries up to its capacity', () => {
  const cache = new PlanCache<number>(2);
  cache.set('a', 1);
  cache.set('b', 2);
  assert.equal(cache.get('a'), 1); // a is now the most recent
  cache.set('c', 3); // evicts b, the least recently used
  assert.equal(cache.get('b'), undefined);
  assert.equal(cache.get('a'), 1);
  assert.equal(cache.get('c'), 3);
  assert.equal(cache.size, 2);
});

test('PlanCache replaces an entry set twice without growing', () => {
  const cache = new PlanCache<string>(3);
  cache.set('k', 'old');
  cache.set('k', 'new');
  assert.equal(cache.get('k'), 'new');
  assert.equal(cache.size, 1);
});
