import type { SingleSignOnTables } from './schema-sso.ts';
import type { ColumnType, Generated, Selectable } from 'kysely';
import type { OrganisationKind } from '../../domain/organisations.ts';

export type { OrganisationKind };

/*
 * The database as Kysely sees it. Portable across SQLite and PostgreSQL:
 * calendar dates are 'YYYY-MM-DD' text, instants ISO-8601 UTC text, booleans 0/1 integers,
 * lists that are only ever read whole (inspectors, snapshots) are JSON text.
 */

export type RatingValue = 'blue' | 'green' | 'amber' | 'red';
export type RatingScaleValue = 'BRAG' | 'RAG';
export type FindingKind = 'concern' | 'good_practice';
export type EvidenceKind = 'file' | 'link' | 'note';
export type EvidenceStatus = 'submitted' | 'accepted' | 'rejected';
export type RatingEventKind = 'proposed' | 'agreed';
export type MemberRole = 'coordinator' | 'editor' | 'reviewer' | 'viewer';
export type OneTimeTokenPurpose = 'reset' | 'invite';

export interface OrganisationTable {
  id: Generated<number>;
  name: string;
  short_name: string;
  kind: OrganisationKind;
  created_at: string;
  version: Generated<number>;
}

export interface UserTable {
  id: Generated<number>;
  email: string;
  name: string;
  password_hash: string | null;
  is_admin: number;
  created_at: string;
  disabled_at: string | null;
  version: Generated<number>;
  /** The authenticator app's shared secret (base32), once a code from it has been confirmed. */
  totp_secret: string | null;
  /** A secret being set up and not yet confirmed. */
  totp_pending_secret: string | null;
  totp_enabled_at: string | null;
  /** The time step of the last code accepted: a code is never accepted twice. */
  totp_last_step: number | null;
  /** 1 when an administrator requires two-step verification for this account. */
  second_factor_required: Generated<number>;
}

/** A recovery code, kept only as its SHA-256. */
export interface RecoveryCodeTable {
  user_id: number;
  code_hash: string;
  created_at: string;
  used_at: string | null;
}

