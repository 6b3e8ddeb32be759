import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatTimeInEngland, presentCookies, presentOperator, presentStatus } from './service-pages.presenter.ts';

const unset = { operatorName: null, contactEmail: null, sessionIdleMinutes: 60, sessionMaxHours: 12 };

describe('the service pages’ words', () => {
  it('writes an instant as people in England read it, summer time and midday included', () => {
    const cases: [string, string][] = [
      ['2026-12-07T15:04:00Z', '7 December 2026 at 3:04pm'],
      ['2026-12-07T09:30:00Z', '7 December 2026 at 9:30am'],
      // British Summer Time: an hour ahead of UTC.
      ['2026-07-01T11:00:00Z', '1 July 2026 at midday'],
      ['2026-07-01T23:00:00Z', '2 July 2026 at midnight'],
      ['2026-03-29T00:59:00Z', '29 March 2026 at 12:59am'],
      ['2026-03-29T01:00:00Z', '29 March 2026 at 2:00am'],
    ];
    for (const [iso, words] of cases) assert.equal(formatTimeInEngland(new Date(iso)), words, iso);
  });

  it('names who runs the service when told, and says so in general words when not', () => {
    assert.deepEqual(presentOperator(unset), {
      name: 'The organisation that runs this Clasp service',
      nameInSentence: 'the organisation that runs this Clasp service',
      named: false,
      email: null,
    });
    const named = presentOperator({
      ...unset,
      operatorName: 'NHS Testshire ICB',
      contactEmail: 'help@testshire.nhs.uk',
    });
    assert.deepEqual(named, {
      name: 'NHS Testshire ICB',
      nameInSentence: 'NHS Testshire ICB',
      named: true,
      email: 'help@testshire.nhs.uk',
    });
  });

  it('gives each cookie’s lifetime from the settings', () => {
    const cookies = presentCookies({ ...unset, sessionIdleMinutes: 1, sessionMaxHours: 1 });
    assert.deepEqual(
      cookies.map((c) => c.name),
      ['clasp_session', 'clasp_csrf', 'clasp_sign_in', 'clasp_kept_form', 'clasp_confirmation'],
    );
    assert.match(cookies[0]?.expires ?? '', /after 1 minute without using Clasp, and 1 hour after you signed in/);
    assert.match(cookies[2]?.expires ?? '', /^After 10 minutes/);
    assert.match(cookies[3]?.expires ?? '', /^After 30 minutes/);
  });

  it('says whether Clasp can reach its database, which one and its version', () => {
    const rows = (status: 'ok' | 'unavailable', database: 'sqlite' | 'postgres') =>
      presentStatus({ status, database, version: '1.2.3', checkedAt: new Date('2026-12-07T15:04:00Z') }).rows.map(
        (r) => `${r.key.text}: ${r.value.text}`,
      );
    assert.deepEqual(rows('ok', 'postgres'), [
      'Clasp: Working',
      'Database: PostgreSQL',
      'Version: 1.2.3',
      'Checked: 7 December 2026 at 3:04pm',
    ]);
    assert.deepEqual(rows('unavailable', 'sqlite').slice(0, 2), [
      'Clasp: Not working: it cannot reach its database',
      'Database: SQLite, built into Clasp',
    ]);
  });
});
