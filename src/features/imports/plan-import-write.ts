import type { Trx } from '../../platform/db/database.ts';
import { recordAudit, recordAudits, type AuditEntry } from '../../platform/audit.ts';
import {
  insertAction,
  insertActionOrganisations,
  insertEvidence,
  insertFindingLinks,
  insertGroup,
  insertProgress,
  insertRatingChallenges,
  insertRatingEvents,
  insertRecommendation,
  type ActionOrganisationRow,
  type NewEvidence,
  type NewProgress,
  type NewRatingChallenge,
  type NewRatingEvent,
} from '../reviews/plan-writer.service.ts';
import { evidenceRows, ratingRows } from './plan-import-rows.ts';
import type { PlanDraft } from './drafts.ts';
import { restoreRevertedNumbers } from './import-revert.repository.ts';
import type { Importer } from './importer.ts';
import { allowedRating, loadState, planChanges, type PlanChanges } from './plan-import.ts';
import { fillRecommendation, takeReviewRow, type RecommendationFills } from './plan-import.repository.ts';

/*
 * Writing an imported plan into a review, once the preview has been confirmed. Every row written
 * carries the import's id (import_id), so that the import can be reverted.
 */

export type PlanImportResult = PlanChanges['counts'];

/** Lays the draft over the review in the caller's transaction, from changes worked out inside it. */
export async function applyPlan(
  trx: Trx,
  reviewId: number,
  draft: PlanDraft,
  o: { fileName: string; who: Importer; now: string; today: string; undatedOn: string; importId: number | null },
): Promise<PlanChanges> {
  // The audit events carry the import's own time, the one its rows are stamped with.
  const at = new Date(o.now);
  // Take the review's row first: a second import into the same review waits for this one, then
  // sees its actions as already there, instead of adding them twice.
  await takeReviewRow(trx, reviewId, o.now);
  // What the import does is worked out before anything is written, so that what a reverted import
  // archived counts as new, as the preview counted it; those numbers then come back with this file,
  // rather than being made again.
  const changes = await planChanges(trx, reviewId, draft);
  await restoreRevertedNumbers(
    trx,
    reviewId,
    {
      recommendations: draft.recommendations.map((r) => r.number),
      groups: draft.groups.map((g) => Number(g.number)).filter(Number.isInteger),
    },
    o.importId,
  );
  const state = await loadState(trx, reviewId);
  const audit = o.who.audit;
  const author = `Imported plan (${o.fileName})`;
  const groupIds = new Map(state.groups.map((g) => [g.number, g.id]));
  let recPosition = state.recs.length;
  const batch: {
    actionOrganisations: ActionOrganisationRow[];
    progress: NewProgress[];
    ratings: NewRatingEvent[];
    challenges: NewRatingChallenge[];
    evidence: NewEvidence[];
    audits: AuditEntry[];
  } = { actionOrganisations: [], progress: [], ratings: [], challenges: [], evidence: [], audits: [] };
  const importId = o.importId;

  for (const rec of changes.recommendations) {
    let recommendationId = rec.recommendationId;
    if (recommendationId === null) {
      let groupId = groupIds.get(rec.groupNumber);
      if (groupId === undefined) {
        const heading =
          draft.groups.find((g) => Number(g.number) === rec.groupNumber)?.heading ??
          `Recommendations ${rec.groupNumber}`;
        groupId = await insertGroup(trx, {
          review_id: reviewId,
          number: rec.groupNumber,
          heading,
          position: groupIds.size,
          import_id: importId,
        });
        groupIds.set(rec.groupNumber, groupId);
        await recordAudit(
          trx,
          {
            ...audit,
            reviewId,
            entityType: 'group',
            entityId: groupId,
            action: 'imported',
            after: { number: rec.groupNumber, heading },
          },
          at,
        );
      }
      const values = {
        number: rec.draft.number,
        text: rec.draft.text,
        outcome: rec.draft.outcomes.join('\n').trim(),
        anticipated_evidence: rec.draft.anticipatedEvidence?.trim() ?? '',
        responsible_officer: rec.fills.responsibleOfficer
          ? (rec.draft.actions.find((a) => a.responsibleOfficer?.trim())?.responsibleOfficer?.trim() ?? '')
          : '',
      };
      recommendationId = await insertRecommendation(trx, {
        review_id: reviewId,
        group_id: groupId,
        ...values,
        assurance: '',
        position: recPosition++,
        import_id: importId,
      });
      await recordAudit(
        trx,
        {
          ...audit,
          reviewId,
          entityType: 'recommendation',
          entityId: recommendationId,
          action: 'imported',
          after: values,
        },
        at,
      );
    } else if (rec.fills.outcome || rec.fills.anticipatedEvidence || rec.fills.responsibleOfficer) {
      const set: RecommendationFills = {};
      if (rec.fills.outcome) set.outcome = rec.draft.outcomes.join('\n').trim();
      if (rec.fills.anticipatedEvidence) set.anticipated_evidence = rec.draft.anticipatedEvidence?.trim() ?? '';
      if (rec.fills.responsibleOfficer)
        set.responsible_officer =
          rec.draft.actions.find((a) => a.responsibleOfficer?.trim())?.responsibleOfficer?.trim() ?? '';
      await fillRecommendation(trx, recommendationId, set);
      await recordAudit(
        trx,
        {
          ...audit,
          reviewId,
          entityType: 'recommendation',
          entityId: recommendationId,
          action: 'imported',
          after: set,
        },
        at,
      );
    }
    await insertFindingLinks(
      trx,
      rec.newFindingLinks.map((findingId) => ({
        finding_id: findingId,
        recommendation_id: recommendationId,
        import_id: importId,
      })),
    );

    let position =
      Math.max(-1, ...state.actions.filter((a) => a.recommendation_id === recommendationId).map((a) => a.position)) + 1;
    for (const planned of rec.actions) {
      const a = planned.action;
      let actionId = planned.actionId;
      if (actionId === null) {
        const officer = a.responsibleOfficer?.trim() ?? '';
        const lead = [
          a.lead?.trim() ?? '',
          officer && !rec.fills.responsibleOfficer ? `Responsible officer: ${officer}` : '',
        ]
          .filter(Boolean)
          .join('\n');
        actionId = await insertAction(trx, {
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
          import_id: importId,
        });
        for (const organisationId of planned.organisationIds)
          // Each organisation is given the action now: its editor accepts or disputes it (issue 14).
          batch.actionOrganisations.push({
            action_id: actionId,
            organisation_id: organisationId,
            assigned_at: o.now,
            import_id: importId,
          });
        batch.evidence.push(
          ...evidenceRows(
            { review_id: reviewId, action_id: actionId, import_id: importId, created_at: o.now },
            a,
            author,
          ),
        );
        batch.audits.push({
          ...audit,
          reviewId,
          actionId,
          entityType: 'action',
          entityId: actionId,
          action: 'imported',
          after: {
            recommendation: rec.draft.number,
            text: a.text,
            agency: a.agency,
            lead,
            due: a.due,
            rating: a.rating,
            agreement: a.agreement ?? null,
            takingPart: a.takingPart ?? null,
            evidence: (a.evidence ?? []).length,
            from: o.fileName,
            source: a.source,
          },
        });
      }
      const dates: string[] = [];
      for (const p of planned.newProgress) {
        // An entry the file gives no date is dated the day it was imported, and says so.
        if (p.date) dates.push(p.date);
        batch.progress.push({
          review_id: reviewId,
          action_id: actionId,
          progress_on: p.date ?? o.undatedOn,
          text: p.text,
          author_user_id: null,
          author_name: p.date ? author : `${author}, undated in the file`,
          proposed_rating: null,
          is_illustrative: 0,
          created_at: o.now,
          import_id: importId,
        });
      }
      const rating = allowedRating(state.ratingScale, a.rating);
      if (planned.status === 'new' && rating) {
        const latest = [...dates, ...a.progress.map((p) => p.date ?? '')].filter(Boolean).sort().at(-1) ?? o.undatedOn;
        const rows = ratingRows(
          { review_id: reviewId, action_id: actionId, import_id: importId, created_at: o.now },
          rating,
          a,
          { author, userId: o.who.audit.userId, fileName: o.fileName, latest },
        );
        batch.ratings.push(...rows.ratings);
        batch.challenges.push(...rows.challenges);
      }
      if (planned.newProgress.length && planned.status === 'present') {
        batch.audits.push({
          ...audit,
          reviewId,
          actionId,
          entityType: 'action',
          entityId: actionId,
          action: 'progress imported',
          after: { entries: planned.newProgress.length, from: o.fileName },
        });
      }
    }
  }
  // The rows that hang off actions go in batches: thousands of one-row statements were most of an import's time.
  await insertActionOrganisations(trx, batch.actionOrganisations);
  await insertProgress(trx, batch.progress);
  await insertRatingEvents(trx, batch.ratings);
  await insertRatingChallenges(trx, batch.challenges);
  await insertEvidence(trx, batch.evidence);
  await recordAudits(trx, batch.audits, at);
  return changes;
}
