import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import {
  AccountPage,
  ActionHistoryPage,
  AdminOrganisationsPage,
  AdminPage,
  ArchiveActionPage,
  ArchivedPage,
  ArchiveRecommendationPage,
  AuditTrailPage,
  ChaseListPage,
  DueDatePage,
  EditActionPage,
  EditFindingPage,
  EditGroupPage,
  EditOrganisationPage,
  EditRecommendationPage,
  EditReviewPage,
  EvidenceDecisionPage,
  EvidenceFormPage,
  FormPage,
  ForgotPasswordPage,
  MembersPage,
  MyWorkPage,
  NewActionPage,
  NewFindingPage,
  NewGroupPage,
  NewOrganisationPage,
  NewRecommendationPage,
  NewReviewPage,
  NewUserPage,
  OrganisationPage,
  ProgressFormPage,
  RatingFormPage,
  RecoveryCodesPage,
  RemindersPage,
  SearchPage,
  SecurityEventsPage,
  SignInCodePage,
  SignInPage,
  SignOutPage,
  TwoStepSetUpPage,
  UserPage,
  UsersPage,
  type ClaspPage,
} from './pages.ts';
import { startBrowserSession, type BrowserSession } from './session.ts';
import { hashPassword } from '../../src/platform/auth/secrets.ts';
import { currentTotp } from '../../src/platform/auth/one-time-codes.ts';

const TWO_STEP_PASSWORD = 'quarry tandem willow 88';

/*
 * Every page added for people, editing, assurance and audit, opened in Chromium as the
 * person who may use it, on the demo plan: one heading, no script or CSP problems, and no
 * WCAG 2.2 AA failures found by axe — on the empty form and, for forms, after sending it
 * empty, when the error summary and field messages show.
 */
