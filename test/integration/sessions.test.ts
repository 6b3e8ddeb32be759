import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { databaseTargets } from '../helpers/databases.ts';
import { startTestApp, visibleText, type TestApp } from '../helpers/app.ts';
import { createUser } from '../helpers/people.ts';
import { Client } from '../helpers/client.ts';

/*
 * The account page lists where the person is signed in (device, internet address, last seen,
 * this device marked), and signs out one other device or every other one.
 */

const PASSWORD = 'juniper quartz mandolin';
const CHROME_ON_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const FIREFOX_ON_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:133.0) Gecko/20100101 Firefox/133.0';
const SAFARI_ON_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) ' +
  'Version/18.1 Mobile/15E148 Safari/604.1';

/** Signs in through the form from a device and address; returns a client holding that session. */
async function signInFrom(t: TestApp, email: string, userAgent: string, remoteAddress: string): Promise<Client> {
  const form = await t.app.inject({ url: '/sign-in', remoteAddress, headers: { 'user-agent': userAgent } });
  const csrfCookie = form.cookies.find((c) => c.name === 'clasp_csrf');
  const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
  assert.ok(csrfCookie && token);
  const res = await t.app.inject({
    method: 'POST',
    url: '/sign-in',
    remoteAddress,
    headers: {
      'user-agent': userAgent,
      cookie: `clasp_csrf=${csrfCookie.value}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: new URLSearchParams({ _csrf: token, email, password: PASSWORD }).toString(),
  });
  assert.equal(res.statusCode, 303);
  const session = res.cookies.find((c) => c.name === 'clasp_session');
  assert.ok(session);
  const cookie = `clasp_session=${session.value}`;
  const page = await t.app.inject({ url: '/account', headers: { cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  assert.ok(csrf);
  return new Client(t.app, { userId: 0, cookie, csrf });
}

/** The rows of the "Where you are signed in" table, as read. */
function sessionRows(html: string): string[] {
  const table = /<caption[^>]*>Where you are signed in<\/caption>([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  return [...table.matchAll(/<tr class="nhsuk-table__row">([\s\S]*?)<\/tr>/g)]
    .map((m) => visibleText(m[1] ?? ''))
    .filter((row) => !row.startsWith('Device'));
}

for (const target of databaseTargets) {
  describe(`where you are signed in, on ${target.name}`, () => {
    let t: TestApp;

    before(async () => {
      t = await startTestApp(target);
      await createUser(t.database.db, { email: 'dee@example.nhs.uk', name: 'Dee Devices', password: PASSWORD });
    });
    after(() => t.close());

    it('lists each device in plain words, its address and last seen, marks this one, signs out another', async () => {
      const windows = await signInFrom(t, 'dee@example.nhs.uk', CHROME_ON_WINDOWS, '10.20.0.1');
      const mac = await signInFrom(t, 'dee@example.nhs.uk', FIREFOX_ON_MAC, '10.20.0.2');
      const page = await windows.get('/account');
      const rows = sessionRows(page.body);
      assert.equal(rows.length, 2);
      assert.ok(
        rows.some((r) => /^Chrome on Windows This device 10\.20\.0\.1 \d{1,2} \w+ \d{4} at /.test(r)),
        rows.join('\n'),
      );
      assert.ok(
        rows.some((r) => /^Firefox on macOS 10\.20\.0\.2 \d{1,2} \w+ \d{4} at .* Sign out Firefox on macOS/.test(r)),
      );

      const macId = /name="session" value="([0-9a-f]{64})"/.exec(page.body)?.[1];
      assert.ok(macId, 'the other session has its own Sign out button');
      const out = await windows.postForm('/sign-out', { session: macId });
      assert.equal(out.statusCode, 303);
      assert.equal(out.headers.location, '/account?notice=signed-out-device#sessions');
      assert.equal((await mac.get('/account')).statusCode, 303, 'the Mac is signed out');
      const after = await windows.get('/account?notice=signed-out-device');
      assert.equal(after.statusCode, 200, 'this device stays signed in');
      assert.match(visibleText(after.body), /You have signed out that device\./);
      assert.equal(sessionRows(after.body).length, 1);
    });

    it('signs out everywhere else, keeping this device', async () => {
      const db = t.database.db;
      await db.deleteFrom('sessions').execute();
      const here = await signInFrom(t, 'dee@example.nhs.uk', SAFARI_ON_IPHONE, '10.21.0.1');
      const others = [
        await signInFrom(t, 'dee@example.nhs.uk', CHROME_ON_WINDOWS, '10.21.0.2'),
        await signInFrom(t, 'dee@example.nhs.uk', FIREFOX_ON_MAC, '10.21.0.3'),
      ];
      assert.match(visibleText((await here.get('/account')).body), /Sign out everywhere else/);
      const out = await here.postForm('/sign-out', { scope: 'others' });
      assert.equal(out.statusCode, 303);
      assert.equal(out.headers.location, '/account?notice=signed-out-elsewhere#sessions');
      for (const other of others) assert.equal((await other.get('/account')).statusCode, 303);
      const page = await here.get('/account?notice=signed-out-elsewhere');
      assert.match(visibleText(page.body), /You have been signed out everywhere else\./);
      assert.deepEqual(
        sessionRows(page.body).map((r) => r.split(' 10.')[0]),
        ['Safari on iPhone This device'],
      );
      const audit = await db
        .selectFrom('audit_events')
        .select('after')
        .where('action', '=', 'signed out everywhere else')
        .executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(audit.after ?? '{}'), { sessionsEnded: 2 });
    });

    it('cannot sign out someone else’s session, and a plain sign-out still ends this one', async () => {
      const id = await createUser(t.database.db, { email: 'eve@example.nhs.uk', name: 'Eve Else', password: PASSWORD });
      const dee = await signInFrom(t, 'dee@example.nhs.uk', CHROME_ON_WINDOWS, '10.22.0.1');
      const eve = await signInFrom(t, 'eve@example.nhs.uk', FIREFOX_ON_MAC, '10.22.0.2');
      const eveSession = await t.database.db
        .selectFrom('sessions')
        .select('id')
        .where('user_id', '=', id)
        .executeTakeFirstOrThrow();
      await dee.postForm('/sign-out', { session: eveSession.id });
      assert.equal((await eve.get('/account')).statusCode, 200, 'Eve is still signed in');
      const out = await eve.postForm('/sign-out', {});
      assert.equal(out.headers.location, '/signed-out');
      assert.equal((await eve.get('/account')).statusCode, 303);
    });
  });
}
