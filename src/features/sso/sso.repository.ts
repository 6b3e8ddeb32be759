import type { Db } from '../../platform/db/database.ts';
import type { SignInDomainTable } from '../../platform/db/schema-sso.ts';

/* Single sign-on's tables: sign-ins in flight, linked identities, domain mappings, sessions' ID tokens. */

export async function insertAttempt(
  db: Db,
  row: {
    state_hash: string;
    nonce: string;
    code_verifier: string;
    return_to: string;
    created_at: string;
    expires_at: string;
  },
): Promise<void> {
  await db.insertInto('sso_attempts').values(row).execute();
}

/** Takes a sign-in in flight: it is deleted as it is read, so a state is used once only. */
export async function takeAttempt(db: Db, stateHash: string) {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('sso_attempts').selectAll().where('state_hash', '=', stateHash).executeTakeFirst();
    if (!row) return undefined;
    const deleted = await trx.deleteFrom('sso_attempts').where('state_hash', '=', stateHash).executeTakeFirst();
    return Number(deleted.numDeletedRows) === 1 ? row : undefined;
  });
}

export async function deleteAttemptsExpiredBy(db: Db, nowIso: string): Promise<void> {
  await db.deleteFrom('sso_attempts').where('expires_at', '<', nowIso).execute();
}

const userColumns = ['users.id', 'users.name', 'users.email', 'users.disabled_at'] as const;

export function findUserByIdentity(db: Db, issuer: string, subject: string) {
  return db
    .selectFrom('sso_identities')
    .innerJoin('users', 'users.id', 'sso_identities.user_id')
    .select(userColumns)
    .where('sso_identities.issuer', '=', issuer)
    .where('sso_identities.subject', '=', subject)
    .executeTakeFirst();
}

export function findUserByEmailAddress(db: Db, email: string) {
  return db.selectFrom('users').select(userColumns).where('users.email', '=', email).executeTakeFirst();
}

export async function insertIdentity(
  db: Db,
  row: { user_id: number; issuer: string; subject: string; linked_at: string },
): Promise<void> {
  await db.insertInto('sso_identities').values(row).execute();
}

export async function insertUser(db: Db, row: { email: string; name: string; created_at: string }): Promise<number> {
  const inserted = await db
    .insertInto('users')
    .values({ ...row, password_hash: null, is_admin: 0, disabled_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export async function insertSsoSession(
  db: Db,
  row: { session_id: string; issuer: string; id_token: string; created_at: string },
): Promise<void> {
  await db.insertInto('sso_sessions').values(row).execute();
}

/** A session's ID token, taken as the session ends (the row is deleted). */
export async function takeSsoSession(db: Db, sessionId: string) {
  const row = await db.selectFrom('sso_sessions').selectAll().where('session_id', '=', sessionId).executeTakeFirst();
  if (row) await db.deleteFrom('sso_sessions').where('session_id', '=', sessionId).execute();
  return row;
}

/* Domain mappings */

export function listMappings(db: Db) {
  return db
    .selectFrom('sign_in_domains')
    .innerJoin('organisations', 'organisations.id', 'sign_in_domains.organisation_id')
    .selectAll('sign_in_domains')
    .select(['organisations.name as organisation_name'])
    .orderBy('sign_in_domains.kind', 'desc')
    .orderBy('sign_in_domains.value')
    .execute();
}

export type MappingRow = Awaited<ReturnType<typeof listMappings>>[number];

export function findMapping(db: Db, id: number) {
  return db
    .selectFrom('sign_in_domains')
    .innerJoin('organisations', 'organisations.id', 'sign_in_domains.organisation_id')
    .selectAll('sign_in_domains')
    .select(['organisations.name as organisation_name'])
    .where('sign_in_domains.id', '=', id)
    .executeTakeFirst();
}

export function findMappingFor(db: Db, kind: 'domain' | 'claim', value: string) {
  return db
    .selectFrom('sign_in_domains')
    .selectAll()
    .where('kind', '=', kind)
    .where('value', '=', value)
    .executeTakeFirst();
}

type MappingFields = Pick<SignInDomainTable, 'kind' | 'value' | 'organisation_id' | 'may_join' | 'require_sso'>;

export async function insertMapping(db: Db, row: MappingFields & { created_at: string }): Promise<number> {
  const inserted = await db
    .insertInto('sign_in_domains')
    .values({ ...row, updated_at: row.created_at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export async function updateMapping(db: Db, id: number, row: MappingFields & { updated_at: string }): Promise<void> {
  await db.updateTable('sign_in_domains').set(row).where('id', '=', id).execute();
}

export async function deleteMapping(db: Db, id: number): Promise<void> {
  await db.deleteFrom('sign_in_domains').where('id', '=', id).execute();
}

export function listOrganisationChoices(db: Db) {
  return db.selectFrom('organisations').select(['id', 'name']).orderBy('name').execute();
}
