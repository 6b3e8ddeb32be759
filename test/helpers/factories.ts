import type { Db } from '../../src/platform/db/database.ts';
import type { EvidenceStatus, FindingKind, OrganisationKind, RatingValue } from '../../src/platform/db/schema.ts';
import {
  insertAction,
  insertActionOrganisations,
  insertEvidence,
  insertFinding,
  insertFindingLinks,
  insertGroup,
  insertGroupOrganisations,
  insertOrganisation,
  insertProgress,
  insertRatingEvents,
  insertRecommendation,
  insertReview,
  insertReviewOrganisations,
} from '../../src/features/reviews/plan-writer.repository.ts';

/*
 * Small builders for test data: each test makes exactly the plan it talks about, written by the app's
 * own plan writer.
 */

const NOW = '2026-01-01T00:00:00.000Z';
let sequence = 0;
const next = () => ++sequence;

export async function createOrganisation(
  db: Db,
  o: { name?: string; shortName?: string; kind?: OrganisationKind } = {},
) {
  const n = next();
  const name = o.name ?? `Test organisation ${n}`;
  return insertOrganisation(db, {
    name,
    short_name: o.shortName ?? name,
    kind: o.kind ?? 'nhs_trust',
    created_at: NOW,
  });
}

export async function createReview(
  db: Db,
  r: {
    area?: string;
    title?: string;
    /** The first day of the review; a plan's due dates and progress are after it. */
    start?: string | null;
    published?: string | null;
    received?: string | null;
    leadOrganisationId?: number | null;
    scale?: 'BRAG' | 'RAG';
    staleDays?: number | null;
    assessedAsOf?: string | null;
    coveredOrganisationIds?: number[];
  } = {},
) {
  const area = r.area ?? `Testshire ${next()}`;
  const id = await insertReview(db, {
    source_key: null,
    title: r.title ?? `Review of health services for Children Looked After and Safeguarding in ${area}`,
    type: 'CLAS',
    area,
    review_start: r.start === undefined ? '2025-01-13' : r.start,
    review_end: '2025-01-17',
    report_published: r.published === undefined ? '2025-03-03' : r.published,
    report_received: r.received === undefined ? '2025-03-03' : r.received,
    inspectors: JSON.stringify(['An Inspector']),
    cqc_region: null,
    nhs_england_area: null,
    children_cases: null,
    lead_organisation_id: r.leadOrganisationId ?? null,
    rating_scale: r.scale ?? 'BRAG',
    plan_issued: null,
    stale_days: r.staleDays ?? null,
    assessed_as_of: r.assessedAsOf ?? null,
    is_demo: 0,
    illustrative_notice: null,
    created_at: NOW,
    updated_at: NOW,
  });
  await insertReviewOrganisations(
    db,
    (r.coveredOrganisationIds ?? []).map((organisationId) => ({ review_id: id, organisation_id: organisationId })),
  );
  return id;
}

export async function createGroup(
  db: Db,
  reviewId: number,
  number: number,
  organisationIds: number[],
  heading?: string,
) {
  const id = await insertGroup(db, {
    review_id: reviewId,
    number,
    heading: heading ?? `Group ${number} should:`,
    position: number,
  });
  await insertGroupOrganisations(
    db,
    organisationIds.map((organisationId) => ({ group_id: id, organisation_id: organisationId })),
  );
  return id;
}

export async function createRecommendation(
  db: Db,
  r: {
    reviewId: number;
    groupId: number;
    number: string;
    text?: string;
    outcome?: string;
    anticipatedEvidence?: string;
    position?: number;
  },
) {
  return insertRecommendation(db, {
    review_id: r.reviewId,
    group_id: r.groupId,
    number: r.number,
    text: r.text ?? `Recommendation text ${r.number}`,
    outcome: r.outcome ?? '',
    anticipated_evidence: r.anticipatedEvidence ?? '',
    assurance: '',
    responsible_officer: '',
    position: r.position ?? next(),
  });
}

