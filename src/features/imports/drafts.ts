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
  /** Where it came from, for the preview: "table 2, row 5". */
  source: string;
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
      })),
    })),
    warnings: draft.warnings,
  };
}
