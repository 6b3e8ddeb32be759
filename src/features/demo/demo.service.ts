import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OrganisationKind } from '../../platform/db/schema.ts';
import type { Db, Trx } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { holdTransactionLock } from '../../platform/db/locks.ts';
import { readDateWords } from '../../domain/date-words.ts';
import { reviewBeganOn } from '../../domain/review-dates.ts';
import type { DemoDataset, IllustrativeLayer } from './data/dataset-types.ts';
import {
  insertHistoryMeetings,
  insertHistoryRecords,
  insertLastingAssurance,
  readDemoHistory,
  type DemoHistory,
  type HistoryRefs,
} from './demo-history.ts';
import { findOrganisationIdByName, findReviewBySourceKey, insertDueDateChanges, storeBlob } from './demo.repository.ts';
import { ADDED_AT, DECIDED_AT, evidenceAddedOn, evidenceDecidedOn } from './illustrative-dates.ts';
import { hashPassword } from '../../platform/auth/secrets.ts';
import type { MemberRole } from '../../domain/permissions.ts';
import { createAccount, findAccountByEmail } from '../accounts/accounts.service.ts';
import { grantMembership, hasMembership } from '../members/members.service.ts';
import { recordIllustrativeReminders } from '../reminders/reminders.service.ts';
import { DEFAULT_STALE_DAYS } from '../../domain/exceptions.ts';
import {
  insertAction,
  insertActionOrganisations,
  insertEvidence,
  insertFinding,
  insertFindingLinks,
  insertGroup,
  insertGroupOrganisations,
  insertOrganisation,
  insertPlanVersions,
  insertProgress,
  insertRatingEvents,
  insertRecommendation,
  insertReview,
  insertReviewOrganisations,
  type NewEvidence,
  type NewProgress,
  type NewRatingEvent,
} from '../reviews/plan-writer.service.ts';

const dataDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data');

export function readDemoDataset(): { dataset: DemoDataset; illustrative: IllustrativeLayer } {
  const read = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(dataDir, file), 'utf8'));
  return {
    dataset: read('rotherham-2015.json') as DemoDataset,
    illustrative: read('rotherham-2015-illustrative.json') as IllustrativeLayer,
  };
}

export interface DemoUser {
  email: string;
  name: string;
  role: MemberRole | 'administrator';
  organisation: string | null;
}

export interface DemoResult {
  reviewId: number;
  created: boolean;
  /** One person per role, all with DEMO_PASSWORD; made only in a database the demo is loaded into. */
  users: DemoUser[];
}

/** The password of every demo account. Published in the README: demo databases only. */
export const DEMO_PASSWORD = 'clasp-sample-2016';

// .invalid can never be a real address (RFC 2606), so demo mail goes nowhere.
const DEMO_PEOPLE: {
  email: string;
  name: string;
  role: MemberRole | 'administrator';
  organisationKey: string | null;
}[] = [
  { email: 'admin@demo.clasp.invalid', name: 'Demo administrator', role: 'administrator', organisationKey: null },
  {
    email: 'coordinator@demo.clasp.invalid',
    name: 'Demo plan coordinator',
    role: 'coordinator',
    organisationKey: 'rotherham-ccg',
  },
  {
    email: 'editor@demo.clasp.invalid',
    name: 'Demo editor, Rotherham hospital trust',
    role: 'editor',
    organisationKey: 'trft',
  },
  {
    email: 'reviewer@demo.clasp.invalid',
    name: 'Demo reviewer, peer challenge group',
    role: 'reviewer',
    organisationKey: 'rotherham-ccg',
  },
  {
    email: 'viewer@demo.clasp.invalid',
    name: 'Demo viewer, board and scrutiny',
    role: 'viewer',
    organisationKey: 'rmbc',
  },
];

// The plan's progress column names no author; the entry is credited to the document itself.
const PLAN_AUTHOR = 'the published action plan';
const GROUP_NAME = 'Peer challenge group';