export async function createFinding(
  db: Db,
  f: {
    reviewId: number;
    number: string;
    section?: string;
    text?: string;
    kind?: FindingKind;
    publicHealth?: boolean;
    recommendationIds?: number[];
  },
) {
  const id = await insertFinding(db, {
    review_id: f.reviewId,
    number: f.number,
    section: f.section ?? 'Early help',
    text: f.text ?? `Finding text ${f.number}`,
    kind: f.kind ?? 'concern',
    public_health: f.publicHealth ? 1 : 0,
    position: next(),
  });
  await insertFindingLinks(
    db,
    (f.recommendationIds ?? []).map((recommendationId) => ({ finding_id: id, recommendation_id: recommendationId })),
  );
  return id;
}

export async function createAction(
  db: Db,
  a: {
    reviewId: number;
    recommendationId: number;
    organisationIds?: number[];
    text?: string;
    agency?: string;
    lead?: string;
    dateWords?: string;
    dueDate?: string | null;
    measure?: string;
    createdOn?: string;
    position?: number;
  },
) {
  const id = await insertAction(db, {
    review_id: a.reviewId,
    recommendation_id: a.recommendationId,
    position: a.position ?? next(),
    agency_text: a.agency ?? '',
    action_text: a.text ?? 'Audit the records every quarter and report to the safeguarding group.',
    lead_text: a.lead ?? 'Named nurse',
    lead_user_id: null,
    date_words: a.dateWords ?? '31 March 2027',
    due_date: a.dueDate === undefined ? '2027-03-31' : a.dueDate,
    measure: a.measure ?? 'Quarterly audit shows 95% compliance.',
    assurance: '',
    created_on: a.createdOn ?? '2026-11-01',
    created_at: NOW,
    updated_at: NOW,
  });
  await insertActionOrganisations(
    db,
    (a.organisationIds ?? []).map((organisationId) => ({ action_id: id, organisation_id: organisationId })),
  );
  return id;
}

export async function addProgress(
  db: Db,
  p: { reviewId: number; actionId: number; on: string; text: string; author?: string; proposed?: RatingValue | null },
) {
  await insertProgress(db, [
    {
      review_id: p.reviewId,
      action_id: p.actionId,
      progress_on: p.on,
      text: p.text,
      author_user_id: null,
      author_name: p.author ?? 'Named nurse',
      proposed_rating: p.proposed ?? null,
      is_illustrative: 0,
      created_at: NOW,
    },
  ]);
}

export async function addRating(
  db: Db,
  r: {
    reviewId: number;
    actionId: number;
    kind: 'proposed' | 'agreed';
    rating: RatingValue;
    on: string;
    by?: string;
    rationale?: string;
  },
) {
  await insertRatingEvents(db, [
    {
      review_id: r.reviewId,
      action_id: r.actionId,
      kind: r.kind,
      rating: r.rating,
      decided_on: r.on,
      user_id: null,
      actor_name: r.by ?? (r.kind === 'agreed' ? 'Peer challenge group' : 'Named nurse'),
      rationale: r.rationale ?? '',
      override_reason: null,
      is_illustrative: 0,
      created_at: NOW,
    },
  ]);
}

export async function addNoteEvidence(
  db: Db,
  e: { reviewId: number; actionId: number; title: string; on: string; status?: EvidenceStatus; note?: string },
) {
  await insertEvidence(db, [
    {
      review_id: e.reviewId,
      action_id: e.actionId,
      kind: 'note',
      title: e.title,
      effective_on: e.on,
      blob_sha256: null,
      file_name: null,
      media_type: null,
      size: null,
      url: null,
      note: e.note ?? 'Minutes seen by the group.',
      status: e.status ?? 'accepted',
      status_reason: null,
      status_by_name: null,
      status_at: null,
      added_by_user_id: null,
      added_by_name: 'Named nurse',
      is_illustrative: 0,
      created_at: NOW,
    },
  ]);
}
