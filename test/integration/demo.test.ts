import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { databaseTargets } from '../helpers/databases.ts';
import { startTestApp, visibleText, type TestApp } from '../helpers/app.ts';
import { loadDemo, readDemoDataset } from '../../src/features/demo/demo.service.ts';
import { Client } from '../helpers/client.ts';
import { sessionFor } from '../helpers/people.ts';

const TABLES = [
  'organisations',
  'users',
  'memberships',
  'reviews',
  'findings',
  'recommendation_groups',
  'recommendations',
  'finding_recommendations',
  'actions',
  'action_organisations',
  'progress_updates',
  'rating_events',
  'evidence_items',
  'blobs',
  'plan_versions',
  'audit_events',
] as const;

for (const target of databaseTargets) {
  describe(`demo review on ${target.name}`, () => {
    let t: TestApp;
    let reviewId: number;
    const { dataset, illustrative } = readDemoDataset();

    async function tableCounts(): Promise<Record<string, number>> {
      const counts: Record<string, number> = {};
      for (const table of TABLES) {
        const row = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(t.database.db);
        counts[table] = Number(row.rows[0]?.n);
      }
      return counts;
    }

    before(async () => {
      t = await startTestApp(target);
      const result = await loadDemo(t.database.db, new Date());
      assert.equal(result.created, true);
      reviewId = result.reviewId;
    });
    after(async () => t.close());

    it('holds every finding, group, recommendation and action of the documents', async () => {
      const counts = await tableCounts();
      assert.equal(counts.reviews, 1);
      assert.equal(counts.recommendation_groups, 4);
      assert.equal(counts.recommendations, 24);
      assert.equal(counts.findings, dataset.findings.length);
      assert.equal(
        counts.actions,
        dataset.recommendations.reduce((n, r) => n + r.actions.length, 0),
      );
      const seeLinks = dataset.recommendations.reduce((n, r) => n + r.findings.length, 0);
      assert.equal(counts.finding_recommendations, seeLinks);
      // The load itself, and each demo account and role made with it (5 accounts, 4 roles).
      assert.equal(counts.audit_events, 10);
      assert.equal(counts.users, 5);
    });

    it('changes nothing when loaded again', async () => {
      const before = await tableCounts();
      const again = await loadDemo(t.database.db, new Date());
      assert.equal(again.reviewId, reviewId);
      assert.equal(again.created, false);
      assert.deepEqual(
        again.users.map((u) => [u.email, u.role]),
        [
          ['admin@demo.clasp.invalid', 'administrator'],
          ['coordinator@demo.clasp.invalid', 'coordinator'],
          ['editor@demo.clasp.invalid', 'editor'],
          ['reviewer@demo.clasp.invalid', 'reviewer'],
          ['viewer@demo.clasp.invalid', 'viewer'],
        ],
      );
      assert.deepEqual(await tableCounts(), before);
    });

    it('shows the review with the plan due date CQC set and the illustrative warning', async () => {
      const res = await (await t.admin()).get(`/reviews/${reviewId}`);
      assert.equal(res.statusCode, 200);
      const text = visibleText(res.body);
      assert.match(
        text,
        /Action plan due 11 August 2015 20 working days after the report was received on 14 July 2015/,
      );
      assert.match(text, /Demo with illustrative data/);
      assert.ok(text.includes(illustrative.notice));
      assert.match(text, /Dates of review 23 February 2015 to 27 February 2015/);
      assert.match(text, /Lead organisation NHS Rotherham Clinical Commissioning Group/);
    });

    it('links recommendation 1.1 to findings 3.3, 3.4 and 3.5 and back', async () => {
      const rec = await (await t.admin()).get(`/reviews/${reviewId}/recommendations/1.1`);
      assert.equal(rec.statusCode, 200);
      const findingNumbers = [...rec.body.matchAll(/>Finding (\d+(?:\.\d+)+)</g)].map((m) => m[1]);
      assert.deepEqual(findingNumbers, ['3.3', '3.4', '3.5']);
      const finding = await (await t.admin()).get(`/reviews/${reviewId}/findings/3.3`);
      assert.equal(finding.statusCode, 200);
      assert.match(finding.body, new RegExp(`href="/reviews/${reviewId}/recommendations/1.1">Recommendation 1.1<`));
    });

    it('shows every kind of exception the illustrative layer was made to show', async () => {
      const res = await (await t.admin()).get(`/api/reviews/${reviewId}`);
      const kinds = new Set((res.json().exceptions as { kind: string }[]).map((e) => e.kind));
      for (const kind of ['overdue', 'stale', 'unevidenced', 'disputed', 'concern_without_recommendation']) {
        assert.ok(kinds.has(kind), `expected a ${kind} exception; got ${[...kinds].join(', ')}`);
      }
    });

    const demoPerson = async (role: string) => {
      const user = await t.database.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', `${role}@demo.clasp.invalid`)
        .executeTakeFirstOrThrow();
      return new Client(t.app, await sessionFor(t.database.db, user.id));
    };

    it('shows each state of the monthly cycle in My work, as at 31 July 2016', async () => {
      const coordinator = visibleText((await (await demoPerson('coordinator')).get('/my-work')).body);
      assert.match(
        coordinator,
        new RegExp(
          /Chasing and deadlines[^]*Action 4 of recommendation 4\.5 [^.]*to 31 October 2016/.source +
            /[^]*Agree or refuse the new date/.source,
        ),
        'a revised date awaiting agreement',
      );
      const reviewer = visibleText((await (await demoPerson('reviewer')).get('/my-work')).body);
      assert.match(
        reviewer,
        new RegExp(
          /Awaiting assurance[^]*“MASH health referrals audit report, January 2016” /.source +
            /Evidence added 25 July 2016, waiting for a decision\./.source,
        ),
        'evidence awaiting assurance, added within the story',
      );
    });

    it('dates its evidence within the story, never the day it was loaded', async () => {
      const rows = await t.database.db.selectFrom('evidence_items').select(['created_at', 'status_at']).execute();
      assert.ok(rows.length > 80);
      for (const r of rows) {
        assert.ok(r.created_at > '2015-07-14' && r.created_at <= '2016-07-31T23:59', r.created_at);
        if (r.status_at !== null) assert.ok(r.status_at >= r.created_at && r.status_at <= '2016-07-31T23:59');
      }
    });

    it('shows reminders recorded as sent on 31 July 2016, marked illustrative, and never mailed', async () => {
      const page = await (await demoPerson('coordinator')).get(`/reviews/${reviewId}/reminders`);
      assert.equal(page.statusCode, 200);
      const text = visibleText(page.body);
      assert.match(text, /Demo with illustrative data/);
      assert.match(text, /No email was sent: the demo’s addresses cannot receive mail\./);
      assert.match(
        text,
        /Demo editor, Rotherham hospital trust editor@demo\.clasp\.invalid [^]*? Sent Illustrative 31 July 2016, 09:00/,
      );
      const rows = await t.database.db.selectFrom('reminders').selectAll().execute();
      assert.ok(rows.length > 0);
      for (const r of rows) {
        assert.equal(r.is_illustrative, 1);
        assert.equal(r.sent_at, '2016-07-31T08:00:00.000Z');
        assert.match(r.link, /^https:\/\/demo\.clasp\.invalid\/reviews\//);
      }
    });

    it('carries an illustrative history: two meetings with minutes, questions and a lapsed assurance', async () => {
      const coordinator = await demoPerson('coordinator');
      const meetings = await t.database.db
        .selectFrom('meetings')
        .selectAll()
        .where('review_id', '=', reviewId)
        .orderBy('starts_at')
        .execute();
      assert.deepEqual(
        meetings.map((m) => [m.starts_at, m.minutes_status, m.is_illustrative]),
        [
          ['2016-06-16T14:00', 'approved', 1],
          ['2016-07-21T14:00', 'draft', 1],
        ],
      );
      const [june, july] = meetings;
      assert.ok(june && july);
      assert.equal(june.minutes_approved_meeting_id, july.id, 'June’s minutes were approved at the July meeting');
      assert.match(june.minutes_sha256 ?? '', /^[0-9a-f]{64}$/);
      const agreedAt = await t.database.db
        .selectFrom('rating_events')
        .select(['meeting_id', 'decided_on'])
        .where('review_id', '=', reviewId)
        .where('meeting_id', 'is not', null)
        .execute();
      const agreedAtJune = illustrative.actions.flatMap((a) => a.ratings).filter((r) => r.agreedOn === '2016-06-16');
      assert.equal(agreedAt.filter((r) => r.meeting_id === june.id).length, agreedAtJune.length);
      assert.ok(agreedAt.every((r) => r.decided_on === '2016-06-16' || r.decided_on === '2016-07-21'));

      const junePage = visibleText((await coordinator.get(`/reviews/${reviewId}/meetings/${june.id}`)).body);
      assert.match(junePage, /Approved at/);
      assert.match(junePage, /Rating agreed: Blue/);
      const julyPage = visibleText((await coordinator.get(`/reviews/${reviewId}/meetings/${july.id}`)).body);
      assert.match(julyPage, /Send the audit of health recommendations in care plans/);

      const questions = visibleText((await coordinator.get(`/reviews/${reviewId}/questions`)).body);
      assert.match(questions, /Waiting for an answer[^]*Member of the Health and Wellbeing Board/);
      assert.match(questions, /Answered[^]*Chair of the scrutiny panel/);
      const rows = await t.database.db.selectFrom('questions').select('is_illustrative').execute();
      assert.deepEqual(
        rows.map((r) => r.is_illustrative),
        [1, 1],
      );

      const res = await (await t.admin()).get(`/api/reviews/${reviewId}`);
      const exceptions = res.json().exceptions as { kind: string; subject: { label: string } }[];
      assert.deepEqual(
        exceptions.filter((e) => e.kind === 'assurance_lapsed').map((e) => e.subject.label),
        ['Action 3 of recommendation 4.2'],
      );
      assert.ok(exceptions.some((e) => e.kind === 'question_unanswered'));
      assert.ok(!exceptions.some((e) => e.kind === 'no_reassurance_date'), 'every completed action says when');
    });

    it('labels illustrative progress, ratings and evidence on action pages', async () => {
      const entry = illustrative.actions.find((a) => a.evidence.length > 0 && a.progress.length > 0);
      assert.ok(entry, 'the illustrative layer has an action with progress and evidence');
      const api = await (await t.admin()).get(`/api/reviews/${reviewId}/recommendations/${entry.recommendation}`);
      const actionId = (api.json().actions as { id: number }[])[entry.index]?.id;
      const res = await (await t.admin()).get(`/reviews/${reviewId}/actions/${actionId}`);
      assert.equal(res.statusCode, 200);
      const text = visibleText(res.body);
      const evidenceTitle = entry.evidence[0]?.title ?? '';
      assert.ok(text.includes(`${evidenceTitle} Illustrative`), `evidence "${evidenceTitle}" is labelled illustrative`);
      assert.ok(text.includes(entry.progress[0]?.text ?? '—'));
    });
  });
}

for (const target of databaseTargets) {
  describe(`history is append-only on ${target.name}`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(target);
      await loadDemo(t.database.db, new Date());
    });
    after(async () => t.close());

    it('refuses to change or delete audit events', async () => {
      await assert.rejects(
        t.database.db.updateTable('audit_events').set({ actor: 'someone else' }).execute(),
        /audit_events rows cannot be changed/,
      );
      await assert.rejects(t.database.db.deleteFrom('audit_events').execute(), /audit_events rows cannot be changed/);
    });

    it('refuses to overwrite progress updates and rating decisions', async () => {
      await assert.rejects(
        t.database.db.updateTable('progress_updates').set({ text: 'rewritten' }).execute(),
        /progress_updates rows cannot be changed/,
      );
      await assert.rejects(
        t.database.db.updateTable('rating_events').set({ rating: 'blue' }).execute(),
        /rating_events rows cannot be changed/,
      );
    });
  });
}
