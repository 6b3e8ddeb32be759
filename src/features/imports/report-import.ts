import type { OrganisationKind } from '../../platform/db/schema.ts';
import type { Db, Trx } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { planDueDate } from '../../domain/working-days.ts';
import { grantMembership } from '../members/members.service.ts';
import {
  insertFinding,
  insertFindingLinks,
  insertGroup,
  insertGroupOrganisations,
  insertOrganisation,
  insertRecommendation,
  insertReview,
  insertReviewOrganisations,
  type FindingLinkRow,
} from '../reviews/plan-writer.service.ts';
import type { ReportDraft } from './drafts.ts';
import { sameOrganisation } from './organisation-names.ts';
import type { Importer } from './importer.ts';
import {
  findReviewBySourceKey,
  listKnownOrganisations,
  listReviewsOfSameDates,
  type KnownOrganisation,
} from './imports.repository.ts';

/* A CQC report read from a file becomes a review: what it would make, and making it. */

export type OrganisationMatch = {
  /** The name as the report gives it. */
  name: string;
  kind: OrganisationKind;
  role: 'provider' | 'commissioner' | 'addressee';
  /** The organisation already in Clasp it is taken to be, or null when it will be added. */
  existing: { id: number; name: string } | null;
};

export type ReportPreview = {
  title: string;
  area: string | null;
  counts: { findings: number; groups: number; recommendations: number; pointers: number };
  organisations: OrganisationMatch[];
  /** The organisation asked to send the plan: the first commissioner in the header. */
  lead: string | null;
  received: string | null;
  planDue: string | null;
  /**
   * The review this same file already made, if it was imported before; id and title only for someone
   * who may read it.
   */
  alreadyImportedAs: { id: number | null; title: string | null } | null;
  warnings: string[];
};

export const TITLE_START = 'Review of health services for Children Looked After and Safeguarding in';

export function reportSourceKey(sha256: string): string {
  return `report:${sha256}`;
}

/** The organisation already in Clasp that a name means, by its full or short name in any usual form. */
export function findKnownOrganisation(known: readonly KnownOrganisation[], name: string): KnownOrganisation | null {
  return (
    known.find((o) => sameOrganisation(o.name, name)) ?? known.find((o) => sameOrganisation(o.short_name, name)) ?? null
  );
}

export function matchOrganisations(draft: ReportDraft, known: readonly KnownOrganisation[]): OrganisationMatch[] {
  return draft.review.organisations.map((o) => {
    const found = findKnownOrganisation(known, o.name);
    return { name: o.name, kind: o.kind, role: o.role, existing: found && { id: found.id, name: found.name } };
  });
}

function leadName(draft: ReportDraft): string | null {
  return (
    draft.review.organisations.find((o) => o.role === 'commissioner')?.name ??
    draft.review.organisations[0]?.name ??
    null
  );
}

export async function previewReport(
  db: Db,
  draft: ReportDraft,
  sha256: string,
  received: string | null,
  canSee: (reviewId: number) => boolean,
): Promise<ReportPreview> {
  const known = await listKnownOrganisations(db);
  const already = await findReviewBySourceKey(db, reportSourceKey(sha256));
  const receivedOn = received ?? draft.review.published;
  const warnings = [...draft.warnings];
  const r = draft.review;
  if (!already && r.area && r.published) {
    // The same report in another format (the PDF after the Word file) is another file but the same review.
    const twins = await listReviewsOfSameDates(db, {
      area: r.area,
      published: r.published,
      reviewStart: r.reviewStart,
    });
    for (const twin of twins) {
      warnings.push(
        canSee(twin.id)
          ? `Review ${twin.id}, "${twin.title}", is of the same area with the same dates: ` +
              'this may be the same report in another format. Discard this import if so.'
          : 'A review of the same area with the same dates is already in Clasp: ' +
              'this may be the same report in another format. Ask its coordinator before going on.',
      );
    }
  }
  // A missing area is among the report's own warnings (review-details.ts).
  if (!draft.review.published)
    warnings.push(
      'No publication date was found, so the plan due date cannot be worked out until the date the report was ' +
        'received is entered.',
    );
  return {
    title: titleOf(draft),
    area: draft.review.area,
    counts: {
      findings: draft.findings.length,
      groups: draft.groups.length,
      recommendations: draft.groups.reduce((n, g) => n + g.recommendations.length, 0),
      pointers: draft.findings.reduce((n, f) => n + f.recommendations.length, 0),
    },
    organisations: matchOrganisations(draft, known),
    lead: leadName(draft),
    received: receivedOn,
    planDue: receivedOn ? planDueDate(receivedOn) : null,
    alreadyImportedAs: already ? (canSee(already.id) ? already : { id: null, title: null }) : null,
    warnings,
  };
}

function titleOf(draft: ReportDraft): string {
  return (
    draft.review.title ??
    (draft.review.area
      ? `${TITLE_START} ${draft.review.area}`
      : 'Review of health services for Children Looked After and Safeguarding')
  );
}

/** A short name for a new organisation: "X Clinical Commissioning Group" is known as "X CCG". */
function shortNameOf(name: string): string {
  const ccg = /^(?:NHS\s+)?(.+?)\s+Clinical Commissioning Group\b/i.exec(name);
  return ccg?.[1] ? `${ccg[1]} CCG` : name;
}

