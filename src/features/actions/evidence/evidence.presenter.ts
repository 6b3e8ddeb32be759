import { formatDate } from '../../../domain/dates.ts';
import { dateInputFrom, type FormErrors } from '../../../platform/forms.ts';
import { ACCEPTED_DESCRIPTION } from '../../../platform/uploads/file-check.ts';
import type { ActionAccess } from '../actions.service.ts';
import { actionPlace, dateValue, errorView, title } from '../assurance.presenter.ts';
import type { EvidenceDraft } from './evidence.forms.ts';
import type { EvidenceForDecision } from './decision.service.ts';

/* Evidence being added or decided on -> what the evidence and decision forms show. */

export function presentEvidenceForm(
  access: ActionAccess,
  draft: EvidenceDraft | null,
  errors: FormErrors | null,
  uploadLimit: string,
) {
  return {
    pageTitle: title(`Add evidence – ${access.label}`, errors),
    ...actionPlace(access),
    ...errorView(errors),
    formAction: `/reviews/${access.review.id}/actions/${access.action.id}/evidence/new`,
    fileHint: `A ${ACCEPTED_DESCRIPTION} file, smaller than ${uploadLimit}.`,
    values: {
      kind: draft?.kind ?? '',
      title: draft?.title ?? '',
      url: draft?.url ?? '',
      note: draft?.note ?? '',
      effectiveOn: dateValue(draft?.effectiveOn ?? dateInputFrom(null)),
      periodStart: dateValue(draft?.periodStart ?? dateInputFrom(null)),
    },
  };
}

const STATUS_WORDS: Record<string, string> = {
  submitted: 'Submitted, not yet decided',
  accepted: 'Accepted',
  rejected: 'Rejected',
};

export function presentDecisionForm(
  { access, evidence }: EvidenceForDecision,
  values: { decision: string; reason: string },
  errors: FormErrors | null,
) {
  const base = `/reviews/${access.review.id}`;
  const decided =
    evidence.status === 'submitted'
      ? null
      : `${STATUS_WORDS[evidence.status]} ` +
        `by ${evidence.status_by_name ?? 'someone'}` +
        `${evidence.status_at ? ` on ${formatDate(evidence.status_at)}` : ''}`;
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
      statusReason: evidence.status_reason,
      version: evidence.version,
    },
    values,
  };
}
