import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { databaseTargets } from '../helpers/databases.ts';
import { startTestApp, visibleText, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { signedInMember } from '../helpers/people.ts';
import {
  addRating,
  createAction,
  createGroup,
  createOrganisation,
  createRecommendation,
  createReview,
} from '../helpers/factories.ts';
import { CONFIRMATION_COOKIE, confirmationValue } from '../../src/platform/http/confirmations.ts';

/*
 * After every change the person lands where they were with a confirmation (issue 13, section 3):
 * the next page shows it once, in a success banner; nobody else's cookie can make a page say
 * anything; a form opened from My work goes back there, and nowhere off the site.
 */

/** The confirmation cookie a response sets, as "name=value" for the next request, or null. */
function confirmationCookie(res: LightMyRequestResponse): string | null {
  const cookie = res.cookies.find((c) => c.name === CONFIRMATION_COOKIE);
  return cookie && cookie.value ? `${CONFIRMATION_COOKIE}=${cookie.value}` : null;
}

/** Follows a form's redirect as a browser would: with the session and the cookie the answer set. */
async function follow(client: Client, res: LightMyRequestResponse, cookie: string | null = confirmationCookie(res)) {
  assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
  const location = String(res.headers.location);
  const page = await client.get(location, { cookie: [client.headers.cookie, cookie].filter(Boolean).join('; ') });
  assert.equal(page.statusCode, 200, page.body.slice(0, 2000));
  return page;
}

/** The words of the page's success banner, or null when there is none. */
function bannerOf(html: string): string | null {
  const banner =
    /<div class="nhsuk-notification-banner nhsuk-notification-banner--success"[^>]*>([\s\S]*?)<\/div>\s*<\/div>/.exec(
      html,
    );
  return banner ? visibleText(banner[1] ?? '') : null;
}

for (const target of databaseTargets) {
  describe(`confirmations after a change, on ${target.name}`, () => {
    let t: TestApp;
    let reviewId: number;
    let recommendationNumber: string;
    let coordinator: Client;
    let reviewer: Client;
    let viewer: Client;
    let actionId: number;
    const base = () => `/reviews/${reviewId}`;

    before(async () => {
      t = await startTestApp(target);
      const db = t.database.db;
      const trust = await createOrganisation(db, { name: 'Testshire Hospitals NHS Foundation Trust' });
      const icb = await createOrganisation(db, { name: 'Testshire Integrated Care Board' });
      reviewId = await createReview(db, { area: 'Testshire', coveredOrganisationIds: [trust, icb] });
      const group = await createGroup(db, reviewId, 1, [trust]);
      recommendationNumber = '1.1';
      const recommendationId = await createRecommendation(db, { reviewId, groupId: group, number: '1.1' });
      actionId = await createAction(db, { reviewId, recommendationId, organisationIds: [trust] });
      await addRating(db, { reviewId, actionId, kind: 'proposed', rating: 'amber', on: '2026-11-01' });
      coordinator = new Client(t.app, await signedInMember(db, { reviewId, organisationId: icb, role: 'coordinator' }));
      reviewer = new Client(t.app, await signedInMember(db, { reviewId, organisationId: icb, role: 'reviewer' }));
      viewer = new Client(t.app, await signedInMember(db, { reviewId, organisationId: icb, role: 'viewer' }));
    });
    after(() => t.close());

    it('says "Version 1 issued" once, on the page the form leads to, and clears its cookie', async () => {
      const issued = await coordinator.postForm(`${base()}/versions`, { purpose: 'scrutiny' });
      const cookie = confirmationCookie(issued);
      assert.ok(cookie, 'the answer sets a confirmation cookie');
      const set = issued.cookies.find((c) => c.name === CONFIRMATION_COOKIE) as Record<string, unknown>;
      assert.deepEqual([set.httpOnly, set.sameSite, set.path], [true, 'Lax', '/']);
      assert.ok(Number(set.maxAge) > 0 && Number(set.maxAge) <= 300, 'the cookie lasts minutes, not a session');

      const page = await follow(coordinator, issued);
      assert.equal(bannerOf(page.body), 'Success Version 1 issued');
      assert.match(page.body, /role="alert"/);
      // The page clears the cookie, so the browser sends it no more.
      const cleared = page.cookies.find((c) => c.name === CONFIRMATION_COOKIE);
      assert.ok(cleared && cleared.value === '', 'the page clears the confirmation cookie');

      const again = await coordinator.get(String(issued.headers.location));
      assert.equal(bannerOf(again.body), null);
    });

    it('shows the banner on a kept page without keeping it for the next person', async () => {
      const recommendation = `${base()}/recommendations/${recommendationNumber}`;
      // The page is kept for viewers and coordinators alike before the change.
      await viewer.get(recommendation);
      const archived = await coordinator.postForm(`${recommendation}/archive`, {});
      await follow(coordinator, archived);
      const restored = await coordinator.postForm(`${recommendation}/restore`, {});
      assert.equal(restored.headers.location, recommendation);
      const first = await follow(coordinator, restored);
      assert.equal(bannerOf(first.body), `Success Recommendation ${recommendationNumber} restored`);
      // The same kept page, for the same person and for another, says nothing more.
      assert.equal(bannerOf((await coordinator.get(recommendation)).body), null);
      assert.equal(bannerOf((await viewer.get(recommendation)).body), null);
    });

    it('shows nothing for a cookie made for another session, or made up', async () => {
      const issued = await coordinator.postForm(`${base()}/versions`, { purpose: 'hwb' });
      const stolen = confirmationCookie(issued);
      const location = String(issued.headers.location);
      const other = await follow(viewer, issued, stolen);
      assert.equal(bannerOf(other.body), null);
      assert.ok(other.cookies.some((c) => c.name === CONFIRMATION_COOKIE && c.value === ''));

      const forged = `${CONFIRMATION_COOKIE}=${Buffer.from('Your account is closed').toString('base64url')}.AAAA`;
      const page = await coordinator.get(location, { cookie: `${coordinator.headers.cookie}; ${forged}` });
      assert.equal(bannerOf(page.body), null);
      assert.doesNotMatch(page.body, /Your account is closed/);
    });

    it('escapes the words it shows', async () => {
      const session = coordinator.session?.cookie ?? '';
      const token = session.slice(session.indexOf('=') + 1);
      const value = confirmationValue(token, 'Saved <script>alert(1)</script> & done');
      const page = await coordinator.get(`${base()}/versions`, {
        cookie: `${session}; ${CONFIRMATION_COOKIE}=${value ?? ''}`,
      });
      assert.equal(bannerOf(page.body), 'Success Saved <script>alert(1)</script> & done');
      assert.match(page.body, /Saved &lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; done/);
    });

    it('sets no cookie for a change made through the API', async () => {
      const api = await coordinator.sendJson('POST', `/api${base()}/versions`, { purpose: 'scrutiny' });
      assert.equal(api.statusCode, 201, api.body);
      assert.equal(confirmationCookie(api), null);
    });

    it("shows the person's count of My work items in the header, on kept pages too", async () => {
      const recommendation = `${base()}/recommendations/${recommendationNumber}`;
      const header = (html: string) => /href="\/my-work"[^>]*>\s*([^<]*?)\s*</.exec(html)?.[1];
      // The rating proposal waits for the reviewer; the viewer has nothing to do.
      assert.equal(header((await reviewer.get(recommendation)).body), 'My work (1)');
      assert.equal(header((await viewer.get(recommendation)).body), 'My work');
      assert.equal(header((await reviewer.get(`${base()}/versions`)).body), 'My work (1)');
      assert.equal(header((await t.anonymous.get('/sign-in')).body), undefined);
    });

    it('takes a rating decision opened from My work back there, and never off the site', async () => {
      const form = `${base()}/actions/${actionId}/rating`;
      const opened = await reviewer.get(`${form}?returnTo=/my-work`);
      assert.match(opened.body, /<input type="hidden" name="returnTo" value="\/my-work">/);
      for (const bad of ['//evil.example', 'https://evil.example/', '/\\evil.example', '/reviews/../admin']) {
        const page = await reviewer.get(`${form}?returnTo=${encodeURIComponent(bad)}`);
        assert.equal(page.statusCode, 200);
        assert.doesNotMatch(page.body, /name="returnTo"/, bad);
      }

      const offSite = await reviewer.postForm(form, {
        decision: 'agree',
        rating: 'amber',
        rationale: 'The group saw the plan.',
        returnTo: 'https://evil.example/',
      });
      assert.equal(offSite.headers.location, `${base()}/actions/${actionId}`);
      assert.equal(bannerOf((await follow(reviewer, offSite)).body), 'Success Rating agreed: Amber');

      await addRating(t.database.db, { reviewId, actionId, kind: 'proposed', rating: 'red', on: '2026-11-10' });
      const back = await reviewer.postForm(form, {
        decision: 'agree',
        rating: 'red',
        rationale: 'The group agreed the proposal.',
        returnTo: '/my-work',
      });
      assert.equal(back.headers.location, '/my-work');
      const myWork = await follow(reviewer, back);
      assert.equal(bannerOf(myWork.body), 'Success Rating agreed: Red');
      // Nothing waits for the reviewer now, and the header says so.
      assert.doesNotMatch(myWork.body, />\s*My work \(\d+\)\s*</);
    });

    it('takes a revised date agreement opened from My work back there', async () => {
      const page = `${base()}/actions/${actionId}/due-date`;
      const editorSession = await signedInMember(t.database.db, {
        reviewId,
        organisationId: (
          await t.database.db
            .selectFrom('action_organisations')
            .select('organisation_id')
            .where('action_id', '=', actionId)
            .executeTakeFirstOrThrow()
        ).organisation_id,
        role: 'editor',
      });
      const editor = new Client(t.app, editorSession);
      const proposed = await editor.postForm(`${page}/propose`, {
        'dueDate-day': '30',
        'dueDate-month': '6',
        'dueDate-year': '2027',
        reason: 'The new records system arrives in May.',
      });
      assert.equal(bannerOf((await follow(editor, proposed)).body), 'Success Revised due date proposed: 30 June 2027');

      const opened = await coordinator.get(`${page}?returnTo=/my-work`);
      assert.match(opened.body, /name="returnTo" value="\/my-work"/);
      const agreed = await coordinator.postForm(`${page}/decide`, {
        decision: 'agree',
        reason: '',
        returnTo: '/my-work',
      });
      assert.equal(agreed.headers.location, '/my-work');
      assert.equal(bannerOf((await follow(coordinator, agreed)).body), 'Success Revised due date agreed');
    });
  });
}
