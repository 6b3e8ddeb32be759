import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import ts from 'typescript';
import { loadDemo } from '../../src/features/demo/demo.service.ts';
import { createApiToken } from '../../src/features/accounts/accounts.service.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { addMember, createUser } from '../helpers/people.ts';

/*
 * The client example in docs/api.md, as its reader would use it: types generated from the running
 * Clasp's description by openapi-typescript's own command, the example type-checked strictly
 * against them, then run with an API token. A description that drifted from the answers fails
 * the type check; one that no longer matches what Clasp sends fails the run.
 */

const root = path.resolve(import.meta.dirname, '../..');
const example = path.join(root, 'docs/examples/api-client/plan-ratings.ts');

function run(file: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [file, ...args],
      { cwd: root, env: { ...process.env, ...env }, timeout: 120_000 },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
    );
  });
}

/** Strict type errors in the example, as `tsc --noEmit` would give them, one per line. */
function typeErrors(files: string[]): string[] {
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noUncheckedIndexedAccess: true,
    allowImportingTsExtensions: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

for (const target of databaseTargets) {
  describe(`the API client example, on ${target.name}`, () => {
    let t: TestApp;
    let base: string;
    let folder: string;
    let token: string;

    before(async () => {
      t = await startTestApp(target);
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
      const db = t.database.db;
      const { reviewId } = await loadDemo(db, new Date());
      const review = await db
        .selectFrom('reviews')
        .select('lead_organisation_id')
        .where('id', '=', reviewId)
        .executeTakeFirstOrThrow();
      const userId = await createUser(db, { name: 'Performance Analyst' });
      await addMember(db, { userId, reviewId, organisationId: review.lead_organisation_id ?? 1, role: 'viewer' });
      token = await createApiToken(db, { userId, actor: 'test' }, 'dashboard', new Date());
      // Inside the checkout, so the example finds openapi-fetch in node_modules as a project would.
      await fs.mkdir(path.join(root, 'test-results'), { recursive: true });
      folder = await fs.mkdtemp(path.join(root, 'test-results', `api-client-${target.name}-`));
      await fs.copyFile(example, path.join(folder, 'plan-ratings.ts'));
    });
    after(async () => {
      await fs.rm(folder, { recursive: true, force: true });
      await t.close();
    });

    it('generates types from the description, type-checks the example against them, and runs it', async () => {
      const cli = path.join(root, 'node_modules/openapi-typescript/bin/cli.js');
      await run(cli, [`${base}/api/openapi.json`, '-o', path.join(folder, 'clasp-api.ts')]);
      const types = await fs.readFile(path.join(folder, 'clasp-api.ts'), 'utf8');
      assert.match(types, /"\/api\/reviews\/\{reviewId\}\/actions\/\{actionId\}"/, 'the paths are typed');

      assert.deepEqual(typeErrors([path.join(folder, 'plan-ratings.ts')]), [], 'the example type-checks');

      const printed = await run(
        path.join(root, 'node_modules/tsx/dist/cli.mjs'),
        [path.join(folder, 'plan-ratings.ts')],
        { CLASP_URL: base, CLASP_TOKEN: token },
      );
      const listed = (
        await t.app.inject({
          url: '/api/reviews',
          headers: { authorization: `Bearer ${token}` },
        })
      ).json<{ reviews: { id: number; area: string; actions: number; ratings: Record<string, number> }[] }>();
      assert.equal(listed.reviews.length, 1, 'the analyst sees the demo review only');
      const [review] = listed.reviews;
      assert.ok(review);
      const { red, amber, green, blue, unrated } = review.ratings;
      assert.equal(
        printed.split('\n')[0],
        `${review.area} (review ${review.id}): ${review.actions} actions; ` +
          `red ${red}, amber ${amber}, green ${green}, blue ${blue}, not rated ${unrated}`,
      );
      assert.match(printed, new RegExp(`^${review.area}: Review of health services`, 'm'));
    });

    it('the same example, with a field Clasp does not send, fails the type check', async () => {
      const broken = path.join(folder, 'broken.ts');
      const source = await fs.readFile(path.join(folder, 'plan-ratings.ts'), 'utf8');
      await fs.writeFile(broken, source.replace('review.ratings;', 'review.rating_counts;'));
      const errors = typeErrors([broken]);
      assert.ok(
        errors.some((e) => e.includes("Property 'rating_counts' does not exist")),
        errors.join('\n'),
      );
    });
  });
}
