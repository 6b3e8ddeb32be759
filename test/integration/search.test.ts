import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { databaseTargets } from '../helpers/databases.ts';
import { startTestApp, visibleText, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { signedInMember } from '../helpers/people.ts';
import {
  addNoteEvidence,
  addProgress,
  createAction,
  createGroup,
  createOrganisation,
  createRecommendation,
  createReview,
} from '../helpers/factories.ts';

/*
 * Search (issue 13, section 3): within a review and across the reviews a person may read, by
 * words in recommendations, actions (their words, lead or organisation), progress and
 * evidence titles; never showing what the person may not read.
 */
for (const target of databaseTargets) {
  describe(`search, on ${target.name}`, () => {
    let t: TestApp;
    let mine: number;
    let theirs: number;
    let member: Client;

    before(async () => {
      t = await startTestApp(target);
      const db = t.database.db;
      const trust = await createOrganisation(db, { name: 'Findshire Community Health NHS Trust' });
      mine = await createReview(db, { area: 'Findshire', coveredOrganisationIds: [trust] });
      theirs = await createReview(db, { area: 'Hiddenshire', coveredOrganisationIds: [trust] });
      for (const reviewId of [mine, theirs]) {
        const group = await createGroup(db, reviewId, 1, [trust]);
        const rec = await createRecommendation(db, {
          reviewId,
          groupId: group,
          number: '1.4',
          text: 'Ensure that the voice of the child is recorded at every health assessment.',
        });
        const action = await createAction(db, {
          reviewId,
          recommendationId: rec,
          organisationIds: [trust],
          text: 'Audit 50% of initial health assessments for the voice_of the child.',
          lead: 'Named nurse for looked after children',
        });
        await addProgress(db, {
          reviewId,
          actionId: action,
          on: '2026-11-02',
          text: 'Audit of triage records complete.',
        });
        await addNoteEvidence(db, {
          reviewId,
          actionId: action,
          title: 'Voice of the child audit report',
          on: '2026-11-02',
        });
      }
      member = new Client(t.app, await signedInMember(db, { reviewId: mine, organisationId: trust, role: 'viewer' }));
    });
    after(() => t.close());

    it('finds plan items with all the words, in the reviews you can read', async () => {
      const res = await member.get('/search?q=Voice+CHILD');
      assert.equal(res.statusCode, 200);
      const text = visibleText(res.body);
      assert.match(text, /3 results for “Voice CHILD”/);
      assert.match(text, /Recommendations \(1\) Recommendation 1\.4 Ensure that the voice of the child is recorded/);
      assert.match(text, /Actions \(1\) Action 1 of recommendation 1\.4 Audit 50% of initial health assessments/);
      assert.match(
        text,
        /Evidence \(1\) Evidence for action 1 of recommendation 1\.4 \(accepted\) Voice of the child audit/,
      );
      assert.doesNotMatch(text, /Hiddenshire/, 'another review’s plan is never shown');
      assert.ok(res.body.includes(`href="/reviews/${mine}/recommendations/1.4"`));
    });

    it('finds actions by their lead or organisation, and progress by its words', async () => {
      assert.match(visibleText((await member.get('/search?q=named+nurse')).body), /Actions \(1\)/);
      assert.match(visibleText((await member.get('/search?q=community+health')).body), /Actions \(1\)/);
      assert.match(
        visibleText((await member.get('/search?q=triage')).body),
        /Progress updates \(1\) Progress on action 1 of recommendation 1\.4, 2 November 2026, by Named nurse/,
      );
    });

    it('looks for % and _ as themselves, and says when nothing is found', async () => {
      assert.match(visibleText((await member.get('/search?q=50%25')).body), /1 result for “50%”/);
      assert.match(visibleText((await member.get('/search?q=voice_of')).body), /1 result for “voice_of”/);
      assert.match(visibleText((await member.get('/search?q=x_x')).body), /0 results for “x_x”/);
      assert.match(visibleText((await member.get('/search?q=a')).body), /Type a word of two letters or more/);
    });

    it('searches one review when asked, and finds nothing in a review you cannot read', async () => {
      const one = visibleText((await member.get(`/search?q=audit&review=${mine}`)).body);
      assert.match(one, /Search Findshire/);
      assert.match(one, /3 results for “audit”/);
      const hidden = await member.getJson(`/api/search?q=audit&review=${theirs}`);
      assert.equal(hidden.statusCode, 200);
      assert.deepEqual(hidden.json().hits, []);
      assert.equal(hidden.json().reviewArea, null, 'not even its name');
    });
  });
}
