import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import type { Db } from '../../src/platform/db/database.ts';
import type { RouteAccess } from '../../src/platform/route-access.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import {
  createAction,
  createFinding,
  createGroup,
  createOrganisation,
  createRecommendation,
  createReview,
} from '../helpers/factories.ts';
import { addMember, createUser, sessionFor } from '../helpers/people.ts';
import { Client } from '../helpers/client.ts';
import { newToken, tokenHash } from '../../src/platform/auth/secrets.ts';
import { scopeCovers, scopeNeeded, scopesUpTo, TOKEN_SCOPES, type TokenScope } from '../../src/domain/permissions.ts';

/*
 * Every route, with every kind of person, through the front door and through direct
 * requests: each must be allowed or refused as the roles say. A route added without a line
 * in RULES fails the first test, so nobody can add a page and forget who may use it.
 */

type Person =
  | 'anonymous'
  | 'outsider'
  | 'viewer'
  | 'reviewer'
  | 'trust editor'
  | 'council editor'
  | 'coordinator'
  | 'administrator';
const PEOPLE: Person[] = [
  'anonymous',
  'outsider',
  'viewer',
  'reviewer',
  'trust editor',
  'council editor',
  'coordinator',
  'administrator',
];

/**
 * Who may use a route; everyone else in the review gets 403, people outside it 404, and anonymous
 * people are sent to sign in.
 */
type Rule =
  | 'public' // anyone, signed in or not
  | 'signed in' // anyone signed in
  | 'read' // members of the review and administrators
  | 'edit the trust action' // the coordinator, and editors for the action's organisation (the trust)
  | 'add actions' // the coordinator and any editor
  | 'ask questions' // members of the review, whatever their role (not administrators without one)
  | 'answer the question' // the coordinator, and editors of the organisation that answers (the trust)
  | 'assure' // reviewers and the coordinator
  | 'coordinate' // the coordinator
  | 'audit' // the coordinator and administrators
  | 'members' // the coordinator and administrators
  | 'administer' // administrators only (not a review's page: no 404 for outsiders)
  | 'create reviews'; // administrators and coordinators of any review

// Every rule here is one a route can declare (src/platform/route-access.ts): a type error otherwise.
const _rulesAreRouteAccess = (rule: Rule): RouteAccess => rule;

const ALLOWED: Record<Rule, Person[]> = {
  public: PEOPLE,
  'signed in': PEOPLE.filter((p) => p !== 'anonymous'),
  read: ['viewer', 'reviewer', 'trust editor', 'council editor', 'coordinator', 'administrator'],
  'edit the trust action': ['trust editor', 'coordinator'],
  'add actions': ['trust editor', 'council editor', 'coordinator'],
  'ask questions': ['viewer', 'reviewer', 'trust editor', 'council editor', 'coordinator'],
  'answer the question': ['trust editor', 'coordinator'],
  assure: ['reviewer', 'coordinator'],
  coordinate: ['coordinator'],
  audit: ['coordinator', 'administrator'],
  members: ['coordinator', 'administrator'],
  administer: ['administrator'],
  'create reviews': ['coordinator', 'administrator', 'outsider'],
};

// The review's own pages are hidden from people outside it; administration pages are not review pages.
const REVIEW_RULES: Rule[] = [
  'read',
  'edit the trust action',
  'add actions',
  'ask questions',
  'answer the question',
  'assure',
  'coordinate',
  'audit',
  'members',
];

