import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './browser.ts';
import { startDemoServer, type DemoServer } from './server.ts';
import { ReviewOverviewPage, watch } from './pages.ts';
import { expectNoAxeViolations } from './axe.ts';
import {
  createAction,
  createGroup,
  createOrganisation,
  createRecommendation,
  createReview,
} from '../helpers/factories.ts';
import { addMember, createUser } from '../helpers/people.ts';

const PASSWORD = 'a long enough test password';

/** The smallest PDF a reader opens: one empty page. */
function tinyPdf(): Buffer {
  const objects = [
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (const object of objects) {
    offsets.push(body.length);
    body += `${object}\n`;
  }
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer << /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/*
 * The whole loop of a plan, in a browser, through the pages alone: an organisation's editor
 * posts progress with a PDF and proposes Blue, the peer challenge group's reviewer accepts the
 * evidence and agrees Blue, and a board member viewing the plan sees Blue on the overview.
 * Everyone signs in through the sign-in form; every page on the way is checked with axe.
 */
describe('the progress, evidence and rating loop in a browser', () => {
  let server: DemoServer;
  let browser: Browser;
  let reviewId: number;
  let actionId: number;
  const contexts: BrowserContext[] = [];

  before(async () => {
    server = await startDemoServer();
    browser = await launchBrowser();
    const db = server.database.db;
    const icb = await createOrganisation(db, {
      name: 'NHS Loopshire Integrated Care Board',
      shortName: 'Loopshire ICB',
      kind: 'commissioner',
    });
    const trust = await createOrganisation(db, {
      name: 'Loopshire Community Health NHS Trust',
      shortName: 'Loopshire Community',
      kind: 'nhs_trust',
    });
    reviewId = await createReview(db, {
      area: 'Loopshire',
      leadOrganisationId: icb,
      coveredOrganisationIds: [icb, trust],
    });
    const group = await createGroup(db, reviewId, 1, [trust], 'Loopshire Community Health NHS Trust should:');
    const rec = await createRecommendation(db, {
      reviewId,
      groupId: group,
      number: '1.1',
      text: 'Ensure health assessments of children looked after are timely.',
      outcome: 'Every assessment is done within 20 working days.',
    });
    actionId = await createAction(db, {
      reviewId,
      recommendationId: rec,
      organisationIds: [trust],
      agency: 'Looked after children health team',
      text: 'Book every initial health assessment within 5 working days of the request.',
      lead: 'Named nurse for children looked after',
      dateWords: 'Mar-27',
      dueDate: '2027-03-31',
      position: 1,
      createdOn: '2026-10-01',
    });
    for (const [role, organisationId] of [
      ['editor', trust],
      ['reviewer', icb],
      ['viewer', icb],
    ] as const) {
      const userId = await createUser(db, {
        email: `${role}@loopshire.example`,
        name: `Loopshire ${role}`,
        password: PASSWORD,
      });
      await addMember(db, { userId, reviewId, organisationId, role });
    }
  });

  after(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.close();
  });

  /** A new browser for one person, signed in through the form. */
  async function signIn(role: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(10_000);
    contexts.push(context);
    const page = watch(await context.newPage(), server.baseUrl);
    await page.goto(`${server.baseUrl}/reviews/${reviewId}/actions/${actionId}`);
    assert.match(new URL(page.url()).pathname, /^\/sign-in$/, 'asked to sign in first');
    await expectNoAxeViolations(page);
    await page.getByLabel('Email address').fill(`${role}@loopshire.example`);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    assert.equal(
      new URL(page.url()).pathname,
      `/reviews/${reviewId}/actions/${actionId}`,
      'back on the page asked for',
    );
    return page;
  }

  it('the editor posts progress with a PDF and proposes Blue', async () => {
    const page = await signIn('editor');
    await page.getByRole('button', { name: 'Post a progress update' }).click();
    assert.equal(await page.locator('h1').textContent(), 'Post a progress update');
    await expectNoAxeViolations(page);
    await page
      .getByLabel('What has been done')
      .fill('All initial health assessments in October were booked within 5 working days.');
    await page.getByRole('radio', { name: 'Blue' }).check();
    await page
      .getByLabel('Evidence file')
      .setInputFiles({ name: 'October audit.pdf', mimeType: 'application/pdf', buffer: tinyPdf() });
    await page.getByLabel('Title of the evidence').fill('October booking audit');
    await page.getByRole('button', { name: 'Post the update' }).click();
    assert.equal(new URL(page.url()).pathname, `/reviews/${reviewId}/actions/${actionId}`);
    const text = await page.locator('main').innerText();
    assert.match(text, /All initial health assessments in October were booked within 5 working days\./);
    assert.match(text, /Loopshire editor/);
    assert.match(text, /October booking audit/);
    assert.match(text, /proposed, not yet agreed/i);
    await expectNoAxeViolations(page);
  });

  it('the reviewer accepts the evidence and agrees Blue', async () => {
    const page = await signIn('reviewer');
    await page.getByRole('button', { name: 'Accept October booking audit' }).click();
    assert.equal(new URL(page.url()).pathname, `/reviews/${reviewId}/actions/${actionId}`);
    assert.match(await page.locator('main').innerText(), /Accepted/);
    await page.getByRole('button', { name: 'Agree or challenge the rating' }).click();
    await expectNoAxeViolations(page);
    await page.getByRole('radio', { name: 'Blue' }).check();
    await page
      .getByLabel('Why the group agreed this rating')
      .fill('The October audit shows every assessment booked on time.');
    await page.getByRole('button', { name: 'Agree the rating' }).click();
    assert.equal(new URL(page.url()).pathname, `/reviews/${reviewId}/actions/${actionId}`);
    const text = await page.locator('main').innerText();
    assert.match(text, /The October audit shows every assessment booked on time\./);
    assert.doesNotMatch(text, /proposed, not yet agreed/i);
    await expectNoAxeViolations(page);
  });

  it('the viewer sees Blue on the overview', async () => {
    const page = await signIn('viewer');
    assert.equal(
      await page.getByRole('button', { name: 'Post a progress update' }).count(),
      0,
      'a viewer is offered no changes',
    );
    const overview = await ReviewOverviewPage.goto(page, server.baseUrl, reviewId);
    const rows = await overview.ratingRows();
    assert.deepEqual(
      rows.map((r) => [r.number, r.rating]),
      [['1.1', 'Blue']],
    );
    await expectNoAxeViolations(page);
  });
});
