import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { loadConfig } from '../../src/config.ts';
import { addDays, dateInEngland, formatLongDate } from '../../src/domain/dates.ts';
import { runReminders, type RemindersContext } from '../../src/features/reminders/reminders.service.ts';
import { ActionPage, ProgressFormPage, SignInPage, escapeRegExp } from './pages.ts';
import { startBrowserSession, type BrowserSession } from './session.ts';
import {
  AccountReminders,
  ActionDates,
  AnyPage,
  ChaseList,
  DueDate,
  MyWork,
  Reminders,
  Search,
  pathOf,
  type TableRow,
} from './monthly-cycle-pages.ts';
import {
  addNoteEvidence,
  createAction,
  createGroup,
  createOrganisation,
  createRecommendation,
  createReview,
} from '../helpers/factories.ts';
import { addMember, createUser } from '../helpers/people.ts';

/*
 * The monthly cycle in Chromium with JavaScript turned off, through the pages alone, as each
 * role it is for: an organisation's editor, the peer challenge group's reviewer and the plan
 * coordinator each sign in and land on My work; each item opens the form that clears it, and
 * clearing one takes it off the list. A revised due date is proposed and agreed; search finds
 * work across the reviews a person may read; the chase list downloads as CSV; a reminder run
 * shows on the coordinators' page; the account page keeps the reminder choice. Every page on
 * the way is checked with axe.
 */

const PASSWORD = 'a long enough test password';
const TRUST = 'Monthshire Community Health NHS Trust';
const REASON = 'The new health assessment clinic opens later than planned, after the estates work.';
const WEEKLY = 'In one email every Monday';

type Person = 'editor' | 'reviewer' | 'coordinator';

const label = (recommendation: string) => `Action 1 of recommendation ${recommendation}`;