const RULES: Record<string, Rule> = {
  'GET /health': 'public',
  // The JSON API's description and reference page: how to ask, with no data in them.
  'GET /api': 'public',
  'GET /api/openapi.json': 'public',
  'GET /sign-in': 'public',
  'GET /sign-in/sso': 'public',
  'GET /sign-in/sso/callback': 'public',
  'GET /admin/sign-in-domains': 'administer',
  'GET /admin/sign-in-domains/new': 'administer',
  'POST /admin/sign-in-domains/new': 'administer',
  'GET /api/admin/sign-in-domains': 'administer',
  'POST /api/admin/sign-in-domains': 'administer',
  'GET /admin/sign-in-domains/:mappingId': 'administer',
  'POST /admin/sign-in-domains/:mappingId': 'administer',
  'POST /admin/sign-in-domains/:mappingId/remove': 'administer',
  'PUT /api/admin/sign-in-domains/:mappingId': 'administer',
  'DELETE /api/admin/sign-in-domains/:mappingId': 'administer',
  'POST /sign-in': 'public',
  'GET /sign-in/code': 'public',
  'POST /sign-in/code': 'public',
  'GET /sign-in/set-up': 'public',
  'POST /sign-in/set-up': 'public',
  'GET /sign-out': 'public',
  'POST /sign-out': 'public',
  'GET /signed-out': 'public',
  'GET /accessibility': 'public',
  'GET /privacy': 'public',
  'GET /cookies': 'public',
  'GET /help': 'public',
  'GET /status': 'public',
  'GET /forgot-password': 'public',
  'POST /forgot-password': 'public',
  'GET /reset-password/:token': 'public',
  'POST /reset-password/:token': 'public',
  'GET /': 'signed in',
  'GET /reviews': 'signed in',
  'GET /my-work': 'signed in',
  'GET /api/my-work': 'signed in',
  'GET /reviews/:reviewId/chase-list': 'coordinate',
  'GET /reviews/:reviewId/chase-list/csv': 'coordinate',
  'GET /search': 'signed in',
  'GET /api/search': 'signed in',
  'GET /api/reviews': 'signed in',
  'GET /account': 'signed in',
  'POST /account/password': 'signed in',
  'POST /account/tokens': 'signed in',
  'POST /account/reminders': 'signed in',
  'POST /account/tokens/:tokenId/revoke': 'signed in',
  // Your own API tokens: anyone signed in manages theirs (through a token, with its write scope).
  'GET /api/tokens': 'signed in',
  'POST /api/tokens': 'signed in',
  'DELETE /api/tokens/:tokenId': 'signed in',
  'GET /account/two-step': 'signed in',
  'POST /account/two-step': 'signed in',
  'POST /account/two-step/recovery-codes': 'signed in',
  'POST /account/two-step/off': 'signed in',
  'GET /reviews/new': 'create reviews',
  'POST /reviews/new': 'create reviews',
  'POST /api/reviews': 'create reviews',
  'GET /reviews/import': 'create reviews',
  'POST /reviews/import': 'create reviews',
  'POST /api/reviews/import': 'create reviews',

  'GET /reviews/:reviewId': 'read',
  'GET /api/reviews/:reviewId': 'read',
  'GET /reviews/:reviewId/recommendations/:number': 'read',
  'GET /api/reviews/:reviewId/recommendations/:number': 'read',
  'GET /reviews/:reviewId/actions/:actionId': 'read',
  'GET /api/reviews/:reviewId/actions/:actionId': 'read',
  'GET /reviews/:reviewId/findings': 'read',
  'GET /reviews/:reviewId/findings/:number': 'read',
  'GET /api/reviews/:reviewId/findings': 'read',
  'GET /api/reviews/:reviewId/findings/:number': 'read',
  'GET /reviews/:reviewId/archived': 'read',
  'GET /reviews/:reviewId/evidence/:evidenceId/file': 'read',
  'GET /reviews/:reviewId/actions/:actionId/history': 'read',
  'GET /api/reviews/:reviewId/actions/:actionId/history': 'read',
  'GET /reviews/:reviewId/organisations/:organisationId': 'read',
  'GET /api/reviews/:reviewId/organisations/:organisationId': 'read',

  'GET /reviews/:reviewId/actions/:actionId/edit': 'edit the trust action',
  'POST /reviews/:reviewId/actions/:actionId/edit': 'edit the trust action',
  'PUT /api/reviews/:reviewId/actions/:actionId': 'edit the trust action',
  // Partial updates: the same people as the full change.
  'PATCH /api/reviews/:reviewId': 'coordinate',
  'PATCH /api/reviews/:reviewId/actions/:actionId': 'edit the trust action',
  'PATCH /api/reviews/:reviewId/groups/:groupId': 'coordinate',
  'PATCH /api/reviews/:reviewId/recommendations/:number': 'coordinate',
  'PATCH /api/reviews/:reviewId/findings/:number': 'coordinate',
  'GET /api/reviews/:reviewId/chase-list': 'coordinate',
  // Administration, members, meetings and reminders as JSON: the same people as their pages.
  'POST /api/admin/users': 'administer',
  'GET /api/admin/users/:userId': 'administer',
  'POST /api/admin/users/:userId/access': 'administer',
  'POST /api/admin/users/:userId/invitation': 'administer',
  'POST /api/admin/organisations': 'administer',
  'GET /api/admin/organisations/:organisationId': 'administer',
  'PUT /api/admin/organisations/:organisationId': 'administer',
  'GET /api/admin/security-events': 'administer',
  'DELETE /api/reviews/:reviewId/members/:membershipId': 'members',
  'GET /api/reviews/:reviewId/reminders': 'coordinate',
  'GET /api/account/reminders': 'signed in',
  'PUT /api/account/reminders': 'signed in',
  'PUT /api/reviews/:reviewId/meetings/quorum': 'coordinate',
  'POST /api/reviews/:reviewId/meetings/:meetingId/guests': 'assure',
  'POST /api/reviews/:reviewId/meetings/:meetingId/agenda-email': 'coordinate',
  'POST /reviews/:reviewId/actions/:actionId/move': 'edit the trust action',
  'POST /api/reviews/:reviewId/actions/:actionId/move': 'edit the trust action',
  'GET /reviews/:reviewId/actions/:actionId/progress/new': 'edit the trust action',
  'POST /reviews/:reviewId/actions/:actionId/progress/new': 'edit the trust action',
  'POST /api/reviews/:reviewId/actions/:actionId/progress': 'edit the trust action',
  'GET /reviews/:reviewId/actions/:actionId/evidence/new': 'edit the trust action',
  'POST /reviews/:reviewId/actions/:actionId/evidence/new': 'edit the trust action',
  'POST /api/reviews/:reviewId/actions/:actionId/evidence': 'edit the trust action',

  'GET /reviews/:reviewId/recommendations/:number/actions/new': 'add actions',
  'POST /reviews/:reviewId/recommendations/:number/actions/new': 'add actions',
  'POST /api/reviews/:reviewId/recommendations/:number/actions': 'add actions',

  'GET /reviews/:reviewId/evidence/:evidenceId/decision': 'assure',
  'POST /reviews/:reviewId/evidence/:evidenceId/decision': 'assure',
  'POST /api/reviews/:reviewId/evidence/:evidenceId/decision': 'assure',
  // Withdrawing: only the person who posted it, which the service checks (409 for anyone else).
  'GET /reviews/:reviewId/progress/:progressUpdateId/withdraw': 'edit the trust action',
  'POST /reviews/:reviewId/progress/:progressUpdateId/withdraw': 'edit the trust action',
  'POST /api/reviews/:reviewId/progress/:progressUpdateId/withdrawal': 'edit the trust action',
  'GET /reviews/:reviewId/evidence/:evidenceId/withdraw': 'edit the trust action',
  'POST /reviews/:reviewId/evidence/:evidenceId/withdraw': 'edit the trust action',
  'POST /api/reviews/:reviewId/evidence/:evidenceId/withdrawal': 'edit the trust action',
  'GET /reviews/:reviewId/actions/:actionId/rating': 'assure',
  'POST /reviews/:reviewId/actions/:actionId/rating': 'assure',
  'POST /api/reviews/:reviewId/actions/:actionId/rating': 'assure',

  'GET /reviews/:reviewId/actions/:actionId/due-date': 'read',
  'GET /api/reviews/:reviewId/actions/:actionId/due-date': 'read',
  'POST /reviews/:reviewId/actions/:actionId/due-date/propose': 'edit the trust action',
  'POST /api/reviews/:reviewId/actions/:actionId/due-date/proposals': 'edit the trust action',
  'GET /reviews/:reviewId/actions/:actionId/assignment': 'edit the trust action',
  'POST /reviews/:reviewId/actions/:actionId/assignment': 'edit the trust action',
  'POST /api/reviews/:reviewId/actions/:actionId/assignment': 'edit the trust action',
  'POST /reviews/:reviewId/actions/:actionId/due-date/decide': 'coordinate',
  'POST /api/reviews/:reviewId/actions/:actionId/due-date/decisions': 'coordinate',
  'GET /reviews/:reviewId/meetings': 'read',
  'GET /reviews/:reviewId/meetings/new': 'coordinate',
  'POST /reviews/:reviewId/meetings': 'coordinate',
  'POST /reviews/:reviewId/meetings/quorum': 'coordinate',
  'GET /reviews/:reviewId/meetings/:meetingId': 'read',
  'GET /reviews/:reviewId/meetings/:meetingId/:document': 'read',
  'POST /reviews/:reviewId/meetings/:meetingId/agenda/refresh': 'coordinate',
  'POST /reviews/:reviewId/meetings/:meetingId/items': 'coordinate',
  'POST /reviews/:reviewId/meetings/:meetingId/items/:itemId/up': 'coordinate',
  'POST /reviews/:reviewId/meetings/:meetingId/items/:itemId/down': 'coordinate',
  'POST /reviews/:reviewId/meetings/:meetingId/items/:itemId/remove': 'coordinate',
  'POST /reviews/:reviewId/meetings/:meetingId/attendance': 'assure',
  'POST /reviews/:reviewId/meetings/:meetingId/guests': 'assure',
  'POST /reviews/:reviewId/meetings/:meetingId/decisions': 'assure',
  'POST /reviews/:reviewId/meetings/:meetingId/send-agenda': 'coordinate',
  'GET /api/reviews/:reviewId/meetings': 'read',
  'POST /api/reviews/:reviewId/meetings': 'coordinate',
  'GET /api/reviews/:reviewId/meetings/:meetingId': 'read',
  'POST /api/reviews/:reviewId/meetings/:meetingId/agenda': 'coordinate',
  'POST /api/reviews/:reviewId/meetings/:meetingId/attendance': 'assure',
  'POST /api/reviews/:reviewId/meetings/:meetingId/decisions': 'assure',

  'GET /reviews/:reviewId/edit': 'coordinate',
  'POST /reviews/:reviewId/edit': 'coordinate',
  'PUT /api/reviews/:reviewId': 'coordinate',
  'GET /reviews/:reviewId/groups/new': 'coordinate',
  'POST /reviews/:reviewId/groups/new': 'coordinate',
  'POST /api/reviews/:reviewId/groups': 'coordinate',
  'GET /reviews/:reviewId/groups/:groupId/edit': 'coordinate',
  'POST /reviews/:reviewId/groups/:groupId/edit': 'coordinate',
  'PUT /api/reviews/:reviewId/groups/:groupId': 'coordinate',
  'GET /reviews/:reviewId/recommendations/new': 'coordinate',
  'POST /reviews/:reviewId/recommendations/new': 'coordinate',
  'POST /api/reviews/:reviewId/recommendations': 'coordinate',
  'GET /reviews/:reviewId/recommendations/:number/edit': 'coordinate',
  'POST /reviews/:reviewId/recommendations/:number/edit': 'coordinate',
  'PUT /api/reviews/:reviewId/recommendations/:number': 'coordinate',
  'GET /reviews/:reviewId/recommendations/:number/archive': 'coordinate',
  'POST /reviews/:reviewId/recommendations/:number/archive': 'coordinate',
  'POST /reviews/:reviewId/recommendations/:number/restore': 'coordinate',
  'POST /api/reviews/:reviewId/recommendations/:number/archive': 'coordinate',
  'POST /api/reviews/:reviewId/recommendations/:number/restore': 'coordinate',
  'GET /reviews/:reviewId/findings/new': 'coordinate',
  'POST /reviews/:reviewId/findings/new': 'coordinate',
  'POST /api/reviews/:reviewId/findings': 'coordinate',
  'GET /reviews/:reviewId/findings/:number/edit': 'coordinate',
  'POST /reviews/:reviewId/findings/:number/edit': 'coordinate',
  'PUT /api/reviews/:reviewId/findings/:number': 'coordinate',
  'GET /reviews/:reviewId/actions/:actionId/archive': 'coordinate',
  'POST /reviews/:reviewId/actions/:actionId/archive': 'coordinate',
  'POST /reviews/:reviewId/actions/:actionId/restore': 'coordinate',
  'POST /api/reviews/:reviewId/actions/:actionId/archive': 'coordinate',
  'POST /api/reviews/:reviewId/actions/:actionId/restore': 'coordinate',
  'GET /reviews/:reviewId/import': 'coordinate',
  'POST /reviews/:reviewId/import': 'coordinate',
  'POST /api/reviews/:reviewId/import': 'coordinate',
  'GET /reviews/:reviewId/versions': 'read',
  'GET /api/reviews/:reviewId/versions': 'read',
  'GET /reviews/:reviewId/compare': 'read',
  'GET /api/reviews/:reviewId/compare': 'read',
  'GET /reviews/:reviewId/documents/plan/:format': 'read',
  'GET /reviews/:reviewId/documents/board-report/:format': 'read',
  'GET /reviews/:reviewId/versions/new': 'coordinate',
  'POST /reviews/:reviewId/versions': 'coordinate',
  'POST /api/reviews/:reviewId/versions': 'coordinate',

  'GET /reviews/:reviewId/questions': 'read',
  'GET /reviews/:reviewId/questions.csv': 'read',
  'GET /reviews/:reviewId/questions.docx': 'read',
  'GET /reviews/:reviewId/questions/:questionId': 'read',
  'GET /api/reviews/:reviewId/questions': 'read',
  'GET /api/reviews/:reviewId/questions/:questionId': 'read',
  'GET /reviews/:reviewId/questions/new': 'ask questions',
  'POST /reviews/:reviewId/questions/new': 'ask questions',
  'POST /api/reviews/:reviewId/questions': 'ask questions',
  'POST /reviews/:reviewId/questions/:questionId/response': 'answer the question',
  'PUT /api/reviews/:reviewId/questions/:questionId/response': 'answer the question',
  'POST /reviews/:reviewId/questions/:questionId/approval': 'coordinate',
  'POST /api/reviews/:reviewId/questions/:questionId/approval': 'coordinate',
  'POST /reviews/:reviewId/questions/settings': 'coordinate',
  'PUT /api/reviews/:reviewId/questions/settings': 'coordinate',

  'GET /reviews/:reviewId/audit': 'audit',
  'GET /api/reviews/:reviewId/audit': 'audit',

  'GET /reviews/:reviewId/members': 'members',
  'GET /reviews/:reviewId/reminders': 'coordinate',
  'POST /reviews/:reviewId/members': 'members',
  'POST /reviews/:reviewId/members/:membershipId/remove': 'members',
  'GET /api/reviews/:reviewId/members': 'members',
  'POST /api/reviews/:reviewId/members': 'members',

  'GET /admin': 'administer',
  'GET /admin/users': 'administer',
  'GET /admin/users/new': 'administer',
  'POST /admin/users/new': 'administer',
  'GET /admin/users/:userId': 'administer',
  'POST /admin/users/:userId/access': 'administer',
  'POST /admin/users/:userId/invite': 'administer',
  'GET /admin/organisations': 'administer',
  'GET /admin/security-events': 'administer',
  'GET /admin/organisations/new': 'administer',
  'POST /admin/organisations/new': 'administer',
  'GET /admin/organisations/:organisationId/edit': 'administer',
  'POST /admin/organisations/:organisationId/edit': 'administer',
  'GET /api/admin/users': 'administer',
  'GET /api/admin/organisations': 'administer',
};