describe('the editing, assurance, audit and account pages in a browser', () => {
  let session: BrowserSession;
  let coordinator: BrowserContext;
  let administrator: BrowserContext;
  let anonymous: BrowserContext;
  const ids = { action: 0, evidence: 0, group: 0, organisation: 0, user: 0 };

  before(async () => {
    session = await startBrowserSession({ as: 'coordinator' });
    coordinator = session.context;
    administrator = await session.newContext({ as: 'administrator' });
    anonymous = await session.newContext();
    const db = session.server.database.db;
    const rec = await db
      .selectFrom('recommendations')
      .select('id')
      .where('review_id', '=', session.reviewId)
      .where('number', '=', '1.1')
      .executeTakeFirstOrThrow();
    ids.action = (
      await db
        .selectFrom('actions')
        .select('id')
        .where('recommendation_id', '=', rec.id)
        .orderBy('position')
        .executeTakeFirstOrThrow()
    ).id;
    ids.evidence = (
      await db
        .selectFrom('evidence_items')
        .select('id')
        .where('review_id', '=', session.reviewId)
        .orderBy('id')
        .executeTakeFirstOrThrow()
    ).id;
    ids.group = (
      await db
        .selectFrom('recommendation_groups')
        .select('id')
        .where('review_id', '=', session.reviewId)
        .orderBy('number')
        .executeTakeFirstOrThrow()
    ).id;
    ids.organisation =
      (
        await db
          .selectFrom('reviews')
          .select('lead_organisation_id')
          .where('id', '=', session.reviewId)
          .executeTakeFirstOrThrow()
      ).lead_organisation_id ?? 0;
    ids.user = (
      await db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'editor@demo.clasp.invalid')
        .executeTakeFirstOrThrow()
    ).id;
  });

  after(async () => {
    await session.close();
  });

  /** Opens the page, checks it, and for a form sends it empty and checks the error state too. */
  async function check(
    context: BrowserContext,
    open: (tab: Page, baseUrl: string) => Promise<ClaspPage>,
    options: { sendEmpty?: boolean } = {},
  ): Promise<void> {
    await session.withPage(async (tab) => {
      const page = await open(tab, session.baseUrl);
      const path = page.openedPath;
      assert.equal(page.status, 200, `${path} opens`);
      await page.expectClean(path);
      if (options.sendEmpty) {
        assert.ok(page instanceof FormPage, `${path} is a form`);
        await page.submit();
        assert.match(await page.title(), /^Error: /, `${path}: the title says there is an error`);
        assert.equal(await page.errorSummaryCount(), 1, `${path}: one error summary`);
        await page.expectClean(`${path} sent empty`);
      }
    }, context);
  }

  const sendEmpty = { sendEmpty: true };
  const review = () => session.reviewId;

  it('sign-in and password pages', async () => {
    await check(anonymous, (tab, base) => SignInPage.goto(tab, base), sendEmpty);
    await check(anonymous, (tab, base) => ForgotPasswordPage.goto(tab, base), sendEmpty);
    await check(coordinator, (tab, base) => SignOutPage.goto(tab, base));
    await check(coordinator, (tab, base) => AccountPage.goto(tab, base));
    await check(coordinator, (tab, base) => MyWorkPage.goto(tab, base));
    await check(coordinator, (tab, base) => SearchPage.goto(tab, base));
    await check(coordinator, (tab, base) => SearchPage.goto(tab, base, 'safeguarding training'));
    await check(coordinator, (tab, base) => TwoStepSetUpPage.goto(tab, base), sendEmpty);
  });

  it('two-step verification, set up at sign-in when required, then asked for at the next', async () => {
    const db = session.server.database.db;
    await db
      .insertInto('users')
      .values({
        email: 'two.step@example.nhs.uk',
        name: 'Tuesday Step',
        password_hash: await hashPassword(TWO_STEP_PASSWORD),
        is_admin: 0,
        created_at: new Date().toISOString(),
        second_factor_required: 1,
      })
      .execute();
    const visitor = await session.newContext();
    await session.withPage(async (tab) => {
      const signIn = await SignInPage.askedFor(tab, session.baseUrl, '/account');
      const setUp = await signIn.signIn('two.step@example.nhs.uk', TWO_STEP_PASSWORD, TwoStepSetUpPage);
      assert.equal(setUp.path(), '/sign-in/set-up');
      await setUp.expectClean('/sign-in/set-up');
      await setUp.submit();
      assert.equal(await setUp.errorSummaryCount(), 1, 'a code is asked for');
      await setUp.expectClean('/sign-in/set-up sent empty');
      const codes = await setUp.enterCode(currentTotp(await setUp.key(), new Date()));
      assert.ok(codes instanceof RecoveryCodesPage);
      await codes.expectClean('the recovery codes');
      const recovery = await codes.codes();
      assert.equal(recovery.length, 10);
      const account = await codes.continue(AccountPage);
      assert.equal(account.path(), '/account');
      assert.match(await account.title(), /Your account/);

      await (await SignOutPage.goto(tab, session.baseUrl)).submit();
      const again = await SignInPage.askedFor(tab, session.baseUrl, '/account');
      const code = await again.signIn('two.step@example.nhs.uk', TWO_STEP_PASSWORD, SignInCodePage);
      assert.equal(code.path(), '/sign-in/code');
      await code.expectClean('/sign-in/code');
      await code.submit();
      assert.equal(await code.errorSummaryCount(), 1);
      await code.expectClean('/sign-in/code sent empty');
      const back = await code.enterCode(recovery[0] ?? '', AccountPage);
      assert.equal(back.path(), '/account');
    }, visitor);
  });

  it('editing pages, as the plan coordinator', async () => {
    await check(coordinator, (tab, base) => NewReviewPage.goto(tab, base), sendEmpty);
    await check(coordinator, (tab, base) => EditReviewPage.goto(tab, base, review()));
    await check(coordinator, (tab, base) => NewGroupPage.goto(tab, base, review()), sendEmpty);
    await check(coordinator, (tab, base) => EditGroupPage.goto(tab, base, review(), ids.group));
    await check(coordinator, (tab, base) => NewRecommendationPage.goto(tab, base, review()), sendEmpty);
    await check(coordinator, (tab, base) => EditRecommendationPage.goto(tab, base, review(), '1.1'));
    await check(coordinator, (tab, base) => NewActionPage.goto(tab, base, review(), '1.1'), sendEmpty);
    await check(coordinator, (tab, base) => ArchiveRecommendationPage.goto(tab, base, review(), '1.1'));
    await check(coordinator, (tab, base) => EditActionPage.goto(tab, base, review(), ids.action));
    await check(coordinator, (tab, base) => ArchiveActionPage.goto(tab, base, review(), ids.action));
    await check(coordinator, (tab, base) => NewFindingPage.goto(tab, base, review()), sendEmpty);
    await check(coordinator, (tab, base) => EditFindingPage.goto(tab, base, review(), '3.3'));
    await check(coordinator, (tab, base) => ArchivedPage.goto(tab, base, review()));
  });

  it('progress, evidence and rating pages, with their error states', async () => {
    await check(coordinator, (tab, base) => ProgressFormPage.goto(tab, base, review(), ids.action), sendEmpty);
    await check(coordinator, (tab, base) => EvidenceFormPage.goto(tab, base, review(), ids.action), sendEmpty);
    await check(coordinator, (tab, base) => EvidenceDecisionPage.goto(tab, base, review(), ids.evidence));
    await check(coordinator, (tab, base) => RatingFormPage.goto(tab, base, review(), ids.action), sendEmpty);
  });

  it('history, audit trail, organisation and people pages', async () => {
    await check(coordinator, (tab, base) => ActionHistoryPage.goto(tab, base, review(), ids.action));
    await check(coordinator, (tab, base) => AuditTrailPage.goto(tab, base, review()));
    await check(coordinator, (tab, base) => OrganisationPage.goto(tab, base, review(), ids.organisation));
    await check(coordinator, (tab, base) => MembersPage.goto(tab, base, review()));
    await check(coordinator, (tab, base) => DueDatePage.goto(tab, base, review(), ids.action));
    await check(coordinator, (tab, base) => RemindersPage.goto(tab, base, review()));
    await check(coordinator, (tab, base) => ChaseListPage.goto(tab, base, review()));
  });

  it('administration pages, as a system administrator', async () => {
    await check(administrator, (tab, base) => AdminPage.goto(tab, base));
    await check(administrator, (tab, base) => UsersPage.goto(tab, base));
    await check(administrator, (tab, base) => NewUserPage.goto(tab, base));
    await check(administrator, (tab, base) => UserPage.goto(tab, base, ids.user));
    await check(administrator, (tab, base) => AdminOrganisationsPage.goto(tab, base));
    await check(administrator, (tab, base) => NewOrganisationPage.goto(tab, base));
    await check(administrator, (tab, base) => EditOrganisationPage.goto(tab, base, ids.organisation));
    await check(administrator, (tab, base) => SecurityEventsPage.goto(tab, base));
  });
});
