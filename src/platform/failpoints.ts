/*
 * Failpoints: a test hook for crash tests (test/integration/crash.test.ts). A few writes call
 * `await failpoint('name')` inside their transaction, after part of their data is written. That
 * does nothing at all unless the process was started with CLASP_FAILPOINT=<that name>: then the
 * call writes "failpoint reached: <name>" to standard error and never returns, holding the
 * transaction open, so that a test can kill the process (SIGKILL) at exactly that point and check
 * that nothing half-written survives the restart.
 *
 * CLASP_FAILPOINT is read once, when the process starts. It is not a setting: leave it unset.
 */

/** The places a crash test can stop a write. */
export const FAILPOINT_NAMES = ['import-confirm', 'evidence-upload', 'version-issue', 'meeting-decisions'] as const;

export type FailpointName = (typeof FAILPOINT_NAMES)[number];

const done: Promise<void> = Promise.resolve();

/**
 * The failpoint function for a process whose CLASP_FAILPOINT is `armed` (undefined or '' for
 * none), writing its line with `say`.
 */
export function failpoints(
  armed: string | undefined,
  say: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): (name: FailpointName) => Promise<void> {
  if (!armed) return () => done;
  return (name) => {
    if (name !== armed) return done;
    say(`failpoint reached: ${name}`);
    // Never settles: the write waits here, its transaction open, until the process is killed.
    return new Promise<void>(() => undefined);
  };
}

/** Stops here for ever when this process was started with CLASP_FAILPOINT=name; otherwise does nothing. */
export const failpoint = failpoints(process.env.CLASP_FAILPOINT?.trim());
