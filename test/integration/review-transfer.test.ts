// Moving one whole review between instances (issue 18, section 5): `clasp export review` on a
// running Clasp with the demo review (plus an evidence file, an issued version and a new member
// added through the API), then `clasp import review` into another Clasp on the other database
// that already has a review and people of its own, so every id differs. What a user sees through
// the API must be the same on both: the review's figures, every action with its progress,
// evidence and rating history, the evidence files' bytes, the versions and their documents, and
// the review's audit trail. The audit chain stays intact; the same file cannot be imported twice;
// a file with one byte changed is refused and nothing is written.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { sql } from 'kysely';
import { NOT_CARRIED, TABLES } from '../../src/features/transfer/transfer-tables.ts';
import { openDatabase, type DatabaseHandle } from '../../src/platform/db/database.ts';
import { createOrganisation, createReview } from '../helpers/factories.ts';
import { addMember, createUser } from '../helpers/people.ts';
import { runClasp, startServer, storeKinds, type ServerProcess, type ServerStore } from '../helpers/server-process.ts';
import { makeToken, TokenApi, type Json } from '../helpers/process-api.ts';

const REVIEW = 1;
const ACTION = 2;
const COORDINATOR = 'coordinator@demo.clasp.invalid';
const EDITOR = 'editor@demo.clasp.invalid';
const NEW_PERSON = 'new.member@example.nhs.uk';

function need<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('set up in before()');
  return value;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function openStore(store: ServerStore): Promise<DatabaseHandle> {
  return openDatabase({
    url: store.env.DATABASE_URL ?? null,
    sqliteFile: path.join(store.env.CLASP_DATA_DIR ?? '', 'clasp.db'),
    poolSize: 2,
  });
}

/**
 * What a user sees, without the ids that the database gives: keys naming an id are dropped,
 * objects keyed by id become lists in id order (new ids keep the old order), and ids in
 * addresses become N.
 */
function seen(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(seen);
  if (typeof value === 'string') return value.startsWith('/') ? value.replace(/\/\d+(?=\/|$|\?|#)/g, '/N') : value;
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Json).filter(
    ([key]) => !/^(id|.*Id|.*_id|.*Ids|plan_revision|source_key)$/.test(key),
  );
  if (entries.length > 0 && entries.every(([key]) => /^\d+$/.test(key)))
    return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, v]) => seen(v));
  return Object.fromEntries(entries.map(([key, v]) => [key, seen(v)]));
}

/** The overview's figures by organisation, keyed by the organisation's name instead of its id. */
async function byOrganisationName(api: TokenApi, overview: Json): Promise<Json> {
  const { organisations } = (await api.get('/api/admin/organisations')) as {
    organisations: { id: number; name: string }[];
  };
  const ratings = overview.ratings as { byOrganisation: Record<string, unknown> };
  const named = Object.entries(ratings.byOrganisation).map(
    ([id, figures]) => [organisations.find((o) => String(o.id) === id)?.name ?? id, figures] as const,
  );
  return { ...overview, ratings: { ...ratings, byOrganisation: Object.fromEntries(named) } };
}

async function ids(handle: DatabaseHandle, table: 'actions' | 'evidence_items', reviewId: number): Promise<number[]> {
  const rows = await handle.db.selectFrom(table).select('id').where('review_id', '=', reviewId).orderBy('id').execute();
  return rows.map((r) => r.id);
}

async function rowCounts(handle: DatabaseHandle): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ['reviews', 'actions', 'users', 'organisations', 'blobs', 'audit_events', 'memberships']) {
    const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(handle.db);
    counts[table] = Number(rows[0]?.n);
  }
  return counts;
}

const pairs = [
  [storeKinds[0], storeKinds[1]],
  [storeKinds[1], storeKinds[0]],
] as const;

