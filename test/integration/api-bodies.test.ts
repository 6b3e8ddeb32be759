import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { z } from 'zod';
import { loadConfig } from '../../src/config.ts';
import type { AppContext } from '../../src/features/context.ts';
import type { Actor } from '../../src/domain/permissions.ts';
import type { Db } from '../../src/platform/db/database.ts';
import { actionForm, moveForm } from '../../src/features/actions/actions.forms.ts';
import { actionBody, moveBody } from '../../src/features/actions/actions.schemas.ts';
import { actionRules, newActionRules } from '../../src/features/actions/action-editing.service.ts';
import { assignmentForm } from '../../src/features/actions/assignments/assignments.forms.ts';
import { assignmentBody } from '../../src/features/actions/assignments/assignments.schemas.ts';
import { decideDueDateForm, proposeDueDateForm } from '../../src/features/actions/due-dates/due-dates.forms.ts';
import { dueDateDecisionBody, dueDateProposalBody } from '../../src/features/actions/due-dates/due-dates.schemas.ts';
import { decisionForm, evidenceForm } from '../../src/features/actions/evidence/evidence.forms.ts';
import { withdrawalForm } from '../../src/features/actions/evidence/withdrawal.forms.ts';
import {
  evidenceBody,
  evidenceDecisionBody,
  withdrawalBody,
} from '../../src/features/actions/evidence/evidence.schemas.ts';
import { evidenceRules } from '../../src/features/actions/evidence/evidence.service.ts';
import { progressForm } from '../../src/features/actions/progress/progress.forms.ts';
import { progressBody } from '../../src/features/actions/progress/progress.schemas.ts';
import { progressRules } from '../../src/features/actions/progress/progress.service.ts';
import { ratingForm } from '../../src/features/actions/rating/rating.forms.ts';
import { ratingBody } from '../../src/features/actions/rating/rating.schemas.ts';
import { ratingRules } from '../../src/features/actions/rating/rating.service.ts';
import { findingForm } from '../../src/features/findings/findings.forms.ts';
import { findingBody } from '../../src/features/findings/findings.schemas.ts';
import { findingRules } from '../../src/features/findings/finding-editing.service.ts';
import { groupForm } from '../../src/features/groups/groups.forms.ts';
import { groupBody } from '../../src/features/groups/groups.schemas.ts';
import { groupRules } from '../../src/features/groups/group-editing.service.ts';
import { agenciesForm, columnsForm, confirmForm, uploadForm } from '../../src/features/imports/imports.forms.ts';
import {
  agenciesBody,
  columnsBody,
  confirmBody,
  nothingBody,
  uploadBody,
} from '../../src/features/imports/imports.schemas.ts';
import { issueVersionForm } from '../../src/features/outputs/versions/versions.forms.ts';
import { issueVersionBody } from '../../src/features/outputs/versions/versions.schemas.ts';
import {
  approveResponseForm,
  askQuestionForm,
  draftResponseForm,
  questionDaysForm,
} from '../../src/features/questions/questions.forms.ts';
import {
  approveResponseBody,
  askQuestionBody,
  draftResponseBody,
  questionDaysBody,
} from '../../src/features/questions/questions.schemas.ts';
import { askOptions } from '../../src/features/questions/question-asking.service.ts';
import { recommendationForm } from '../../src/features/recommendations/recommendations.forms.ts';
import { recommendationBody } from '../../src/features/recommendations/recommendations.schemas.ts';
import { recommendationRules } from '../../src/features/recommendations/recommendation-editing.service.ts';
import { startTestApp, TEST_TODAY, type TestApp } from '../helpers/app.ts';
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
import { addMember, createUser, sessionFor } from '../helpers/people.ts';

/*
 * The request bodies the API description gives stay true to the forms that read them: each
 * description names exactly the fields its form reads (found by giving the real form, with real
 * rules from a review, an input that records every field it is asked for), and the example a
 * description gives is accepted by the real route, on each database.
 */

/** The fields a form reads from its input, in the order it reads them. */
async function fieldsRead(form: z.ZodType): Promise<string[]> {
  const read: string[] = [];
  const input = new Proxy(
    {},
    {
      get(_target, key) {
        if (typeof key === 'string' && !read.includes(key)) read.push(key);
        return undefined;
      },
    },
  );
  await form.safeParseAsync(input).catch(() => undefined);
  return read;
}

