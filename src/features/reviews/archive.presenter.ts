import { formatDate } from '../../domain/dates.ts';
import { reviewCrumbs } from '../../platform/review-paths.ts';
import type { getArchive } from './archive.service.ts';

/* Archived recommendations and actions -> what the archive page shows. */

export function presentArchive(archive: Awaited<ReturnType<typeof getArchive>>) {
  const base = `/reviews/${archive.review.id}`;
  return {
    pageTitle: `Archived recommendations and actions – ${archive.review.area}`,
    area: archive.review.area,
    canRestore: archive.canRestore,
    breadcrumbs: reviewCrumbs(archive.review),
    recommendations: archive.recommendations.map((r) => ({
      number: r.number,
      text: r.text,
      archivedOn: formatDate(r.archived_at),
      restoreAction: `${base}/recommendations/${encodeURIComponent(r.number)}/restore`,
    })),
    actions: archive.actions.map((a) => ({
      href: `${base}/actions/${a.id}`,
      text: a.action_text,
      agency: a.agency_text,
      recommendationNumber: a.recommendation_number,
      archivedOn: formatDate(a.archived_at),
      withRecommendation: a.recommendation_archived_at !== null,
      restoreAction: `${base}/actions/${a.id}/restore`,
    })),
  };
}
