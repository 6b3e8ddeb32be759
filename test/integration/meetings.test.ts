import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { databaseTargets } from '../helpers/databases.ts';
import { startTestApp, visibleText, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { createUser, addMember, sessionFor } from '../helpers/people.ts';
import {
  addNoteEvidence,
  addProgress,
  addRating,
  createAction,
  createGroup,
  createOrganisation,
  createRecommendation,
  createReview,
} from '../helpers/factories.ts';

/*
 * Meetings of the peer challenge group (issue 14, section 1): scheduling, the proposed agenda,
 * attendance and quorum, decisions in one batch written as the action's own forms write them,
 * requests, and minutes approved at a later meeting and then frozen.
 */
for (const target of databaseTargets) {
  describe(`meetings, on ${target.name}`, () => {
    let t: TestApp;
    let dataDir: string;
    let reviewId: number;
    let trust: number;
    let recommendationId: number;
    let coordinator: Client;
    let reviewer: Client;
    let editor: Client;
    let viewer: Client;
    let memberIds: string[];
    const base = () => `/reviews/${reviewId}`;
    const db = () => t.database.db;

    const schedule = (client: Client, day: string, extra: Record<string, string | string[]> = {}) =>
      client.postForm(`${base()}/meetings`, {
        'startsOn-day': day,
        'startsOn-month': '1',
        'startsOn-year': '2027',
        time: '14:00',
        forum: 'peer_challenge',
        place: 'Room 4, Riverside House',
        members: memberIds,
        ...extra,
      });
    const meetingIdOf = (location: unknown) => Number(/meetings\/(\d+)/.exec(String(location))?.[1]);
    const itemsOf = async (meetingId: number) =>
      db().selectFrom('meeting_items').selectAll().where('meeting_id', '=', meetingId).orderBy('position').execute();
    const newAction = (text: string) =>
      createAction(db(), { reviewId, recommendationId, organisationIds: [trust], text, dueDate: '2027-03-31' });
    const submitted = async (actionId: number, title: string) => {
      await addNoteEvidence(db(), { reviewId, actionId, title, on: '2026-11-01', status: 'submitted' });
      const row = await db()
        .selectFrom('evidence_items')
        .select(['id', 'version'])
        .where('action_id', '=', actionId)
        .where('title', '=', title)
        .executeTakeFirstOrThrow();
      return row;
    };

    before(async () => {
      dataDir = await mkdtemp(path.join(tmpdir(), 'clasp-meetings-'));
      t = await startTestApp(target, { env: { CLASP_DATA_DIR: dataDir } });
      trust = await createOrganisation(db(), { name: 'Testshire Hospitals NHS Foundation Trust' });
      const council = await createOrganisation(db(), { name: 'Testshire County Council' });
      reviewId = await createReview(db(), { area: 'Testshire', coveredOrganisationIds: [trust, council] });
      const group = await createGroup(db(), reviewId, 1, [trust, council]);
      recommendationId = await createRecommendation(db(), { reviewId, groupId: group, number: '1.1' });
      const person = async (role: 'coordinator' | 'reviewer' | 'editor' | 'viewer', name: string, email: string) => {
        const userId = await createUser(db(), { name, email });
        await addMember(db(), { userId, reviewId, organisationId: role === 'editor' ? trust : council, role });
        return { userId, client: new Client(t.app, await sessionFor(db(), userId)) };
      };
      const c = await person('coordinator', 'Cora Coordinator', 'cora@example.org');
      const r = await person('reviewer', 'Rory Reviewer', 'rory@example.org');
      const e = await person('editor', 'Edie Editor', 'edie@example.org');
      const v = await person('viewer', 'Vic Viewer', 'vic@example.org');
      coordinator = c.client;
      reviewer = r.client;
      editor = e.client;
      viewer = v.client;
      memberIds = [String(c.userId), String(r.userId)];
    });
    after(() => t.close());

    it('lets only the coordinator schedule, and proposes the agenda from what waits', async () => {
      const withEvidence = await newAction('Audit the initial health assessments.');
      await submitted(withEvidence, 'Audit of initial health assessments');
      const withRating = await newAction('Train the named nurses.');
      await addProgress(db(), {
        reviewId,
        actionId: withRating,
        on: '2026-11-10',
        text: 'Half trained.',
        proposed: 'amber',
      });
      await addRating(db(), { reviewId, actionId: withRating, kind: 'proposed', rating: 'amber', on: '2026-11-10' });
      const withDate = await newAction('Publish the new pathway.');
      const proposed = await editor.postForm(`${base()}/actions/${withDate}/due-date/propose`, {
        'dueDate-day': '30',
        'dueDate-month': '6',
        'dueDate-year': '2027',
        reason: 'The new records system arrives in May.',
      });
      assert.equal(proposed.statusCode, 303);

      for (const refused of [viewer, editor, reviewer]) {
        assert.equal((await schedule(refused, '14')).statusCode, 403);
        assert.equal((await refused.get(`${base()}/meetings/new`)).statusCode, 403);
      }
      const missing = await coordinator.postForm(`${base()}/meetings`, { forum: 'peer_challenge' });
      assert.equal(missing.statusCode, 400);
      assert.match(visibleText(missing.body), /Enter the date of the meeting/);
      assert.match(visibleText(missing.body), /Enter where the meeting is/);

      const made = await schedule(coordinator, '14', { guests: 'Sam Patel, Healthwatch Testshire, sam@example.org' });
      assert.equal(made.statusCode, 303);
      const meetingId = meetingIdOf(made.headers.location);
      const page = visibleText((await viewer.get(`${base()}/meetings/${meetingId}`)).body);
      assert.match(page, /Evidence submitted: Audit of initial health assessments/);
      assert.match(page, /Rating proposed: Amber/);
      assert.match(page, /Revised due date proposed: 30 June 2027/);
      assert.match(page, /Testshire Hospitals NHS Foundation Trust/);
      assert.match(page, /Sam Patel/);
      const list = visibleText((await viewer.get(`${base()}/meetings`)).body);
      assert.match(list, /Upcoming meetings/);
      assert.match(list, /14 January 2027 at 14:00/);
      const audit = await db()
        .selectFrom('audit_events')
        .select(['action'])
        .where('entity_type', '=', 'meeting')
        .where('entity_id', '=', String(meetingId))
        .execute();
      assert.deepEqual(
        audit.map((a) => a.action),
        ['created'],
      );
    });

    it('lets the coordinator reorder, remove and add items, and nobody else', async () => {
      const meetingId = meetingIdOf((await schedule(coordinator, '15')).headers.location);
      const items = await itemsOf(meetingId);
      assert.ok(items.length >= 3);
      const [first, second] = items;
      assert.ok(first && second);
      assert.equal(
        (await reviewer.postForm(`${base()}/meetings/${meetingId}/items/${second.id}/up`, {})).statusCode,
        403,
      );
      assert.equal(
        (await coordinator.postForm(`${base()}/meetings/${meetingId}/items/${second.id}/up`, {})).statusCode,
        303,
      );
      const moved = await itemsOf(meetingId);
      assert.deepEqual(
        moved.slice(0, 2).map((i) => i.id),
        [second.id, first.id],
      );
      assert.equal(
        (await coordinator.postForm(`${base()}/meetings/${meetingId}/items/${first.id}/remove`, {})).statusCode,
        303,
      );
      const empty = await coordinator.postForm(`${base()}/meetings/${meetingId}/items`, { title: '' });
      assert.equal(empty.statusCode, 400);
      assert.match(visibleText(empty.body), /Enter the title of the item/);
      assert.equal(
        (await coordinator.postForm(`${base()}/meetings/${meetingId}/items`, { title: 'Any other business' }))
          .statusCode,
        303,
      );
      const after = await itemsOf(meetingId);
      assert.ok(after.find((i) => i.id === first.id)?.removed_at);
      assert.equal(after.at(-1)?.title, 'Any other business');
      const page = visibleText((await coordinator.get(`${base()}/meetings/${meetingId}`)).body);
      assert.match(page, /Removed items \(1\)/);
    });

    it('records attendance and shows the quorum', async () => {
      const meetingId = meetingIdOf((await schedule(coordinator, '16')).headers.location);
      const attendees = await db()
        .selectFrom('meeting_attendees')
        .selectAll()
        .where('meeting_id', '=', meetingId)
        .execute();
      const fields = Object.fromEntries(attendees.map((a) => [`attendance-${a.id}`, 'present']));
      assert.equal((await viewer.postForm(`${base()}/meetings/${meetingId}/attendance`, fields)).statusCode, 403);
      assert.equal((await reviewer.postForm(`${base()}/meetings/${meetingId}/attendance`, fields)).statusCode, 303);
      let page = visibleText((await viewer.get(`${base()}/meetings/${meetingId}`)).body);
      assert.match(page, /Not quorate: 2 members present, 3 needed/);
      assert.equal((await reviewer.postForm(`${base()}/meetings/quorum`, { quorum: '2' })).statusCode, 403);
      assert.equal((await coordinator.postForm(`${base()}/meetings/quorum`, { quorum: 'two' })).statusCode, 400);
      assert.equal((await coordinator.postForm(`${base()}/meetings/quorum`, { quorum: '2' })).statusCode, 303);
      page = visibleText((await viewer.get(`${base()}/meetings/${meetingId}`)).body);
      assert.match(page, /Quorate: 2 members present, 2 needed/);
      const meeting = await db()
        .selectFrom('meetings')
        .selectAll()
        .where('id', '=', meetingId)
        .executeTakeFirstOrThrow();
      assert.equal(meeting.minutes_status, 'draft');
      await db().updateTable('reviews').set({ meeting_quorum: null }).where('id', '=', reviewId).execute();
    });

    it('writes the same rows and audit as the action forms, and refuses the whole batch for one bad item', async () => {
      const alone = await newAction('Decided on its own form.');
      const aloneEvidence = await submitted(alone, 'Safeguarding audit, own form');
      const atMeeting = await newAction('Decided at the meeting.');
      const meetingEvidence = await submitted(atMeeting, 'Safeguarding audit, meeting');
      await addRating(db(), { reviewId, actionId: atMeeting, kind: 'proposed', rating: 'green', on: '2026-11-12' });
      const own = await reviewer.postForm(`${base()}/evidence/${aloneEvidence.id}/decision`, {
        decision: 'accept',
        version: String(aloneEvidence.version),
      });
      assert.equal(own.statusCode, 303);

      const meetingId = meetingIdOf((await schedule(coordinator, '18')).headers.location);
      const items = await itemsOf(meetingId);
      const evidenceItem = items.find((i) => i.evidence_item_id === meetingEvidence.id);
      const ratingItem = items.find((i) => i.kind === 'rating' && i.action_id === atMeeting);
      assert.ok(evidenceItem && ratingItem);

      // Green with no accepted recent evidence: the evidence is not accepted in this batch, so refused.
      const other = await newAction('Green without evidence.');
      await addRating(db(), { reviewId, actionId: other, kind: 'proposed', rating: 'green', on: '2026-11-12' });
      await coordinator.postForm(`${base()}/meetings/${meetingId}/agenda/refresh`, {});
      const otherItem = (await itemsOf(meetingId)).find((i) => i.kind === 'rating' && i.action_id === other);
      assert.ok(otherItem);
      const ownForm = await reviewer.postForm(`${base()}/actions/${other}/rating`, {
        decision: 'agree',
        rating: 'green',
        rationale: 'Done.',
      });
      assert.equal(ownForm.statusCode, 400);
      const bad = await reviewer.postForm(`${base()}/meetings/${meetingId}/decisions`, {
        [`item-${evidenceItem.id}-decision`]: 'accept',
        [`item-${evidenceItem.id}-version`]: String(meetingEvidence.version),
        [`item-${otherItem.id}-decision`]: 'agree',
        [`item-${otherItem.id}-rating`]: 'green',
        [`item-${otherItem.id}-rationale`]: 'Done.',
      });
      assert.equal(bad.statusCode, 400);
      // The same words as the action's own rating form.
      const message =
        'There is no accepted evidence dated in the last 90 days. ' +
        'Give a reason to agree Green without it, or accept evidence first';
      assert.ok(visibleText(ownForm.body).includes(message));
      assert.ok(visibleText(bad.body).includes(message));
      assert.match(bad.body, new RegExp(`id="item-${otherItem.id}-overrideReason-error"`));
      assert.match(bad.body, /Safeguarding audit/);
      const still = await db()
        .selectFrom('evidence_items')
        .select('status')
        .where('id', '=', meetingEvidence.id)
        .executeTakeFirstOrThrow();
      assert.equal(still.status, 'submitted');

      const good = await reviewer.postForm(`${base()}/meetings/${meetingId}/decisions`, {
        [`item-${evidenceItem.id}-decision`]: 'accept',
        [`item-${evidenceItem.id}-version`]: String(meetingEvidence.version),
        [`item-${ratingItem.id}-decision`]: 'agree',
        [`item-${ratingItem.id}-rating`]: 'green',
        [`item-${ratingItem.id}-rationale`]: 'The audit shows it is done.',
        [`item-${otherItem.id}-decision`]: 'request',
        [`item-${otherItem.id}-request`]: 'Send the re-audit.',
        [`item-${otherItem.id}-requestDue-day`]: '28',
        [`item-${otherItem.id}-requestDue-month`]: '2',
        [`item-${otherItem.id}-requestDue-year`]: '2027',
      });
      assert.equal(good.statusCode, 303, visibleText(good.body).slice(0, 2000));

      const evidence = await db()
        .selectFrom('evidence_items')
        .select(['id', 'status', 'status_reason', 'status_by_name', 'version', 'status_meeting_id'])
        .where('id', 'in', [aloneEvidence.id, meetingEvidence.id])
        .orderBy('id')
        .execute();
      assert.deepEqual(
        evidence.map(({ id: _, status_meeting_id: __, ...rest }) => rest),
        [
          { status: 'accepted', status_reason: null, status_by_name: 'Rory Reviewer', version: 2 },
          { status: 'accepted', status_reason: null, status_by_name: 'Rory Reviewer', version: 2 },
        ],
      );
      assert.deepEqual(
        evidence.map((e) => e.status_meeting_id),
        [null, meetingId],
      );
      const audits = await db()
        .selectFrom('audit_events')
        .select(['entity_id', 'action', 'before', 'after', 'actor'])
        .where('entity_type', '=', 'evidence_item')
        .where('entity_id', 'in', [String(aloneEvidence.id), String(meetingEvidence.id)])
        .orderBy('id')
        .execute();
      assert.equal(audits.length, 2);
      const [ownAudit, meetingAudit] = audits;
      assert.ok(ownAudit && meetingAudit);
      assert.equal(ownAudit.before, meetingAudit.before);
      assert.deepEqual(
        { ...(JSON.parse(meetingAudit.after ?? '{}') as object), meeting_id: undefined },
        { ...(JSON.parse(ownAudit.after ?? '{}') as object), meeting_id: undefined },
      );
      assert.equal((JSON.parse(meetingAudit.after ?? '{}') as { meeting_id: number }).meeting_id, meetingId);
      const rating = await db()
        .selectFrom('rating_events')
        .select(['kind', 'rating', 'meeting_id', 'rationale'])
        .where('action_id', '=', atMeeting)
        .where('kind', '=', 'agreed')
        .executeTakeFirstOrThrow();
      assert.deepEqual(rating, {
        kind: 'agreed',
        rating: 'green',
        meeting_id: meetingId,
        rationale: 'The audit shows it is done.',
      });
      const request = await db()
        .selectFrom('meeting_requests')
        .selectAll()
        .where('meeting_id', '=', meetingId)
        .executeTakeFirstOrThrow();
      assert.equal(request.owner_name, 'Named nurse');
      assert.equal(request.due_on, '2027-02-28');
      const page = visibleText((await viewer.get(`${base()}/meetings/${meetingId}`)).body);
      assert.match(page, /Rating agreed: Green\. The audit shows it is done\./);
      assert.match(page, /Evidence accepted: Safeguarding audit, meeting/);
      assert.match(page, /Send the re-audit\. \(Named nurse, by 28 February 2027\)/);
    });

    it('approves draft minutes at a later meeting, then freezes them', async () => {
      const first = meetingIdOf((await schedule(coordinator, '20')).headers.location);
      const attendees = await db()
        .selectFrom('meeting_attendees')
        .selectAll()
        .where('meeting_id', '=', first)
        .execute();
      await reviewer.postForm(
        `${base()}/meetings/${first}/attendance`,
        Object.fromEntries(attendees.map((a) => [`attendance-${a.id}`, 'present'])),
      );
      const firstItems = await itemsOf(first);
      const deferred = firstItems.find((i) => i.kind !== 'minutes');
      assert.ok(deferred);
      const defer = await reviewer.postForm(`${base()}/meetings/${first}/decisions`, {
        [`item-${deferred.id}-decision`]: 'defer',
        [`item-${deferred.id}-note`]: 'Wait for the audit.',
      });
      assert.equal(defer.statusCode, 303);
      const draft = await viewer.getJson(`/api/reviews/${reviewId}/meetings/${first}`);
      assert.equal(draft.json<{ minutes: { status: string } }>().minutes.status, 'draft');

      const second = meetingIdOf((await schedule(coordinator, '27')).headers.location);
      const minutesItem = (await itemsOf(second))[0];
      assert.equal(minutesItem?.kind, 'minutes');
      assert.ok(minutesItem);
      const approve = await reviewer.sendJson('POST', `/api/reviews/${reviewId}/meetings/${second}/decisions`, {
        items: [{ itemId: minutesItem.id, decision: 'approve' }],
      });
      assert.equal(approve.statusCode, 200, approve.body);
      const frozen = await db().selectFrom('meetings').selectAll().where('id', '=', first).executeTakeFirstOrThrow();
      assert.equal(frozen.minutes_status, 'approved');
      assert.equal(frozen.minutes_approved_meeting_id, second);
      assert.match(frozen.minutes_sha256 ?? '', /^[0-9a-f]{64}$/);
      const snapshot = JSON.parse(frozen.minutes_snapshot ?? '{}') as { status: string; otherItems: unknown[] };
      assert.equal(snapshot.status, 'approved');
      assert.equal(snapshot.otherItems.length, 1);

      const again = await reviewer.postForm(`${base()}/meetings/${first}/decisions`, {
        [`item-${deferred.id}-decision`]: 'note',
      });
      assert.equal(again.statusCode, 409);
      assert.match(visibleText(again.body), /minutes of this meeting are approved/);
      const attendance = await reviewer.postForm(`${base()}/meetings/${first}/attendance`, {});
      assert.equal(attendance.statusCode, 409);
      const api = (await viewer.getJson(`/api/reviews/${reviewId}/meetings/${first}`)).json<{
        minutes: { status: string; sha256: string };
      }>();
      assert.equal(api.minutes.status, 'approved');
      assert.equal(api.minutes.sha256, frozen.minutes_sha256);
      for (const document of ['agenda.docx', 'agenda.pdf', 'minutes.docx', 'minutes.pdf']) {
        const file = await viewer.get(`${base()}/meetings/${first}/${document}`);
        assert.equal(file.statusCode, 200, document);
        assert.ok(file.rawPayload.length > 500);
      }
      const page = visibleText((await viewer.get(`${base()}/meetings/${second}`)).body);
      assert.match(page, /Minutes of the Peer challenge group, 20 January 2027 approved/);
    });

    it('emails the agenda to everyone invited with an email address, with a link', async () => {
      const meetingId = meetingIdOf(
        (
          await schedule(coordinator, '21', {
            guests: 'Sam Patel, Healthwatch Testshire, sam@example.org\nNo Mail, Parents',
          })
        ).headers.location,
      );
      assert.equal((await reviewer.postForm(`${base()}/meetings/${meetingId}/send-agenda`, {})).statusCode, 403);
      const outbox = path.join(dataDir, 'outbox');
      const before = new Set(await readdir(outbox).catch(() => []));
      const sent = await coordinator.postForm(`${base()}/meetings/${meetingId}/send-agenda`, {});
      assert.equal(sent.statusCode, 303);
      const files = (await readdir(outbox)).filter((f) => !before.has(f));
      assert.equal(files.length, 3);
      const mail = (await Promise.all(files.map((f) => readFile(path.join(outbox, f), 'utf8')))).join('\n');
      for (const to of ['cora@example.org', 'rory@example.org', 'sam@example.org']) assert.match(mail, new RegExp(to));
      assert.match(mail, new RegExp(`/reviews/${reviewId}/meetings/${meetingId}`));
      const meeting = await db()
        .selectFrom('meetings')
        .selectAll()
        .where('id', '=', meetingId)
        .executeTakeFirstOrThrow();
      assert.ok(meeting.agenda_sent_at);
    });
  });
}