export type ReportImportResult = {
  reviewId: number;
  organisationsAdded: string[];
  counts: ReportPreview['counts'];
};

/**
 * Makes the review, its organisations, findings, groups and recommendations in the caller's
 * transaction. The importer becomes the review's coordinator for the lead organisation.
 */
export async function applyReport(
  trx: Trx,
  draft: ReportDraft,
  o: { sha256: string; received: string | null; who: Importer; now: string },
): Promise<ReportImportResult> {
  // The audit events carry the import's own time, the one its rows are stamped with.
  const at = new Date(o.now);
  const known = await listKnownOrganisations(trx);
  const ids = new Map<string, number>();
  const added: string[] = [];
  for (const org of draft.review.organisations) {
    const found = findKnownOrganisation(known, org.name);
    if (found) {
      ids.set(org.name, found.id);
      continue;
    }
    const id = await insertOrganisation(trx, {
      name: org.name,
      short_name: shortNameOf(org.name),
      kind: org.kind,
      created_at: o.now,
    });
    known.push({ id, name: org.name, short_name: shortNameOf(org.name), kind: org.kind });
    ids.set(org.name, id);
    added.push(org.name);
    await recordAudit(
      trx,
      {
        ...o.who.audit,
        entityType: 'organisation',
        entityId: id,
        action: 'created',
        after: { name: org.name, kind: org.kind, from: 'report import' },
      },
      at,
    );
  }
  const idOf = (name: string): number | null => ids.get(name) ?? null;
  const lead = leadName(draft);
  const leadId = lead ? idOf(lead) : null;
  const r = draft.review;
  const received = o.received ?? r.published;
  const reviewId = await insertReview(trx, {
    source_key: reportSourceKey(o.sha256),
    title: titleOf(draft),
    type: 'CLAS',
    area: r.area ?? '',
    review_start: r.reviewStart,
    review_end: r.reviewEnd,
    report_published: r.published,
    report_received: received,
    inspectors: JSON.stringify(r.inspectors),
    cqc_region: r.cqcRegion,
    nhs_england_area: r.nhsEnglandArea,
    children_cases: r.childrenCases,
    lead_organisation_id: leadId,
    rating_scale: 'BRAG',
    plan_issued: null,
    stale_days: null,
    assessed_as_of: null,
    is_demo: 0,
    illustrative_notice: null,
    created_at: o.now,
    updated_at: o.now,
  });

  const covered = new Set<number>();
  for (const org of r.organisations) {
    const id = idOf(org.name);
    if (id !== null && org.role !== 'addressee') covered.add(id);
  }
  if (leadId !== null) covered.add(leadId);
  await insertReviewOrganisations(
    trx,
    [...covered].map((id) => ({ review_id: reviewId, organisation_id: id })),
  );

  const findingIds = new Map<string, number>();
  for (const [position, f] of draft.findings.entries()) {
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

  const recIds = new Map<string, number>();
  let recPosition = 0;
  for (const [position, g] of draft.groups.entries()) {
    const groupId = await insertGroup(trx, {
      review_id: reviewId,
      number: Number(g.number),
      heading: g.heading,
      position,
    });
    const addressed = [...new Set(g.organisations)].map(idOf).filter((id) => id !== null);
    await insertGroupOrganisations(
      trx,
      addressed.map((id) => ({ group_id: groupId, organisation_id: id })),
    );
    for (const rec of g.recommendations) {
      const id = await insertRecommendation(trx, {
        review_id: reviewId,
        group_id: groupId,
        number: rec.number,
        text: rec.text,
        outcome: '',
        anticipated_evidence: '',
        assurance: '',
        responsible_officer: '',
        position: recPosition++,
      });
      recIds.set(rec.number, id);
    }
  }

  const links: FindingLinkRow[] = [];
  for (const f of draft.findings) {
    const findingId = findingIds.get(f.number);
    for (const number of new Set(f.recommendations)) {
      const recId = recIds.get(number);
      if (findingId === undefined || recId === undefined) continue;
      links.push({ finding_id: findingId, recommendation_id: recId });
    }
  }
  await insertFindingLinks(trx, links);
  const pointers = links.length;

  if (o.who.actor && leadId !== null) {
    const membershipId = await grantMembership(
      trx,
      { userId: o.who.actor.userId, reviewId, organisationId: leadId, role: 'coordinator' },
      o.now,
    );
    await recordAudit(
      trx,
      {
        ...o.who.audit,
        reviewId,
        organisationId: leadId,
        entityType: 'membership',
        entityId: membershipId,
        action: 'created',
        after: { userId: o.who.actor.userId, organisationId: leadId, role: 'coordinator' },
      },
      at,
    );
  }
  const counts = {
    findings: draft.findings.length,
    groups: draft.groups.length,
    recommendations: recIds.size,
    pointers,
  };
  await recordAudit(
    trx,
    {
      ...o.who.audit,
      reviewId,
      entityType: 'review',
      entityId: reviewId,
      action: 'imported',
      after: {
        title: titleOf(draft),
        area: r.area,
        published: r.published,
        received,
        ...counts,
        organisationsAdded: added,
      },
    },
    at,
  );
  return { reviewId, organisationsAdded: added, counts };
}
