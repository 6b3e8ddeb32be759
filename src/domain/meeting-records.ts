// What a meeting's agenda pack and minutes, and a board's questions, say: plain data that the
// meetings and questions features build from the record and the documents render. Pure types
// and names, so the features and the documents agree without reaching into each other.
import type { Rating, RatingScale } from './ratings.ts';

export const FORUMS = [
  'peer_challenge',
  'health_wellbeing_board',
  'safeguarding_partnership',
  'scrutiny_panel',
  'other',
] as const;
export type Forum = (typeof FORUMS)[number];

/** What each forum is called on pages and in documents. */
export const FORUM_NAMES: Readonly<Record<Forum, string>> = {
  peer_challenge: 'Peer challenge group',
  health_wellbeing_board: 'Health and Wellbeing Board',
  safeguarding_partnership: 'Safeguarding partnership',
  scrutiny_panel: 'Scrutiny panel',
  other: 'Other meeting',
};

export type AttendanceMark = 'invited' | 'present' | 'apologies' | 'absent';

export interface MeetingHeading {
  /** e.g. 'Rotherham CLAS review: peer challenge group' */
  reviewTitle: string;
  area: string;
  forum: Forum;
  /** As the coordinator named it; may be empty. */
  title: string;
  /** Local date and time, 'YYYY-MM-DDTHH:MM'. */
  startsAt: string;
  place: string;
  /** Set on the demo's meetings: documents carry the review's illustrative notice. */
  illustrativeNotice: string | null;
}

export interface AttendeeRecord {
  name: string;
  organisation: string;
  role: 'member' | 'guest';
  attendance: AttendanceMark;
}

/** One piece of evidence as the pack lists it. */
export interface PackEvidence {
  title: string;
  /** 'YYYY-MM-DD' */
  effectiveOn: string;
  status: 'submitted' | 'accepted' | 'rejected' | 'withdrawn';
  /** File name or address, if any. */
  source: string | null;
}

/** The action an agenda item is about, as the pack shows it. */
export interface PackAction {
  /** e.g. 'Action 2 of recommendation 1.3' */
  label: string;
  recommendationNumber: string;
  text: string;
  lead: string;
  organisations: string[];
  dueDate: string | null;
  /** The rating shown now (agreed, or proposed when none is agreed). */
  rating: Rating | null;
  /** True when that rating is only proposed. */
  ratingProposed: boolean;
  latestProgress: { on: string; text: string; by: string } | null;
  evidence: PackEvidence[];
}

export type AgendaItemKind = 'evidence' | 'rating' | 'due_date' | 'exception' | 'question' | 'minutes' | 'other';

export interface AgendaItemRecord {
  /** 1, 2, 3… in agenda order. */
  number: number;
  kind: AgendaItemKind;
  /** e.g. 'Evidence submitted: Audit of initial health assessments' */
  title: string;
  /** The organisation the item is grouped under; null for items about the whole plan. */
  organisation: string | null;
  /** Absent for items not about one action (a question about the review, an added item). */
  action?: PackAction;
}

export interface AgendaPack {
  meeting: MeetingHeading;
  scale: RatingScale;
  attendees: AttendeeRecord[];
  items: AgendaItemRecord[];
  /** When the pack was made: ISO timestamp. */
  producedAt: string;
  /** Where the meeting's page is, as a full address. */
  link: string;
}

export interface DecisionRecord {
  itemNumber: number | null;
  /** e.g. 'Action 2 of recommendation 1.3' */
  subject: string;
  /** e.g. 'Rating agreed: Green', 'Evidence accepted: Audit of…', 'Revised due date refused', 'Deferred' */
  decision: string;
  rationale: string;
}

export interface RequestRecord {
  subject: string;
  text: string;
  owner: string;
  /** 'YYYY-MM-DD' */
  dueOn: string;
}

export interface MinutesRecord {
  meeting: MeetingHeading;
  scale: RatingScale;
  attendees: AttendeeRecord[];
  quorum: { required: number; present: number; quorate: boolean };
  decisions: DecisionRecord[];
  requests: RequestRecord[];
  /** Items the meeting deferred or noted without a decision. */
  otherItems: { itemNumber: number; title: string; outcome: 'deferred' | 'noted' | 'open'; note: string }[];
  status: 'draft' | 'approved';
  /** When approved: the meeting that approved them, e.g. 'Peer challenge group, 12 January 2017'. */
  approvedAt: string | null;
  producedAt: string;
}

export interface QuestionRecord {
  id: number;
  /** 'the review', 'Recommendation 2.1', 'Action 1 of recommendation 2.1' */
  about: string;
  text: string;
  askedBy: string;
  forum: Forum;
  /** The meeting it was asked at, in words; may be empty. */
  meeting: string;
  askedOn: string;
  organisation: string | null;
  /** Only a published response; a draft is not shown to readers. */
  response: { text: string; publishedOn: string; approvedBy: string } | null;
}
