import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { databaseTargets } from '../helpers/databases.ts';
import { startTestApp, visibleText, type TestApp } from '../helpers/app.ts';
import { addMember, createUser } from '../helpers/people.ts';
import {
  createAction,
  createGroup,
  createOrganisation,
  createRecommendation,
  createReview,
} from '../helpers/factories.ts';

/*
 * Nothing typed is lost when a session ends: a form sent after the session ended (idle too
 * long, or signed out in another tab) gets the sign-in page, and after signing in the person
 * is back on the form with what they typed. Only same-origin forms are kept, never a password,
 * and only for the person whose session it was.
 */

const PASSWORD = 'lantern orchard pebble 42';
const IDLE_MINUTES = 30;
const KEPT_NOTICE =
  'Your session ended, so what you sent has not been saved yet. ' +
  'Sign in and you will be taken back to the form with what you typed.';
const NOT_KEPT_NOTICE = 'Your session ended, so what you sent has not been saved.';
const KEPT_BANNER = 'We kept what you typed. Check it and send it again.';
const TYPED = 'Audited 40 triage records & found 2 without the prompt <still to fix>.';

type Fields = Record<string, string>;

/** One browser: its cookies, kept between requests as a browser keeps them. */
class Browser {
  readonly cookies = new Map<string, string>();
  constructor(readonly t: TestApp) {}

  async request(
    method: 'GET' | 'POST',
    url: string,
    options: { headers?: Record<string, string>; payload?: string | Buffer } = {},
  ): Promise<LightMyRequestResponse> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const res = await this.t.app.inject({
      method,
      url,
      headers: { ...(cookie ? { cookie } : {}), ...options.headers },
      ...(options.payload === undefined ? {} : { payload: options.payload }),
    });
    for (const set of res.cookies) {
      const expired = set.value === '' || (set.expires !== undefined && set.expires.getTime() <= Date.now());
      if (expired) this.cookies.delete(set.name);
      else this.cookies.set(set.name, set.value);
    }
    return res;
  }

  get(url: string) {
    return this.request('GET', url);
  }

  /** A form sent as a browser sends it from a page of the site: urlencoded, same-origin. */
  postForm(url: string, fields: Fields, headers: Record<string, string> = { 'sec-fetch-site': 'same-origin' }) {
    return this.request('POST', url, {
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      payload: new URLSearchParams(fields).toString(),
    });
  }

  /** A multipart form with its file input, empty unless a file is given, as the progress form sends it. */
  postMultipart(
    url: string,
    fields: Fields,
    headers: Record<string, string> = { 'sec-fetch-site': 'same-origin' },
    file = { name: '', content: '' },
  ) {
    const boundary = '----clasp-session-ended';
    const parts = Object.entries(fields).map(
      ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
    );
    parts.push(
      `--${boundary}\r\nContent-Disposition: form-data; name="evidenceFile"; filename="${file.name}"\r\n` +
        `Content-Type: application/octet-stream\r\n\r\n${file.content}\r\n`,
    );
    return this.request('POST', url, {
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, ...headers },
      payload: Buffer.from(`${parts.join('')}--${boundary}--\r\n`, 'utf8'),
    });
  }

  /** Signs in through the form on the sign-in page shown; returns where it leads. */
  async signIn(email: string, page?: LightMyRequestResponse): Promise<string> {
    const form = page ?? (await this.get('/sign-in'));
    const next = /name="next" value="([^"]*)"/.exec(form.body)?.[1] ?? '';
    const res = await this.postForm('/sign-in', {
      _csrf: csrfOf(form),
      email,
      password: PASSWORD,
      next: next.replace(/&amp;/g, '&'),
    });
    assert.equal(res.statusCode, 303, res.body);
    return String(res.headers.location);
  }
}

function csrfOf(page: LightMyRequestResponse): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  assert.ok(token, 'the page has a form with a CSRF token');
  return token;
}

