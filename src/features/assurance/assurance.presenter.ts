import { formatDate } from '../../domain/dates.ts';
import {
  ratingLabel,
  ratingName,
  ratingsOf,
  shownRating,
  type Rating,
  type RatingScale,
} from '../../domain/ratings.ts';
import { dateInputFrom, type DateInputValue, type FormErrors } from '../../platform/forms.ts';
import { ratingTag } from '../../platform/presentation.ts';
import { ACCEPTED_DESCRIPTION } from '../../platform/uploads/file-check.ts';
import type { ActionAccess } from '../actions/actions.service.ts';
import type { EvidenceDraft, ProgressDraft, RatingDraft } from './assurance.forms.ts';
import type { EvidenceForDecision } from './decision.service.ts';
import type { RatingForm } from './rating.service.ts';
import { NO_CHANGE } from './progress.service.ts';

/* Rows and drafts -> what the assurance forms show. */

/** Error summary links go to the first box of a date and the first choice of radios. */
const DATE_FIELDS = ['progressOn', 'evidenceOn', 'effectiveOn', 'periodStart'];

function errorView(errors: FormErrors | null) {
  if (!errors?.any) return { errors: [], fieldErrors: {} as Record<string, string> };
  const hrefs = Object.fromEntries(DATE_FIELDS.map((f) => [f, `#${f}-day`]));
  return { errors: errors.summary(hrefs), fieldErrors: errors.fields };
}

function title(text: string, errors: FormErrors | null): string {
  return errors?.any ? `Error: ${text}` : text;
}

function actionPlace(access: ActionAccess) {
  const base = `/reviews/${access.review.id}`;
  const actionHref = `${base}/actions/${access.action.id}`;
  return {
    label: access.label,
    actionHref,
    breadcrumbs: [
      { text: 'Reviews', href: '/reviews' },
      { text: access.review.area, href: base },
      {
        text: `Recommendation ${access.action.recommendation_number}`,
        href: `${base}/recommendations/${encodeURIComponent(access.action.recommendation_number)}`,
      },
      { text: access.label, href: actionHref },
    ],
  };
}

/** The plan's own key as radio choices: "Blue: completed", "Green: on target"… */
export function ratingItems(scale: RatingScale, ratings: readonly Rating[]) {
  return ratings.map((rating) => ({ value: rating, text: ratingLabel(scale, rating) }));
}

function dateValue(value: DateInputValue) {
  return { day: value.day, month: value.month, year: value.year };
}

export function presentProgressForm(
  access: ActionAccess,
  draft: ProgressDraft | null,
  errors: FormErrors | null,
  today: string,
  uploadLimit: string,
) {
  const scale = access.review.rating_scale;
  return {
    pageTitle: title(`Post a progress update – ${access.label}`, errors),
    ...actionPlace(access),
    ...errorView(errors),
    formAction: `/reviews/${access.review.id}/actions/${access.action.id}/progress/new`,
    ratingItems: [
      ...ratingItems(scale, ratingsOf(scale)),
      { divider: 'or' },
      { value: NO_CHANGE, text: 'No change to the rating' },
    ],
    fileHint: `A ${ACCEPTED_DESCRIPTION} file, smaller than ${uploadLimit}.`,
    values: {
      progressOn: dateValue(draft?.progressOn ?? dateInputFrom(today)),
      text: draft?.text ?? '',
      proposedRating: draft?.proposedRating || NO_CHANGE,
      evidenceTitle: draft?.evidence.title ?? '',
      evidenceOn: dateValue(draft?.evidence.effectiveOn ?? dateInputFrom(null)),
    },
  };
}

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
      : `${STATUS_WORDS[evidence.status]} by ${evidence.status_by_name ?? 'someone'}${evidence.status_at ? ` on ${formatDate(evidence.status_at)}` : ''}`;
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

export function presentRatingForm(form: RatingForm, draft: RatingDraft | null, errors: FormErrors | null) {
  const { access, current } = form;
  const scale = access.review.rating_scale;
  const fieldErrors = errorView(errors);
  const showOverride = Boolean(fieldErrors.fieldErrors.overrideReason) || Boolean(draft?.overrideReason);
  const agreeing = !draft || draft.decision === 'agree';
  return {
    pageTitle: title(`Agree or challenge the rating – ${access.label}`, errors),
    ...actionPlace(access),
    ...fieldErrors,
    formAction: `/reviews/${access.review.id}/actions/${access.action.id}/rating`,
    current: {
      tag: ratingTag(scale, shownRating(current)),
      agreed: current.agreed ? `${ratingName(current.agreed)}, agreed ${formatDate(current.agreedAt)}` : 'None yet',
      proposal: form.latestProposal
        ? `${ratingName(form.latestProposal.rating)}, proposed by ${form.latestProposal.by} on ${formatDate(form.latestProposal.decidedOn)}`
        : 'None',
      challenge: current.challenge
        ? `Challenged on ${formatDate(current.challenge.at)}: ${current.challenge.rationale}`
        : null,
    },
    evidence: {
      window: `${formatDate(form.window.from)} to ${formatDate(form.window.to)}`,
      staleDays: form.staleDays,
      items: form.recentEvidence.map((e) => `${e.title} (${formatDate(e.effectiveOn)})`),
    },
    ratingItems: ratingItems(scale, form.ratings),
    challengeable: form.challengeable,
    showOverride,
    values: {
      rating: agreeing && draft ? draft.rating : (form.latestProposal?.rating ?? ''),
      rationale: agreeing ? (draft?.rationale ?? '') : '',
      overrideReason: draft?.overrideReason ?? '',
      challengeRationale: !agreeing ? (draft?.rationale ?? '') : '',
    },
  };
}
