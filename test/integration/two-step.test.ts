import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { databaseTargets } from '../helpers/databases.ts';
import { startTestApp, visibleText, type TestApp } from '../helpers/app.ts';
import { createUser, sessionFor } from '../helpers/people.ts';
import { Client } from '../helpers/client.ts';
import { postPublicForm } from '../helpers/public-forms.ts';
import { currentTotp } from '../../src/platform/auth/one-time-codes.ts';

/*
 * Two-step verification (issue 12, section 2): set up from the account page with a code from
 * the app, asked for after the password, recovery codes that work once, throttled guesses, and
 * an administrator who can require it or reset it. The clock is the test's, so each sign-in
 * can have a code of its own time step.
 */

const PASSWORD = 'lantern orchard pebble 42';

/** The key the set-up page shows, without its spaces. */
function keyOn(page: string): string {
  const key = /<code class="clasp-token"[^>]*>([A-Z2-7 ]+)<\/code>/.exec(page)?.[1];
  assert.ok(key, 'the set-up page shows the key to type');
  return key.replace(/ /g, '');
}

function recoveryCodesOn(page: string): string[] {
  return [...page.matchAll(/<li><code>([a-z2-9]{5}-[a-z2-9]{5})<\/code><\/li>/g)].map((m) => m[1] as string);
}

function cookieOf(res: LightMyRequestResponse, name: string): string | undefined {
  return res.cookies.find((c) => c.name === name)?.value;
}

