import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Db } from '../../src/platform/db/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { databaseTargets } from '../helpers/databases.ts';
import {
  createAction,
  createFinding,
  createGroup,
  createOrganisation,
  createRecommendation,
  createReview,
} from '../helpers/factories.ts';
import { signedInMember } from '../helpers/people.ts';

/*
 * PATCH changes only the fields sent, through the same form, checks and service as PUT: the
 * other fields keep their saved values, a stale version is refused with what changed, the same
 * people may do it, and the audit trail records the change as for PUT. PUT replaces every field.
 */

type Json = Record<string, unknown>;

for (const target of databaseTargets) {
  describe(`PATCH on ${target.name}`, () => {
    let t: TestApp;
    let db: Db;
    let reviewId: number;
    let trust: number;
    let icb: number;
    let groupId: number;
    let actionId: number;
    let coordinator: Client;
    let editor: Client;
    let otherEditor: Client;
    let viewer: Client;

    const actionUrl = () => `/api/reviews/${reviewId}/actions/${actionId}`;
    const actionVersion = async () =>
      (await db.selectFrom('actions').select('version').where('id', '=', actionId).executeTakeFirstOrThrow()).version;
    const auditCount = async (entityType: string) =>
      (
        await db
          .selectFrom('audit_events')
          .select('id')
          .where('review_id', '=', reviewId)
          .where('entity_type', '=', entityType)
          .execute()
      ).length;

    before(async () => {
      t = await startTestApp(target);
      db = t.database.db;
      trust = await createOrganisation(db, { name: 'Patchford Hospitals NHS Foundation Trust' });
      icb = await createOrganisation(db, { name: 'NHS Patchford Integrated Care Board', kind: 'commissioner' });
      const council = await createOrganisation(db, { name: 'Patchford Council', kind: 'local_authority' });
      reviewId = await createReview(db, { area: 'Patchford', coveredOrganisationIds: [trust, icb, council] });
      groupId = await createGroup(db, reviewId, 1, [trust, icb]);
      const recommendationId = await createRecommendation(db, { reviewId, groupId, number: '1.1' });
      actionId = await createAction(db, { reviewId, recommendationId, organisationIds: [trust] });
      await createFinding(db, { reviewId, number: '2.4', recommendationIds: [recommendationId] });
      coordinator = new Client(t.app, await signedInMember(db, { reviewId, organisationId: icb, role: 'coordinator' }));
      editor = new Client(t.app, await signedInMember(db, { reviewId, organisationId: trust, role: 'editor' }));
      otherEditor = new Client(t.app, await signedInMember(db, { reviewId, organisationId: council, role: 'editor' }));
      viewer = new Client(t.app, await signedInMember(db, { reviewId, organisationId: trust, role: 'viewer' }));
    });
    after(() => t.close());

    it('changes one field of an action and leaves every other exactly as it was', async () => {
      // Every field given a value first, through PUT.
      const full = {
        agencyText: 'The Trust and the ICB',
        organisationIds: [trust, icb],
        actionText: 'Audit 20 records of looked after children each quarter',
        leadText: 'Named nurse for looked after children',
        dateWords: 'End of March 2027',
        dueDate: '2027-03-31',
        measure: 'Audit results reported to the board',
        assurance: 'Quarterly report to the safeguarding partnership',
        sustainHow: 'A re-audit after six months',
        reassuranceDueOn: '2027-09-30',
        version: await actionVersion(),
      };
      const put = await coordinator.sendJson('PUT', actionUrl(), full);
      assert.equal(put.statusCode, 200, put.body);
      const before = put.json().action as Json;
      const rowBefore = await db.selectFrom('actions').selectAll().where('id', '=', actionId).executeTakeFirstOrThrow();
      const auditBefore = await auditCount('action');

      const patch = await editor.sendJson('PATCH', actionUrl(), {
        measure: '95% of records show the child’s voice',
        version: before.version,
      });
      assert.equal(patch.statusCode, 200, patch.body);
      const afterPatch = patch.json().action as Json;
      assert.equal(afterPatch.measure, '95% of records show the child’s voice');
      assert.equal(afterPatch.version, Number(before.version) + 1);
      assert.deepEqual(
        { ...afterPatch, measure: before.measure, version: before.version },
        before,
        'every field not sent is as it was',
      );

      const rowAfter = await db.selectFrom('actions').selectAll().where('id', '=', actionId).executeTakeFirstOrThrow();
      assert.deepEqual(
        { ...rowAfter, measure: rowBefore.measure, version: rowBefore.version, updated_at: rowBefore.updated_at },
        rowBefore,
        'as saved: only the measure changed',
      );
      const organisations = await db
        .selectFrom('action_organisations')
        .select('organisation_id')
        .where('action_id', '=', actionId)
        .orderBy('organisation_id')
        .execute();
      assert.deepEqual(
        organisations.map((o) => o.organisation_id),
        [trust, icb].sort((a, b) => a - b),
      );

      // The audit trail records the change as PUT does: one event, the measure before and after.
      assert.equal(await auditCount('action'), auditBefore + 1);
      const event = await db
        .selectFrom('audit_events')
        .selectAll()
        .where('entity_type', '=', 'action')
        .where('entity_id', '=', String(actionId))
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      assert.equal(event.action, 'updated');
      assert.match(String(event.after), /95% of records show the child’s voice/);

      // The action page shows the fields it kept.
      const page = (await editor.getJson(actionUrl())).json();
      const shown = JSON.stringify(page);
      for (const kept of [full.actionText, full.leadText, full.dateWords, full.assurance, full.sustainHow])
        assert.ok(shown.includes(kept), kept);
      assert.ok(shown.includes('2027-03-31'));
    });

    it('refuses a PATCH on a stale version with 409 and what changed, as PUT does', async () => {
      const version = await actionVersion();
      const first = await coordinator.sendJson('PATCH', actionUrl(), { leadText: 'Head of safeguarding', version });
      assert.equal(first.statusCode, 200, first.body);
      const stale = await editor.sendJson('PATCH', actionUrl(), { leadText: 'Designated nurse', version });
      assert.equal(stale.statusCode, 409, stale.body);
      assert.match(stale.body, /Head of safeguarding/, 'says what was changed since');
      const put = await editor.sendJson('PUT', actionUrl(), {
        actionText: 'Anything',
        organisationIds: [trust],
        version,
      });
      assert.equal(put.statusCode, 409, 'PUT refuses the same');
      const row = await db
        .selectFrom('actions')
        .select('lead_text')
        .where('id', '=', actionId)
        .executeTakeFirstOrThrow();
      assert.equal(row.lead_text, 'Head of safeguarding', 'nothing was written');
    });

    it('refuses a field the action does not have, naming it, and a PATCH with nothing to change', async () => {
      const version = await actionVersion();
      const unknown = await coordinator.sendJson('PATCH', actionUrl(), { mesure: 'Typo', version });
      assert.equal(unknown.statusCode, 400, unknown.body);
      const errors = unknown.json().errors as { field: string; message: string }[];
      assert.deepEqual(
        errors.map((e) => e.field),
        ['mesure'],
      );
      const [problem] = errors;
      assert.ok(problem);
      assert.match(problem.message, /"mesure" is not a field of an? action/);
      assert.match(problem.message, /measure/, 'lists the fields it has');

      for (const body of [{}, { version }]) {
        const empty = await coordinator.sendJson('PATCH', actionUrl(), body);
        assert.equal(empty.statusCode, 400, JSON.stringify(body));
        assert.match(empty.body, /Send at least one field of the action to change/);
      }
      const notObject = await coordinator.sendJson('PATCH', actionUrl(), ['measure']);
      assert.equal(notObject.statusCode, 400);
      assert.equal(await actionVersion(), version, 'nothing was written');
    });

    it('asks for the version, as PUT does', async () => {
      const res = await coordinator.sendJson('PATCH', actionUrl(), { leadText: 'Named nurse' });
      assert.equal(res.statusCode, 400, res.body);
      assert.match(res.body, /Send the version of the action you are changing/);
    });

    it('lets the same people PATCH as PUT', async () => {
      const version = await actionVersion();
      for (const [who, client] of [
        ['an editor for another organisation', otherEditor],
        ['a viewer', viewer],
      ] as const) {
        const patch = await client.sendJson('PATCH', actionUrl(), { leadText: 'Someone else', version });
        const put = await client.sendJson('PUT', actionUrl(), { actionText: 'x', organisationIds: [trust], version });
        assert.equal(patch.statusCode, 403, `${who}: PATCH`);
        assert.equal(put.statusCode, 403, `${who}: PUT`);
      }
      const withoutToken = await coordinator.sendJson(
        'PATCH',
        actionUrl(),
        { leadText: 'No CSRF token', version },
        { csrf: false },
      );
      assert.equal(withoutToken.statusCode, 403, 'a session without the CSRF token is refused');
      const anonymous = await t.anonymous.sendJson('PATCH', actionUrl(), { leadText: 'Nobody', version });
      assert.equal(anonymous.statusCode, 401);
      const stranger = await t.anonymous.sendJson('PATCH', `/api/reviews/${reviewId}/actions/999999`, {});
      assert.ok([401, 404].includes(stranger.statusCode));

      // Only a coordinator changes recommendations, findings and groups, by PATCH as by PUT.
      const urls = [
        `/api/reviews/${reviewId}/recommendations/1.1`,
        `/api/reviews/${reviewId}/findings/2.4`,
        `/api/reviews/${reviewId}/groups/${groupId}`,
      ];
      for (const url of urls) {
        const patch = await editor.sendJson('PATCH', url, { text: 'Changed', version: 1 });
        const put = await editor.sendJson('PUT', url, { text: 'Changed', version: 1 });
        assert.equal(patch.statusCode, 403, `PATCH ${url}`);
        assert.equal(put.statusCode, 403, `PUT ${url}`);
      }
      assert.equal(await actionVersion(), version, 'nothing was written');
    });

    it('changes one field of a recommendation, a finding and a group', async () => {
      const recommendation = await coordinator.sendJson('PATCH', `/api/reviews/${reviewId}/recommendations/1.1`, {
        outcome: 'Children’s views shape the help they get',
        version: 1,
      });
      assert.equal(recommendation.statusCode, 200, recommendation.body);
      const r = recommendation.json().recommendation as Json;
      assert.equal(r.outcome, 'Children’s views shape the help they get');
      assert.equal(r.text, 'Recommendation text 1.1', 'the text is kept');
      assert.equal(r.groupId, groupId, 'the group is kept');
      assert.equal(r.number, '1.1');

      const finding = await coordinator.sendJson('PATCH', `/api/reviews/${reviewId}/findings/2.4`, {
        publicHealth: true,
        version: 1,
      });
      assert.equal(finding.statusCode, 200, finding.body);
      const f = finding.json().finding as Json;
      assert.equal(f.publicHealth, true);
      assert.equal(f.text, 'Finding text 2.4', 'the text is kept');
      assert.equal(f.section, 'Early help', 'the section is kept');
      assert.equal(f.kind, 'concern', 'the kind is kept');
      assert.equal((f.recommendationIds as number[]).length, 1, 'the linked recommendation is kept');

      const group = await coordinator.sendJson('PATCH', `/api/reviews/${reviewId}/groups/${groupId}`, {
        heading: 'NHS Patchford ICB and the Trust should:',
        version: 1,
      });
      assert.equal(group.statusCode, 200, group.body);
      const g = group.json().group as Json;
      assert.equal(g.heading, 'NHS Patchford ICB and the Trust should:');
      assert.equal(g.number, 1, 'the number is kept');
      assert.deepEqual(
        g.organisationIds,
        [trust, icb].sort((a, b) => a - b),
        'the organisations are kept',
      );

      const refused = await coordinator.sendJson('PATCH', `/api/reviews/${reviewId}/groups/${groupId}`, {
        headline: 'x',
        version: 2,
      });
      assert.equal(refused.statusCode, 400);
      assert.equal(refused.json().errors[0].field, 'headline');
    });

    it('saves a field left out of a PUT empty', async () => {
      const version = await actionVersion();
      const put = await coordinator.sendJson('PUT', actionUrl(), {
        actionText: 'Audit 20 records each quarter',
        organisationIds: [trust, icb],
        dueDate: '2027-03-31',
        version,
      });
      assert.equal(put.statusCode, 200, put.body);
      assert.equal(put.json().action.leadText, '', 'PUT replaces every field');
      assert.equal(put.json().action.measure, '');
    });
  });
}
