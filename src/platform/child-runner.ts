import fs from 'node:fs';
import type { ChildProcess, Serializable } from 'node:child_process';

/*
 * Runs one job in a child process under a time limit and a ceiling on the child's whole
 * resident size, for work on files that may be hostile (opening a PDF, parsing an import).
 * The caller starts the child; this sends it its input, waits for the first thing that
 * happens (an answer, the child ending, an error, the deadline, the ceiling), kills the child
 * and settles once with what it was. The caller turns that outcome into its own answer.
 *
 * The ceiling is checked from outside every 50 ms, from /proc (Linux): a heap limit does not
 * cover buffers, such as pdf.js unpacking a stream. Where there is no /proc only the time
 * limit, and any heap limit the caller gave the child, apply.
 */

export type ChildJob<Answer> = {
  /** Starts the child, with an IPC channel. A throw is an 'error' outcome. */
  start: () => ChildProcess;
  /** Sent to the child over the IPC channel once it has started. */
  input: Serializable;
  /** Time allowed from before the child starts until it answers. */
  timeoutMs: number;
  /** The most the child's whole process may hold, in bytes. */
  ceilingBytes: number;
  /** Which of the child's messages is its answer; others are ignored. Any message, if not given. */
  isAnswer?: (message: unknown) => message is Answer;
};

export type ChildOutcome<Answer> =
  | { kind: 'message'; message: Answer }
  | { kind: 'exited'; code: number | null; signal: NodeJS.Signals | null }
  | { kind: 'error'; error: unknown }
  | { kind: 'timeout' }
  | { kind: 'memory' };

const RSS_POLL_MS = 50;

/** What a child is given of the server's environment: nothing a hostile file could use. */
const CHILD_ENV = ['PATH', 'HOME', 'TMPDIR', 'TMP', 'TEMP', 'TZ', 'LANG', 'LC_ALL', 'NODE_ENV', 'SystemRoot'];

/** The environment a child process needs to run, and none of the server's settings or secrets. */
export function childEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of CHILD_ENV) if (process.env[name] !== undefined) env[name] = process.env[name];
  return env;
}

// Children still running when the server stops are stopped with it, not left running.
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export function runChild<Answer>(job: ChildJob<Answer>): Promise<ChildOutcome<Answer>> {
  return new Promise((resolve) => {
    let settled = false;
    let child: ChildProcess | undefined;
    const finish = (outcome: ChildOutcome<Answer>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearInterval(watchdog);
      if (child !== undefined) {
        // Answered or not, the child has done its one job: ending it gives all its memory back.
        child.kill('SIGKILL');
        child.off('message', onMessage).off('close', onExit);
        // The error listener stays (a no-op now): an 'error' with no listener would throw.
        running.delete(child);
      }
      resolve(outcome);
    };
    const onMessage = (message: unknown): void => {
      if (job.isAnswer === undefined || job.isAnswer(message)) finish({ kind: 'message', message: message as Answer });
    };
    const onError = (error: Error): void => finish({ kind: 'error', error });
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void =>
      finish({ kind: 'exited', code, signal });

    const timer = setTimeout(() => finish({ kind: 'timeout' }), job.timeoutMs);
    const watchdog = setInterval(() => {
      const rss = child?.pid === undefined ? null : residentBytes(child.pid);
      if (rss !== null && rss > job.ceilingBytes) finish({ kind: 'memory' });
    }, RSS_POLL_MS);
    try {
      child = job.start();
    } catch (error) {
      finish({ kind: 'error', error });
      return;
    }
    running.add(child);
    // 'close', not 'exit': a child that answers and exits at once may be seen to exit before its
    // answer is read from the channel when this process is busy; 'close' comes after both.
    child.on('message', onMessage).on('error', onError).on('close', onExit);
    child.send(job.input, (error) => {
      if (error !== null) onError(error);
    });
  });
}

/** A process's resident size from /proc (Linux; VmRSS, in kB), or null where there is none or it has gone. */
function residentBytes(pid: number): number | null {
  try {
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'latin1'))?.[1];
    return kb === undefined ? null : Number(kb) * 1024;
  } catch {
    return null;
  }
}
