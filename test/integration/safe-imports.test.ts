import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import type { Db } from '../../src/platform/db/database.ts';
import { COMMAND_LINE } from '../../src/features/imports/importer.ts';
import { ImportRejected } from '../../src/features/imports/errors.ts';
import {
  importPlanNow,
  loadImport,
  revertability,
  startPlanImport,
} from '../../src/features/imports/imports.service.ts';
import { loadConfig } from '../../src/config.ts';
import type { AppContext } from '../../src/features/context.ts';
import { loadDemo } from '../../src/features/demo/demo.service.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { startTestApp, TEST_TODAY, visibleText, type TestApp } from '../helpers/app.ts';
import { Client, type FilePart } from '../helpers/client.ts';
import { createOrganisation, createReview } from '../helpers/factories.ts';
import { addMember, createUser, sessionFor } from '../helpers/people.ts';

/*
 * A plan import that is safe to confirm (issue 15, part 4), on the demo review: a plan for another
 * area is stopped until it is confirmed as this review's plan, naming what differs; the preview
 * shows what each agency cell was taken to mean, lets the coordinator say otherwise and remembers
 * it for the review; an outcome the review has is never overwritten, and the preview says so; a
 * recommendation the file words differently is shown beside the review's wording; and a file
 * imported before is known by its hash without being read again.
 */

const fixtures = path.resolve(import.meta.dirname, '../fixtures');
const WEST_SUSSEX_PLAN = 'west-sussex-2016-action-plan.xlsx';

function filePart(fileName: string, bytes: Uint8Array): FilePart {
  const type = fileName.endsWith('.csv')
    ? 'text/csv'
    : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  return { field: 'file', fileName, contentType: type, bytes };
}

function importIdFrom(res: LightMyRequestResponse): number {
  assert.equal(res.statusCode, 303, res.body);
  const m = /^\/imports\/(\d+)$/.exec(String(res.headers.location));
  assert.ok(m, `sent to the preview, not ${String(res.headers.location)}`);
  return Number(m[1]);
}

/** A CSV cell, quoted. */
const cell = (text: string) => `"${text.replace(/"/g, '""')}"`;