/**
 * Loads the Rotherham 2015 review and its published plan, with the illustrative layer on top.
 * Loading again changes nothing: the review is found by its source key.
 */
export async function loadDemo(db: Db, now: Date): Promise<DemoResult> {
  const { dataset, illustrative } = readDemoDataset();
  // Hashed before the transaction: argon2 is deliberately slow, and one hash serves all five.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return db.transaction().execute(async (trx) => {
    // Two instances started at once on one empty PostgreSQL database: one loads, the other finds it.
    await holdTransactionLock(trx, 'clasp load demo');
    const existing = await findReviewBySourceKey(trx, dataset.review.key);
    if (existing)
      return {
        reviewId: existing.id,
        created: false,
        users: await ensureDemoUsers(trx, dataset, existing.id, passwordHash, now),
      };
    const history = readDemoHistory();
    const { reviewId, refs, meetingIds } = await insertDataset(trx, dataset, illustrative, history, now.toISOString());
    const users = await ensureDemoUsers(trx, dataset, reviewId, passwordHash, now);
    const person = async (role: MemberRole) => {
      const email = need(
        users.find((u) => u.role === role),
        role,
      ).email;
      const account = need(await findAccountByEmail(trx, email), email);
      return { id: account.id, name: account.name };
    };
    await insertHistoryRecords(trx, refs, illustrative, history, meetingIds, {
      coordinator: await person('coordinator'),
      reviewer: await person('reviewer'),
    });
    // The reminders the cycle would have sent the demo's people on the day it is assessed at
    // (it never reminds anyone about a review assessed as at a past day), marked illustrative.
    await recordIllustrativeReminders(trx, reviewId, illustrative.asOf, DEFAULT_STALE_DAYS);
    await recordAudit(
      trx,
      {
        actor: 'clasp demo',
        reviewId,
        entityType: 'review',
        entityId: reviewId,
        action: 'demo.loaded',
        after: { sourceKey: dataset.review.key, recommendations: dataset.recommendations.length },
      },
      now,
    );
    return { reviewId, created: true, users };
  });
}

/** Makes whichever demo accounts and roles are missing; running it again changes nothing. */
async function ensureDemoUsers(
  trx: Trx,
  data: DemoDataset,
  reviewId: number,
  passwordHash: string,
  now: Date,
): Promise<DemoUser[]> {
  const users: DemoUser[] = [];
  for (const person of DEMO_PEOPLE) {
    const existing = await findAccountByEmail(trx, person.email);
    const userId =
      existing?.id ??
      (await createAccount(
        trx,
        { email: person.email, name: person.name, isAdmin: person.role === 'administrator', passwordHash },
        { actor: 'clasp demo' },
        now,
      ));
    let organisation: string | null = null;
    if (person.role !== 'administrator' && person.organisationKey) {
      const org = data.organisations.find((o) => o.key === person.organisationKey);
      if (!org) throw new Error(`The demo data has no organisation "${person.organisationKey}"`);
      organisation = org.name;
      const organisationId = await findOrganisationIdByName(trx, org.name);
      if (organisationId === undefined) throw new Error(`The demo organisation "${org.name}" is not in the database`);
      const membership = { userId, reviewId, organisationId, role: person.role };
      if (!(await hasMembership(trx, membership))) {
        const membershipId = await grantMembership(trx, membership, now.toISOString());
        await recordAudit(
          trx,
          {
            actor: 'clasp demo',
            reviewId,
            organisationId,
            entityType: 'membership',
            entityId: membershipId,
            action: 'created',
            after: { name: person.name, email: person.email, organisation: org.name, role: person.role },
          },
          now,
        );
      }
    }
    users.push({ email: person.email, name: person.name, role: person.role, organisation });
  }
  return users;
}

