import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ActionPage, ReviewOverviewPage, SignInPage } from './pages.ts';
import { startBrowserSession, type BrowserSession } from './session.ts';
import {
  createAction,
  createGroup,
  createOrganisation,
  createRecommendation,
  createReview,
} from '../helpers/factories.ts';
import { addMember, createUser } from '../helpers/people.ts';

const PASSWORD = 'a long enough test password';

/** The smallest PDF a reader opens: one empty page. */
function tinyPdf(): Buffer {
  const objects = [
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (const object of objects) {
    offsets.push(body.length);
    body += `${object}\n`;
  }
  const xref = body.length;
  const entries = offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${entries}`;
  body += `trailer << /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/*
 * The whole loop of a plan, in a browser, through the pages alone: an organisation's editor
 * posts progress with a PDF and proposes Blue, the peer challenge group's reviewer accepts the
 * evidence and agrees Blue, and a board member viewing the plan sees Blue on the overview.
 * Everyone signs in through the sign-in form; every page on the way is checked with axe.
 */
describe('the progress, evidence and rating loop in a browser', () => {
  let session: BrowserSession;
  let reviewId: number;
  let actionId: number;

  before(async () => {
    session = await startBrowserSession();
    const db = session.server.database.db;
    const icb = await createOrganisation(db, {
      name: 'NHS Loopshire Integrated Care Board',
      shortName: 'Loopshire ICB',
      kind: 'commissioner',
    });
    const trust = await createOrganisation(db, {
      name: 'Loopshire Community Health NHS Trust',
      shortName: 'Loopshire Community',
      kind: 'nhs_trust',
    });
    reviewId = await createReview(db, {
      area: 'Loopshire',
      leadOrganisationId: icb,
      coveredOrganisationIds: [icb, trust],
    });
    const group = await createGroup(db, reviewId, 1, [trust], 'Loopshire Community Health NHS Trust should:');
    const rec = await createRecommendation(db, {
      reviewId,
      groupId: group,
      number: '1.1',
      text: 'Ensure health assessments of children looked after are timely.',
      outcome: 'Every assessment is done within 20 working days.',
    });
    actionId = await createAction(db, {
      reviewId,
      recommendationId: rec,
      organisationIds: [trust],
      agency: 'Looked after children health team',
      text: 'Book every initial health assessment within 5 working days of the request.',
      lead: 'Named nurse for children looked after',
      dateWords: 'Mar-27',
      dueDate: '2027-03-31',
      position: 1,
      createdOn: '2026-10-01',
    });
    for (const [role, organisationId] of [
      ['editor', trust],
      ['reviewer', icb],
      ['viewer', icb],
    ] as const) {
      const userId = await createUser(db, {
        email: `${role}@loopshire.example`,
        name: `Loopshire ${role}`,
        password: PASSWORD,
      });
      await addMember(db, { userId, reviewId, organisationId, role });
    }
  });

  after(async () => {
    await session.close();
  });

  /** A new browser for one person, signed in through the form, on the action's page. */
  async function signIn(role: string): Promise<ActionPage> {
    const context = await session.newContext();
    context.setDefaultTimeout(10_000);
    const tab = await session.newPage(context);
    const actionPath = `/reviews/${reviewId}/actions/${actionId}`;
    const signInPage = await SignInPage.askedFor(tab, session.baseUrl, actionPath);
    assert.match(signInPage.path(), /^\/sign-in$/, 'asked to sign in first');
    await signInPage.expectNoAxeViolations();
    const action = await signInPage.signIn(`${role}@loopshire.example`, PASSWORD, ActionPage);
    assert.equal(action.path(), actionPath, 'back on the page asked for');
    return action;
  }

  it('the editor posts progress with a PDF and proposes Blue', async () => {
    const action = await signIn('editor');
    const form = await action.startProgressUpdate();
    assert.equal(await form.h1(), 'Post a progress update');
    await form.expectNoAxeViolations();
    await form.describeWhatWasDone('All initial health assessments in October were booked within 5 working days.');
    await form.proposeRating('Blue');
    await form.attachEvidence(
      { name: 'October audit.pdf', mimeType: 'application/pdf', buffer: tinyPdf() },
      'October booking audit',
    );
    const updated = await form.post();
    assert.equal(updated.path(), `/reviews/${reviewId}/actions/${actionId}`);
    const text = await updated.mainText();
    assert.match(text, /All initial health assessments in October were booked within 5 working days\./);
    assert.match(text, /Loopshire editor/);
    assert.match(text, /October booking audit/);
    assert.match(text, /proposed, not yet agreed/i);
    await updated.expectNoAxeViolations();
  });

  it('the reviewer accepts the evidence and agrees Blue', async () => {
    const action = await signIn('reviewer');
    const accepted = await action.acceptEvidence('October booking audit');
    assert.equal(accepted.path(), `/reviews/${reviewId}/actions/${actionId}`);
    assert.match(await accepted.mainText(), /Accepted/);
    const form = await accepted.startRatingDecision();
    await form.expectNoAxeViolations();
    await form.chooseRating('Blue');
    await form.giveReason('The October audit shows every assessment booked on time.');
    const agreed = await form.agree();
    assert.equal(agreed.path(), `/reviews/${reviewId}/actions/${actionId}`);
    const text = await agreed.mainText();
    assert.match(text, /The October audit shows every assessment booked on time\./);
    assert.doesNotMatch(text, /proposed, not yet agreed/i);
    await agreed.expectNoAxeViolations();
  });

  it('the viewer sees Blue on the overview', async () => {
    const action = await signIn('viewer');
    assert.equal(await action.progressUpdateButtonCount(), 0, 'a viewer is offered no changes');
    const overview = await ReviewOverviewPage.goto(action.page, session.baseUrl, reviewId);
    const rows = await overview.ratingRows();
    assert.deepEqual(
      rows.map((r) => [r.number, r.rating]),
      [['1.1', 'Blue']],
    );
    await overview.expectNoAxeViolations();
  });
});
