// The board and scrutiny report as plain data, worked out once from snapshots
// (board-model.ts) and written out as HTML, Word and PDF by one renderer each. Everything a
// renderer prints comes from here, already in plain English.
import type { RatingKeyEntry, RatingOrNone, RatingScale } from '../../../domain/ratings.ts';
import type { ExceptionKind } from '../../../domain/exceptions.ts';
import type { PlanComparison } from '../../../domain/plan-comparison.ts';
import type { QuestionRecord } from '../../../domain/meeting-records.ts';

export type { RatingOrNone };
/** One line of the key, shown on every page. */
export type KeyEntry = RatingKeyEntry;

export type RatingCountsWithNone = Record<RatingOrNone, number>;

/** A stacked bar chart. The same spec draws the SVG (HTML, PDF) and the PNG (Word). */
export interface ChartSpec {
  /** Stable id, used for SVG ids and file names: "ratings-by-organisation". */
  id: string;
  title: string;
  /** The text alternative: every number the chart shows, in sentences. */
  description: string;
  /** Bars: organisation names, or dates in words. */
  categories: string[];
  /** One series per rating (and "No rating"), stacked, in key order. */
  series: { key: RatingOrNone; name: string; colour: string; values: number[] }[];
  /** Horizontal bars suit long organisation names; vertical suit time. */
  orientation: 'horizontal' | 'vertical';
  categoryAxisName: string;
  valueAxisName: string;
}

export interface BoardReport {
  /** "Rotherham: progress of the CLAS action plan" */
  title: string;
  /** The review's title */
  reviewTitle: string;
  area: string;
  scale: RatingScale;
  /** "30 November 2026": the day the plan is assessed as at. */
  asOfWords: string;
  asOf: string;
  /** ISO instant of the snapshot: documents' timestamps. */
  takenAt: string;
  /** "Version 5, issued 10 August 2015 (Submitted to CQC)", or "The plan as it stands on 30 November 2026" */
  basisWords: string;
  /** The version compared with, in words, or null when none was issued before. */
  previousWords: string | null;
  illustrativeNotice: string | null;
  key: KeyEntry[];
  summary: {
    totalActions: number;
    totalRecommendations: number;
    counts: RatingCountsWithNone;
    /** Sentences for a lay reader: "12 of 93 actions are completed (Blue)." */
    sentences: string[];
    byOrganisation: { organisation: string; counts: RatingCountsWithNone; total: number }[];
    due: {
      /** When the plan was due to CQC, in words, and whether that has passed. */
      planDueWords: string | null;
      overdue: number;
      dueWithin30Days: number;
      dueLater: number;
      noDate: number;
      completed: number;
      sentences: string[];
    };
    /** Since the previous issued version: sentences, or one saying there is none. */
    trend: string[];
    /** Completed actions by where their lasting assurance stands; `lapsed` is counted on its own. */
    lasting: { lapsed: number; held: number; due: number; noDate: number; sentences: string[] };
  };
  charts: { byOrganisation: ChartSpec; overTime: ChartSpec };
  /** "What changed since the last board": null when there is no earlier version to compare with. */
  changes: PlanComparison | null;
  exceptions: {
    kind: ExceptionKind;
    /** "Overdue", "No progress for 90 days"… */
    kindWords: string;
    items: { label: string; recommendationNumber: string | null; reason: string }[];
  }[];
  /**
   * Actions whose agreed due date moved, or with a revised date waiting: first agreed, now due,
   * how often it moved. `known` is false for versions frozen before due dates were governed.
   */
  deadlines: {
    known: boolean;
    items: {
      label: string;
      recommendationNumber: string | null;
      originalWords: string;
      currentWords: string;
      moves: number;
      proposedWords: string;
    }[];
  };
  /** Completed actions whose assurance lapsed: "Assurance lapsed", each on its own row. */
  lapsed: {
    label: string;
    recommendationNumber: string | null;
    /** "Assurance lapsed" */
    statusWords: string;
    /** The day fresh evidence was due, in words. */
    dueWords: string;
    /** How the effect was to be shown to last. */
    sustainHow: string;
  }[];
  /** Questions from boards and panels; null for versions frozen before questions were kept. */
  questions: QuestionRecord[] | null;
  recommendations: {
    number: string;
    text: string;
    rating: RatingOrNone;
    /** "Amber" or "No rating yet" */
    ratingWords: string;
    /** One or two sentences: accepted evidence count, last progress, who agreed and when. */
    basisWords: string;
    acceptedEvidence: number;
    lastProgressOn: string | null;
    lastAgreedBy: string | null;
    lastAgreedOn: string | null;
    actions: number;
  }[];
}
