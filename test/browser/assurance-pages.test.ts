import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { expectNoAxeViolations } from './axe.ts';
import { expectCleanPage } from './pages.ts';
import { startBrowserSession, type BrowserSession } from './session.ts';

/*
 * Lasting assurance and accepting an action, in a browser on the demo plan: an editor for the CCG
 * reads the trust's action whose assurance has lapsed, then disputes and accepts an action given
 * to the CCG. Each page has one heading, no script or CSP problems and no WCAG 2.2 AA failures
 * found by axe, including the dispute sent without its reason.
 */
describe('lasting assurance and accepting an action in a browser', () => {
  let session: BrowserSession;
  let actionPath = '';
  let ccgActionPath = '';

  before(async () => {
    session = await startBrowserSession({ as: 'editor' });
    const db = session.server.database.db;
    // Action 3 of recommendation 4.2: the demo's lapsed assurance, given to the hospital trust.
    const actions = await db
      .selectFrom('actions as a')
      .innerJoin('recommendations as r', 'r.id', 'a.recommendation_id')
      .select('a.id')
      .where('a.review_id', '=', session.reviewId)
      .where('r.number', '=', '4.2')
      .orderBy('a.position')
      .execute();
    const action = actions[2];
    assert.ok(action, 'the demo has a third action for recommendation 4.2');
    actionPath = `/reviews/${session.reviewId}/actions/${action.id}`;
    // Action 1 of recommendation 1.1 is given to the CCG, among others: the session's editor edits for the CCG.
    const first = await db
      .selectFrom('actions as a')
      .innerJoin('recommendations as r', 'r.id', 'a.recommendation_id')
      .select('a.id')
      .where('a.review_id', '=', session.reviewId)
      .where('r.number', '=', '1.1')
      .orderBy('a.position')
      .executeTakeFirstOrThrow();
    ccgActionPath = `/reviews/${session.reviewId}/actions/${first.id}`;
  });
  after(() => session.close());

  const check = async (page: Page, what: string) => {
    assert.equal(await page.locator('h1').count(), 1, `${what}: one heading`);
    await expectCleanPage(page, what);
    await expectNoAxeViolations(page);
  };

  it('shows a lapsed assurance, and lets the organisation dispute and then accept the action', async () => {
    await session.withPage(async (page) => {
      await page.goto(`${session.baseUrl}${actionPath}`);
      const text = await page.locator('main').innerText();
      assert.match(text, /Assurance lapsed/);
      assert.match(text, /Repeat the audit of dependants recorded on the emergency department booking form/);
      await check(page, 'an action whose assurance has lapsed');

      await page.goto(`${session.baseUrl}${ccgActionPath}/assignment`);
      await check(page, 'the answer to an action given to the CCG');
      await page.getByLabel('Dispute it').check();
      await page.getByRole('button', { name: 'Send the answer' }).click();
      assert.equal(await page.locator('.nhsuk-error-summary').count(), 1, 'a dispute needs its reason');
      await check(page, 'a dispute sent without its reason');
      await page.getByLabel('Reason').fill('This action is for the CCG.');
      await page.getByRole('button', { name: 'Send the answer' }).click();
      await check(page, 'after disputing');
      assert.match(await page.locator('main').innerText(), /This action is for the CCG\./);

      await page.goto(`${session.baseUrl}${ccgActionPath}/assignment`);
      await page.getByLabel('Accept this action').check();
      await page.getByRole('button', { name: 'Send the answer' }).click();
      await check(page, 'after accepting');
      assert.match(await page.locator('main').innerText(), /Accepted/);
    });
  });
});
