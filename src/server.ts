import type { Config } from './config.ts';
import { buildApp, systemClock, todayInEngland } from './app.ts';
import { openConfiguredDatabase } from './platform/db/open.ts';
import { DEMO_PASSWORD, loadDemo } from './features/demo/demo.service.ts';
import { listReviewSummaries } from './features/reviews/reviews.repository.ts';
import { startReminderSchedule } from './features/reminders/reminders.schedule.ts';

export interface StartOptions {
  loadDemoWhenEmpty: boolean;
}

/** Opens and migrates the database, listens, and closes everything cleanly on SIGINT or SIGTERM. */
export async function startServer(config: Config, options: StartOptions): Promise<void> {
  const database = await openConfiguredDatabase(config);
  const app = await buildApp({ config, database });
  if (options.loadDemoWhenEmpty) {
    const reviews = await listReviewSummaries(database.db);
    // Into an empty database; or into one that holds the demo, to add its people if an
    // older version loaded it without them. A database with only real reviews is left alone.
    if (reviews.length === 0 || reviews.some((r) => r.is_demo === 1)) {
      const result = await loadDemo(database.db, systemClock());
      if (result.created) app.log.info({ reviewId: result.reviewId }, 'loaded the demo review');
      app.log.info(
        { accounts: result.users.map((u) => u.email), password: DEMO_PASSWORD },
        'demo accounts: sign in with any of these',
      );
    }
  }
  const stopReminders = startReminderSchedule(
    {
      db: database.db,
      config,
      staleDays: config.staleDays,
      now: systemClock,
      today: () => todayInEngland(systemClock()),
    },
    config.remindersEveryMinutes,
    app.log,
  );
  let closing = false;
  const close = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    await stopReminders();
    await app.close();
    await database.close();
  };
  process.once('SIGINT', () => void close('SIGINT'));
  process.once('SIGTERM', () => void close('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  const host = config.host === '0.0.0.0' ? 'localhost' : config.host;
  const port =
    app.server.address() && typeof app.server.address() === 'object'
      ? (app.server.address() as { port: number }).port
      : config.port;
  app.log.info(`Clasp is running at http://${host}:${port}/ using ${database.kind} (${database.location})`);
}
