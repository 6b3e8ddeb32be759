import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { databaseTargets } from '../helpers/databases.ts';
import { startTestApp, visibleText, type TestApp } from '../helpers/app.ts';
import {
  createAction,
  createGroup,
  createOrganisation,
  createRecommendation,
  createReview,
} from '../helpers/factories.ts';
import { signedInMember } from '../helpers/people.ts';
import { Client } from '../helpers/client.ts';

/*
 * Date inputs take the month as a name or an abbreviation as well as a number, and a whole
 * date typed into the day box, as the GOV.UK date input pattern advises: sent through a real
 * form (posting progress on an action) and read back from what was saved.
 */

for (const target of databaseTargets) {
  describe(`dates typed with month names on ${target.name}`, () => {
    let t: TestApp;
    let editor: Client;
    let reviewId: number;
    let actionId: number;

    before(async () => {
      t = await startTestApp(target);
      const db = t.database.db;
      const trust = await createOrganisation(db, { name: 'Datesham Hospitals NHS Trust' });
      reviewId = await createReview(db, { area: 'Datesham', leadOrganisationId: trust });
      const group = await createGroup(db, reviewId, 1, [trust]);
      const recommendation = await createRecommendation(db, { reviewId, groupId: group, number: '1.1' });
      actionId = await createAction(db, { reviewId, recommendationId: recommendation, organisationIds: [trust] });
      editor = new Client(
        t.app,
        await signedInMember(db, { reviewId, organisationId: trust, role: 'editor', name: 'Dora Dates' }),
      );
    });
    after(() => t.close());

    const post = (boxes: Record<string, string>, text: string) =>
      editor.postMultipart(`/reviews/${reviewId}/actions/${actionId}/progress/new`, { ...boxes, text }, []);

    async function savedOn(text: string): Promise<string | undefined> {
      const row = await t.database.db
        .selectFrom('progress_updates')
        .select('progress_on')
        .where('action_id', '=', actionId)
        .where('text', '=', text)
        .executeTakeFirst();
      return row?.progress_on;
    }

    it('saves a date whose month was typed as a name, an abbreviation or "Sept", in any case', async () => {
      const cases: [Record<string, string>, string][] = [
        [{ 'progressOn-day': '20', 'progressOn-month': 'November', 'progressOn-year': '2026' }, '2026-11-20'],
        [{ 'progressOn-day': '6', 'progressOn-month': 'jan', 'progressOn-year': '2026' }, '2026-01-06'],
        [{ 'progressOn-day': '30', 'progressOn-month': 'SEPT', 'progressOn-year': '2026' }, '2026-09-30'],
        [{ 'progressOn-day': '6 Jan 2026', 'progressOn-month': '', 'progressOn-year': '' }, '2026-01-06'],
      ];
      for (const [index, [boxes, iso]] of cases.entries()) {
        const text = `Update typed with a month in words, number ${index + 1}.`;
        const res = await post(boxes, text);
        assert.equal(res.statusCode, 303, `${JSON.stringify(boxes)}: ${visibleText(res.body)}`);
        assert.equal(await savedOn(text), iso, JSON.stringify(boxes));
      }
      const page = visibleText((await editor.get(`/reviews/${reviewId}/actions/${actionId}`)).body);
      assert.match(page, /30 September 2026 By Dora Dates/);
    });

    it('explains a month it cannot read, and shows what was typed again', async () => {
      const res = await post(
        { 'progressOn-day': '6', 'progressOn-month': 'Janvier', 'progressOn-year': '2026' },
        'Never saved.',
      );
      assert.equal(res.statusCode, 400);
      assert.match(
        visibleText(res.body),
        /There is a problem Enter the date of the update in numbers, for example 31 3 2027/,
      );
      assert.match(res.body, /id="progressOn-month"[^>]*value="Janvier"/);
      assert.equal(await savedOn('Never saved.'), undefined);
    });
  });
}