for (const [from, to] of pairs) {
  describe(`Moving a review from ${from?.name ?? ''} to ${to?.name ?? ''}`, () => {
    let source: ServerStore | undefined;
    let target: ServerStore | undefined;
    let sourceServer: ServerProcess | undefined;
    let targetServer: ServerProcess | undefined;
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'clasp-transfer-'));
    const zip = path.join(folder, 'review.zip');
    let src: TokenApi;
    let dst: TokenApi;
    let imported: { code: number | null; stdout: string; stderr: string };
    let newReview = 0;
    const evidenceBytes = Buffer.from(`Audit of records ${randomUUID()}\n`);

    before(async () => {
      if (!from || !to) throw new Error('two kinds of store');
      [source, target] = await Promise.all([from.make(), to.make()]);

      // The source: the demo, and through the API an evidence file, an issued version and a new member.
      sourceServer = await startServer(source, { args: ['--demo'] });
      const coordinator = new TokenApi(sourceServer.base, await makeToken(source, COORDINATOR, 'write'));
      const form = new FormData();
      form.set('kind', 'file');
      form.set('title', 'Audit of records, moved');
      form.set('effectiveOn', '2016-05-01');
      form.set('file', new Blob([evidenceBytes], { type: 'text/plain' }), 'audit.txt');
      const evidence = await coordinator.send('POST', `/api/reviews/${REVIEW}/actions/${ACTION}/evidence`, form);
      assert.equal(evidence.status, 201, JSON.stringify(evidence.body));
      const version = await coordinator.send('POST', `/api/reviews/${REVIEW}/versions`, {
        purpose: 'comment',
        comment: 'Before moving to the regional Clasp',
      });
      assert.equal(version.status, 201, JSON.stringify(version.body));
      const overview = await coordinator.get(`/api/reviews/${REVIEW}`);
      const organisation = (overview.organisationsCovered as { id: number }[])[0];
      const member = await coordinator.send('POST', `/api/reviews/${REVIEW}/members`, {
        email: NEW_PERSON,
        name: 'New Member',
        organisationId: organisation?.id,
        role: 'viewer',
      });
      assert.equal(member.status, 201, JSON.stringify(member.body));

      // Exported while the source runs.
      const exported = await runClasp(source, ['export', 'review', '--review', String(REVIEW), '--out', zip]);
      assert.equal(exported.code, 0, exported.stderr);
      assert.match(exported.stdout, /Wrote .*review\.zip/);

      // The target: a review, organisations and people of its own first, so ids differ; one of
      // its people (the demo editor's address) and one organisation (by name) are matched.
      assert.equal((await runClasp(target, ['migrate'])).code, 0);
      const handle = await openStore(target);
      try {
        const trust = await createOrganisation(handle.db, {
          name: 'The Rotherham NHS Foundation Trust',
          shortName: 'TRFT',
        });
        const other = await createOrganisation(handle.db, { name: 'Testshire Council' });
        const own = await createReview(handle.db, { coveredOrganisationIds: [trust, other] });
        const editor = await createUser(handle.db, { email: EDITOR, name: 'Same editor' });
        await addMember(handle.db, { userId: editor, reviewId: own, organisationId: other, role: 'editor' });
        await createUser(handle.db, { email: 'regional.admin@example.nhs.uk', isAdmin: true });
      } finally {
        await handle.close();
      }
      imported = await runClasp(target, ['import', 'review', zip]);
      assert.equal(imported.code, 0, imported.stderr);
      newReview = Number(/ as review (\d+)/.exec(imported.stdout)?.[1]);
      targetServer = await startServer(target);
      dst = new TokenApi(targetServer.base, await makeToken(target, 'regional.admin@example.nhs.uk', 'admin'));
      src = new TokenApi(sourceServer.base, await makeToken(source, 'admin@demo.clasp.invalid', 'admin'));
    });

    after(async () => {
      await Promise.all([sourceServer?.stop(), targetServer?.stop()]);
      await Promise.all([source?.dispose(), target?.dispose()]);
      fs.rmSync(folder, { recursive: true, force: true });
    });

    it('says what it imported and the new review id, matching and making people and organisations', () => {
      assert.equal(newReview, 2);
      assert.match(imported.stdout, /Imported review 1 \(".*Rotherham", exported .*\) as review 2/);
      assert.match(imported.stdout, /93 actions; 189 progress updates, 86 evidence items, 234 ratings/);
      assert.match(imported.stdout, /8 versions, 5 members/);
      assert.match(imported.stdout, /Evidence files: 71 added, 0 already here\./);
      // The editor's address was here already; the others (and the new member) get accounts with no password.
      assert.match(imported.stdout, /People: 1 matched by email, 4 new\./);
      assert.match(imported.stdout, new RegExp(`New accounts, with no password yet .*${NEW_PERSON}`));
      assert.match(imported.stdout, /Organisations: 1 matched, 5 new\./);
    });

    it('shows the same review: overview figures, exceptions, versions and members', async () => {
      const before = await byOrganisationName(src, await src.get(`/api/reviews/${REVIEW}`));
      const moved = await byOrganisationName(dst, await dst.get(`/api/reviews/${newReview}`));
      assert.deepEqual(seen(moved), seen(before));
      // Members by email, organisation and role (listed by organisation, whose ids differ); a person
      // matched by email keeps the name their account has here.
      const members = async (api: TokenApi, reviewId: number) =>
        ((await api.get(`/api/reviews/${reviewId}/members`)).members as Json[])
          .map((m) => ({ ...(seen(m) as Json), name: m.email === EDITOR ? 'Same editor' : m.name }))
          .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      assert.deepEqual(await members(dst, newReview), await members(src, REVIEW));
    });

    it('shows every action the same, with its progress, evidence, ratings, challenges and due dates', async () => {
      const [sourceDb, targetDb] = await Promise.all([openStore(need(source)), openStore(need(target))]);
      try {
        const [old, now] = await Promise.all([ids(sourceDb, 'actions', REVIEW), ids(targetDb, 'actions', newReview)]);
        assert.equal(now.length, old.length);
        for (const [i, id] of old.entries()) {
          const a = await src.get(`/api/reviews/${REVIEW}/actions/${id}`);
          const b = await dst.get(`/api/reviews/${newReview}/actions/${now[i]}`);
          assert.deepEqual(seen(b), seen(a), `action ${id}`);
        }
      } finally {
        await Promise.all([sourceDb.close(), targetDb.close()]);
      }
    });

    it('serves every evidence file with the same bytes', async () => {
      const [sourceDb, targetDb] = await Promise.all([openStore(need(source)), openStore(need(target))]);
      try {
        const old = await ids(sourceDb, 'evidence_items', REVIEW);
        const now = await ids(targetDb, 'evidence_items', newReview);
        const files = await targetDb.db
          .selectFrom('evidence_items')
          .select(['id', 'kind'])
          .where('review_id', '=', newReview)
          .orderBy('id')
          .execute();
        let compared = 0;
        for (const [i, row] of files.entries()) {
          if (row.kind !== 'file') continue;
          const a = await src.bytes(`/reviews/${REVIEW}/evidence/${old[i]}/file`);
          const b = await dst.bytes(`/reviews/${newReview}/evidence/${now[i]}/file`);
          assert.equal(sha256(b), sha256(a));
          compared++;
        }
        assert.equal(compared, 71);
        const last = await dst.bytes(`/reviews/${newReview}/evidence/${now.at(-1)}/file`);
        assert.equal(sha256(last), sha256(evidenceBytes));
      } finally {
        await Promise.all([sourceDb.close(), targetDb.close()]);
      }
    });

    it('holds every version, and the issued one as it was issued', async () => {
      const list = await dst.get(`/api/reviews/${newReview}/versions`);
      assert.deepEqual(seen(list), seen(await src.get(`/api/reviews/${REVIEW}/versions`)));
      const versions = list.versions as { number: string; frozen: boolean }[];
      const issued = versions.find((v) => v.frozen);
      assert.ok(issued, 'the version issued before the move');
      assert.deepEqual(
        seen(await dst.get(`/api/reviews/${newReview}/versions/${issued.number}`)),
        seen(await src.get(`/api/reviews/${REVIEW}/versions/${issued.number}`)),
      );
    });

    it('carries the audit trail, chained into this instance, with one event for the import', async () => {
      const before = (await src.get(`/api/reviews/${REVIEW}/audit`)).events as Json[];
      const moved = (await dst.get(`/api/reviews/${newReview}/audit`)).events as Json[];
      const [importEvent, ...rest] = moved;
      assert.equal(importEvent?.action, 'moved in');
      assert.equal((importEvent.after as Json).file, 'review.zip');
      assert.deepEqual(seen(rest), seen(before));
      assert.ok(before.some((e) => e.entityType === 'plan_version'));
      const verified = await runClasp(need(target), ['audit', 'verify']);
      assert.equal(verified.code, 0, verified.stdout);
      assert.match(verified.stdout, /The audit trail is intact: \d+ events, 1 versions\./);
    });

    it('refuses the same review again, saying which review it became, and writes nothing', async () => {
      const handle = await openStore(need(target));
      try {
        const counts = await rowCounts(handle);
        const again = await runClasp(need(target), ['import', 'review', zip]);
        assert.equal(again.code, 2);
        assert.match(again.stderr, /was imported before, as review 2 on \d{4}-\d\d-\d\d .*Nothing was written\./);
        assert.deepEqual(await rowCounts(handle), counts);
      } finally {
        await handle.close();
      }
    });

    it('carries every table that holds rows of a review, or says why not', async () => {
      const handle = await openStore(need(target));
      try {
        // Every table with a column naming a review or one of its parts.
        const columns = ['review_id', 'action_id', 'meeting_id', 'group_id', 'finding_id', 'recommendation_id'];
        const { rows } =
          handle.kind === 'sqlite'
            ? await sql<{ name: string }>`select distinct m.name as name from sqlite_master m
                join pragma_table_info(m.name) p where m.type = 'table' and p.name in (${sql.join(columns)})`.execute(
                handle.db,
              )
            : await sql<{ name: string }>`select distinct table_name as name from information_schema.columns
                where table_schema = current_schema() and column_name in (${sql.join(columns)})`.execute(handle.db);
        const known = new Set<string>([...TABLES.map((t) => t.name), ...Object.keys(NOT_CARRIED), 'audit_events']);
        assert.deepEqual(
          rows.map((r) => r.name).filter((name) => !known.has(name)),
          [],
          'tables a review export neither carries nor lists in NOT_CARRIED',
        );
      } finally {
        await handle.close();
      }
    });

    it('refuses a file with one byte changed, and writes nothing', async () => {
      const bytes = fs.readFileSync(zip);
      // A byte in the middle of the stored entries (not the zip's own directory at the end).
      const at = Math.floor(bytes.length / 3);
      bytes.writeUInt8((bytes.readUInt8(at) ^ 0x01) & 0xff, at);
      const damaged = path.join(folder, 'damaged.zip');
      fs.writeFileSync(damaged, bytes);
      // Into a fresh database, so only the damage can stop it.
      const fresh = await need(to).make();
      try {
        assert.equal((await runClasp(fresh, ['migrate'])).code, 0);
        const handle = await openStore(fresh);
        try {
          const counts = await rowCounts(handle);
          const refused = await runClasp(fresh, ['import', 'review', damaged]);
          assert.equal(refused.code, 2, refused.stdout);
          assert.match(
            refused.stderr,
            /"damaged\.zip" is not a complete review export from Clasp \(.*\): it may be damaged/,
          );
          assert.deepEqual(await rowCounts(handle), counts);

          // A file from a newer Clasp says so, and what to do.
          const newer = await JSZip.loadAsync(fs.readFileSync(zip));
          const manifest = JSON.parse((await newer.file('manifest.json')?.async('string')) ?? '{}') as Json;
          newer.file('manifest.json', JSON.stringify({ ...manifest, formatVersion: 2 }));
          const later = path.join(folder, 'later.zip');
          fs.writeFileSync(later, await newer.generateAsync({ type: 'uint8array' }));
          const tooNew = await runClasp(fresh, ['import', 'review', later]);
          assert.equal(tooNew.code, 2, tooNew.stdout);
          assert.match(
            tooNew.stderr,
            /"later\.zip" was written by a newer Clasp .*Upgrade this Clasp, then import it again\./,
          );
          assert.deepEqual(await rowCounts(handle), counts);
        } finally {
          await handle.close();
        }
      } finally {
        await fresh.dispose();
      }
    });
  });
}
