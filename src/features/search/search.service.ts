import { canRead, type Actor } from '../../domain/permissions.ts';
import { formatDate } from '../../domain/dates.ts';
import { actionLabel } from '../../domain/words.ts';
import type { AppContext } from '../context.ts';
import {
  listActionOrganisationNames,
  listAllReviewIds,
  listReviewTitles,
  searchActions,
  searchEvidence,
  searchProgress,
  searchRecommendations,
} from './search.repository.ts';

/*
 * Search within a review, or across every review the person may read: recommendations,
 * actions (by their words, lead or organisation), progress updates and evidence titles.
 */

export const MOST_WORDS = 8;

export interface SearchHit {
  kind: 'recommendation' | 'action' | 'progress' | 'evidence';
  /** Unique among the hits: the kind and the id of what was found (the API pages by it). */
  key: string;
  reviewId: number;
  review: string;
  /** "Recommendation 1.1", "Action 2 of recommendation 2.3", … */
  title: string;
  /** The words found, cut to a readable length. */
  text: string;
  href: string;
}

export interface SearchResult {
  query: string;
  words: string[];
  /** The review searched (and its area), or null for all the person may read. */
  reviewId: number | null;
  reviewArea: string | null;
  hits: SearchHit[];
}

/** The words of a query: at most eight, each at least two characters, duplicates dropped. */
export function wordsOf(query: string): string[] {
  const words = query
    .toLowerCase()
    .split(/\s+/)
    .map((w) => w.trim())
    .filter((w) => w.length >= 2);
  return [...new Set(words)].slice(0, MOST_WORDS);
}

function cut(text: string, most = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > most ? `${flat.slice(0, most - 1).trimEnd()}…` : flat;
}

/** The reviews this person may search: the one asked for if they may read it, else all they may read. */
async function searchable(ctx: AppContext, actor: Actor, reviewId: number | null): Promise<number[]> {
  if (reviewId !== null) return canRead(actor, reviewId) ? [reviewId] : [];
  if (actor.isAdmin) return (await listAllReviewIds(ctx.db)).map((r) => r.id);
  return [...new Set(actor.memberships.map((m) => m.reviewId))];
}

export async function search(
  ctx: AppContext,
  actor: Actor,
  query: string,
  reviewId: number | null,
): Promise<SearchResult> {
  const words = wordsOf(query);
  const reviewIds = await searchable(ctx, actor, reviewId);
  const result: SearchResult = { query: query.trim(), words, reviewId, reviewArea: null, hits: [] };
  if (reviewIds.length === 0) return result;
  const reviews = await listReviewTitles(ctx.db, reviewIds);
  if (reviewId !== null) result.reviewArea = reviews[0]?.area ?? null;
  if (words.length === 0) return result;
  const [recommendations, actions, progress, evidence] = await Promise.all([
    searchRecommendations(ctx.db, reviewIds, words),
    searchActions(ctx.db, reviewIds, words),
    searchProgress(ctx.db, reviewIds, words),
    searchEvidence(ctx.db, reviewIds, words),
  ]);
  const area = new Map(reviews.map((r) => [r.id, r.area]));
  const names = new Map<number, string[]>();
  for (const row of await listActionOrganisationNames(
    ctx.db,
    actions.map((a) => a.id),
  )) {
    names.set(row.action_id, [...(names.get(row.action_id) ?? []), row.name]);
  }
  const base = (id: number) => `/reviews/${id}`;
  result.hits = [
    ...recommendations.map((r) => ({
      kind: 'recommendation' as const,
      key: `recommendation-${r.id}`,
      reviewId: r.review_id,
      review: area.get(r.review_id) ?? '',
      title: `Recommendation ${r.number}`,
      text: cut(r.text),
      href: `${base(r.review_id)}/recommendations/${encodeURIComponent(r.number)}`,
    })),
    ...actions.map((a) => {
      const lead = a.lead_text ? ` Lead: ${a.lead_text}.` : '';
      const orgs = names.get(a.id)?.join(', ');
      return {
        kind: 'action' as const,
        key: `action-${a.id}`,
        reviewId: a.review_id,
        review: area.get(a.review_id) ?? '',
        title: actionLabel(Number(a.earlier) + 1, a.recommendation_number),
        text: cut(`${a.action_text}${lead}${orgs ? ` For ${orgs}.` : ''}`, 260),
        href: `${base(a.review_id)}/actions/${a.id}`,
      };
    }),
    ...progress.map((p) => ({
      kind: 'progress' as const,
      key: `progress-${p.id}`,
      reviewId: p.review_id,
      review: area.get(p.review_id) ?? '',
      title:
        `Progress on ${lowerFirst(actionLabel(Number(p.earlier) + 1, p.number))}, ${formatDate(p.progress_on)}, ` +
        `by ${p.author_name}${Number(p.withdrawn) > 0 ? ' (withdrawn)' : ''}`,
      text: cut(p.text),
      href: `${base(p.review_id)}/actions/${p.action_id}`,
    })),
    ...evidence.map((e) => ({
      kind: 'evidence' as const,
      key: `evidence-${e.id}`,
      reviewId: e.review_id,
      review: area.get(e.review_id) ?? '',
      title:
        `Evidence for ${lowerFirst(actionLabel(Number(e.earlier) + 1, e.number))} ` +
        `(${Number(e.withdrawn) > 0 ? 'withdrawn' : e.status})`,
      text: cut(e.title),
      href: `${base(e.review_id)}/actions/${e.action_id}`,
    })),
  ];
  return result;
}

/** "Action 2 of …" as it reads inside a sentence: "action 2 of …". */
function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
