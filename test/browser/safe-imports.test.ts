import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { generatePlan, planToXlsx } from '../../bench/generate-plan.ts';
import { PlanPreviewPage, PlanUploadPage } from './pages/imports.ts';
import { expectCleanPage } from './pages/problems.ts';
import { squash } from './pages/text.ts';
import { startBrowserSession, type BrowserSession } from './session.ts';

/*
 * The checks that make a plan import safe to confirm, as a coordinator meets them in Chromium at
 * a desktop width and on a 390-pixel phone: another area's plan is stopped until the tick box
 * says it is this review's, and can then be reverted from the imports list; agency cells are
 * mapped to organisations with selects; outcomes the file would have overwritten and wording
 * the file changes are shown side by side; and a long read shows a page that refreshes itself
 * until the preview is ready, without JavaScript. Every page on the way is checked by axe-core.
 */

const fixtures = path.resolve(import.meta.dirname, '../fixtures');
const WIDTHS = [
  { name: 'desktop', viewport: { width: 1280, height: 900 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
];

/** A CSV file of these rows, written to a temporary folder; its path. */
async function csvFile(dir: string, name: string, rows: string[][]): Promise<string> {
  const file = path.join(dir, name);
  const cell = (text: string) => `"${text.replace(/"/g, '""')}"`;
  await fs.writeFile(file, rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n', 'utf8');
  return file;
}

/** The visible text of a part of the page, in one line. */
async function textOf(page: Page, selector: string): Promise<string> {
  return squash(await page.locator(selector).first().innerText());
}

describe('a plan import that is safe to confirm, in a browser', () => {
  let session: BrowserSession;
  let dir: string;
  let rec11: string;

  before(async () => {
    session = await startBrowserSession({ as: 'coordinator' });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'clasp-safe-imports-'));
    const row = await session.server.database.db
      .selectFrom('recommendations')
      .select('text')
      .where('review_id', '=', session.reviewId)
      .where('number', '=', '1.1')
      .executeTakeFirstOrThrow();
    rec11 = row.text;
  });

  after(async () => {
    await session.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  for (const { name, viewport } of WIDTHS) {
    it(`on a ${name}, stops another area's plan until it is confirmed, then reverts it`, async () => {
      const context = await session.newContext({ as: 'coordinator', viewport });
      await session.withPage(async (tab) => {
        const upload = await PlanUploadPage.goto(tab, session.baseUrl, session.reviewId);
        await upload.read(path.join(fixtures, 'west-sussex-2016-action-plan.xlsx'));
        const warning = await textOf(tab, '#mismatch');
        assert.match(warning, /This may be the wrong file/);
        assert.match(warning, /This file may not be the plan for the Rotherham review\./);
        assert.match(warning, /The file never names Rotherham\./);
        await expectCleanPage(tab, `the preview of another area's plan (${name})`);

        // Importing without the tick is refused, and the error summary leads to the tick box.
        await tab.getByRole('button', { name: 'Import into the plan' }).click();
        await tab.waitForLoadState();
        assert.match(await tab.title(), /^Error: /);
        const summary = tab.locator('.nhsuk-error-summary');
        assert.match(squash(await summary.innerText()), /This file may not be the plan for the Rotherham review/);
        await summary.locator('a[href="#acceptMismatch"]').click();
        assert.equal(
          await tab.evaluate(() => document.activeElement?.id),
          'acceptMismatch',
          'the link moves to the box',
        );
        await expectCleanPage(tab, `the refused import (${name})`);

        await tab.getByLabel(/import it all the same/).check();
        await tab.getByRole('button', { name: 'Import into the plan' }).click();
        await tab.waitForLoadState();
        assert.match(await textOf(tab, 'main'), /Plan imported|This plan was imported/);

        // The imports list offers the revert; the revert page says what it takes back out.
        await tab.goto(`${session.baseUrl}/reviews/${session.reviewId}/import`);
        await tab.getByRole('link', { name: /Revert this import of west-sussex-2016-action-plan\.xlsx/ }).click();
        await tab.waitForURL(/\/imports\/\d+\/revert$/);
        assert.equal(squash(await tab.locator('h1').innerText()), 'Revert this import');
        await expectCleanPage(tab, `the revert page (${name})`);
        await tab.getByRole('button', { name: 'Revert the import' }).click();
        await tab.waitForLoadState();
        assert.match(await textOf(tab, 'main'), /Import reverted/);
        assert.match(await textOf(tab, 'main'), /Reverted on \d{1,2} \w+ \d{4}/);
        await expectCleanPage(tab, `the imports list after a revert (${name})`);
      }, context);
    });
  }

  it('maps agency cells to organisations, and shows outcomes and wording the file differs on', async () => {
    const reworded = `${rec11.replace(/\.$/, '')}, with the designated nurse.`;
    // Give 1.1 an outcome, as a coordinator would, so that the file's would overwrite it.
    await session.server.database.db
      .updateTable('recommendations')
      .set({ outcome: 'Children are seen promptly.' })
      .where('review_id', '=', session.reviewId)
      .where('number', '=', '1.1')
      .execute();

    for (const { name, viewport } of WIDTHS) {
      // Each width names its own partner, since Clasp remembers what an agency stands for.
      const partner = `Acme care partners (${name})`;
      const file = await csvFile(dir, `agencies-${name}.csv`, [
        ['Recommendation number', 'Recommendation', 'Agency', 'Outcome', 'SMART action', 'By when'],
        ['1.1', reworded, 'TRFT', 'Every child seen within a week.', 'Audit the referral pathway.', 'March 2016'],
        ['1.1', reworded, partner, '', `Train the care partners on the pathway (${name}).`, 'April 2016'],
      ]);
      const context = await session.newContext({ as: 'coordinator', viewport });
      await session.withPage(async (tab) => {
        const upload = await PlanUploadPage.goto(tab, session.baseUrl, session.reviewId);
        const preview = await upload.read(file);
        assert.equal(await preview.h1(), 'Check the plan before importing it');
        assert.equal(await tab.locator('#mismatch').count(), 0, 'the demo plan is not taken for another area');
        assert.match(await textOf(tab, '#differences ~ table'), /, with the designated nurse\./);
        const outcomes = await textOf(tab, '#outcomes ~ table');
        assert.match(outcomes, /Children are seen promptly\./);
        assert.match(outcomes, /Every child seen within a week\./);
        assert.match(await textOf(tab, 'main'), /1 new action would arrive with no organisation/);
        await expectCleanPage(tab, `the preview with agencies, outcomes and differences (${name})`);

        // The Acme cells stand for the trust: choose it, save, and the warning goes.
        const acme = tab.getByLabel(new RegExp(`"Acme care partners \\(${name}\\)"`));
        await acme.selectOption({ label: 'The Rotherham NHS Foundation Trust' });
        await tab.getByRole('button', { name: 'Save what the agencies stand for' }).click();
        await tab.waitForLoadState();
        const saved = new PlanPreviewPage(tab, session.baseUrl);
        assert.doesNotMatch(await textOf(tab, 'main'), /would arrive with no organisation/);
        assert.match(
          await textOf(tab, '#agencies ~ form'),
          /You said it stands for The Rotherham NHS Foundation Trust/,
        );
        await saved.expectClean(`the preview after the agencies were saved (${name})`);

        await tab.getByRole('button', { name: 'Discard' }).click();
        await tab.waitForLoadState();
      }, context);
    }
  });
});

describe('a long plan read in a browser', () => {
  let session: BrowserSession;
  let dir: string;

  before(async () => {
    // The upload page does not wait at all, so the read goes on in the background.
    session = await startBrowserSession({ as: 'coordinator', env: { CLASP_IMPORT_WAIT_SECONDS: '0' } });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'clasp-long-read-'));
  });

  after(async () => {
    await session.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  /** Uploads a generated plan of a thousand actions, which takes Clasp more than a second to read. */
  async function uploadLongPlan(tab: Page, seed: number): Promise<void> {
    const file = path.join(dir, `long-plan-${seed}.xlsx`);
    await fs.writeFile(file, await planToXlsx(generatePlan({ actions: 1000, seed })));
    await PlanUploadPage.goto(tab, session.baseUrl, session.reviewId);
    await tab.setInputFiles('#file', file);
    await tab.getByRole('button', { name: 'Read the plan' }).click();
    await tab.waitForURL(/\/imports\/\d+$/);
    // The upload page does not wait, so the reading page comes first.
    assert.equal(squash(await tab.locator('h1').innerText()), 'Reading the file');
  }

  it('shows a reading page that the person checks again, without JavaScript, until the preview is ready', async () => {
    const context = await session.newContext({ as: 'coordinator', javaScriptEnabled: false });
    await session.withPage(async (tab) => {
      await uploadLongPlan(tab, 1);
      assert.match(await textOf(tab, '#reading-elapsed'), /Clasp has been reading it for \d+ seconds?\./);
      assert.equal(await tab.locator('meta[http-equiv="refresh"]').count(), 0, 'the page never reloads itself');
      await expectCleanPage(tab, 'the reading page');
      for (let i = 0; i < 600 && (await tab.locator('#reading-elapsed').count()) > 0; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        await tab.getByRole('link', { name: 'Check again' }).click();
        await tab.waitForLoadState();
      }
      assert.equal(squash(await tab.locator('h1').innerText()), 'Check the plan before importing it');
      assert.match(await textOf(tab, 'main'), /New actions 1,?000/);
    }, context);
  });

  it('shows the preview by itself once the file is read, where scripts run', async () => {
    await session.withPage(async (tab) => {
      await uploadLongPlan(tab, 7);
      await expectCleanPage(tab, 'the reading page, with its script');
      await tab.locator('h1', { hasText: 'Check the plan before importing it' }).waitFor({ timeout: 120_000 });
      assert.match(await textOf(tab, 'main'), /New actions 1,?000/);
    });
  });
});
