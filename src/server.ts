import type { Config } from './config.ts';
import { buildApp, systemClock, todayInEngland } from './app.ts';
import { openConfiguredDatabase } from './platform/db/open.ts';
import type { DatabaseHandle } from './platform/db/database.ts';
import { DEMO_PASSWORD, loadDemo } from './features/demo/demo.service.ts';
import { listReviewSummaries } from './features/reviews/reviews.repository.ts';
import { startReminderSchedule } from './features/reminders/reminders.schedule.ts';
import { redactUrl } from './platform/http/log-redaction.ts';

export interface StartOptions {
  loadDemoWhenEmpty: boolean;
}

/**
 * Opens and migrates the database and listens. On SIGINT or SIGTERM it takes no new connections,
 * lets requests in flight finish (within config.shutdownMs, else cuts them off and exits 1),
 * stops the reminder schedule, closes the database and exits 0. A second signal exits 1 at once.
 */
export async function startServer(config: Config, options: StartOptions): Promise<void> {
  const database = await openConfiguredDatabase(config);
  const opened: Opened = {};
  try {
    await serve(config, options, database, opened);
  } catch (error) {
    // Until it listens, a failure closes what is open, so the process ends with the error
    // instead of staying alive with its database pool and timers, listening to nothing.
    await Promise.allSettled([opened.stopReminders?.(), opened.app?.close()]);
    await database.close().catch(() => undefined);
    throw error;
  }
}

/** What start-up has opened so far, to close if it fails. */
interface Opened {
  app?: ClaspServerApp;
  stopReminders?: () => Promise<void>;
}

type ClaspServerApp = Awaited<ReturnType<typeof buildApp>>;

async function serve(config: Config, options: StartOptions, database: DatabaseHandle, opened: Opened): Promise<void> {
  const app = await buildApp({ config, database });
  opened.app = app;
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
  opened.stopReminders = stopReminders;
  let closing = false;
  // Requests in flight, so a shutdown that runs out of time can say which it cut off.
  const inFlight = new Map<string, { method: string; url: string; requestId: string }>();
  app.addHook('onRequest', async (request, reply) => {
    inFlight.set(request.id, { method: request.method, url: redactUrl(request.url), requestId: request.id });
    reply.raw.once('close', () => {
      inFlight.delete(request.id);
      // Once shutting down, a kept-alive connection is closed as soon as its request is answered.
      if (closing) setImmediate(() => app.server.closeIdleConnections());
    });
  });
  // Answers sent while shutting down tell the client this connection ends with them.
  app.addHook('onSend', async (request, reply) => {
    if (closing && request.raw.httpVersionMajor === 1) void reply.header('connection', 'close');
  });
  const closeDatabase = async () => {
    try {
      await database.close();
      app.log.info('database closed');
    } catch (error) {
      app.log.error({ err: error }, 'the database did not close cleanly');
    }
  };
  const shutdown = async (signal: string): Promise<void> => {
    if (closing) {
      app.log.warn({ signal }, 'a second signal during shutdown: stopping now');
      process.exit(1);
    }
    closing = true;
    app.log.info(
      { signal, limitSeconds: config.shutdownMs / 1000, requestsInFlight: inFlight.size },
      'shutting down: taking no new connections, letting requests in flight finish',
    );
    const limit = { reached: false, timer: undefined as NodeJS.Timeout | undefined };
    limit.timer = setTimeout(() => {
      limit.reached = true;
      app.log.warn(
        { limitSeconds: config.shutdownMs / 1000, requests: [...inFlight.values()] },
        'requests still running at the shutdown limit: closing their connections',
      );
      app.server.closeAllConnections();
      void closeDatabase().then(() => process.exit(1));
    }, config.shutdownMs);
    await Promise.all([stopReminders().then(() => app.log.info('reminder schedule stopped')), app.close()]);
    if (limit.reached) return;
    app.log.info('server closed: every request finished');
    clearTimeout(limit.timer);
    await closeDatabase();
    app.log.info('shut down');
    process.exit(0);
  };
  const onSignal = (signal: string) => {
    shutdown(signal).catch((error: unknown) => {
      app.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  await app.listen({ port: config.port, host: config.host });
  const host = config.host === '0.0.0.0' ? 'localhost' : config.host;
  const port =
    app.server.address() && typeof app.server.address() === 'object'
      ? (app.server.address() as { port: number }).port
      : config.port;
  app.log.info(`Clasp is running at http://${host}:${port}/ using ${database.kind} (${database.location})`);
}
