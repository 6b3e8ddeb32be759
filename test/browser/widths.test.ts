import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser } from './browser.ts';
import { demoIds, pagesForEveryRole } from './widths-pages.ts';
import { expectNoProblems, startWidthWalk, type WidthWalk } from './widths-shared.ts';
import { measureWidths, walkPages, walkSignInSteps } from './widths-walk.ts';

/*
 * Every page a person can reach (the route map's pages, docs/ARCHITECTURE.md), at a desktop
 * window of 1280 by 900, and the four pages read most (a review's overview, a recommendation, an
 * action, the board report) at a phone's 390 by 844. Each page answers, asks no other origin for
 * anything, passes axe with no script or CSP problems, is no wider than the window, and breaks
 * no word across two lines. The walk at 320 pixels is widths-narrow.test.ts, run alongside.
 */

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

describe('the measures of the walk', () => {
  it('find a word broken across lines, a page wider than its window and a heading with nothing under it', async () => {
    const browser = await launchBrowser();
    try {
      const tab = await browser.newPage({ viewport: { width: 320, height: 640 } });
      // The faults the walk is there to catch, as they were: a narrow column that breaks its words,
      // a table wider than the window, and "Manage this plan" over an empty list.
      await tab.setContent(
        '<main><h2>Manage this plan</h2><ul></ul><h2>Actions</h2>' +
          '<table><tr><td style="width: 1px; overflow-wrap: anywhere">September</td>' +
          '<td style="white-space: nowrap">A row far wider than a phone, on one long line</td></tr></table></main>',
      );
      const found = await measureWidths(tab);
      assert.deepEqual(found.emptyHeadings, ['Manage this plan']);
      assert.match(found.brokenWords[0] ?? '', /^td: “September” split over \d+ lines/);
      assert.ok(found.overflow && found.overflow.scrollWidth > 320, 'the page is wider than the window');
      await tab.setContent('<main><h2>Actions</h2><p>September</p><h2>Manage</h2><h3>Links</h3><p>Edit</p></main>');
      assert.deepEqual(await measureWidths(tab), { overflow: null, brokenWords: [], emptyHeadings: [] });
    } finally {
      await browser.close();
    }
  });
});

describe('every page at 1280 pixels wide, and the key pages at 390', () => {
  let walk: WidthWalk;

  before(async () => {
    walk = await startWidthWalk();
  });

  after(async () => {
    await walk.session.close();
  });

  it('signed out, as a coordinator of the demo review, and as a system administrator, at 1280', async (t) => {
    expectNoProblems(t, await walkPages(walk.session, DESKTOP, walk.pages), '1280 pixels');
  });

  it('the steps of a sign-in with two-step verification, and a set-password link, at 1280', async (t) => {
    expectNoProblems(t, await walkSignInSteps(walk.session, DESKTOP), 'signing in at 1280 pixels');
  });

  it('the overview, a recommendation and an action as a viewer, an editor and a reviewer, at 1280', async (t) => {
    const pages = pagesForEveryRole(await demoIds(walk.session.server.database.db, walk.session.reviewId));
    expectNoProblems(t, await walkPages(walk.session, DESKTOP, pages), 'other roles at 1280 pixels');
  });

  it('the overview, a recommendation, an action and the board report at 390', async (t) => {
    const key = walk.pages.filter((page) => page.key);
    expectNoProblems(t, await walkPages(walk.session, PHONE, key), '390 pixels');
  });
});
