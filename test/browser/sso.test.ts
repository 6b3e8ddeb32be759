import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { openConfiguredDatabase } from '../../src/platform/db/open.ts';
import type { DatabaseHandle } from '../../src/platform/db/database.ts';
import { launchBrowser } from './browser.ts';
import { expectCleanPage, watch } from './pages.ts';
import { createOrganisation } from '../helpers/factories.ts';
import { createUser, sessionFor } from '../helpers/people.ts';
import { claspSettings, startProvider, type TestProvider } from '../helpers/oidc-provider.ts';

/*
 * Single sign-on in Chromium: a person signs in at the provider's own login page and lands on
 * the page they asked for. The sign-in page with its single sign-on button and the
 * administrators' sign-in domains page pass axe at 1280 and 390 pixels wide.
 */

/** A free port on 127.0.0.1: the provider must know Clasp's address before Clasp starts. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('single sign-on in a browser', () => {
  let op: TestProvider;
  let app: FastifyInstance;
  let database: DatabaseHandle;
  let browser: Browser;
  let base: string;
  let dataDir: string;

  before(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    op = await startProvider({ claspBase: base });
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'clasp-sso-'));
    const config = loadConfig({
      CLASP_DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      CLASP_PUBLIC_URL: base,
      ...claspSettings(op),
    });
    database = await openConfiguredDatabase(config);
    app = await buildApp({ config, database, logger: false });
    await app.listen({ port, host: '127.0.0.1' });
    browser = await launchBrowser();
    const db = database.db;
    const trust = await createOrganisation(db, { name: 'Browser Trust' });
    await createUser(db, { email: 'ada@browser.nhs.uk', name: 'Ada Browser' });
    await db
      .insertInto('sign_in_domains')
      .values({
        kind: 'domain',
        value: 'browser.nhs.uk',
        organisation_id: trust,
        may_join: 1,
        require_sso: 1,
        created_at: new Date().toISOString(),
        updated_at: new Date().toISOString(),
      })
      .execute();
    op.people.set('ada-sub', { email: 'ada@browser.nhs.uk', email_verified: true, name: 'Ada' });
  });

  after(async () => {
    await browser.close();
    await app.close();
    await database.close();
    await op.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  const newPage = async (width: number, cookie?: string): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    if (cookie) {
      const [name = '', value = ''] = cookie.split('=');
      await context.addCookies([{ name, value, url: base, httpOnly: true, sameSite: 'Lax' }]);
    }
    return watch(await context.newPage(), base);
  };

  it("signs in at the provider's own login page and lands on the page asked for", async () => {
    const page = await newPage(1280);
    try {
      await page.goto(`${base}/account`);
      assert.equal(new URL(page.url()).pathname, '/sign-in');
      await page.getByRole('button', { name: "Sign in with your organisation's account" }).click();
      await page.waitForURL((url) => url.origin === op.issuer);
      await page.locator('input[name="login"]').fill('ada-sub');
      await page.locator('input[name="password"]').fill('any password');
      await page.locator('button[type="submit"]').click();
      await page.waitForURL((url) => url.origin === base);
      assert.equal(new URL(page.url()).pathname, '/account');
      assert.match(await page.locator('main').innerText(), /Ada Browser/);

      await page.getByRole('button', { name: 'Sign out' }).first().click();
      await page.waitForURL((url) => url.origin === op.issuer, { timeout: 10_000 });
      assert.match(await page.content(), /sign-out|logout/i, 'the provider is asked to end its session too');
    } finally {
      await page.context().close();
    }
  });

  for (const width of [1280, 390]) {
    it(`shows the sign-in page with single sign-on, and the sign-in domains page, cleanly at ${width}px`, async () => {
      const page = await newPage(width);
      try {
        await page.goto(`${base}/sign-in`);
        await expectCleanPage(page, `the sign-in page with single sign-on at ${width}px`);
      } finally {
        await page.context().close();
      }
      const adminId = await createUser(database.db, { name: 'Browser Administrator', isAdmin: true });
      const admin = await newPage(width, (await sessionFor(database.db, adminId)).cookie);
      try {
        await admin.goto(`${base}/admin/sign-in-domains`);
        assert.match(await admin.locator('main').innerText(), /browser\.nhs\.uk/);
        await expectCleanPage(admin, `the sign-in domains page at ${width}px`);
        await admin.goto(`${base}/admin/sign-in-domains/new`);
        await expectCleanPage(admin, `the new sign-in domain form at ${width}px`);
      } finally {
        await admin.context().close();
      }
    });
  }
});
