import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { INFECTED_MESSAGE, SCANNER_DOWN_MESSAGE, scanBytes } from '../../src/platform/uploads/virus-scan.ts';
import { startTestApp, visibleText, type TestApp } from '../helpers/app.ts';
import { databaseTargets } from '../helpers/databases.ts';
import {
  createAction,
  createGroup,
  createOrganisation,
  createRecommendation,
  createReview,
} from '../helpers/factories.ts';
import { addMember } from '../helpers/people.ts';
import type { Client } from '../helpers/client.ts';

/*
 * Uploads scanned by a real clamd, from Debian's clamav-daemon package, started here with a
 * signature database made on the spot: one signature, for the EICAR test file (a harmless file
 * every scanner reports as a virus). No signatures are downloaded.
 */

const CLAMD = '/usr/sbin/clamd';
const EICAR = Buffer.from('X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*', 'latin1');

interface Clamd {
  socket: string;
  process: ChildProcess;
  dir: string;
}

/** Starts clamd on a socket in a new folder, with a database holding the EICAR file's hash only. */
async function startClamd(): Promise<Clamd> {
  assert.ok(
    fs.existsSync(CLAMD),
    `${CLAMD} is missing: install Debian's clamav-daemon (apt-get install clamav-daemon)`,
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clasp-clamd-'));
  const database = path.join(dir, 'signatures');
  fs.mkdirSync(database);
  // A body signature (name:target:offset:hex), so the test file is found anywhere in any file.
  fs.writeFileSync(path.join(database, 'clasp-test.ndb'), `Clasp-Test-EICAR:0:*:${EICAR.toString('hex')}\n`);
  const socket = path.join(dir, 'clamd.sock');
  const config = path.join(dir, 'clamd.conf');
  fs.writeFileSync(
    config,
    [
      `LocalSocket ${socket}`,
      `DatabaseDirectory ${database}`,
      `TemporaryDirectory ${dir}`,
      `PidFile ${path.join(dir, 'clamd.pid')}`,
      'Foreground yes',
      'LogTime yes',
      `LogFile ${path.join(dir, 'clamd.log')}`,
    ].join('\n') + '\n',
  );
  const process = spawn(CLAMD, ['--config-file', config], { stdio: 'ignore' });
  const started = Date.now();
  while (!fs.existsSync(socket)) {
    if (process.exitCode !== null) {
      const log = fs.existsSync(path.join(dir, 'clamd.log'))
        ? fs.readFileSync(path.join(dir, 'clamd.log'), 'utf8')
        : '';
      assert.fail(`clamd stopped with ${String(process.exitCode)}: ${log}`);
    }
    assert.ok(Date.now() - started < 60_000, 'clamd did not open its socket within a minute');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { socket, process, dir };
}

async function stopClamd(clamd: Clamd): Promise<void> {
  clamd.process.kill('SIGTERM');
  await new Promise((resolve) => clamd.process.once('exit', resolve));
  fs.rmSync(clamd.dir, { recursive: true, force: true });
}

describe('the virus scanner client, against clamd', () => {
  let clamd: Clamd;
  before(async () => {
    clamd = await startClamd();
  });
  after(() => stopClamd(clamd));

  it('passes a clean file and names the signature of an infected one, however it is split into chunks', async () => {
    assert.deepEqual(await scanBytes(clamd.socket, Buffer.from('Minutes of the board, 3 March 2027')), {
      clean: true,
    });
    const infected = await scanBytes(clamd.socket, EICAR);
    assert.ok(!infected.clean, 'the test file is found');
    assert.match(infected.signature, /Clasp-Test-EICAR/);
    // Large enough to be sent in several chunks, with the test file at the end.
    const large = Buffer.concat([Buffer.alloc(200_000, 0x20), EICAR]);
    assert.equal((await scanBytes(clamd.socket, large)).clean, false);
    assert.deepEqual(await scanBytes(clamd.socket, large.subarray(0, 200_000)), { clean: true });
  });
});

for (const target of databaseTargets) {
  describe(`uploads scanned for viruses, on ${target.name}`, () => {
    let clamd: Clamd;
    let t: TestApp;
    let down: TestApp;
    let acceptWhenDown: TestApp;
    before(async () => {
      clamd = await startClamd();
      t = await startTestApp(target, { env: { CLASP_CLAMD: clamd.socket } });
      const missing = path.join(clamd.dir, 'no-such.sock');
      down = await startTestApp(target, { env: { CLASP_CLAMD: missing } });
      acceptWhenDown = await startTestApp(target, { env: { CLASP_CLAMD: missing, CLASP_CLAMD_DOWN: 'accept' } });
    });
    after(async () => {
      await t.close();
      await down.close();
      await acceptWhenDown.close();
      await stopClamd(clamd);
    });

    /** An action the returned person may post evidence to. */
    async function actionFor(app: TestApp): Promise<{ client: Client; url: string }> {
      const db = app.database.db;
      const trust = await createOrganisation(db, { name: 'Testshire Hospitals NHS Trust' });
      const reviewId = await createReview(db, { coveredOrganisationIds: [trust] });
      const groupId = await createGroup(db, reviewId, 1, [trust]);
      const recommendationId = await createRecommendation(db, { reviewId, groupId, number: '1.1' });
      const actionId = await createAction(db, { reviewId, recommendationId, organisationIds: [trust] });
      const client = await app.admin();
      const userId = client.session?.userId;
      assert.ok(userId !== undefined);
      await addMember(db, { userId, reviewId, organisationId: trust, role: 'editor' });
      return { client, url: `/reviews/${reviewId}/actions/${actionId}/evidence/new` };
    }

    const evidence = (client: Client, url: string, bytes: Buffer) =>
      client.postMultipart(
        url,
        {
          kind: 'file',
          title: 'Audit notes',
          'effectiveOn-day': '1',
          'effectiveOn-month': '11',
          'effectiveOn-year': '2026',
        },
        [{ field: 'file', fileName: 'notes.txt', contentType: 'text/plain', bytes }],
      );

    it('refuses an infected evidence file with a plain message and keeps a clean one', async () => {
      const { client, url } = await actionFor(t);
      const infected = await evidence(client, url, EICAR);
      assert.equal(infected.statusCode, 400);
      assert.match(visibleText(infected.body), new RegExp(INFECTED_MESSAGE.slice(0, 60).replace(/[.()]/g, '\\$&')));
      const clean = await evidence(client, url, Buffer.from('Notes of the audit of 40 records.'));
      assert.equal(clean.statusCode, 303, visibleText(clean.body));
    });

    it('refuses an infected file sent for import before reading it', async () => {
      const client = await t.admin();
      const res = await client.postMultipart('/reviews/import', {}, [
        { field: 'file', fileName: 'report.txt', contentType: 'text/plain', bytes: EICAR },
      ]);
      assert.equal(res.statusCode, 400);
      assert.match(visibleText(res.body), /contains a virus or other harmful content/);
    });

    it('refuses uploads while the scanner is down, unless set to accept them unscanned', async () => {
      const refused = await actionFor(down);
      const res = await evidence(refused.client, refused.url, Buffer.from('Notes of the audit.'));
      assert.equal(res.statusCode, 400);
      assert.match(visibleText(res.body), new RegExp(SCANNER_DOWN_MESSAGE.slice(0, 50)));
      const accepted = await actionFor(acceptWhenDown);
      const ok = await evidence(accepted.client, accepted.url, Buffer.from('Notes of the audit.'));
      assert.equal(ok.statusCode, 303, visibleText(ok.body));
    });
  });
}
