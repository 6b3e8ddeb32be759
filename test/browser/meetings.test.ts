import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import mammoth from 'mammoth';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { addDays, dateInEngland, formatLongDate } from '../../src/domain/dates.ts';
import { ActionPage, ProgressFormPage, ReviewOverviewPage, SignInPage } from './pages.ts';
import { startBrowserSession, type BrowserSession } from './session.ts';
import { ActionDates, MyWork } from './monthly-cycle-pages.ts';
import { MeetingPage, MeetingsList, expectAxeCleanAsShown, type AgendaLine } from './meetings-pages.ts';
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
import { addMember, createUser } from '../helpers/people.ts';

/*
 * A whole meeting of the peer challenge group in Chromium with JavaScript turned off, through
 * the pages alone (issue 14, "Done when"). An editor proposes a rating and a revised date; the
 * coordinator schedules the meeting, invites members and a guest, changes the proposed agenda,
 * downloads the agenda pack and sends it; the chair records attendance and enters the decisions
 * in one form, a mistake shown beside its item with the other entries kept; the minutes are a
 * draft, read from their Word file; a second meeting approves them and the first meeting's
 * record is then frozen. Every page on the way is checked with axe.
 */

const PASSWORD = 'a long enough test password';
const TRUST = 'Brookshire Hospitals NHS Foundation Trust';
const COUNCIL = 'Brookshire Borough Council';
const PANEL_ACTION = 'Bring the health of children to the permanence panel.';
const GUEST = 'Ayesha Khan';
const DAY_GUEST = 'Tom Price';
const LEAD = 'Head of children’s social care';
const EVIDENCE = 'Audit of initial health assessments';
const AGREED_WHY = 'The audit shows every child had an assessment within 20 working days.';
const REFUSED_WHY = 'The pathway must be in place before the winter.';
const REQUEST = 'Send the audit of return home interviews.';
const DEFER_NOTE = 'Wait for the March audit.';
const OVERRIDE = 'The training register was seen at the meeting.';
const ADDED = 'Any other business';

type Person = 'editor' | 'reviewer' | 'coordinator';

