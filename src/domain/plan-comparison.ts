// What changed between two snapshots of a plan: the type every comparison page and report
// reads. compare.ts works it out.
import type { Rating } from './ratings.ts';

export interface ComparedSide {
  /** "Version 3 (14 July 2015)" or "Now (30 November 2026)" */
  label: string;
  /** Version number, or null for now. */
  number: string | null;
  takenAt: string;
  asOf: string;
}

export interface ActionRef {
  actionId: number;
  /** "Action 2 of recommendation 1.1" */
  label: string;
  recommendationNumber: string;
}

export interface FieldChange {
  /** Field name as users know it: "SMART action", "Lead officer", "Date of action"… */
  field: string;
  before: string;
  after: string;
}

export interface PlanComparison {
  from: ComparedSide;
  to: ComparedSide;
  addedRecommendations: { recommendationId: number; number: string; text: string }[];
  removedRecommendations: { recommendationId: number; number: string; text: string }[];
  changedRecommendations: { recommendationId: number; number: string; changes: FieldChange[] }[];
  addedActions: (ActionRef & { action: string; agency: string })[];
  removedActions: (ActionRef & { action: string; agency: string })[];
  changedActions: (ActionRef & { changes: FieldChange[] })[];
  ratingChanges: (ActionRef & { before: Rating | null; after: Rating | null })[];
  newProgress: (ActionRef & { progressId: number; on: string; text: string; author: string })[];
  newEvidence: (ActionRef & {
    evidenceId: number;
    title: string;
    effectiveOn: string;
    status: 'submitted' | 'accepted' | 'rejected';
  })[];
  /** Evidence present in both whose decision changed (submitted → accepted…). */
  evidenceDecisions: (ActionRef & { evidenceId: number; title: string; before: string; after: string })[];
  /** True when nothing at all differs. */
  unchanged: boolean;
}
