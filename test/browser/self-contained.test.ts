import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { takeProblems } from './pages.ts';
import { startBrowserSession, type BrowserSession } from './session.ts';

/*
 * Every page loads from Clasp alone: a machine that cannot reach any other host (the NHS font
 * host among them) shows the same page, in the design system's fallback fonts. Pages and their
 * files come compressed, and the header's Sign out is one button.
 */
describe('pages that load nothing from another origin, in a browser', () => {
  let session: BrowserSession;
  let pages: string[];

  before(async () => {
    session = await startBrowserSession({ as: 'coordinator' });
    const db = session.server.database.db;
    const action = await db
      .selectFrom('actions')
      .innerJoin('recommendations', 'recommendations.id', 'actions.recommendation_id')
      .select(['actions.id', 'recommendations.number'])
      .where('recommendations.review_id', '=', session.reviewId)
      .orderBy('actions.id')
      .executeTakeFirstOrThrow();
    const review = `/reviews/${session.reviewId}`;
    pages = [
      review,
      `${review}/recommendations/${action.number}`,
      `${review}/actions/${action.id}`,
      `${review}/documents/board-report/html`,
      '/reviews',
      '/my-work',
      '/account',
    ];
  });
  after(() => session.close());

  /** Opens a page and gives every address the browser asked for while loading it. */
  async function load(page: Page, path: string): Promise<string[]> {
    const asked: string[] = [];
    page.on('request', (request) => asked.push(request.url()));
    const response = await page.goto(`${session.baseUrl}${path}`, { waitUntil: 'networkidle' });
    assert.equal(response?.status(), 200, path);
    return asked;
  }

  it('asks only Clasp for anything, on every page', async () => {
    const origin = new URL(session.baseUrl).origin;
    for (const path of pages) {
      await session.withPage(async (page) => {
        const asked = await load(page, path);
        const elsewhere = asked.filter((url) => !url.startsWith('data:') && new URL(url).origin !== origin);
        assert.deepEqual(elsewhere, [], `${path} asked another origin`);
        assert.ok(asked.length >= 1, path);
        assert.deepEqual(takeProblems(page), [], `${path}: no script, CSP or loading problems`);
      });
    }
  });

  it("shows text in the design system's fallback fonts, with no web font", async () => {
    for (const path of pages.filter((p) => !p.endsWith('/html'))) {
      await session.withPage(async (page) => {
        await load(page, path);
        const fonts = await page.evaluate(() => {
          const text = document.querySelector('main p, main li, main td') ?? document.body;
          return {
            body: getComputedStyle(document.body).fontFamily,
            text: getComputedStyle(text).fontFamily,
            heading: getComputedStyle(document.querySelector('h1') ?? document.body).fontFamily,
            webFonts: [...document.fonts].map((font) => font.family),
          };
        });
        for (const where of ['body', 'text', 'heading'] as const) {
          assert.equal(fonts[where].toLowerCase().replace(/\s/g, ''), 'arial,sans-serif', `${path}: ${where}`);
        }
        assert.deepEqual(fonts.webFonts, [], `${path} loads no web font`);
      });
    }
  });

  it('gets the page and its files compressed, the files by fingerprinted address kept for good', async () => {
    await session.withPage(async (page) => {
      const answers: { url: string; type: string; headers: Record<string, string> }[] = [];
      page.on('response', (response) =>
        answers.push({ url: response.url(), type: response.request().resourceType(), headers: response.headers() }),
      );
      await load(page, `/reviews/${session.reviewId}`);
      const document = answers.find((a) => a.type === 'document');
      assert.match(document?.headers['content-encoding'] ?? '', /^(br|gzip)$/, 'the page');
      const files = answers.filter((a) => a.type === 'stylesheet' || a.type === 'script');
      assert.ok(files.length >= 4, files.map((f) => f.url).join(' '));
      for (const file of files) {
        assert.match(new URL(file.url).pathname, /\.[0-9a-f]{16}\.(css|js)$/, file.url);
        assert.equal(file.headers['cache-control'], 'public, max-age=31536000, immutable', file.url);
      }
      const styles = files.find((f) => f.url.includes('/assets/nhsuk-frontend.min.'));
      assert.equal(styles?.headers['content-encoding'], 'br', 'the stylesheet in Brotli');
    });
  });

  it('signs out from the header in one step: a button sending the form with its CSRF token', async () => {
    const context = await session.newContext({ as: 'viewer' });
    await session.withPage(async (page) => {
      await load(page, '/reviews');
      const button = page.getByRole('banner').getByRole('button', { name: 'Sign out', exact: true });
      assert.equal(await button.count(), 1);
      assert.equal(await page.getByRole('banner').getByRole('link', { name: 'Sign out' }).count(), 0);
      // Reached with the keyboard like the header's links, and sent with Enter.
      await page.getByRole('banner').getByRole('link', { name: 'Your account' }).focus();
      await page.keyboard.press('Tab');
      assert.equal(await button.evaluate((b) => b === document.activeElement), true, 'Tab reaches Sign out');
      const sent = page.waitForRequest((request) => new URL(request.url()).pathname === '/sign-out');
      await page.keyboard.press('Enter');
      const request = await sent;
      assert.equal(request.method(), 'POST');
      assert.match(request.postData() ?? '', /(^|&)_csrf=[^&]+/);
      // The page is left only once the confirmation has come: closing a tab while its form is
      // still being sent can leave Chromium waiting for good.
      await page.waitForURL((url) => url.pathname === '/signed-out');
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'You have signed out');
    }, context);
  });
});