function progressFields(csrf: string, text = TYPED): Fields {
  return {
    _csrf: csrf,
    'progressOn-day': '20',
    'progressOn-month': '11',
    'progressOn-year': '2026',
    text,
    proposedRating: 'amber',
  };
}

/** Asserts the answer is the sign-in page in the normal layout, with a 401. */
function assertSignInPage(res: LightMyRequestResponse, next: string, notice: string) {
  assert.equal(res.statusCode, 401);
  assert.match(String(res.headers['content-type']), /^text\/html/);
  const text = visibleText(res.body);
  assert.match(text, /Sign in to Clasp/);
  assert.ok(text.includes(notice), text);
  assert.match(res.body, /class="nhsuk-header/, 'the header of every page');
  assert.match(text, /Service status/, 'the footer of every page');
  assert.match(String(res.headers['content-security-policy']), /script-src 'self'/);
  assert.ok(res.body.includes(`name="next" value="${next}"`), 'signing in leads back to the form');
}

for (const target of databaseTargets) {
  describe(`forms sent after the session ended, on ${target.name}`, () => {
    let t: TestApp;
    let clock = Date.parse('2026-11-23T09:00:00Z');
    let reviewId: number;
    let recommendationId: number;
    let trust: number;
    let erin: string;
    let ed: string;
    let progressCount: () => Promise<number>;

    const newActionProgressPath = async () => {
      const actionId = await createAction(t.database.db, {
        reviewId,
        recommendationId,
        organisationIds: [trust],
        createdOn: '2026-11-01',
      });
      return `/reviews/${reviewId}/actions/${actionId}/progress/new`;
    };

    /** A browser signed in as `email` that has the progress form open, and whose session then ends for want of use. */
    const idleOnProgressForm = async (email: string) => {
      const browser = new Browser(t);
      const path = await newActionProgressPath();
      await browser.signIn(email);
      const form = await browser.get(path);
      assert.equal(form.statusCode, 200);
      clock += (IDLE_MINUTES + 1) * 60_000;
      return { browser, path, csrf: csrfOf(form) };
    };

    before(async () => {
      t = await startTestApp(target, {
        now: () => new Date(clock),
        env: { CLASP_SESSION_IDLE_MINUTES: String(IDLE_MINUTES) },
      });
      const db = t.database.db;
      trust = await createOrganisation(db, { name: 'Keptshire Hospitals NHS Foundation Trust' });
      reviewId = await createReview(db, { area: 'Keptshire', coveredOrganisationIds: [trust] });
      const group = await createGroup(db, reviewId, 1, [trust]);
      recommendationId = await createRecommendation(db, { reviewId, groupId: group, number: '1.1' });
      erin = 'erin.editor@example.nhs.uk';
      ed = 'ed.other@example.nhs.uk';
      for (const [email, name] of [
        [erin, 'Erin Editor'],
        [ed, 'Ed Other'],
      ] as const) {
        const userId = await createUser(db, { email, name, password: PASSWORD });
        await addMember(db, { userId, reviewId, organisationId: trust, role: 'editor' });
      }
      progressCount = async () =>
        Number(
          (
            await db
              .selectFrom('progress_updates')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
    });
    after(() => t.close());

    it('shows the sign-in page, then the progress form again with what was typed', async () => {
      const { browser, path, csrf } = await idleOnProgressForm(erin);
      const before = await progressCount();

      const res = await browser.postMultipart(path, progressFields(csrf));
      assertSignInPage(res, path, KEPT_NOTICE);
      assert.equal(await progressCount(), before, 'nothing is saved before signing in');
      assert.ok(browser.cookies.has('clasp_kept_form'));

      assert.equal(await browser.signIn(erin, res), path, 'signing in leads back to the form');
      const form = await browser.get(path);
      assert.equal(form.statusCode, 200);
      const text = visibleText(form.body);
      assert.ok(text.includes(KEPT_BANNER), text);
      assert.ok(
        form.body.includes('Audited 40 triage records &amp; found 2 without the prompt &lt;still to fix&gt;.'),
        'the text as typed, escaped',
      );
      assert.match(form.body, /id="progressOn-day"[^>]*value="20"/);
      assert.match(form.body, /value="amber" checked/);
      assert.ok(!browser.cookies.has('clasp_kept_form'), 'shown once, then forgotten');

      // Sent again, it is saved as any form is.
      const sent = await browser.postMultipart(path, progressFields(csrfOf(form)));
      assert.equal(sent.statusCode, 303, sent.body);
      assert.equal(await progressCount(), before + 1);
      const again = await browser.get(path);
      assert.ok(!visibleText(again.body).includes(KEPT_BANNER));
      // The update now shows as the action's last update above the form, but the form itself is empty.
      assert.ok(!/<textarea[^>]*>[^<]*Audited 40 triage records/.test(again.body), 'the text box is empty');
    });

    it('keeps the text of a form sent with a file, and asks for the file again', async () => {
      const { browser, path, csrf } = await idleOnProgressForm(erin);
      const res = await browser.postMultipart(
        path,
        { ...progressFields(csrf), evidenceTitle: 'Triage audit' },
        { 'sec-fetch-site': 'same-origin' },
        { name: 'audit.pdf', content: '%PDF-1.4 not kept' },
      );
      assertSignInPage(res, path, KEPT_NOTICE);
      await browser.signIn(erin, res);
      const form = await browser.get(path);
      const text = visibleText(form.body);
      assert.ok(text.includes(KEPT_BANNER));
      assert.ok(text.includes('The file you chose could not be kept. Choose it again before you send the form.'));
      assert.match(form.body, /id="evidenceTitle"[^>]*value="Triage audit"/);
      const kept = await t.database.db.selectFrom('kept_forms').select('form').execute();
      assert.ok(kept.every((row) => !row.form.includes('%PDF')));
    });

    it('puts a kept action edit back into the edit form, at the version it was opened at', async () => {
      const browser = new Browser(t);
      const progressPath = await newActionProgressPath();
      const path = progressPath.replace('/progress/new', '/edit');
      await browser.signIn(erin);
      const form = await browser.get(path);
      assert.equal(form.statusCode, 200);
      const version = /name="version" value="(\d+)"/.exec(form.body)?.[1];
      assert.ok(version);
      clock += (IDLE_MINUTES + 1) * 60_000;

      const res = await browser.postForm(path, {
        _csrf: csrfOf(form),
        version,
        actionText: 'Audit triage records every quarter, typed before the session ended.',
        measure: 'Quarterly audit shows every record has the prompt.',
      });
      assertSignInPage(res, path, KEPT_NOTICE);
      await browser.signIn(erin, res);
      const again = await browser.get(path);
      assert.equal(again.statusCode, 200);
      assert.ok(visibleText(again.body).includes(KEPT_BANNER));
      assert.ok(again.body.includes('Audit triage records every quarter, typed before the session ended.'));
      assert.ok(again.body.includes(`name="version" value="${version}"`));
      assert.doesNotMatch(again.body, /nhsuk-error-summary/);
    });

    it('keeps a form sent after signing out in another tab, for the person who signs in next', async () => {
      const browser = new Browser(t);
      const path = await newActionProgressPath();
      await browser.signIn(erin);
      const form = await browser.get(path);
      const other = await browser.get('/sign-out');
      const out = await browser.postForm('/sign-out', { _csrf: csrfOf(other) });
      assert.equal(out.statusCode, 303);

      const res = await browser.postForm(path, progressFields(csrfOf(form), 'Typed in the other tab.'));
      assertSignInPage(res, path, KEPT_NOTICE);
      assert.equal(await browser.signIn(erin, res), path);
      const shown = await browser.get(path);
      assert.ok(shown.body.includes('Typed in the other tab.'));
      assert.ok(visibleText(shown.body).includes(KEPT_BANNER));
    });

    it('does not show one person’s kept form to another account signing in', async () => {
      const { browser, path, csrf } = await idleOnProgressForm(erin);
      const res = await browser.postMultipart(path, progressFields(csrf, 'Erin’s private draft.'));
      assertSignInPage(res, path, KEPT_NOTICE);

      assert.equal(await browser.signIn(ed, res), path);
      const form = await browser.get(path);
      assert.equal(form.statusCode, 200);
      assert.ok(!form.body.includes('Erin’s private draft.'));
      assert.ok(!visibleText(form.body).includes(KEPT_BANNER));
      assert.ok(!browser.cookies.has('clasp_kept_form'));
    });

    it('does not keep a form sent from another site', async () => {
      const sources: Record<string, string>[] = [
        { 'sec-fetch-site': 'cross-site' },
        { origin: 'https://elsewhere.example' },
        {},
      ];
      for (const headers of sources) {
        const { browser, path, csrf } = await idleOnProgressForm(erin);
        const res = await browser.postForm(path, progressFields(csrf, 'Planted by another site.'), headers);
        assertSignInPage(res, path, NOT_KEPT_NOTICE);
        assert.ok(!browser.cookies.has('clasp_kept_form'), JSON.stringify(headers));
        await browser.signIn(erin, res);
        const form = await browser.get(path);
        assert.ok(!form.body.includes('Planted by another site.'));
      }
    });

    it('never keeps a password, and says so when nothing else was typed', async () => {
      const { browser } = await idleOnProgressForm(erin);
      const page = await browser.get('/sign-in');
      const res = await browser.postForm(
        '/account/password',
        {
          _csrf: csrfOf(page),
          current: PASSWORD,
          password: 'a new secret passphrase',
          confirm: 'a new secret passphrase',
        },
        { 'sec-fetch-site': 'same-origin', referer: 'http://localhost/account' },
      );
      assertSignInPage(res, '/account', NOT_KEPT_NOTICE);
      assert.ok(!browser.cookies.has('clasp_kept_form'));

      // Beside other fields, the secret ones are left out.
      const { browser: second, path, csrf } = await idleOnProgressForm(erin);
      const sent = await second.postForm(path, {
        ...progressFields(csrf),
        password: 'hunter2 hunter2',
        code: '123456',
      });
      assertSignInPage(sent, path, KEPT_NOTICE);
      const kept = await t.database.db.selectFrom('kept_forms').select('form').execute();
      assert.ok(kept.length > 0);
      for (const row of kept) {
        assert.ok(!row.form.includes('hunter2') && !row.form.includes('123456') && !row.form.includes(PASSWORD));
        assert.ok(!row.form.includes('_csrf'));
      }
    });

    it('shows the sign-in page for anything else sent after the session ended, keeping nothing', async () => {
      const { browser, path } = await idleOnProgressForm(erin);
      const plain = await browser.request('POST', path, {
        headers: { 'content-type': 'text/plain', 'sec-fetch-site': 'same-origin' },
        payload: 'text=Sent as plain text',
      });
      assertSignInPage(plain, path, NOT_KEPT_NOTICE);
      // A form whose page cannot show it again, or an address that is no page at all.
      const elsewhere = await browser.postForm('/no/such/page', { text: 'Lost in the post' });
      assertSignInPage(elsewhere, '/reviews', NOT_KEPT_NOTICE);
      assert.ok(!browser.cookies.has('clasp_kept_form'));
    });

    it('still answers API and JSON requests with the 401 JSON', async () => {
      const { browser, path } = await idleOnProgressForm(erin);
      const api = await browser.request('POST', `/api${path.replace('/new', '')}`, {
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ text: 'From a script' }),
      });
      assert.equal(api.statusCode, 401);
      assert.match(api.json().error, /^Sign in first/);
      const json = await browser.request('POST', path, {
        headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'text=x',
      });
      assert.equal(json.statusCode, 401);
      assert.match(json.json().error, /^Sign in first/);
      assert.ok(!browser.cookies.has('clasp_kept_form'));
    });
  });
}
