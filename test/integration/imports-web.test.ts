import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import type { Db } from '../../src/platform/db/database.ts';
import { newToken, tokenHash } from '../../src/platform/auth/secrets.ts';
import type { DemoDataset } from '../../src/features/demo/data/dataset-types.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { startTestApp, visibleText, type TestApp } from '../helpers/app.ts';
import { Client, type FilePart } from '../helpers/client.ts';
import { createOrganisation, createReview } from '../helpers/factories.ts';
import { addMember, createUser, sessionFor } from '../helpers/people.ts';

/*
 * The import pages and API on a real database: a CQC report becomes a review only when its
 * preview is confirmed, an existing plan is laid over it and a second import changes nothing,
 * columns can be corrected, bad files are refused with their reason and nothing written,
 * and a pending import is seen only by the person who started it.
 */

const fixtures = path.resolve(import.meta.dirname, '../fixtures');
const read = (name: string) => fs.readFileSync(path.join(fixtures, name));
const published = JSON.parse(
  fs.readFileSync(path.resolve(import.meta.dirname, '../../src/features/demo/data/rotherham-2015.json'), 'utf8'),
) as DemoDataset;
const publishedActions = published.recommendations.reduce((n, r) => n + r.actions.length, 0);

const REPORT_PDF = 'rotherham-2015-cqc-report.pdf';
const REPORT_DOCX = 'rotherham-2015-cqc-report.docx';
const ROTHERHAM_PLAN = 'rotherham-2015-hwb-paper-and-action-plan.docx';
const WEST_SUSSEX_PLAN = 'west-sussex-2016-action-plan.xlsx';
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);

const TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  png: 'image/png',
};

function filePart(fileName: string, bytes: Uint8Array = read(fileName)): FilePart {
  return {
    field: 'file',
    fileName,
    contentType: TYPES[fileName.split('.').pop() ?? ''] ?? 'application/octet-stream',
    bytes,
  };
}

const TABLES = [
  'reviews',
  'organisations',
  'recommendations',
  'actions',
  'progress_updates',
  'memberships',
  'imports',
  'blobs',
  'audit_events',
] as const;

async function countRows(db: Db): Promise<Record<(typeof TABLES)[number], number>> {
  const counts = {} as Record<(typeof TABLES)[number], number>;
  for (const table of TABLES) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = row.n;
  }
  return counts;
}

function title(html: string): string {
  return visibleText(/<title>([\s\S]*?)<\/title>/.exec(html)?.[1] ?? '');
}

/** The number a summary list row shows, as a reader sees it: "New actions 118". */
function countShown(html: string, key: string): number {
  const m = new RegExp(`${key} (\\d+)`).exec(visibleText(html));
  assert.ok(m, `the page shows "${key}"`);
  return Number(m[1]);
}

function importIdFrom(res: LightMyRequestResponse): number {
  assert.equal(res.statusCode, 303, res.body);
  const m = /^\/imports\/(\d+)$/.exec(String(res.headers.location));
  assert.ok(m, `sent to the preview, not ${String(res.headers.location)}`);
  return Number(m[1]);
}

/** The option chosen in a select, by the select's name. */
function selected(html: string, name: string): string | null {
  const select = new RegExp(`<select[^>]*name="${name}"[^>]*>([\\s\\S]*?)</select>`).exec(html)?.[1];
  return select ? (/<option value="([^"]*)"\s+selected/.exec(select)?.[1] ?? null) : null;
}

/** A multipart body as a script would send it, built by the platform's own FormData. */
async function multipartBody(part: FilePart) {
  const form = new FormData();
  form.append(part.field, new Blob([new Uint8Array(part.bytes)], { type: part.contentType }), part.fileName);
  const request = new Request('http://clasp.invalid/', { method: 'POST', body: form });
  return { payload: Buffer.from(await request.arrayBuffer()), contentType: request.headers.get('content-type') ?? '' };
}

