import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchBrowser } from './browser.ts';
import { startDemoServer, type DemoServer } from './server.ts';
import { takeProblems, watch } from './pages.ts';
import { expectNoAxeViolations } from './axe.ts';

/*
 * Every page added for people, editing, assurance and audit, opened in Chromium as the
 * person who may use it, on the demo plan: one heading, no script or CSP problems, and no
 * WCAG 2.2 AA failures found by axe — on the empty form and, for forms, after sending it
 * empty, when the error summary and field messages show.
 */
describe('the editing, assurance, audit and account pages in a browser', () => {
  let server: DemoServer;
  let browser: Browser;
  let coordinator: BrowserContext;
  let administrator: BrowserContext;
  let anonymous: BrowserContext;
  const ids = { action: 0, evidence: 0, group: 0, organisation: 0, user: 0 };

  before(async () => {
    server = await startDemoServer();
    browser = await launchBrowser();
    coordinator = await server.signedInContext(browser, {
      role: 'coordinator',
      viewport: { width: 1280, height: 900 },
    });
    administrator = await server.signedInContext(browser, {
      role: 'administrator',
      viewport: { width: 1280, height: 900 },
    });
    anonymous = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const db = server.database.db;
    const rec = await db
      .selectFrom('recommendations')
      .select('id')
      .where('review_id', '=', server.reviewId)
      .where('number', '=', '1.1')
      .executeTakeFirstOrThrow();
    ids.action = (
      await db
        .selectFrom('actions')
        .select('id')
        .where('recommendation_id', '=', rec.id)
        .orderBy('position')
        .executeTakeFirstOrThrow()
    ).id;
    ids.evidence = (
      await db
        .selectFrom('evidence_items')
        .select('id')
        .where('review_id', '=', server.reviewId)
        .orderBy('id')
        .executeTakeFirstOrThrow()
    ).id;
    ids.group = (
      await db
        .selectFrom('recommendation_groups')
        .select('id')
        .where('review_id', '=', server.reviewId)
        .orderBy('number')
        .executeTakeFirstOrThrow()
    ).id;
    ids.organisation =
      (
        await db
          .selectFrom('reviews')
          .select('lead_organisation_id')
          .where('id', '=', server.reviewId)
          .executeTakeFirstOrThrow()
      ).lead_organisation_id ?? 0;
    ids.user = (
      await db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'editor@demo.clasp.invalid')
        .executeTakeFirstOrThrow()
    ).id;
  });

  after(async () => {
    for (const context of [coordinator, administrator, anonymous]) await context?.close();
    await browser?.close();
    await server?.close();
  });

  /** Opens the page, checks it, and for a form sends it empty and checks the error state too. */
  async function check(context: BrowserContext, path: string, options: { submitEmpty?: string } = {}): Promise<void> {
    const page = watch(await context.newPage(), server.baseUrl);
    try {
      const response = await page.goto(`${server.baseUrl}${path}`);
      assert.equal(response?.status(), 200, `${path} opens`);
      assert.equal(await page.locator('h1').count(), 1, `${path} has one heading`);
      await expectNoAxeViolations(page);
      if (options.submitEmpty) {
        await page.getByRole('button', { name: options.submitEmpty, exact: true }).click();
        assert.match(await page.title(), /^Error: /, `${path}: the title says there is an error`);
        assert.equal(await page.locator('.nhsuk-error-summary').count(), 1, `${path}: one error summary`);
        await expectNoAxeViolations(page);
      }
      assert.deepEqual(takeProblems(page), [], `${path}: no script, CSP or loading problems`);
    } finally {
      await page.close();
    }
  }

  const review = () => `/reviews/${server.reviewId}`;

  it('sign-in and password pages', async () => {
    await check(anonymous, '/sign-in', { submitEmpty: 'Sign in' });
    await check(anonymous, '/forgot-password', { submitEmpty: 'Send the link' });
    await check(coordinator, '/sign-out');
    await check(coordinator, '/account');
  });

  it('editing pages, as the plan coordinator', async () => {
    await check(coordinator, '/reviews/new', { submitEmpty: 'Create review' });
    await check(coordinator, `${review()}/edit`);
    await check(coordinator, `${review()}/groups/new`, { submitEmpty: 'Add group' });
    await check(coordinator, `${review()}/groups/${ids.group}/edit`);
    await check(coordinator, `${review()}/recommendations/new`, { submitEmpty: 'Add recommendation' });
    await check(coordinator, `${review()}/recommendations/1.1/edit`);
    await check(coordinator, `${review()}/recommendations/1.1/actions/new`, { submitEmpty: 'Add action' });
    await check(coordinator, `${review()}/recommendations/1.1/archive`);
    await check(coordinator, `${review()}/actions/${ids.action}/edit`);
    await check(coordinator, `${review()}/actions/${ids.action}/archive`);
    await check(coordinator, `${review()}/findings/new`, { submitEmpty: 'Add finding' });
    await check(coordinator, `${review()}/findings/3.3/edit`);
    await check(coordinator, `${review()}/archived`);
  });

  it('progress, evidence and rating pages, with their error states', async () => {
    await check(coordinator, `${review()}/actions/${ids.action}/progress/new`, { submitEmpty: 'Post the update' });
    await check(coordinator, `${review()}/actions/${ids.action}/evidence/new`, { submitEmpty: 'Add the evidence' });
    await check(coordinator, `${review()}/evidence/${ids.evidence}/decision`);
    await check(coordinator, `${review()}/actions/${ids.action}/rating`, { submitEmpty: 'Agree the rating' });
  });

  it('history, audit trail, organisation and people pages', async () => {
    await check(coordinator, `${review()}/actions/${ids.action}/history`);
    await check(coordinator, `${review()}/audit`);
    await check(coordinator, `${review()}/organisations/${ids.organisation}`);
    await check(coordinator, `${review()}/members`);
  });

  it('administration pages, as a system administrator', async () => {
    await check(administrator, '/admin');
    await check(administrator, '/admin/users');
    await check(administrator, '/admin/users/new');
    await check(administrator, `/admin/users/${ids.user}`);
    await check(administrator, '/admin/organisations');
    await check(administrator, '/admin/organisations/new');
    await check(administrator, `/admin/organisations/${ids.organisation}/edit`);
  });
});
