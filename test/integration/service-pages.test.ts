import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LightMyRequestResponse } from 'fastify';
import { databaseTargets } from '../helpers/databases.ts';
import { startTestApp, visibleText, type TestApp } from '../helpers/app.ts';
import { createOrganisation, createReview } from '../helpers/factories.ts';
import { addMember, createUser, sessionFor } from '../helpers/people.ts';
import { Client } from '../helpers/client.ts';

/*
 * The service's own pages, linked from every page's footer: the accessibility statement, the
 * privacy notice, the cookies, help and contact, the service's status, and the page that says
 * you have signed out. Each is opened signed out and signed in, as a person would, and read.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const packageVersion = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string })
  .version;

function h1Of(html: string): string {
  const headings = [...html.matchAll(/<h1[^>]*>([\s\S]*?)<\/h1>/g)];
  assert.equal(headings.length, 1, 'one heading');
  return visibleText(headings[0]?.[1] ?? '');
}

/** The names of the cookies a response sets (or deletes). */
function cookiesSet(res: LightMyRequestResponse): string[] {
  return res.cookies.map((c) => c.name);
}

/** Every cookie name the source code gives Clasp's cookies (the *_COOKIE constants). */
function cookieNamesInSource(): string[] {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (file.endsWith('.ts') && !file.endsWith('.test.ts')) {
        for (const m of fs.readFileSync(file, 'utf8').matchAll(/_COOKIE = '([a-z_]+)'/g)) names.add(m[1] ?? '');
      }
    }
  };
  walk(path.join(root, 'src'));
  return [...names].sort();
}

const PAGES = [
  { path: '/accessibility', h1: 'Accessibility statement' },
  { path: '/privacy', h1: 'Privacy notice' },
  { path: '/cookies', h1: 'Cookies' },
  { path: '/help', h1: 'Help and contact' },
  { path: '/status', h1: 'Service status' },
];

