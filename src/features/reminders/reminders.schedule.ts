import type { FastifyBaseLogger } from 'fastify';
import { runReminders, type RemindersContext } from './reminders.service.ts';

/** The first run after start-up waits this long (or the interval, if shorter), so start-up stays quick. */
const FIRST_RUN_DELAY_MS = 60_000;

/**
 * Runs the reminder cycle inside the server every `everyMinutes` (0: never). A run still going
 * when the next is due is not doubled up. Returns a function that stops the schedule.
 */
export function startReminderSchedule(
  ctx: RemindersContext,
  everyMinutes: number,
  log: FastifyBaseLogger,
): () => Promise<void> {
  if (everyMinutes <= 0) return () => Promise.resolve();
  const intervalMs = everyMinutes * 60_000;
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (running !== null || stopped) return;
    running = runReminders(ctx, { dryRun: false })
      .then((run) => {
        if (run.recorded + run.sent + run.failed > 0)
          log.info({ due: run.due, recorded: run.recorded, sent: run.sent, failed: run.failed }, 'reminders run');
      })
      .catch((error: unknown) => {
        log.error({ err: error }, 'the reminders run failed; it will run again on schedule');
      })
      .finally(() => {
        running = null;
      });
  };
  const first = setTimeout(tick, Math.min(FIRST_RUN_DELAY_MS, intervalMs));
  const timer = setInterval(tick, intervalMs);
  // The schedule never keeps the process alive by itself.
  first.unref();
  timer.unref();
  return async () => {
    stopped = true;
    clearTimeout(first);
    clearInterval(timer);
    await running;
  };
}
