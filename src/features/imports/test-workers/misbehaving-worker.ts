import { ImportRejected } from '../errors.ts';
import type { ParseReply, ParseRequest } from '../parse-runner.ts';

/*
 * A stand-in for parse-worker.ts that misbehaves on request, for parse-runner.test.ts: the
 * job's content, read as text, says what to do. It runs as a child process, as the real one
 * does, and is never started outside the tests.
 */

let current = 0;
const reply = (message: ParseReply): void => {
  process.send?.({ ...message, id: current });
};

const BEHAVIOURS: Record<string, () => void> = {
  /** Never answers and never yields: only killing it stops it. */
  spin: () => {
    for (;;) Math.random();
  },
  /** Keeps allocating until the heap limit is reached. */
  hog: () => {
    const kept: string[][] = [];
    for (let round = 0; ; round += 1) kept.push(Array.from({ length: 100_000 }, (_, index) => `${round}:${index}`));
  },
  /**
   * Keeps filling buffers outside the heap, as pdf.js does unpacking a stream: the heap
   * limit never sees them, only the runner's ceiling on the whole process does.
   */
  balloon: () => {
    const kept: Buffer[] = [];
    for (;;) kept.push(Buffer.alloc(16 * 1024 * 1024, 0x20));
  },
  /** An uncaught error, as from a bug in a parser. */
  throw: () => {
    throw new TypeError('Cannot read properties of undefined (reading "rows")');
  },
  exit: () => process.exit(3),
  /** An error the child caught and reported, as parse-worker.ts does. */
  fail: () => {
    try {
      JSON.parse('{');
    } catch (error) {
      const { name, message, stack } = error as Error;
      reply({ ok: false, rejected: false, name, message, stack: stack ?? null });
    }
  },
  reject: () => {
    const error = new ImportRejected('This file has no recommendations in it.');
    reply({ ok: false, rejected: true, name: error.name, message: error.message, stack: error.stack ?? null });
  },
};

process.on('message', ({ id, job }: ParseRequest) => {
  current = id;
  const behaviour = new TextDecoder().decode(job.content);
  const misbehave = BEHAVIOURS[behaviour];
  if (misbehave !== undefined) misbehave();
  else
    reply({
      ok: true,
      value: {
        kind: job.kind,
        format: job.format,
        bytes: job.content.byteLength,
        text: behaviour,
        pid: process.pid,
        env: Object.keys(process.env),
      },
    });
});
process.on('disconnect', () => process.exit(0));
process.on('uncaughtException', (error) => {
  reply({ ok: false, rejected: false, name: error.name, message: error.message, stack: error.stack ?? null });
});
