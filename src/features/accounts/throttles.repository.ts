import type { Db } from '../../platform/db/database.ts';

/*
 * Throttle windows: one row per throttled key ('email:…', 'ip:…', 'password:…', 'reset-…'), with
 * when its window started and how many attempts were reserved in it (migration
 * 2026-12-06-005-sign-in-throttle).
 */

/**
 * Reserves one attempt under the key and returns how many the window now holds, counting this
 * one. One statement inserts the row, or adds one to it, or starts a new window when the old one
 * began at or before `windowStartsAfter`: the database does it atomically, so requests arriving
 * together (on one instance or many) each get a different count, and no more than the limit can
 * ever see a count within it.
 */
export async function reserveAttempt(
  db: Db,
  key: string,
  nowIso: string,
  windowStartsAfterIso: string,
): Promise<number> {
  const row = await db
    .insertInto('throttles')
    .values({ key, window_started_at: nowIso, attempts: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet((eb) => {
        const expired = eb('throttles.window_started_at', '<=', windowStartsAfterIso);
        return {
          attempts: eb
            .case()
            .when(expired)
            .then(eb.lit(1))
            .else(eb('throttles.attempts', '+', 1))
            .end(),
          window_started_at: eb
            .case()
            .when(expired)
            .then(eb.ref('excluded.window_started_at'))
            .else(eb.ref('throttles.window_started_at'))
            .end(),
        };
      }),
    )
    .returning('attempts')
    .executeTakeFirstOrThrow();
  return row.attempts;
}

/** Gives back an attempt that was reserved but not used (it was refused on another key, or it succeeded). */
export async function releaseAttempt(db: Db, key: string): Promise<void> {
  await db
    .updateTable('throttles')
    .set((eb) => ({ attempts: eb('attempts', '-', 1) }))
    .where('key', '=', key)
    .where('attempts', '>', 0)
    .execute();
}

/** Forgets a key's attempts: after a successful sign-in, the account's failures no longer count. */
export async function clearAttempts(db: Db, key: string): Promise<void> {
  await db.deleteFrom('throttles').where('key', '=', key).execute();
}

/** Drops windows that began before the time given: none of them can refuse anything any more. */
export async function deleteThrottlesBefore(db: Db, beforeIso: string): Promise<void> {
  await db.deleteFrom('throttles').where('window_started_at', '<', beforeIso).execute();
}