/** The fields a body description lists. */
function described(body: z.ZodObject): string[] {
  return Object.keys(body.shape);
}

/** Fields a form reads that only its page sends: a script sends their JSON twin instead. */
const PAGE_ONLY: Record<string, string[]> = {
  // The rating page has two forms, so a challenge's reasons have their own field there; JSON sends rationale.
  rating: ['challengeRationale'],
};

interface Example {
  content?: Record<string, { example?: Record<string, unknown> }>;
}

for (const target of databaseTargets) {
  describe(`request bodies on ${target.name}`, () => {
    let t: TestApp;
    let db: Db;
    let ctx: AppContext;
    let coordinatorActor: Actor;
    let coordinator: Client;
    let editor: Client;
    let reviewId: number;
    let trust: number;
    let actionId: number;
    let groupId: number;
    let description: { paths: Record<string, Record<string, { requestBody?: Example }>> };

    /** The example the API description gives for a route's JSON body. */
    const example = (path: string, method: string): Record<string, unknown> => {
      const found = description.paths[path]?.[method]?.requestBody?.content?.['application/json']?.example;
      assert.ok(found, `${method.toUpperCase()} ${path} gives an example body`);
      return found;
    };

    before(async () => {
      t = await startTestApp(target);
      db = t.database.db;
      ctx = {
        db,
        config: loadConfig({ LOG_LEVEL: 'silent', CLASP_DATA_DIR: '/nonexistent/clasp-test-data' }),
        staleDays: 90,
        now: () => new Date(),
        today: () => TEST_TODAY,
      };
      trust = await createOrganisation(db, { name: 'Bodyshire Hospitals NHS Foundation Trust' });
      const icb = await createOrganisation(db, { name: 'NHS Bodyshire Integrated Care Board', kind: 'commissioner' });
      reviewId = await createReview(db, { area: 'Bodyshire', coveredOrganisationIds: [trust, icb] });
      groupId = await createGroup(db, reviewId, 1, [trust]);
      const recommendationId = await createRecommendation(db, { reviewId, groupId, number: '1.1' });
      actionId = await createAction(db, { reviewId, recommendationId, organisationIds: [trust] });
      await createFinding(db, { reviewId, number: '2.4', recommendationIds: [recommendationId] });

      const coordinatorId = await createUser(db, { name: 'Cora Coordinator' });
      await addMember(db, { userId: coordinatorId, reviewId, organisationId: icb, role: 'coordinator' });
      coordinator = new Client(t.app, await sessionFor(db, coordinatorId));
      coordinatorActor = {
        userId: coordinatorId,
        name: 'Cora Coordinator',
        email: 'cora@example.nhs.uk',
        isAdmin: false,
        memberships: [{ reviewId, organisationId: icb, role: 'coordinator' }],
      };
      const editorId = await createUser(db, { name: 'Eddie Editor' });
      await addMember(db, { userId: editorId, reviewId, organisationId: trust, role: 'editor' });
      editor = new Client(t.app, await sessionFor(db, editorId));

      description = (await t.anonymous.getJson('/api/openapi.json')).json();
    });
    after(() => t.close());

    it('describes exactly the fields each form reads, with rules from a review', async () => {
      const actor = coordinatorActor;
      const forms: [string, z.ZodType, z.ZodObject][] = [
        ['action (new)', actionForm(await newActionRules(ctx, actor, reviewId, '1.1')), actionBody],
        ['action (change)', actionForm(await actionRules(ctx, actor, reviewId, actionId)), actionBody],
        ['move', moveForm, moveBody],
        ['assignment', assignmentForm, assignmentBody],
        ['due date proposal', proposeDueDateForm, dueDateProposalBody],
        ['due date decision', decideDueDateForm, dueDateDecisionBody],
        ['evidence', evidenceForm(await evidenceRules(ctx, actor, reviewId, actionId)), evidenceBody],
        ['evidence decision', decisionForm, evidenceDecisionBody],
        ['withdrawal', withdrawalForm, withdrawalBody],
        ['progress', progressForm(await progressRules(ctx, actor, reviewId, actionId)), progressBody],
        ['rating', ratingForm(await ratingRules(ctx, actor, reviewId, actionId)), ratingBody],
        ['finding (new)', findingForm(await findingRules(ctx, actor, reviewId)), findingBody],
        ['finding (change)', findingForm(await findingRules(ctx, actor, reviewId, '2.4')), findingBody],
        ['group (new)', groupForm(await groupRules(ctx, actor, reviewId)), groupBody],
        ['group (change)', groupForm(await groupRules(ctx, actor, reviewId, groupId)), groupBody],
        [
          'recommendation (new)',
          recommendationForm(await recommendationRules(ctx, actor, reviewId)),
          recommendationBody,
        ],
        [
          'recommendation (change)',
          recommendationForm(await recommendationRules(ctx, actor, reviewId, '1.1')),
          recommendationBody,
        ],
        ['question', askQuestionForm((await askOptions(ctx, actor, reviewId)).rules), askQuestionBody],
        ['response', draftResponseForm, draftResponseBody],
        ['approval', approveResponseForm, approveResponseBody],
        ['question days', questionDaysForm, questionDaysBody],
        ['version', issueVersionForm, issueVersionBody],
        // The import forms' rules come from a file being imported; their fields do not depend on them.
        [
          'upload',
          uploadForm({ missing: 'Send a file', limitBytes: 1024, scan: () => Promise.resolve(null) }),
          uploadBody,
        ],
        ['columns', columnsForm({ columns: [], chosen: [] }), columnsBody],
        ['confirm', confirmForm({ today: TEST_TODAY, asksReceived: true, published: null }), confirmBody],
        ['agencies', agenciesForm({ agencies: [], organisationIds: [] }), agenciesBody],
      ];
      for (const [name, form, body] of forms) {
        const pageOnly = PAGE_ONLY[name] ?? [];
        const read = (await fieldsRead(form)).filter((field) => !pageOnly.includes(field));
        assert.ok(read.length > 0, `${name}: the form was read`);
        assert.deepEqual([...described(body)].sort(), [...read].sort(), `${name}: described fields = form's fields`);
      }
      assert.deepEqual(described(nothingBody), [], 'a route that reads no body describes none');
    });

    it('accepts a progress update built from the description’s example', async () => {
      const body = example('/api/reviews/{reviewId}/actions/{actionId}/progress', 'post');
      const res = await editor.sendJson('POST', `/api/reviews/${reviewId}/actions/${actionId}/progress`, body);
      assert.equal(res.statusCode, 201, res.body);
      const page = (await editor.getJson(`/api/reviews/${reviewId}/actions/${actionId}`)).json();
      assert.ok(JSON.stringify(page).includes(String(body.text)), 'the action shows the update the example posted');
    });

    it('accepts a change to an action built from the description’s example', async () => {
      const { version } = await db
        .selectFrom('actions')
        .select('version')
        .where('id', '=', actionId)
        .executeTakeFirstOrThrow();
      const body = {
        ...example('/api/reviews/{reviewId}/actions/{actionId}', 'put'),
        // The example's ids and version stand for the ones this review has.
        organisationIds: [trust],
        version,
      };
      const res = await editor.sendJson('PUT', `/api/reviews/${reviewId}/actions/${actionId}`, body);
      assert.equal(res.statusCode, 200, res.body);
      const saved = res.json().action;
      for (const field of ['agencyText', 'actionText', 'leadText', 'dateWords', 'dueDate', 'measure'])
        assert.equal(saved[field], body[field as keyof typeof body], field);
    });

    it('accepts a finding built from the description’s example, added and then changed', async () => {
      const body = example('/api/reviews/{reviewId}/findings', 'post');
      const added = await coordinator.sendJson('POST', `/api/reviews/${reviewId}/findings`, {
        ...body,
        version: undefined,
      });
      assert.equal(added.statusCode, 201, added.body);
      assert.equal(added.json().finding.number, body.number);
      assert.equal(added.json().finding.section, body.section);
      const changed = await coordinator.sendJson('PUT', `/api/reviews/${reviewId}/findings/${String(body.number)}`, {
        ...example('/api/reviews/{reviewId}/findings/{number}', 'put'),
        text: 'Referrals were of variable quality; most lacked the child’s voice.',
      });
      assert.equal(changed.statusCode, 200, changed.body);
      assert.equal(changed.json().finding.version, 2);
    });
  });
}
