import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { expectCleanPage } from './pages/problems.ts';
import { squash } from './pages/text.ts';
import { startBrowserSession, type BrowserSession } from './session.ts';

/*
 * The service's own pages (accessibility, privacy, cookies, help, status, and "You have signed
 * out") in Chromium at a desktop width and on a 390-pixel phone, signed out and signed in: one
 * heading, axe clean, nothing wider than the screen. Then signing out in one step, and the way
 * back to signing in, with a keyboard only.
 */

const WIDTHS = [
  { name: 'desktop', viewport: { width: 1280, height: 900 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
];

const PAGES = [
  { path: '/accessibility', h1: 'Accessibility statement' },
  { path: '/privacy', h1: 'Privacy notice' },
  { path: '/cookies', h1: 'Cookies' },
  { path: '/help', h1: 'Help and contact' },
  { path: '/status', h1: 'Service status' },
];

/** Whether the page scrolls sideways: anything wider than the window. */
async function overflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** Presses Tab until the focused element has this text; fails after `limit` presses. */
async function tabTo(page: Page, text: string, limit = 40): Promise<void> {
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => (document.activeElement?.textContent ?? '').replace(/\s+/g, ' ').trim());
    if (focused === text) return;
  }
  assert.fail(`"${text}" is never reached with the Tab key`);
}

describe('the service pages in a browser', () => {
  let session: BrowserSession;

  before(async () => {
    session = await startBrowserSession();
  });
  after(() => session.close());

  for (const { name, viewport } of WIDTHS) {
    it(`on a ${name}, opens each page signed out and signed in, clean and no wider than the screen`, async () => {
      const contexts: [string, BrowserContext][] = [
        ['signed out', await session.newContext({ viewport })],
        ['signed in', await session.newContext({ as: 'coordinator', viewport })],
      ];
      for (const [who, context] of contexts) {
        await session.withPage(async (tab) => {
          const pages = who === 'signed out' ? [...PAGES, { path: '/signed-out', h1: 'You have signed out' }] : PAGES;
          for (const { path, h1 } of pages) {
            const response = await tab.goto(`${session.baseUrl}${path}`);
            assert.equal(response?.status(), 200, `${path} ${who}`);
            assert.equal(squash(await tab.locator('h1').innerText()), h1);
            await expectCleanPage(tab, `${path} ${who} on a ${name}`);
            assert.ok((await overflow(tab)) <= 0, `${path} ${who} on a ${name} does not scroll sideways`);
          }
        }, context);
      }
    });
  }

  it('works without JavaScript', async () => {
    const context = await session.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    await session.withPage(async (tab) => {
      for (const { path, h1 } of PAGES) {
        await tab.goto(`${session.baseUrl}${path}`);
        assert.equal(squash(await tab.locator('h1').innerText()), h1);
        await expectCleanPage(tab, `${path} without JavaScript`);
      }
    }, context);
  });

  it('signs out in one step, says so, and leads back to signing in, with a keyboard only', async () => {
    const context = await session.newContext({ as: 'coordinator' });
    await session.withPage(async (tab) => {
      await tab.goto(`${session.baseUrl}/account`);
      await tabTo(tab, 'Sign out of this device');
      await Promise.all([tab.waitForURL(`${session.baseUrl}/signed-out`), tab.keyboard.press('Enter')]);
      assert.equal(squash(await tab.locator('h1').innerText()), 'You have signed out');
      assert.doesNotMatch(squash(await tab.locator('body').innerText()), /Browser coordinator/);
      await expectCleanPage(tab, '/signed-out after signing out');

      // The session has ended: a page of the plan asks to sign in again.
      await tab.goto(`${session.baseUrl}/reviews/${session.reviewId}`);
      assert.equal(new URL(tab.url()).pathname, '/sign-in');

      await tab.goto(`${session.baseUrl}/signed-out`);
      await tabTo(tab, 'Sign in again');
      await Promise.all([tab.waitForURL(`${session.baseUrl}/sign-in`), tab.keyboard.press('Enter')]);
      assert.equal(squash(await tab.locator('h1').innerText()), 'Sign in to Clasp');
    }, context);
  });

  it('signs out from the header’s button on any page, even one left open after the session ended', async () => {
    const context = await session.newContext({ as: 'reviewer', viewport: { width: 390, height: 844 } });
    await session.withPage(async (tab) => {
      await tab.goto(`${session.baseUrl}/reviews/${session.reviewId}`);
      const signOut = tab.locator('header').getByRole('button', { name: 'Sign out' });
      await Promise.all([tab.waitForURL(`${session.baseUrl}/signed-out`), signOut.click()]);
      assert.equal(squash(await tab.locator('h1').innerText()), 'You have signed out');
    }, context);

    // Two tabs: signed out in one, then "Sign out" pressed in the other, whose token no longer counts.
    const twoTabs = await session.newContext({ as: 'reviewer' });
    const first = await session.newPage(twoTabs);
    const second = await session.newPage(twoTabs);
    try {
      await first.goto(`${session.baseUrl}/help`);
      await second.goto(`${session.baseUrl}/help`);
      await Promise.all([
        first.waitForURL(`${session.baseUrl}/signed-out`),
        first.locator('header').getByRole('button', { name: 'Sign out' }).click(),
      ]);
      await Promise.all([
        second.waitForURL(`${session.baseUrl}/signed-out`),
        second.locator('header').getByRole('button', { name: 'Sign out' }).click(),
      ]);
      assert.equal(squash(await second.locator('h1').innerText()), 'You have signed out');
      await expectCleanPage(second, '/signed-out after signing out in another tab');
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('keeps the old sign-out address as a page whose one button signs out', async () => {
    const context = await session.newContext({ as: 'viewer', viewport: { width: 390, height: 844 } });
    await session.withPage(async (tab) => {
      await tab.goto(`${session.baseUrl}/sign-out`);
      await expectCleanPage(tab, '/sign-out on a phone');
      await Promise.all([
        tab.waitForURL(`${session.baseUrl}/signed-out`),
        tab.locator('main').getByRole('button', { name: 'Sign out' }).click(),
      ]);
      assert.equal(squash(await tab.locator('h1').innerText()), 'You have signed out');
    }, context);
  });
});
