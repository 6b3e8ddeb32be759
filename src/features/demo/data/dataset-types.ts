// Types of the Rotherham 2015 demo data set (see SOURCES.md in this folder).
// `DemoDataset` is the published record (report + action plan as sent to CQC);
// `IllustrativeLayer` is invented data layered on top of it to show Clasp's features.
import type { FindingSection } from '../../../domain/finding-sections.ts';

export type OrganisationKind =
  | 'commissioner'
  | 'nhs_trust'
  | 'gp_practice'
  | 'local_authority'
  | 'nhs_england'
  | 'other';

export type FindingKind = 'concern' | 'good_practice';

export type { FindingSection };

export type Rating = 'blue' | 'green' | 'amber' | 'red';

export type DemoReview = {
  key: string;
  title: string;
  type: 'CLAS';
  area: string;
  /** ISO dates (yyyy-mm-dd). */
  reviewStart: string;
  reviewEnd: string;
  reportPublished: string;
  reportReceived: string;
  inspectors: string[];
  cqcRegion: string;
  nhsEnglandArea: string;
  /** Children and young people whose experiences the inspectors took into account. */
  childrenCases: number;
  ratingScale: 'BRAG' | 'RAG';
  /** Organisation key of the lead commissioner, who sends the plan to CQC. */
  leadOrganisation: string;
  /** Organisation keys of the providers and CCGs named in the report's header table. */
  coveredOrganisations: string[];
};

export type DemoOrganisation = {
  key: string;
  name: string;
  shortName: string;
  kind: OrganisationKind;
  /** Other names the documents use for this organisation, verbatim. */
  aliases?: string[];
  /** Anything a reader should know about how the documents name it. */
  note?: string;
};

export type DemoFinding = {
  /** Paragraph number as in the report, without a trailing dot ("3.3", "5.2.4"). */
  number: string;
  section: FindingSection;
  /** Plain paragraph text, without the trailing "(Recommendation x)" pointer. */
  text: string;
  kind: FindingKind;
  /** The paragraph says the issue was brought to the attention of public health. */
  publicHealth: boolean;
  /** The report's "(Recommendation x)" pointers, in the order they appear. */
  recommendations: string[];
};

export type DemoGroup = {
  number: number;
  /** Heading as in the report's recommendations list. */
  heading: string;
  /** Organisation keys of the addressees. */
  organisations: string[];
};

export type DemoAction = {
  /** Agency/Service cell text, verbatim (repeated for rows that continue the agency above). */
  agency: string;
  /** Organisation keys the agency text maps to. */
  agencies: string[];
  /** SMART Action cell text. */
  action: string;
  /** Lead Officer and Key Personnel cell text. */
  lead: string;
  /** Date of Action cell text verbatim, or '' when empty. */
  dateWords: string;
  /** Progress, Evidence, Date, BRAG cell text, or '' when empty. */
  progress: string;
};

export type DemoRecommendation = {
  /** "group.item", e.g. "4.8". */
  number: string;
  group: number;
  /** Text as in the report's recommendations list. */
  text: string;
  /** The plan's "(See …)" list of finding numbers, in order. */
  findings: string[];
  /** The plan's "Outcome:" text. */
  outcome: string;
  /** The plan's "Anticipated Evidence" text, paragraphs joined with "\n". */
  anticipatedEvidence: string;
  actions: DemoAction[];
};

export type DemoVersion = {
  /** "1" … "7". */
  number: string;
  /** ISO date, or null where the row has none. */
  date: string | null;
  author: string;
  action: string;
  comment: string;
};

export type DemoDataset = {
  review: DemoReview;
  organisations: DemoOrganisation[];
  findings: DemoFinding[];
  groups: DemoGroup[];
  recommendations: DemoRecommendation[];
  versions: DemoVersion[];
  /** Date of the foreword, the day the plan was sent to CQC (ISO). */
  planIssued: string;
};

// ---------------------------------------------------------------------------------
// Illustrative layer: invented, never the area's real record.

export type IllustrativeProgress = {
  date: string;
  text: string;
  proposedRating: Rating;
};

export type IllustrativeRating = {
  /** The proposed rating. */
  rating: Rating;
  proposedOn: string;
  /** Date of the peer challenge meeting that decided it, or null while pending. */
  agreedOn: string | null;
  /** The rating the group agreed (may differ from the proposal), or null while pending. */
  agreedRating: Rating | null;
  rationale: string;
};

export type EvidenceKind = 'file' | 'link' | 'note';
export type EvidenceStatus = 'accepted' | 'submitted' | 'rejected';

export type IllustrativeEvidence = {
  kind: EvidenceKind;
  title: string;
  effectiveDate: string;
  /**
   * The day it was added to the plan, when not the document's own date (effectiveDate). It is
   * decided at the first peer challenge group meeting on or after that day.
   */
  addedOn?: string;
  status: EvidenceStatus;
  statusReason?: string;
  /** file kind */
  fileName?: string;
  mediaType?: string;
  content?: string;
  /** link kind */
  url?: string;
  /** note kind */
  note?: string;
};

export type IllustrativeAction = {
  /** Recommendation number, e.g. "1.1". */
  recommendation: string;
  /** Index of the action within that recommendation's actions array. */
  index: number;
  progress: IllustrativeProgress[];
  ratings: IllustrativeRating[];
  evidence: IllustrativeEvidence[];
  /** Revised due dates the organisation proposed, waiting for the coordinator to agree them. */
  dueDateProposals?: IllustrativeDueDateProposal[];
};

export type IllustrativeDueDateProposal = {
  /** ISO date the revised date was proposed. */
  proposedOn: string;
  /** ISO date proposed. */
  date: string;
  reason: string;
};

export type IllustrativeLayer = {
  notice: string;
  /** The date the illustrative story runs to: "overdue" and "stale" are meant relative to it. */
  asOf: string;
  /** Peer challenge group meetings (ISO dates) at which the illustrative ratings were agreed. */
  meetings: string[];
  actions: IllustrativeAction[];
};
