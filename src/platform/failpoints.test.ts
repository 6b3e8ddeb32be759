import { test } from 'node:test';
import assert from 'node:assert/strict';
import { failpoint, failpoints } from './failpoints.ts';

/** 'settled' or 'waiting' after the promise has had its chance to settle. */
async function state(promise: Promise<void>): Promise<'settled' | 'waiting'> {
  const waiting = Symbol('waiting');
  const first = await Promise.race([
    promise.then(() => 'settled' as const),
    new Promise<typeof waiting>((resolve) => setTimeout(() => resolve(waiting), 20)),
  ]);
  return first === waiting ? 'waiting' : first;
}

test('without CLASP_FAILPOINT every failpoint returns at once and says nothing', async () => {
  for (const armed of [undefined, '']) {
    const said: string[] = [];
    const stop = failpoints(armed, (line) => said.push(line));
    assert.equal(await state(stop('import-confirm')), 'settled');
    assert.equal(await state(stop('meeting-decisions')), 'settled');
    assert.deepEqual(said, []);
  }
});

test('an armed failpoint says it was reached and never returns; the others return at once', async () => {
  const said: string[] = [];
  const stop = failpoints('evidence-upload', (line) => said.push(line));
  assert.equal(await state(stop('version-issue')), 'settled');
  assert.deepEqual(said, []);
  assert.equal(await state(stop('evidence-upload')), 'waiting');
  assert.deepEqual(said, ['failpoint reached: evidence-upload']);
});

test('this test process was not started with a failpoint, so the shared one does nothing', async () => {
  assert.equal(process.env.CLASP_FAILPOINT ?? '', '');
  assert.equal(await state(failpoint('import-confirm')), 'settled');
});
