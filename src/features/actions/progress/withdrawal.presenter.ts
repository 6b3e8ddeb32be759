import { formatDate } from '../../../domain/dates.ts';
import { ratingName } from '../../../domain/ratings.ts';
import { fieldText } from '../../../platform/forms.ts';
import type { RefusedForm } from '../../../platform/http/form-replies.ts';
import { formatRecordedAt } from '../actions.presenter.ts';
import { actionPlace, errorView, title } from '../assurance.presenter.ts';
import type { EvidenceForWithdrawal } from '../evidence/evidence-withdrawal.service.ts';
import type { ProgressForWithdrawal } from './progress-withdrawal.service.ts';

/* A progress update or an item of evidence about to be withdrawn -> what the page asking first shows. */

const KEPT = 'It stays in the action’s history, marked withdrawn, with your name, the date and your reason.';

function formState(refused: RefusedForm | null) {
  const errors = refused?.failure.errors ?? null;
  // After a refusal (409) the page says why instead of offering the form again.
  const reason = refused && refused.failure.status !== 409 ? fieldText(refused.fields, 'reason') : '';
  return { errors, values: { reason } };
}

export function presentProgressWithdrawal(
  found: ProgressForWithdrawal,
  refused: RefusedForm | null,
  returnTo: string | null,
) {
  const { access, update, evidence, refusal } = found;
  const { errors, values } = formState(refused);
  const place = actionPlace(access);
  const titles = evidence.map((e) => `“${e.title}”`).join(', ');
  return {
    pageTitle: title(`Withdraw a progress update – ${access.label}`, errors),
    ...place,
    ...errorView(errors),
    heading: refusal ? 'This progress update cannot be withdrawn' : 'Withdraw this progress update?',
    rows: [
      { key: { text: 'Date of the update' }, value: { text: formatDate(update.progress_on) } },
      { key: { text: 'Posted by' }, value: { text: `${update.author_name}, ${formatRecordedAt(update.created_at)}` } },
      ...(update.proposed_rating
        ? [{ key: { text: 'Proposed rating' }, value: { text: ratingName(update.proposed_rating) } }]
        : []),
      ...(evidence.length ? [{ key: { text: 'Evidence sent with it' }, value: { text: titles } }] : []),
    ],
    itemTextHeading: 'What has been done',
    itemText: update.text,
    refusal,
    consequences: [
      KEPT,
      ...(update.proposed_rating
        ? [`Its proposed rating, ${ratingName(update.proposed_rating)}, no longer waits for the group’s decision.`]
        : []),
      ...(evidence.length ? [`The evidence sent with it (${titles}) is withdrawn too.`] : []),
      'It no longer counts as the action’s latest progress.',
    ],
    formAction: `/reviews/${access.review.id}/progress/${update.id}/withdraw`,
    buttonText: 'Withdraw the update',
    cancelText: 'Go back without withdrawing',
    returnTo,
    returnHref: returnTo ?? place.actionHref,
    values,
  };
}

export function presentEvidenceWithdrawal(
  found: EvidenceForWithdrawal,
  refused: RefusedForm | null,
  returnTo: string | null,
) {
  const { access, evidence, refusal } = found;
  const { errors, values } = formState(refused);
  const place = actionPlace(access);
  const what =
    evidence.kind === 'file'
      ? `File: ${evidence.file_name ?? 'evidence'}`
      : evidence.kind === 'link'
        ? `Link: ${evidence.url ?? ''}`
        : 'Note';
  return {
    pageTitle: title(`Withdraw evidence – ${access.label}`, errors),
    ...place,
    ...errorView(errors),
    heading: refusal ? 'This evidence cannot be withdrawn' : 'Withdraw this evidence?',
    rows: [
      { key: { text: 'Title' }, value: { text: evidence.title } },
      { key: { text: 'Evidence' }, value: { text: what } },
      {
        key: { text: 'Added by' },
        value: { text: `${evidence.added_by_name}, ${formatRecordedAt(evidence.created_at)}` },
      },
    ],
    itemTextHeading: 'Note',
    itemText: evidence.kind === 'note' ? evidence.note : null,
    refusal,
    consequences: [
      KEPT,
      'It no longer waits for the peer challenge group to accept or reject it, ' +
        'and never counts as evidence for the action.',
    ],
    formAction: `/reviews/${access.review.id}/evidence/${evidence.id}/withdraw`,
    buttonText: 'Withdraw the evidence',
    cancelText: 'Go back without withdrawing',
    returnTo,
    returnHref: returnTo ?? place.actionHref,
    values,
  };
}
