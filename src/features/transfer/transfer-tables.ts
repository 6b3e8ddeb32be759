import type { Database } from '../../platform/db/schema.ts';

/*
 * What one review is made of, table by table, in an order where every row comes after the rows
 * it points to (so an import can give each row its new id before anything refers to it).
 * `refs` names each column that holds another row's id and the table that row is in: an import
 * swaps each for the new id. People and organisations are matched, not copied (see
 * docs/moving-reviews.md); evidence files are carried by their SHA-256 ('blobs').
 */

/** A table a reference can point to: a carried table, or people and organisations, matched on import. */
export type RefTarget = TransferTable | 'users' | 'organisations';

/** The tables carried, by name; audit_events is carried too, but chained on import, not copied. */
export type TransferTable =
  | 'reviews'
  | 'review_organisations'
  | 'imports'
  | 'findings'
  | 'recommendation_groups'
  | 'recommendation_group_organisations'
  | 'recommendations'
  | 'finding_recommendations'
  | 'actions'
  | 'action_organisations'
  | 'meetings'
  | 'meeting_attendees'
  | 'progress_updates'
  | 'rating_events'
  | 'evidence_items'
  | 'withdrawals'
  | 'rating_challenges'
  | 'due_date_changes'
  | 'assignment_responses'
  | 'questions'
  | 'meeting_items'
  | 'meeting_requests'
  | 'agency_mappings'
  | 'plan_versions'
  | 'memberships';

export interface TableSpec {
  name: TransferTable;
  /** True when rows have their own id: the import gives each a new one. */
  keyed: boolean;
  /** How the export finds the review's rows: by review_id, or through a parent row already read. */
  belongs: { column: 'review_id' | 'id' } | { column: string; parent: TransferTable };
  refs: Readonly<Record<string, RefTarget>>;
  /** Columns the import leaves out (the database gives them afresh), or sets afterwards. */
  later?: readonly string[];
}

const R = 'reviews' as const;
const U = 'users' as const;
const O = 'organisations' as const;
const A = 'actions' as const;
const M = 'meetings' as const;
const I = 'imports' as const;

