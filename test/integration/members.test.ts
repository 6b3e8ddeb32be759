import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { databaseTargets } from '../helpers/databases.ts';
import { startTestApp, visibleText, type TestApp } from '../helpers/app.ts';
import { createOrganisation, createReview } from '../helpers/factories.ts';
import { addMember, createUser, sessionFor } from '../helpers/people.ts';
import { Client } from '../helpers/client.ts';
import { outbox } from '../helpers/public-forms.ts';

interface Review {
  reviewId: number;
  ccg: number;
  trust: number;
  council: number;
  elsewhere: number;
  coordinatorId: number;
  coordinator: Client;
}

for (const target of databaseTargets) {
  describe(`people and roles in a review on ${target.name}`, () => {
    let t: TestApp;
    let dataDir: string;

    before(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clasp-members-'));
      t = await startTestApp(target, { env: { CLASP_DATA_DIR: dataDir } });
    });
    after(async () => {
      await t.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    /** A review led by a CCG and covering a trust and a council, with one coordinator. */
    async function makeReview(): Promise<Review> {
      const db = t.database.db;
      const ccg = await createOrganisation(db, { kind: 'commissioner' });
      const trust = await createOrganisation(db, { kind: 'nhs_trust' });
      const council = await createOrganisation(db, { kind: 'local_authority' });
      const elsewhere = await createOrganisation(db, { kind: 'other' });
      const reviewId = await createReview(db, { leadOrganisationId: ccg, coveredOrganisationIds: [trust, council] });
      const coordinatorId = await createUser(db, { name: 'Cath Coordinator' });
      await addMember(db, { userId: coordinatorId, reviewId, organisationId: ccg, role: 'coordinator' });
      return {
        reviewId,
        ccg,
        trust,
        council,
        elsewhere,
        coordinatorId,
        coordinator: new Client(t.app, await sessionFor(db, coordinatorId)),
      };
    }

    it('lets the coordinator add an existing person as an editor, who then reads the review', async () => {
      const db = t.database.db;
      const r = await makeReview();
      const editorId = await createUser(db, { name: 'Ed Editor', email: 'ed.editor@example.nhs.uk' });
      const ed = new Client(t.app, await sessionFor(db, editorId));
      assert.equal((await ed.get(`/reviews/${r.reviewId}`)).statusCode, 404, 'not a member yet');

      const form = await r.coordinator.get(`/reviews/${r.reviewId}/members`);
      assert.equal(form.statusCode, 200);
      assert.match(
        visibleText(form.body),
        new RegExp(
          [
            'Plan coordinator Everything in this review, including who takes part',
            'Organisation editor Updates their organisation’s actions: progress, evidence, proposed ratings',
            'Assurance reviewer Peer challenge group: accepts or rejects evidence, agrees or challenges ratings',
            'Viewer Reads the plan: boards and scrutiny',
          ].join(' '),
        ),
      );
      const options = [...form.body.matchAll(/<option value="(\d+)"/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
      assert.deepEqual(
        options,
        [r.ccg, r.trust, r.council].sort((a, b) => a - b),
        'the lead and the covered organisations, nothing else',
      );

      const added = await r.coordinator.postForm(`/reviews/${r.reviewId}/members`, {
        email: 'Ed.Editor@Example.nhs.uk',
        name: '',
        organisationId: String(r.trust),
        role: 'editor',
      });
      assert.equal(added.statusCode, 303);
      const page = visibleText((await r.coordinator.get(String(added.headers.location))).body);
      assert.match(page, /Ed Editor is now organisation editor for Test organisation \d+\./);
      assert.match(page, /Ed Editor ed\.editor@example\.nhs\.uk Test organisation \d+ Organisation editor Remove/);

      const membership = await db
        .selectFrom('memberships')
        .selectAll()
        .where('user_id', '=', editorId)
        .executeTakeFirstOrThrow();
      assert.deepEqual(
        [membership.review_id, membership.organisation_id, membership.role],
        [r.reviewId, r.trust, 'editor'],
      );
      const audit = await db
        .selectFrom('audit_events')
        .selectAll()
        .where('entity_type', '=', 'membership')
        .where('entity_id', '=', String(membership.id))
        .executeTakeFirstOrThrow();
      assert.equal(audit.actor, 'Cath Coordinator');
      assert.equal(audit.action, 'created');
      assert.equal(audit.review_id, r.reviewId);
      const trustName = (
        await db.selectFrom('organisations').select('name').where('id', '=', r.trust).executeTakeFirstOrThrow()
      ).name;
      assert.deepEqual(JSON.parse(audit.after ?? '{}'), {
        name: 'Ed Editor',
        email: 'ed.editor@example.nhs.uk',
        organisation: trustName,
        role: 'editor',
      });

      assert.equal((await ed.get(`/reviews/${r.reviewId}`)).statusCode, 200, 'the editor now reads the review');

      const again = await r.coordinator.postForm(`/reviews/${r.reviewId}/members`, {
        email: 'ed.editor@example.nhs.uk',
        organisationId: String(r.trust),
        role: 'editor',
      });
      assert.equal(again.statusCode, 400);
      assert.match(
        visibleText(again.body),
        /Ed Editor is already organisation editor for Test organisation \d+ in this review/,
      );
    });

    it('makes an account for someone new and emails them an invitation', async () => {
      const db = t.database.db;
      const r = await makeReview();
      const noName = await r.coordinator.postForm(`/reviews/${r.reviewId}/members`, {
        email: 'vera.viewer@example.gov.uk',
        name: '',
        organisationId: String(r.council),
        role: 'viewer',
      });
      assert.equal(noName.statusCode, 400);
      assert.match(noName.body, /<title>Error: People and roles/);
      assert.match(
        visibleText(noName.body),
        /There is a problem Enter their full name\. There is no Clasp account for this email address yet/,
      );
      assert.match(noName.body, /value="vera\.viewer@example\.gov\.uk"/);

      const before = outbox(dataDir);
      const added = await r.coordinator.postForm(`/reviews/${r.reviewId}/members`, {
        email: 'vera.viewer@example.gov.uk',
        name: 'Vera Viewer',
        organisationId: String(r.council),
        role: 'viewer',
      });
      assert.equal(added.statusCode, 303);
      assert.match(
        visibleText((await r.coordinator.get(String(added.headers.location))).body),
        new RegExp(
          /Vera Viewer is now viewer for .* We have emailed /.source +
            /vera\.viewer@example\.gov\.uk an invitation to set a password/.source,
        ),
      );
      const sent = [...outbox(dataDir)].filter(([name]) => !before.has(name)).map(([, text]) => text);
      assert.equal(sent.length, 1);
      assert.match(sent[0] ?? '', /To: vera\.viewer@example\.gov\.uk/);
      const link = /http:\/\/[^/\s]+(\/reset-password\/[\w-]+)/.exec(sent[0] ?? '')?.[1] ?? '';
      const setPage = await t.app.inject(link);
      assert.equal(setPage.statusCode, 200);
      assert.match(visibleText(setPage.body), /Set your password For the account vera\.viewer@example\.gov\.uk/);

      const user = await db
        .selectFrom('users')
        .selectAll()
        .where('email', '=', 'vera.viewer@example.gov.uk')
        .executeTakeFirstOrThrow();
      assert.equal(user.password_hash, null);
      const events = await db
        .selectFrom('audit_events')
        .select(['entity_type', 'action', 'actor'])
        .where((eb) =>
          eb.or([
            eb.and([eb('entity_type', '=', 'user'), eb('entity_id', '=', String(user.id))]),
            eb.and([eb('entity_type', '=', 'membership'), eb('review_id', '=', r.reviewId)]),
          ]),
        )
        .orderBy('id')
        .execute();
      assert.deepEqual(
        events.map((e) => `${e.actor}: ${e.entity_type} ${e.action}`),
        ['Cath Coordinator: user created', 'Cath Coordinator: user invited', 'Cath Coordinator: membership created'],
      );
    });

    it('checks the organisation and the role', async () => {
      const r = await makeReview();
      const outside = await r.coordinator.postForm(`/reviews/${r.reviewId}/members`, {
        email: 'x@example.nhs.uk',
        name: 'X',
        organisationId: String(r.elsewhere),
        role: 'boss',
      });
      assert.equal(outside.statusCode, 400);
      assert.match(visibleText(outside.body), /Select the organisation they will act for Select a role/);
      assert.equal(
        await t.database.db.selectFrom('users').select('id').where('email', '=', 'x@example.nhs.uk').executeTakeFirst(),
        undefined,
      );

      // Scripts get the same checks through the JSON API.
      const bad = await r.coordinator.sendJson('POST', `/api/reviews/${r.reviewId}/members`, {
        email: 'x@example.nhs.uk',
        name: 'X',
        organisationId: r.elsewhere,
        role: 'viewer',
      });
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(
        bad.json<{ errors: { field: string }[] }>().errors.map((e) => e.field),
        ['organisationId'],
      );
      const good = await r.coordinator.sendJson('POST', `/api/reviews/${r.reviewId}/members`, {
        email: 'x@example.nhs.uk',
        name: 'Xavier Script',
        organisationId: r.council,
        role: 'viewer',
      });
      assert.equal(good.statusCode, 201);
      assert.equal(good.json<{ invited: boolean }>().invited, true);
      const listed = (await r.coordinator.getJson(`/api/reviews/${r.reviewId}/members`)).json<{
        members: { name: string; role: string; organisation: { id: number } }[];
      }>();
      assert.ok(
        listed.members.some(
          (m) => m.name === 'Xavier Script' && m.role === 'viewer' && m.organisation.id === r.council,
        ),
      );
    });

    it('is refused to members who do not coordinate the review, and hidden from people outside it', async () => {
      const db = t.database.db;
      const r = await makeReview();
      const other = await makeReview();
      const editorId = await createUser(db, { name: 'Eve Editor' });
      await addMember(db, { userId: editorId, reviewId: r.reviewId, organisationId: r.trust, role: 'editor' });
      const viewerId = await createUser(db, { name: 'Val Viewer' });
      await addMember(db, { userId: viewerId, reviewId: r.reviewId, organisationId: r.council, role: 'viewer' });
      const reviewerId = await createUser(db, { name: 'Rob Reviewer' });
      await addMember(db, { userId: reviewerId, reviewId: r.reviewId, organisationId: r.ccg, role: 'reviewer' });
      const target = String(r.trust);
      for (const id of [editorId, viewerId, reviewerId]) {
        const member = new Client(t.app, await sessionFor(db, id));
        assert.equal((await member.get(`/reviews/${r.reviewId}/members`)).statusCode, 403);
        assert.equal(
          (
            await member.sendJson('POST', `/api/reviews/${r.reviewId}/members`, {
              email: 'sneak@example.nhs.uk',
              name: 'Sneak',
              organisationId: r.trust,
              role: 'viewer',
            })
          ).statusCode,
          403,
        );
        assert.equal((await member.getJson(`/api/reviews/${r.reviewId}/members`)).statusCode, 403);
        const post = await member.postForm(`/reviews/${r.reviewId}/members`, {
          email: 'sneak@example.nhs.uk',
          name: 'Sneak',
          organisationId: target,
          role: 'coordinator',
        });
        assert.equal(post.statusCode, 403);
        assert.match(
          visibleText(post.body),
          /Only a coordinator of this review, or a system administrator, can manage its people/,
        );
        const coordinatorMembership = await db
          .selectFrom('memberships')
          .select('id')
          .where('user_id', '=', r.coordinatorId)
          .executeTakeFirstOrThrow();
        assert.equal(
          (await member.postForm(`/reviews/${r.reviewId}/members/${coordinatorMembership.id}/remove`, {})).statusCode,
          403,
        );
      }
      // The coordinator of another review: this one does not exist for them.
      assert.equal((await other.coordinator.get(`/reviews/${r.reviewId}/members`)).statusCode, 404);
      assert.equal(
        (
          await other.coordinator.postForm(`/reviews/${r.reviewId}/members`, {
            email: 'sneak@example.nhs.uk',
            name: 'Sneak',
            organisationId: target,
            role: 'viewer',
          })
        ).statusCode,
        404,
      );
      assert.equal(
        await db.selectFrom('users').select('id').where('email', '=', 'sneak@example.nhs.uk').executeTakeFirst(),
        undefined,
      );
      assert.equal(
        (await db.selectFrom('memberships').select('id').where('review_id', '=', r.reviewId).execute()).length,
        4,
      );
      // A membership of another review cannot be removed through this one.
      const otherMembership = await db
        .selectFrom('memberships')
        .select('id')
        .where('review_id', '=', other.reviewId)
        .executeTakeFirstOrThrow();
      assert.equal(
        (await r.coordinator.postForm(`/reviews/${r.reviewId}/members/${otherMembership.id}/remove`, {})).statusCode,
        404,
      );
      assert.ok(
        await db.selectFrom('memberships').select('id').where('id', '=', otherMembership.id).executeTakeFirst(),
      );
      // A system administrator manages any review's people without being a member.
      const admin = await t.admin();
      const page = await admin.get(`/reviews/${r.reviewId}/members`);
      assert.equal(page.statusCode, 200);
      assert.match(
        visibleText(page.body),
        new RegExp(
          /People and roles .* Cath Coordinator \S+ Test organisation \d+ Plan coordinator /.source +
            /Remove Cath Coordinator as Plan coordinator for Test organisation \d+ /.source +
            /Eve Editor \S+ Test organisation \d+ Organisation editor Remove/.source,
        ),
      );
      const api = (await admin.getJson(`/api/reviews/${r.reviewId}/members`)).json<{
        members: { name: string; role: string }[];
      }>();
      assert.deepEqual(api.members.map((m) => `${m.name} ${m.role}`).sort(), [
        'Cath Coordinator coordinator',
        'Eve Editor editor',
        'Rob Reviewer reviewer',
        'Val Viewer viewer',
      ]);
      // ... and adds people to it.
      const byAdmin = await admin.postForm(`/reviews/${r.reviewId}/members`, {
        email: 'amy.added@example.nhs.uk',
        name: 'Amy Added',
        organisationId: String(r.council),
        role: 'coordinator',
      });
      assert.equal(byAdmin.statusCode, 303);
      const amy = await db
        .selectFrom('memberships as m')
        .innerJoin('users as u', 'u.id', 'm.user_id')
        .select(['m.role', 'm.organisation_id'])
        .where('u.email', '=', 'amy.added@example.nhs.uk')
        .executeTakeFirstOrThrow();
      assert.deepEqual([amy.role, amy.organisation_id], ['coordinator', r.council]);
      const adminEvent = await db
        .selectFrom('audit_events')
        .select('actor')
        .where('entity_type', '=', 'membership')
        .where('review_id', '=', r.reviewId)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      assert.equal(adminEvent.actor, 'Test Administrator');
    });

    it('never removes the last coordinator', async () => {
      const db = t.database.db;
      const r = await makeReview();
      const first = await db
        .selectFrom('memberships')
        .select('id')
        .where('review_id', '=', r.reviewId)
        .where('role', '=', 'coordinator')
        .executeTakeFirstOrThrow();
      const refused = await r.coordinator.postForm(`/reviews/${r.reviewId}/members/${first.id}/remove`, {});
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /<title>Error: People and roles/);
      assert.match(
        visibleText(refused.body),
        /There is a problem A review needs at least one plan coordinator\. Add another coordinator first\./,
      );
      assert.ok(await db.selectFrom('memberships').select('id').where('id', '=', first.id).executeTakeFirst());

      const secondId = await createUser(db, { name: 'Sam Second', email: 'sam.second@example.nhs.uk' });
      assert.equal(
        (
          await r.coordinator.postForm(`/reviews/${r.reviewId}/members`, {
            email: 'sam.second@example.nhs.uk',
            organisationId: String(r.ccg),
            role: 'coordinator',
          })
        ).statusCode,
        303,
      );
      const removed = await r.coordinator.postForm(`/reviews/${r.reviewId}/members/${first.id}/remove`, {});
      assert.equal(removed.statusCode, 303);
      assert.equal(
        await db.selectFrom('memberships').select('id').where('id', '=', first.id).executeTakeFirst(),
        undefined,
      );
      assert.equal(
        (await r.coordinator.get(`/reviews/${r.reviewId}/members`)).statusCode,
        404,
        'no longer a member of the review at all',
      );
      const sam = new Client(t.app, await sessionFor(db, secondId));
      assert.match(
        visibleText((await sam.get(`/reviews/${r.reviewId}/members`)).body),
        /Sam Second sam\.second@example\.nhs\.uk .* Plan coordinator Remove/,
      );
      const audit = await db
        .selectFrom('audit_events')
        .selectAll()
        .where('entity_type', '=', 'membership')
        .where('entity_id', '=', String(first.id))
        .where('action', '=', 'removed')
        .executeTakeFirstOrThrow();
      assert.equal(audit.actor, 'Cath Coordinator');
      assert.equal(JSON.parse(audit.before ?? '{}').role, 'coordinator');
    });

    it('refuses changes posted without the form’s token', async () => {
      const db = t.database.db;
      const r = await makeReview();
      const add = await r.coordinator.postForm(
        `/reviews/${r.reviewId}/members`,
        { email: 'forged@example.nhs.uk', name: 'Forged', organisationId: String(r.trust), role: 'coordinator' },
        { csrf: false },
      );
      assert.equal(add.statusCode, 403);
      assert.equal(
        await db.selectFrom('users').select('id').where('email', '=', 'forged@example.nhs.uk').executeTakeFirst(),
        undefined,
      );
      const secondId = await createUser(db, { name: 'Second Coordinator' });
      await addMember(db, { userId: secondId, reviewId: r.reviewId, organisationId: r.ccg, role: 'coordinator' });
      const first = await db
        .selectFrom('memberships')
        .select('id')
        .where('user_id', '=', r.coordinatorId)
        .executeTakeFirstOrThrow();
      const remove = await r.coordinator.postForm(
        `/reviews/${r.reviewId}/members/${first.id}/remove`,
        {},
        { csrf: false },
      );
      assert.equal(remove.statusCode, 403);
      assert.ok(await db.selectFrom('memberships').select('id').where('id', '=', first.id).executeTakeFirst());
    });
  });
}
