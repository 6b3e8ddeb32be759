import type { Db } from '../../platform/db/database.ts';

/** A page of audit events in id order, with every field the chain covers. */
export async function listChainPage(db: Db, afterId: number, limit: number) {
  return db
    .selectFrom('audit_events')
    .select([
      'id',
      'at',
      'actor',
      'user_id',
      'organisation_id',
      'review_id',
      'action_id',
      'entity_type',
      'entity_id',
      'action',
      'before',
      'after',
      'request_id',
      'prev_hash',
      'hash',
    ])
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export type ChainRow = Awaited<ReturnType<typeof listChainPage>>[number];

/** The newest hash writers have linked to. */
export async function findChainHead(db: Db): Promise<string | undefined> {
  const row = await db.selectFrom('audit_chain_head').select('hash').where('id', '=', 1).executeTakeFirst();
  return row?.hash;
}

/** A page of issued versions that hold a frozen snapshot, in id order. */
export async function listFrozenVersionPage(db: Db, afterId: number, limit: number) {
  return db
    .selectFrom('plan_versions')
    .select(['id', 'review_id', 'number', 'snapshot', 'snapshot_sha256'])
    .where('snapshot', 'is not', null)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** The `after` of each version's "issued" audit event, which records the snapshot's hash when issued. */
export async function listVersionIssueEvents(db: Db) {
  return db
    .selectFrom('audit_events')
    .select(['id', 'review_id', 'entity_id', 'after'])
    .where('entity_type', '=', 'plan_version')
    .where('action', '=', 'issued')
    .orderBy('id')
    .execute();
}
