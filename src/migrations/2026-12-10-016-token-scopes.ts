/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen in time and typed loosely on purpose */
import type { Kysely } from 'kysely';

// Frozen once landed: add a new dated migration instead of editing this one.

/*
 * What an API token may do (see docs/api.md, "Tokens").
 *
 * api_tokens.scopes: space-separated, from 'read', 'write' and 'admin'. Tokens made before
 * scopes could do whatever their person could, so they keep all three (the column's default,
 * which Clasp never relies on: it always says which scopes a new token has).
 * api_tokens.expires_at: an ISO instant. Tokens made before this get their creation plus one
 * year, the longest a new token may last; null (never written by Clasp) means no expiry.
 * api_token_reviews: the reviews a token is limited to; no rows means every review its
 * person belongs to.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('api_tokens')
    .addColumn('scopes', 'text', (c) => c.notNull().defaultTo('read write admin'))
    .execute();
  await db.schema.alterTable('api_tokens').addColumn('expires_at', 'text').execute();
  const tokens = await db.selectFrom('api_tokens').select(['id', 'created_at']).execute();
  for (const t of tokens as { id: number; created_at: string }[]) {
    const expires = new Date(t.created_at);
    expires.setUTCFullYear(expires.getUTCFullYear() + 1);
    await db.updateTable('api_tokens').set({ expires_at: expires.toISOString() }).where('id', '=', t.id).execute();
  }
  await db.schema
    .createTable('api_token_reviews')
    .addColumn('token_id', 'integer', (c) => c.notNull().references('api_tokens.id').onDelete('cascade'))
    .addColumn('review_id', 'integer', (c) => c.notNull().references('reviews.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('api_token_reviews_pk', ['token_id', 'review_id'])
    .execute();
}

// Kysely's migrator awaits down(), so the refusal comes back as a rejected promise.
export function down(): Promise<void> {
  return Promise.reject(new Error('This migration cannot be undone: restore from a backup instead.'));
}