for (const target of databaseTargets) {
  describe(`the service's own pages on ${target.name}`, () => {
    let t: TestApp;
    let named: TestApp;
    let reviewId: number;
    let member: Client;

    before(async () => {
      t = await startTestApp(target);
      named = await startTestApp(target, {
        env: { CLASP_OPERATOR_NAME: 'NHS Testshire ICB', CLASP_CONTACT_EMAIL: 'clasp.help@testshire.nhs.uk' },
      });
      const db = t.database.db;
      const org = await createOrganisation(db, { name: 'Testshire ICB' });
      reviewId = await createReview(db, { area: 'Helpshire' });
      await createReview(db, { area: 'Elsewhere' });
      const coordinator = await createUser(db, { name: 'Cora <Coordinator>', email: 'cora@testshire.nhs.uk' });
      await addMember(db, { userId: coordinator, reviewId, organisationId: org, role: 'coordinator' });
      const viewer = await createUser(db, { name: 'Vic Viewer' });
      await addMember(db, { userId: viewer, reviewId, organisationId: org, role: 'viewer' });
      member = new Client(t.app, await sessionFor(db, viewer));
    });
    after(async () => {
      await t.close();
      await named.close();
    });

    it('opens every page signed out and signed in, with its heading, caching nothing that names a person', async () => {
      for (const page of PAGES) {
        const out = await t.anonymous.get(page.path);
        assert.equal(out.statusCode, 200, page.path);
        assert.match(String(out.headers['content-type']), /^text\/html/);
        assert.equal(h1Of(out.body), page.h1, page.path);
        assert.match(out.body, new RegExp(`<title>${page.h1} – Clasp</title>`));
        assert.doesNotMatch(visibleText(out.body), /Vic Viewer|Sign out/, `${page.path} names nobody signed out`);

        const signedIn = await member.get(page.path);
        assert.equal(signedIn.statusCode, 200, page.path);
        assert.equal(h1Of(signedIn.body), page.h1);
        assert.match(visibleText(signedIn.body), /Vic Viewer/, `${page.path} has the signed-in header`);
        assert.match(String(signedIn.headers['cache-control']), /no-store/, `${page.path} names the person: no-store`);
      }
    });

    it('states how accessible the service is, what is not, how to report it and how it was tested', async () => {
      const text = visibleText((await t.anonymous.get('/accessibility')).body);
      for (const expected of [
        /WCAG\) version 2\.2 at level AA/,
        /partially compliant/,
        /not warned before your session ends after 60 minutes/,
        /files that people upload as evidence/,
        /charts in the board report .* text description, and its numbers are also given in words and in a table/,
        /Reporting accessibility problems with this service/,
        /Equality and Human Rights Commission \(EHRC\)/,
        /Equality Advisory and Support Service \(EASS\)/,
        /axe-core against WCAG 2\.2 AA, in the Chromium browser, .* \(1,280 pixels\) and a phone width \(390 pixels\)/,
        /with JavaScript turned off/,
        /with a keyboard only/,
        /This statement was prepared on 7 December 2026\./,
        // No settings: the words say who in general terms.
        /which the organisation that runs this Clasp service runs/,
        /ask your Clasp administrator/,
      ])
        assert.match(text, expected);

      const withSettings = visibleText((await named.anonymous.get('/accessibility')).body);
      assert.match(withSettings, /which NHS Testshire ICB runs/);
      assert.match(withSettings, /email clasp\.help@testshire\.nhs\.uk/);
      assert.match(withSettings, /NHS Testshire ICB is committed to making this service accessible/);
    });

    it('says what personal data Clasp holds, why, who controls it, how long it is kept and your rights', async () => {
      const text = visibleText((await t.anonymous.get('/privacy')).body);
      for (const expected of [
        /your name and email address/,
        /your roles: the reviews you take part in/,
        /a hash of your password, made with argon2id: your password itself is never kept/,
        /for each place you are signed in: the device and browser .* the internet address/,
        /security events: failed sign-ins/,
        /an audit trail of every change anyone makes, with who made it, when/,
        /the files people upload as evidence/,
        /for accountability/,
        /Your Clasp administrator can tell you which organisation that is/,
        /after 60 minutes without using Clasp, or 12 hours after you signed in/,
        /kept for 30 minutes/,
        /Clasp does not delete anything else itself/,
        /cannot be changed or deleted through Clasp at all/,
        /ask for a copy of the personal data held about you/,
        /Information Commissioner’s Office \(ICO\)/,
        /0303 123 1113/,
        /This notice was last updated on 7 December 2026\./,
      ])
        assert.match(text, expected);
      const withSettings = visibleText((await named.anonymous.get('/privacy')).body);
      assert.match(withSettings, /NHS Testshire ICB runs this Clasp service\. It decides how the personal data/);
      assert.match(withSettings, /it is the controller of that data under the UK General Data Protection Regulation/);
      assert.match(withSettings, /To use your rights, email clasp\.help@testshire\.nhs\.uk/);
    });

    it('lists every cookie Clasp sets, all of them essential, and asks for no consent', async () => {
      const page = await t.anonymous.get('/cookies');
      const text = visibleText(page.body);
      assert.match(text, /only uses cookies it needs to work/);
      assert.match(text, /we do not ask for your permission/);
      assert.match(text, /clasp-last-active/, 'the one item kept in local storage');
      assert.doesNotMatch(page.body, /Accept (analytics|additional) cookies|cookie-banner/i);

      const cookieNames = cookieNamesInSource();
      assert.ok(cookieNames.length >= 5, cookieNames.join(', '));
      for (const name of cookieNames) assert.ok(text.includes(name), `the cookies page lists ${name}`);
      // The cookies a visit and a sign-in really set are among them.
      await createUser(t.database.db, { email: 'cookie.person@example.nhs.uk', password: 'pear tree lantern 7' });
      const form = await t.anonymous.get('/sign-in');
      const csrf = form.cookies.find((c) => c.name === 'clasp_csrf');
      const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
      assert.ok(csrf && token);
      const signIn = await t.app.inject({
        method: 'POST',
        url: '/sign-in',
        headers: { cookie: `clasp_csrf=${csrf.value}`, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          _csrf: token,
          email: 'cookie.person@example.nhs.uk',
          password: 'pear tree lantern 7',
        }).toString(),
      });
      assert.equal(signIn.statusCode, 303);
      for (const name of [...cookiesSet(form), ...cookiesSet(signIn)]) assert.ok(cookieNames.includes(name), name);
      assert.match(
        text,
        /clasp_session Keeps you signed in .* 60 minutes without using Clasp, and 12 hours after you signed in/,
      );
    });

    it('tells a signed-in person who coordinates their reviews, and nobody else anything personal', async () => {
      const signedIn = visibleText((await member.get('/help')).body);
      assert.match(signedIn, /Helpshire Cora <Coordinator>: cora@testshire\.nhs\.uk/);
      assert.doesNotMatch(signedIn, /Elsewhere/);
      const html = (await member.get('/help')).body;
      assert.ok(html.includes('Cora &lt;Coordinator&gt;'), 'names are escaped');
      assert.ok(html.includes(`href="/reviews/${reviewId}"`));
      assert.ok(html.includes('href="mailto:cora@testshire.nhs.uk"'));

      const outsider = new Client(t.app, await sessionFor(t.database.db, await createUser(t.database.db)));
      assert.match(visibleText((await outsider.get('/help')).body), /You do not have a role in any review/);

      const signedOut = visibleText((await t.anonymous.get('/help')).body);
      assert.match(signedOut, /Sign in to see who coordinates the reviews you take part in/);
      assert.doesNotMatch(signedOut, /Cora|cora@/);
      assert.match(signedOut, /reset your password/);
      assert.match(signedOut, /Ask your Clasp administrator/);
      assert.match(
        visibleText((await named.anonymous.get('/help')).body),
        /Contact NHS Testshire ICB Email clasp\.help@testshire\.nhs\.uk to reach NHS Testshire ICB/,
      );
    });

    it('shows the service status as a page, while /health keeps answering in JSON', async () => {
      const page = await t.anonymous.get('/status');
      assert.equal(page.statusCode, 200);
      const text = visibleText(page.body);
      assert.match(text, /Clasp is working: it can reach its database\./);
      assert.match(text, /Clasp Working/);
      assert.match(
        text,
        new RegExp(`Database ${target.name === 'postgres' ? 'PostgreSQL' : 'SQLite, built into Clasp'}`),
      );
      assert.ok(text.includes(`Version ${packageVersion}`), text);
      assert.match(text, /Checked \d{1,2} [A-Z][a-z]+ \d{4} at (\d{1,2}:\d{2}(am|pm)|midday|midnight)/);
      assert.match(String(page.headers['cache-control']), /no-store/, 'checked afresh every time');
      assert.ok(page.body.includes('href="/health"'));

      const health = await t.anonymous.get('/health');
      assert.equal(health.statusCode, 200);
      assert.match(String(health.headers['content-type']), /^application\/json/);
      assert.deepEqual(health.json(), { status: 'ok', database: target.name });
    });

    it('signs out in one step: the session ends, and the page says so', async () => {
      const db = t.database.db;
      const userId = await createUser(db, { name: 'Olive Outgoing' });
      const session = await sessionFor(db, userId);
      const olive = new Client(t.app, session);

      // The change needs the page's token: without it nothing happens.
      const forged = await olive.postForm('/sign-out', {}, { csrf: false });
      assert.equal(forged.statusCode, 403);
      assert.equal((await olive.get('/account')).statusCode, 200, 'still signed in');

      const out = await olive.postForm('/sign-out', {});
      assert.equal(out.statusCode, 303);
      assert.equal(out.headers.location, '/signed-out');
      const cleared = out.cookies.find((c) => c.name === 'clasp_session');
      assert.ok(cleared && cleared.value === '', 'the session cookie is deleted');
      const after = await olive.get('/account');
      assert.equal(after.statusCode, 303);
      assert.match(String(after.headers.location), /^\/sign-in/);
      const audit = await db
        .selectFrom('audit_events')
        .select('action')
        .where('user_id', '=', userId)
        .where('action', '=', 'signed out')
        .execute();
      assert.equal(audit.length, 1);

      const page = await t.anonymous.get('/signed-out');
      assert.equal(page.statusCode, 200);
      assert.equal(h1Of(page.body), 'You have signed out');
      assert.match(page.body, /<a href="\/sign-in">Sign in again<\/a>/);
      assert.doesNotMatch(visibleText(page.body), /Olive|Sign out|My work/);
      // Once signed in again, the address leads on rather than saying the person is signed out.
      const again = await member.get('/signed-out');
      assert.equal(again.statusCode, 303);
      assert.equal(again.headers.location, '/my-work');
    });

    it('keeps the old sign-out address as a page with one button, and answers an ended session kindly', async () => {
      const db = t.database.db;
      const session = await sessionFor(db, await createUser(db, { name: 'Bea Bookmark' }));
      const bea = new Client(t.app, session);
      const page = await bea.get('/sign-out');
      assert.equal(page.statusCode, 200);
      assert.equal(h1Of(page.body), 'Sign out of Clasp');
      assert.match(page.body, /<form method="post" action="\/sign-out"/);
      assert.ok(page.body.includes(`name="_csrf" value="${session.csrf}"`));
      assert.equal((await bea.get('/reviews')).statusCode, 200, 'opening the page signs nobody out');

      const signedOut = await t.anonymous.get('/sign-out');
      assert.equal(signedOut.statusCode, 303);
      assert.equal(signedOut.headers.location, '/sign-in');

      // Signed out in another tab, then "Sign out" pressed on a page still open: the token on that page
      // no longer counts, but there is nothing left to sign out of, so the answer is the same page.
      await bea.postForm('/sign-out', {});
      const late = await bea.postForm('/sign-out', {});
      assert.equal(late.statusCode, 303);
      assert.equal(late.headers.location, '/signed-out');
    });

    it('signs out of this device from the account page with a form, not a link', async () => {
      const account = await member.get('/account');
      assert.equal(account.statusCode, 200);
      assert.doesNotMatch(account.body, /<a href="\/sign-out"/);
      const thisDevice = new RegExp(
        /<form method="post" action="\/sign-out" novalidate><input type="hidden" name="_csrf" value="[^"]+">/.source +
          /<button[^>]*>Sign out<span class="nhsuk-u-visually-hidden"> of this device<\/span><\/button><\/form>/.source,
      );
      assert.match(account.body, thisDevice);
    });
  });
}

describe('the status page when the database cannot be reached', () => {
  it('says Clasp is not working, with 503, as /health does', async () => {
    const sqlite = databaseTargets.find((d) => d.name === 'sqlite');
    assert.ok(sqlite);
    const t = await startTestApp(sqlite);
    try {
      await t.database.close();
      const page = await t.anonymous.get('/status');
      assert.equal(page.statusCode, 503);
      const text = visibleText(page.body);
      assert.match(text, /Clasp is not working/);
      assert.match(text, /It cannot reach its database/);
      assert.match(text, /Clasp Not working: it cannot reach its database/);
      const health = await t.anonymous.get('/health');
      assert.equal(health.statusCode, 503);
      assert.deepEqual(health.json(), { status: 'unavailable', database: 'sqlite' });
    } finally {
      await t.app.close();
    }
  });
});
