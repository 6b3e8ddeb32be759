import { after, before, describe, it } from 'node:test';
import { expectNoProblems, startWidthWalk, type WidthWalk } from './widths-shared.ts';
import { walkPages, walkSignInSteps } from './widths-walk.ts';

/*
 * The walk of widths.test.ts at 320 by 640, the narrowest window WCAG 1.4.10 (Reflow) asks a
 * page to work in without scrolling sideways: every page answers, asks no other origin for
 * anything, passes axe, fits the window and breaks no word across two lines.
 */

const NARROW = { width: 320, height: 640 };

describe('every page at 320 pixels wide', () => {
  let walk: WidthWalk;

  before(async () => {
    walk = await startWidthWalk();
  });

  after(async () => {
    await walk.session.close();
  });

  it('signed out, as a coordinator of the demo review, and as a system administrator', async (t) => {
    expectNoProblems(t, await walkPages(walk.session, NARROW, walk.pages), '320 pixels');
  });

  it('the steps of a sign-in with two-step verification, and a set-password link', async (t) => {
    expectNoProblems(t, await walkSignInSteps(walk.session, NARROW), 'signing in at 320 pixels');
  });
});