/**
 * Routes not walked, with the access each must declare: files rather than pages, and the
 * pages of a pending import, which belong only to the person who started it (everyone else
 * gets 404, whatever their role). test/integration/imports-web.test.ts covers who may use
 * those, and their CSRF checks.
 */
const NOT_WALKED = new Map<string, RouteAccess>([
  ['GET /assets/*', 'public'],
  ['GET /static/*', 'public'],
  ['GET /static/ratings.css', 'public'],
  ['GET /imports/:importId', 'the person who started the import'],
  ['POST /imports/:importId/columns', 'the person who started the import'],
  ['POST /imports/:importId/agencies', 'the person who started the import'],
  ['POST /imports/:importId/confirm', 'the person who started the import'],
  ['POST /imports/:importId/discard', 'the person who started the import'],
  ['GET /api/imports/:importId', 'the person who started the import'],
  ['POST /api/imports/:importId/columns', 'the person who started the import'],
  ['POST /api/imports/:importId/agencies', 'the person who started the import'],
  // Reverting a confirmed import: safe-imports.test.ts covers who may, on both databases.
  ['GET /reviews/:reviewId/imports/:importId/revert', 'coordinate'],
  ['POST /reviews/:reviewId/imports/:importId/revert', 'coordinate'],
  ['POST /api/reviews/:reviewId/imports/:importId/revert', 'coordinate'],
  ['POST /api/imports/:importId/confirm', 'the person who started the import'],
  ['POST /api/imports/:importId/discard', 'the person who started the import'],
  // One issued version's page: test/integration/versions.test.ts issues one and checks who may read it.
  ['GET /reviews/:reviewId/versions/:number', 'read'],
  ['GET /api/reviews/:reviewId/versions/:number', 'read'],
]);

