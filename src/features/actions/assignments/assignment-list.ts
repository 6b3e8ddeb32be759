import type { Db } from '../../../platform/db/database.ts';
import { editableOrganisations, type Actor } from '../../../domain/permissions.ts';
import { listAnswers, listAssignedOrganisations } from './assignments.repository.ts';

/* The organisations given an action and where each stands: for the action page and the answer form. */

export interface AssignmentAnswer {
  response: 'accepted' | 'disputed';
  reason: string;
  by: string;
  at: string;
  illustrative: boolean;
}

export interface Assignment {
  organisationId: number;
  name: string;
  shortName: string;
  /** When the organisation was given the action; null when not known. */
  assignedAt: string | null;
  /** The latest answer, or null when it has not answered. */
  answer: AssignmentAnswer | null;
  /** Every answer, oldest first. */
  answers: AssignmentAnswer[];
}

/** Each organisation given the action, with its answers. The caller has checked access. */
export async function actionAssignments(db: Db, actionId: number): Promise<Assignment[]> {
  const [organisations, answers] = await Promise.all([
    listAssignedOrganisations(db, actionId),
    listAnswers(db, actionId),
  ]);
  return organisations.map((o) => {
    const mine = answers
      .filter((a) => a.organisation_id === o.id)
      .map((a) => ({
        response: a.response,
        reason: a.reason,
        by: a.actor_name,
        at: a.created_at,
        illustrative: a.is_illustrative === 1,
      }));
    return {
      organisationId: o.id,
      name: o.name,
      shortName: o.short_name,
      assignedAt: o.assigned_at,
      answer: mine.at(-1) ?? null,
      answers: mine,
    };
  });
}

/** The organisations of the action this person may answer for: those they edit for. */
export function answerableOrganisations(
  actor: Actor,
  reviewId: number,
  assignments: readonly Assignment[],
): Assignment[] {
  const own = editableOrganisations(actor, reviewId);
  return assignments.filter((a) => own.includes(a.organisationId));
}