async function pdfText(bytes: Buffer): Promise<string> {
  const doc = await getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= doc.numPages; n += 1) {
    const content = await (await doc.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  return pages.join(' ').replace(/\s+/g, ' ');
}

describe('a whole meeting in a browser, without JavaScript', () => {
  let session: BrowserSession;
  const today = dateInEngland(new Date());
  const firstOn = addDays(today, 7);
  const secondOn = addDays(today, 35);
  const requestDue = addDays(today, 40);
  const revisedDate = addDays(today, 260);
  const ids = { review: 0, assessments: 0, pathway: 0, training: 0, interviews: 0, panel: 0, visits: 0 };
  const meetings = { first: 0, second: 0 };
  const tabs = new Map<Person, Page>();

  before(async () => {
    session = await startBrowserSession();
    const db = session.server.database.db;
    const icb = await createOrganisation(db, {
      name: 'NHS Brookshire Integrated Care Board',
      shortName: 'Brookshire ICB',
      kind: 'commissioner',
    });
    const trust = await createOrganisation(db, { name: TRUST, shortName: 'Brookshire Hospitals', kind: 'nhs_trust' });
    const council = await createOrganisation(db, { name: COUNCIL, shortName: 'Brookshire', kind: 'local_authority' });
    ids.review = await createReview(db, {
      area: 'Brookshire',
      leadOrganisationId: icb,
      coveredOrganisationIds: [icb, trust, council],
    });
    const trustGroup = await createGroup(db, ids.review, 1, [trust], `${TRUST} should:`);
    const councilGroup = await createGroup(db, ids.review, 2, [council], `${COUNCIL} should:`);
    const createdOn = addDays(today, -5);
    const action = async (groupId: number, number: string, organisationId: number, text: string, lead?: string) => {
      const recommendationId = await createRecommendation(db, { reviewId: ids.review, groupId, number });
      return createAction(db, {
        reviewId: ids.review,
        recommendationId,
        organisationIds: [organisationId],
        position: 1,
        dueDate: addDays(today, 200),
        dateWords: formatLongDate(addDays(today, 200)),
        createdOn,
        text,
        ...(lead ? { lead } : {}),
      });
    };
    ids.assessments = await action(trustGroup, '1.1', trust, 'Complete initial health assessments within 20 days.');
    ids.pathway = await action(trustGroup, '1.2', trust, 'Publish the new pathway for care leavers.');
    ids.visits = await action(trustGroup, '1.3', trust, 'Audit the health visits of children placed out of area.');
    ids.training = await action(councilGroup, '2.1', council, 'Train every social worker in the health pathway.');
    ids.interviews = await action(
      councilGroup,
      '2.2',
      council,
      'Record the health needs found at return home interviews.',
      LEAD,
    );
    ids.panel = await action(councilGroup, '2.3', council, PANEL_ACTION);

    // Submitted evidence for the action whose editor proposes Green (through the pages, below).
    await addNoteEvidence(db, {
      reviewId: ids.review,
      actionId: ids.assessments,
      title: EVIDENCE,
      on: addDays(today, -3),
      status: 'submitted',
    });
    // Proposals waiting for the group: Blue with no evidence at all, and two Ambers.
    const proposed = async (actionId: number, rating: 'blue' | 'amber', text: string) => {
      const on = addDays(today, -4);
      await addProgress(db, { reviewId: ids.review, actionId, on, text, proposed: rating });
      await addRating(db, { reviewId: ids.review, actionId, kind: 'proposed', rating, on });
    };
    await proposed(ids.training, 'blue', 'Every social worker has been trained.');
    await proposed(ids.interviews, 'amber', 'Interviews now ask about health; the audit is not done yet.');
    await proposed(ids.panel, 'amber', 'The panel has a health adviser from next month.');
    await proposed(ids.visits, 'amber', 'Half of the visits have been audited.');

    const people: [Person | 'second reviewer', string, string, number][] = [
      ['coordinator', 'Sam Okafor', 'coordinator@brookshire.example', icb],
      ['reviewer', 'Priya Shah', 'reviewer@brookshire.example', icb],
      ['second reviewer', 'Lee Grant', 'lee@brookshire.example', council],
      ['editor', 'Morgan Reid', 'editor@brookshire.example', trust],
    ];
    for (const [role, name, email, organisationId] of people) {
      const userId = await createUser(db, { email, name, password: PASSWORD });
      await addMember(db, {
        userId,
        reviewId: ids.review,
        organisationId,
        role: role === 'second reviewer' ? 'reviewer' : role,
      });
    }
  });

  after(async () => {
    await session.close();
  });

  const meetingPath = (meetingId: number) => `/reviews/${ids.review}/meetings/${meetingId}`;

  /** A new browser without JavaScript for one person, signed in through the form. */
  async function signIn(person: Person): Promise<Page> {
    const context = await session.newContext({ javaScriptEnabled: false });
    context.setDefaultTimeout(15_000);
    const tab = await session.newPage(context);
    tabs.set(person, tab);
    const signInPage = await SignInPage.goto(tab, session.baseUrl);
    await signInPage.signIn(`${person}@brookshire.example`, PASSWORD, MyWork);
    await tab.waitForURL((url) => url.pathname !== '/sign-in', { waitUntil: 'load' });
    const myWork = new MyWork(tab, session.baseUrl);
    assert.equal(myWork.path(), '/my-work', `the ${person} lands on My work`);
    assert.doesNotMatch(await myWork.bodyClasses(), /js-enabled/, 'no script ran');
    return tab;
  }

  function tab(person: Person): Page {
    const found = tabs.get(person);
    assert.ok(found, `the ${person} has signed in`);
    return found;
  }

  /** The number of the agenda item with this title, under this organisation's heading. */
  function numberOf(agenda: AgendaLine[], heading: string, title: string): number {
    const line = agenda.find((l) => l.heading === heading && l.title === title);
    assert.ok(line, `"${title}" under ${heading || 'no heading'}: ${JSON.stringify(agenda)}`);
    return line.number;
  }

  it('an editor proposes Green with progress, and a revised due date, through the pages', async () => {
    const editor = await signIn('editor');
    const form = await ProgressFormPage.goto(editor, session.baseUrl, ids.review, ids.assessments);
    await form.expectClean('the progress form');
    await form.describeWhatWasDone('Every child placed this quarter had an assessment within 20 days.');
    await form.proposeRating('Green');
    await form.submit();
    await editor.waitForURL((url) => !url.pathname.endsWith('/progress/new'), { waitUntil: 'load' });
    const landed = new ActionPage(editor, session.baseUrl);
    assert.equal(await landed.errorSummaryCount(), 0, 'the update was accepted');

    const action = await ActionDates.goto(editor, session.baseUrl, ids.review, ids.pathway);
    const dueDate = await action.openDueDate();
    await dueDate.expectClean('the due date page');
    await dueDate.propose(revisedDate, 'The new records system arrives later than planned.');
    const back = new ActionPage(editor, session.baseUrl);
    assert.match(await back.mainText(), /revised date proposed/i);
  });

  it('the coordinator schedules a meeting with members and a guest; its agenda is by organisation', async () => {
    const coordinator = await signIn('coordinator');
    const overview = await ReviewOverviewPage.goto(coordinator, session.baseUrl, ids.review);
    await overview.expectClean('the review overview');
    await coordinator.locator(`main a[href="/reviews/${ids.review}/meetings"]`).first().click();
    await coordinator.waitForURL((url) => url.pathname === `/reviews/${ids.review}/meetings`, { waitUntil: 'load' });
    const list = new MeetingsList(coordinator, session.baseUrl);
    assert.equal(await list.h1(), 'Meetings');
    await list.expectClean('the meetings list');
    assert.match(await list.mainText(), /No meetings are scheduled/);

    const form = await list.openSchedule();
    assert.equal(await form.h1(), 'Schedule a meeting');
    await form.expectClean('the schedule form');
    const ticked = await form.ticked();
    assert.ok(
      ticked.some((t) => t.startsWith('Sam Okafor')) && ticked.some((t) => t.startsWith('Priya Shah')),
      `reviewers and the coordinator are ticked already: ${JSON.stringify(ticked)}`,
    );
    assert.ok(!ticked.some((t) => t.startsWith('Morgan Reid')), 'an editor is not ticked unless chosen');
    await form.fill({
      date: firstOn,
      time: '14:00',
      forum: 'Peer challenge group',
      place: 'Room 4, Riverside House',
      invite: ['Morgan Reid'],
      guests: `${GUEST}, Healthwatch Brookshire, ayesha@healthwatch.example`,
    });
    const meeting = await form.schedule();
    assert.match(meeting.path(), new RegExp(`^/reviews/${ids.review}/meetings/\\d+$`));
    meetings.first = meeting.meetingId();
    assert.match(await meeting.banner(), /Meeting scheduled, with its agenda proposed/);
    assert.equal(await meeting.h1(), 'Peer challenge group');
    assert.equal(await meeting.summaryValue('When'), `${formatLongDate(firstOn)} at 14:00`);
    assert.equal(await meeting.summaryValue('Place'), 'Room 4, Riverside House');
    await meeting.expectClean('the new meeting’s page');

    const agenda = await meeting.agenda();
    const expected: [string, string][] = [
      [COUNCIL, 'Rating proposed: Blue'],
      [COUNCIL, 'Rating proposed: Amber'],
      [TRUST, `Evidence submitted: ${EVIDENCE}`],
      [TRUST, 'Rating proposed: Green'],
      [TRUST, `Revised due date proposed: ${formatLongDate(revisedDate)}`],
    ];
    for (const [heading, title] of expected) numberOf(agenda, heading, title);
    const headings = [...new Set(agenda.map((l) => l.heading))];
    assert.deepEqual(
      headings.filter((h) => h === COUNCIL || h === TRUST),
      [COUNCIL, TRUST],
      `grouped by organisation, in name order: ${JSON.stringify(agenda)}`,
    );
    const attendees = (await meeting.mainText()).split('Attendance')[1] ?? '';
    for (const name of ['Sam Okafor', 'Priya Shah', 'Lee Grant', 'Morgan Reid', GUEST]) {
      assert.ok(attendees.includes(name), `${name} is invited`);
    }
  });

  it('the coordinator moves, removes and adds items, downloads the pack and sends the agenda', async () => {
    const meeting = await MeetingPage.goto(tab('coordinator'), session.baseUrl, ids.review, meetings.first);
    const before = await meeting.agenda();
    // A rating on the agenda already asks whether it is evidenced: no second item for the same question.
    assert.ok(
      !before.some((l) => l.title.startsWith('Rated Green or Blue without')),
      `no exception item repeats a rating item: ${JSON.stringify(before)}`,
    );
    // The permanence panel's Amber can wait for the next meeting: it comes off, kept as removed.
    const ambers = before.filter((l) => l.heading === COUNCIL && l.title === 'Rating proposed: Amber');
    const removed = ambers.at(-1);
    assert.ok(removed && ambers.length === 2, `two council Ambers are proposed: ${JSON.stringify(before)}`);
    await meeting.changeItem(removed.number, 'Remove');
    assert.match(await meeting.banner(), /Item removed from the agenda/);
    assert.deepEqual(await meeting.removed(), [removed.title]);
    assert.equal((await meeting.agenda()).length, before.length - 1);

    const green = numberOf(await meeting.agenda(), TRUST, 'Rating proposed: Green');
    await meeting.changeItem(green, 'Move up');
    assert.match(await meeting.banner(), /Item moved up/);
    const moved = await meeting.agenda();
    assert.equal(moved[green - 2]?.title, 'Rating proposed: Green', `moved up one place: ${JSON.stringify(moved)}`);
    assert.equal(moved[green - 1]?.title, `Evidence submitted: ${EVIDENCE}`);

    await meeting.addItem(ADDED);
    assert.match(await meeting.banner(), new RegExp(`Item added: ${ADDED}`));
    const added = await meeting.agenda();
    assert.equal(added.at(-1)?.title, ADDED, 'an added item comes last');
    await meeting.expectClean('the meeting’s page after changing the agenda');

    const word = await meeting.downloadDocument('agenda', 'Word');
    assert.match(word.name, /agenda pack\.docx$/);
    const { value: packText } = await mammoth.extractRawText({ buffer: word.bytes });
    for (const line of added) assert.ok(packText.includes(line.title), `the Word pack lists "${line.title}"`);
    assert.ok(packText.includes(EVIDENCE), 'with the action’s evidence');
    assert.ok(!packText.includes(PANEL_ACTION), 'not the item removed');

    const pdf = await meeting.downloadDocument('agenda', 'PDF');
    assert.match(pdf.name, /agenda pack\.pdf$/);
    assert.equal(pdf.bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    const pdfWords = await pdfText(pdf.bytes);
    assert.ok(pdfWords.includes(ADDED), 'the PDF pack lists the added item');
    assert.ok(pdfWords.includes('Revised due date proposed'), 'and the revised date');

    const outbox = path.join(path.dirname(session.server.database.location), 'outbox');
    const earlier = new Set(await fs.readdir(outbox).catch(() => []));
    await meeting.sendAgenda();
    assert.match(await meeting.banner(), /Agenda sent to 5 people/);
    assert.equal(await meeting.summaryValue('Agenda sent'), formatLongDate(today));
    const sent = (await fs.readdir(outbox)).filter((f) => !earlier.has(f));
    assert.equal(sent.length, 5, 'one message to each person invited with an email address');
    const mail = (await Promise.all(sent.map((f) => fs.readFile(path.join(outbox, f), 'utf8')))).join('\n');
    assert.match(mail, /ayesha@healthwatch\.example/);
    assert.ok(mail.includes(meetingPath(meetings.first)), 'with a link to the meeting’s page');
  });

  it('the chair records attendance, sees the quorum, and adds a guest on the day', async () => {
    const meeting = await MeetingPage.goto(tab('coordinator'), session.baseUrl, ids.review, meetings.first);
    assert.equal(await meeting.quorum(), 'Not quorate: 0 members present, 3 needed');
    await meeting.markAttendance('Sam Okafor', 'Present');
    await meeting.markAttendance('Priya Shah', 'Present');
    await meeting.markAttendance('Lee Grant', 'Present');
    await meeting.markAttendance('Morgan Reid', 'Sent apologies');
    await meeting.markAttendance(GUEST, 'Present');
    await meeting.saveAttendance();
    assert.match(await meeting.banner(), /Attendance saved/);
    assert.equal(await meeting.quorum(), 'Quorate: 3 members present, 3 needed', 'a guest does not count');
    await meeting.expectClean('the meeting’s page with attendance');

    await tab('coordinator').getByLabel('Name', { exact: true }).fill(DAY_GUEST);
    await tab('coordinator').getByLabel('Organisation', { exact: true }).fill('Brookshire GP Federation');
    await tab('coordinator').getByRole('button', { name: 'Add the guest', exact: true }).click();
    await tab('coordinator').waitForURL((url) => url.hash === '#attendance', { waitUntil: 'load' });
    assert.match(await meeting.banner(), new RegExp(`Guest added: ${DAY_GUEST}`));
    await meeting.markAttendance(DAY_GUEST, 'Present');
    await meeting.saveAttendance();
    assert.equal(await meeting.quorum(), 'Quorate: 3 members present, 3 needed');
  });

  it('the chair enters the decisions in one go; a mistake is shown beside its item with the rest kept', async () => {
    const meeting = await MeetingPage.goto(tab('coordinator'), session.baseUrl, ids.review, meetings.first);
    const agenda = await meeting.agenda();
    const n = {
      evidence: numberOf(agenda, TRUST, `Evidence submitted: ${EVIDENCE}`),
      green: numberOf(agenda, TRUST, 'Rating proposed: Green'),
      date: numberOf(agenda, TRUST, `Revised due date proposed: ${formatLongDate(revisedDate)}`),
      blue: numberOf(agenda, COUNCIL, 'Rating proposed: Blue'),
      interviews: numberOf(agenda, COUNCIL, 'Rating proposed: Amber'),
      visits: numberOf(agenda, TRUST, 'Rating proposed: Amber'),
    };
    assert.ok((await meeting.decisionItems()).length >= 6, 'each open item can take a decision');
    await meeting.decide(n.evidence, { decision: 'Accept the evidence' });
    await meeting.decide(n.green, { decision: 'Agree a rating', rating: 'Green', rationale: AGREED_WHY });
    await meeting.decide(n.date, { decision: 'Refuse the revised date', reason: REFUSED_WHY });
    await meeting.decide(n.interviews, {
      decision: 'Request more evidence from the lead',
      request: REQUEST,
      requestDue,
    });
    await meeting.decide(n.visits, { decision: 'Defer to a later meeting', note: DEFER_NOTE });
    // The mistake: Blue agreed with no evidence at all and no reason to agree it without.
    await meeting.decide(n.blue, { decision: 'Agree a rating', rating: 'Blue', rationale: 'Everyone is trained.' });
    await meeting.saveDecisions();

    assert.equal(await meeting.errorSummaryCount(), 1, 'the decisions are refused');
    const problems = await meeting.errorsFor(n.blue);
    assert.ok(
      problems.some((p) => /Give a reason to agree Blue without it, or accept evidence first/.test(p)),
      `the problem is shown beside the Blue item: ${JSON.stringify(problems)}`,
    );
    for (const other of [n.evidence, n.green, n.date, n.interviews, n.visits]) {
      assert.deepEqual(await meeting.errorsFor(other), [], `no problem beside item ${other}`);
    }
    assert.equal((await meeting.entered(n.evidence)).decision, 'Accept the evidence');
    const green = await meeting.entered(n.green);
    assert.deepEqual([green.decision, green.rating, green.rationale], ['Agree a rating', 'Green', AGREED_WHY]);
    assert.equal((await meeting.entered(n.date)).reason, REFUSED_WHY);
    assert.equal((await meeting.entered(n.interviews)).request, REQUEST);
    assert.equal((await meeting.entered(n.visits)).note, DEFER_NOTE);
    assert.equal((await meeting.entered(n.blue)).rating, 'Blue');
    await expectAxeCleanAsShown(tab('coordinator'));

    // Nothing was written: in another tab, the action's rating is still only proposed.
    const history = await session.withPage(
      async (other) => (await ActionPage.goto(other, session.baseUrl, ids.review, ids.assessments)).ratingHistory(),
      tab('coordinator').context(),
    );
    assert.ok(!history.some((r) => r.decision.startsWith('Agreed')), 'no rating was agreed by the refused form');

    await meeting.decide(n.blue, { overrideReason: OVERRIDE });
    await meeting.saveDecisions();
    assert.equal(await meeting.errorSummaryCount(), 0, 'the decisions are saved');
    assert.equal(meeting.path(), meetingPath(meetings.first));
    assert.match(await meeting.banner(), /Decisions saved: 6 items/);
    await meeting.expectClean('the meeting’s page after the decisions');

    const minutes = await meeting.minutes();
    assert.match(minutes, /^Draft: approved at a later meeting\./);
    assert.ok(minutes.includes(`Evidence accepted: ${EVIDENCE}`), minutes);
    assert.ok(minutes.includes(`Rating agreed: Green. ${AGREED_WHY}`), minutes);
    assert.ok(minutes.includes(`Revised due date refused. ${REFUSED_WHY}`), minutes);
    assert.ok(minutes.includes(OVERRIDE), 'the reason to agree Blue without evidence');
    assert.ok(minutes.includes(`${REQUEST} (${LEAD}, by ${formatLongDate(requestDue)})`), minutes);
    assert.ok(minutes.includes(`deferred. ${DEFER_NOTE}`), minutes);
    assert.equal(await meeting.summaryValue('Minutes'), 'Draft minutes');
  });

  it('the action page says the rating was agreed at this meeting', async () => {
    const action = await ActionPage.goto(tab('coordinator'), session.baseUrl, ids.review, ids.assessments);
    await action.expectClean('the action agreed at the meeting');
    const history = await action.ratingHistory();
    const agreed = history.find((r) => r.decision.startsWith('Agreed') && r.rating === 'Green');
    assert.ok(agreed, `an agreed Green: ${JSON.stringify(history)}`);
    assert.ok(
      agreed.decision.includes(`at the peer challenge group on ${formatLongDate(firstOn)}`),
      `it names the meeting: ${agreed.decision}`,
    );
    assert.equal(agreed.why, AGREED_WHY);
  });

  it('the minutes download as Word, with attendance, decisions and their reasons, and the request', async () => {
    const meeting = await MeetingPage.goto(await signIn('reviewer'), session.baseUrl, ids.review, meetings.first);
    await meeting.expectClean('the meeting’s page, as a reviewer');
    const word = await meeting.downloadDocument('minutes', 'Word');
    assert.match(word.name, /minutes\.docx$/);
    const { value: text } = await mammoth.extractRawText({ buffer: word.bytes });
    for (const name of ['Sam Okafor', 'Priya Shah', 'Lee Grant', 'Morgan Reid', GUEST, DAY_GUEST]) {
      assert.ok(text.includes(name), `the minutes name ${name}: ${text}`);
    }
    assert.match(text, /apologies/i, 'with the apologies');
    assert.match(text, /draft/i, 'marked as a draft');
    for (const words of [EVIDENCE, AGREED_WHY, REFUSED_WHY, OVERRIDE, REQUEST, LEAD, DEFER_NOTE]) {
      assert.ok(text.includes(words), `the minutes say "${words}"`);
    }
    assert.ok(text.includes(formatLongDate(requestDue)), 'with the date the evidence is due');
  });

  it('a second meeting approves the minutes, and the first meeting’s record is then frozen', async () => {
    const coordinator = tab('coordinator');
    const list = await MeetingsList.goto(coordinator, session.baseUrl, ids.review);
    const form = await list.openSchedule();
    await form.fill({
      date: secondOn,
      time: '10:00',
      forum: 'Peer challenge group',
      place: 'Room 4, Riverside House',
    });
    const second = await form.schedule();
    meetings.second = second.meetingId();
    const agenda = await second.agenda();
    assert.equal(
      agenda[0]?.title,
      `Minutes: approve the draft minutes of the Peer challenge group, ${formatLongDate(firstOn)}`,
      'the first item approves the first meeting’s minutes',
    );

    const reviewer = tab('reviewer');
    const chair = await MeetingPage.goto(reviewer, session.baseUrl, ids.review, meetings.second);
    await chair.expectClean('the second meeting’s page, as the chair');
    await chair.decide(1, { decision: 'Approve the minutes' });
    await chair.saveDecisions();
    assert.match(await chair.banner(), /Decisions saved: 1 item/);
    assert.ok(
      (await chair.minutes()).includes(`Minutes of the Peer challenge group, ${formatLongDate(firstOn)} approved`),
    );

    const first = await MeetingPage.goto(reviewer, session.baseUrl, ids.review, meetings.first);
    await first.expectClean('the first meeting’s page once approved');
    assert.match(
      await first.minutes(),
      new RegExp(`^Approved at the Peer challenge group, ${formatLongDate(secondOn)}\\.`),
    );
    assert.equal(await first.summaryValue('Minutes'), 'Minutes approved');
    assert.match(await first.frozenNotice(), /no more attendance or decisions are taken/);
    assert.equal(await first.hasDecisionForm(), false, 'no decision form');
    assert.equal(await first.postForms(), 0, 'no form to change the record');
    const attendance = await first.attendanceList();
    assert.ok(attendance.some((a) => a.includes('Morgan Reid') && a.includes('Sent apologies')));

    const asCoordinator = await MeetingPage.goto(coordinator, session.baseUrl, ids.review, meetings.first);
    assert.equal(await asCoordinator.postForms(), 0, 'the coordinator cannot change the agenda either');
    const frozen = await asCoordinator.downloadDocument('minutes', 'Word');
    const { value: text } = await mammoth.extractRawText({ buffer: frozen.bytes });
    assert.ok(text.includes(AGREED_WHY), 'the approved minutes keep the decisions');
    assert.match(text, /approved/i);

    const meetingsList = await MeetingsList.goto(coordinator, session.baseUrl, ids.review);
    await meetingsList.expectClean('the meetings list with two meetings');
    const rows = await meetingsList.meetings(/Upcoming/);
    assert.ok(
      rows.some((r) => r.includes(formatLongDate(firstOn)) && r.includes('Minutes approved')),
      String(rows),
    );
    assert.ok(
      rows.some((r) => r.includes(formatLongDate(secondOn)) && r.includes('Draft minutes')),
      String(rows),
    );
  });
});
