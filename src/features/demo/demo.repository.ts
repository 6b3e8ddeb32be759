import type { Transaction } from 'kysely';
import type { Database, OrganisationKind, RatingValue } from '../../platform/db/schema.ts';

export async function findReviewBySourceKey(trx: Transaction<Database>, key: string) {
  return trx.selectFrom('reviews').select(['id']).where('source_key', '=', key).executeTakeFirst();
}

/** Finds an organisation by its exact name, creating it when there is none. */
export async function ensureOrganisation(
  trx: Transaction<Database>,
  org: { name: string; shortName: string; kind: OrganisationKind },
  now: string,
): Promise<number> {
  const existing = await trx.selectFrom('organisations').select('id').where('name', '=', org.name).executeTakeFirst();
  if (existing) return existing.id;
  const inserted = await trx
    .insertInto('organisations')
    .values({ name: org.name, short_name: org.shortName, kind: org.kind, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

/** Stores file content once per SHA-256: the same file added twice takes no more room. */
export async function storeBlob(
  trx: Transaction<Database>,
  sha256: string,
  content: Uint8Array,
  now: string,
): Promise<void> {
  const existing = await trx.selectFrom('blobs').select('sha256').where('sha256', '=', sha256).executeTakeFirst();
  if (existing) return;
  await trx.insertInto('blobs').values({ sha256, size: content.byteLength, content, created_at: now }).execute();
}

export async function insertProgress(
  trx: Transaction<Database>,
  p: {
    reviewId: number;
    actionId: number;
    on: string;
    text: string;
    author: string;
    proposed: RatingValue | null;
    illustrative: boolean;
  },
  now: string,
): Promise<void> {
  await trx
    .insertInto('progress_updates')
    .values({
      review_id: p.reviewId,
      action_id: p.actionId,
      progress_on: p.on,
      text: p.text,
      author_user_id: null,
      author_name: p.author,
      proposed_rating: p.proposed,
      is_illustrative: p.illustrative ? 1 : 0,
      created_at: now,
    })
    .execute();
}
