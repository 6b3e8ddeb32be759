import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import mammoth from 'mammoth';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Db } from '../../src/platform/db/database.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { startTestApp, visibleText, type TestApp } from '../helpers/app.ts';
import {
  addRating,
  createAction,
  createGroup,
  createOrganisation,
  createRecommendation,
  createReview,
} from '../helpers/factories.ts';
import { addMember, createUser, sessionFor } from '../helpers/people.ts';
import { Client } from '../helpers/client.ts';

/*
 * What the plan documents and the board report add from meetings: which meeting agreed a
 * rating, a completed action whose lasting assurance lapsed, and the questions boards asked
 * with only their published responses. Also the questions on their own as Word.
 */

const NOW = '2026-11-20T10:00:00.000Z';
const DRAFT_WORDS = 'Draft words the coordinator has not approved';

interface Plan {
  reviewId: number;
  viewer: Client;
  coordinator: Client;
  outsider: Client;
}

async function makePlan(t: TestApp): Promise<Plan> {
  const db: Db = t.database.db;
  const trust = await createOrganisation(db, { kind: 'nhs_trust', name: 'Testshire Hospitals Trust' });
  const reviewId = await createReview(db, {
    leadOrganisationId: trust,
    coveredOrganisationIds: [trust],
    scale: 'BRAG',
  });
  const elsewhere = await createReview(db, { leadOrganisationId: trust });
  const groupId = await createGroup(db, reviewId, 1, [trust]);
  const rec = await createRecommendation(db, { reviewId, groupId, number: '1.1', text: 'Audit health assessments.' });
  const completed = await createAction(db, {
    reviewId,
    recommendationId: rec,
    organisationIds: [trust],
    text: 'Audit initial health assessments.',
    position: 1,
  });
  const ongoing = await createAction(db, {
    reviewId,
    recommendationId: rec,
    organisationIds: [trust],
    text: 'Train the named nurses.',
    position: 2,
  });
  const meeting = await db
    .insertInto('meetings')
    .values({
      review_id: reviewId,
      forum: 'peer_challenge',
      title: 'June review',
      starts_at: '2026-06-10T14:00',
      place: 'Room 2',
      created_at: NOW,
      updated_at: NOW,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await addRating(db, { reviewId, actionId: completed, kind: 'proposed', rating: 'blue', on: '2026-06-01' });
  // Rating events are never changed once written: this one records its meeting from the start.
  await db
    .insertInto('rating_events')
    .values({
      review_id: reviewId,
      action_id: completed,
      kind: 'agreed',
      rating: 'blue',
      decided_on: '2026-06-10',
      user_id: null,
      actor_name: 'Peer challenge group',
      rationale: 'Audit seen.',
      override_reason: null,
      is_illustrative: 0,
      meeting_id: meeting.id,
      created_at: NOW,
    })
    .execute();
  // Agreed outside a meeting, before the completion: the recommendation's last agreement is the meeting's.
  await addRating(db, { reviewId, actionId: ongoing, kind: 'agreed', rating: 'amber', on: '2026-05-01' });
  // Fresh evidence was due on 31 October 2026 and none came: as at the test's day, it lapsed.
  await db
    .updateTable('actions')
    .set({ sustain_how: 'Re-audit every six months.', reassurance_due_on: '2026-10-31' })
    .where('id', '=', completed)
    .execute();
  const hwb = await db
    .insertInto('meetings')
    .values({
      review_id: reviewId,
      forum: 'health_wellbeing_board',
      title: '',
      starts_at: '2026-09-15T18:00',
      place: '',
      created_at: NOW,
      updated_at: NOW,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const question = (q: {
    text: string;
    actionId?: number;
    status: 'none' | 'draft' | 'published';
    response?: string;
    meetingId?: number;
    words?: string;
  }) => ({
    review_id: reviewId,
    action_id: q.actionId ?? null,
    text: q.text,
    asked_by: 'Councillor Ahmed',
    forum: 'health_wellbeing_board' as const,
    meeting_id: q.meetingId ?? null,
    meeting_words: q.words ?? '',
    asked_on: '2026-09-15',
    organisation_id: trust,
    recorded_by_name: 'The coordinator',
    response_text: q.response ?? '',
    response_status: q.status,
    approved_by_name: q.status === 'published' ? 'The coordinator' : null,
    published_on: q.status === 'published' ? '2026-10-02' : null,
    created_at: NOW,
    updated_at: NOW,
  });
  await db
    .insertInto('questions')
    .values([
      question({
        text: 'Will the audits continue?',
        actionId: completed,
        status: 'published',
        response: 'Yes: twice a year, reported to the board.',
        meetingId: hwb.id,
      }),
      question({
        text: 'Who trains the nurses?',
        actionId: ongoing,
        status: 'draft',
        response: DRAFT_WORDS,
        meetingId: hwb.id,
      }),
      question({ text: 'When is the plan signed off?', status: 'none', words: 'Scrutiny panel, September' }),
    ])
    .execute();
  const person = async (role: 'coordinator' | 'viewer', review = reviewId) => {
    const userId = await createUser(db, { name: `The ${role}` });
    await addMember(db, { userId, reviewId: review, organisationId: trust, role });
    return new Client(t.app, await sessionFor(db, userId));
  };
  return {
    reviewId,
    viewer: await person('viewer'),
    coordinator: await person('coordinator'),
    outsider: await person('coordinator', elsewhere),
  };
}

async function download(client: Client, url: string): Promise<Buffer> {
  const res = await client.get(url);
  assert.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 300)}`);
  return res.rawPayload;
}

async function wordText(bytes: Buffer): Promise<string> {
  return (await mammoth.extractRawText({ buffer: bytes })).value.replace(/\s+/g, ' ');
}

async function pdfText(bytes: Buffer): Promise<string> {
  const doc = await getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= doc.numPages; n += 1) {
    const content = await (await doc.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  return pages.join(' ').replace(/\s+/g, ' ');
}

/** One action's record of the CSV, as header → value. */
function csvRecord(csv: string, label: string): Map<string, string> {
  const rows: string[][] = parse(csv, { bom: true });
  const [header = [], ...records] = rows;
  const record = records.find((r) => r.includes(label)) ?? [];
  return new Map(header.map((h, i) => [h, record[i] ?? '']));
}

for (const target of databaseTargets) {
  describe(`what meetings add to the plan documents and board report, on ${target.name}`, () => {
    let t: TestApp;
    let p: Plan;
    before(async () => {
      t = await startTestApp(target);
      p = await makePlan(t);
    });
    after(() => t.close());

    it('the Word plan says which meeting agreed a rating, that assurance lapsed, and lists the questions', async () => {
      const text = await wordText(await download(p.viewer, `/reviews/${p.reviewId}/documents/plan/docx`));
      assert.match(text, /Agreed by the peer challenge group, 10 June 2026/);
      assert.match(text, /Assurance lapsed: fresh evidence was due 31 October 2026/);
      assert.match(text, /To last: Re-audit every six months\./);
      // The amber action was agreed outside a meeting: its date only.
      assert.match(text, /Agreed 1 May 2026/);
      assert.match(text, /Annex: questions from boards and panels/);
      assert.match(text, /Of 3 questions, 1 has a published response and 2 are waiting\./);
      assert.match(text, /Will the audits continue\?/);
      assert.match(text, /Response published 2 October 2026, approved by The coordinator: Yes: twice a year/);
      assert.match(text, /Who trains the nurses\? .*Waiting for a response: none has been published yet\./);
      assert.doesNotMatch(text, new RegExp(DRAFT_WORDS));
    });

    it('the CSV and Excel plan carry the meeting and the lasting assurance in their own columns', async () => {
      const csv = (await download(p.viewer, `/reviews/${p.reviewId}/documents/plan/csv`)).toString('utf8');
      const completed = csvRecord(csv, 'Action 1 of recommendation 1.1');
      assert.equal(completed.get('Rating agreed at'), 'Agreed by the peer challenge group, 10 June 2026');
      assert.equal(completed.get('Rating: lasting assurance'), 'Assurance lapsed');
      assert.equal(completed.get('Rating: fresh evidence due'), '2026-10-31');
      const ongoing = csvRecord(csv, 'Action 2 of recommendation 1.1');
      assert.equal(ongoing.get('Rating agreed at'), '');
      assert.equal(ongoing.get('Rating: lasting assurance'), '');
    });

    it('the board report counts and lists the lapsed action, and shows only published responses', async () => {
      const html = visibleText((await p.viewer.get(`/reviews/${p.reviewId}/documents/board-report/html`)).body);
      const pdf = await pdfText(await download(p.viewer, `/reviews/${p.reviewId}/documents/board-report/pdf`));
      const docx = await wordText(await download(p.viewer, `/reviews/${p.reviewId}/documents/board-report/docx`));
      for (const [format, text] of [
        ['html', html],
        ['pdf', pdf],
        ['docx', docx],
      ] as const) {
        assert.match(
          text,
          /Assurance lapsed for 1 completed action: the day for fresh accepted evidence passed without it\./,
          format,
        );
        assert.match(
          text,
          /Action 1 of recommendation 1\.1 .*1\.1 .*Assurance lapsed .*31 October 2026 .*Re-audit every six months\./,
          format,
        );
        assert.match(
          text,
          /Rating agreed by the peer challenge group, 10 June 2026, recorded by Peer challenge group\./,
          format,
        );
        assert.match(text, /Questions from boards and panels/, format);
        assert.match(text, /Health and Wellbeing Board, 15 September 2026/, format);
        assert.match(text, /Yes: twice a year, reported to the board\./, format);
        assert.match(text, /Waiting for a response/, format);
        assert.match(text, /Scrutiny panel, September/, format);
        assert.doesNotMatch(text, new RegExp(DRAFT_WORDS), format);
      }
    });

    it('gives the questions as Word to anyone who reads the plan, and to nobody else', async () => {
      const res = await p.viewer.get(`/reviews/${p.reviewId}/questions.docx`);
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /wordprocessingml/);
      assert.match(String(res.headers['content-disposition']), /clas-questions-.*\.docx/);
      const text = await wordText(res.rawPayload);
      assert.match(text, /^Questions from boards and panels/);
      assert.match(text, /Will the audits continue\?/);
      assert.match(text, /Asked by Councillor Ahmed on 15 September 2026, about Action 1 of recommendation 1\.1\./);
      assert.match(text, /Yes: twice a year/);
      assert.doesNotMatch(text, new RegExp(DRAFT_WORDS));
      assert.equal((await p.outsider.get(`/reviews/${p.reviewId}/questions.docx`)).statusCode, 404);
    });

    it('an issued version keeps the meeting, the lapse and the questions as they stood', async () => {
      const res = await p.coordinator.postForm(`/reviews/${p.reviewId}/versions`, { purpose: 'hwb' });
      assert.equal(res.statusCode, 303, res.body);
      // Published later: the frozen version still shows the question as waiting.
      await t.database.db
        .updateTable('questions')
        .set({ response_status: 'published', published_on: '2026-11-21', approved_by_name: 'The coordinator' })
        .where('review_id', '=', p.reviewId)
        .where('response_status', '=', 'draft')
        .execute();
      const api = await p.viewer.getJson(`/api/reviews/${p.reviewId}/versions/1`);
      assert.equal(api.statusCode, 200, api.body);
      const snapshot = api.json().plan;
      const completed = snapshot.actions.find((a: { label: string }) => a.label === 'Action 1 of recommendation 1.1');
      assert.deepEqual(completed.agreedAt, { forum: 'peer_challenge', startsAt: '2026-06-10T14:00' });
      assert.equal(completed.reassuranceDueOn, '2026-10-31');
      assert.equal(snapshot.questions.length, 3);
      const version = await wordText(await download(p.viewer, `/reviews/${p.reviewId}/documents/plan/docx?version=1`));
      assert.doesNotMatch(version, new RegExp(DRAFT_WORDS));
      const now = await wordText(await download(p.viewer, `/reviews/${p.reviewId}/documents/plan/docx`));
      assert.match(now, new RegExp(DRAFT_WORDS));
    });
  });
}
