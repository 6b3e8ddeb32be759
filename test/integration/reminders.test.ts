import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SMTPServer } from 'smtp-server';
import { loadConfig } from '../../src/config.ts';
import { todayInEngland } from '../../src/app.ts';
import { addDays } from '../../src/domain/dates.ts';
import { runReminders, type RemindersContext } from '../../src/features/reminders/reminders.service.ts';
import { remindCommand } from '../../src/cli-remind.ts';
import { decideDueDate, proposeDueDate } from '../../src/features/actions/due-dates/due-dates.service.ts';
import type { Actor } from '../../src/domain/permissions.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { CONFIRMATION_COOKIE } from '../../src/platform/http/confirmations.ts';
import { startTestApp, visibleText } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { addMember, createUser, sessionFor, signedInMember } from '../helpers/people.ts';
import {
  addNoteEvidence,
  addRating,
  createAction,
  createGroup,
  createOrganisation,
  createRecommendation,
  createReview,
} from '../helpers/factories.ts';
import type { Db } from '../../src/platform/db/database.ts';

/* A month of the reminder cycle, day by day with an injected clock, into a real SMTP server. */

interface Delivery {
  to: string;
  subject: string;
  /** The message's text, quoted-printable decoded. */
  body: string;
}

/** Quoted-printable as nodemailer writes it: soft line breaks and =XX bytes. */
function decodeQuotedPrintable(raw: string): string {
  const joined = raw.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(joined[i] ?? '', 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

async function startSmtp() {
  const deliveries: Delivery[] = [];
  const state = { failing: false };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (state.failing) {
          const error = Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 });
          callback(error);
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const subject = /^Subject: (.*)$/m.exec(raw)?.[1]?.trim() ?? '';
        for (const to of session.envelope.rcptTo) {
          deliveries.push({ to: to.address, subject, body: decodeQuotedPrintable(raw) });
        }
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${String(port)}`,
    deliveries,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function person(
  db: Db,
  reviewId: number,
  organisationId: number,
  role: 'editor' | 'reviewer' | 'coordinator',
  email: string,
) {
  const userId = await createUser(db, { email, name: email.split('@')[0] });
  await addMember(db, { userId, reviewId, organisationId, role });
  return userId;
}

for (const target of databaseTargets) {
  test(`${target.name}: a month of reminders, each sent once, digests grouped, failures retried`, async () => {
    const smtp = await startSmtp();
    const t = await startTestApp(target);
    try {
      const db = t.database.db;
      const trust = await createOrganisation(db, { name: 'Testshire NHS Trust' });
      const council = await createOrganisation(db, { name: 'Testshire Council' });
      // The report arrived on 20 November 2026, so the plan is due on 18 December 2026.
      const reviewId = await createReview(db, { area: 'Testshire', received: '2026-11-20', published: '2026-11-18' });
      const group1 = await createGroup(db, reviewId, 1, [trust]);
      const group2 = await createGroup(db, reviewId, 2, [council]);
      const action = async (group: number, number: string, organisationId: number, extra: object) => {
        const recommendationId = await createRecommendation(db, { reviewId, groupId: group, number });
        return createAction(db, { reviewId, recommendationId, organisationIds: [organisationId], ...extra });
      };
      const open = await action(group1, '1.1', trust, { dueDate: '2026-12-10' });
      const completed = await action(group1, '1.2', trust, { dueDate: '2026-12-05' });
      await addRating(db, { reviewId, actionId: completed, kind: 'agreed', rating: 'blue', on: '2026-11-25' });
      const archived = await action(group1, '1.3', trust, { dueDate: '2026-12-05' });
      await db
        .updateTable('actions')
        .set({ archived_at: '2026-11-26T10:00:00.000Z' })
        .where('id', '=', archived)
        .execute();
      await action(group1, '1.4', trust, { dueDate: null, createdOn: '2026-09-01' });
      await action(group2, '2.1', council, { dueDate: '2026-12-20' });
      await action(group2, '2.2', council, { dueDate: '2026-12-20' });
      // Due next year: only their revised due dates, refused and agreed, give reminders this month.
      const refusedLater = await action(group1, '1.5', trust, { dueDate: '2027-03-31' });
      const agreedLater = await action(group2, '2.3', council, { dueDate: '2027-03-31' });
      await addNoteEvidence(db, {
        reviewId,
        actionId: open,
        title: 'Audit minutes',
        on: '2026-11-30',
        status: 'submitted',
      });

      // This plan predates organisations accepting what they are given (see reminders-meetings.test.ts):
      // no day they were given their actions, so nobody is chased to accept them.
      await db.updateTable('action_organisations').set({ assigned_at: null }).execute();

      const trustEditor = await person(db, reviewId, trust, 'editor', 'trust.editor@example.nhs.uk');
      const quiet = await person(db, reviewId, trust, 'editor', 'quiet.editor@example.nhs.uk');
      const weekly = await person(db, reviewId, council, 'editor', 'council.editor@example.gov.uk');
      await person(db, reviewId, council, 'reviewer', 'reviewer@example.nhs.uk');
      const coordinatorId = await person(db, reviewId, council, 'coordinator', 'coordinator@example.gov.uk');
      // Each person sets their own choice on their account page.
      const quietClient = new Client(t.app, await sessionFor(db, quiet));
      assert.equal((await quietClient.postForm('/account/reminders', { reminders: 'off' })).statusCode, 303);
      const weeklyClient = new Client(t.app, await sessionFor(db, weekly));
      assert.equal((await weeklyClient.postForm('/account/reminders', { reminders: 'weekly' })).statusCode, 303);

      let now = new Date('2026-12-01T08:00:00.000Z');
      const config = loadConfig({
        CLASP_SMTP_URL: smtp.url,
        CLASP_PUBLIC_URL: 'https://clasp.example.nhs.uk',
        CLASP_DATA_DIR: '/nonexistent/clasp-test-data',
        LOG_LEVEL: 'silent',
      });
      const ctx: RemindersContext = {
        db,
        config,
        staleDays: 90,
        now: () => now,
        today: () => todayInEngland(now),
      };
      const actor = (userId: number, email: string, role: 'editor' | 'coordinator', organisationId: number): Actor => ({
        userId,
        name: email.split('@')[0] ?? email,
        email,
        isAdmin: false,
        memberships: [{ reviewId, organisationId, role }],
      });
      const coordinatorActor = actor(coordinatorId, 'coordinator@example.gov.uk', 'coordinator', council);
      // Revised due dates proposed and decided during the month, through the same service as the forms.
      const dueDateEvents: Record<string, () => Promise<unknown>> = {
        '2026-12-03': () =>
          proposeDueDate(
            ctx,
            actor(trustEditor, 'trust.editor@example.nhs.uk', 'editor', trust),
            reviewId,
            refusedLater,
            {
              dueDate: '2027-06-30',
              reason: 'The audit team is short of staff until April.',
            },
          ),
        '2026-12-04': () =>
          decideDueDate(ctx, coordinatorActor, reviewId, refusedLater, {
            decision: 'refuse',
            reason: 'The board needs the audit by March',
          }),
        '2026-12-08': () =>
          proposeDueDate(
            ctx,
            actor(weekly, 'council.editor@example.gov.uk', 'editor', council),
            reviewId,
            agreedLater,
            {
              dueDate: '2027-05-31',
              reason: 'The new case system goes live in April.',
            },
          ),
        '2026-12-09': () =>
          decideDueDate(ctx, coordinatorActor, reviewId, agreedLater, { decision: 'agree', reason: '' }),
      };

      // A dry run says what would go and records nothing.
      const printed: string[] = [];
      const handle = { ...t.database, close: () => Promise.resolve() };
      assert.equal(
        await remindCommand(
          ['--dry-run'],
          config,
          () => Promise.resolve(handle),
          (l) => printed.push(l),
          () => now,
        ),
        0,
      );
      assert.ok(
        printed.some((l) =>
          l.startsWith('Would send to trust.editor@example.nhs.uk now: Action 1 of recommendation 1.1 is due'),
        ),
      );
      assert.match(printed.at(-1) ?? '', /Nothing was recorded\.$/);
      assert.equal(smtp.deliveries.length, 0);
      assert.equal((await db.selectFrom('reminders').select('id').execute()).length, 0);

      for (let day = '2026-12-01'; day <= '2026-12-31'; day = addDays(day, 1)) {
        now = new Date(`${day}T08:00:00.000Z`);
        smtp.state.failing = day === '2026-12-09';
        await dueDateEvents[day]?.();
        if (day === '2026-12-01') {
          // Two instances at once on one database.
          await Promise.all([runReminders(ctx, { dryRun: false }), runReminders(ctx, { dryRun: false })]);
        } else {
          await runReminders(ctx, { dryRun: false });
          // Running again the same day (a restart, cron and the server both) sends nothing more.
          now = new Date(`${day}T08:30:00.000Z`);
          const again = await runReminders(ctx, { dryRun: false });
          assert.equal(again.recorded, 0, `nothing new on the second run of ${day}`);
        }
        if (day === '2026-12-09') {
          const failed = await db.selectFrom('reminders').selectAll().where('status', '=', 'failed').execute();
          assert.equal(failed.length, 1);
          const [row] = failed;
          assert.ok(row);
          assert.equal(row.attempts, 2, 'tried at 08:00 and again after the 5-minute backoff at 08:30');
          assert.match(row.last_error ?? '', /Mailbox busy/);
          const coordinator = new Client(t.app, await sessionFor(db, coordinatorId));
          const page = visibleText((await coordinator.get(`/reviews/${reviewId}/reminders`)).body);
          assert.match(page, /Failed, will try again/);
        }
      }

      const to = (address: string) => smtp.deliveries.filter((d) => d.to === address);
      const summaries = (address: string) => to(address).map((d) => d.subject);
      assert.deepEqual(summaries('trust.editor@example.nhs.uk'), [
        // Two found in one run come in one email.
        'Your Clasp reminders: 2',
        'Action due soon: Action 1 of recommendation 1.1',
        'Revised due date refused: Action 1 of recommendation 1.5',
        'Action due soon: Action 1 of recommendation 1.1',
        'Action overdue: Action 1 of recommendation 1.1',
        'Action overdue: Action 1 of recommendation 1.1',
        'Action overdue: Action 1 of recommendation 1.1',
      ]);
      const trustBodies = to('trust.editor@example.nhs.uk').map((d) => d.body);
      assert.ok(trustBodies[0]?.includes('You have 2 Clasp reminders:'));
      assert.ok(trustBodies[0]?.includes('is due on 10 December 2026, in 9 days.'));
      assert.match(trustBodies[0] ?? '', /Action 1 of recommendation 1\.4 has had no progress/);
      assert.ok(trustBodies[0]?.includes('https://clasp.example.nhs.uk/reviews/'));
      assert.ok(trustBodies[0]?.includes('<a href="https://clasp.example.nhs.uk/reviews/'), 'an HTML part with a link');
      assert.ok(
        trustBodies.some((b) => b.includes('in 1 day.')),
        'the failed send went the next day',
      );
      const refusal = trustBodies[2] ?? '';
      assert.ok(
        refusal.includes(
          'The revised due date of 30 June 2027 proposed for action 1 of recommendation 1.5 was refused on ' +
            '4 December 2026: The board needs the audit by March. It is still due on 31 March 2027.',
        ),
        refusal,
      );
      assert.ok(refusal.includes(`https://clasp.example.nhs.uk/reviews/${reviewId}/actions/${refusedLater}#due-date`));
      assert.ok(
        refusal.includes(`<a href="https://clasp.example.nhs.uk/reviews/${reviewId}/actions/${refusedLater}#due-date"`),
      );
      // Nothing about the completed or archived action.
      for (const d of smtp.deliveries) assert.doesNotMatch(d.body, /recommendation 1\.[23]/);
      assert.deepEqual(to('quiet.editor@example.nhs.uk'), [], 'nothing to someone who turned reminders off');

      // The weekly digest: one message each Monday, holding both council actions, and in the week it
      // was agreed, the revised due date the council editor proposed.
      const digests = to('council.editor@example.gov.uk');
      assert.deepEqual(
        digests.map((d) => d.subject),
        [
          'Your Clasp reminders: 2 this week',
          'Your Clasp reminders: 3 this week',
          'Your Clasp reminders: 2 this week',
          'Your Clasp reminders: 2 this week',
        ],
      );
      assert.match(
        digests[1]?.body ?? '',
        new RegExp(
          /The revised due date of 31 May 2027 proposed for action 1 of recommendation 2\.3 /.source +
            /was agreed on 9 December 2026\. It is now due on 31 May 2027\./.source,
        ),
      );
      assert.equal(
        smtp.deliveries.filter((d) => d.body.includes('recommendation 2.3 was agreed')).length,
        1,
        'the agreement is told once, in one digest',
      );
      for (const d of digests) {
        assert.match(d.body, /Action 1 of recommendation 2\.1/);
        assert.match(d.body, /Action 1 of recommendation 2\.2/);
      }
      assert.match(digests[0]?.body ?? '', /in 19 days/);
      assert.match(digests[3]?.body ?? '', /1 day overdue/);

      assert.deepEqual(
        summaries('reviewer@example.nhs.uk'),
        Array<string>(5).fill('Evidence waiting for a decision: Audit minutes'),
      );
      assert.deepEqual(
        summaries('coordinator@example.gov.uk'),
        Array<string>(4).fill('Action plan due: The Testshire action plan'),
      );

      const rows = await db.selectFrom('reminders').select(['status', 'digest_key']).execute();
      assert.ok(rows.every((r) => r.status === 'sent' || r.digest_key !== null || r.status === 'pending'));
      assert.equal(rows.filter((r) => r.status === 'failed').length, 0);

      // The coordinators' page lists what was sent.
      const coordinator = new Client(t.app, await sessionFor(db, coordinatorId));
      const page = await coordinator.get(`/reviews/${reviewId}/reminders`);
      assert.equal(page.statusCode, 200);
      const text = visibleText(page.body);
      assert.match(text, /Reminders sent/);
      assert.match(
        text,
        /trust\.editor trust\.editor@example\.nhs\.uk Action due soon Action 1 of recommendation 1\.1 Sent/,
      );
      assert.match(text, /council\.editor .*Sent in weekly digest/);
      assert.match(
        text,
        /trust\.editor trust\.editor@example\.nhs\.uk Revised due date refused Action 1 of recommendation 1\.5 Sent/,
      );
      assert.match(
        text,
        new RegExp(
          /council\.editor council\.editor@example\.gov\.uk Revised due date agreed /.source +
            /Action 1 of recommendation 2\.3 Sent in weekly digest/.source,
        ),
      );
      assert.match(text, /council\.editor .*Waiting for weekly digest \(sent \d{1,2} \w+ \d{4}\)/);
      const editor = new Client(t.app, await signedInMember(db, { reviewId, organisationId: trust, role: 'editor' }));
      assert.notEqual((await editor.get(`/reviews/${reviewId}/reminders`)).statusCode, 200);
    } finally {
      await t.close();
      await smtp.close();
    }
  });

  test(`${target.name}: each person chooses how they get reminders on their account page`, async () => {
    const t = await startTestApp(target);
    try {
      const db = t.database.db;
      const me = new Client(t.app, await sessionFor(db, await createUser(db, { name: 'Pat Editor' })));
      const before = visibleText((await me.get('/account')).body);
      assert.match(before, /Email reminders/);
      assert.match((await me.get('/account')).body, /value="immediately" checked/);
      const refused = await me.postForm('/account/reminders', { reminders: 'sometimes' });
      assert.equal(refused.statusCode, 400);
      assert.match(visibleText(refused.body), /Choose how you want email reminders/);
      const saved = await me.postForm('/account/reminders', { reminders: 'weekly' });
      assert.equal(saved.headers.location, '/account#reminders');
      // The next page says so, in the success banner every form uses.
      const confirmation = saved.cookies.find((c) => c.name === CONFIRMATION_COOKIE)?.value ?? '';
      assert.equal(
        Buffer.from(confirmation.split('.')[0] ?? '', 'base64url').toString('utf8'),
        'Your choice of email reminders has been saved',
      );
      const after = await me.get('/account', {
        cookie: `${me.headers.cookie ?? ''}; ${CONFIRMATION_COOKIE}=${confirmation}`,
      });
      assert.match(visibleText(after.body), /Success Your choice of email reminders has been saved/);
      assert.match(after.body, /value="weekly" checked/);
      const audit = await db
        .selectFrom('audit_events')
        .selectAll()
        .where('entity_type', '=', 'reminder_preference')
        .execute();
      assert.equal(audit.length, 1);
    } finally {
      await t.close();
    }
  });
}