function csv(rows: string[][]): Buffer {
  return Buffer.from(rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n', 'utf8');
}

async function count(db: Db, table: 'actions' | 'recommendations' | 'imports' | 'action_organisations') {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
}

for (const target of databaseTargets) {
  describe(`a plan import that is safe to confirm, on ${target.name}`, () => {
    let t: TestApp;
    let db: Db;
    let reviewId: number;
    let coordinator: Client;
    let rec11: { text: string; outcome: string };

    before(async () => {
      t = await startTestApp(target);
      db = t.database.db;
      ({ reviewId } = await loadDemo(db, new Date(`${TEST_TODAY}T09:00:00Z`)));
      const user = await db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'coordinator@demo.clasp.invalid')
        .executeTakeFirstOrThrow();
      coordinator = new Client(t.app, await sessionFor(db, user.id));
      rec11 = await db
        .selectFrom('recommendations')
        .select(['text', 'outcome'])
        .where('review_id', '=', reviewId)
        .where('number', '=', '1.1')
        .executeTakeFirstOrThrow();
    });
    after(() => t.close());

    it("stops another area's plan until it is confirmed as this review's, naming what differs", async () => {
      const importId = importIdFrom(
        await coordinator.postMultipart(`/reviews/${reviewId}/import`, {}, [
          filePart(WEST_SUSSEX_PLAN, fs.readFileSync(path.join(fixtures, WEST_SUSSEX_PLAN))),
        ]),
      );
      const preview = visibleText((await coordinator.get(`/imports/${importId}`)).body);
      assert.match(preview, /This may be the wrong file/);
      assert.match(preview, /This file may not be the plan for the Rotherham review\./);
      assert.match(preview, /Only 0 of the 16 recommendations in the file match the review's/);
      assert.match(preview, /2\.1, 2\.2, 2\.3, 2\.4, 2\.5 and 1 more are worded as something else/);
      assert.match(preview, /10 are not in the review at all/);
      assert.match(preview, /It would add recommendation groups 5, 6, 7, 8, which the review does not have\./);
      assert.match(preview, /The file never names Rotherham\./);

      const before = { actions: await count(db, 'actions'), recommendations: await count(db, 'recommendations') };
      const refused = await coordinator.postForm(`/imports/${importId}/confirm`, {});
      assert.equal(refused.statusCode, 400);
      const refusedText = visibleText(refused.body);
      assert.match(refusedText, /There is a problem/);
      assert.match(refusedText, /This file may not be the plan for the Rotherham review\. Only 0 of the 16/);
      assert.match(refused.body, /href="#acceptMismatch"/);
      assert.deepEqual(
        { actions: await count(db, 'actions'), recommendations: await count(db, 'recommendations') },
        before,
        'nothing was written',
      );
      // The import is still waiting: refusing it did not mark it imported.
      const api = await coordinator.getJson(`/api/imports/${importId}`);
      assert.equal(api.json().status, 'pending');
      assert.equal(api.json().fit.mismatch, true);
      const apiRefused = await coordinator.sendJson('POST', `/api/imports/${importId}/confirm`, {});
      assert.equal(apiRefused.statusCode, 400);
      assert.equal(apiRefused.json().errors[0].field, 'acceptMismatch');

      // The command line is refused the same way, before anything is kept.
      const ctx = appContext(db);
      const imports = await count(db, 'imports');
      await assert.rejects(
        importPlanNow(ctx, COMMAND_LINE, reviewId, {
          fileName: WEST_SUSSEX_PLAN,
          content: fs.readFileSync(path.join(fixtures, WEST_SUSSEX_PLAN)),
        }),
        (error: unknown) =>
          error instanceof ImportRejected &&
          /may not be the plan for the Rotherham review/.test(error.message) &&
          /If it is the right plan, run the command again with --accept-mismatch\.$/.test(error.message),
      );
      assert.equal(await count(db, 'imports'), imports);

      const accepted = await coordinator.postForm(`/imports/${importId}/confirm`, { acceptMismatch: 'yes' });
      assert.equal(accepted.statusCode, 303, accepted.body);
      assert.equal(await count(db, 'recommendations'), before.recommendations + 10);
    });

    it('shows what each agency stands for, lets the coordinator say otherwise, and remembers it', async () => {
      const partner = await createOrganisation(db, { kind: 'other', name: 'Acme Community Care' });
      // Acme takes part in the review once it is named on an action; until then it is not offered.
      const file = csv([
        ['Recommendation number', 'Recommendation', 'Agency', 'SMART action', 'By when'],
        ['1.1', rec11.text, 'TRFT', 'Audit the new referral pathway with the trust.', 'March 2016'],
        ['1.1', rec11.text, 'Acme care partners', 'Train the care partners on the pathway.', 'April 2016'],
        ['1.1', rec11.text, 'Acme care partners', 'Report the training figures to the board.', 'May 2016'],
      ]);
      const importId = importIdFrom(
        await coordinator.postMultipart(`/reviews/${reviewId}/import`, {}, [filePart('agencies.csv', file)]),
      );
      const page = await coordinator.get(`/imports/${importId}`);
      const text = visibleText(page.body);
      assert.doesNotMatch(text, /This may be the wrong file/);
      assert.match(text, /Which organisation each agency stands for/);
      assert.match(text, /2 new actions would arrive with no organisation/);
      assert.match(text, /"TRFT" \(1 new action\) As read: The Rotherham NHS Foundation Trust/);
      assert.match(text, /"Acme care partners" \(2 new actions\)/);
      // Each column is shown with the first values under its heading, to check what feeds what.
      assert.match(text, /Column 3: Agency First values: “TRFT”, “Acme care partners” Recommendation number/);
      assert.match(text, /Column 5: By when First values: “March 2016”, “April 2016”, “May 2016”/);

      // An organisation that is not in Clasp cannot be chosen; the API lists those that can.
      const refused = await coordinator.sendJson('POST', `/api/imports/${importId}/agencies`, {
        agencies: [{ agency: 'Acme care partners', organisationIds: [999_999] }],
      });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.json().errors[0].message, /must list organisations the preview offers/);
      const offered = (await coordinator.getJson(`/api/imports/${importId}`)).json().organisations as {
        id: number;
        takingPart: boolean;
      }[];
      assert.deepEqual(
        offered.find((o) => o.id === partner),
        { id: partner, name: 'Acme Community Care', takingPart: false },
      );
      assert.match(page.body, /Acme Community Care \(not yet taking part: it will take part\)/);

      // The trust is: say the Acme cells stand for it (the select lists organisations taking part).
      const trust = await db
        .selectFrom('organisations')
        .select('id')
        .where('name', '=', 'The Rotherham NHS Foundation Trust')
        .executeTakeFirstOrThrow();
      assert.match(page.body, new RegExp(`<option value="${trust.id}"`));
      const saved = await coordinator.postForm(`/imports/${importId}/agencies`, {
        'agency-0': '',
        'agency-1': String(trust.id),
      });
      assert.equal(saved.statusCode, 303, saved.body);
      const after = visibleText((await coordinator.get(`/imports/${importId}`)).body);
      assert.doesNotMatch(after, /would arrive with no organisation/);
      assert.match(
        after,
        /"Acme care partners" \(2 new actions\) You said it stands for The Rotherham NHS Foundation Trust/,
      );
      const audit = await db
        .selectFrom('audit_events')
        .select('after')
        .where('action', '=', 'agency mapped')
        .where('review_id', '=', reviewId)
        .execute();
      assert.equal(audit.length, 2);

      const before = await count(db, 'action_organisations');
      assert.equal((await coordinator.postForm(`/imports/${importId}/confirm`, {})).statusCode, 303);
      const given = await db
        .selectFrom('actions')
        .innerJoin('action_organisations', 'action_organisations.action_id', 'actions.id')
        .select(['actions.action_text', 'action_organisations.organisation_id'])
        .where('actions.review_id', '=', reviewId)
        .where('actions.agency_text', 'in', ['TRFT', 'Acme care partners'])
        .execute();
      assert.equal(given.length, 3);
      assert.ok(given.every((g) => g.organisation_id === trust.id));
      assert.equal(await count(db, 'action_organisations'), before + 3);

      // A later plan into the review reads the same words the same way, and says who chose it.
      const later = csv([
        ['Recommendation number', 'Recommendation', 'Agency', 'SMART action', 'By when'],
        ['1.1', rec11.text, 'ACME CARE PARTNERS', 'Repeat the training audit a year on.', 'May 2017'],
      ]);
      const laterId = importIdFrom(
        await coordinator.postMultipart(`/reviews/${reviewId}/import`, {}, [filePart('later.csv', later)]),
      );
      const laterJson = (await coordinator.getJson(`/api/imports/${laterId}`)).json();
      assert.deepEqual(laterJson.agencies, [
        { agency: 'ACME CARE PARTNERS', organisationIds: [trust.id], how: 'chosen', actions: 1 },
      ]);
      assert.equal(laterJson.actionsWithoutOrganisation, 0);
      // Saying "no organisation" is remembered too, and then not asked about again as a warning.
      const none = await coordinator.sendJson('POST', `/api/imports/${laterId}/agencies`, {
        agencies: [{ agency: 'ACME CARE PARTNERS', organisationIds: [] }],
      });
      assert.equal(none.statusCode, 200, none.body);
      assert.equal(none.json().actionsWithoutOrganisation, 1);
      assert.ok(!none.json().warnings.some((w: string) => w.includes('names no organisation taking part')));
      assert.ok(none.json().warnings.some((w: string) => w.includes('1 new action would arrive with no organisation')));
      // An organisation of Clasp's that is not yet taking part can be chosen: it then takes part.
      const acme = await coordinator.sendJson('POST', `/api/imports/${laterId}/agencies`, {
        agencies: [{ agency: 'ACME CARE PARTNERS', organisationIds: [partner] }],
      });
      assert.equal(acme.statusCode, 200, acme.body);
      assert.equal((await coordinator.postForm(`/imports/${laterId}/confirm`, {})).statusCode, 303);
      const taking = await db
        .selectFrom('action_organisations')
        .innerJoin('actions', 'actions.id', 'action_organisations.action_id')
        .select('actions.action_text')
        .where('action_organisations.organisation_id', '=', partner)
        .where('actions.review_id', '=', reviewId)
        .execute();
      assert.deepEqual(taking, [{ action_text: 'Repeat the training audit a year on.' }]);
    });

    it("never overwrites an outcome; shows a recommendation worded otherwise beside the review's", async () => {
      const reworded = `${rec11.text.replace(/\.$/, '')}, with the designated nurse.`;
      const file = csv([
        ['Recommendation number', 'Recommendation', 'Outcome', 'SMART action', 'By when'],
        ['1.1', reworded, 'Every child seen within a week.', 'Check the waiting times each month.', 'June 2016'],
      ]);
      // Give 1.1 an outcome first if the demo has none, the way a coordinator would.
      if (!rec11.outcome.trim()) {
        await db
          .updateTable('recommendations')
          .set({ outcome: 'Children are seen promptly.' })
          .where('review_id', '=', reviewId)
          .where('number', '=', '1.1')
          .execute();
      }
      const outcome = (
        await db
          .selectFrom('recommendations')
          .select('outcome')
          .where('review_id', '=', reviewId)
          .where('number', '=', '1.1')
          .executeTakeFirstOrThrow()
      ).outcome;
      const importId = importIdFrom(
        await coordinator.postMultipart(`/reviews/${reviewId}/import`, {}, [filePart('outcomes.csv', file)]),
      );
      const text = visibleText((await coordinator.get(`/imports/${importId}`)).body);
      assert.match(text, /Recommendations the file words differently/);
      assert.ok(text.includes(`1.1 ${rec11.text.replace(/\s+/g, ' ')} ${reworded}`), text);
      assert.match(text, /Outcomes not used/);
      assert.ok(text.includes(`${outcome.replace(/\s+/g, ' ')} Every child seen within a week.`), text);
      assert.equal((await coordinator.postForm(`/imports/${importId}/confirm`, {})).statusCode, 303);
      const after = await db
        .selectFrom('recommendations')
        .select(['outcome', 'text'])
        .where('review_id', '=', reviewId)
        .where('number', '=', '1.1')
        .executeTakeFirstOrThrow();
      assert.equal(after.outcome, outcome, 'the outcome is kept');
      assert.equal(after.text, rec11.text, "the review's wording is kept");
    });

    it('knows a file imported before by its hash, without reading it again', async () => {
      const file = csv([
        ['Recommendation number', 'Recommendation', 'SMART action', 'By when'],
        ['1.1', rec11.text, 'Publish the pathway on the partnership website.', 'July 2016'],
      ]);
      const first = importIdFrom(
        await coordinator.postMultipart(`/reviews/${reviewId}/import`, {}, [filePart('hash.csv', file)]),
      );
      assert.equal((await coordinator.postForm(`/imports/${first}/confirm`, {})).statusCode, 303);

      // A reading would time out at once under this limit; a file known by its hash is not read.
      const base = appContext(db);
      const hurried: AppContext = { ...base, config: { ...base.config, importTimeLimitMs: 1 } };
      const importer = COMMAND_LINE;
      await assert.rejects(
        startPlanImport(hurried, importer, reviewId, { fileName: 'other.csv', content: csv([['a'], ['b']]) }),
        'a file not seen before is read, and the limit refuses it',
      );
      const again = await startPlanImport(hurried, importer, reviewId, { fileName: 'hash-copy.csv', content: file });
      const view = await loadImport(hurried, importer, again);
      assert.ok(view.kind === 'plan' && view.changes.nothingToDo);
      assert.ok(view.sameFile);
      const uploaded = importIdFrom(
        await coordinator.postMultipart(`/reviews/${reviewId}/import`, {}, [filePart('hash-again.csv', file)]),
      );
      const page = visibleText((await coordinator.get(`/imports/${uploaded}`)).body);
      assert.match(page, /This file was imported into this review on \d+ \w+ \d{4} by /);
      assert.match(page, /It was not read again/);
      assert.match(page, /Everything in this file is already in the plan/);
    });

    it('reverts a confirmed import within a day while nothing is built on it, and the file can come back', async () => {
      const present = await db
        .selectFrom('actions')
        .innerJoin('recommendations', 'recommendations.id', 'actions.recommendation_id')
        .select(['actions.id', 'actions.action_text'])
        .where('actions.review_id', '=', reviewId)
        .where('recommendations.number', '=', '2.1')
        .where('actions.archived_at', 'is', null)
        .orderBy('actions.position')
        .executeTakeFirstOrThrow();
      const rec21 = await db
        .selectFrom('recommendations')
        .select(['id', 'text'])
        .where('review_id', '=', reviewId)
        .where('number', '=', '2.1')
        .executeTakeFirstOrThrow();
      // An empty detail the file fills in, and that reverting empties again.
      await db.updateTable('recommendations').set({ anticipated_evidence: '' }).where('id', '=', rec21.id).execute();
      const file = csv([
        ['Recommendation number', 'Recommendation', 'SMART action', 'By when', 'Progress', 'Anticipated evidence'],
        [
          '2.1',
          rec21.text,
          present.action_text,
          'March 2016',
          '12 June 2016 – The pathway was audited again.',
          'Audit reports',
        ],
        ['2.1', rec21.text, 'Publish the audit summary for families.', 'August 2016', '', 'Audit reports'],
        ['2.9', 'Review the pathway with families a year on.', 'Hold two family forums.', 'October 2016', '', ''],
      ]);
      const importId = importIdFrom(
        await coordinator.postMultipart(`/reviews/${reviewId}/import`, {}, [filePart('revert.csv', file)]),
      );
      assert.equal((await coordinator.postForm(`/imports/${importId}/confirm`, {})).statusCode, 303);

      const list = await coordinator.get(`/reviews/${reviewId}/import`);
      assert.match(list.body, new RegExp(`href="/reviews/${reviewId}/imports/${importId}/revert"`));
      const page = await coordinator.get(`/reviews/${reviewId}/imports/${importId}/revert`);
      assert.equal(page.statusCode, 200);
      const text = visibleText(page.body);
      assert.match(text, /Revert this import/);
      assert.match(text, /New actions 2/);
      assert.match(text, /New recommendations 1/);

      // Readers may not revert; nor may anyone without the form's token.
      const viewerId = (
        await db
          .selectFrom('users')
          .select('id')
          .where('email', '=', 'viewer@demo.clasp.invalid')
          .executeTakeFirstOrThrow()
      ).id;
      const viewer = new Client(t.app, await sessionFor(db, viewerId));
      assert.equal((await viewer.get(`/reviews/${reviewId}/imports/${importId}/revert`)).statusCode, 403);
      assert.equal((await viewer.postForm(`/reviews/${reviewId}/imports/${importId}/revert`, {})).statusCode, 403);
      assert.equal(
        (await coordinator.postForm(`/reviews/${reviewId}/imports/${importId}/revert`, {}, { csrf: false })).statusCode,
        403,
      );

      const reverted = await coordinator.postForm(`/reviews/${reviewId}/imports/${importId}/revert`, {});
      assert.equal(reverted.statusCode, 303, reverted.body);
      const live = await db
        .selectFrom('actions')
        .select('id')
        .where('import_id', '=', importId)
        .where('archived_at', 'is', null)
        .execute();
      assert.equal(live.length, 0, "the import's actions are archived");
      const withdrawn = await db
        .selectFrom('withdrawals')
        .innerJoin('progress_updates', 'progress_updates.id', 'withdrawals.progress_update_id')
        .select(['withdrawals.reason', 'progress_updates.action_id'])
        .where('progress_updates.import_id', '=', importId)
        .execute();
      assert.deepEqual(withdrawn, [{ reason: 'The import of revert.csv was reverted.', action_id: present.id }]);
      const rec29 = await db
        .selectFrom('recommendations')
        .select(['archived_at'])
        .where('review_id', '=', reviewId)
        .where('number', '=', '2.9')
        .executeTakeFirstOrThrow();
      assert.ok(rec29.archived_at, 'the recommendation it made is archived');
      const details = await db
        .selectFrom('recommendations')
        .select('anticipated_evidence')
        .where('id', '=', rec21.id)
        .executeTakeFirstOrThrow();
      assert.equal(details.anticipated_evidence, '', 'the detail it filled in is empty again');
      const audit = await db
        .selectFrom('audit_events')
        .select(['action'])
        .where('entity_type', '=', 'import')
        .where('entity_id', '=', String(importId))
        .orderBy('id')
        .execute();
      assert.deepEqual(
        audit.map((a) => a.action),
        ['imported', 'reverted'],
      );
      const after = visibleText((await coordinator.get(`/reviews/${reviewId}/import`)).body);
      assert.match(after, /Reverted on \d+ \w+ \d{4} by Demo plan coordinator/);
      const again = await coordinator.sendJson('POST', `/api/reviews/${reviewId}/imports/${importId}/revert`, {});
      assert.equal(again.statusCode, 409);
      assert.match(again.json().error, /reverted already/);

      // The same file again is read afresh and brings everything back, recommendation 2.9 included.
      const back = importIdFrom(
        await coordinator.postMultipart(`/reviews/${reviewId}/import`, {}, [filePart('revert.csv', file)]),
      );
      const backJson = (await coordinator.getJson(`/api/imports/${back}`)).json();
      assert.equal(backJson.sameFile, null);
      assert.equal(backJson.changes.actionsNew, 2);
      assert.equal(backJson.changes.progressNew, 1);
      // 2.9 went with the revert: the preview counts it as new again, as it did the first time.
      assert.equal(backJson.changes.recommendationsNew, 1);
      assert.match(
        visibleText((await coordinator.get(`/imports/${back}`)).body),
        /Recommendation 2\.9 is not in the review: it will be added\./,
      );
      assert.equal((await coordinator.postForm(`/imports/${back}/confirm`, {})).statusCode, 303);
      const restored = await db
        .selectFrom('recommendations')
        .select(['archived_at', 'import_id'])
        .where('review_id', '=', reviewId)
        .where('number', '=', '2.9')
        .executeTakeFirstOrThrow();
      assert.deepEqual(restored, { archived_at: null, import_id: back });

      // Once the plan has changed since, the import is not reverted: work may have been built on it.
      await db
        .updateTable('recommendations')
        .set({ assurance: 'Checked at the July meeting.' })
        .where('review_id', '=', reviewId)
        .where('number', '=', '2.9')
        .execute();
      const refused = await coordinator.sendJson('POST', `/api/reviews/${reviewId}/imports/${back}/revert`, {});
      assert.equal(refused.statusCode, 400);
      assert.match(refused.json().error, /The plan has changed since this import/);
    });
  });
}

