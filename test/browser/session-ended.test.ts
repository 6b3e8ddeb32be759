import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext } from 'playwright-core';
import { ProgressFormPage, SignInPage } from './pages.ts';
import { startBrowserSession, type BrowserSession } from './session.ts';
import { hashPassword } from '../../src/platform/auth/secrets.ts';
import { addMember } from '../helpers/people.ts';

const EMAIL = 'kept.forms@example.nhs.uk';
const PASSWORD = 'meadow lantern copper 17';
const TYPED = 'Audited 40 triage records; two were missing the prompt.';

/*
 * When a session ends, nothing typed is lost: a progress update posted after the session
 * ended shows the sign-in page, and signing in leads back to the form with the text in it. Where
 * scripts run, a warning comes before the idle limit, with a button to stay signed in. Both
 * pages pass axe (WCAG 2.2 AA) with the banner showing.
 */
describe('a session that ends while a form is open, in a browser', () => {
  let session: BrowserSession;
  let context: BrowserContext;
  let userId: number;
  let actionId: number;

  /** Ends the person's sessions as the idle limit would: no request for two hours. */
  const goIdle = async () => {
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000).toISOString();
    await session.server.database.db
      .updateTable('sessions')
      .set({ last_seen_at: twoHoursAgo })
      .where('user_id', '=', userId)
      .execute();
  };

  before(async () => {
    // The session goes idle here by moving its last request two hours back in the database. A
    // session held in memory would not see that for CLASP_SESSION_CACHE_SECONDS; one really idle
    // for an hour left that memory long before, so this test looks sessions up every time.
    session = await startBrowserSession({ env: { CLASP_SESSION_CACHE_SECONDS: '0' } });
    context = session.context;
    const db = session.server.database.db;
    const review = await db
      .selectFrom('reviews')
      .select('lead_organisation_id')
      .where('id', '=', session.reviewId)
      .executeTakeFirstOrThrow();
    const organisationId = review.lead_organisation_id ?? 0;
    userId = (
      await db
        .insertInto('users')
        .values({
          email: EMAIL,
          name: 'Kerry Kept',
          password_hash: await hashPassword(PASSWORD),
          is_admin: 0,
          created_at: new Date().toISOString(),
          disabled_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    await addMember(db, { userId, reviewId: session.reviewId, organisationId, role: 'editor' });
    actionId = (
      await db
        .selectFrom('actions')
        .innerJoin('action_organisations', 'action_organisations.action_id', 'actions.id')
        .select('actions.id')
        .where('actions.review_id', '=', session.reviewId)
        .where('action_organisations.organisation_id', '=', organisationId)
        .orderBy('actions.id')
        .executeTakeFirstOrThrow()
    ).id;
  });

  after(async () => {
    await session.close();
  });

  it('shows the sign-in page for a post after the idle limit, then the form with what was typed', async () => {
    await session.withPage(async (tab) => {
      const path = `/reviews/${session.reviewId}/actions/${actionId}/progress/new`;
      const signIn = await SignInPage.askedFor(tab, session.baseUrl, path);
      const opened = await signIn.signIn(EMAIL, PASSWORD, ProgressFormPage);
      assert.equal(opened.path(), path);
      await opened.describeWhatWasDone(TYPED);
      await opened.proposeRating('Amber: off target with remedial action');

      await goIdle();
      const asked = await opened.post();
      assert.equal(asked.path(), path, 'the post is answered where it was sent');
      const signInAgain = new SignInPage(tab, session.baseUrl);
      assert.equal(await signInAgain.h1(), 'Sign in to Clasp');
      assert.match(
        await signInAgain.mainText(),
        /Your session ended, so what you sent has not been saved yet\. Sign in and you will be taken back/,
      );
      await signInAgain.expectClean('the sign-in page after the session ended');

      const back = await signInAgain.signIn(EMAIL, PASSWORD, ProgressFormPage);
      assert.equal(back.path(), path, 'back on the form');
      assert.match(await back.mainText(), /We kept what you typed\. Check it and send it again\./);
      assert.equal(await tab.getByLabel('What has been done').inputValue(), TYPED);
      assert.ok(await tab.getByRole('radio', { name: 'Amber: off target with remedial action' }).isChecked());
      await back.expectClean('the progress form filled in again');

      const posted = await back.post();
      assert.equal(posted.path(), `/reviews/${session.reviewId}/actions/${actionId}`);
      assert.match(await posted.mainText(), /Audited 40 triage records/);
    }, context);
  });

  it('warns before the idle limit, and keeps the person signed in when they ask', async () => {
    const fresh = await session.newContext();
    await session.withPage(async (tab) => {
      const path = `/reviews/${session.reviewId}/actions/${actionId}/progress/new`;
      const signIn = await SignInPage.askedFor(tab, session.baseUrl, path);
      await tab.clock.install();
      await signIn.signIn(EMAIL, PASSWORD, ProgressFormPage);
      // The form's page, with its idle timer, must have loaded before the clock is moved on.
      await tab.waitForURL(`${session.baseUrl}${path}`);
      await tab.waitForLoadState('load');
      const warning = tab.getByRole('alert').filter({ hasText: 'You will be signed out soon' });
      assert.equal(await warning.count(), 0, 'no warning while the page is in use');

      // The default idle limit is 60 minutes: the warning comes 6 minutes before it.
      await tab.clock.fastForward(55 * 60_000);
      await warning.waitFor();
      const form = new ProgressFormPage(tab, session.baseUrl);
      await form.expectClean('the form with the idle warning');

      await tab.getByRole('button', { name: 'Stay signed in' }).click();
      await warning.waitFor({ state: 'detached' });
      assert.equal(await tab.getByRole('alert').count(), 0, 'still signed in: no banner at all');

      await tab.clock.fastForward(61 * 60_000);
      await tab.getByRole('alert').filter({ hasText: 'You have been signed out' }).waitFor();
      await form.expectNoAxeViolations();
    }, fresh);
  });
});
