import type { z } from 'zod';
import { formatDate } from '../../../domain/dates.ts';
import { dateBoxes, dateInputFrom, fieldText } from '../../../platform/forms.ts';
import type { RefusedForm } from '../../../platform/http/form-replies.ts';
import { ACCEPTED_DESCRIPTION } from '../../../platform/uploads/file-check.ts';
import type { ActionAccess } from '../actions.service.ts';
import { actionPlace, dateValue, errorView, title } from '../assurance.presenter.ts';
import type { EvidenceForDecision } from './decision.service.ts';
import type { EvidenceRow } from './evidence.repository.ts';
import type { decidedEvidenceSchema } from './evidence.schemas.ts';

/* Evidence being added or decided on -> what the evidence and decision forms, and the API, show. */

export function presentEvidenceForm(access: ActionAccess, refused: RefusedForm | null, uploadLimit: string) {
  const errors = refused?.failure.errors ?? null;
  const fields = refused?.fields;
  return {
    pageTitle: title(`Add evidence – ${access.label}`, errors),
    ...actionPlace(access),
    ...errorView(errors),
    formAction: `/reviews/${access.review.id}/actions/${access.action.id}/evidence/new`,
    fileHint: `A ${ACCEPTED_DESCRIPTION} file, smaller than ${uploadLimit}.`,
    values: fields
      ? {
          kind: fieldText(fields, 'kind'),
          title: fieldText(fields, 'title'),
          url: fieldText(fields, 'url'),
          note: fieldText(fields, 'note'),
          effectiveOn: dateBoxes(fields, 'effectiveOn'),
          periodStart: dateBoxes(fields, 'periodStart'),
        }
      : {
          kind: '',
          title: '',
          url: '',
          note: '',
          effectiveOn: dateValue(dateInputFrom(null)),
          periodStart: dateValue(dateInputFrom(null)),
        },
  };
}

const STATUS_WORDS: Record<string, string> = {
  submitted: 'Submitted, not yet decided',
  accepted: 'Accepted',
  rejected: 'Rejected',
};

/**
 * The decision form: empty, or with the decision a link chose (`chosen`); or shown again after
 * a refusal with what was typed. After a conflict (409) it shows the decision now recorded and
 * starts afresh from it.
 */
export function presentDecisionForm(
  { access, evidence, withdrawal }: EvidenceForDecision,
  refused: RefusedForm | null,
  chosen: 'accept' | 'reject' | '' = '',
  returnTo: string | null = null,
) {
  const errors = refused?.failure.errors ?? null;
  const values =
    refused && refused.failure.status !== 409
      ? { decision: fieldText(refused.fields, 'decision'), reason: fieldText(refused.fields, 'reason') }
      : { decision: refused ? '' : chosen, reason: '' };
  const base = `/reviews/${access.review.id}`;
  const decided = withdrawal
    ? `Withdrawn by ${withdrawal.actor_name} on ${formatDate(withdrawal.created_at)}` +
      (withdrawal.reason ? `. Reason: ${withdrawal.reason}` : '')
    : evidence.status === 'submitted'
      ? null
      : `${STATUS_WORDS[evidence.status]} ` +
        `by ${evidence.status_by_name ?? 'someone'}` +
        (evidence.status_at ? ` on ${formatDate(evidence.status_at)}` : '');
  return {
    pageTitle: title(`Accept or reject evidence – ${access.label}`, errors),
    ...actionPlace(access),
    ...errorView(errors),
    formAction: `${base}/evidence/${evidence.id}/decision`,
    evidence: {
      title: evidence.title,
      kind: evidence.kind === 'file' ? 'File' : evidence.kind === 'link' ? 'Link' : 'Note',
      file:
        evidence.kind === 'file'
          ? { name: evidence.file_name ?? 'evidence', href: `${base}/evidence/${evidence.id}/file` }
          : null,
      url: evidence.kind === 'link' ? evidence.url : null,
      note: evidence.kind === 'note' ? evidence.note : null,
      dates: evidence.period_start
        ? `${formatDate(evidence.period_start)} to ${formatDate(evidence.effective_on)}`
        : formatDate(evidence.effective_on),
      addedBy: evidence.added_by_name,
      addedOn: formatDate(evidence.created_at),
      status: decided ?? STATUS_WORDS.submitted,
      statusReason: withdrawal ? null : evidence.status_reason,
      version: evidence.version,
    },
    // Withdrawn evidence is not decided on: the page says so and offers no form.
    withdrawn: withdrawal !== null,
    returnTo,
    returnHref: returnTo ?? actionPlace(access).actionHref,
    values,
  };
}

/** Evidence as the decision API answers with it. */
export function presentDecidedEvidence(evidence: EvidenceRow): z.input<typeof decidedEvidenceSchema> {
  const { id, status, status_reason, status_by_name, status_at, version } = evidence;
  return { id, status, status_reason, status_by_name, status_at, version };
}
