// The whole plan as it stood at one moment, as plain data. An issued version stores one of
// these (plan_versions.snapshot, JSON) and never changes; every document Clasp produces — the
// Word, Excel and CSV plan, the board report — is drawn from a snapshot alone, so a version's
// documents come out the same however the plan changes afterwards. "Now" is a snapshot taken
// on the spot.
import { formatLongDate } from './dates.ts';
import type { ExceptionKind, ExceptionSubjectType } from './exceptions.ts';
import { lastingAssurance, type LastingAssuranceState } from './lasting-assurance.ts';
import type { Forum, QuestionRecord } from './meeting-records.ts';
import { currentRating, type Rating, type RatingHistoryEntry, type RatingScale } from './ratings.ts';

/** Bumped when the shape changes in a way old snapshots must be read differently. */
export const SNAPSHOT_FORMAT = 1;

export const VERSION_PURPOSES = ['comment', 'cqc', 'hwb', 'scrutiny', 'other'] as const;
export type VersionPurpose = (typeof VERSION_PURPOSES)[number];

/** What each purpose is called in forms, tables and documents. */
export const VERSION_PURPOSE_LABELS: Record<VersionPurpose, string> = {
  comment: 'Circulated for comment',
  cqc: 'Submitted to CQC',
  hwb: 'Health and Wellbeing Board',
  scrutiny: 'Scrutiny',
  other: 'Other',
};

/** One row of the version control table. Versions recorded before Clasp (the demo's) have no snapshot. */
export interface SnapshotVersionRow {
  number: string;
  /** YYYY-MM-DD, or null when the source table gave no date. */
  issuedOn: string | null;
  author: string;
  /** A purpose key for versions issued in Clasp; the words as recorded for older ones. */
  purpose: string;
  /** "Action" column: what was done with this version. */
  actionText: string;
  comment: string;
  recipients: string;
  /** Whether Clasp holds the frozen plan of this version. */
  frozen: boolean;
}

export interface SnapshotOrganisation {
  id: number;
  name: string;
  shortName: string;
  kind: string;
}

export interface SnapshotGroup {
  id: number;
  number: number;
  heading: string;
  organisationIds: number[];
}

export interface SnapshotRecommendation {
  id: number;
  groupId: number;
  number: string;
  text: string;
  outcome: string;
  anticipatedEvidence: string;
  assurance: string;
  responsibleOfficer: string;
  /** The findings behind it, in report order: the plan's "(See 4.1 4.2 …)". */
  findingNumbers: string[];
  /** Worst rating of its actions (roll-up), or null when none is rated. */
  rating: Rating | null;
  /** The basis of that rating, for boards: facts, not opinions. */
  basis: {
    actions: number;
    ratedActions: number;
    acceptedEvidence: number;
    lastProgressOn: string | null;
    /** The latest agreement among its actions: who and when. */
    lastAgreedBy: string | null;
    lastAgreedOn: string | null;
    /** The meeting that agreed it, when it was agreed at one. Absent in snapshots frozen before meetings. */
    lastAgreedAt?: SnapshotMeeting | null;
  };
}

/** A meeting that took a decision: its forum and local start, 'YYYY-MM-DDTHH:MM'. */
export interface SnapshotMeeting {
  forum: Forum;
  startsAt: string;
}

export interface SnapshotProgress {
  id: number;
  /** YYYY-MM-DD the progress is dated. */
  on: string;
  text: string;
  author: string;
}

export interface SnapshotEvidence {
  id: number;
  kind: 'file' | 'link' | 'note';
  title: string;
  effectiveOn: string;
  /** First day of the period the evidence covers, ending on effectiveOn. Absent in older snapshots. */
  periodStart?: string | null;
  fileName: string | null;
  mediaType: string | null;
  size: number | null;
  sha256: string | null;
  url: string | null;
  note: string | null;
  status: 'submitted' | 'accepted' | 'rejected';
  statusReason: string | null;
  statusBy: string | null;
  /** YYYY-MM-DD of the decision. */
  statusOn: string | null;
  addedBy: string;
  /** YYYY-MM-DD it was added. */
  addedOn: string;
}

