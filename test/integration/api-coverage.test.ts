import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { newToken, tokenHash } from '../../src/platform/auth/secrets.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { startTestApp, visibleText, type TestApp } from '../helpers/app.ts';
import { createOrganisation, createReview } from '../helpers/factories.ts';
import { addMember, createUser, sessionFor } from '../helpers/people.ts';
import { Client } from '../helpers/client.ts';
import { outbox } from '../helpers/public-forms.ts';

/*
 * Every read and write the pages offer is in the JSON API (issue 17): administration of accounts
 * and organisations, removing members, the meetings forms and the reminders. Each route is used
 * as a script would use it, with an API token, and the change is then looked for on the page.
 * The last test lists every form a page posts and checks that it has a JSON twin, so a form
 * added later without one fails here.
 */

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * Forms that stay in the browser, with why. Everything else a page posts must have a twin.
 */
const BROWSER_ONLY: Record<string, string> = {
  // Signing in and out, and the second step of signing in: a script uses an API token instead.
  'POST /sign-in': 'signing in makes a browser session',
  'POST /sign-in/code': 'the second step of signing in, in a browser',
  'POST /sign-in/set-up': 'setting up two-step verification while signing in, in a browser',
  'POST /sign-out': 'ends a browser session',
  // Password reset: the link is emailed to a person, who follows it in a browser.
  'POST /forgot-password': 'asks for a reset link by email',
  'POST /reset-password/:token': 'follows an emailed link',
  // A person's own password and two-step verification need their authenticator app or their
  // current password, typed by them; a token must not be able to change how its person signs in.
  'POST /account/password': 'changing your own password',
  'POST /account/two-step': 'setting up your own two-step verification',
  'POST /account/two-step/off': 'turning off your own two-step verification',
  'POST /account/two-step/recovery-codes': 'new recovery codes, shown once in the browser',
};

/** Page forms whose twin is not found by the usual rule (see twinPath), with the twin's path. */
const TWIN_PATHS: Record<string, string> = {
  'POST /account/tokens': '/api/tokens',
  'POST /account/tokens/:tokenId/revoke': '/api/tokens/:tokenId',
  'POST /admin/users/:userId/invite': '/api/admin/users/:userId/invitation',
  'POST /reviews/:reviewId/actions/:actionId/due-date/decide':
    '/api/reviews/:reviewId/actions/:actionId/due-date/decisions',
  'POST /reviews/:reviewId/actions/:actionId/due-date/propose':
    '/api/reviews/:reviewId/actions/:actionId/due-date/proposals',
  'POST /reviews/:reviewId/evidence/:evidenceId/withdraw': '/api/reviews/:reviewId/evidence/:evidenceId/withdrawal',
  'POST /reviews/:reviewId/progress/:progressUpdateId/withdraw':
    '/api/reviews/:reviewId/progress/:progressUpdateId/withdrawal',
  // The agenda's forms are one API route, told which change by its body.
  'POST /reviews/:reviewId/meetings/:meetingId/agenda/refresh': '/api/reviews/:reviewId/meetings/:meetingId/agenda',
  'POST /reviews/:reviewId/meetings/:meetingId/items': '/api/reviews/:reviewId/meetings/:meetingId/agenda',
  'POST /reviews/:reviewId/meetings/:meetingId/items/:itemId/up': '/api/reviews/:reviewId/meetings/:meetingId/agenda',
  'POST /reviews/:reviewId/meetings/:meetingId/items/:itemId/down': '/api/reviews/:reviewId/meetings/:meetingId/agenda',
  'POST /reviews/:reviewId/meetings/:meetingId/items/:itemId/remove':
    '/api/reviews/:reviewId/meetings/:meetingId/agenda',
  'POST /reviews/:reviewId/meetings/:meetingId/send-agenda': '/api/reviews/:reviewId/meetings/:meetingId/agenda-email',
};

/**
 * The usual twin of a page's form: the same path under /api, without the last word when that
 * only names the form (/new, /edit) or the button (/remove, /revoke: the twin is DELETE).
 */
function twinPath(pageRoute: string): string {
  const url = pageRoute.slice(pageRoute.indexOf(' ') + 1);
  return TWIN_PATHS[pageRoute] ?? `/api${url.replace(/\/(new|edit|remove|revoke)$/, '')}`;
}