describe('the monthly cycle in a browser, without JavaScript', () => {
  let session: BrowserSession;
  let dataDir: string;
  const today = dateInEngland(new Date());
  const ids = {
    review: 0,
    other: 0,
    hidden: 0,
    trust: 0,
    dueSoon: 0,
    overdue: 0,
    stale: 0,
    move: 0,
    evidence: 0,
    rejected: 0,
    otherAction: 0,
    hiddenAction: 0,
    auditEvidence: 0,
    logEvidence: 0,
  };
  const dates = { dueSoon: addDays(today, 10), overdue: addDays(today, -20), move: addDays(today, 100) };
  const proposedDate = addDays(today, 150);
  const tabs = new Map<Person, Page>();

  before(async () => {
    session = await startBrowserSession();
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'clasp-cycle-'));
    const db = session.server.database.db;
    const icb = await createOrganisation(db, {
      name: 'NHS Monthshire Integrated Care Board',
      shortName: 'Monthshire ICB',
      kind: 'commissioner',
    });
    ids.trust = await createOrganisation(db, { name: TRUST, shortName: 'Monthshire Community', kind: 'nhs_trust' });
    ids.review = await createReview(db, {
      area: 'Monthshire',
      leadOrganisationId: icb,
      coveredOrganisationIds: [icb, ids.trust],
      staleDays: 60,
    });
    const group = await createGroup(db, ids.review, 1, [ids.trust], `${TRUST} should:`);
    const action = async (
      reviewId: number,
      groupId: number,
      number: string,
      organisationId: number,
      due: string,
      createdOn: string,
      text?: string,
    ) => {
      const recommendationId = await createRecommendation(db, { reviewId, groupId, number });
      return createAction(db, {
        reviewId,
        recommendationId,
        organisationIds: [organisationId],
        position: 1,
        dueDate: due,
        dateWords: formatLongDate(due),
        createdOn,
        ...(text ? { text } : {}),
      });
    };
    const recent = addDays(today, -5);
    ids.dueSoon = await action(
      ids.review,
      group,
      '1.1',
      ids.trust,
      dates.dueSoon,
      recent,
      'Offer hydrotherapy sessions to every child looked after with a disability.',
    );
    ids.overdue = await action(ids.review, group, '1.2', ids.trust, dates.overdue, addDays(today, -30));
    // No progress for 120 days, with a stale window of 60.
    ids.stale = await action(ids.review, group, '1.3', ids.trust, addDays(today, 200), addDays(today, -120));
    ids.move = await action(ids.review, group, '1.4', ids.trust, dates.move, recent);
    ids.evidence = await action(ids.review, group, '1.5', ids.trust, addDays(today, 200), recent);
    ids.rejected = await action(ids.review, group, '1.6', ids.trust, addDays(today, 200), recent);
    const evidenceOn = addDays(today, -3);
    for (const title of ['Quarter 2 audit of health assessments', 'Training attendance log'])
      await addNoteEvidence(db, {
        reviewId: ids.review,
        actionId: ids.evidence,
        title,
        on: evidenceOn,
        status: 'submitted',
      });
    await addNoteEvidence(db, {
      reviewId: ids.review,
      actionId: ids.rejected,
      title: 'Letters to carers',
      on: evidenceOn,
      status: 'rejected',
    });
    const evidenceId = async (title: string) =>
      (await db.selectFrom('evidence_items').select('id').where('title', '=', title).executeTakeFirstOrThrow()).id;
    ids.auditEvidence = await evidenceId('Quarter 2 audit of health assessments');
    ids.logEvidence = await evidenceId('Training attendance log');

    // Two more reviews with the same word: the coordinator may read the first, not the second.
    ids.other = await createReview(db, { area: 'Otherfield', leadOrganisationId: icb, coveredOrganisationIds: [icb] });
    ids.otherAction = await action(
      ids.other,
      await createGroup(db, ids.other, 2, [icb]),
      '2.1',
      icb,
      addDays(today, 300),
      recent,
      'Open a hydrotherapy pool for children with complex needs.',
    );
    ids.hidden = await createReview(db, {
      area: 'Hiddenshire',
      leadOrganisationId: icb,
      coveredOrganisationIds: [icb],
    });
    ids.hiddenAction = await action(
      ids.hidden,
      await createGroup(db, ids.hidden, 1, [icb]),
      '1.1',
      icb,
      addDays(today, 300),
      recent,
      'Fund hydrotherapy for children placed out of area.',
    );

    const people: [Person, string, number][] = [
      ['editor', 'Morgan Reid', ids.trust],
      ['reviewer', 'Priya Shah', icb],
      ['coordinator', 'Sam Okafor', icb],
    ];
    for (const [role, name, organisationId] of people) {
      const userId = await createUser(db, { email: `${role}@monthshire.example`, name, password: PASSWORD });
      await addMember(db, { userId, reviewId: ids.review, organisationId, role });
      if (role === 'coordinator') await addMember(db, { userId, reviewId: ids.other, organisationId, role });
    }
  });

  after(async () => {
    await session.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  const actionPath = (actionId: number, rest = '') => `/reviews/${ids.review}/actions/${actionId}${rest}`;

  /** A new browser without JavaScript for one person, signed in through the form: they land on My work. */
  async function signIn(person: Person): Promise<MyWork> {
    const context = await session.newContext({ javaScriptEnabled: false });
    context.setDefaultTimeout(15_000);
    const tab = await session.newPage(context);
    tabs.set(person, tab);
    const signInPage = await SignInPage.goto(tab, session.baseUrl);
    await signInPage.expectClean('the sign-in page');
    await signInPage.signIn(`${person}@monthshire.example`, PASSWORD, MyWork);
    await tab.waitForURL((url) => url.pathname !== '/sign-in', { waitUntil: 'load' });
    const myWork = new MyWork(tab, session.baseUrl);
    assert.equal(myWork.path(), '/my-work', `the ${person} lands on My work after signing in`);
    assert.equal(await myWork.h1(), 'My work');
    assert.doesNotMatch(await myWork.bodyClasses(), /js-enabled/, 'no script ran');
    await myWork.expectClean(`My work for the ${person}`);
    return myWork;
  }

  function tab(person: Person): Page {
    const found = tabs.get(person);
    assert.ok(found, `the ${person} has signed in`);
    return found;
  }

  /** Asserts My work lists each item, by its name, with a link to the page that clears it. */
  async function assertItems(myWork: MyWork, items: [string, string][], who: string): Promise<void> {
    const rows = await myWork.rows();
    for (const [subject, href] of items) {
      assert.ok(
        rows.some((r) => r.text.includes(subject) && r.links.some((l) => pathOf(l.href) === href)),
        `My work for the ${who} lists "${subject}" with a link to ${href}: ${JSON.stringify(rows, null, 1)}`,
      );
    }
  }

  /** Follows each item's link from My work: a clean page about the item, with the form that clears it. */
  async function assertEachLinkOpens(
    person: Person,
    items: [string, string][],
    form: (subject: string) => boolean,
  ): Promise<void> {
    // Each kind of page is checked with axe once: two progress forms differ only in their words.
    const checked = new Set<string>();
    for (const [subject, href] of items) {
      const myWork = await MyWork.goto(tab(person), session.baseUrl);
      const opened = await myWork.openFromRow(subject, href, AnyPage);
      assert.equal(opened.path(), href, `the link for "${subject}" opens ${href}`);
      assert.equal(await opened.h1Count(), 1, `${href} has one heading`);
      const kind = href.replace(/\d+/g, 'N');
      if (!checked.has(kind)) await opened.expectClean(`${href}, opened from My work`);
      checked.add(kind);
      if (form(subject)) {
        assert.ok((await opened.postForms()) > 0, `${href} has the form that clears "${subject}"`);
        const action = subject.split(':')[0] ?? subject;
        assert.match(await opened.mainText(), new RegExp(escapeRegExp(action), 'i'), `${href} names the action`);
      }
    }
  }

  it('an organisation editor lands on My work; each item opens its form; posting progress clears one', async () => {
    const myWork = await signIn('editor');
    const items: [string, string][] = [
      [label('1.1'), actionPath(ids.dueSoon, '/progress/new')],
      [label('1.2'), actionPath(ids.overdue, '/progress/new')],
      [label('1.3'), actionPath(ids.stale, '/progress/new')],
      [label('1.6'), actionPath(ids.rejected, '/evidence/new')],
    ];
    await assertItems(myWork, items, 'editor');
    const rows = await myWork.rows();
    assert.ok(
      rows.some((r) => r.text.includes(label('1.6')) && r.text.includes('Letters to carers')),
      'the rejected evidence is named',
    );
    assert.ok(!rows.some((r) => r.text.includes(label('1.5'))), 'an action with nothing due is not listed');
    await assertEachLinkOpens('editor', items, () => true);

    // Follow the stale action's item through: post progress from its link.
    const list = await MyWork.goto(tab('editor'), session.baseUrl);
    const form = await list.openFromRow(label('1.3'), actionPath(ids.stale, '/progress/new'), ProgressFormPage);
    assert.equal(await form.h1(), 'Post a progress update');
    await form.describeWhatWasDone('The backlog of health assessments was cleared in the last month.');
    await form.proposeRating('Amber');
    await form.submit();
    await tab('editor').waitForURL((url) => !url.pathname.endsWith('/progress/new'), { waitUntil: 'load' });
    const landed = new AnyPage(tab('editor'), session.baseUrl);
    assert.ok(
      [actionPath(ids.stale), '/my-work'].includes(landed.path()),
      `after posting, back on the action or My work, not ${landed.path()}`,
    );
    assert.equal(await landed.errorSummaryCount(), 0, 'the update was accepted');
    await landed.expectClean('the page after posting progress');

    const after = await MyWork.goto(tab('editor'), session.baseUrl);
    await after.expectClean('My work after posting progress');
    assert.deepEqual(
      await after.rowsFor(label('1.3'), actionPath(ids.stale, '/progress/new')),
      [],
      'the action with fresh progress is no longer listed',
    );
    await assertItems(
      after,
      items.filter(([subject]) => subject !== label('1.3')),
      'editor',
    );
  });

  it('an organisation editor proposes a revised due date with a reason', async () => {
    const action = await ActionDates.goto(tab('editor'), session.baseUrl, ids.review, ids.move);
    await action.expectClean('the action whose date moves');
    const dueDate = await action.openDueDate();
    assert.equal(dueDate.path(), actionPath(ids.move, '/due-date'));
    assert.match(await dueDate.h1(), /due date/i);
    await dueDate.expectClean('the due date page, as the editor');
    await dueDate.propose(proposedDate, REASON);
    const landed = new ActionPage(tab('editor'), session.baseUrl);
    assert.equal(landed.path(), actionPath(ids.move), 'back on the action');
    const text = await landed.mainText();
    assert.match(text, /revised date proposed/i, 'the action shows the proposal');
    assert.ok(text.includes(formatLongDate(proposedDate)), 'with the date proposed');
    assert.ok(text.includes(REASON), 'and its reason');
    assert.match(
      await landed.summaryValue('Due date'),
      new RegExp(`^${formatLongDate(dates.move)}`),
      'the agreed date stands until the coordinator agrees',
    );
    await landed.expectClean('the action with a revised date proposed');
  });

  const reviewerTitle =
    'an assurance reviewer sees what awaits assurance, each linking to its form, and accepting clears one';
  it(reviewerTitle, async () => {
    const myWork = await signIn('reviewer');
    assert.ok(
      (await myWork.headings('h2')).some((h) => h.startsWith('Awaiting assurance')),
      'an Awaiting assurance list',
    );
    const audit = `${label('1.5')}: “Quarter 2 audit of health assessments”`;
    const log = `${label('1.5')}: “Training attendance log”`;
    const items: [string, string][] = [
      [audit, `/reviews/${ids.review}/evidence/${ids.auditEvidence}/decision`],
      [log, `/reviews/${ids.review}/evidence/${ids.logEvidence}/decision`],
      [label('1.3'), actionPath(ids.stale, '/rating')],
    ];
    await assertItems(myWork, items, 'reviewer');
    await assertEachLinkOpens('reviewer', items, () => true);

    const list = await MyWork.goto(tab('reviewer'), session.baseUrl);
    const decision = await list.openFromRow(audit, items[0]?.[1] ?? '', AnyPage);
    assert.match(await decision.h1(), /accept or reject/i);
    await tab('reviewer').getByRole('radio', { name: 'Accept it' }).check();
    await decision.press('Record the decision');
    const landed = new AnyPage(tab('reviewer'), session.baseUrl);
    assert.equal(await landed.errorSummaryCount(), 0, 'the decision was recorded');
    await landed.expectClean('the page after accepting evidence');

    const after = await MyWork.goto(tab('reviewer'), session.baseUrl);
    await after.expectClean('My work after accepting evidence');
    assert.deepEqual(await after.rowsFor('Quarter 2 audit', items[0]?.[1] ?? ''), [], 'the accepted evidence is gone');
    await assertItems(after, items.slice(1), 'reviewer');
  });

  it('the account page keeps the reminder choice: weekly, saved and shown', async () => {
    const account = await AccountReminders.goto(tab('reviewer'), session.baseUrl);
    await account.expectClean('the account page');
    assert.equal(await account.chosenReminders(), 'As they happen', 'reminders come as they happen until changed');
    await account.chooseReminders(WEEKLY);
    const saved = new AccountReminders(tab('reviewer'), session.baseUrl);
    assert.equal(saved.path(), '/account');
    assert.equal(await saved.errorSummaryCount(), 0);
    assert.match(await saved.mainText(), /saved/i, 'the page says the choice was saved');
    assert.equal(await saved.chosenReminders(), WEEKLY);
    await saved.expectClean('the account page after saving the reminder choice');
    const again = await AccountReminders.goto(tab('reviewer'), session.baseUrl);
    assert.equal(await again.chosenReminders(), WEEKLY, 'the choice is kept');
  });

  const coordinatorTitle =
    'a coordinator sees revised dates, organisations behind and deadlines; agreeing a date moves it with its history';
  it(coordinatorTitle, async () => {
    const myWork = await signIn('coordinator');
    const versions = (reviewId: number) => `/reviews/${reviewId}/versions`;
    const items: [string, string][] = [
      [label('1.4'), actionPath(ids.move, '/due-date')],
      [TRUST, `/reviews/${ids.review}/organisations/${ids.trust}`],
      ['Monthshire', versions(ids.review)],
      ['Otherfield', versions(ids.other)],
    ];
    await assertItems(myWork, items, 'coordinator');
    const chase = await myWork.chaseListLinks();
    assert.ok(
      chase.some((l) => pathOf(l.href) === `/reviews/${ids.review}/chase-list`),
      `a chase list for Monthshire: ${JSON.stringify(chase)}`,
    );
    await assertEachLinkOpens('coordinator', items, (subject) => subject === label('1.4'));

    // Follow the revised date through: agree it.
    const list = await MyWork.goto(tab('coordinator'), session.baseUrl);
    const dueDate = await list.openFromRow(label('1.4'), actionPath(ids.move, '/due-date'), DueDate);
    const pending = await dueDate.mainText();
    assert.ok(pending.includes(formatLongDate(proposedDate)), 'the coordinator sees the date proposed');
    assert.ok(pending.includes(REASON), 'and why');
    await dueDate.agree();
    const landed = new AnyPage(tab('coordinator'), session.baseUrl);
    assert.ok(
      [actionPath(ids.move), '/my-work'].includes(landed.path()),
      `after agreeing, back on the action or My work, not ${landed.path()}`,
    );
    assert.equal(await landed.errorSummaryCount(), 0, 'the decision was saved');
    await landed.expectClean('the page after agreeing the date');
    const action = await ActionDates.goto(tab('coordinator'), session.baseUrl, ids.review, ids.move);
    assert.match(await action.summaryValue('Due date'), new RegExp(`^${formatLongDate(proposedDate)}`), 'the new date');
    const original = await action.summaryValue('Original due date');
    assert.ok(original.includes(formatLongDate(dates.move)), `the original date is kept: ${original}`);
    assert.match(original, /moved 1 time\b/, 'and how often it moved');
    assert.doesNotMatch(await action.mainText(), /revised date proposed/i, 'nothing waits any more');
    await action.expectClean('the action after the date was agreed');

    const history = await action.openDueDate();
    await history.expectClean('the due date history');
    const rows = await history.history();
    const mentions = (r: TableRow, what: RegExp) => what.test(r.text);
    assert.ok(
      rows.some((r) => mentions(r, /propos/i) && r.text.includes('Morgan Reid')),
      `the history shows the editor's proposal: ${JSON.stringify(rows)}`,
    );
    assert.ok(
      rows.some((r) => mentions(r, /agree/i) && r.text.includes('Sam Okafor')),
      `the history shows the coordinator's agreement: ${JSON.stringify(rows)}`,
    );
    assert.ok(
      rows.some((r) => r.text.includes(formatLongDate(proposedDate))),
      'the history names the new date',
    );

    const after = await MyWork.goto(tab('coordinator'), session.baseUrl);
    assert.deepEqual(
      await after.rowsFor(label('1.4'), actionPath(ids.move, '/due-date')),
      [],
      'the agreed date is no longer waiting',
    );
  });

  it('search finds work across the reviews a person may read, and a result opens its page', async () => {
    const search = await Search.goto(tab('coordinator'), session.baseUrl);
    assert.equal(search.status, 200);
    await search.expectClean('the search page');
    await search.searchFor('hydrotherapy');
    const url = new URL(search.url());
    assert.equal(url.pathname, '/search');
    assert.equal(url.searchParams.get('q'), 'hydrotherapy', 'the words are in the address, to share or bookmark');
    await search.expectClean('the search results');
    const results = await search.results();
    const hrefs = results.map((r) => r.link.href);
    const mine = `/reviews/${ids.review}/actions/${ids.dueSoon}`;
    const other = `/reviews/${ids.other}/actions/${ids.otherAction}`;
    assert.ok(hrefs.includes(mine), `finds the Monthshire action: ${JSON.stringify(results)}`);
    assert.ok(hrefs.includes(other), `finds the Otherfield action: ${JSON.stringify(results)}`);
    assert.ok(
      !hrefs.some((h) => h.startsWith(`/reviews/${ids.hidden}/`)),
      'nothing from a review the person may not read',
    );
    const otherResult = results.find((r) => r.link.href === other);
    assert.match(otherResult?.text ?? '', /Otherfield/, 'the result names its review');

    const opened = await search.openResult(other, ActionPage);
    assert.equal(opened.path(), other);
    assert.equal(await opened.h1(), label('2.1'));
    assert.match(await opened.mainText(), /hydrotherapy pool/);
    await opened.expectClean('the action opened from search');
  });

  it('the chase list lists what each organisation must be chased for, and downloads as CSV', async () => {
    const myWork = await MyWork.goto(tab('coordinator'), session.baseUrl);
    const chase = await myWork.openLink(/^Chase list for Monthshire/, ChaseList);
    assert.equal(chase.path(), `/reviews/${ids.review}/chase-list`);
    assert.equal(await chase.h1(), 'Chase list');
    await chase.expectClean('the chase list');
    assert.ok(
      (await chase.headings('h2')).some((h) => h.startsWith(TRUST)),
      'the trust has its own list',
    );
    const overdue = await chase.rowsFor(label('1.2'), actionPath(ids.overdue));
    assert.equal(overdue.length, 1, 'the overdue action is listed once');
    assert.match(overdue[0]?.text ?? '', /Overdue/);
    assert.deepEqual(
      await chase.rowsFor(label('1.3'), actionPath(ids.stale)),
      [],
      'the action with fresh progress needs no chasing',
    );

    const file = await chase.downloadCsv();
    assert.match(file.name, /\.csv$/, `a CSV file: ${file.name}`);
    const csv = file.bytes.toString('utf8');
    assert.match(csv, /Organisation/, 'with a heading row');
    const line = csv.split(/\r?\n/).find((l) => l.includes(label('1.2')));
    assert.ok(line, `the CSV lists the overdue action: ${csv}`);
    assert.ok(line.includes(TRUST) && line.includes('Overdue'), `for the trust, as overdue: ${line}`);

    const action = await chase.openFromRow(label('1.2'), actionPath(ids.overdue), ActionPage);
    assert.equal(await action.h1(), label('1.2'));
    await action.expectClean('the action opened from the chase list');
  });

  it('after a reminder run, the coordinators see what was sent; a weekly choice waits for the digest', async () => {
    const config = loadConfig({ CLASP_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    const ctx: RemindersContext = {
      db: session.server.database.db,
      config,
      staleDays: config.staleDays,
      now: () => new Date(),
      today: () => dateInEngland(new Date()),
    };
    const run = await runReminders(ctx, { dryRun: false });
    assert.equal(run.failed, 0, run.lines.join('\n'));
    assert.ok(run.sent > 0, `something was sent: ${run.lines.join('\n')}`);
    const outbox = await fs.readdir(path.join(dataDir, 'outbox'));
    assert.equal(outbox.length, run.sent, 'each message sent is in the outbox');

    const page = await Reminders.goto(tab('coordinator'), session.baseUrl, ids.review);
    assert.equal(page.status, 200);
    assert.match(await page.h1(), /^Reminders/);
    await page.expectClean('the reminders page');
    const rows = await page.rows();
    const row = (who: string, item: string) => rows.find((r) => r.text.includes(who) && r.text.includes(item));
    const overdue = row('Morgan Reid', label('1.2'));
    assert.ok(overdue, `the editor was reminded of the overdue action: ${JSON.stringify(rows)}`);
    assert.match(overdue.text, /overdue/i);
    assert.match(overdue.text, /\bSent\b/);
    const dueSoon = row('Morgan Reid', label('1.1'));
    assert.ok(dueSoon, 'the editor was reminded of the action due soon');
    assert.match(dueSoon.text, /\bSent\b/);
    const waiting = row('Priya Shah', 'Training attendance log');
    assert.ok(waiting, `the reviewer was reminded of the evidence waiting: ${JSON.stringify(rows)}`);
    assert.match(waiting.text, /weekly digest/i, 'held for the weekly digest the reviewer chose');
    assert.ok(!rows.some((r) => r.text.includes('Quarter 2 audit')), 'nothing about evidence already decided');
    assert.ok(
      !rows.some((r) => r.text.includes('Otherfield') || r.text.includes('Hiddenshire')),
      'only this review’s reminders',
    );

    const again = await runReminders(ctx, { dryRun: false });
    assert.equal(again.recorded, 0, 'a second run records nothing new');
    const reloaded = await Reminders.goto(tab('coordinator'), session.baseUrl, ids.review);
    assert.equal((await reloaded.rows()).length, rows.length, 'and the page lists each reminder once');

    const action = await reloaded.openFromRow(label('1.2'), actionPath(ids.overdue), ActionPage);
    assert.equal(await action.h1(), label('1.2'), 'a reminder links to its item');
    await action.expectClean('the action opened from the reminders page');
  });
  it('the editor withdraws the update they posted, and sees it kept as withdrawn, with a confirmation', async () => {
    const action = await AnyPage.goto(tab('editor'), session.baseUrl, actionPath(ids.stale));
    const form = await action.openLink(/Withdraw this update/, AnyPage);
    assert.match(form.path(), /^\/reviews\/\d+\/progress\/\d+\/withdraw$/);
    assert.match(await form.h1(), /Withdraw this progress update/);
    await form.expectClean('the page that withdraws a progress update');
    await tab('editor').locator('#reason').fill('Posted on the wrong action.');
    await form.press('Withdraw the update');
    const landed = new AnyPage(tab('editor'), session.baseUrl);
    assert.equal(landed.path(), actionPath(ids.stale), 'back on the action');
    const banner = tab('editor').locator('[role="alert"]', { hasText: 'Progress update withdrawn' });
    assert.equal(await banner.count(), 1, 'a confirmation says what happened');
    const text = await landed.mainText();
    assert.match(text, /Withdrawn on .* by Morgan Reid\. Reason: Posted on the wrong action\./);
    await landed.expectClean('the action with a withdrawn update');
    const again = await AnyPage.goto(tab('editor'), session.baseUrl, actionPath(ids.stale));
    assert.equal(
      await tab('editor').locator('[role="alert"]', { hasText: 'Progress update withdrawn' }).count(),
      0,
      'the confirmation shows once',
    );
    assert.match(await again.mainText(), /Withdrawn/);
  });

  it('the coordinator filters the overview’s exceptions by kind without JavaScript', async () => {
    const overview = await AnyPage.goto(tab('coordinator'), session.baseUrl, `/reviews/${ids.review}`);
    await overview.expectClean('the review overview at a glance');
    const all = await overview.mainText();
    assert.match(all, /Needs chasing/);
    await tab('coordinator').locator('#filter-kind').selectOption('overdue');
    await overview.press('Apply filters');
    const filtered = new AnyPage(tab('coordinator'), session.baseUrl);
    assert.match(tab('coordinator').url(), /[?&]kind=overdue/);
    const text = await filtered.mainText();
    assert.match(text, /Showing \d+ of \d+ exceptions/);
    assert.ok(text.includes(label('1.2')), 'the overdue action is listed');
    await filtered.expectClean('the overview filtered by kind');
  });
});