for (const target of databaseTargets) {
  describe(`a long read goes on in the background while its page shows how it goes, on ${target.name}`, () => {
    let t: TestApp;
    let db: Db;
    let reviewId: number;
    let coordinator: Client;

    before(async () => {
      // Pages do not wait at all, so every read goes on in the background.
      t = await startTestApp(target, { env: { CLASP_IMPORT_WAIT_SECONDS: '0' } });
      db = t.database.db;
      const lead = await createOrganisation(db, { kind: 'commissioner', name: 'Readshire CCG' });
      reviewId = await createReview(db, { leadOrganisationId: lead });
      const userId = await createUser(db, { name: 'Rae Reader' });
      await addMember(db, { userId, reviewId, organisationId: lead, role: 'coordinator' });
      coordinator = new Client(t.app, await sessionFor(db, userId));
    });
    after(() => t.close());

    /** The import's page, asked for again until the reading is over, as its refresh does. */
    async function whenRead(importId: number): Promise<string> {
      for (let i = 0; i < 600; i += 1) {
        const page = await coordinator.get(`/imports/${importId}`);
        if (!/Reading the file/.test(page.body)) return visibleText(page.body);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error('the file was still being read after a minute');
    }

    it('shows the reading page, which is checked again until the preview shows', async () => {
      const file = csv([
        ['Recommendation number', 'Recommendation', 'SMART action', 'By when'],
        ['1.1', 'Make the pathway known to every practice.', 'Send the pathway to every practice.', 'March 2026'],
      ]);
      const importId = importIdFrom(
        await coordinator.postMultipart(`/reviews/${reviewId}/import`, {}, [filePart('slow.csv', file)]),
      );
      const reading = await coordinator.get(`/imports/${importId}`);
      assert.equal(reading.statusCode, 200);
      // No meta refresh (it would restart a screen reader every few seconds): a script checks
      // again, and so does the page's link.
      assert.doesNotMatch(reading.body, /http-equiv="refresh"/);
      assert.match(
        reading.body,
        /<script type="module" src="\/static\/reading-check\.[0-9a-f]+\.js" data-check-seconds="2">/,
      );
      assert.match(reading.body, new RegExp(`<a href="/imports/${importId}" id="check-again">Check again</a>`));
      assert.match(visibleText(reading.body), /Reading the file Clasp has been reading it for \d+ seconds?\./);
      const api = await coordinator.getJson(`/api/imports/${importId}`);
      if (api.statusCode === 202) assert.equal(api.json().status, 'reading');
      const preview = await whenRead(importId);
      assert.match(preview, /Check the plan before importing it/);
      assert.match(preview, /New actions 1/);
      assert.equal((await coordinator.getJson(`/api/imports/${importId}`)).statusCode, 200);
    });

    it('lets a page wait for the reading to end, looking in the database as another instance would', async () => {
      const rows = [['Recommendation number', 'Recommendation', 'SMART action', 'By when']];
      for (let i = 1; i <= 400; i += 1)
        rows.push([`1.${i}`, `Make pathway ${i} known to every practice.`, `Send pathway ${i} out.`, 'March 2026']);
      const importId = importIdFrom(
        await coordinator.postMultipart(`/reviews/${reviewId}/import`, {}, [filePart('waited.csv', csv(rows))]),
      );
      const view = await loadImport(appContext(db), COMMAND_LINE, importId, { waitMs: 60_000 });
      assert.equal(view.kind, 'plan', 'the wait ends with what was read');
    });

    it('says plainly when the file could not be read, and saves nothing', async () => {
      const importId = importIdFrom(
        await coordinator.postMultipart(`/reviews/${reviewId}/import`, {}, [
          filePart('notes.csv', Buffer.from('just some words\n', 'utf8')),
        ]),
      );
      const page = await whenRead(importId);
      assert.match(page, /The file could not be read There is a problem/);
      assert.match(page, /Nothing from the file was saved\. Upload a file again/);
      const api = await coordinator.getJson(`/api/imports/${importId}`);
      assert.equal(api.statusCode, 202);
      assert.equal(api.json().status, 'failed');
      assert.ok(api.json().message.length > 20);
      const refused = await coordinator.sendJson('POST', `/api/imports/${importId}/confirm`, {});
      assert.equal(refused.statusCode, 400);
      assert.equal(refused.json().error, api.json().message);
      assert.equal(await count(db, 'actions'), 0);
    });
  });
}

describe('when a plan import can be reverted', () => {
  const row = {
    kind: 'plan' as const,
    status: 'imported' as const,
    reverted_at: null,
    decided_at: '2026-11-23T09:00:00.000Z',
    confirmed_revision: 40,
  };
  it('within a day, while the plan is as the import left it', () => {
    assert.deepEqual(revertability(row, new Date('2026-11-24T08:59:00Z'), 40), { can: true });
  });
  it('not after a day, nor once the plan has changed, nor twice', () => {
    const why = (state: ReturnType<typeof revertability>) => (state.can ? '' : state.why);
    assert.match(why(revertability(row, new Date('2026-11-24T09:01:00Z'), 40)), /within a day/);
    assert.match(why(revertability(row, new Date('2026-11-23T10:00:00Z'), 41)), /changed/);
    const twice = { ...row, reverted_at: '2026-11-23T10:00:00Z' };
    assert.match(why(revertability(twice, new Date('2026-11-23T10:00:00Z'), 40)), /already/);
  });
});

function appContext(db: Db): AppContext {
  return {
    db,
    config: loadConfig({ LOG_LEVEL: 'silent', CLASP_DATA_DIR: '/nonexistent/clasp-test-data' }),
    staleDays: 90,
    now: () => new Date(),
    today: () => TEST_TODAY,
  };
}