export const TABLES: readonly TableSpec[] = [
  { name: 'reviews', keyed: true, belongs: { column: 'id' }, refs: { lead_organisation_id: O } },
  {
    name: 'review_organisations',
    keyed: false,
    belongs: { column: 'review_id' },
    refs: { review_id: R, organisation_id: O },
  },
  {
    name: 'imports',
    keyed: true,
    belongs: { column: 'review_id' },
    refs: { review_id: R, user_id: U, reverted_by_user_id: U },
  },
  { name: 'findings', keyed: true, belongs: { column: 'review_id' }, refs: { review_id: R } },
  {
    name: 'recommendation_groups',
    keyed: true,
    belongs: { column: 'review_id' },
    refs: { review_id: R, import_id: I },
  },
  {
    name: 'recommendation_group_organisations',
    keyed: false,
    belongs: { column: 'group_id', parent: 'recommendation_groups' },
    refs: { group_id: 'recommendation_groups', organisation_id: O },
  },
  {
    name: 'recommendations',
    keyed: true,
    belongs: { column: 'review_id' },
    refs: { review_id: R, group_id: 'recommendation_groups', import_id: I },
  },
  {
    name: 'finding_recommendations',
    keyed: false,
    belongs: { column: 'finding_id', parent: 'findings' },
    refs: { finding_id: 'findings', recommendation_id: 'recommendations', import_id: I },
  },
  {
    name: 'actions',
    keyed: true,
    belongs: { column: 'review_id' },
    refs: { review_id: R, recommendation_id: 'recommendations', lead_user_id: U, import_id: I },
  },
  {
    name: 'action_organisations',
    keyed: false,
    belongs: { column: 'action_id', parent: A },
    refs: { action_id: A, organisation_id: O, import_id: I },
  },
  {
    name: 'meetings',
    keyed: true,
    belongs: { column: 'review_id' },
    // A meeting's minutes are approved at a later meeting: set once every meeting has its new id.
    refs: { review_id: R, minutes_approved_meeting_id: M, created_by_user_id: U },
    later: ['minutes_approved_meeting_id'],
  },
  {
    name: 'meeting_attendees',
    keyed: true,
    belongs: { column: 'meeting_id', parent: M },
    refs: { meeting_id: M, user_id: U },
  },
  {
    name: 'progress_updates',
    keyed: true,
    belongs: { column: 'review_id' },
    refs: { review_id: R, action_id: A, author_user_id: U, import_id: I },
  },
  {
    name: 'rating_events',
    keyed: true,
    belongs: { column: 'review_id' },
    refs: { review_id: R, action_id: A, user_id: U, meeting_id: M, import_id: I },
  },
  {
    name: 'evidence_items',
    keyed: true,
    belongs: { column: 'review_id' },
    refs: {
      review_id: R,
      action_id: A,
      added_by_user_id: U,
      progress_update_id: 'progress_updates',
      status_by_user_id: U,
      status_meeting_id: M,
      import_id: I,
    },
  },
  {
    name: 'withdrawals',
    keyed: true,
    belongs: { column: 'review_id' },
    refs: {
      review_id: R,
      action_id: A,
      progress_update_id: 'progress_updates',
      evidence_item_id: 'evidence_items',
      rating_event_id: 'rating_events',
      user_id: U,
    },
  },
  {
    name: 'rating_challenges',
    keyed: true,
    belongs: { column: 'review_id' },
    refs: { review_id: R, action_id: A, user_id: U, meeting_id: M, import_id: I },
  },
  {
    name: 'due_date_changes',
    keyed: true,
    belongs: { column: 'review_id' },
    // A decision points to its proposal, always an earlier row.
    refs: {
      review_id: R,
      action_id: A,
      proposal_id: 'due_date_changes',
      user_id: U,
      organisation_id: O,
      meeting_id: M,
    },
  },
  {
    name: 'assignment_responses',
    keyed: true,
    belongs: { column: 'review_id' },
    refs: { review_id: R, action_id: A, organisation_id: O, user_id: U },
  },
  {
    name: 'questions',
    keyed: true,
    belongs: { column: 'review_id' },
    refs: {
      review_id: R,
      recommendation_id: 'recommendations',
      action_id: A,
      meeting_id: M,
      organisation_id: O,
      recorded_by_user_id: U,
      response_by_user_id: U,
      approved_by_user_id: U,
    },
  },
  {
    name: 'meeting_items',
    keyed: true,
    belongs: { column: 'meeting_id', parent: M },
    refs: {
      meeting_id: M,
      action_id: A,
      evidence_item_id: 'evidence_items',
      question_id: 'questions',
      organisation_id: O,
    },
  },
  {
    name: 'meeting_requests',
    keyed: true,
    belongs: { column: 'review_id' },
    refs: { review_id: R, meeting_id: M, action_id: A, owner_user_id: U },
  },
  {
    name: 'agency_mappings',
    keyed: true,
    belongs: { column: 'review_id' },
    refs: { review_id: R, organisation_id: O, user_id: U },
  },
  {
    name: 'plan_versions',
    keyed: true,
    belongs: { column: 'review_id' },
    refs: { review_id: R, created_by_user_id: U },
  },
  {
    name: 'memberships',
    keyed: true,
    belongs: { column: 'review_id' },
    refs: { user_id: U, review_id: R, organisation_id: O },
  },
];

/** Columns of the carried rows, beyond those in `refs`, that the database sets itself on import. */
export const LEFT_TO_DATABASE: Partial<Record<TransferTable, readonly string[]>> = {
  // Bumped by triggers on every change to the plan: the new review counts its own.
  reviews: ['plan_revision'],
};

/** The table an audit event's entity_id points to, by its entity_type, when it is a row id. */
export const AUDIT_ENTITY_TABLES: Readonly<Record<string, RefTarget>> = {
  review: 'reviews',
  action: 'actions',
  finding: 'findings',
  group: 'recommendation_groups',
  recommendation_group: 'recommendation_groups',
  recommendation: 'recommendations',
  progress_update: 'progress_updates',
  rating_event: 'rating_events',
  rating_challenge: 'rating_challenges',
  evidence_item: 'evidence_items',
  due_date_change: 'due_date_changes',
  assignment: 'assignment_responses',
  import: 'imports',
  meeting: 'meetings',
  meeting_item: 'meeting_items',
  meeting_request: 'meeting_requests',
  question: 'questions',
  membership: 'memberships',
  user: 'users',
  organisation: 'organisations',
};

/** Every table with rows of a review that is not carried, and why: said in docs/moving-reviews.md too. */
export const NOT_CARRIED: Partial<Record<keyof Database, string>> = {
  reminders: 'reminders already sent or waiting belong to the instance that sends them',
  api_token_reviews: 'API tokens are personal to an instance: people make new ones',
};
