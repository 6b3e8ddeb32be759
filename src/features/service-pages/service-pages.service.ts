import fs from 'node:fs';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config.ts';
import type { Actor } from '../../domain/permissions.ts';
import type { Db, DatabaseHandle } from '../../platform/db/database.ts';
import { checkHealth, type Health } from '../../platform/health.ts';
import { findCoordinatorsOfReviewsOf } from './service-pages.repository.ts';

/*
 * The service's own pages: accessibility, privacy, cookies, help and status. Anyone may read
 * them, signed in or not; only the help page says anything about the person reading it (the
 * coordinators of their own reviews).
 */

export interface ServicePagesContext {
  config: Pick<Config, 'operatorName' | 'contactEmail' | 'sessionIdleMinutes' | 'sessionMaxHours'>;
  db: Db;
  database: DatabaseHandle;
  now: () => Date;
}

/**
 * Clasp's version, from its package.json: two folders above this one both in src/ and in the
 * built dist/, so the same path finds it in either. Read once, when first asked for.
 */
let version: string | null = null;
export function claspVersion(): string {
  if (version === null) {
    const file = new URL('../../../package.json', import.meta.url);
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: unknown };
    version = typeof parsed.version === 'string' ? parsed.version : 'unknown';
  }
  return version;
}

export interface ServiceStatus extends Health {
  version: string;
  /** When the database was asked. */
  checkedAt: Date;
}

/** Whether Clasp can reach its database (the check /health makes), with its version and the time. */
export async function serviceStatus(ctx: ServicePagesContext, log: FastifyBaseLogger): Promise<ServiceStatus> {
  const health = await checkHealth(ctx.database, log);
  return { ...health, version: claspVersion(), checkedAt: ctx.now() };
}

export interface ReviewCoordinators {
  reviewId: number;
  area: string;
  coordinators: { name: string; email: string; isYou: boolean }[];
}

/** For the help page: who coordinates each review the person takes part in; none for someone not signed in. */
export async function coordinatorsFor(ctx: ServicePagesContext, actor: Actor | null): Promise<ReviewCoordinators[]> {
  if (!actor) return [];
  const rows = await findCoordinatorsOfReviewsOf(ctx.db, actor.userId);
  const byReview = new Map<number, ReviewCoordinators>();
  for (const row of rows) {
    const review = byReview.get(row.reviewId) ?? { reviewId: row.reviewId, area: row.area, coordinators: [] };
    review.coordinators.push({ name: row.name, email: row.email, isYou: row.userId === actor.userId });
    byReview.set(row.reviewId, review);
  }
  return [...byReview.values()];
}
