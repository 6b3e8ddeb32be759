import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { databaseTargets } from '../helpers/databases.ts';
import { startTestApp, visibleText, type TestApp } from '../helpers/app.ts';
import { createUser, sessionFor } from '../helpers/people.ts';
import { Client } from '../helpers/client.ts';

/*
 * Throttling that holds when requests arrive together: every request is sent at once
 * (Promise.all), and the answers show that no more than the limit had their password checked.
 */

const PASSWORD = 'rhubarb lantern orchestra';
const REFUSED = /Enter a correct email address and password/;
const THROTTLED = /Too many attempts to sign in\. Wait 15 minutes/;

/** The sign-in form's anonymous CSRF cookie and token, fetched once for many posts. */
async function signInForm(t: TestApp): Promise<{ cookie: string; token: string }> {
  const form = await t.app.inject('/sign-in');
  const cookie = form.cookies.find((c) => c.name === 'clasp_csrf');
  const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
  assert.ok(cookie && token);
  return { cookie: `clasp_csrf=${cookie.value}`, token };
}

function postSignIn(
  t: TestApp,
  form: { cookie: string; token: string },
  fields: { email: string; password: string },
  remoteAddress: string,
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: 'POST',
    url: '/sign-in',
    remoteAddress,
    headers: { cookie: form.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: form.token, ...fields }).toString(),
  });
}

function count(responses: LightMyRequestResponse[], pattern: RegExp): number {
  return responses.filter((r) => pattern.test(visibleText(r.body))).length;
}

for (const target of databaseTargets) {
  describe(`throttling under parallel requests on ${target.name}`, () => {
    let t: TestApp;

    before(async () => {
      t = await startTestApp(target);
      await createUser(t.database.db, { email: 'pat@example.nhs.uk', name: 'Pat Parallel', password: PASSWORD });
    });
    after(() => t.close());

    it('checks at most 5 of 50 wrong passwords sent at once for one account; the rest are throttled', async () => {
      const form = await signInForm(t);
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          // From many client addresses, so only the per-account limit can stop them.
          postSignIn(
            t,
            form,
            { email: 'pat@example.nhs.uk', password: `wrong guess ${String(i)}` },
            `10.1.0.${String(i + 1)}`,
          ),
        ),
      );
      assert.ok(answers.every((r) => r.statusCode === 400));
      assert.equal(count(answers, REFUSED), 5, 'exactly the limit were checked');
      assert.equal(count(answers, THROTTLED), 45);
      // The right password is refused too while the window lasts: it is not checked.
      const right = await postSignIn(t, form, { email: 'pat@example.nhs.uk', password: PASSWORD }, '10.1.1.1');
      assert.match(visibleText(right.body), THROTTLED);
    });

    it('checks at most 20 of 50 sent at once from one client address, across accounts', async () => {
      const form = await signInForm(t);
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          postSignIn(
            t,
            form,
            { email: `spray${String(i)}@example.nhs.uk`, password: 'a guessed password' },
            '10.2.0.1',
          ),
        ),
      );
      assert.equal(count(answers, REFUSED), 20);
      assert.equal(count(answers, THROTTLED), 30);
    });

    it('counts only failures: signing in gives the attempt back and clears the account', async () => {
      await createUser(t.database.db, { email: 'sam@example.nhs.uk', name: 'Sam Success', password: PASSWORD });
      const form = await signInForm(t);
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < 4; i++) {
          const wrong = await postSignIn(
            t,
            form,
            { email: 'sam@example.nhs.uk', password: 'not it at all' },
            '10.3.0.1',
          );
          assert.match(visibleText(wrong.body), REFUSED);
        }
        const right = await postSignIn(t, form, { email: 'sam@example.nhs.uk', password: PASSWORD }, '10.3.0.1');
        assert.equal(right.statusCode, 303, `round ${String(round)}: 4 failures then success`);
      }
    });

    it('throttles guesses of the current password on the change-password form, even sent at once', async () => {
      const id = await createUser(t.database.db, {
        email: 'gus@example.nhs.uk',
        name: 'Gus Guess',
        password: PASSWORD,
      });
      const client = new Client(t.app, await sessionFor(t.database.db, id));
      const newPassword = 'marmalade velvet compass';
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          client.postForm('/account/password', {
            current: `guess number ${String(i)}`,
            password: newPassword,
            confirm: newPassword,
          }),
        ),
      );
      assert.ok(answers.every((r) => r.statusCode === 400));
      assert.equal(count(answers, /Your current password is not right/), 5);
      assert.equal(count(answers, /Too many wrong passwords\. Wait 15 minutes/), 25);
      const right = await client.postForm('/account/password', {
        current: PASSWORD,
        password: newPassword,
        confirm: newPassword,
      });
      assert.equal(right.statusCode, 400, 'the right password is not checked either while throttled');
      assert.match(visibleText(right.body), /Too many wrong passwords/);
    });
  });
}