export interface SnapshotRatingEvent {
  kind: 'proposed' | 'agreed' | 'challenged';
  rating: Rating;
  on: string;
  by: string;
  /** The meeting that decided it, if any. Absent in snapshots frozen before meetings. */
  meeting?: SnapshotMeeting | null;
}

export interface SnapshotAction {
  id: number;
  recommendationId: number;
  /** "Action 2 of recommendation 1.1" */
  label: string;
  /** 1-based position within its recommendation. */
  number: number;
  agency: string;
  organisationIds: number[];
  action: string;
  lead: string;
  dateWords: string;
  /** The agreed due date the action counts against. */
  dueDate: string | null;
  /**
   * The due date first agreed, how many times the agreed date moved, and a revised date
   * proposed and not yet agreed. Snapshots frozen before due dates were governed lack them:
   * read with dueDateHistoryOf.
   */
  originalDueDate?: string | null;
  dueDateMoves?: number;
  proposedDueDate?: string | null;
  measure: string;
  assurance: string;
  createdOn: string;
  /** The rating shown: the agreed one, else the proposed one. */
  rating: Rating | null;
  ratingStatus: 'agreed' | 'proposed' | 'none';
  disputed: boolean;
  agreedBy: string | null;
  agreedOn: string | null;
  /** The meeting that agreed the rating, if it was agreed at one. Absent in snapshots frozen before meetings. */
  agreedAt?: SnapshotMeeting | null;
  /**
   * How a completed action's effect will be shown to last, and the day fresh accepted evidence
   * is due. Absent in snapshots frozen before lasting assurance.
   */
  sustainHow?: string;
  reassuranceDueOn?: string | null;
  /** Oldest first. */
  ratingEvents: SnapshotRatingEvent[];
  /** Oldest first. */
  progress: SnapshotProgress[];
  /** Oldest first. */
  evidence: SnapshotEvidence[];
}

export interface SnapshotException {
  kind: ExceptionKind;
  subjectType: ExceptionSubjectType;
  /** The action, organisation or finding id. */
  subjectId: number;
  label: string;
  recommendationId: number | null;
  reason: string;
}

export interface PlanSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  /** ISO instant the snapshot was taken: the timestamp documents carry. */
  takenAt: string;
  /** YYYY-MM-DD the plan was assessed as at (overdue, stale…). */
  asOf: string;
  staleDays: number;
  /** The version this snapshot is, or null for the plan as it stands now. */
  version: SnapshotVersionRow | null;
  review: {
    id: number;
    title: string;
    type: string;
    area: string;
    reviewStart: string | null;
    reviewEnd: string | null;
    reportPublished: string | null;
    reportReceived: string | null;
    planDue: string | null;
    /** Inspectors' names. */
    inspectors: string[];
    ratingScale: RatingScale;
    leadOrganisation: string | null;
    illustrativeNotice: string | null;
  };
  /** Organisations taking part (covered by the review, addressed, or named on an action), by name. */
  organisations: SnapshotOrganisation[];
  /** The version control table: every version up to and including this one. */
  versions: SnapshotVersionRow[];
  groups: SnapshotGroup[];
  /** Plan order. */
  recommendations: SnapshotRecommendation[];
  /** Plan order. */
  actions: SnapshotAction[];
  exceptions: SnapshotException[];
  /**
   * Questions from boards and panels, oldest first, with only published responses. Absent in
   * snapshots frozen before questions were kept.
   */
  questions?: QuestionRecord[];
}

/**
 * An action's original due date and how often it moved, also for snapshots frozen before these
 * were kept: those say only the due date they had, and no moves are known.
 */
