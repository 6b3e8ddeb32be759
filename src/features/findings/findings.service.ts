import { NotFoundError } from '../../platform/http/errors.ts';
import { getReview, type ReviewsContext } from '../reviews/reviews.service.ts';
import type { Actor } from '../../domain/permissions.ts';
import {
  findFindingByNumber,
  listFindingLinks,
  listFindings,
  listRecommendationsOfFinding,
} from './findings.repository.ts';

export async function getFindingsList(ctx: ReviewsContext, actor: Actor, reviewId: number) {
  const review = await getReview(ctx, actor, reviewId);
  const [findings, links] = await Promise.all([listFindings(ctx.db, reviewId), listFindingLinks(ctx.db, reviewId)]);
  const numbersByFinding = new Map<number, string[]>();
  for (const link of links)
    numbersByFinding.set(link.finding_id, [...(numbersByFinding.get(link.finding_id) ?? []), link.number]);
  return { review, findings: findings.map((f) => ({ ...f, recommendations: numbersByFinding.get(f.id) ?? [] })) };
}

export async function getFinding(ctx: ReviewsContext, actor: Actor, reviewId: number, number: string) {
  const review = await getReview(ctx, actor, reviewId);
  const finding = await findFindingByNumber(ctx.db, reviewId, number);
  if (!finding) throw new NotFoundError(`Review ${reviewId} has no finding ${number}`);
  const recommendations = await listRecommendationsOfFinding(ctx.db, finding.id);
  return { review, finding, recommendations };
}
