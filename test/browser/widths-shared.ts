import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { IssueVersionPage } from './pages/outputs.ts';
import { startBrowserSession, type BrowserSession } from './session.ts';
import { demoIds, pagesToWalk, type WalkedPage } from './widths-pages.ts';
import type { WalkResult } from './widths-walk.ts';

/*
 * What both width walks (widths.test.ts, widths-narrow.test.ts) set up and how they report: the
 * demo review with one version issued in Clasp, so that a version and a comparison can be
 * opened too, and the pages to walk with the demo's own ids.
 */

export interface WidthWalk {
  session: BrowserSession;
  pages: WalkedPage[];
}

export async function startWidthWalk(): Promise<WidthWalk> {
  const session = await startBrowserSession();
  try {
    const coordinator = await session.newContext({ as: 'coordinator' });
    await session.withPage(async (tab) => {
      const form = await IssueVersionPage.goto(tab, session.baseUrl, session.reviewId);
      await form.choosePurpose('Health and Wellbeing Board');
      await form.issue();
    }, coordinator);
    return { session, pages: pagesToWalk(await demoIds(session.server.database.db, session.reviewId)) };
  } catch (error) {
    await session.close();
    throw error;
  }
}

/** Fails with every problem found, page by page; says which pages not there yet were left out. */
export function expectNoProblems(t: TestContext, result: WalkResult, what: string): void {
  t.diagnostic(`${result.visited.length} pages checked`);
  assert.ok(result.visited.length > 0, `${what}: pages were walked`);
  assert.deepEqual(result.problems, [], `${what}:\n  ${result.problems.join('\n  ')}`);
}