export function dueDateHistoryOf(action: Pick<SnapshotAction, 'dueDate' | 'originalDueDate' | 'dueDateMoves'>): {
  original: string | null;
  moves: number | null;
} {
  if (action.dueDateMoves === undefined) return { original: action.originalDueDate ?? action.dueDate, moves: null };
  return { original: action.originalDueDate ?? action.dueDate, moves: action.dueDateMoves };
}

/**
 * What boards and scrutiny are told about a moved deadline, or '' when it never moved and no
 * revised date waits: "Due date moved twice: first agreed 31 March 2016, now 30 June 2016."
 */
export function dueDateMovesWords(
  action: Pick<SnapshotAction, 'dueDate' | 'originalDueDate' | 'dueDateMoves' | 'proposedDueDate'>,
): string {
  const { original, moves } = dueDateHistoryOf(action);
  const sentences: string[] = [];
  if (moves !== null && moves > 0) {
    const times = moves === 1 ? 'once' : moves === 2 ? 'twice' : `${moves} times`;
    const first = original ? `first agreed ${formatLongDate(original)}` : 'first agreed with no date';
    const now = action.dueDate ? `now ${formatLongDate(action.dueDate)}` : 'now no date';
    sentences.push(`Due date moved ${times}: ${first}, ${now}.`);
  }
  if (action.proposedDueDate) {
    sentences.push(`Revised date ${formatLongDate(action.proposedDueDate)} proposed, not yet agreed.`);
  }
  return sentences.join(' ');
}

/** An action's rating events as a rating history, for the rules in ratings.ts (`ratingOn`, `currentRating`). */
export function snapshotRatingHistory(action: Pick<SnapshotAction, 'ratingEvents'>): RatingHistoryEntry[] {
  return action.ratingEvents.map((event) => {
    if (event.kind === 'challenged') return { proposed: null, agreed: null, challenged: event.rating, at: event.on };
    return {
      proposed: event.kind === 'proposed' ? event.rating : null,
      agreed: event.kind === 'agreed' ? event.rating : null,
      at: event.on,
    };
  });
}

/** How each forum is named after "Agreed by": "the peer challenge group", "the Health and Wellbeing Board". */
const FORUM_AS_AGENT: Readonly<Record<Forum, string>> = {
  peer_challenge: 'the peer challenge group',
  health_wellbeing_board: 'the Health and Wellbeing Board',
  safeguarding_partnership: 'the safeguarding partnership',
  scrutiny_panel: 'the scrutiny panel',
  other: 'a meeting',
};

/** "Agreed by the peer challenge group, 12 January 2017". */
export function agreedAtWords(meeting: SnapshotMeeting): string {
  return `Agreed by ${FORUM_AS_AGENT[meeting.forum]}, ${formatLongDate(meeting.startsAt.slice(0, 10))}`;
}

/**
 * Where a completed action's assurance stands as at the snapshot's day, or null when the
 * snapshot was frozen before lasting assurance was kept and so cannot say.
 */
export function snapshotLastingAssurance(
  snapshot: Pick<PlanSnapshot, 'asOf' | 'staleDays'> & { review: Pick<PlanSnapshot['review'], 'ratingScale'> },
  action: Pick<SnapshotAction, 'ratingEvents' | 'reassuranceDueOn' | 'evidence'>,
): LastingAssuranceState | null {
  if (action.reassuranceDueOn === undefined) return null;
  const rating = currentRating(snapshotRatingHistory(action));
  return lastingAssurance({
    scale: snapshot.review.ratingScale,
    agreed: rating.agreed,
    agreedAt: rating.agreedAt,
    reassuranceDueOn: action.reassuranceDueOn ?? null,
    acceptedEvidenceDates: action.evidence.filter((e) => e.status === 'accepted').map((e) => e.effectiveOn),
    staleDays: snapshot.staleDays,
    today: snapshot.asOf,
  });
}
