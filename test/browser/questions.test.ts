import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { expectNoAxeViolations } from './axe.ts';
import { expectCleanPage } from './pages.ts';
import { startBrowserSession, type BrowserSession } from './session.ts';

/*
 * Questions from boards and scrutiny in a browser, on the demo plan: a viewer records a
 * question, the coordinator drafts and approves the response, and a viewer reads it. Each page
 * has one heading, no script or CSP problems and no WCAG 2.2 AA failures found by axe,
 * including the form sent empty with its error summary.
 */
describe('questions from boards and scrutiny in a browser', () => {
  let session: BrowserSession;

  before(async () => {
    session = await startBrowserSession({ as: 'coordinator' });
  });
  after(() => session.close());

  const check = async (page: Page, what: string) => {
    assert.equal(await page.locator('h1').count(), 1, `${what}: one heading`);
    await expectCleanPage(page, what);
    await expectNoAxeViolations(page);
  };

  it('records a question, drafts and approves its response, and shows it to readers', async () => {
    const base = `${session.baseUrl}/reviews/${session.reviewId}/questions`;
    const viewer = await session.newContext({ as: 'viewer' });

    const question = await session.withPage(async (page) => {
      await page.goto(base);
      await check(page, 'the empty list of questions');
      await page.getByRole('link', { name: 'Ask a question' }).click();
      await check(page, 'the question form');
      await page.getByRole('button', { name: 'Record the question' }).click();
      assert.match(await page.locator('.nhsuk-error-summary').innerText(), /Enter the question/);
      await check(page, 'the question form with its problems');

      await page.getByLabel('The question', { exact: true }).fill('How will the trust show the triage prompt is used?');
      await page.getByLabel('Who asked').fill('Councillor Ann Example');
      await page.getByLabel('Scrutiny panel').check();
      await page.getByLabel('Name of the meeting').fill('Health Select Commission');
      await page.getByLabel('Day', { exact: true }).fill('15');
      await page.getByLabel('Month', { exact: true }).fill('7');
      await page.getByLabel('Year', { exact: true }).fill('2016');
      await page.getByRole('button', { name: 'Record the question' }).click();
      await check(page, 'a question');
      return page.url();
    }, viewer);

    await session.withPage(async (page) => {
      await page.goto(question);
      await page.getByLabel('Draft response').fill('The trust audits twenty records a month.');
      await page.getByRole('button', { name: 'Save the draft' }).click();
      await check(page, 'a question with its draft response');
      await page.getByRole('button', { name: 'Approve and publish' }).click();
      await check(page, 'a question with its published response');
    });

    await session.withPage(async (page) => {
      await page.goto(base);
      const text = await page.locator('main').innerText();
      assert.match(text, /How will the trust show the triage prompt is used\?/);
      assert.match(text, /The trust audits twenty records a month\./);
      await check(page, 'the list of questions, one answered');
    }, viewer);
  });
});
