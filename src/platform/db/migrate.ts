import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { DatabaseHandle } from './database.ts';
import * as planModel from '../../migrations/2026-11-23-001-plan-model.ts';
import * as peopleAndEditing from '../../migrations/2026-11-23-002-people-and-editing.ts';
import * as imports from '../../migrations/2026-11-30-003-imports.ts';
import * as planRevisionOnce from '../../migrations/2026-11-30-004-plan-revision-once-per-transaction.ts';
import * as signInThrottle from '../../migrations/2026-12-06-005-sign-in-throttle.ts';
import * as historyLocked from '../../migrations/2026-12-06-006-history-locked.ts';
import * as secondFactor from '../../migrations/2026-12-07-007-second-factor.ts';
import * as keptForms from '../../migrations/2026-12-07-008-kept-forms.ts';
import * as ratingEffectiveDate from '../../migrations/2026-12-07-009-rating-effective-date.ts';
import * as dueDateChanges from '../../migrations/2026-12-07-010-due-date-changes.ts';
import * as reminders from '../../migrations/2026-12-07-011-reminders.ts';
import * as withdrawals from '../../migrations/2026-12-07-012-withdrawals.ts';
import * as meetingsAndQuestions from '../../migrations/2026-12-08-014-meetings-and-questions.ts';
import * as safeImports from '../../migrations/2026-12-09-015-safe-imports.ts';
import * as illustrativeReminders from '../../migrations/2026-12-07-013-illustrative-reminders.ts';
import * as tokenScopes from '../../migrations/2026-12-10-016-token-scopes.ts';
import * as singleSignOn from '../../migrations/2026-12-10-017-single-sign-on.ts';
import * as sessionChanges from '../../migrations/2026-12-11-018-session-changes.ts';

// Listed by hand, in order, so the built app and tsx run the same set with no directory scan.
const migrations: Record<string, Migration> = {
  '2026-11-23-001-plan-model': planModel,
  '2026-11-23-002-people-and-editing': peopleAndEditing,
  '2026-11-30-003-imports': imports,
  '2026-11-30-004-plan-revision-once-per-transaction': planRevisionOnce,
  '2026-12-06-005-sign-in-throttle': signInThrottle,
  '2026-12-06-006-history-locked': historyLocked,
  '2026-12-07-007-second-factor': secondFactor,
  '2026-12-07-008-kept-forms': keptForms,
  '2026-12-07-009-rating-effective-date': ratingEffectiveDate,
  '2026-12-07-010-due-date-changes': dueDateChanges,
  '2026-12-07-011-reminders': reminders,
  '2026-12-07-012-withdrawals': withdrawals,
  '2026-12-07-013-illustrative-reminders': illustrativeReminders,
  '2026-12-08-014-meetings-and-questions': meetingsAndQuestions,
  '2026-12-09-015-safe-imports': safeImports,
  '2026-12-10-016-token-scopes': tokenScopes,
  '2026-12-10-017-single-sign-on': singleSignOn,
  '2026-12-11-018-session-changes': sessionChanges,
};

const provider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};

export class MigrationError extends Error {}

/** Brings the database up to date; throws a MigrationError naming the database and the failing step. */
export async function migrateToLatest(handle: DatabaseHandle): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db: handle.db,
    provider,
    ...(handle.schema ? { migrationTableSchema: handle.schema } : {}),
  });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'an unknown step';
    throw new MigrationError(
      `Could not migrate the database ${handle.location} (step ${failed}): ${describeError(result.error)}`,
    );
  }
  return result;
}

/** What went wrong, as text: an Error's message, or whatever else was thrown, converted to a string. */
function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
