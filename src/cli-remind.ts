import { parseArgs } from 'node:util';
import type { Config } from './config.ts';
import type { DatabaseHandle } from './platform/db/database.ts';
import { systemClock, todayInEngland } from './app.ts';
import { runReminders } from './features/reminders/reminders.service.ts';

export const REMIND_HELP = `  remind [--dry-run] Send the email reminders that are due (for cron; the
                     server also runs this on a schedule). Each is sent once,
                     however often it runs. --dry-run prints what would be
                     sent and records nothing.
`;

/** `clasp remind [--dry-run]`: one run of the reminder cycle. */
export async function remindCommand(
  args: string[],
  config: Config,
  open: () => Promise<DatabaseHandle>,
  out: (line: string) => void,
  now: () => Date = systemClock,
): Promise<number> {
  const { values } = parseArgs({ args, options: { 'dry-run': { type: 'boolean', default: false } }, strict: true });
  const dryRun = values['dry-run'];
  const handle = await open();
  try {
    const run = await runReminders(
      { db: handle.db, config, staleDays: config.staleDays, now, today: () => todayInEngland(now()) },
      { dryRun },
    );
    for (const line of run.lines) out(line);
    if (dryRun) {
      const fresh = run.lines.length;
      out(
        run.due === 0
          ? 'No reminders are due. Nothing was recorded.'
          : fresh === 0
            ? `Nothing new to send: the ${run.due} due are recorded already. Nothing was recorded.`
            : `Would send ${fresh} of ${run.due} due (the rest are recorded already). Nothing was recorded.`,
      );
      return 0;
    }
    out(`${run.due} due, ${run.recorded} newly recorded, ${run.sent} sent, ${run.failed} failed.`);
    return run.failed > 0 ? 1 : 0;
  } finally {
    await handle.close();
  }
}