for (const target of databaseTargets) {
  describe(`importing in the browser and through the API, on ${target.name}`, () => {
    let t: TestApp;
    let db: Db;
    let coordinator: Client;
    let coordinatorId: number;
    let outsider: Client;
    let reviewId = 0;
    let reportImportId = 0;

    const signedIn = async (
      name: string,
      membership?: { reviewId: number; organisationId: number; role: 'coordinator' | 'viewer' },
    ) => {
      const userId = await createUser(db, { name });
      if (membership) await addMember(db, { userId, ...membership });
      return { userId, client: new Client(t.app, await sessionFor(db, userId)) };
    };

    before(async () => {
      t = await startTestApp(target);
      db = t.database.db;
      // The importer coordinates another review already, which is what lets them start a new one.
      const home = await createOrganisation(db, { kind: 'commissioner', name: 'Testshire Integrated Care Board' });
      const homeReview = await createReview(db, { leadOrganisationId: home });
      ({ userId: coordinatorId, client: coordinator } = await signedIn('Casey Coordinator', {
        reviewId: homeReview,
        organisationId: home,
        role: 'coordinator',
      }));
      ({ client: outsider } = await signedIn('Olly Outsider', {
        reviewId: homeReview,
        organisationId: home,
        role: 'coordinator',
      }));
    });
    after(() => t.close());

    it('reads a CQC report, shows what it read, and creates the review only when confirmed', async () => {
      const list = visibleText((await coordinator.get('/reviews')).body);
      assert.match(list, /Create a review Import a CQC report/);
      const form = await coordinator.get('/reviews/import');
      assert.equal(form.statusCode, 200);
      assert.equal(title(form.body), 'Import a CQC report – Clasp');

      const before = await countRows(db);
      reportImportId = importIdFrom(await coordinator.postMultipart('/reviews/import', {}, [filePart(REPORT_PDF)]));
      const pending = await countRows(db);
      assert.equal(pending.reviews, before.reviews, 'no review until the preview is confirmed');
      assert.equal(pending.organisations, before.organisations);
      assert.equal(pending.imports, before.imports + 1);

      const preview = await coordinator.get(`/imports/${reportImportId}`);
      assert.equal(preview.statusCode, 200);
      assert.equal(title(preview.body), 'Check the report before creating the review – Clasp');
      const text = visibleText(preview.body);
      assert.equal(countShown(preview.body, 'Recommendations'), 24);
      assert.equal(countShown(preview.body, 'Recommendation groups'), 4);
      assert.match(text, /Area Rotherham/);
      assert.match(text, /Dates of review 23 February 2015 to 27 February 2015/);
      assert.match(text, /Report published 14 July 2015/);
      assert.match(
        text,
        new RegExp(
          /Rotherham,? Doncaster (and|&) South Humber NHS Foundation Trust /.source +
            /NHS trust Provider covered by the review New Will be added to Clasp/.source,
        ),
      );
      assert.match(text, /Rotherham CCG Commissioner Commissioner covered by the review New Will be added to Clasp/);
      // The date received starts as the publication date, and the hint gives the due date it makes.
      assert.match(preview.body, /name="received-day"[^>]*value="14"/);
      assert.match(preview.body, /name="received-month"[^>]*value="7"/);
      assert.match(preview.body, /name="received-year"[^>]*value="2015"/);
      assert.match(text, /If the report was received on 14 July 2015, the plan is due on 11 August 2015/);
      assert.match(text, /Create the review/);

      const impossible = await coordinator.postForm(`/imports/${reportImportId}/confirm`, {
        'received-day': '31',
        'received-month': '2',
        'received-year': '2015',
      });
      assert.equal(impossible.statusCode, 400);
      assert.match(title(impossible.body), /^Error: /);
      assert.match(visibleText(impossible.body), /The date the report was received must be a real date/);
      assert.match(impossible.body, /href="#received-day"/);
      assert.equal((await countRows(db)).reviews, before.reviews);

      const confirmed = await coordinator.postForm(`/imports/${reportImportId}/confirm`, {
        'received-day': '15',
        'received-month': '7',
        'received-year': '2015',
      });
      assert.equal(confirmed.statusCode, 303);
      const m = /^\/reviews\/(\d+)$/.exec(String(confirmed.headers.location));
      assert.ok(m, 'sent to the new review');
      reviewId = Number(m[1]);
      const review = await db.selectFrom('reviews').selectAll().where('id', '=', reviewId).executeTakeFirstOrThrow();
      assert.equal(review.report_received, '2015-07-15');
      const audit = await db
        .selectFrom('audit_events')
        .select(['entity_type', 'actor'])
        .where('entity_type', '=', 'import')
        .where('entity_id', '=', String(reportImportId))
        .execute();
      assert.deepEqual(audit, [{ entity_type: 'import', actor: 'Casey Coordinator' }]);

      // The review lists its recommendations, and its coordinator is offered the plan import.
      const overview = await coordinator.get(`/reviews/${reviewId}`);
      assert.equal(overview.statusCode, 200);
      const numbers = new Set(
        [...overview.body.matchAll(new RegExp(`href="/reviews/${reviewId}/recommendations/([\\d.]+)"`, 'g'))].map(
          (x) => x[1],
        ),
      );
      assert.deepEqual([...numbers].sort(), published.recommendations.map((r) => r.number).sort());
      assert.match(overview.body, new RegExp(`<a href="/reviews/${reviewId}/import">Import an existing plan</a>`));

      const done = await coordinator.get(`/imports/${reportImportId}`);
      assert.match(visibleText(done.body), /The review was created from this report/);
      assert.match(done.body, new RegExp(`href="/reviews/${reviewId}">Go to the review`));
      assert.doesNotMatch(visibleText(done.body), /Create the review/);
      const twice = await coordinator.postForm(`/imports/${reportImportId}/confirm`, {});
      assert.equal(twice.statusCode, 409);
      assert.match(visibleText(twice.body), /already been imported/);
    });

    it('says when the same report was imported before, and offers only to discard it', async () => {
      const before = await countRows(db);
      const importId = importIdFrom(await coordinator.postMultipart('/reviews/import', {}, [filePart(REPORT_PDF)]));
      const preview = await coordinator.get(`/imports/${importId}`);
      const text = visibleText(preview.body);
      assert.match(
        text,
        new RegExp(
          /This report has already been imported as /.source +
            /Review of health services for Children Looked After and Safeguarding in Rotherham/.source,
        ),
      );
      assert.match(preview.body, new RegExp(`href="/reviews/${reviewId}"`));
      assert.doesNotMatch(text, /Create the review/);
      const discarded = await coordinator.postForm(`/imports/${importId}/discard`, {});
      assert.equal(discarded.statusCode, 303);
      assert.equal(discarded.headers.location, '/reviews/import');
      assert.match(visibleText((await coordinator.get(`/imports/${importId}`)).body), /This import was discarded/);
      const confirmAfter = await coordinator.postForm(`/imports/${importId}/confirm`, {});
      assert.equal(confirmAfter.statusCode, 409);
      assert.match(visibleText(confirmAfter.body), /This import was discarded/);
      assert.equal((await countRows(db)).reviews, before.reviews);
    });

    it('imports the existing Rotherham plan into the review, and a second import changes nothing', async () => {
      const form = await coordinator.get(`/reviews/${reviewId}/import`);
      assert.equal(form.statusCode, 200);
      assert.match(title(form.body), /^Import an existing plan – Rotherham/);
      const importId = importIdFrom(
        await coordinator.postMultipart(`/reviews/${reviewId}/import`, {}, [filePart(ROTHERHAM_PLAN)]),
      );
      const preview = await coordinator.get(`/imports/${importId}`);
      assert.equal(title(preview.body), 'Check the plan before importing it – Clasp');
      assert.equal(countShown(preview.body, 'Recommendations matched'), 24);
      assert.equal(countShown(preview.body, 'New recommendations'), 0);
      const newActions = countShown(preview.body, 'New actions');
      assert.equal(newActions, publishedActions);
      assert.match(visibleText(preview.body), /Import into the plan/);
      assert.match(preview.body, /name="column-\d+-\d+"/, 'the column mapping is offered');
      const before = await countRows(db);

      const confirmed = await coordinator.postForm(`/imports/${importId}/confirm`, {});
      assert.equal(confirmed.statusCode, 303);
      assert.equal(confirmed.headers.location, `/reviews/${reviewId}`);
      assert.equal((await countRows(db)).actions, before.actions + newActions, 'the preview said what would be added');
      const recommendation = await coordinator.get(`/reviews/${reviewId}/recommendations/1.1`);
      assert.match(
        visibleText(recommendation.body),
        /Rotherham GPs and Practice staff will be trained in accordance with Royal Colleges Intercollegiate/,
      );
      const done = await coordinator.get(`/imports/${importId}`);
      assert.match(visibleText(done.body), /This plan was imported/);
      assert.equal(countShown(done.body, 'New actions'), newActions, 'what was done, as done');

      const again = importIdFrom(
        await coordinator.postMultipart(`/reviews/${reviewId}/import`, {}, [filePart(ROTHERHAM_PLAN)]),
      );
      const nothing = await coordinator.get(`/imports/${again}`);
      const text = visibleText(nothing.body);
      assert.match(text, /Everything in this file is already in the plan: importing it would change nothing\./);
      assert.doesNotMatch(text, /Import into the plan/);
      assert.equal(countShown(nothing.body, 'Actions already in the plan'), newActions);
      const listed = visibleText((await coordinator.get(`/reviews/${reviewId}/import`)).body);
      assert.match(
        listed,
        new RegExp(`Files imported into this review .*${ROTHERHAM_PLAN.replace(/\./g, '\\.')} Casey Coordinator`),
      );
    });

    it('reads a plan again with the columns the person chose', async () => {
      const lead = await createOrganisation(db, { kind: 'commissioner' });
      const sussex = await createReview(db, { area: 'West Sussex', leadOrganisationId: lead });
      await addMember(db, { userId: coordinatorId, reviewId: sussex, organisationId: lead, role: 'coordinator' });
      const importId = importIdFrom(
        await coordinator.postMultipart(`/reviews/${sussex}/import`, {}, [filePart(WEST_SUSSEX_PLAN)]),
      );
      const preview = await coordinator.get(`/imports/${importId}`);
      assert.equal(preview.statusCode, 200);
      const progressBefore = countShown(preview.body, 'New progress entries');
      assert.ok(progressBefore > 0, 'the plan has dated progress');
      // The columns read as progress: both of West Sussex's progress columns.
      const progressColumns = [...preview.body.matchAll(/<select[^>]*name="(column-\d+-\d+)"/g)]
        .map((x) => x[1] ?? '')
        .filter((name) => selected(preview.body, name) === 'progress');
      assert.ok(progressColumns.length > 0, 'a column is read as progress');

      const bad = await coordinator.postForm(`/imports/${importId}/columns`, {
        [progressColumns[0] ?? '']: 'favourite colour',
      });
      assert.equal(bad.statusCode, 400);
      assert.match(visibleText(bad.body), /Choose what column \d+ of table \d+ holds/);

      const choices = Object.fromEntries(progressColumns.map((name) => [name, 'ignore']));
      const corrected = await coordinator.postForm(`/imports/${importId}/columns`, choices);
      assert.equal(corrected.statusCode, 303);
      assert.equal(corrected.headers.location, `/imports/${importId}#columns`);
      const after = await coordinator.get(`/imports/${importId}`);
      assert.equal(countShown(after.body, 'New progress entries'), 0, 'no column is read as progress now');
      for (const name of progressColumns) assert.equal(selected(after.body, name), 'ignore');
      assert.match(visibleText(after.body), /You chose this/);
      assert.equal(
        await db
          .selectFrom('actions')
          .select('id')
          .where('review_id', '=', sussex)
          .execute()
          .then((rows) => rows.length),
        0,
        'nothing imported yet',
      );
    });

    it('refuses files it cannot read with the reason, and writes nothing', async () => {
      const before = await countRows(db);
      const cases: { url: string; part: FilePart | null; message: RegExp }[] = [
        { url: '/reviews/import', part: null, message: /Select the CQC report to import/ },
        { url: '/reviews/import', part: filePart('report.pdf', new Uint8Array()), message: /This file is empty/ },
        {
          url: '/reviews/import',
          part: filePart('report.png', PNG),
          message: /This file is a PNG image, not a document/,
        },
        { url: `/reviews/${reviewId}/import`, part: null, message: /Select the action plan to import/ },
        {
          url: `/reviews/${reviewId}/import`,
          part: filePart(REPORT_PDF),
          message: /This is a PDF\. Clasp reads an action plan from a Word document/,
        },
      ];
      for (const c of cases) {
        const res = await coordinator.postMultipart(c.url, {}, c.part ? [c.part] : []);
        assert.equal(res.statusCode, 400, `${c.url} with ${c.part?.fileName ?? 'no file'}`);
        assert.match(title(res.body), /^Error: /);
        assert.match(res.body, /<a href="#file">/, 'the error summary links to the file field');
        assert.match(visibleText(res.body), c.message);
      }
      assert.deepEqual(await countRows(db), before);
    });

    it('refuses a file over the upload limit, on the page and in the API', async () => {
      const small = await startTestApp(target, { env: { CLASP_UPLOAD_LIMIT_MB: '0.01' } });
      try {
        const sdb = small.database.db;
        const org = await createOrganisation(sdb, { kind: 'commissioner' });
        const home = await createReview(sdb, { leadOrganisationId: org });
        const userId = await createUser(sdb, { name: 'Small limit' });
        await addMember(sdb, { userId, reviewId: home, organisationId: org, role: 'coordinator' });
        const client = new Client(small.app, await sessionFor(sdb, userId));
        const before = await countRows(sdb);
        const page = await client.postMultipart('/reviews/import', {}, [filePart(REPORT_PDF)]);
        assert.equal(page.statusCode, 400);
        assert.match(visibleText(page.body), /The selected file must be smaller than 10 KB/);
        const api = await client.postMultipart('/api/reviews/import', {}, [filePart(REPORT_PDF)]);
        assert.equal(api.statusCode, 400);
        assert.match(api.json().error, /must be smaller than 10 KB/);
        assert.deepEqual(await countRows(sdb), before);
      } finally {
        await small.close();
      }
    });

    const onlyCoordinatorsImport =
      'lets only the review’s coordinators import a plan, and shows a pending import only to whoever started it';
    it(onlyCoordinatorsImport, async () => {
      const { lead_organisation_id: lead } = await db
        .selectFrom('reviews')
        .select('lead_organisation_id')
        .where('id', '=', reviewId)
        .executeTakeFirstOrThrow();
      const { client: viewer } = await signedIn('Vic Viewer', { reviewId, organisationId: lead ?? 0, role: 'viewer' });
      assert.doesNotMatch(visibleText((await viewer.get('/reviews')).body), /Import a CQC report/);
      assert.doesNotMatch(visibleText((await viewer.get(`/reviews/${reviewId}`)).body), /Import an existing plan/);
      assert.equal((await viewer.get('/reviews/import')).statusCode, 403);
      assert.equal((await viewer.postMultipart('/reviews/import', {}, [filePart(REPORT_DOCX)])).statusCode, 403);
      assert.equal((await viewer.get(`/reviews/${reviewId}/import`)).statusCode, 403);
      assert.equal(
        (await viewer.postMultipart(`/reviews/${reviewId}/import`, {}, [filePart(ROTHERHAM_PLAN)])).statusCode,
        403,
      );
      assert.equal((await outsider.get(`/reviews/${reviewId}/import`)).statusCode, 404);
      assert.equal(
        (await outsider.postMultipart(`/reviews/${reviewId}/import`, {}, [filePart(ROTHERHAM_PLAN)])).statusCode,
        404,
      );

      // A pending import of the coordinator's: nobody else may see or decide it, not even an administrator.
      const importId = importIdFrom(
        await coordinator.postMultipart(`/reviews/${reviewId}/import`, {}, [filePart(WEST_SUSSEX_PLAN)]),
      );
      const admin = await t.admin();
      const { client: coCoordinator } = await signedIn('Another Coordinator', {
        reviewId,
        organisationId: lead ?? 0,
        role: 'coordinator',
      });
      for (const other of [viewer, outsider, admin, coCoordinator]) {
        assert.equal((await other.get(`/imports/${importId}`)).statusCode, 404);
        assert.equal((await other.getJson(`/api/imports/${importId}`)).statusCode, 404);
        for (const step of ['columns', 'confirm', 'discard']) {
          assert.equal(
            (await other.postForm(`/imports/${importId}/${step}`, {})).statusCode,
            404,
            `${step} by someone else`,
          );
          assert.equal(
            (await other.sendJson('POST', `/api/imports/${importId}/${step}`, {})).statusCode,
            404,
            `API ${step} by someone else`,
          );
        }
      }
      const anonymous = await t.anonymous.get(`/imports/${importId}`);
      assert.equal(anonymous.statusCode, 303);
      assert.match(String(anonymous.headers.location), /^\/sign-in/);
      // Every change needs the form's token, even from the person who started the import.
      for (const step of ['columns', 'confirm', 'discard']) {
        assert.equal(
          (await coordinator.postForm(`/imports/${importId}/${step}`, {}, { csrf: false })).statusCode,
          403,
          `${step} without a token`,
        );
        assert.equal(
          (await coordinator.sendJson('POST', `/api/imports/${importId}/${step}`, {}, { csrf: false })).statusCode,
          403,
          `API ${step} without a token`,
        );
      }
      const row = await db.selectFrom('imports').select('status').where('id', '=', importId).executeTakeFirstOrThrow();
      assert.equal(row.status, 'pending', 'still waiting for its owner');
      assert.equal((await coordinator.get(`/imports/${importId}`)).statusCode, 200);
      // A coordinator who is not an administrator may still start a review from a report.
      assert.equal((await outsider.get('/reviews/import')).statusCode, 200);
    });

    it('does the whole round trip through the JSON API with a Bearer token', async () => {
      const token = newToken();
      await db
        .insertInto('api_tokens')
        .values({
          token_hash: tokenHash(token),
          user_id: coordinatorId,
          name: 'import script',
          created_at: new Date().toISOString(),
          last_used_at: null,
          revoked_at: null,
        })
        .execute();
      const api = async (method: 'GET' | 'POST', url: string, body?: { part: FilePart } | { json: unknown }) => {
        const headers: Record<string, string> = { authorization: `Bearer ${token}` };
        let payload: string | Buffer | undefined;
        if (body && 'part' in body) {
          const built = await multipartBody(body.part);
          headers['content-type'] = built.contentType;
          payload = built.payload;
        } else if (body) {
          headers['content-type'] = 'application/json';
          payload = JSON.stringify(body.json);
        }
        return t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });
      };

      const started = await api('POST', '/api/reviews/import', { part: filePart(REPORT_DOCX) });
      assert.equal(started.statusCode, 201, started.body);
      const { importId, preview } = started.json();
      assert.equal(preview.counts.recommendations, 24);
      assert.equal(preview.counts.groups, 4);
      assert.equal(preview.planDue, '2015-08-11');
      const shown = await api('GET', `/api/imports/${importId}`);
      assert.equal(shown.statusCode, 200);
      assert.equal(shown.json().status, 'pending');
      assert.equal(shown.json().report.groups.length, 4);

      const badDate = await api('POST', `/api/imports/${importId}/confirm`, { json: { received: '2015-02-30' } });
      assert.equal(badDate.statusCode, 400);
      assert.match(badDate.json().error, /real date/);
      const confirmed = await api('POST', `/api/imports/${importId}/confirm`, { json: { received: '2015-07-14' } });
      assert.equal(confirmed.statusCode, 200, confirmed.body);
      const newReview = confirmed.json().reviewId as number;
      assert.ok(newReview > 0 && newReview !== reviewId, 'a second review, from the Word copy of the report');
      assert.equal(confirmed.json().counts.recommendations, 24);

      const plan = await api('POST', `/api/reviews/${newReview}/import`, { part: filePart(ROTHERHAM_PLAN) });
      assert.equal(plan.statusCode, 201, plan.body);
      assert.equal(plan.json().changes.recommendationsMatched, 24);
      assert.equal(plan.json().changes.actionsNew, publishedActions);
      assert.ok(Array.isArray(plan.json().columns) && plan.json().columns.length > 0);
      assert.ok(Array.isArray(plan.json().unplaced));
      const imported = await api('POST', `/api/imports/${plan.json().importId}/confirm`, { json: {} });
      assert.equal(imported.statusCode, 200, imported.body);
      assert.equal(imported.json().reviewId, newReview);
      assert.equal(imported.json().actionsNew, publishedActions);
      const again = await api('POST', `/api/imports/${plan.json().importId}/confirm`, { json: {} });
      assert.equal(again.statusCode, 409);
      assert.match(again.json().error, /already been imported/);

      const before = await countRows(db);
      const empty = await api('POST', '/api/reviews/import', { part: filePart('empty.pdf', new Uint8Array()) });
      assert.equal(empty.statusCode, 400);
      assert.match(empty.json().error, /This file is empty/);
      const noFile = await api('POST', '/api/reviews/import', { json: {} });
      assert.equal(noFile.statusCode, 400);
      assert.match(noFile.json().error, /multipart\/form-data field named "file"/);
      assert.deepEqual(await countRows(db), before);
    });
  });
}