for (const target of databaseTargets) {
  describe(`two-step verification on ${target.name}`, () => {
    let t: TestApp;
    let clock = Date.now();
    /** Moves the clock on to the next 30-second step, so the next code is a new one. */
    const nextStep = () => {
      clock += 30_000;
    };
    const now = () => new Date(clock);
    let nurse: Client;
    let nurseId: number;
    let secret = '';
    let recoveryCodes: string[] = [];

    before(async () => {
      t = await startTestApp(target, { now });
      nurseId = await createUser(t.database.db, {
        email: 'nurse@example.nhs.uk',
        name: 'Nia Nurse',
        password: PASSWORD,
      });
      nurse = new Client(t.app, await sessionFor(t.database.db, nurseId));
    });
    after(() => t.close());

    /** The password step: the challenge cookie and where it sends the person. */
    async function passwordStep(email: string, password = PASSWORD, next = '/account') {
      const res = await postPublicForm(t, '/sign-in', '/sign-in', { email, password, next });
      assert.equal(res.statusCode, 303, visibleText(res.body));
      return { res, challenge: cookieOf(res, 'clasp_sign_in') };
    }

    /** Posts the code page as a browser would: the challenge cookie, and the anonymous CSRF pair. */
    async function postCode(path: string, challenge: string, code: string) {
      const form = await t.app.inject({ url: path, headers: { cookie: `clasp_sign_in=${challenge}` } });
      assert.equal(form.statusCode, 200, `${path} opens with the challenge cookie: ${String(form.headers.location)}`);
      const csrf = cookieOf(form, 'clasp_csrf');
      const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
      assert.ok(csrf && token);
      return t.app.inject({
        method: 'POST',
        url: path,
        headers: {
          cookie: `clasp_sign_in=${challenge}; clasp_csrf=${csrf}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: new URLSearchParams({ _csrf: token, code }).toString(),
      });
    }

    it('is off until set up, and set up with a code from the app it shows the key of', async () => {
      const account = visibleText((await nurse.get('/account')).body);
      assert.match(account, /Two-step verification Off\./);

      const setUp = await nurse.get('/account/two-step');
      assert.equal(setUp.statusCode, 200);
      assert.match(setUp.body, /<svg[^>]*>.*<path/s, 'the QR code is drawn in the page');
      secret = keyOn(setUp.body);
      assert.equal(keyOn((await nurse.get('/account/two-step')).body), secret, 'the same key until confirmed');

      const wrong = await nurse.postForm('/account/two-step', { code: '000000' });
      assert.equal(wrong.statusCode, 400);
      assert.match(visibleText(wrong.body), /Enter the 6-digit code your authenticator app shows now for Clasp/);

      const right = await nurse.postForm('/account/two-step', { code: currentTotp(secret, now()) });
      assert.equal(right.statusCode, 200, visibleText(right.body));
      assert.match(visibleText(right.body), /Save your recovery codes/);
      recoveryCodes = recoveryCodesOn(right.body);
      assert.equal(recoveryCodes.length, 10);
      assert.equal(new Set(recoveryCodes).size, 10);

      const after = visibleText((await nurse.get('/account')).body);
      assert.match(after, /Two-step verification On\..*You have 10 recovery codes left/);
      const stored = await t.database.db
        .selectFrom('recovery_codes')
        .select('code_hash')
        .where('user_id', '=', nurseId)
        .execute();
      assert.equal(stored.length, 10);
      assert.ok(
        stored.every((r) => !recoveryCodes.includes(r.code_hash)),
        'only hashes of the codes are stored',
      );
    });

    it('asks for a code after the right password, and signs in only with it', async () => {
      nextStep();
      const { res, challenge } = await passwordStep('nurse@example.nhs.uk');
      assert.equal(res.headers.location, '/sign-in/code');
      assert.ok(challenge, 'a challenge cookie is set');
      assert.equal(cookieOf(res, 'clasp_session'), undefined, 'no session before the code');
      assert.equal(res.cookies.find((c) => c.name === 'clasp_sign_in')?.path, '/sign-in');

      const wrong = await postCode('/sign-in/code', challenge, '123456');
      assert.equal(wrong.statusCode, 400);
      assert.match(visibleText(wrong.body), /Enter the 6-digit code your authenticator app shows now/);
      assert.equal(cookieOf(wrong, 'clasp_session'), undefined);

      const code = currentTotp(secret, now());
      const right = await postCode('/sign-in/code', challenge, code);
      assert.equal(right.statusCode, 303, visibleText(right.body));
      assert.equal(right.headers.location, '/account');
      const session = cookieOf(right, 'clasp_session');
      assert.ok(session);
      const page = await t.app.inject({ url: '/account', headers: { cookie: `clasp_session=${session}` } });
      assert.match(visibleText(page.body), /Nia Nurse/);

      // The same code again, in the same 30 seconds, does not sign anyone in.
      const again = await passwordStep('nurse@example.nhs.uk');
      assert.ok(again.challenge);
      const replay = await postCode('/sign-in/code', again.challenge, code);
      assert.equal(replay.statusCode, 400);
      assert.equal(cookieOf(replay, 'clasp_session'), undefined);
      // Nor does the challenge that finished: it went with the sign-in.
      const used = await t.app.inject({ url: '/sign-in/code', headers: { cookie: `clasp_sign_in=${challenge}` } });
      assert.equal(used.statusCode, 303);
      assert.equal(used.headers.location, '/sign-in?notice=sign-in-expired');
    });

    it('takes a recovery code once, and records its use for administrators', async () => {
      nextStep();
      const first = await passwordStep('nurse@example.nhs.uk');
      assert.ok(first.challenge);
      const code = recoveryCodes[0] ?? '';
      const typedLoosely = ` ${code.toUpperCase().replace('-', ' ')} `;
      const ok = await postCode('/sign-in/code', first.challenge, typedLoosely);
      assert.equal(ok.statusCode, 303, visibleText(ok.body));
      assert.ok(cookieOf(ok, 'clasp_session'));

      const second = await passwordStep('nurse@example.nhs.uk');
      assert.ok(second.challenge);
      const spent = await postCode('/sign-in/code', second.challenge, code);
      assert.equal(spent.statusCode, 400, 'a recovery code works once');

      assert.match(visibleText((await nurse.get('/account')).body), /You have 9 recovery codes left/);
      const events = visibleText((await (await t.admin()).get('/admin/security-events')).body);
      assert.match(events, /recovery code used nurse@example\.nhs\.uk/);
      assert.match(events, /second step failed nurse@example\.nhs\.uk/);
    });

    it('throttles wrong codes per account, so even the right code waits', async () => {
      nextStep();
      const { challenge } = await passwordStep('nurse@example.nhs.uk');
      assert.ok(challenge);
      // Two wrong codes already count against the account from the tests above; the window is 15 minutes.
      const answers: number[] = [];
      for (let i = 0; i < 5; i++) answers.push((await postCode('/sign-in/code', challenge, '999999')).statusCode);
      assert.deepEqual(answers, [400, 400, 400, 400, 400]);
      const right = await postCode('/sign-in/code', challenge, currentTotp(secret, now()));
      assert.equal(right.statusCode, 400);
      assert.match(visibleText(right.body), /Too many wrong codes/);
      assert.equal(cookieOf(right, 'clasp_session'), undefined);
      clock += 16 * 60_000;
    });

    it('ends a challenge after 10 minutes', async () => {
      const { challenge } = await passwordStep('nurse@example.nhs.uk');
      assert.ok(challenge);
      clock += 11 * 60_000;
      const late = await t.app.inject({ url: '/sign-in/code', headers: { cookie: `clasp_sign_in=${challenge}` } });
      assert.equal(late.statusCode, 303);
      assert.equal(late.headers.location, '/sign-in?notice=sign-in-expired');
      const page = visibleText((await t.app.inject('/sign-in?notice=sign-in-expired')).body);
      assert.match(page, /Signing in took too long/);
    });

    it('makes new recovery codes only with a current code, and the old ones stop working', async () => {
      nextStep();
      const refused = await nurse.postForm('/account/two-step/recovery-codes', { code: '111111' });
      assert.equal(refused.statusCode, 400);
      assert.match(visibleText(refused.body), /Enter the 6-digit code your authenticator app shows now/);
      const made = await nurse.postForm('/account/two-step/recovery-codes', { code: currentTotp(secret, now()) });
      assert.equal(made.statusCode, 200, visibleText(made.body));
      assert.match(visibleText(made.body), /Your earlier recovery codes no longer work/);
      const fresh = recoveryCodesOn(made.body);
      assert.equal(fresh.length, 10);

      nextStep();
      const { challenge } = await passwordStep('nurse@example.nhs.uk');
      assert.ok(challenge);
      const old = await postCode('/sign-in/code', challenge, recoveryCodes[1] ?? '');
      assert.equal(old.statusCode, 400, 'an old recovery code no longer works');
      recoveryCodes = fresh;
    });

    it('is turned off with the password, but not while an administrator requires it', async () => {
      const admin = await t.admin();
      const require = await admin.postForm(`/admin/users/${nurseId}/access`, { change: 'require-two-step' });
      assert.equal(require.statusCode, 303, visibleText(require.body));
      const manage = visibleText((await nurse.get('/account/two-step')).body);
      assert.match(manage, /Required by your administrator Yes/);
      const blocked = await nurse.postForm('/account/two-step/off', { password: PASSWORD });
      assert.equal(blocked.statusCode, 400);
      assert.match(visibleText(blocked.body), /Your administrator requires two-step verification/);

      await admin.postForm(`/admin/users/${nurseId}/access`, { change: 'stop-requiring-two-step' });
      const wrong = await nurse.postForm('/account/two-step/off', { password: 'not my password at all' });
      assert.equal(wrong.statusCode, 400);
      assert.match(visibleText(wrong.body), /Your password is not right/);
      const off = await nurse.postForm('/account/two-step/off', { password: PASSWORD });
      assert.equal(off.statusCode, 303);
      assert.match(visibleText((await nurse.get(String(off.headers.location))).body), /Two-step verification is off\./);

      const { res } = await passwordStep('nurse@example.nhs.uk');
      assert.equal(res.headers.location, '/account', 'the password alone signs in again');
      assert.ok(cookieOf(res, 'clasp_session'));
    });

    it('when an administrator requires it, has the person set it up at their next sign-in', async () => {
      const userId = await createUser(t.database.db, {
        email: 'council.lead@example.gov.uk',
        name: 'Colm Council',
        password: PASSWORD,
      });
      const admin = await t.admin();
      await admin.postForm(`/admin/users/${userId}/access`, { change: 'require-two-step' });
      const userPage = visibleText((await admin.get(`/admin/users/${userId}`)).body);
      assert.match(userPage, /Two-step verification Off, required/);

      const { res, challenge } = await passwordStep('council.lead@example.gov.uk', PASSWORD, '/reviews');
      assert.equal(res.headers.location, '/sign-in/set-up');
      assert.ok(challenge);
      assert.equal(cookieOf(res, 'clasp_session'), undefined);
      const setUp = await t.app.inject({ url: '/sign-in/set-up', headers: { cookie: `clasp_sign_in=${challenge}` } });
      assert.match(visibleText(setUp.body), /Your administrator requires two-step verification/);
      const key = keyOn(setUp.body);
      nextStep();
      const done = await postCode('/sign-in/set-up', challenge, currentTotp(key, now()));
      assert.equal(done.statusCode, 200, visibleText(done.body));
      assert.equal(recoveryCodesOn(done.body).length, 10);
      assert.match(done.body, /href="\/reviews"/, 'then on to the page asked for');
      const session = cookieOf(done, 'clasp_session');
      assert.ok(session);
      const account = await t.app.inject({ url: '/account', headers: { cookie: `clasp_session=${session}` } });
      assert.match(visibleText(account.body), /Two-step verification On\./);

      // Lost phone and codes: the administrator resets it, which signs the person out everywhere.
      const reset = await admin.postForm(`/admin/users/${userId}/access`, { change: 'reset-two-step' });
      assert.equal(reset.statusCode, 303);
      const signedOut = await t.app.inject({ url: '/account', headers: { cookie: `clasp_session=${session}` } });
      assert.equal(signedOut.statusCode, 303, 'the reset ends their sessions');
      assert.match(
        visibleText((await admin.get(`/admin/users/${userId}`)).body),
        /Two-step verification Off, required/,
      );
      const events = visibleText((await admin.get('/admin/security-events')).body);
      assert.match(events, /access changed council\.lead@example\.gov\.uk.*change: reset-two-step/);
      assert.match(events, /two-step verification turned on council\.lead@example\.gov\.uk/);
      const again = await passwordStep('council.lead@example.gov.uk');
      assert.equal(again.res.headers.location, '/sign-in/set-up', 'set up afresh at the next sign-in');
    });

    it('does not let administrators reset their own from the accounts page', async () => {
      const admin = await t.admin();
      const selfId = admin.session?.userId ?? 0;
      const res = await admin.postForm(`/admin/users/${selfId}/access`, { change: 'reset-two-step' });
      assert.equal(res.statusCode, 400);
      assert.match(visibleText(res.body), /You cannot change your own two-step verification here/);
    });
  });
}
