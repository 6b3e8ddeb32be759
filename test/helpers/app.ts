import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { DatabaseHandle } from '../../src/platform/db/database.ts';
import type { DatabaseTarget } from './databases.ts';
import { Client } from './client.ts';
import { createUser, sessionFor } from './people.ts';

/** A fixed "today" so exception reasons in assertions do not move with the calendar. */
export const TEST_TODAY = '2026-11-23';

export interface TestApp {
  app: FastifyInstance;
  database: DatabaseHandle;
  /** Requests by a system administrator, who can read every review: for tests about what pages show. */
  admin(): Promise<Client>;
  /** Requests by nobody signed in. */
  anonymous: Client;
  close(): Promise<void>;
}

export async function startTestApp(
  target: DatabaseTarget,
  options: { today?: string; staleDays?: number; env?: Record<string, string>; now?: () => Date } = {},
): Promise<TestApp> {
  const { handle, dispose } = await target.open();
  const config = loadConfig({
    CLASP_STALE_DAYS: String(options.staleDays ?? 90),
    LOG_LEVEL: 'silent',
    CLASP_DATA_DIR: '/nonexistent/clasp-test-data',
    // Pages wait for every file to be read, however busy the machine, so what they show does not
    // depend on its speed; safe-imports.test.ts sets 0 to test reading in the background.
    CLASP_IMPORT_WAIT_SECONDS: '600',
    // Tests give people roles and names straight in the database, as a `clasp` command would,
    // and ask at once: an instance hears of such changes within a second, not at once, so sessions
    // are looked up every time here. session-cache.test.ts and instances.test.ts test the cache,
    // and the browser tests and server processes run with it on.
    CLASP_SESSION_CACHE_SECONDS: '0',
    ...options.env,
  });
  const app = await buildApp({
    config,
    database: handle,
    today: () => options.today ?? TEST_TODAY,
    ...(options.now ? { now: options.now } : {}),
    logger: false,
  });
  await app.ready();
  let admin: Promise<Client> | null = null;
  return {
    app,
    database: handle,
    anonymous: new Client(app),
    admin() {
      admin ??= createUser(handle.db, { name: 'Test Administrator', isAdmin: true }).then(
        async (id) => new Client(app, await sessionFor(handle.db, id)),
      );
      return admin;
    },
    async close() {
      await app.close();
      await dispose();
    },
  };
}

/** The visible text of some HTML, with tags dropped and whitespace collapsed, as a reader would see it. */
export function visibleText(html: string): string {
  return (
    html
      .replace(/<script[\s\S]*?<\/script>/g, ' ')
      .replace(/<style[\s\S]*?<\/style>/g, ' ')
      // Headings repeated in each cell for small screens are hidden from desktop and screen readers.
      .replace(/<span class="nhsuk-table-responsive__heading" aria-hidden="true">[^<]*<\/span>/g, '')
      // Inline elements run on with their neighbours, as on screen; block elements break the line.
      .replace(/<\/?(a|strong|span|em|b|i|code|abbr)(\s[^>]*)?>/g, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
      .replace(/\s+/g, ' ')
      .trim()
  );
}