/** Someone past the password and not yet past the second step. */
export interface SignInChallengeTable {
  /** SHA-256 (hex) of the cookie value. */
  token_hash: string;
  user_id: number;
  /** 'code': enter a code; 'set-up': two-step verification is required and must be set up first. */
  purpose: 'code' | 'set-up';
  /** Where to go once signed in. */
  next: string;
  created_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface ReviewTable {
  id: Generated<number>;
  /** A stable key for loaded data sets (the demo), null for reviews made by hand. */
  source_key: string | null;
  title: string;
  type: string;
  area: string;
  review_start: string | null;
  review_end: string | null;
  report_published: string | null;
  report_received: string | null;
  inspectors: string;
  cqc_region: string | null;
  nhs_england_area: string | null;
  children_cases: number | null;
  lead_organisation_id: number | null;
  rating_scale: RatingScaleValue;
  plan_issued: string | null;
  stale_days: number | null;
  /** Exceptions are found as of this date instead of today: for historic reviews and the demo. */
  assessed_as_of: string | null;
  is_demo: number;
  illustrative_notice: string | null;
  created_at: string;
  updated_at: string;
  version: number;
  /** Bumped by the database on every change to the review's plan: the key for derived caches. */
  plan_revision: Generated<number>;
  /** Members present for a meeting to be quorate; null: Clasp's default. */
  meeting_quorum: Generated<number | null>;
  /** Days after which an unanswered question is an exception; null: Clasp's default. */
  question_days: Generated<number | null>;
  /** Days after which an assignment nobody accepted is an exception; null: Clasp's default. */
  assignment_days: Generated<number | null>;
}

export interface ReviewOrganisationTable {
  review_id: number;
  organisation_id: number;
}

export interface FindingTable {
  id: Generated<number>;
  review_id: number;
  number: string;
  section: string;
  text: string;
  kind: FindingKind;
  public_health: number;
  position: number;
  version: Generated<number>;
  archived_at: Generated<string | null>;
}

export interface RecommendationGroupTable {
  id: Generated<number>;
  review_id: number;
  number: number;
  heading: string;
  position: number;
  version: Generated<number>;
  archived_at: Generated<string | null>;
  /** The plan import that wrote the row (issue 15: an import can be reverted); null otherwise. */
  import_id: Generated<number | null>;
}

export interface RecommendationGroupOrganisationTable {
  group_id: number;
  organisation_id: number;
}

export interface RecommendationTable {
  id: Generated<number>;
  review_id: number;
  group_id: number;
  number: string;
  text: string;
  outcome: string;
  anticipated_evidence: string;
  assurance: string;
  responsible_officer: string;
  position: number;
  archived_at: string | null;
  version: number;
  /** The plan import that wrote the row (issue 15: an import can be reverted); null otherwise. */
  import_id: Generated<number | null>;
}

export interface FindingRecommendationTable {
  finding_id: number;
  recommendation_id: number;
  /** The plan import that wrote the row (issue 15: an import can be reverted); null otherwise. */
  import_id: Generated<number | null>;
}

export interface ActionTable {
  id: Generated<number>;
  review_id: number;
  recommendation_id: number;
  position: number;
  agency_text: string;
  action_text: string;
  lead_text: string;
  lead_user_id: number | null;
  date_words: string;
  due_date: string | null;
  measure: string;
  assurance: string;
  created_on: string;
  created_at: string;
  updated_at: string;
  archived_at: string | null;
  version: number;
  /** How a completed action's effect will be shown to last (an audit, a re-audit, a measure). */
  sustain_how: Generated<string>;
  /** The day by which fresh accepted evidence is due once the action is complete. */
  reassurance_due_on: Generated<string | null>;
  /** The plan import that wrote the row (issue 15: an import can be reverted); null otherwise. */
  import_id: Generated<number | null>;
}

/** The history of an action's agreed due date: proposals, decisions on them, and direct changes. */
export interface DueDateChangeTable {
  id: Generated<number>;
  review_id: number;
  action_id: number;
  kind: 'proposed' | 'agreed' | 'refused' | 'set';
  proposal_id: number | null;
  from_date: string | null;
  to_date: string | null;
  reason: string;
  user_id: number | null;
  actor_name: string;
  organisation_id: number | null;
  is_illustrative: Generated<number>;
  created_at: string;
  /** The meeting that decided it; null for a decision on the action's own forms. */
  meeting_id: Generated<number | null>;
}

export interface ActionOrganisationTable {
  action_id: number;
  organisation_id: number;
  /** When the organisation was given the action. */
  assigned_at: Generated<string | null>;
  /** The plan import that wrote the row (issue 15: an import can be reverted); null otherwise. */
  import_id: Generated<number | null>;
}

export interface ProgressUpdateTable {
  id: Generated<number>;
  review_id: number;
  action_id: number;
  progress_on: string;
  text: string;
  author_user_id: number | null;
  author_name: string;
  proposed_rating: RatingValue | null;
  is_illustrative: number;
  created_at: string;
  /** The plan import that wrote the row (issue 15: an import can be reverted); null otherwise. */
  import_id: Generated<number | null>;
}

export interface RatingEventTable {
  id: Generated<number>;
  review_id: number;
  action_id: number;
  kind: RatingEventKind;
  rating: RatingValue;
  /** The day it was recorded: the order of events. */
  decided_on: string;
  /** The day it speaks for, when not the day it was recorded (a proposal sent with a progress update dated earlier). */
  effective_on: string | null;
  user_id: number | null;
  actor_name: string;
  rationale: string;
  override_reason: string | null;
  is_illustrative: number;
  created_at: string;
  /** The meeting that decided it; null for a decision on the action's own forms. */
  meeting_id: Generated<number | null>;
  /** The plan import that wrote the row (issue 15: an import can be reverted); null otherwise. */
  import_id: Generated<number | null>;
}

/**
 * A progress update or evidence item withdrawn by whoever posted it, before it was decided on.
 * Nothing is deleted: readers show the item as withdrawn and leave it out of what waits for a
 * decision (and a withdrawn update's proposed rating, rating_event_id, out of the rating).
 */
export interface WithdrawalTable {
  id: Generated<number>;
  review_id: number;
  action_id: number;
  progress_update_id: number | null;
  evidence_item_id: number | null;
  rating_event_id: number | null;
  reason: string;
  user_id: number | null;
  actor_name: string;
  created_at: string;
}

export interface BlobTable {
  sha256: string;
  size: number;
  content: Uint8Array;
  created_at: string;
}

export interface EvidenceItemTable {
  id: Generated<number>;
  review_id: number;
  action_id: number;
  kind: EvidenceKind;
  title: string;
  effective_on: string;
  blob_sha256: string | null;
  file_name: string | null;
  media_type: string | null;
  size: number | null;
  url: string | null;
  note: string | null;
  status: EvidenceStatus;
  status_reason: string | null;
  status_by_name: string | null;
  status_at: string | null;
  added_by_user_id: number | null;
  added_by_name: string;
  is_illustrative: number;
  created_at: string;
  version: Generated<number>;
  /** The progress update the evidence was posted with, if any. */
  progress_update_id: Generated<number | null>;
  status_by_user_id: Generated<number | null>;
  /** First day of the period the evidence covers, ending on effective_on; null for a single date. */
  period_start: Generated<string | null>;
  /** The meeting that accepted or rejected it; null for a decision on the evidence's own form. */
  status_meeting_id: Generated<number | null>;
  /** The plan import that wrote the row (issue 15: an import can be reverted); null otherwise. */
  import_id: Generated<number | null>;
}

export interface PlanVersionTable {
  id: Generated<number>;
  review_id: number;
  number: string;
  issued_on: string | null;
  author: string;
  purpose: string;
  action_text: string;
  comment: string;
  recipients: string;
  /** JSON of the whole plan when issued in Clasp; null for versions recorded from a document. */
  snapshot: string | null;
  created_by_user_id: number | null;
  created_at: string;
  /** SHA-256 (hex) of snapshot, recorded when the version is issued; `clasp audit verify` checks it. */
  snapshot_sha256: string | null;
}

export interface MembershipTable {
  id: Generated<number>;
  user_id: number;
  review_id: number;
  organisation_id: number;
  role: MemberRole;
  created_at: string;
}

export interface AuditEventTable {
  id: Generated<number>;
  at: string;
  user_id: number | null;
  actor: string;
  organisation_id: number | null;
  review_id: number | null;
  entity_type: string;
  entity_id: string;
  action: string;
  before: string | null;
  after: string | null;
  request_id: string | null;
  /** The action the change belongs to, so an action's trail is one indexed read. */
  action_id: Generated<number | null>;
  /** The previous event's hash: the link of the tamper-evident chain (see docs/audit.md). */
  prev_hash: string | null;
  /** SHA-256 of prev_hash and this event's fields. */
  hash: string | null;
}

/** Something an administrator should know about: a failed sign-in, throttling, a refusal, a reset, a role change. */
export interface SecurityEventTable {
  id: Generated<number>;
  at: string;
  kind: string;
  user_id: number | null;
  email: string | null;
  ip: string | null;
  user_agent: string | null;
  method: string | null;
  path: string | null;
  /** JSON: what else is worth knowing (the role before and after, the throttle's key). */
  detail: string | null;
  request_id: string | null;
}

/** One row: the newest audit event's hash, locked by each writer so the chain never forks. */
export interface AuditChainHeadTable {
  id: number;
  hash: string;
}

export interface SessionTable {
  /** SHA-256 (hex) of the cookie value. */
  id: string;
  user_id: number;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
}

/**
 * A change to a session or to what it resolves to (the account, its memberships), written by
 * triggers (migration 018), so every process can forget the sessions it holds in memory.
 */
export interface SessionChangeTable {
  id: Generated<number>;
  user_id: number;
  /** When, by the database's clock: ISO 8601 in UTC. */
  changed_at: string;
}

export interface OneTimeTokenTable {
  /** SHA-256 (hex) of the token in the emailed or printed link. */
  token_hash: string;
  user_id: number;
  purpose: OneTimeTokenPurpose;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** A throttle window: one row per key ('email:…', 'ip:…', 'password:…', 'reset-…'). */
export interface ThrottleTable {
  key: string;
  window_started_at: string;
  attempts: number;
}

export interface ApiTokenTable {
  id: Generated<number>;
  token_hash: string;
  user_id: number;
  name: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  /** The client address the token was last used from. */
  last_used_ip: string | null;
  /** Space-separated, from 'read', 'write' and 'admin' (see TokenScope in src/domain/permissions.ts). */
  scopes: ColumnType<string, string | undefined, string>;
  /** When it stops working; Clasp always sets it, null only for a token written by other means. */
  expires_at: ColumnType<string | null, string | null | undefined, string | null>;
}

/** The reviews an API token is limited to; a token with no rows reaches every review of its person. */
export interface ApiTokenReviewTable {
  token_id: number;
  review_id: number;
}

/** A form sent after its session ended, kept for a short time so it can be filled in again after signing in. */
export interface KeptFormTable {
  /** SHA-256 of the token in the browser's cookie. */
  token_hash: string;
  /** Whose it is: the ended session's account, else the first to sign in with the cookie. */
  user_id: number | null;
  /** The form page's address. */
  page: string;
  /** JSON: the fields as typed (no CSRF token, no password fields) and whether a file was left out. */
  form: string;
  created_at: string;
  expires_at: string;
}

export interface RatingChallengeTable {
  id: Generated<number>;
  review_id: number;
  action_id: number;
  /** The proposed rating the group did not accept. */
  rating: RatingValue;
  decided_on: string;
  user_id: number | null;
  actor_name: string;
  rationale: string;
  created_at: string;
  /** The meeting that decided it; null for a decision on the action's own forms. */
  meeting_id: Generated<number | null>;
  /** The plan import that wrote the row (issue 15: an import can be reverted); null otherwise. */
  import_id: Generated<number | null>;
}

export type ImportKind = 'report' | 'plan';
export type ImportStatus = 'pending' | 'imported' | 'discarded';

export interface ImportTable {
  id: Generated<number>;
  kind: ImportKind;
  status: ImportStatus;
  /** The review the plan goes into; for a report, the review it made once imported. */
  review_id: number | null;
  user_id: number | null;
  actor_name: string;
  file_name: string;
  format: string;
  blob_sha256: string;
  size: number;
  /** JSON: column corrections and other choices made on the preview. */
  options: string;
  /** JSON: what was read from the file (ReportDraft or PlanDraft). */
  draft: string;
  /** JSON: what the import did, once imported. */
  summary: string | null;
  created_at: string;
  decided_at: string | null;
  /** The review's plan_revision just after the import was written: while it stands, the import can be reverted. */
  confirmed_revision: Generated<number | null>;
  reverted_at: Generated<string | null>;
  reverted_by_user_id: Generated<number | null>;
  reverted_by_name: Generated<string | null>;
  /** JSON: how far the reading of the file has got, while it is read; null once read. */
  read_state: Generated<string | null>;
}

export type ReminderStatus = 'pending' | 'sent' | 'failed';

/** An email reminder, or one item of a weekly digest, recorded before it is sent (see docs/reminders.md). */
export interface ReminderTable {
  id: Generated<number>;
  /** Recipient, review, reason, subject and period; or 'digest:<user>:<ISO week>'. Unique: a reminder goes once. */
  key: string;
  user_id: number;
  review_id: number | null;
  reason: string;
  subject_type: string;
  subject_id: number | null;
  subject_label: string;
  period: string;
  summary: string;
  /** Straight to the item, as a full address. */
  link: string;
  /** On an item of a weekly digest: the key of the digest that carries it. */
  digest_key: string | null;
  status: ReminderStatus;
  attempts: Generated<number>;
  last_error: string | null;
  /** When the next try may start; null once sent or given up. */
  next_attempt_at: string | null;
  created_at: string;
  sent_at: string | null;
  /** 1 for the demo's reminders, recorded as the cycle would have sent them and never mailed. */
  is_illustrative: Generated<number>;
}

/** How a person wants reminders: no row means 'immediately'. */
export interface ReminderPreferenceTable {
  user_id: number;
  choice: 'immediately' | 'weekly' | 'off';
  updated_at: string;
}

export type Forum =
  'peer_challenge' | 'health_wellbeing_board' | 'safeguarding_partnership' | 'scrutiny_panel' | 'other';

/** A meeting of the peer challenge group, a board or a panel (migration 014). */
export interface MeetingTable {
  id: Generated<number>;
  review_id: number;
  forum: Forum;
  title: string;
  /** Local (London) date and time, 'YYYY-MM-DDTHH:MM'. */
  starts_at: string;
  place: string;
  minutes_status: Generated<'none' | 'draft' | 'approved'>;
  minutes_approved_meeting_id: Generated<number | null>;
  minutes_approved_at: Generated<string | null>;
  /** JSON of the minutes as approved: frozen. */
  minutes_snapshot: Generated<string | null>;
  minutes_sha256: Generated<string | null>;
  agenda_sent_at: Generated<string | null>;
  is_illustrative: Generated<number>;
  created_by_user_id: number | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface MeetingAttendeeTable {
  id: Generated<number>;
  meeting_id: number;
  user_id: number | null;
  name: string;
  email: string | null;
  organisation_name: Generated<string>;
  role: 'member' | 'guest';
  attendance: Generated<'invited' | 'present' | 'apologies' | 'absent'>;
  created_at: string;
}

export type MeetingItemKind = 'evidence' | 'rating' | 'due_date' | 'exception' | 'question' | 'minutes' | 'other';

export interface MeetingItemTable {
  id: Generated<number>;
  meeting_id: number;
  position: number;
  kind: MeetingItemKind;
  action_id: number | null;
  evidence_item_id: number | null;
  question_id: number | null;
  organisation_id: number | null;
  title: Generated<string>;
  outcome: Generated<'open' | 'decided' | 'deferred' | 'noted'>;
  outcome_note: Generated<string>;
  removed_at: Generated<string | null>;
  created_at: string;
}

/** More evidence asked of an action's lead by a date, at a meeting. */
export interface MeetingRequestTable {
  id: Generated<number>;
  review_id: number;
  meeting_id: number;
  action_id: number;
  text: string;
  owner_user_id: number | null;
  owner_name: string;
  due_on: string;
  status: Generated<'open' | 'met' | 'closed'>;
  closed_at: Generated<string | null>;
  closed_by_name: Generated<string | null>;
  created_by_name: string;
  is_illustrative: Generated<number>;
  created_at: string;
}

/** A question from a board or scrutiny panel, and its response once drafted and published. */
export interface QuestionTable {
  id: Generated<number>;
  review_id: number;
  recommendation_id: number | null;
  action_id: number | null;
  text: string;
  asked_by: string;
  forum: Forum;
  meeting_id: number | null;
  /** The meeting as people name it, when it is not one recorded in Clasp. */
  meeting_words: Generated<string>;
  asked_on: string;
  /** The organisation that answers it. */
  organisation_id: number | null;
  recorded_by_user_id: number | null;
  recorded_by_name: string;
  response_text: Generated<string>;
  response_status: Generated<'none' | 'draft' | 'published'>;
  response_by_user_id: Generated<number | null>;
  response_by_name: Generated<string | null>;
  response_at: Generated<string | null>;
  approved_by_user_id: Generated<number | null>;
  approved_by_name: Generated<string | null>;
  published_on: Generated<string | null>;
  is_illustrative: Generated<number>;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

/** An organisation's answer to an action assigned to it; the latest counts. Never changed. */
export interface AssignmentResponseTable {
  id: Generated<number>;
  review_id: number;
  action_id: number;
  organisation_id: number;
  response: 'accepted' | 'disputed';
  reason: string;
  user_id: number | null;
  actor_name: string;
  is_illustrative: Generated<number>;
  created_at: string;
}

/** What an agency cell of an imported plan stands for in a review, as its coordinator said (issue 15). */
export interface AgencyMappingTable {
  id: Generated<number>;
  review_id: number;
  /** The cell's words as the importer compares them (textKey). */
  agency_key: string;
  agency_text: string;
  /** Null: the words stand for no organisation taking part. */
  organisation_id: number | null;
  user_id: number | null;
  actor_name: string;
  created_at: string;
}

/** Tables for signing in with an identity provider, kept in their own file. */
export interface Database extends SingleSignOnTables {
  organisations: OrganisationTable;
  users: UserTable;
  reviews: ReviewTable;
  review_organisations: ReviewOrganisationTable;
  findings: FindingTable;
  recommendation_groups: RecommendationGroupTable;
  recommendation_group_organisations: RecommendationGroupOrganisationTable;
  recommendations: RecommendationTable;
  finding_recommendations: FindingRecommendationTable;
  actions: ActionTable;
  action_organisations: ActionOrganisationTable;
  due_date_changes: DueDateChangeTable;
  progress_updates: ProgressUpdateTable;
  rating_events: RatingEventTable;
  blobs: BlobTable;
  evidence_items: EvidenceItemTable;
  withdrawals: WithdrawalTable;
  plan_versions: PlanVersionTable;
  memberships: MembershipTable;
  audit_events: AuditEventTable;
  audit_chain_head: AuditChainHeadTable;
  security_events: SecurityEventTable;
  sessions: SessionTable;
  session_changes: SessionChangeTable;
  one_time_tokens: OneTimeTokenTable;
  throttles: ThrottleTable;
  api_tokens: ApiTokenTable;
  api_token_reviews: ApiTokenReviewTable;
  recovery_codes: RecoveryCodeTable;
  sign_in_challenges: SignInChallengeTable;
  rating_challenges: RatingChallengeTable;
  kept_forms: KeptFormTable;
  imports: ImportTable;
  reminders: ReminderTable;
  reminder_preferences: ReminderPreferenceTable;
  meetings: MeetingTable;
  meeting_attendees: MeetingAttendeeTable;
  meeting_items: MeetingItemTable;
  meeting_requests: MeetingRequestTable;
  questions: QuestionTable;
  assignment_responses: AssignmentResponseTable;
  agency_mappings: AgencyMappingTable;
}

export type ReviewRow = Selectable<ReviewTable>;