for (const target of databaseTargets) {
  describe(`the JSON API does what the pages do, on ${target.name}`, () => {
    let t: TestApp;
    let dataDir: string;

    before(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clasp-api-coverage-'));
      t = await startTestApp(target, { env: { CLASP_DATA_DIR: dataDir } });
    });
    after(async () => {
      await t.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    /** A person with an API token (of every scope) and a browser session, to look at the pages. */
    async function person(options: { name: string; email?: string; isAdmin?: boolean }) {
      const db = t.database.db;
      const userId = await createUser(db, options);
      const token = newToken();
      await db
        .insertInto('api_tokens')
        .values({
          token_hash: tokenHash(token),
          user_id: userId,
          name: 'script',
          created_at: new Date().toISOString(),
          last_used_at: null,
          revoked_at: null,
        })
        .execute();
      const api = (method: Method, url: string, json?: unknown): Promise<LightMyRequestResponse> =>
        t.app.inject({
          method,
          url,
          headers: {
            authorization: `Bearer ${token}`,
            ...(json === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(json === undefined ? {} : { payload: JSON.stringify(json) }),
        });
      const browser = new Client(t.app, await sessionFor(db, userId));
      return { userId, api, browser };
    }

    /** A review led by a commissioner, covering a trust, with a coordinator, a reviewer and a viewer. */
    async function review() {
      const db = t.database.db;
      const icb = await createOrganisation(db, { kind: 'commissioner' });
      const trust = await createOrganisation(db, { kind: 'nhs_trust' });
      const reviewId = await createReview(db, { leadOrganisationId: icb, coveredOrganisationIds: [icb, trust] });
      const coordinator = await person({ name: 'Cora Coordinator' });
      const reviewer = await person({ name: 'Rory Reviewer' });
      const viewer = await person({ name: 'Vic Viewer' });
      await addMember(db, { userId: coordinator.userId, reviewId, organisationId: icb, role: 'coordinator' });
      await addMember(db, { userId: reviewer.userId, reviewId, organisationId: icb, role: 'reviewer' });
      await addMember(db, { userId: viewer.userId, reviewId, organisationId: trust, role: 'viewer' });
      return { reviewId, icb, trust, coordinator, reviewer, viewer };
    }

    const pageText = async (client: Client, url: string) => {
      const res = await client.get(url);
      assert.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 300)}`);
      return visibleText(res.body);
    };

    it('lets an administrator add a person, change their access and invite them again', async () => {
      const admin = await person({ name: 'Ada Administrator', isAdmin: true });
      const coordinator = await person({ name: 'Not An Administrator' });
      const email = `new.person.${Date.now()}@example.nhs.uk`;

      const refused = await coordinator.api('POST', '/api/admin/users', { name: 'Nina New', email });
      assert.equal(refused.statusCode, 403, 'only administrators add people');

      const missing = await admin.api('POST', '/api/admin/users', { email: 'not an address' });
      assert.equal(missing.statusCode, 400, missing.body);
      const fields = missing.json<{ errors: { field: string }[] }>().errors.map((e) => e.field);
      assert.ok(fields.includes('name') && fields.includes('email'), missing.body);

      const added = await admin.api('POST', '/api/admin/users', { name: 'Nina New', email, isAdmin: false });
      assert.equal(added.statusCode, 201, added.body);
      const { user, invitationSent } = added.json<{
        user: { id: number; passwordSet: boolean };
        invitationSent: boolean;
      }>();
      assert.equal(invitationSent, true);
      assert.equal(user.passwordSet, false);
      assert.ok(
        [...outbox(dataDir).values()].some((mail) => mail.includes(email)),
        'the invitation is emailed to them',
      );
      assert.match(await pageText(admin.browser, '/admin/users'), /Nina New/);

      const again = await admin.api('POST', '/api/admin/users', { name: 'Nina Again', email });
      assert.equal(again.statusCode, 400);
      assert.match(again.body, /An account with this email address already exists/);

      const shown = await admin.api('GET', `/api/admin/users/${user.id}`);
      assert.equal(shown.statusCode, 200);
      assert.equal(shown.json<{ user: { name: string } }>().user.name, 'Nina New');
      assert.equal((await admin.api('GET', '/api/admin/users/999999')).statusCode, 404);

      const disabled = await admin.api('POST', `/api/admin/users/${user.id}/access`, { change: 'disable' });
      assert.equal(disabled.statusCode, 200, disabled.body);
      assert.equal(disabled.json<{ user: { disabled: boolean } }>().user.disabled, true);
      assert.match(await pageText(admin.browser, `/admin/users/${user.id}`), /Status Disabled/);

      const whileDisabled = await admin.api('POST', `/api/admin/users/${user.id}/invitation`, {});
      assert.equal(whileDisabled.statusCode, 400);
      assert.match(whileDisabled.body, /Enable it before sending an invitation/);

      const enabled = await admin.api('POST', `/api/admin/users/${user.id}/access`, { change: 'enable' });
      assert.equal(enabled.json<{ user: { disabled: boolean } }>().user.disabled, false);
      const madeAdmin = await admin.api('POST', `/api/admin/users/${user.id}/access`, { change: 'make-admin' });
      assert.equal(madeAdmin.json<{ user: { isAdmin: boolean } }>().user.isAdmin, true);

      const mails = outbox(dataDir).size;
      const reinvited = await admin.api('POST', `/api/admin/users/${user.id}/invitation`, {});
      assert.equal(reinvited.statusCode, 200, reinvited.body);
      assert.equal(reinvited.json<{ invitationSent: boolean }>().invitationSent, true);
      assert.equal(outbox(dataDir).size, mails + 1, 'a new invitation is emailed');

      const unknownChange = await admin.api('POST', `/api/admin/users/${user.id}/access`, { change: 'delete' });
      assert.equal(unknownChange.statusCode, 400);
      const self = await admin.api('POST', `/api/admin/users/${admin.userId}/access`, { change: 'disable' });
      assert.equal(self.statusCode, 400);
      assert.match(self.body, /You cannot disable your own account/);

      const events = await admin.api('GET', '/api/admin/security-events');
      assert.equal(events.statusCode, 200, events.body);
      const disabling = events
        .json<{ events: { kind: string; userId: number | null; detail: Record<string, unknown> | null }[] }>()
        .events.find((e) => e.kind === 'access changed' && e.userId === user.id && e.detail?.change === 'disable');
      assert.ok(disabling, 'the security events list the account disabled');
      assert.match(await pageText(admin.browser, '/admin/security-events'), /access changed/);
      assert.equal((await coordinator.api('GET', '/api/admin/security-events')).statusCode, 403);
    });

    it('lets an administrator add and rename an organisation, refusing an edit of an older version', async () => {
      const admin = await person({ name: 'Otto Administrator', isAdmin: true });
      const name = `Northshire Community Trust ${Date.now()}`;
      const added = await admin.api('POST', '/api/admin/organisations', {
        name,
        shortName: 'NCT',
        kind: 'nhs_trust',
      });
      assert.equal(added.statusCode, 201, added.body);
      const { organisation } = added.json<{ organisation: { id: number; version: number; kind: string } }>();
      assert.equal(organisation.kind, 'nhs_trust');
      assert.match(await pageText(admin.browser, '/admin/organisations'), new RegExp(name));

      const taken = await admin.api('POST', '/api/admin/organisations', {
        name: name.toUpperCase(),
        shortName: 'X',
        kind: 'other',
      });
      assert.equal(taken.statusCode, 400);
      assert.match(taken.body, /There is already an organisation with this name/);

      const read = await admin.api('GET', `/api/admin/organisations/${organisation.id}`);
      assert.equal(read.statusCode, 200);
      const renamed = await admin.api('PUT', `/api/admin/organisations/${organisation.id}`, {
        name: `${name} (renamed)`,
        shortName: 'NCT',
        kind: 'nhs_trust',
        version: organisation.version,
      });
      assert.equal(renamed.statusCode, 200, renamed.body);
      assert.ok(renamed.json<{ organisation: { version: number } }>().organisation.version > organisation.version);
      assert.match(await pageText(admin.browser, '/admin/organisations'), /\(renamed\)/);

      const stale = await admin.api('PUT', `/api/admin/organisations/${organisation.id}`, {
        name: `${name} (stale)`,
        shortName: 'NCT',
        kind: 'nhs_trust',
        version: organisation.version,
      });
      assert.equal(stale.statusCode, 409, stale.body);
      assert.doesNotMatch(await pageText(admin.browser, '/admin/organisations'), /\(stale\)/);
    });

    it('lets the coordinator add and remove a member, but never the last coordinator', async () => {
      const r = await review();
      const email = `edie.${Date.now()}@example.nhs.uk`;
      const added = await r.coordinator.api('POST', `/api/reviews/${r.reviewId}/members`, {
        email,
        name: 'Edie Editor',
        organisationId: r.trust,
        role: 'editor',
      });
      assert.equal(added.statusCode, 201, added.body);
      const { id } = added.json<{ id: number }>();
      assert.match(await pageText(r.coordinator.browser, `/reviews/${r.reviewId}/members`), /Edie Editor/);

      assert.equal((await r.viewer.api('DELETE', `/api/reviews/${r.reviewId}/members/${id}`)).statusCode, 403);
      const removed = await r.coordinator.api('DELETE', `/api/reviews/${r.reviewId}/members/${id}`);
      assert.equal(removed.statusCode, 204, removed.body);
      assert.doesNotMatch(await pageText(r.coordinator.browser, `/reviews/${r.reviewId}/members`), /Edie Editor/);
      assert.equal((await r.coordinator.api('DELETE', `/api/reviews/${r.reviewId}/members/${id}`)).statusCode, 404);

      const list = await r.coordinator.api('GET', `/api/reviews/${r.reviewId}/members`);
      const own = list
        .json<{ members: { id: number; userId: number }[] }>()
        .members.find((m) => m.userId === r.coordinator.userId);
      assert.ok(own);
      const last = await r.coordinator.api('DELETE', `/api/reviews/${r.reviewId}/members/${own.id}`);
      assert.equal(last.statusCode, 400);
      assert.match(last.body, /A review needs at least one plan coordinator/);
    });

    it('sets the quorum, invites a guest, changes and emails the agenda and records attendance', async () => {
      const r = await review();
      const base = `/api/reviews/${r.reviewId}/meetings`;
      const scheduled = await r.coordinator.api('POST', base, {
        startsOn: '2027-02-10',
        time: '10:30',
        forum: 'peer_challenge',
        place: 'Room 2, Civic Centre',
        members: [r.coordinator.userId, r.reviewer.userId],
      });
      assert.equal(scheduled.statusCode, 201, scheduled.body);
      const { id: meetingId } = scheduled.json<{ id: number }>();
      const page = `/reviews/${r.reviewId}/meetings/${meetingId}`;

      assert.equal((await r.reviewer.api('PUT', `${base}/quorum`, { quorum: 3 })).statusCode, 403);
      const badQuorum = await r.coordinator.api('PUT', `${base}/quorum`, { quorum: 'three' });
      assert.equal(badQuorum.statusCode, 400);
      assert.match(badQuorum.body, /Enter the quorum as a whole number from 1 to 99/);
      const quorum = await r.coordinator.api('PUT', `${base}/quorum`, { quorum: 3 });
      assert.equal(quorum.statusCode, 200, quorum.body);
      assert.deepEqual(quorum.json(), { quorum: 3 });
      assert.match(
        await pageText(r.viewer.browser, `/reviews/${r.reviewId}/meetings`),
        /at least 3 members of the review are present/,
      );

      assert.equal(
        (await r.viewer.api('POST', `${base}/${meetingId}/guests`, { name: 'Sam', organisation: 'X' })).statusCode,
        403,
      );
      const guest = await r.reviewer.api('POST', `${base}/${meetingId}/guests`, {
        name: 'Sam Patel',
        organisation: 'Healthwatch',
        email: 'sam@example.org',
      });
      assert.equal(guest.statusCode, 201, guest.body);
      assert.match(await pageText(r.viewer.browser, page), /Sam Patel \(Healthwatch, guest\)/);

      const item = await r.coordinator.api('POST', `${base}/${meetingId}/agenda`, {
        change: 'add',
        title: 'Any other business',
      });
      assert.equal(item.statusCode, 200, item.body);
      assert.match(await pageText(r.viewer.browser, page), /Any other business/);

      const before = outbox(dataDir).size;
      assert.equal((await r.reviewer.api('POST', `${base}/${meetingId}/agenda-email`, {})).statusCode, 403);
      const sent = await r.coordinator.api('POST', `${base}/${meetingId}/agenda-email`, {});
      assert.equal(sent.statusCode, 200, sent.body);
      assert.match(sent.json<{ message: string }>().message, /^Agenda sent to \d+ people$/);
      assert.ok(outbox(dataDir).size > before, 'the agenda is emailed');
      const shown = await r.viewer.api('GET', `${base}/${meetingId}`);
      assert.notEqual(shown.json<{ agendaSentAt: string | null }>().agendaSentAt, null);

      const attendees = shown.json<{ attendees: { id: number; name: string }[] }>().attendees;
      const sam = attendees.find((a) => a.name === 'Sam Patel');
      assert.ok(sam);
      const marked = await r.reviewer.api('POST', `${base}/${meetingId}/attendance`, {
        [`attendance-${sam.id}`]: 'present',
      });
      assert.equal(marked.statusCode, 200, marked.body);
      const after = await r.viewer.api('GET', `${base}/${meetingId}`);
      const samAfter = after
        .json<{ attendees: { id: number; attendance: string }[] }>()
        .attendees.find((a) => a.id === sam.id);
      assert.equal(samAfter?.attendance, 'present');
    });

    it('reads and sets your choice of reminders, and lists a review’s reminders for its coordinator', async () => {
      const r = await review();
      const mine = await r.viewer.api('GET', '/api/account/reminders');
      assert.equal(mine.statusCode, 200);
      assert.deepEqual(mine.json(), { reminders: 'immediately' });

      const wrong = await r.viewer.api('PUT', '/api/account/reminders', { reminders: 'hourly' });
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /Choose how you want email reminders/);
      const weekly = await r.viewer.api('PUT', '/api/account/reminders', { reminders: 'weekly' });
      assert.equal(weekly.statusCode, 200, weekly.body);
      assert.deepEqual((await r.viewer.api('GET', '/api/account/reminders')).json(), { reminders: 'weekly' });
      const account = await r.viewer.browser.get('/account');
      assert.match(account.body, /value="weekly" checked/);

      const now = new Date().toISOString();
      await t.database.db
        .insertInto('reminders')
        .values({
          key: `test:${r.reviewId}:${Date.now()}`,
          user_id: r.viewer.userId,
          review_id: r.reviewId,
          reason: 'action_overdue',
          subject_type: 'action',
          subject_id: null,
          subject_label: 'Action 1.1.1',
          period: '2026-11-23',
          summary: 'Action 1.1.1 is overdue',
          link: `https://clasp.example/reviews/${r.reviewId}`,
          digest_key: null,
          status: 'sent',
          attempts: 1,
          last_error: null,
          created_at: now,
          sent_at: now,
          next_attempt_at: null,
        })
        .execute();
      assert.equal((await r.reviewer.api('GET', `/api/reviews/${r.reviewId}/reminders`)).statusCode, 403);
      const listed = await r.coordinator.api('GET', `/api/reviews/${r.reviewId}/reminders`);
      assert.equal(listed.statusCode, 200, listed.body);
      const [one] = listed.json<{ reminders: { recipient: string; reason: string; status: string; path: string }[] }>()
        .reminders;
      assert.deepEqual(
        { recipient: one?.recipient, reason: one?.reason, status: one?.status, path: one?.path },
        { recipient: 'Vic Viewer', reason: 'action_overdue', status: 'sent', path: `/reviews/${r.reviewId}` },
      );
      assert.match(await pageText(r.coordinator.browser, `/reviews/${r.reviewId}/reminders`), /Vic Viewer/);
    });

    it('has a JSON twin for every form a page posts, but the browser-only ones listed', () => {
      const routes = new Set(t.app.routeList.map((r) => `${r.method} ${r.url}`));
      const forms = [...routes].filter((key) => key.startsWith('POST ') && !key.startsWith('POST /api/'));
      const writes = ['POST', 'PUT', 'PATCH', 'DELETE'];
      const missing = forms
        .filter((form) => !(form in BROWSER_ONLY))
        .filter((form) => !writes.some((method) => routes.has(`${method} ${twinPath(form)}`)))
        .map((form) => `${form} (looked for ${twinPath(form)})`);
      assert.deepEqual(missing, [], 'forms without a JSON twin: add one, or list it in BROWSER_ONLY with why');
      const stale = [...Object.keys(BROWSER_ONLY), ...Object.keys(TWIN_PATHS)].filter((key) => !routes.has(key));
      assert.deepEqual(stale, [], 'forms listed here that no page posts any more: take them off');
    });
  });
}
