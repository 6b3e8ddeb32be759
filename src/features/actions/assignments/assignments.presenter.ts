import { actionCrumbs } from '../../../platform/review-paths.ts';
import { formatRecordedAt } from '../actions.presenter.ts';
import { fieldText } from '../../../platform/forms.ts';
import type { RefusedForm } from '../../../platform/http/form-replies.ts';
import type { Assignment, AssignmentAccess } from './assignments.service.ts';

/* Assignments -> the words of the action page and of the answer page, and their JSON. */

/** "Accepted by Sam Nurse on 3 December 2026 at 2pm", "Disputed …", or "Not yet answered". */
export function assignmentStatus(a: Assignment) {
  const answer = a.answer;
  if (!answer) {
    return {
      tag: { text: 'Not yet answered', classes: 'nhsuk-tag--grey' },
      words: a.assignedAt ? `Given the action on ${formatRecordedAt(a.assignedAt)}.` : '',
      reason: null,
    };
  }
  const when = formatRecordedAt(answer.at);
  return answer.response === 'accepted'
    ? {
        tag: { text: 'Accepted', classes: 'nhsuk-tag--green' },
        words: `Accepted by ${answer.by}${when ? ` on ${when}` : ''}.`,
        reason: answer.reason || null,
      }
    : {
        tag: { text: 'Disputed', classes: 'nhsuk-tag--red' },
        words: `Disputed by ${answer.by}${when ? ` on ${when}` : ''}.`,
        reason: answer.reason,
      };
}

export function presentAssignmentForm(
  found: AssignmentAccess,
  refused: RefusedForm | null,
  chosen: { organisation?: string; response?: string },
) {
  const { access, answerable } = found;
  const base = `/reviews/${access.review.id}`;
  const actionHref = `${base}/actions/${access.action.id}`;
  const fields = refused?.fields ?? {};
  const organisation = fieldText(fields, 'organisationId') || chosen.organisation || '';
  const response = fieldText(fields, 'response') || chosen.response || '';
  return {
    heading: `Accept or dispute ${access.label.charAt(0).toLowerCase()}${access.label.slice(1)}`,
    area: access.review.area,
    label: access.label,
    recommendationNumber: access.action.recommendation_number,
    text: access.action.action_text,
    formAction: `${actionHref}/assignment`,
    cancelHref: `${actionHref}#assignments`,
    // One organisation is sent as it is; several are a choice.
    single: answerable.length === 1 ? answerable[0]?.organisationId : null,
    organisationItems: answerable.map((a) => ({
      value: String(a.organisationId),
      text: a.name,
      checked: organisation === String(a.organisationId),
    })),
    noneMine: answerable.length === 0,
    assignments: found.assignments.map((a) => ({ name: a.name, ...assignmentStatus(a) })),
    response,
    reason: fieldText(fields, 'reason'),
    breadcrumbs: actionCrumbs(access.review, access.action.recommendation_number, {
      label: access.label,
      href: actionHref,
    }),
  };
}

export function presentAssignmentsJson(assignments: readonly Assignment[]) {
  return assignments.map((a) => ({
    organisationId: a.organisationId,
    name: a.name,
    assignedAt: a.assignedAt,
    answer: a.answer && { response: a.answer.response, reason: a.answer.reason, by: a.answer.by, at: a.answer.at },
  }));
}

/**
 * The action page's list of organisations given the action, each with where it stands; the
 * person's own organisations get "Accept this action" and "Dispute it".
 */
export function presentActionAssignments(
  assignments: readonly Assignment[],
  ownOrganisationIds: readonly number[],
  actionHref: string,
) {
  return assignments.map((a) => {
    const mine = ownOrganisationIds.includes(a.organisationId);
    return {
      organisationId: a.organisationId,
      name: a.name,
      ...assignmentStatus(a),
      illustrative: a.answer?.illustrative ?? false,
      answerAction: mine ? `${actionHref}/assignment` : null,
      disputeHref: mine ? `${actionHref}/assignment?organisation=${a.organisationId}&response=disputed` : null,
      accepted: a.answer?.response === 'accepted',
    };
  });
}
