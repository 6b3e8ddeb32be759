import type { Db } from '../../src/platform/db/database.ts';
import type { MemberRole } from '../../src/platform/db/schema.ts';

/*
 * The walk through every page a person can reach, for the checks at a desktop and a phone width
 * (widths.test.ts): which pages, with real ids from the demo database, and what is measured in
 * each. The list follows the route map in docs/ARCHITECTURE.md (npm run routes:doc): every GET
 * that answers with a page, leaving out downloads (documents, CSV, evidence files), JSON (/api,
 * /health) and files (/assets, /static). The page objects of the same pages are in pages/.
 */

/** Who opens a page: a member of the demo review with a role, a system administrator, or nobody signed in. */
export type Walker = MemberRole | 'administrator' | 'nobody';

export interface WalkedPage {
  path: string;
  as: Walker;
  /** One of the four pages people read most, also checked at 390 pixels. */
  key?: boolean;
}

/** Real ids and numbers of the demo review's records, so that each page opens on something. */
export interface DemoIds {
  reviewId: number;
  /** The recommendation with the most actions (its action table is the widest). */
  recommendation: string;
  /** The action with the most progress, evidence and rating history. */
  action: number;
  finding: string;
  group: number;
  organisation: number;
  meeting: number | null;
  question: number | null;
  evidence: number;
  progress: number;
  version: string | null;
  user: number;
}

/** The number of the demo review's recommendation with the most actions. */
export async function busiestRecommendation(db: Db, reviewId: number): Promise<string> {
  const row = await db
    .selectFrom('recommendations')
    .innerJoin('actions', 'actions.recommendation_id', 'recommendations.id')
    .select(['recommendations.number', db.fn.countAll<number>().as('actions')])
    .where('recommendations.review_id', '=', reviewId)
    .where('recommendations.archived_at', 'is', null)
    .groupBy(['recommendations.id', 'recommendations.number'])
    .orderBy('actions', 'desc')
    .orderBy('recommendations.id')
    .executeTakeFirstOrThrow();
  return row.number;
}

