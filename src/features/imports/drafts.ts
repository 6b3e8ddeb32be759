// What the importers read out of a file, before anything is written. The JSON dry run
// (`clasp import report|plan FILE --dry-run --json`) prints the public part of these
// drafts; the preview page and the import services use the rest.
import type { Rating } from '../../domain/ratings.ts';

import type { OrganisationKind } from '../../platform/db/schema.ts';
import type { FindingSection } from '../../domain/finding-sections.ts';

export type { FindingSection, OrganisationKind };

export type ReportOrganisation = {
  /** The name as the report writes it, tidied of stray spaces. */
  name: string;
  kind: OrganisationKind;
  /**
   * Where the report names it: 'provider' | 'commissioner' rows of the header table, or 'addressee' of
   * a group only.
   */
  role: 'provider' | 'commissioner' | 'addressee';
};

export type ReportFinding = {
  /** "1.6", "3.19", "5.2.4": no trailing dot. */
  number: string;
  section: FindingSection;
  /** Full paragraph text, joined across line and page breaks, without the "(Recommendation x)" pointer. */
  text: string;
  /** Recommendation numbers the paragraph points to, in order. */
  recommendations: string[];
  publicHealth: boolean;
  /** 'concern' when it points to a recommendation or reads as a shortfall; 'good_practice' otherwise. */
  kind: 'concern' | 'good_practice';
};

export type ReportGroup = {
  /** "1", "2" … */
  number: string;
  /** The heading as written ("NHS England & Rotherham CCG should:"). */
  heading: string;
  /** Addressed organisations, one name each, in the order and form written. */
  addressees: string[];
  /** For each addressee, the `name` of the entry in `review.organisations` it was matched to. */
  organisations: string[];
  recommendations: { number: string; text: string }[];
};

export type ReportDraft = {
  review: {
    title: string | null;
    area: string | null;
    reviewStart: string | null; // YYYY-MM-DD
    reviewEnd: string | null;
    published: string | null;
    inspectors: string[];
    nhsEnglandArea: string | null;
    cqcRegion: string | null;
    /** "we took into account the experiences of 84 children and young people" */
    childrenCases: number | null;
    /** Providers and commissioners covered by the review (header table), then other addressees. */
    organisations: ReportOrganisation[];
  };
  findings: ReportFinding[];
  groups: ReportGroup[];
  warnings: string[];
};

/** What a table column is taken to mean. 'ignore' columns are read by no field. */
export type PlanField =
  | 'number'
  | 'recommendation'
  | 'action'
  | 'outcome'
  | 'agency'
  | 'lead'
  | 'responsibleOfficer'
  | 'due'
  | 'assurance'
  | 'measure'
  | 'rating'
  | 'progress'
  | 'anticipatedEvidence'
  | 'findings'
  | 'dueDate'
  | 'evidence'
  | 'takingPart'
  | 'addressedTo'
  | 'ratingStatus'
  | 'agreedBy'
  | 'agreedOn'
  | 'ignore';

/** Every meaning a column can be given, in the order the preview offers them. */
export const PLAN_FIELDS: readonly PlanField[] = [
  'number',
  'recommendation',
  'action',
  'outcome',
  'agency',
  'lead',
  'responsibleOfficer',
  'due',
  'assurance',
  'measure',
  'rating',
  'progress',
  'anticipatedEvidence',
  'findings',
  'dueDate',
  'evidence',
  'takingPart',
  'addressedTo',
  'ratingStatus',
  'agreedBy',
  'agreedOn',
  'ignore',
];

export type PlanColumn = {
  /** Which table in the file (0-based, in document order) and which column (0-based). */
  table: number;
  column: number;
  /** The header cell as written. */
  header: string;
  field: PlanField;
  /** True when the user chose the field rather than the importer. */
  chosen: boolean;
  /** The first few values under the heading, shortened, so the preview shows what the column holds. */
  samples?: string[];
};

/** A user's correction: in table T, column C means F. */
export type ColumnChoice = { table: number; column: number; field: PlanField };

