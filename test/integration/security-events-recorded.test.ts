import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, visibleText, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { createOrganisation, createReview } from '../helpers/factories.ts';
import { createUser, sessionFor, signedInMember } from '../helpers/people.ts';
import { postPublicForm } from '../helpers/public-forms.ts';

/*
 * What happens to the security events an administrator reads at /admin/security-events: failed
 * sign-ins, requests refused with 403 and roles given or taken away are recorded as they happen,
 * and only administrators can read them.
 */

for (const target of databaseTargets) {
  describe(`security events recorded as they happen, on ${target.name}`, () => {
    let t: TestApp;
    let admin: Client;
    let viewer: Client;
    let coordinator: Client;
    let reviewId: number;
    let trust: number;
    before(async () => {
      t = await startTestApp(target);
      admin = await t.admin();
      trust = await createOrganisation(t.database.db, { name: 'Testshire Hospitals NHS Trust' });
      reviewId = await createReview(t.database.db, { coveredOrganisationIds: [trust] });
      viewer = new Client(
        t.app,
        await signedInMember(t.database.db, { reviewId, organisationId: trust, role: 'viewer' }),
      );
      coordinator = new Client(
        t.app,
        await signedInMember(t.database.db, { reviewId, organisationId: trust, role: 'coordinator' }),
      );
    });
    after(() => t.close());

    const eventsPage = async () => visibleText((await admin.get('/admin/security-events')).body);

    it('records a failed sign-in with the address typed, never the password', async () => {
      const res = await postPublicForm(t, '/sign-in', '/sign-in', {
        email: 'nobody@example.nhs.uk',
        password: 'a guess that is wrong',
      });
      assert.equal(res.statusCode, 400);
      const page = await eventsPage();
      assert.match(page, /sign-in failed nobody@example\.nhs\.uk/);
      assert.match(page, /why: no such account/);
      assert.doesNotMatch(page, /a guess that is wrong/);
    });

    it('records a request refused with 403, with what was asked', async () => {
      const res = await viewer.get(`/reviews/${reviewId}/edit`);
      assert.equal(res.statusCode, 403);
      assert.match(await eventsPage(), new RegExp(`refused .*GET /reviews/${reviewId}/edit`));
    });

    it('records a role given', async () => {
      const res = await coordinator.postForm(`/reviews/${reviewId}/members`, {
        email: 'new.editor@example.nhs.uk',
        name: 'New Editor',
        organisationId: String(trust),
        role: 'editor',
      });
      assert.equal(res.statusCode, 303, visibleText(res.body));
      assert.match(await eventsPage(), /role changed .*change: given.*role: editor/);
    });

    it('records a change of password, and an API token used from a new place', async () => {
      const userId = await createUser(t.database.db, {
        email: 'tess.token@example.nhs.uk',
        name: 'Tess Token',
        password: 'harbour violet compass 7',
      });
      const tess = new Client(t.app, await sessionFor(t.database.db, userId));
      const made = await tess.postForm('/account/tokens', { tokenName: 'dashboard' });
      const token = /<code class="clasp-token">([^<]+)<\/code>/.exec(made.body)?.[1] ?? '';
      const api = (remoteAddress: string) =>
        t.app.inject({ url: '/api/reviews', remoteAddress, headers: { authorization: `Bearer ${token}` } });
      assert.equal((await api('10.20.0.1')).statusCode, 200);
      assert.equal((await api('10.20.0.1')).statusCode, 200);
      assert.doesNotMatch(await eventsPage(), /token used from a new place/, 'the same place twice is not news');
      assert.equal((await api('192.0.2.44')).statusCode, 200);
      assert.match(
        await eventsPage(),
        /token used from a new place tess\.token@example\.nhs\.uk 192\.0\.2\.44.*before: 10\.20\.0\.1/,
      );

      const changed = await tess.postForm('/account/password', {
        current: 'harbour violet compass 7',
        password: 'meadow lantern copper 19',
        confirm: 'meadow lantern copper 19',
      });
      assert.equal(changed.statusCode, 303, visibleText(changed.body));
      assert.match(await eventsPage(), /password changed tess\.token@example\.nhs\.uk/);
    });

    it('shows the events to administrators only', async () => {
      assert.equal((await admin.get('/admin/security-events')).statusCode, 200);
      assert.equal((await viewer.get('/admin/security-events')).statusCode, 403);
    });
  });
}