/** The id of the demo review's action with the most progress updates, then rating events. */
export async function busiestAction(db: Db, reviewId: number): Promise<number> {
  const row = await db
    .selectFrom('actions')
    .leftJoin('progress_updates', 'progress_updates.action_id', 'actions.id')
    .select(['actions.id', db.fn.count<number>('progress_updates.id').as('updates')])
    .where('actions.review_id', '=', reviewId)
    .where('actions.archived_at', 'is', null)
    .groupBy('actions.id')
    .orderBy('updates', 'desc')
    .orderBy('actions.id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function demoIds(db: Db, reviewId: number): Promise<DemoIds> {
  const first = async <T>(query: Promise<T | undefined>): Promise<T> => {
    const found = await query;
    if (found === undefined) throw new Error('the demo review lacks a record the walk opens');
    return found;
  };
  const action = await busiestAction(db, reviewId);
  return {
    reviewId,
    recommendation: await busiestRecommendation(db, reviewId),
    action,
    finding: (
      await first(
        db.selectFrom('findings').select('number').where('review_id', '=', reviewId).orderBy('id').executeTakeFirst(),
      )
    ).number,
    group: (
      await first(
        db
          .selectFrom('recommendation_groups')
          .select('id')
          .where('review_id', '=', reviewId)
          .orderBy('id')
          .executeTakeFirst(),
      )
    ).id,
    organisation: (
      await first(
        db
          .selectFrom('review_organisations')
          .select('organisation_id')
          .where('review_id', '=', reviewId)
          .orderBy('organisation_id')
          .executeTakeFirst(),
      )
    ).organisation_id,
    meeting:
      (await db.selectFrom('meetings').select('id').where('review_id', '=', reviewId).orderBy('id').executeTakeFirst())
        ?.id ?? null,
    question:
      (await db.selectFrom('questions').select('id').where('review_id', '=', reviewId).orderBy('id').executeTakeFirst())
        ?.id ?? null,
    evidence: (
      await first(
        db.selectFrom('evidence_items').select('id').where('review_id', '=', reviewId).orderBy('id').executeTakeFirst(),
      )
    ).id,
    progress: (
      await first(
        db
          .selectFrom('progress_updates')
          .select('id')
          .where('review_id', '=', reviewId)
          .orderBy('id', 'desc')
          .executeTakeFirst(),
      )
    ).id,
    version:
      (
        await db
          .selectFrom('plan_versions')
          .select('number')
          .where('review_id', '=', reviewId)
          .orderBy('id', 'desc')
          .executeTakeFirst()
      )?.number ?? null,
    user: (await first(db.selectFrom('users').select('id').orderBy('id').executeTakeFirst())).id,
  };
}

/**
 * The pages read most (the review's overview, a recommendation, an action), as each other role
 * sees them: what a page offers changes with the role, and no heading may be left with nothing
 * under it ("Manage this plan" for an editor).
 */
export function pagesForEveryRole(ids: DemoIds): WalkedPage[] {
  const review = `/reviews/${ids.reviewId}`;
  const paths = [
    review,
    `${review}/recommendations/${encodeURIComponent(ids.recommendation)}`,
    `${review}/actions/${ids.action}`,
  ];
  const roles: Walker[] = ['viewer', 'editor', 'reviewer'];
  return roles.flatMap((as) => paths.map((path) => ({ path, as })));
}

/** Every page to walk, in the order walked: signed out, then the coordinator's, then the administrator's. */
export function pagesToWalk(ids: DemoIds): WalkedPage[] {
  const review = `/reviews/${ids.reviewId}`;
  const recommendation = `${review}/recommendations/${encodeURIComponent(ids.recommendation)}`;
  const action = `${review}/actions/${ids.action}`;
  const finding = `${review}/findings/${encodeURIComponent(ids.finding)}`;
  const c = (path: string, extra: Partial<WalkedPage> = {}): WalkedPage => ({ path, as: 'coordinator', ...extra });
  const pages: WalkedPage[] = [
    { path: '/sign-in', as: 'nobody' },
    { path: '/forgot-password', as: 'nobody' },
    // Pages of the service's furniture, added alongside this walk: required once they have landed.
    { path: '/accessibility', as: 'nobody' },
    { path: '/privacy', as: 'nobody' },
    { path: '/cookies', as: 'nobody' },
    { path: '/help', as: 'nobody' },
    { path: '/status', as: 'nobody' },
    { path: '/signed-out', as: 'nobody' },

    c('/reviews'),
    c('/reviews/new'),
    c('/reviews/import'),
    c('/my-work'),
    c('/search'),
    c('/search?q=safeguarding+training'),
    c('/account'),
    c('/account/two-step'),
    c('/api'),
    c('/sign-out'),

    c(review, { key: true }),
    c(`${review}?kind=overdue#exceptions`),
    c(`${review}/edit`),
    c(`${review}/archived`),
    c(`${review}/audit`),
    c(`${review}/chase-list`),
    c(`${review}/members`),
    c(`${review}/reminders`),
    c(`${review}/import`),
    c(`${review}/organisations/${ids.organisation}`),
    c(`${review}/groups/new`),
    c(`${review}/groups/${ids.group}/edit`),
    c(`${review}/findings`),
    c(`${review}/findings/new`),
    c(finding),
    c(`${finding}/edit`),
    c(`${review}/recommendations/new`),
    c(recommendation, { key: true }),
    c(`${recommendation}/edit`),
    c(`${recommendation}/archive`),
    c(`${recommendation}/actions/new`),
    c(action, { key: true }),
    c(`${action}/edit`),
    c(`${action}/archive`),
    c(`${action}/assignment`),
    c(`${action}/due-date`),
    c(`${action}/history`),
    c(`${action}/progress/new`),
    c(`${action}/evidence/new`),
    c(`${action}/rating`),
    c(`${review}/evidence/${ids.evidence}/decision`),
    c(`${review}/progress/${ids.progress}/withdraw`),
    c(`${review}/versions`),
    c(`${review}/versions/new`),
    ...(ids.version ? [c(`${review}/versions/${encodeURIComponent(ids.version)}`)] : []),
    ...(ids.version ? [c(`${review}/compare?from=${encodeURIComponent(ids.version)}&to=now`)] : []),
    c(`${review}/documents/board-report/html`, { key: true }),
    c(`${review}/meetings`),
    c(`${review}/meetings/new`),
    ...(ids.meeting ? [c(`${review}/meetings/${ids.meeting}`)] : []),
    c(`${review}/questions`),
    c(`${review}/questions/new`),
    ...(ids.question ? [c(`${review}/questions/${ids.question}`)] : []),

    { path: '/admin', as: 'administrator' },
    { path: '/admin/users', as: 'administrator' },
    { path: '/admin/users/new', as: 'administrator' },
    { path: `/admin/users/${ids.user}`, as: 'administrator' },
    { path: '/admin/organisations', as: 'administrator' },
    { path: '/admin/organisations/new', as: 'administrator' },
    { path: `/admin/organisations/${ids.organisation}/edit`, as: 'administrator' },
    { path: '/admin/security-events', as: 'administrator' },
  ];
  return pages;
}
