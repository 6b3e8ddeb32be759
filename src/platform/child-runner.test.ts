import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { runChild, type ChildJob } from './child-runner.ts';

/*
 * Real child processes, each a few lines of JavaScript run by node, that answer, hang, grow
 * or crash. Whatever they do, the runner settles with what happened and no child is left.
 */

type Started = { pids: number[]; start: () => ChildProcess };

/** Starts node on a program of its own, with an IPC channel, remembering each child's pid. */
function program(source: string): Started {
  const pids: number[] = [];
  return {
    pids,
    start: () => {
      const child = spawn(process.execPath, ['--eval', source], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
      if (child.pid !== undefined) pids.push(child.pid);
      return child;
    },
  };
}

/** Waits until a process has ended and been reaped, then checks that signalling it finds nothing. */
async function assertGone(pid: number): Promise<void> {
  for (let tries = 0; tries < 100; tries++) {
    try {
      process.kill(pid, 0);
    } catch {
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, `process ${pid} is still running`);
}

const job = (started: Started, settings: Partial<ChildJob<unknown>> = {}): ChildJob<unknown> => ({
  start: started.start,
  input: 'hello',
  timeoutMs: 10_000,
  ceilingBytes: 512 * 1024 * 1024,
  ...settings,
});

// Each child stays alive after its part (an open timer), so only the runner can end it.
const STAY = 'setInterval(() => {}, 1000);';

test('a child that answers settles with its answer, not an earlier message, and is ended', async () => {
  const started = program(
    `${STAY} process.on('message', (input) => { ` +
      "process.send({ note: 'working' }); process.send({ answer: input }); });",
  );
  const outcome = await runChild(
    job(started, { isAnswer: (message): message is { answer: string } => 'answer' in (message as object) }),
  );
  assert.deepEqual(outcome, { kind: 'message', message: { answer: 'hello' } });
  assert.equal(started.pids.length, 1);
  for (const pid of started.pids) await assertGone(pid);
});

test('a child that answers and exits while the server is busy settles with its answer', async () => {
  // The exit can be seen before the answer is read from the channel when the parent's loop is
  // held up; the runner must still give the answer, every time.
  const started = program(
    "process.once('message', (input) => process.send({ answer: input }, () => process.exit(0)));",
  );
  const outcomes: string[] = [];
  for (let i = 0; i < 10; i++) {
    const outcome = runChild(job(started));
    const busyUntil = Date.now() + 300;
    while (Date.now() < busyUntil) {
      // Busy, as a server answering other requests.
    }
    outcomes.push((await outcome).kind);
  }
  assert.deepEqual(outcomes, Array(10).fill('message'));
});

test('a child that never answers is killed at the deadline', async () => {
  const started = program(STAY);
  const begun = performance.now();
  const outcome = await runChild(job(started, { timeoutMs: 500 }));
  const elapsed = performance.now() - begun;
  assert.deepEqual(outcome, { kind: 'timeout' });
  assert.ok(elapsed >= 500 && elapsed < 5000, `stopped after ${Math.round(elapsed)} ms`);
  for (const pid of started.pids) await assertGone(pid);
});

test('a child whose memory grows past the ceiling is killed, before its deadline', async () => {
  // Buffers, outside the heap, as pdf.js unpacking a stream: 16 MB every 10 ms.
  const started = program(
    `${STAY} process.on('message', () => { const kept = []; ` +
      'setInterval(() => kept.push(Buffer.alloc(16 * 1024 * 1024, 1)), 10); });',
  );
  const begun = performance.now();
  const outcome = await runChild(job(started, { ceilingBytes: 128 * 1024 * 1024, timeoutMs: 20_000 }));
  assert.deepEqual(outcome, { kind: 'memory' });
  assert.ok(performance.now() - begun < 15_000, 'stopped by the ceiling, not the deadline');
  for (const pid of started.pids) await assertGone(pid);
});

test('a child that crashes settles with how it ended', async () => {
  const started = program(`${STAY} process.on('message', () => { throw new Error('crashed on purpose'); });`);
  const outcome = await runChild(job(started));
  assert.deepEqual(outcome, { kind: 'exited', code: 1, signal: null });
  for (const pid of started.pids) await assertGone(pid);
});

test('a child that cannot be started settles as an error', async () => {
  const thrown = new Error('no process today');
  const outcome = await runChild(
    job(
      {
        pids: [],
        start: () => {
          throw thrown;
        },
      },
      { timeoutMs: 500 },
    ),
  );
  assert.deepEqual(outcome, { kind: 'error', error: thrown });
  const missing = await runChild(
    job({
      pids: [],
      start: () => spawn('/nonexistent/program', [], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] }),
    }),
  );
  assert.equal(missing.kind, 'error');
});
