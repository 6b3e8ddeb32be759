// People for the generated data set (bench/generate.ts makes plans, not people): the members
// a running plan has, so that My work and the reminder run have someone to work for.
//
// Per review: an editor for each organisation with actions in it, two reviewers (the peer
// challenge group's assurance) and a coordinator, all for the lead organisation but the
// editors. Each person chooses how they get reminders: about 70 % as they happen (no row),
// 20 % in a weekly digest, 10 % not at all, from a seeded PRNG, so every run gets the same.
//
// One more person works across five reviews, as a designated nurse of an ICB shared by three
// areas might: editor for the ICB in reviews 1–3, coordinator of review 1, reviewer in
// reviews 3–5. Their My work is the page the bench measures.
import type { Insertable } from 'kysely';
import type { Db } from '../src/platform/db/database.ts';
import type { Database, MemberRole } from '../src/platform/db/schema.ts';
import { pick, seededRandom, weighted } from './random.ts';

const CREATED = '2026-01-05T09:00:00.000Z';
const FIRST_NAMES = ['Alex', 'Bola', 'Chris', 'Dana', 'Eli', 'Fran', 'Gita', 'Hari', 'Ines', 'Jo', 'Kemi', 'Lee'];
const LAST_NAMES = ['Adams', 'Begum', 'Carter', 'Dias', 'Evans', 'Fisher', 'Green', 'Hussain', 'Iqbal', 'Jones'];

export interface MyWorkPerson {
  userId: number;
  name: string;
  /** Each review the person is a member of, with their roles in it. */
  reviews: { reviewId: number; roles: MemberRole[] }[];
}

export interface GeneratedPeople {
  users: number;
  memberships: number;
  preferences: { immediately: number; weekly: number; off: number };
  myWork: MyWorkPerson;
}

type Choice = 'immediately' | 'weekly' | 'off';

async function insertBatches<T extends keyof Database>(
  db: Db,
  table: T,
  rows: Insertable<Database[T]>[],
  perStatement: number,
): Promise<void> {
  for (let i = 0; i < rows.length; i += perStatement) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + perStatement))
      .execute();
  }
}

/** Adds the members of every generated review. The database holds the generated plans and no people but the bench's. */
export async function addPeople(db: Db, seed = 20261207): Promise<GeneratedPeople> {
  const rnd = seededRandom(seed);
  const reviews = await db.selectFrom('reviews').select(['id', 'lead_organisation_id']).orderBy('id').execute();
  const acting = await db
    .selectFrom('action_organisations as ao')
    .innerJoin('actions as a', 'a.id', 'ao.action_id')
    .select(['a.review_id', 'ao.organisation_id'])
    .distinct()
    .orderBy('a.review_id')
    .orderBy('ao.organisation_id')
    .execute();
  const actingByReview = new Map<number, number[]>();
  for (const row of acting) {
    const list = actingByReview.get(row.review_id) ?? [];
    list.push(row.organisation_id);
    actingByReview.set(row.review_id, list);
  }

  const people: { email: string; name: string; choice: Choice }[] = [];
  const memberships: { person: number; reviewId: number; organisationId: number; role: MemberRole }[] = [];
  const newPerson = (email: string, choice?: Choice, name = `${pick(rnd, FIRST_NAMES)} ${pick(rnd, LAST_NAMES)}`) => {
    people.push({
      email,
      name,
      choice:
        choice ??
        weighted<Choice>(rnd, [
          ['immediately', 70],
          ['weekly', 20],
          ['off', 10],
        ]),
    });
    return people.length - 1;
  };

  for (const review of reviews) {
    const lead = review.lead_organisation_id;
    if (lead === null) throw new Error(`Review ${review.id} has no lead organisation`);
    for (const organisationId of actingByReview.get(review.id) ?? []) {
      const person = newPerson(`editor.r${review.id}.o${organisationId}@example.nhs.uk`);
      memberships.push({ person, reviewId: review.id, organisationId, role: 'editor' });
    }
    for (const n of [1, 2]) {
      const person = newPerson(`reviewer${n}.r${review.id}@example.nhs.uk`);
      memberships.push({ person, reviewId: review.id, organisationId: lead, role: 'reviewer' });
    }
    const coordinator = newPerson(`coordinator.r${review.id}@example.nhs.uk`);
    memberships.push({ person: coordinator, reviewId: review.id, organisationId: lead, role: 'coordinator' });
  }

  // The person whose My work is measured.
  const leadOf = new Map(reviews.map((r) => [r.id, r.lead_organisation_id as number]));
  const roles: [number, MemberRole][] = [
    [1, 'editor'],
    [1, 'coordinator'],
    [2, 'editor'],
    [3, 'editor'],
    [3, 'reviewer'],
    [4, 'reviewer'],
    [5, 'reviewer'],
  ];
  if (roles.some(([reviewId]) => !leadOf.has(reviewId))) throw new Error('My work needs at least 5 reviews');
  const nurseName = 'Sam Okoro';
  const nurse = newPerson('designated.nurse@example.nhs.uk', 'immediately', nurseName);
  for (const [reviewId, role] of roles)
    memberships.push({ person: nurse, reviewId, organisationId: leadOf.get(reviewId) as number, role });

  await insertBatches(
    db,
    'users',
    people.map((p) => ({
      email: p.email,
      name: p.name,
      password_hash: null,
      is_admin: 0,
      created_at: CREATED,
      disabled_at: null,
    })),
    500,
  );
  // Ids by email: neither database promises `returning` keeps the order of the values.
  const idByEmail = new Map(
    (await db.selectFrom('users').select(['id', 'email']).execute()).map((u) => [u.email, u.id] as const),
  );
  const userId = (person: number) => {
    const id = idByEmail.get((people[person] as { email: string }).email);
    if (id === undefined) throw new Error('A generated person was not written');
    return id;
  };
  await insertBatches(
    db,
    'memberships',
    memberships.map((m) => ({
      user_id: userId(m.person),
      review_id: m.reviewId,
      organisation_id: m.organisationId,
      role: m.role,
      created_at: CREATED,
    })),
    500,
  );
  const chosen = people.flatMap((p, i) =>
    p.choice === 'immediately' ? [] : [{ user_id: userId(i), choice: p.choice, updated_at: CREATED }],
  );
  await insertBatches(db, 'reminder_preferences', chosen, 500);

  const count = (choice: Choice) => people.filter((p) => p.choice === choice).length;
  const byReview = new Map<number, MemberRole[]>();
  for (const [reviewId, role] of roles) byReview.set(reviewId, [...(byReview.get(reviewId) ?? []), role]);
  return {
    users: people.length,
    memberships: memberships.length,
    preferences: { immediately: count('immediately'), weekly: count('weekly'), off: count('off') },
    myWork: {
      userId: userId(nurse),
      name: nurseName,
      reviews: [...byReview].map(([reviewId, r]) => ({ reviewId, roles: r })),
    },
  };
}