interface Fixture {
  reviewId: number;
  actionId: number;
  evidenceId: number;
  progressUpdateId: number;
  groupId: number;
  trustId: number;
  /** A question about the action, which the trust answers. */
  questionId: number;
  /** A meeting of the review with one agenda item. */
  meetingId: number;
  itemId: number;
  membershipId: number;
  /** A sign-in domain for single sign-on, mapped to the trust. */
  mappingId: number;
  clients: Record<Person, Client>;
  /** Each signed-in person's spare API token, to revoke; nobody signed in has none. */
  tokenIds: Partial<Record<Person, number>>;
  /** Each signed-in person's API token of each scope, to send requests with. */
  tokens: Partial<Record<Person, Record<TokenScope, string>>>;
}

async function makeFixture(t: TestApp): Promise<Fixture> {
  const db: Db = t.database.db;
  const icb = await createOrganisation(db, { kind: 'commissioner' });
  const trust = await createOrganisation(db, { kind: 'nhs_trust' });
  const council = await createOrganisation(db, { kind: 'local_authority' });
  const reviewId = await createReview(db, { leadOrganisationId: icb, coveredOrganisationIds: [icb, trust, council] });
  const elsewhere = await createReview(db, { leadOrganisationId: icb });
  const groupId = await createGroup(db, reviewId, 1, [trust, council]);
  const rec = await createRecommendation(db, {
    reviewId,
    groupId,
    number: '1.1',
    text: 'Improve the triage of children.',
  });
  await createFinding(db, {
    reviewId,
    number: '1.6',
    text: 'Triage missed previous attendances.',
    recommendationIds: [rec],
  });
  const actionId = await createAction(db, {
    reviewId,
    recommendationId: rec,
    organisationIds: [trust],
    text: 'Add a triage prompt.',
    position: 1,
  });
  const bytes = Buffer.from('%PDF-1.4\n%%EOF\n');
  const sha = createHash('sha256').update(bytes).digest('hex');
  const now = new Date().toISOString();
  await db
    .insertInto('blobs')
    .values({ sha256: sha, size: bytes.length, content: bytes, created_at: now })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
  const { id: evidenceId } = await db
    .insertInto('evidence_items')
    .values({
      review_id: reviewId,
      action_id: actionId,
      kind: 'file',
      title: 'Audit',
      effective_on: '2026-11-01',
      blob_sha256: sha,
      file_name: 'audit.pdf',
      media_type: 'application/pdf',
      size: bytes.length,
      url: null,
      note: null,
      status: 'submitted',
      status_reason: null,
      status_by_name: null,
      status_at: null,
      added_by_user_id: null,
      added_by_name: 'Someone',
      is_illustrative: 0,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const { id: progressUpdateId } = await db
    .insertInto('progress_updates')
    .values({
      review_id: reviewId,
      action_id: actionId,
      progress_on: '2026-11-01',
      text: 'Audit done.',
      author_user_id: null,
      author_name: 'Someone',
      proposed_rating: null,
      is_illustrative: 0,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  const { id: meetingId } = await db
    .insertInto('meetings')
    .values({
      review_id: reviewId,
      forum: 'peer_challenge',
      title: '',
      starts_at: '2027-01-14T14:00',
      place: 'Room 4',
      created_by_user_id: null,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const { id: itemId } = await db
    .insertInto('meeting_items')
    .values({
      meeting_id: meetingId,
      position: 1,
      kind: 'other',
      action_id: null,
      evidence_item_id: null,
      question_id: null,
      organisation_id: null,
      title: 'Any other business',
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  const { id: questionId } = await db
    .insertInto('questions')
    .values({
      review_id: reviewId,
      recommendation_id: null,
      action_id: actionId,
      text: 'How is the prompt used?',
      asked_by: 'A councillor',
      forum: 'scrutiny_panel',
      meeting_id: null,
      asked_on: '2026-11-01',
      organisation_id: trust,
      recorded_by_user_id: null,
      recorded_by_name: 'Someone',
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  const roles: [Person, 'viewer' | 'reviewer' | 'editor' | 'coordinator', number, number][] = [
    ['outsider', 'coordinator', elsewhere, icb],
    ['viewer', 'viewer', reviewId, icb],
    ['reviewer', 'reviewer', reviewId, icb],
    ['trust editor', 'editor', reviewId, trust],
    ['council editor', 'editor', reviewId, council],
    ['coordinator', 'coordinator', reviewId, icb],
  ];
  // Someone not signed in still holds the sign-in pages' own CSRF token, as a browser would.
  const anonymousToken = 'a'.repeat(43);
  const clients = {
    anonymous: new Client(t.app, { userId: 0, cookie: `clasp_csrf=${anonymousToken}`, csrf: anonymousToken }),
  } as Record<Person, Client>;
  const tokenIds: Partial<Record<Person, number>> = {};
  for (const [person, role, review, organisationId] of roles) {
    const userId = await createUser(db, { name: `The ${person}` });
    await addMember(db, { userId, reviewId: review, organisationId, role });
    clients[person] = new Client(t.app, await sessionFor(db, userId));
  }
  const adminId = await createUser(db, { name: 'The administrator', isAdmin: true });
  clients.administrator = new Client(t.app, await sessionFor(db, adminId));
  const tokens: Partial<Record<Person, Record<TokenScope, string>>> = {};
  for (const person of PEOPLE) {
    const userId = clients[person].session?.userId;
    if (!userId) continue;
    const insertToken = async (name: string, scope: TokenScope, secret: string) => {
      const { id } = await db
        .insertInto('api_tokens')
        .values({
          token_hash: tokenHash(secret),
          user_id: userId,
          name,
          created_at: now,
          last_used_at: null,
          revoked_at: null,
          scopes: scopesUpTo(scope).join(' '),
          expires_at: '2999-01-01T00:00:00.000Z',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return id;
    };
    tokenIds[person] = await insertToken('spare', 'read', newToken());
    const held = { read: `clasp_${newToken()}`, write: `clasp_${newToken()}`, admin: `clasp_${newToken()}` };
    for (const scope of TOKEN_SCOPES) await insertToken(scope, scope, held[scope]);
    tokens[person] = held;
  }
  const viewerId = clients.viewer.session?.userId ?? 0;
  const { id: membershipId } = await db
    .selectFrom('memberships')
    .select('id')
    .where('user_id', '=', viewerId)
    .executeTakeFirstOrThrow();
  const { id: mappingId } = await db
    .insertInto('sign_in_domains')
    .values({
      kind: 'domain',
      value: `walk-${newToken().slice(0, 10).toLowerCase()}.nhs.uk`,
      organisation_id: trust,
      may_join: 0,
      require_sso: 0,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    reviewId,
    actionId,
    evidenceId,
    progressUpdateId,
    groupId,
    trustId: trust,
    questionId,
    meetingId,
    itemId,
    membershipId,
    mappingId,
    clients,
    tokenIds,
    tokens,
  };
}

function concreteUrl(route: string, f: Fixture, person: Person): string {
  return route
    .replace(':reviewId', String(f.reviewId))
    .replace(':actionId', String(f.actionId))
    .replace(':evidenceId', String(f.evidenceId))
    .replace(':progressUpdateId', String(f.progressUpdateId))
    .replace(':groupId', String(f.groupId))
    .replace(':questionId', String(f.questionId))
    .replace(':meetingId', String(f.meetingId))
    .replace(':itemId', String(f.itemId))
    .replace(':document', 'agenda.docx')
    .replace(':organisationId', String(f.trustId))
    .replace(':membershipId', String(f.membershipId))
    .replace(':mappingId', String(f.mappingId))
    .replace(':userId', String(f.clients['trust editor'].session?.userId ?? 0))
    .replace(':tokenId', String(f.tokenIds[person] ?? 1))
    .replace(':token', 'x'.repeat(43))
    .replace(':format', route.includes('/board-report/') ? 'html' : 'csv')
    .replace(':number', route.includes('/findings/') ? '1.6' : '1.1');
}

async function request(client: Client, method: string, url: string): Promise<LightMyRequestResponse> {
  if (method === 'GET') return client.get(url);
  if (url.startsWith('/api/')) return client.sendJson(method as 'POST' | 'PUT', url, {});
  return client.postForm(url, {});
}

/** A request made by a script with an API token instead of a session (no CSRF token needed). */
async function requestWithToken(
  t: TestApp,
  token: string,
  method: string,
  url: string,
): Promise<LightMyRequestResponse> {
  const json = method === 'GET' ? {} : { 'content-type': 'application/json' };
  return t.app.inject({
    method: method as 'GET',
    url,
    headers: { authorization: `Bearer ${token}`, ...json },
    ...(method === 'GET' ? {} : { payload: '{}' }),
  });
}

/**
 * What a token of this scope gets: refused (403) before the route when its scope does not cover
 * the method or route; otherwise what its person gets, except that an administrator's token
 * without the admin scope is not an administrator (and the administrator belongs to no review).
 */
function wantWithToken(
  rule: Rule,
  person: Person,
  scope: TokenScope,
  method: string,
  route: string,
): 'sign in' | 403 | 404 | null {
  if (!scopeCovers(scope, scopeNeeded(method, route))) return 403;
  if (person === 'administrator' && scope !== 'admin') {
    if (rule === 'public' || rule === 'signed in') return null;
    return REVIEW_RULES.includes(rule) ? 404 : 403;
  }
  if (ALLOWED[rule].includes(person)) return null;
  return person === 'outsider' && REVIEW_RULES.includes(rule) ? 404 : 403;
}

function refusedAs(res: LightMyRequestResponse): 'sign in' | 403 | 404 | null {
  if (res.statusCode === 401) return 'sign in';
  if (res.statusCode === 303 && String(res.headers.location).startsWith('/sign-in')) return 'sign in';
  if (res.statusCode === 403) return 403;
  if (res.statusCode === 404) return 404;
  return null;
}

for (const target of databaseTargets) {
  describe(`who may use each route, on ${target.name}`, () => {
    let t: TestApp;
    let shared: Fixture;

    before(async () => {
      t = await startTestApp(target);
      shared = await makeFixture(t);
    });
    after(() => t.close());

    it('has a rule for every route', () => {
      const missing = t.app.routeList
        .map((r) => `${r.method} ${r.url}`)
        .filter((key) => !NOT_WALKED.has(key) && !(key in RULES));
      assert.deepEqual(missing, [], 'routes without a permission rule');
    });

    it('declares on every route the access its rule says', () => {
      const wrong: string[] = [];
      for (const { method, url, access } of t.app.routeList) {
        const key = `${method} ${url}`;
        const rule = RULES[key] ?? NOT_WALKED.get(key);
        if (rule !== undefined && access !== rule) wrong.push(`${key} declares '${access}', its rule is '${rule}'`);
      }
      assert.deepEqual(wrong, [], 'routes whose config.access differs from their rule');
    });

    it('allows and refuses each route as its rule says, for every kind of person', async () => {
      const problems: string[] = [];
      for (const { method, url: route } of t.app.routeList) {
        const key = `${method} ${route}`;
        const rule = RULES[key];
        if (!rule) continue;
        // Changes get a review of their own, and each person allowed to make one a fresh review,
        // so one person's change (an archive, a removal, a sign-out) cannot decide the next one's answer.
        const refusedFixture = method === 'GET' ? shared : await makeFixture(t);
        for (const person of PEOPLE) {
          const f = method === 'GET' || !ALLOWED[rule].includes(person) ? refusedFixture : await makeFixture(t);
          const res = await request(f.clients[person], method, concreteUrl(route, f, person));
          const got = refusedAs(res);
          const allowed = ALLOWED[rule].includes(person);
          let want: 'sign in' | 403 | 404 | null;
          if (allowed) want = null;
          else if (person === 'anonymous') want = 'sign in';
          else if (person === 'outsider' && REVIEW_RULES.includes(rule)) want = 404;
          else want = 403;
          // A public page may itself answer 404 (an unknown reset link) or send you to sign in
          // (signing out); it never refuses with 401 or 403.
          const ok = rule === 'public' ? res.statusCode !== 401 && res.statusCode !== 403 : got === want;
          if (!ok)
            problems.push(
              `${key} as ${person}: expected ${want ?? 'allowed'}, got ${res.statusCode}` +
                (res.headers.location ? ` → ${res.headers.location}` : ''),
            );
        }
      }
      assert.deepEqual(problems, []);
    });

    it('allows and refuses each API route as its rule and the token’s scope say, for every token', async () => {
      const problems: string[] = [];
      for (const { method, url: route } of t.app.routeList) {
        const key = `${method} ${route}`;
        const rule = RULES[key];
        if (!rule || !route.startsWith('/api/') || rule === 'public') continue;
        const refusedFixture = method === 'GET' ? shared : await makeFixture(t);
        for (const person of PEOPLE) {
          if (person === 'anonymous') continue;
          for (const scope of TOKEN_SCOPES) {
            const want = wantWithToken(rule, person, scope, method, route);
            // A change that is allowed gets a review of its own, as for people with sessions.
            const f = method === 'GET' || want !== null ? refusedFixture : await makeFixture(t);
            const token = f.tokens[person]?.[scope] ?? '';
            const res = await requestWithToken(t, token, method, concreteUrl(route, f, person));
            const got = refusedAs(res);
            if (got !== want)
              problems.push(
                `${key} as ${person} with a ${scope} token: expected ${want ?? 'allowed'}, got ${res.statusCode}`,
              );
          }
        }
      }
      assert.deepEqual(problems, []);
    });

    it('refuses every change sent without the CSRF token, even by someone allowed to make it', async () => {
      const problems: string[] = [];
      for (const { method, url: route } of t.app.routeList) {
        if (method === 'GET' || NOT_WALKED.has(`${method} ${route}`)) continue;
        const rule = RULES[`${method} ${route}`];
        if (!rule) continue;
        const person = rule === 'public' || rule === 'signed in' ? 'coordinator' : (ALLOWED[rule][0] as Person);
        const client = shared.clients[person];
        const url = concreteUrl(route, shared, person);
        const res = url.startsWith('/api/')
          ? await client.sendJson(method as 'POST', url, {}, { csrf: false })
          : await client.postForm(url, {}, { csrf: false });
        if (res.statusCode !== 403) problems.push(`${method} ${route} without a token: ${res.statusCode}`);
      }
      assert.deepEqual(problems, []);
    });
  });
}
