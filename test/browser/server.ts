import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { openConfiguredDatabase } from '../../src/platform/db/open.ts';
import type { DatabaseHandle } from '../../src/platform/db/database.ts';
import { loadDemo } from '../../src/features/demo/demo.service.ts';
import type { MemberRole } from '../../src/platform/db/schema.ts';
import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright-core';
import { addMember, createUser, sessionFor } from '../helpers/people.ts';

export interface DemoServer {
  /** Where the app listens, e.g. "http://127.0.0.1:43123", without a trailing slash. */
  baseUrl: string;
  /** The id of the Rotherham 2015 demo review. */
  reviewId: number;
  app: FastifyInstance;
  database: DatabaseHandle;
  /** A browser context signed in as a new member of the demo review with this role (viewer by default). */
  signedInContext(
    browser: Browser,
    options?: BrowserContextOptions & { role?: MemberRole | 'administrator' },
  ): Promise<BrowserContext>;
  close(): Promise<void>;
}

/**
 * Starts the real app, as `clasp serve --demo` would, on a fresh SQLite database in a
 * temporary folder, with the Rotherham 2015 demo loaded, listening on a free port. `env` adds or
 * overrides settings, as environment variables would.
 */
export async function startDemoServer(env: Record<string, string> = {}): Promise<DemoServer> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'clasp-browser-'));
  let database: DatabaseHandle | undefined;
  let app: FastifyInstance | undefined;
  try {
    const config = loadConfig({ CLASP_DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env });
    database = await openConfiguredDatabase(config);
    const { reviewId } = await loadDemo(database.db, new Date());
    app = await buildApp({ config, database, logger: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const opened = { app, database };
    const baseUrl = `http://127.0.0.1:${port}`;
    const db = database.db;
    return {
      baseUrl,
      reviewId,
      app,
      database,
      async signedInContext(browser, { role = 'viewer', ...options } = {}) {
        const review = await db
          .selectFrom('reviews')
          .select('lead_organisation_id')
          .where('id', '=', reviewId)
          .executeTakeFirstOrThrow();
        const userId = await createUser(db, { name: `Browser ${role}`, isAdmin: role === 'administrator' });
        if (role !== 'administrator')
          await addMember(db, { userId, reviewId, organisationId: review.lead_organisation_id ?? 1, role });
        const [name, value] = (await sessionFor(db, userId)).cookie.split('=') as [string, string];
        const context = await browser.newContext(options);
        await context.addCookies([{ name, value, url: baseUrl, httpOnly: true, sameSite: 'Lax' }]);
        return context;
      },
      async close() {
        try {
          await opened.app.close();
        } finally {
          await opened.database.close();
          await fs.rm(dataDir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    await app?.close();
    await database?.close();
    await fs.rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
