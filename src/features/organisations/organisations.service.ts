import { createHash } from 'node:crypto';
import { NotFoundError } from '../../platform/http/errors.ts';
import type { MemberRole } from '../../platform/db/schema.ts';
import { canCoordinate, type Actor } from '../../domain/permissions.ts';
import { getReview, getReviewPlan, type ReviewsContext } from '../reviews/reviews.service.ts';
import {
  findOrganisationInReview,
  listOrganisationActionTexts,
  listOrganisationPeople,
} from './organisations.repository.ts';

export interface OrganisationPerson {
  name: string;
  role: MemberRole;
  /** Shown to the review's coordinators and to administrators only; null for everyone else. */
  email: string | null;
}

/** The people with roles for the organisation in the review, as this reader may see them. */
export async function getOrganisationPeople(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  organisationId: number,
): Promise<OrganisationPerson[]> {
  const review = await getReview(ctx, actor, reviewId);
  const showEmail = actor.isAdmin || canCoordinate(actor, review.id);
  const rows = await listOrganisationPeople(ctx.db, review.id, organisationId);
  return rows.map((r) => ({ name: r.name, role: r.role, email: showEmail ? r.email : null }));
}

/**
 * A short fingerprint of the people list for the page cache key: names live in the users
 * table, whose changes do not move the review's plan revision.
 */
export function peopleFingerprint(people: OrganisationPerson[]): string {
  return createHash('sha256').update(JSON.stringify(people)).digest('base64url').slice(0, 16);
}

function latest(dates: (string | null)[]): string | null {
  return dates.reduce<string | null>((max, d) => (d !== null && (max === null || d > max) ? d : max), null);
}

/**
 * One organisation's part in a review: its actions and their ratings, its last progress, the
 * exceptions that concern it and its people. Anyone who can read the review can read it; an
 * organisation that takes no part in the review has no page there.
 */
export async function getOrganisationPage(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  organisationId: number,
  knownPeople?: OrganisationPerson[],
) {
  const plan = await getReviewPlan(ctx, actor, reviewId);
  const organisation = await findOrganisationInReview(ctx.db, reviewId, organisationId);
  const lead = plan.review.lead_organisation_id === organisationId;
  if (!organisation || !(organisation.covered || organisation.addressed || organisation.hasActions || lead)) {
    throw new NotFoundError(`Organisation ${organisationId} takes no part in review ${reviewId}`);
  }
  const [texts, people] = await Promise.all([
    listOrganisationActionTexts(ctx.db, reviewId, organisationId),
    knownPeople ?? getOrganisationPeople(ctx, actor, reviewId, organisationId),
  ]);
  const actions = plan.state.actions
    .filter((a) => a.organisationIds.includes(organisationId))
    .map((a) => ({ ...a, text: texts.get(a.id) ?? '', status: plan.analysis.actionStatus.get(a.id) }));
  const actionIds = new Set(actions.map((a) => String(a.id)));
  // Its actions' exceptions, and recommendations addressed to it that it has no action for.
  const exceptions = plan.analysis.exceptions.filter(
    (e) =>
      (e.subject.type === 'action' && actionIds.has(e.subject.id)) ||
      (e.subject.type === 'organisation' && e.subject.id === String(organisationId)),
  );
  const addressedGroups = new Set(
    plan.state.groups.filter((g) => g.organisationIds.includes(organisationId)).map((g) => g.id),
  );
  return {
    ...plan,
    organisation,
    lead,
    actions,
    addressedRecommendations: plan.state.recommendations.filter((r) => addressedGroups.has(r.group_id)),
    rollUp: plan.analysis.rollUp.byOrganisation[String(organisationId)],
    exceptions,
    lastProgressOn: latest(actions.map((a) => a.lastProgressOn)),
    people,
  };
}

export type OrganisationPage = Awaited<ReturnType<typeof getOrganisationPage>>;