/** Finds an organisation by its exact name, adding it when there is none. */
async function ensureOrganisation(
  trx: Trx,
  org: { name: string; shortName: string; kind: OrganisationKind },
  now: string,
): Promise<number> {
  return (
    (await findOrganisationIdByName(trx, org.name)) ??
    (await insertOrganisation(trx, { name: org.name, short_name: org.shortName, kind: org.kind, created_at: now }))
  );
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`The demo has no ${what}`);
  return value;
}

async function insertDataset(
  trx: Trx,
  data: DemoDataset,
  layer: IllustrativeLayer,
  history: DemoHistory,
  now: string,
): Promise<{ reviewId: number; refs: HistoryRefs; meetingIds: Map<string, number> }> {
  const orgIds = new Map<string, number>();
  for (const org of data.organisations) {
    orgIds.set(
      org.key,
      await ensureOrganisation(trx, { name: org.name, shortName: org.shortName, kind: org.kind }, now),
    );
  }
  const orgId = (key: string): number => {
    const id = orgIds.get(key);
    if (id === undefined) throw new Error(`The demo data names an unknown organisation "${key}"`);
    return id;
  };

  const r = data.review;
  const reviewId = await insertReview(trx, {
    source_key: r.key,
    title: r.title,
    type: r.type,
    area: r.area,
    review_start: r.reviewStart,
    review_end: r.reviewEnd,
    report_published: r.reportPublished,
    report_received: r.reportReceived,
    inspectors: JSON.stringify(r.inspectors),
    cqc_region: r.cqcRegion,
    nhs_england_area: r.nhsEnglandArea,
    children_cases: r.childrenCases,
    lead_organisation_id: orgId(r.leadOrganisation),
    rating_scale: r.ratingScale,
    plan_issued: data.planIssued,
    stale_days: null,
    // The illustrative story runs to this date; judging it against today would call every open action years late.
    assessed_as_of: layer.asOf,
    is_demo: 1,
    illustrative_notice: layer.notice,
    created_at: now,
    updated_at: now,
  });
  // The recorded meetings come first: the ratings and evidence they decided are written with their ids.
  const meetingIds = await insertHistoryMeetings(trx, reviewId, history, now);
  const refs: HistoryRefs = {
    reviewId,
    scale: r.ratingScale,
    organisations: new Map(data.organisations.map((o) => [o.key, { id: orgId(o.key), name: o.name }])),
    recommendations: new Map(),
    actions: new Map(),
  };
  await insertReviewOrganisations(
    trx,
    r.coveredOrganisations.map((key) => ({ review_id: reviewId, organisation_id: orgId(key) })),
  );

  const findingIds = new Map<string, number>();
  for (const [position, f] of data.findings.entries()) {
    const id = await insertFinding(trx, {
      review_id: reviewId,
      number: f.number,
      section: f.section,
      text: f.text,
      kind: f.kind,
      public_health: f.publicHealth ? 1 : 0,
      position,
    });
    findingIds.set(f.number, id);
  }

  const groupIds = new Map<number, number>();
  for (const [position, g] of data.groups.entries()) {
    const id = await insertGroup(trx, { review_id: reviewId, number: g.number, heading: g.heading, position });
    groupIds.set(g.number, id);
    await insertGroupOrganisations(
      trx,
      g.organisations.map((key) => ({ group_id: id, organisation_id: orgId(key) })),
    );
  }

  const actionIds = new Map<string, { id: number; lead: string; dueDate: string | null }>();
  const progress: NewProgress[] = [];
  const referenceYear = Number(data.planIssued.slice(0, 4));
  // Date words from before the review ("Safeguarding PLT 6 November 2014") give no due date, as in a plan import.
  const reviewBegan = reviewBeganOn({ reviewStart: r.reviewStart, published: r.reportPublished });
  for (const [position, rec] of data.recommendations.entries()) {
    const groupId = groupIds.get(rec.group);
    if (groupId === undefined) throw new Error(`Recommendation ${rec.number} names an unknown group ${rec.group}`);
    const recommendationId: number = await insertRecommendation(trx, {
      review_id: reviewId,
      group_id: groupId,
      number: rec.number,
      text: rec.text,
      outcome: rec.outcome,
      anticipated_evidence: rec.anticipatedEvidence,
      assurance: '',
      responsible_officer: '',
      position,
    });
    refs.recommendations.set(rec.number, recommendationId);
    await insertFindingLinks(
      trx,
      rec.findings.map((number) => {
        const findingId = findingIds.get(number);
        if (findingId === undefined) throw new Error(`Recommendation ${rec.number} sees an unknown finding ${number}`);
        return { finding_id: findingId, recommendation_id: recommendationId };
      }),
    );
    for (const [index, a] of rec.actions.entries()) {
      const reading = readDateWords(a.dateWords, { referenceYear, reviewBegan });
      const actionId = await insertAction(trx, {
        review_id: reviewId,
        recommendation_id: recommendationId,
        position: index,
        agency_text: a.agency,
        action_text: a.action,
        lead_text: a.lead,
        lead_user_id: null,
        date_words: a.dateWords,
        due_date: reading.date,
        measure: '',
        assurance: '',
        created_on: data.planIssued,
        created_at: now,
        updated_at: now,
      });
      actionIds.set(`${rec.number}#${index}`, { id: actionId, lead: a.lead, dueDate: reading.date });
      refs.actions.set(`${rec.number}#${index}`, { id: actionId, organisationKeys: [...new Set(a.agencies)] });
      await insertActionOrganisations(
        trx,
        [...new Set(a.agencies)].map((key) => ({ action_id: actionId, organisation_id: orgId(key) })),
      );
      if (a.progress.trim()) {
        // The plan's progress column has no dates of its own; it is what the plan said when it was sent.
        progress.push(
          progressRow(
            { reviewId, actionId, on: data.planIssued, text: a.progress, author: PLAN_AUTHOR, proposed: null },
            false,
            now,
          ),
        );
      }
    }
  }
  await insertProgress(trx, progress);

  await insertPlanVersions(
    trx,
    data.versions.map((v) => ({
      review_id: reviewId,
      number: v.number,
      issued_on: v.date,
      author: v.author,
      purpose: '',
      action_text: v.action,
      comment: v.comment,
      recipients: '',
      snapshot: null,
      created_by_user_id: null,
      created_at: now,
    })),
  );

  await insertIllustrativeLayer(trx, reviewId, actionIds, layer, meetingIds, now);
  await insertLastingAssurance(trx, refs, layer, history);
  return { reviewId, refs, meetingIds };
}

