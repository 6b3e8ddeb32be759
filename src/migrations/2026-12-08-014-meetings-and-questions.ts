/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen in time and typed loosely on purpose */
import { PostgresAdapter, sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';

// Frozen once landed: add a new dated migration instead of editing this one.

/*
 * Meetings, questions, lasting assurance and accepted assignments (issue 14).
 *
 * meetings: a meeting of the peer challenge group, a board or a panel, for one review.
 * - forum: 'peer_challenge', 'health_wellbeing_board', 'safeguarding_partnership',
 *   'scrutiny_panel' or 'other'. starts_at is the local (London) date and time, 'YYYY-MM-DDTHH:MM'.
 * - minutes_status: 'none' until the minutes are drafted, 'draft', then 'approved' at a later
 *   meeting (minutes_approved_meeting_id). Approved minutes are frozen: minutes_snapshot holds
 *   the record as approved (JSON) and minutes_sha256 its digest, like an issued version.
 * meeting_attendees: who was invited (members of the review or guests) and whether they came.
 * meeting_items: the agenda, in order. Proposed items name what waits (evidence, a rating, a
 *   revised date, an exception, a question); added items have only a title. removed_at keeps
 *   a removed item out of the agenda without losing it; outcome is 'open', 'decided',
 *   'deferred' or 'noted'.
 * meeting_requests: more evidence asked of an action's lead by a date: My work and reminders.
 *
 * Decisions record the meeting that took them: rating_events.meeting_id,
 * rating_challenges.meeting_id, due_date_changes.meeting_id, evidence_items.status_meeting_id.
 * Null is a decision made outside a meeting, on the action's own forms.
 *
 * questions: a question asked by a board or scrutiny panel about the review, a recommendation
 *   or an action; its response is drafted by the organisation responsible ('draft') and
 *   published once the coordinator approves it ('published', published_on).
 *
 * actions.sustain_how and actions.reassurance_due_on: how a completed action's effect will be
 *   shown to last, and the day by which fresh accepted evidence is due.
 * action_organisations.assigned_at: when the organisation was given the action. Rows already here
 *   stay null: they were assigned before organisations were asked to accept, so nobody is chased
 *   to accept a plan they have been working to.
 * assignment_responses: each organisation's answer to an action assigned to it, accepted or
 *   disputed with a reason; the latest answer counts. Never changed or deleted.
 *
 * reviews.meeting_quorum (members present for a quorum), question_days (a question unanswered
 * this long is an exception) and assignment_days (an assignment unaccepted this long is one):
 * null means Clasp's default.
 */

const ID =
  (pg: boolean) =>
  (c: ColumnDefinitionBuilder): ColumnDefinitionBuilder =>
    pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement();

/** Each change to these rows changes what the plan's pages show: bump the review's plan_revision. */
const BUMPING: { table: string; events: ('insert' | 'update' | 'delete')[] }[] = [
  { table: 'meetings', events: ['insert', 'update', 'delete'] },
  { table: 'meeting_items', events: ['insert', 'update', 'delete'] },
  { table: 'meeting_requests', events: ['insert', 'update'] },
  { table: 'questions', events: ['insert', 'update'] },
  { table: 'assignment_responses', events: ['insert'] },
];

function reviewOf(table: string, row: 'new' | 'old'): string {
  return table === 'meeting_items'
    ? `(select review_id from meetings where id = ${row}.meeting_id)`
    : `${row}.review_id`;
}

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;

  await db.schema
    .createTable('meetings')
    .addColumn('id', 'integer', ID(pg))
    .addColumn('review_id', 'integer', (c) => c.notNull().references('reviews.id').onDelete('cascade'))
    .addColumn('forum', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('place', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('minutes_status', 'text', (c) => c.notNull().defaultTo('none'))
    .addColumn('minutes_approved_meeting_id', 'integer', (c) => c.references('meetings.id'))
    .addColumn('minutes_approved_at', 'text')
    .addColumn('minutes_snapshot', 'text')
    .addColumn('minutes_sha256', 'text')
    .addColumn('agenda_sent_at', 'text')
    .addColumn('is_illustrative', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addCheckConstraint(
      'meetings_forum',
      sql`forum in ('peer_challenge', 'health_wellbeing_board', 'safeguarding_partnership', 'scrutiny_panel', 'other')`,
    )
    .addCheckConstraint('meetings_minutes_status', sql`minutes_status in ('none', 'draft', 'approved')`)
    .execute();
  await db.schema.createIndex('meetings_review').on('meetings').columns(['review_id', 'starts_at']).execute();

  await db.schema
    .createTable('meeting_attendees')
    .addColumn('id', 'integer', ID(pg))
    .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('organisation_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('attendance', 'text', (c) => c.notNull().defaultTo('invited'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('meeting_attendees_role', sql`role in ('member', 'guest')`)
    .addCheckConstraint(
      'meeting_attendees_attendance',
      sql`attendance in ('invited', 'present', 'apologies', 'absent')`,
    )
    .execute();
  await db.schema
    .createIndex('meeting_attendees_meeting')
    .on('meeting_attendees')
    .columns(['meeting_id', 'id'])
    .execute();

  await db.schema
    .createTable('meeting_items')
    .addColumn('id', 'integer', ID(pg))
    .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('action_id', 'integer', (c) => c.references('actions.id'))
    .addColumn('evidence_item_id', 'integer', (c) => c.references('evidence_items.id'))
    .addColumn('question_id', 'integer')
    .addColumn('organisation_id', 'integer', (c) => c.references('organisations.id'))
    .addColumn('title', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('outcome', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('outcome_note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('removed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint(
      'meeting_items_kind',
      sql`kind in ('evidence', 'rating', 'due_date', 'exception', 'question', 'minutes', 'other')`,
    )
    .addCheckConstraint('meeting_items_outcome', sql`outcome in ('open', 'decided', 'deferred', 'noted')`)
    .execute();
  await db.schema
    .createIndex('meeting_items_meeting')
    .on('meeting_items')
    .columns(['meeting_id', 'position'])
    .execute();

  await db.schema
    .createTable('meeting_requests')
    .addColumn('id', 'integer', ID(pg))
    .addColumn('review_id', 'integer', (c) => c.notNull().references('reviews.id').onDelete('cascade'))
    .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meetings.id'))
    .addColumn('action_id', 'integer', (c) => c.notNull().references('actions.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('owner_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('owner_name', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('closed_at', 'text')
    .addColumn('closed_by_name', 'text')
    .addColumn('created_by_name', 'text', (c) => c.notNull())
    .addColumn('is_illustrative', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('meeting_requests_status', sql`status in ('open', 'met', 'closed')`)
    .execute();
  await db.schema
    .createIndex('meeting_requests_review')
    .on('meeting_requests')
    .columns(['review_id', 'status'])
    .execute();
  await db.schema.createIndex('meeting_requests_action').on('meeting_requests').column('action_id').execute();

  for (const table of ['rating_events', 'rating_challenges', 'due_date_changes']) {
    await db.schema
      .alterTable(table)
      .addColumn('meeting_id', 'integer', (c) => c.references('meetings.id'))
      .execute();
  }
  await db.schema
    .alterTable('evidence_items')
    .addColumn('status_meeting_id', 'integer', (c) => c.references('meetings.id'))
    .execute();

  await db.schema
    .createTable('questions')
    .addColumn('id', 'integer', ID(pg))
    .addColumn('review_id', 'integer', (c) => c.notNull().references('reviews.id').onDelete('cascade'))
    .addColumn('recommendation_id', 'integer', (c) => c.references('recommendations.id'))
    .addColumn('action_id', 'integer', (c) => c.references('actions.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('asked_by', 'text', (c) => c.notNull())
    .addColumn('forum', 'text', (c) => c.notNull())
    .addColumn('meeting_id', 'integer', (c) => c.references('meetings.id'))
    .addColumn('meeting_words', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('asked_on', 'text', (c) => c.notNull())
    .addColumn('organisation_id', 'integer', (c) => c.references('organisations.id'))
    .addColumn('recorded_by_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('recorded_by_name', 'text', (c) => c.notNull())
    .addColumn('response_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('response_status', 'text', (c) => c.notNull().defaultTo('none'))
    .addColumn('response_by_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('response_by_name', 'text')
    .addColumn('response_at', 'text')
    .addColumn('approved_by_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('approved_by_name', 'text')
    .addColumn('published_on', 'text')
    .addColumn('is_illustrative', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addCheckConstraint(
      'questions_forum',
      sql`forum in ('peer_challenge', 'health_wellbeing_board', 'safeguarding_partnership', 'scrutiny_panel', 'other')`,
    )
    .addCheckConstraint('questions_response_status', sql`response_status in ('none', 'draft', 'published')`)
    .execute();
  await db.schema.createIndex('questions_review').on('questions').columns(['review_id', 'asked_on']).execute();

  await db.schema
    .alterTable('actions')
    .addColumn('sustain_how', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.alterTable('actions').addColumn('reassurance_due_on', 'text').execute();
  await db.schema.alterTable('action_organisations').addColumn('assigned_at', 'text').execute();

  await db.schema
    .createTable('assignment_responses')
    .addColumn('id', 'integer', ID(pg))
    .addColumn('review_id', 'integer', (c) => c.notNull().references('reviews.id').onDelete('cascade'))
    .addColumn('action_id', 'integer', (c) => c.notNull().references('actions.id').onDelete('cascade'))
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('is_illustrative', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('assignment_responses_response', sql`response in ('accepted', 'disputed')`)
    .execute();
  await db.schema
    .createIndex('assignment_responses_action')
    .on('assignment_responses')
    .columns(['action_id', 'organisation_id', 'id'])
    .execute();
  await db.schema.createIndex('assignment_responses_review').on('assignment_responses').column('review_id').execute();

  for (const column of ['meeting_quorum', 'question_days', 'assignment_days']) {
    await db.schema.alterTable('reviews').addColumn(column, 'integer').execute();
  }

  if (pg) {
    for (const { table, events } of BUMPING) {
      await sql
        .raw(
          `create function ${table}_bump_plan_revision() returns trigger language plpgsql as $$
          begin
            if tg_op in ('INSERT', 'UPDATE') then
              perform clasp_bump_plan_revision(${reviewOf(table, 'new')});
            end if;
            if tg_op in ('UPDATE', 'DELETE') then
              perform clasp_bump_plan_revision(${reviewOf(table, 'old')});
            end if;
            return null;
          end $$`,
        )
        .execute(db);
      await sql
        .raw(
          `create trigger ${table}_plan_revision after ${events.join(' or ')} on ${table}
          for each row execute function ${table}_bump_plan_revision()`,
        )
        .execute(db);
    }
    await sql
      .raw(
        `create trigger assignment_responses_append_only before update or delete on assignment_responses
        for each row execute function clasp_refuse_change()`,
      )
      .execute(db);
  } else {
    for (const { table, events } of BUMPING) {
      for (const event of events) {
        const row = event === 'delete' ? 'old' : 'new';
        await sql
          .raw(
            `create trigger ${table}_plan_revision_${event} after ${event} on ${table}
            begin update reviews set plan_revision = plan_revision + 1 where id = ${reviewOf(table, row)}; end`,
          )
          .execute(db);
      }
    }
    for (const event of ['update', 'delete']) {
      await sql
        .raw(
          `create trigger assignment_responses_no_${event} before ${event} on assignment_responses
          begin select raise(abort, 'assignment_responses rows cannot be changed'); end`,
        )
        .execute(db);
    }
  }
}

// Kysely's migrator awaits down(), so the refusal comes back as a rejected promise.
export function down(): Promise<void> {
  return Promise.reject(new Error('This migration cannot be undone: restore from a backup instead.'));
}
