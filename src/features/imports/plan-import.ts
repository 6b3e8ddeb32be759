import type { RatingValue } from '../../platform/db/schema.ts';
import { formatLongDate } from '../../domain/dates.ts';
import { dueBeforeReview } from '../../domain/date-words.ts';
import { reviewBeganOn } from '../../domain/review-dates.ts';
import type { Db } from '../../platform/db/database.ts';
import { compareNumbers } from '../reviews/plan-edits.service.ts';
import type { PlanAction, PlanDraft, PlanRecommendation } from './drafts.ts';
import { organisationsInAgency, type AgencyOrganisation } from './agencies.ts';
import { loadPlanForImport } from './plan-import.repository.ts';
import {
  planFit,
  similarWording,
  type AgencyReading,
  type PlanFit,
  type RecommendationDifference,
} from './plan-fit.ts';

/*
 * An existing plan read from a file, laid over a review. Recommendations are matched by
 * number; actions by their text within a recommendation; progress entries by their text.
 * What is already there is left as it is, so importing the same file again changes nothing.
 */

/** Compares texts as a reader would: case, spacing and quote marks aside. */
export function sameText(a: string, b: string): boolean {
  return textKey(a) === textKey(b);
}

export function textKey(text: string): string {
  return text
    .replace(/[\u2018\u2019\u201b]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

export type ReviewState = {
  area: string;
  ratingScale: 'BRAG' | 'RAG';
  /** The day the review began: a due date before it is not taken (reviewBeganOn). */
  reviewBegan: string | null;
  /** Every group and recommendation, with those a reverted import archived (archived_at set). */
  groups: { id: number; number: number; archived_at: string | null }[];
  recs: {
    id: number;
    archived_at: string | null;
    number: string;
    text: string;
    outcome: string;
    anticipated_evidence: string;
    responsible_officer: string;
    group_id: number;
  }[];
  findings: Map<string, number>;
  links: Set<string>;
  actions: { id: number; recommendation_id: number; action_text: string; position: number }[];
  progress: Map<number, Set<string>>;
  organisations: AgencyOrganisation[];
  /** What the review's coordinators said agency cells stand for, by textKey: ids, or none. */
  mappings: Map<string, number[]>;
};

/** The organisations an agency cell stands for: as a coordinator said for this review, else by name. */
export function agencyOrganisations(state: ReviewState, agency: string | null): number[] {
  if (!agency?.trim()) return [];
  return state.mappings.get(textKey(agency)) ?? organisationsInAgency(agency, state.organisations);
}

export async function loadState(db: Db, reviewId: number): Promise<ReviewState> {
  const {
    area,
    ratingScale,
    reviewStart,
    published,
    groups,
    recs,
    findings,
    links,
    actions,
    progress,
    organisations,
    mappings,
  } = await loadPlanForImport(db, reviewId);
  const chosen = new Map<string, number[]>();
  for (const m of mappings) {
    const ids = chosen.get(m.agency_key) ?? [];
    if (m.organisation_id !== null) ids.push(m.organisation_id);
    chosen.set(m.agency_key, ids);
  }
  const progressKeys = new Map<number, Set<string>>();
  for (const p of progress) {
    const set = progressKeys.get(p.action_id) ?? new Set<string>();
    set.add(textKey(p.text));
    progressKeys.set(p.action_id, set);
  }
  return {
    area,
    ratingScale,
    reviewBegan: reviewBeganOn({ reviewStart, published }),
    groups,
    recs,
    findings: new Map(findings.map((f) => [f.number, f.id])),
    links: new Set(links.map((l) => `${l.finding_id}:${l.recommendation_id}`)),
    actions,
    progress: progressKeys,
    organisations,
    mappings: chosen,
  };
}

export type PlannedAction = {
  action: PlanAction;
  status: 'new' | 'present';
  actionId: number | null;
  newProgress: PlanAction['progress'];
  organisationIds: number[];
};
export type PlannedRecommendation = {
  draft: PlanRecommendation;
  status: 'matched' | 'new';
  recommendationId: number | null;
  groupNumber: number;
  actions: PlannedAction[];
  fills: { outcome: boolean; anticipatedEvidence: boolean; responsibleOfficer: boolean };
  newFindingLinks: number[];
};

export type PlanChanges = {
  recommendations: PlannedRecommendation[];
  counts: {
    recommendationsMatched: number;
    recommendationsNew: number;
    actionsNew: number;
    actionsPresent: number;
    progressNew: number;
    ratings: number;
    findingLinksNew: number;
    recommendationsFilled: number;
  };
  /** Agency cells that named no organisation taking part in the review. */
  unmatchedAgencies: string[];
  warnings: string[];
  /** True when confirming would change nothing: the file has been imported already. */
  nothingToDo: boolean;
  /** Recommendations the file words otherwise than the review: both texts. */
  differences: RecommendationDifference[];
  /** Outcomes the file gives for recommendations that have one already: not used, and said so. */
  outcomesKept: { number: string; review: string; file: string }[];
  /** Each agency cell of the file's new actions and what it was taken to mean. */
  agencies: AgencyReading[];
  /** New actions that would arrive with no organisation: no editor could update them. */
  actionsWithoutOrganisation: number;
  /** Whether the file looks like this review's plan. */
  fit: PlanFit;
};

/**
 * The action with its due date as this review takes it. Words whose only dates are before the
 * review began ("Safeguarding PLT 6 November 2014") name something already done, not when the
 * action is due: the words are kept and no date is derived (docs/importing.md).
 */
function dueInReview(action: PlanAction, reviewBegan: string | null): { action: PlanAction; early: string | null } {
  const due = action.due;
  if (!due?.date || !dueBeforeReview([due.date], reviewBegan)) return { action, early: null };
  return { action: { ...action, due: { text: due.text, date: null } }, early: due.date };
}

/** One warning for every action given no due date because its dates are before the review. */
function earlyDueWarning(early: readonly { where: string; date: string }[], reviewBegan: string): string {
  const began = formatLongDate(reviewBegan);
  const first = early[0];
  if (early.length === 1 && first) {
    return (
      `${dueBeforeReview([first.date], reviewBegan) ?? ''} (${first.where}). ` +
      'The date words are kept: add the due date after importing.'
    );
  }
  const list = early.map((e) => `${e.where} (${formatLongDate(e.date)})`).join('; ');
  return (
    `No due date for ${early.length} actions, as their dates are before the review began on ${began}: ${list}. ` +
    'The date words are kept: add the due dates after importing.'
  );
}

function groupNumberOf(rec: PlanRecommendation): number {
  const fromGroup = rec.group === null ? NaN : Number.parseInt(rec.group, 10);
  if (Number.isInteger(fromGroup)) return fromGroup;
  const first = Number.parseInt(rec.number.split('.')[0] ?? '', 10);
  return Number.isInteger(first) ? first : 1;
}

export function allowedRating(scale: 'BRAG' | 'RAG', rating: RatingValue | null): RatingValue | null {
  if (rating === 'blue' && scale === 'RAG') return null;
  return rating;
}

/** A recommendation the file gives twice is one recommendation with the actions of both. */
function mergeRepeatedNumbers(recs: readonly PlanRecommendation[], warnings: string[]): PlanRecommendation[] {
  const byNumber = new Map<string, PlanRecommendation>();
  for (const rec of recs) {
    const first = byNumber.get(rec.number);
    if (!first) {
      byNumber.set(rec.number, { ...rec, actions: [...rec.actions] });
      continue;
    }
    warnings.push(`Recommendation ${rec.number} appears more than once in the file: its actions are taken together.`);
    first.actions.push(...rec.actions);
    first.findings = [...new Set([...first.findings, ...rec.findings])];
    first.outcomes = [...new Set([...first.outcomes, ...rec.outcomes])];
    first.anticipatedEvidence ??= rec.anticipatedEvidence;
    if (!first.text) first.text = rec.text;
  }
  return [...byNumber.values()];
}

/** The counts of an import that changes nothing: each is added to as the changes are worked out. */
export function noChanges(): PlanChanges['counts'] {
  return {
    recommendationsMatched: 0,
    recommendationsNew: 0,
    actionsNew: 0,
    actionsPresent: 0,
    progressNew: 0,
    ratings: 0,
    findingLinksNew: 0,
    recommendationsFilled: 0,
  };
}

/** Works out what importing the draft into the review would do, without writing anything. */
export async function planChanges(db: Db, reviewId: number, draft: PlanDraft): Promise<PlanChanges> {
  const state = await loadState(db, reviewId);
  const warnings = [...draft.warnings];
  const unmatched = new Set<string>();
  const counts = noChanges();
  const planned: PlannedRecommendation[] = [];
  const missingRecs: string[] = [];
  const missingFindings = new Set<string>();
  let greenFromRag = false;
  const reworded: string[] = [];
  const compared: RecommendationDifference[] = [];
  const outcomesKept: PlanChanges['outcomesKept'] = [];
  const newGroups = new Set<number>();
  const earlyDue: { where: string; date: string }[] = [];
  const mergedRecs = mergeRepeatedNumbers(draft.recommendations, warnings);
  for (const rec of mergedRecs) {
    const existing = state.recs.find((r) => r.number === rec.number) ?? null;
    // One a reverted import archived is written to again (its number is taken), but is counted,
    // compared and checked for fit as what it is: not in the review.
    if (existing && existing.archived_at === null) {
      counts.recommendationsMatched += 1;
      if (rec.text) {
        const same = sameText(existing.text, rec.text);
        if (!same) reworded.push(rec.number);
        compared.push({
          number: rec.number,
          review: existing.text,
          file: rec.text,
          similar: same || similarWording(existing.text, rec.text),
        });
      }
    } else {
      if (!state.groups.some((g) => g.number === groupNumberOf(rec) && g.archived_at === null))
        newGroups.add(groupNumberOf(rec));
      counts.recommendationsNew += 1;
      missingRecs.push(rec.text ? rec.number : `${rec.number} (no text in the file: fill it in after importing)`);
    }
    const outcome = rec.outcomes.join('\n').trim();
    const officers = [...new Set(rec.actions.map((a) => a.responsibleOfficer?.trim() ?? '').filter(Boolean))];
    const fills = {
      outcome: Boolean(outcome) && !existing?.outcome.trim(),
      anticipatedEvidence: Boolean(rec.anticipatedEvidence?.trim()) && !existing?.anticipated_evidence.trim(),
      responsibleOfficer: officers.length === 1 && !existing?.responsible_officer.trim(),
    };
    if (existing && (fills.outcome || fills.anticipatedEvidence || fills.responsibleOfficer))
      counts.recommendationsFilled += 1;
    // An outcome the review has already is never overwritten: the preview says the file's is not used.
    if (existing && outcome && existing.outcome.trim() && !sameText(existing.outcome, outcome))
      outcomesKept.push({ number: rec.number, review: existing.outcome, file: outcome });

    const newFindingLinks: number[] = [];
    for (const number of new Set(rec.findings)) {
      const findingId = state.findings.get(number);
      if (findingId === undefined) {
        missingFindings.add(number);
      } else if (!existing || !state.links.has(`${findingId}:${existing.id}`)) {
        newFindingLinks.push(findingId);
      }
    }
    counts.findingLinksNew += newFindingLinks.length;

    // Actions already in the plan, by text, counted so that two identical actions stay two.
    const present = new Map<string, { id: number }[]>();
    if (existing) {
      for (const a of state.actions.filter((x) => x.recommendation_id === existing.id)) {
        const key = textKey(a.action_text);
        present.set(key, [...(present.get(key) ?? []), { id: a.id }]);
      }
    }
    const actions: PlannedAction[] = [];
    for (const fromFile of rec.actions) {
      const { action, early } = dueInReview(fromFile, state.reviewBegan);
      const matches = present.get(textKey(action.text)) ?? [];
      const match = matches.shift() ?? null;
      const seen = match ? (state.progress.get(match.id) ?? new Set<string>()) : new Set<string>();
      // An entry is there already when its words are, even inside a longer entry (a plan imported
      // before, or typed in, may hold a whole cell as one update).
      const newProgress = action.progress.filter((p) => {
        const key = textKey(p.text);
        return key !== '' && !seen.has(key) && ![...seen].some((existing) => existing.includes(key));
      });
      // A file that names every organisation taking part (Clasp's own export) is taken at its
      // word, each name read as an agency cell is; otherwise the agency cell says who.
      const takingPart = action.takingPart ?? null;
      const organisationIds = takingPart
        ? [...new Set(takingPart.flatMap((name) => agencyOrganisations(state, name)))]
        : agencyOrganisations(state, action.agency);
      if (takingPart) {
        for (const name of takingPart) if (agencyOrganisations(state, name).length === 0) unmatched.add(name);
      } else if (action.agency?.trim() && organisationIds.length === 0) unmatched.add(action.agency.trim());
      if (match) counts.actionsPresent += 1;
      else {
        counts.actionsNew += 1;
        if (early) earlyDue.push({ where: `recommendation ${rec.number}, ${action.source}`, date: early });
        if (allowedRating(state.ratingScale, action.rating)) counts.ratings += 1;
      }
      counts.progressNew += newProgress.length;
      actions.push({
        action,
        status: match ? 'present' : 'new',
        actionId: match?.id ?? null,
        newProgress,
        organisationIds,
      });
    }
    if (draft.scale === 'RAG' && state.ratingScale === 'BRAG' && rec.actions.some((a) => a.rating === 'green'))
      greenFromRag = true;
    if (state.ratingScale === 'RAG' && rec.actions.some((a) => a.rating === 'blue')) {
      warnings.push(
        `Recommendation ${rec.number}: the file rates actions Blue but this review uses the RAG scale, ` +
          'so those ratings are left out.',
      );
    }
    planned.push({
      draft: rec,
      status: existing ? 'matched' : 'new',
      recommendationId: existing?.id ?? null,
      groupNumber: groupNumberOf(rec),
      actions,
      fills,
      newFindingLinks,
    });
  }
  if (reworded.length) {
    warnings.push(
      'The file ' +
        'words ' +
        `${reworded.length === 1 ? `recommendation ${reworded[0]}` : `recommendations ${reworded.join(', ')}`} ` +
        "differently from the review; the review's wording is kept.",
    );
  }
  if (earlyDue.length && state.reviewBegan) warnings.push(earlyDueWarning(earlyDue, state.reviewBegan));
  if (greenFromRag) {
    warnings.push(
      'The file rates on the RAG scale, where Green means completed; ' +
        'this review uses BRAG, where Green means on target and Blue completed. ' +
        'Green ratings are imported as Green: change those that mean completed to Blue.',
    );
  }
  // One warning for each kind of gap, however many rows it touches, so the preview stays readable.
  if (missingRecs.length) {
    warnings.push(
      missingRecs.length === 1
        ? `Recommendation ${missingRecs[0]} is not in the review: it will be added.`
        : `${missingRecs.length} recommendations are not in the review and will be added: ${missingRecs.join(', ')}.`,
    );
  }
  if (missingFindings.size) {
    const list = [...missingFindings].sort(compareNumbers);
    warnings.push(
      `The file links recommendations to ${list.length === 1 ? 'finding' : 'findings'} ${list.join(', ')}, ` +
        'which the review does not have: those links are left out. Import the CQC report first to have them.',
    );
  }
  for (const agency of unmatched) {
    // Words a coordinator said stand for no organisation are not asked about again.
    if (state.mappings.has(textKey(agency))) continue;
    warnings.push(
      `The agency "${agency}" names no organisation taking part in this review: ` +
        'its actions are imported without an organisation; add it on the people page or edit the actions.',
    );
  }
  const nothingToDo =
    counts.recommendationsNew +
      counts.actionsNew +
      counts.progressNew +
      counts.findingLinksNew +
      counts.recommendationsFilled ===
    0;
  const agencies = agencyReadings(state, planned);
  const actionsWithoutOrganisation = planned
    .flatMap((r) => r.actions)
    .filter((a) => a.status === 'new' && a.organisationIds.length === 0).length;
  if (actionsWithoutOrganisation) {
    warnings.push(
      `${actionsWithoutOrganisation} new ${actionsWithoutOrganisation === 1 ? 'action' : 'actions'} ` +
        'would arrive with no ' +
        'organisation, so no editor could update them: say which organisation each agency stands for ' +
        'before importing, or give the actions an organisation afterwards.',
    );
  }
  const fit = planFit({
    area: state.area,
    reviewRecommendations: state.recs.filter((r) => r.archived_at === null).length,
    reviewOrganisations: state.organisations.length,
    differences: compared,
    fileRecommendations: mergedRecs,
    newGroups: [...newGroups].sort((a, b) => a - b),
    agencies,
    draft,
  });
  return {
    recommendations: planned,
    counts,
    unmatchedAgencies: [...unmatched],
    warnings,
    nothingToDo,
    differences: compared.filter((d) => !sameText(d.review, d.file)),
    outcomesKept,
    agencies,
    actionsWithoutOrganisation,
    fit,
  };
}

/** Each distinct agency cell of the new actions, what it was taken to mean and how many actions carry it. */
function agencyReadings(state: ReviewState, planned: readonly PlannedRecommendation[]): AgencyReading[] {
  const byKey = new Map<string, AgencyReading>();
  for (const a of planned.flatMap((r) => r.actions)) {
    const text = a.action.agency?.trim() ?? '';
    if (a.status !== 'new' || !text) continue;
    const key = textKey(text);
    const reading = byKey.get(key) ?? {
      text,
      organisationIds: a.organisationIds,
      how: state.mappings.has(key) ? 'chosen' : a.organisationIds.length ? 'matched' : 'none',
      actions: 0,
    };
    reading.actions += 1;
    byKey.set(key, reading);
  }
  return [...byKey.values()];
}