export type PlanAction = {
  text: string;
  agency: string | null;
  lead: string | null;
  responsibleOfficer: string | null;
  assurance: string | null;
  measure: string | null;
  /** The date cell's words and the date read from them (or from a real date cell). */
  due: { text: string; date: string | null } | null;
  rating: Rating | null;
  progress: { date: string | null; text: string }[];
  /**
   * Where the rating stands as the file says (Clasp's own export writes it): agreed or only
   * proposed, who agreed it and when, and whether it is disputed. Null when the file does not say.
   * (Optional here and below: drafts kept before these were read lack them.)
   */
  agreement?: PlanAgreement | null;
  /** The organisations the file names as taking part, each as written; null when the file does not say. */
  takingPart?: string[] | null;
  /** Evidence items the file lists (Clasp's own export: an "Evidence items" cell, or lines in Word). */
  evidence?: PlanEvidence[];
  /** Where it came from, for the preview: "table 2, row 5". */
  source: string;
};

export type PlanAgreement = {
  status: 'agreed' | 'proposed';
  /** Who agreed it, and the day (YYYY-MM-DD), when the file says. */
  by: string | null;
  on: string | null;
  disputed: boolean;
};

/**
 * An evidence item as a plan file gives it. A file cannot travel inside a table: an item that
 * was a file comes back as a note naming the file (and its SHA-256 when the line gives it).
 */
export type PlanEvidence = {
  kind: 'link' | 'note';
  title: string;
  /** YYYY-MM-DD the evidence is dated: the last day of the period it covers, when it covers one. */
  effectiveOn: string;
  /** YYYY-MM-DD the period starts, or null for a single date. */
  periodStart: string | null;
  url: string | null;
  note: string | null;
  status: 'submitted' | 'accepted' | 'rejected';
  reason: string | null;
  decidedBy: string | null;
  /** YYYY-MM-DD of the decision. */
  decidedOn: string | null;
  addedBy: string | null;
};

export type PlanRecommendation = {
  number: string;
  text: string;
  /** Group number ("1") or null when the file does not say. */
  group: string | null;
  outcomes: string[];
  /** Finding numbers from "(See …)". */
  findings: string[];
  anticipatedEvidence: string | null;
  actions: PlanAction[];
};

export type PlanDraft = {
  groups: { number: string; heading: string; addressees: string[] }[];
  recommendations: PlanRecommendation[];
  /** How each table's columns were read, for the preview and for corrections. */
  columns: PlanColumn[];
  /** The rating scale the file names in its headings or key (BRAG, RAG), or null when it names none. */
  scale?: 'BRAG' | 'RAG' | null;
  /** Rows that could not be placed, with why: listed, never dropped silently. */
  unplaced: { source: string; text: string; reason: string }[];
  warnings: string[];
};

export type PlanParseOptions = {
  /** Corrections to the column mapping, from the preview. */
  columns?: ColumnChoice[];
  /** Year used for dates written without one ("30 September"). */
  referenceYear?: number;
};

/** The public JSON of a report dry run, exactly the documented shape. */
export function reportJson(draft: ReportDraft) {
  return {
    review: {
      area: draft.review.area,
      reviewStart: draft.review.reviewStart,
      reviewEnd: draft.review.reviewEnd,
      published: draft.review.published,
      organisations: draft.review.organisations.map((o) => ({ name: o.name, kind: o.kind })),
    },
    findings: draft.findings.map((f) => ({
      number: f.number,
      section: f.section,
      text: f.text,
      recommendations: f.recommendations,
      publicHealth: f.publicHealth,
    })),
    groups: draft.groups.map((g) => ({
      number: g.number,
      addressees: g.addressees,
      recommendations: g.recommendations.map((r) => ({ number: r.number, text: r.text })),
    })),
    warnings: draft.warnings,
  };
}

/** The public JSON of a plan dry run, exactly the documented shape. */
export function planJson(draft: PlanDraft) {
  return {
    groups: draft.groups.map((g) => ({ number: g.number, addressees: g.addressees })),
    recommendations: draft.recommendations.map((r) => ({
      number: r.number,
      text: r.text === '' ? null : r.text,
      group: r.group,
      outcomes: r.outcomes,
      findings: r.findings,
      anticipatedEvidence: r.anticipatedEvidence,
      actions: r.actions.map((a) => ({
        text: a.text,
        agency: a.agency,
        lead: a.lead,
        responsibleOfficer: a.responsibleOfficer,
        assurance: a.assurance,
        measure: a.measure,
        due: a.due,
        rating: a.rating,
        progress: a.progress,
        agreement: a.agreement ?? null,
        takingPart: a.takingPart ?? null,
        evidence: a.evidence ?? [],
      })),
    })),
    warnings: draft.warnings,
  };
}
