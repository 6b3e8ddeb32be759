import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Database, RatingValue } from '../../platform/db/schema.ts';
import { recordAudit, recordAudits, type AuditEntry } from '../../platform/audit.ts';
import { compareNumbers } from '../editing/editing.service.ts';
import type { PlanAction, PlanDraft, PlanRecommendation } from './drafts.ts';
import { sameOrganisation } from './organisation-names.ts';
import type { Importer } from './importer.ts';

/*
 * An existing plan read from a file, laid over a review. Recommendations are matched by
 * number; actions by their text within a recommendation; progress entries by date and text.
 * What is already there is left as it is, so importing the same file again changes nothing.
 */

type Db = Kysely<Database> | Transaction<Database>;

/** Compares texts as a reader would: case, spacing and quote marks aside. */
export function sameText(a: string, b: string): boolean {
  return textKey(a) === textKey(b);
}

function textKey(text: string): string {
  return text
    .replace(/[\u2018\u2019\u201b]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

type ReviewState = {
  ratingScale: 'BRAG' | 'RAG';
  groups: { id: number; number: number }[];
  recs: { id: number; number: string; text: string; outcome: string; anticipated_evidence: string; responsible_officer: string; group_id: number }[];
  findings: Map<string, number>;
  links: Set<string>;
  actions: { id: number; recommendation_id: number; action_text: string; position: number }[];
  progress: Map<number, Set<string>>;
  organisations: { id: number; name: string; short_name: string }[];
};

async function loadState(db: Db, reviewId: number): Promise<ReviewState> {
  const [review, groups, recs, findings, links, actions, progress, organisations] = await Promise.all([
    db.selectFrom('reviews').select('rating_scale').where('id', '=', reviewId).executeTakeFirstOrThrow(),
    db.selectFrom('recommendation_groups').select(['id', 'number']).where('review_id', '=', reviewId).execute(),
    db
      .selectFrom('recommendations')
      .select(['id', 'number', 'text', 'outcome', 'anticipated_evidence', 'responsible_officer', 'group_id'])
      .where('review_id', '=', reviewId)
      .execute(),
    db.selectFrom('findings').select(['id', 'number']).where('review_id', '=', reviewId).execute(),
    db
      .selectFrom('finding_recommendations')
      .innerJoin('findings', 'findings.id', 'finding_recommendations.finding_id')
      .select(['finding_recommendations.finding_id', 'finding_recommendations.recommendation_id'])
      .where('findings.review_id', '=', reviewId)
      .execute(),
    db.selectFrom('actions').select(['id', 'recommendation_id', 'action_text', 'position']).where('review_id', '=', reviewId).execute(),
    db.selectFrom('progress_updates').select(['action_id', 'progress_on', 'text']).where('review_id', '=', reviewId).execute(),
    takingPart(db, reviewId),
  ]);
  const progressKeys = new Map<number, Set<string>>();
  for (const p of progress) {
    const set = progressKeys.get(p.action_id) ?? new Set<string>();
    set.add(textKey(p.text));
    progressKeys.set(p.action_id, set);
  }
  return {
    ratingScale: review.rating_scale,
    groups,
    recs,
    findings: new Map(findings.map((f) => [f.number, f.id])),
    links: new Set(links.map((l) => `${l.finding_id}:${l.recommendation_id}`)),
    actions,
    progress: progressKeys,
    organisations,
  };
}

/** Organisations taking part in the review: lead, covered, addressed by a group, or named on an action. */
async function takingPart(db: Db, reviewId: number) {
  const ids = new Set<number>();
  const review = await db.selectFrom('reviews').select('lead_organisation_id').where('id', '=', reviewId).executeTakeFirst();
  if (review?.lead_organisation_id) ids.add(review.lead_organisation_id);
  const [covered, addressed, named] = await Promise.all([
    db.selectFrom('review_organisations').select('organisation_id').where('review_id', '=', reviewId).execute(),
    db
      .selectFrom('recommendation_group_organisations')
      .innerJoin('recommendation_groups', 'recommendation_groups.id', 'recommendation_group_organisations.group_id')
      .select('recommendation_group_organisations.organisation_id')
      .where('recommendation_groups.review_id', '=', reviewId)
      .execute(),
    db
      .selectFrom('action_organisations')
      .innerJoin('actions', 'actions.id', 'action_organisations.action_id')
      .select('action_organisations.organisation_id')
      .where('actions.review_id', '=', reviewId)
      .execute(),
  ]);
  for (const row of [...covered, ...addressed, ...named]) ids.add(row.organisation_id);
  if (ids.size === 0) return [];
  return db.selectFrom('organisations').select(['id', 'name', 'short_name']).where('id', 'in', [...ids]).orderBy('id').execute();
}

/** The organisations an agency cell names ("RCCG/NHS England", "TRFT and RDaSH"), among those taking part. */
export function organisationsInAgency(agency: string, organisations: readonly { id: number; name: string; short_name: string }[]): number[] {
  const found = new Set<number>();
  const whole = agency.trim();
  const parts = [whole, ...whole.split(/\s*(?:\/|,|;|\n|\band\b|&|\+)\s*/i)].map((p) => p.replace(/^[•\-\s]+/, '').trim()).filter(Boolean);
  for (const part of parts) {
    for (const o of organisations) {
      if (sameOrganisation(o.name, part) || sameOrganisation(o.short_name, part)) found.add(o.id);
    }
  }
  return [...found];
}

export type PlannedAction = { action: PlanAction; status: 'new' | 'present'; actionId: number | null; newProgress: PlanAction['progress']; organisationIds: number[] };
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
};

function groupNumberOf(rec: PlanRecommendation): number {
  const fromGroup = rec.group === null ? NaN : Number.parseInt(rec.group, 10);
  if (Number.isInteger(fromGroup)) return fromGroup;
  const first = Number.parseInt(rec.number.split('.')[0] ?? '', 10);
  return Number.isInteger(first) ? first : 1;
}

function allowedRating(scale: 'BRAG' | 'RAG', rating: RatingValue | null): RatingValue | null {
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

/** Works out what importing the draft into the review would do, without writing anything. */
export async function planChanges(db: Db, reviewId: number, draft: PlanDraft): Promise<PlanChanges> {
  const state = await loadState(db, reviewId);
  const warnings = [...draft.warnings];
  const unmatched = new Set<string>();
  const counts: PlanChanges['counts'] = {
    recommendationsMatched: 0,
    recommendationsNew: 0,
    actionsNew: 0,
    actionsPresent: 0,
    progressNew: 0,
    ratings: 0,
    findingLinksNew: 0,
    recommendationsFilled: 0,
  };
  const planned: PlannedRecommendation[] = [];
  const missingRecs: string[] = [];
  const missingFindings = new Set<string>();
  for (const rec of mergeRepeatedNumbers(draft.recommendations, warnings)) {
    const existing = state.recs.find((r) => r.number === rec.number) ?? null;
    if (existing) {
      counts.recommendationsMatched += 1;
      if (rec.text && !sameText(existing.text, rec.text)) {
        warnings.push(`Recommendation ${rec.number}: the file's wording differs from the review's; the review's wording is kept.`);
      }
    } else {
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
    if (existing && (fills.outcome || fills.anticipatedEvidence || fills.responsibleOfficer)) counts.recommendationsFilled += 1;

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
    for (const action of rec.actions) {
      const matches = present.get(textKey(action.text)) ?? [];
      const match = matches.shift() ?? null;
      const seen = match ? (state.progress.get(match.id) ?? new Set<string>()) : new Set<string>();
      const newProgress = action.progress.filter((p) => p.text.trim() && !seen.has(textKey(p.text)));
      const organisationIds = action.agency ? organisationsInAgency(action.agency, state.organisations) : [];
      if (action.agency?.trim() && organisationIds.length === 0) unmatched.add(action.agency.trim());
      if (match) counts.actionsPresent += 1;
      else {
        counts.actionsNew += 1;
        if (allowedRating(state.ratingScale, action.rating)) counts.ratings += 1;
      }
      counts.progressNew += newProgress.length;
      actions.push({ action, status: match ? 'present' : 'new', actionId: match?.id ?? null, newProgress, organisationIds });
    }
    if (state.ratingScale === 'RAG' && rec.actions.some((a) => a.rating === 'blue')) {
      warnings.push(`Recommendation ${rec.number}: the file rates actions Blue but this review uses the RAG scale, so those ratings are left out.`);
    }
    planned.push({ draft: rec, status: existing ? 'matched' : 'new', recommendationId: existing?.id ?? null, groupNumber: groupNumberOf(rec), actions, fills, newFindingLinks });
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
      `The file links recommendations to ${list.length === 1 ? 'finding' : 'findings'} ${list.join(', ')}, which the review does not have: those links are left out. Import the CQC report first to have them.`,
    );
  }
  for (const agency of unmatched) {
    warnings.push(`The agency "${agency}" names no organisation taking part in this review: its actions are imported without an organisation; add it on the people page or edit the actions.`);
  }
  const nothingToDo =
    counts.recommendationsNew + counts.actionsNew + counts.progressNew + counts.findingLinksNew + counts.recommendationsFilled === 0;
  return { recommendations: planned, counts, unmatchedAgencies: [...unmatched], warnings, nothingToDo };
}

export type PlanImportResult = PlanChanges['counts'];

/** Lays the draft over the review in the caller's transaction, from changes worked out inside it. */
export async function applyPlan(
  trx: Transaction<Database>,
  reviewId: number,
  draft: PlanDraft,
  o: { fileName: string; who: Importer; now: string; today: string },
): Promise<PlanChanges> {
  const changes = await planChanges(trx, reviewId, draft);
  const state = await loadState(trx, reviewId);
  const audit = o.who.audit;
  const author = `Imported plan (${o.fileName})`;
  const groupIds = new Map(state.groups.map((g) => [g.number, g.id]));
  let recPosition = state.recs.length;
  const batch: {
    actionOrganisations: Insertable<Database['action_organisations']>[];
    progress: Insertable<Database['progress_updates']>[];
    ratings: Insertable<Database['rating_events']>[];
    audits: AuditEntry[];
  } = { actionOrganisations: [], progress: [], ratings: [], audits: [] };

  for (const rec of changes.recommendations) {
    let recommendationId = rec.recommendationId;
    if (recommendationId === null) {
      let groupId = groupIds.get(rec.groupNumber);
      if (groupId === undefined) {
        const heading = draft.groups.find((g) => Number(g.number) === rec.groupNumber)?.heading ?? `Recommendations ${rec.groupNumber}`;
        const row = await trx
          .insertInto('recommendation_groups')
          .values({ review_id: reviewId, number: rec.groupNumber, heading, position: groupIds.size })
          .returning('id')
          .executeTakeFirstOrThrow();
        groupId = row.id;
        groupIds.set(rec.groupNumber, groupId);
        await recordAudit(trx, { ...audit, reviewId, entityType: 'group', entityId: groupId, action: 'imported', after: { number: rec.groupNumber, heading } });
      }
      const values = {
        number: rec.draft.number,
        text: rec.draft.text,
        outcome: rec.draft.outcomes.join('\n').trim(),
        anticipated_evidence: rec.draft.anticipatedEvidence?.trim() ?? '',
        responsible_officer: rec.fills.responsibleOfficer ? (rec.draft.actions.find((a) => a.responsibleOfficer?.trim())?.responsibleOfficer?.trim() ?? '') : '',
      };
      const row = await trx
        .insertInto('recommendations')
        .values({ review_id: reviewId, group_id: groupId, ...values, assurance: '', position: recPosition++, archived_at: null, version: 1 })
        .returning('id')
        .executeTakeFirstOrThrow();
      recommendationId = row.id;
      await recordAudit(trx, { ...audit, reviewId, entityType: 'recommendation', entityId: recommendationId, action: 'imported', after: values });
    } else if (rec.fills.outcome || rec.fills.anticipatedEvidence || rec.fills.responsibleOfficer) {
      const set: Record<string, string> = {};
      if (rec.fills.outcome) set.outcome = rec.draft.outcomes.join('\n').trim();
      if (rec.fills.anticipatedEvidence) set.anticipated_evidence = rec.draft.anticipatedEvidence?.trim() ?? '';
      if (rec.fills.responsibleOfficer) set.responsible_officer = rec.draft.actions.find((a) => a.responsibleOfficer?.trim())?.responsibleOfficer?.trim() ?? '';
      await trx
        .updateTable('recommendations')
        .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
        .where('id', '=', recommendationId)
        .execute();
      await recordAudit(trx, { ...audit, reviewId, entityType: 'recommendation', entityId: recommendationId, action: 'imported', after: set });
    }
    for (const findingId of rec.newFindingLinks) {
      await trx.insertInto('finding_recommendations').values({ finding_id: findingId, recommendation_id: recommendationId }).execute();
    }

    let position = Math.max(-1, ...state.actions.filter((a) => a.recommendation_id === recommendationId).map((a) => a.position)) + 1;
    for (const planned of rec.actions) {
      const a = planned.action;
      let actionId = planned.actionId;
      if (actionId === null) {
        const officer = a.responsibleOfficer?.trim() ?? '';
        const lead = [a.lead?.trim() ?? '', officer && !rec.fills.responsibleOfficer ? `Responsible officer: ${officer}` : ''].filter(Boolean).join('\n');
        const row = await trx
          .insertInto('actions')
          .values({
            review_id: reviewId,
            recommendation_id: recommendationId,
            position: position++,
            agency_text: a.agency?.trim() ?? '',
            action_text: a.text,
            lead_text: lead,
            lead_user_id: null,
            date_words: a.due?.text ?? '',
            due_date: a.due?.date ?? null,
            measure: a.measure?.trim() ?? '',
            assurance: a.assurance?.trim() ?? '',
            created_on: o.today,
            created_at: o.now,
            updated_at: o.now,
            archived_at: null,
            version: 1,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        actionId = row.id;
        for (const organisationId of planned.organisationIds) batch.actionOrganisations.push({ action_id: actionId, organisation_id: organisationId });
        batch.audits.push({
          ...audit,
          reviewId,
          actionId,
          entityType: 'action',
          entityId: actionId,
          action: 'imported',
          after: { recommendation: rec.draft.number, text: a.text, agency: a.agency, lead, due: a.due, rating: a.rating, from: o.fileName, source: a.source },
        });
      }
      const dates: string[] = [];
      for (const p of planned.newProgress) {
        // An entry the file gives no date is dated the day it was imported, and says so.
        if (p.date) dates.push(p.date);
        batch.progress.push({
          review_id: reviewId,
          action_id: actionId,
          progress_on: p.date ?? o.today,
          text: p.text,
          author_user_id: null,
          author_name: p.date ? author : `${author}, undated in the file`,
          proposed_rating: null,
          is_illustrative: 0,
          created_at: o.now,
        });
      }
      const rating = allowedRating(state.ratingScale, a.rating);
      if (planned.status === 'new' && rating) {
        batch.ratings.push({
          review_id: reviewId,
          action_id: actionId,
          kind: 'agreed',
          rating,
          decided_on: [...dates, ...a.progress.map((p) => p.date ?? '')].filter(Boolean).sort().at(-1) ?? o.today,
          user_id: o.who.audit.userId,
          actor_name: author,
          rationale: 'The rating the imported plan gave.',
          override_reason: null,
          is_illustrative: 0,
          created_at: o.now,
        });
      }
      if (planned.newProgress.length && planned.status === 'present') {
        batch.audits.push({ ...audit, reviewId, actionId, entityType: 'action', entityId: actionId, action: 'progress imported', after: { entries: planned.newProgress.length, from: o.fileName } });
      }
    }
  }
  // The rows that hang off actions go in batches: thousands of one-row statements were most of an import's time.
  await insertInBatches(trx, 'action_organisations', batch.actionOrganisations);
  await insertInBatches(trx, 'progress_updates', batch.progress);
  await insertInBatches(trx, 'rating_events', batch.ratings);
  await recordAudits(trx, batch.audits);
  return changes;
}

type BatchTable = 'action_organisations' | 'progress_updates' | 'rating_events';

async function insertInBatches<T extends BatchTable>(trx: Transaction<Database>, table: T, rows: Insertable<Database[T]>[]): Promise<void> {
  // At most a dozen values a row: 400 rows stay inside both databases' limits on parameters.
  for (let i = 0; i < rows.length; i += 400) {
    await trx
      .insertInto(table)
      .values(rows.slice(i, i + 400) as never)
      .execute();
  }
}

/** Recommendation numbers in reading order, for previews. */
export function sortByNumber<T extends { number: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => compareNumbers(a.number, b.number));
}
