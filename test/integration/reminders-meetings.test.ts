import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { todayInEngland } from '../../src/app.ts';
import { runReminders, type RemindersContext } from '../../src/features/reminders/reminders.service.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { startTestApp } from '../helpers/app.ts';
import { addMember, createUser } from '../helpers/people.ts';
import {
  addRating,
  createAction,
  createGroup,
  createOrganisation,
  createRecommendation,
  createReview,
} from '../helpers/factories.ts';

/*
 * Reminders from meetings, questions, lasting assurance and assignments (issue 14), over a few
 * weeks with an injected clock: each goes to the right people, once per period, and stops once
 * what it asks for is done. Mail goes to the outbox folder.
 */

const NEW_REASONS = ['evidence_requested', 'question_unanswered', 'assurance_lapsed', 'assignment_unaccepted'];

for (const target of databaseTargets) {
  test(`${target.name}: reminders from meetings, questions, lasting assurance and assignments, each once`, async () => {
    const t = await startTestApp(target);
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'clasp-reminders-meetings-'));
    try {
      const db = t.database.db;
      const trust = await createOrganisation(db, { name: 'Remindshire NHS Trust' });
      const council = await createOrganisation(db, { name: 'Remindshire Council', kind: 'local_authority' });
      const reviewId = await createReview(db, { area: 'Remindshire' });
      const group = await createGroup(db, reviewId, 1, [trust, council]);
      const rec = await createRecommendation(db, { reviewId, groupId: group, number: '1.1' });
      // Due far off and updated lately: only what this test talks about reminds anyone.
      const plain = { reviewId, recommendationId: rec, dueDate: '2027-12-31', createdOn: '2026-11-25' };
      const requested = await createAction(db, { ...plain, organisationIds: [trust], position: 1 });
      const given = await createAction(db, { ...plain, organisationIds: [council], position: 2 });
      const completed = await createAction(db, { ...plain, organisationIds: [trust], position: 3 });
      await db.updateTable('action_organisations').set({ assigned_at: null }).execute();

      const member = async (email: string, organisationId: number, role: 'editor' | 'coordinator' | 'viewer') => {
        const userId = await createUser(db, { email, name: email.split('@')[0] });
        await addMember(db, { userId, reviewId, organisationId, role });
        return userId;
      };
      const lead = await member('lead@remindshire.nhs.uk', trust, 'viewer');
      const trustEditor = await member('trust.editor@remindshire.nhs.uk', trust, 'editor');
      const councilEditor = await member('council.editor@remindshire.gov.uk', council, 'editor');
      const coordinator = await member('coordinator@remindshire.gov.uk', council, 'coordinator');

      // The group met on 1 December and asked the lead for more evidence by 14 December.
      const { id: meetingId } = await db
        .insertInto('meetings')
        .values({
          review_id: reviewId,
          forum: 'peer_challenge',
          title: '',
          starts_at: '2026-12-01T14:00',
          place: '',
          created_by_user_id: null,
          created_at: '2026-11-20T10:00:00.000Z',
          updated_at: '2026-12-01T16:00:00.000Z',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const { id: requestId } = await db
        .insertInto('meeting_requests')
        .values({
          review_id: reviewId,
          meeting_id: meetingId,
          action_id: requested,
          text: 'The ward audit for all wards.',
          owner_user_id: lead,
          owner_name: 'Lead',
          due_on: '2026-12-14',
          created_by_name: 'Coordinator',
          created_at: '2026-12-01T15:00:00.000Z',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      // A scrutiny question for the trust, asked on 1 November.
      const { id: questionId } = await db
        .insertInto('questions')
        .values({
          review_id: reviewId,
          recommendation_id: rec,
          action_id: null,
          text: 'How will the trust know the audit is kept up?',
          asked_by: 'Cllr Ada Jones',
          forum: 'scrutiny_panel',
          meeting_id: null,
          asked_on: '2026-11-01',
          organisation_id: trust,
          recorded_by_user_id: null,
          recorded_by_name: 'Coordinator',
          created_at: '2026-11-01T10:00:00.000Z',
          updated_at: '2026-11-01T10:00:00.000Z',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      // The council was given its action on 20 November.
      await db
        .updateTable('action_organisations')
        .set({ assigned_at: '2026-11-20T09:00:00.000Z' })
        .where('action_id', '=', given)
        .execute();
      // Agreed complete in June; fresh evidence is due by 10 December.
      await addRating(db, { reviewId, actionId: completed, kind: 'agreed', rating: 'blue', on: '2026-06-01' });
      await db
        .updateTable('actions')
        .set({ reassurance_due_on: '2026-12-10', lead_user_id: lead })
        .where('id', '=', completed)
        .execute();

      let now = new Date('2026-12-02T08:00:00.000Z');
      const config = loadConfig({
        CLASP_PUBLIC_URL: 'https://clasp.example.nhs.uk',
        CLASP_DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
      });
      const ctx: RemindersContext = { db, config, staleDays: 90, now: () => now, today: () => todayInEngland(now) };
      const base = `https://clasp.example.nhs.uk/reviews/${reviewId}`;
      const names = new Map([
        [lead, 'lead'],
        [trustEditor, 'trust editor'],
        [councilEditor, 'council editor'],
        [coordinator, 'coordinator'],
      ]);
      /** Runs the cycle on a day and says what was recorded: who, why, the period and the link. */
      const runOn = async (day: string) => {
        now = new Date(`${day}T08:00:00.000Z`);
        const before = await db.selectFrom('reminders').select('id').execute();
        await runReminders(ctx, { dryRun: false });
        const rows = await db
          .selectFrom('reminders')
          .select(['id', 'user_id', 'reason', 'period', 'link', 'summary', 'status'])
          .where('reason', 'in', NEW_REASONS)
          .orderBy('id')
          .execute();
        const seen = new Set(before.map((r) => r.id));
        return rows
          .filter((r) => !seen.has(r.id))
          .map((r) => `${names.get(r.user_id) ?? '?'}: ${r.reason} ${r.period} ${r.link.replace(base, '')}`)
          .sort();
      };

      // 2 December: the request is new; the question has waited 31 days; the assignment 12 days.
      assert.deepEqual(await runOn('2026-12-02'), [
        `lead: evidence_requested request-${requestId} /actions/${requested}`,
        `trust editor: question_unanswered 2026-W49 /questions/${questionId}`,
      ]);
      const made = await db
        .selectFrom('reminders')
        .select(['summary', 'status'])
        .where('reason', '=', 'evidence_requested')
        .executeTakeFirstOrThrow();
      assert.equal(
        made.summary,
        'The peer challenge group asked on 1 December 2026 for more evidence for action 1 of recommendation 1.1 ' +
          'by 14 December 2026: “The ward audit for all wards”.',
      );
      assert.equal(made.status, 'sent');
      assert.ok((await readdir(path.join(dataDir, 'outbox'))).length >= 2, 'mailed to the outbox');
      assert.deepEqual(await runOn('2026-12-03'), [], 'nothing twice in the same week');

      // 5 December: the assignment has waited 15 days.
      assert.deepEqual(await runOn('2026-12-05'), [
        `council editor: assignment_unaccepted 2026-W49-organisation-${council} /actions/${given}`,
      ]);

      // 11 December: the completed action's assurance has lapsed; a new week for the waits.
      assert.deepEqual(await runOn('2026-12-11'), [
        `council editor: assignment_unaccepted 2026-W50-organisation-${council} /actions/${given}`,
        `lead: assurance_lapsed lapsed-2026-12-10 /actions/${completed}`,
        `trust editor: assurance_lapsed lapsed-2026-12-10 /actions/${completed}`,
        `trust editor: question_unanswered 2026-W50 /questions/${questionId}`,
      ]);

      // The council accepts; the trust publishes its response; the lead adds fresh evidence.
      await db
        .insertInto('assignment_responses')
        .values({
          review_id: reviewId,
          action_id: given,
          organisation_id: council,
          response: 'accepted',
          reason: '',
          user_id: councilEditor,
          actor_name: 'council.editor',
          created_at: '2026-12-12T09:00:00.000Z',
        })
        .execute();
      await db
        .updateTable('questions')
        .set({ response_status: 'published', response_text: 'Quarterly re-audit.', published_on: '2026-12-12' })
        .where('id', '=', questionId)
        .execute();
      // 15 December: the request's day has passed without evidence.
      assert.deepEqual(await runOn('2026-12-15'), [
        `lead: evidence_requested request-${requestId}-overdue /actions/${requested}`,
      ]);
      assert.deepEqual(await runOn('2026-12-16'), []);

      // A second request, with no owner named, goes to the trust's editors.
      const { id: secondId } = await db
        .insertInto('meeting_requests')
        .values({
          review_id: reviewId,
          meeting_id: meetingId,
          action_id: requested,
          text: 'The safeguarding group’s minutes.',
          owner_user_id: null,
          owner_name: 'The trust',
          due_on: '2026-12-18',
          created_by_name: 'Coordinator',
          created_at: '2026-12-16T15:00:00.000Z',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      assert.deepEqual(await runOn('2026-12-17'), [
        `trust editor: evidence_requested request-${secondId} /actions/${requested}`,
      ]);
      // Evidence added to the action after both requests answers them: nothing when their days pass.
      await db
        .insertInto('evidence_items')
        .values({
          review_id: reviewId,
          action_id: requested,
          kind: 'note',
          title: 'Ward audit and minutes',
          effective_on: '2026-12-17',
          blob_sha256: null,
          file_name: null,
          media_type: null,
          size: null,
          url: null,
          note: 'All wards.',
          status: 'submitted',
          status_reason: null,
          status_by_name: null,
          status_at: null,
          added_by_user_id: lead,
          added_by_name: 'Lead',
          is_illustrative: 0,
          created_at: '2026-12-17T09:00:00.000Z',
        })
        .execute();
      // The council accepted and the trust answered: nothing more about them either.
      assert.deepEqual(await runOn('2026-12-22'), [], 'nothing once each is done');
      const none = await db
        .selectFrom('reminders')
        .select('key')
        .where('reason', 'in', NEW_REASONS)
        .where('status', '!=', 'sent')
        .execute();
      assert.deepEqual(none, [], 'every one was sent');
    } finally {
      await t.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
}