function progressRow(
  p: {
    reviewId: number;
    actionId: number;
    on: string;
    text: string;
    author: string;
    proposed: NewProgress['proposed_rating'];
  },
  illustrative: boolean,
  now: string,
): NewProgress {
  return {
    review_id: p.reviewId,
    action_id: p.actionId,
    progress_on: p.on,
    text: p.text,
    author_user_id: null,
    author_name: p.author,
    proposed_rating: p.proposed,
    is_illustrative: illustrative ? 1 : 0,
    created_at: now,
  };
}

async function insertIllustrativeLayer(
  trx: Trx,
  reviewId: number,
  actionIds: Map<string, { id: number; lead: string; dueDate: string | null }>,
  layer: IllustrativeLayer,
  meetingIds: Map<string, number>,
  now: string,
): Promise<void> {
  const dueDateChanges: Parameters<typeof insertDueDateChanges>[1] = [];
  const progress: NewProgress[] = [];
  const ratings: NewRatingEvent[] = [];
  const evidence: NewEvidence[] = [];
  for (const entry of layer.actions) {
    const target = actionIds.get(`${entry.recommendation}#${entry.index}`);
    if (target === undefined) {
      throw new Error(
        `The illustrative layer names action ${entry.index} of recommendation ${entry.recommendation}, ` +
          'which does not exist',
      );
    }
    const actionId = target.id;
    // The published plan names roles, not people: the illustrative entries are credited to the action's lead.
    const lead = target.lead.split('\n')[0]?.trim() || 'Action lead';
    for (const p of entry.progress) {
      progress.push(
        progressRow(
          { reviewId, actionId, on: p.date, text: p.text, author: lead, proposed: p.proposedRating },
          true,
          now,
        ),
      );
    }
    for (const rating of entry.ratings) {
      ratings.push({
        review_id: reviewId,
        action_id: actionId,
        kind: 'proposed',
        rating: rating.rating,
        decided_on: rating.proposedOn,
        user_id: null,
        actor_name: lead,
        rationale: '',
        override_reason: null,
        is_illustrative: 1,
        created_at: now,
      });
      if (rating.agreedOn && rating.agreedRating) {
        ratings.push({
          review_id: reviewId,
          action_id: actionId,
          kind: 'agreed',
          rating: rating.agreedRating,
          decided_on: rating.agreedOn,
          user_id: null,
          actor_name: GROUP_NAME,
          rationale: rating.rationale,
          override_reason: null,
          // The recorded meetings say they agreed it; earlier ones were held before Clasp kept meetings.
          meeting_id: meetingIds.get(rating.agreedOn) ?? null,
          is_illustrative: 1,
          created_at: now,
        });
      }
    }
    for (const proposal of entry.dueDateProposals ?? []) {
      dueDateChanges.push({
        review_id: reviewId,
        action_id: actionId,
        kind: 'proposed',
        proposal_id: null,
        from_date: target.dueDate,
        to_date: proposal.date,
        reason: proposal.reason,
        user_id: null,
        actor_name: lead,
        organisation_id: null,
        is_illustrative: 1,
        // Dated as the story has it, so the coordinator's list says when it was asked for.
        created_at: `${proposal.proposedOn}T09:00:00.000Z`,
      });
    }
    for (const e of entry.evidence) {
      // Dated in the story's time, not the day the demo was loaded.
      const addedOn = evidenceAddedOn(e);
      const decidedOn = e.status === 'submitted' ? null : evidenceDecidedOn(addedOn, layer.meetings);
      if (e.status !== 'submitted' && decidedOn === null) {
        throw new Error(`The illustrative evidence "${e.title}" is decided, but no meeting follows ${addedOn}`);
      }
      let sha256: string | null = null;
      let size: number | null = null;
      if (e.kind === 'file') {
        const content = new TextEncoder().encode(e.content ?? '');
        sha256 = createHash('sha256').update(content).digest('hex');
        size = content.byteLength;
        await storeBlob(trx, sha256, content, now);
      }
      evidence.push({
        review_id: reviewId,
        action_id: actionId,
        kind: e.kind,
        title: e.title,
        effective_on: e.effectiveDate,
        blob_sha256: sha256,
        file_name: e.kind === 'file' ? (e.fileName ?? 'evidence.txt') : null,
        media_type: e.kind === 'file' ? (e.mediaType ?? 'text/plain') : null,
        size,
        url: e.kind === 'link' ? (e.url ?? null) : null,
        note: e.kind === 'note' ? (e.note ?? null) : null,
        status: e.status,
        status_reason: e.statusReason ?? null,
        status_by_name: decidedOn === null ? null : GROUP_NAME,
        status_at: decidedOn === null ? null : `${decidedOn}${DECIDED_AT}`,
        status_meeting_id: decidedOn === null ? null : (meetingIds.get(decidedOn) ?? null),
        added_by_user_id: null,
        added_by_name: lead,
        is_illustrative: 1,
        created_at: `${addedOn}${ADDED_AT}`,
      });
    }
  }
  // Each table's rows in the order the layer gives them, so their ids follow it as before.
  await insertProgress(trx, progress);
  await insertRatingEvents(trx, ratings);
  await insertEvidence(trx, evidence);
  await insertDueDateChanges(trx, dueDateChanges);
}
