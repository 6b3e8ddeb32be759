import { formatDate } from '../../domain/dates.ts';
import type { FormErrors } from '../../platform/forms.ts';
import type { Breadcrumb } from '../../platform/http/pages.ts';
import type { ReviewRow } from '../../platform/db/schema.ts';
import type { Fields, StaleEdit } from './editing.service.ts';
import type { ReviewForm } from './review-editing.service.ts';
import { DEFAULT_TITLE_START } from './review-editing.service.ts';
import type { GroupForm } from './group-editing.service.ts';
import type { RecommendationForm } from './recommendation-editing.service.ts';
import { FINDING_SECTIONS, type FindingForm } from './finding-editing.service.ts';
import type { ActionForm, ActionNotes } from './action-editing.service.ts';
import type { getArchive } from './recommendation-editing.service.ts';

/* Form rows -> what the editing templates show. */

export interface FormFailure {
  errors: FormErrors;
  stale: StaleEdit | null;
}

/** Date inputs link from the error summary to their day box (NHS design system). */
const DATE_HREFS: Record<string, string> = Object.fromEntries(
  ['reviewStart', 'reviewEnd', 'reportPublished', 'reportReceived', 'dueDate'].map((name) => [name, `#${name}-day`]),
);

/** The page title, status, error summary and field messages of a form, with or without problems. */
export function formState(title: string, failure?: FormFailure) {
  const errorList = failure
    ? [
        ...(failure.stale ? [{ text: failure.stale.message, href: '#changes' }] : []),
        ...failure.errors.summary(DATE_HREFS),
      ]
    : [];
  return {
    status: failure ? (failure.stale ? 409 : 400) : 200,
    context: {
      pageTitle: errorList.length ? `Error: ${title}` : title,
      errorList,
      errors: failure?.errors.fields ?? {},
      stale: failure?.stale ?? null,
    },
  };
}

function listOf(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function checkboxItems(options: readonly { id: number; name: string }[], selected: string | string[] | undefined) {
  const chosen = listOf(selected);
  return options.map((o) => ({ value: String(o.id), text: o.name, checked: chosen.includes(String(o.id)) }));
}

function reviewCrumbs(review: ReviewRow): Breadcrumb[] {
  return [
    { text: 'Reviews', href: '/reviews' },
    { text: review.area, href: `/reviews/${review.id}` },
  ];
}

export function presentReviewForm(form: ReviewForm, fields: Fields, version: number | null) {
  const { review } = form;
  const lead = typeof fields.leadOrganisationId === 'string' ? fields.leadOrganisationId : '';
  return {
    heading: review ? 'Edit review details' : 'Create a review',
    area: review?.area,
    formAction: review ? `/reviews/${review.id}/edit` : '/reviews/new',
    cancelHref: review ? `/reviews/${review.id}` : '/reviews',
    breadcrumbs: review ? reviewCrumbs(review) : [{ text: 'Reviews', href: '/reviews' }],
    fields,
    version,
    defaultTitleStart: DEFAULT_TITLE_START,
    noOrganisations: form.organisations.length === 0,
    leadItems: [{ value: '', text: 'Choose an organisation', selected: lead === '' }].concat(
      form.organisations.map((o) => ({ value: String(o.id), text: o.name, selected: lead === String(o.id) })),
    ),
    organisationItems: checkboxItems(form.organisations, fields.organisationIds),
    scaleItems: [
      {
        value: 'BRAG',
        text: 'BRAG: Blue, Red, Amber, Green',
        hint: { text: 'Blue means completed and evidenced; Green means on target.' },
        checked: fields.ratingScale === 'BRAG',
      },
      {
        value: 'RAG',
        text: 'RAG: Red, Amber, Green',
        hint: { text: 'Green means completed or on target.' },
        checked: fields.ratingScale === 'RAG',
      },
    ],
  };
}

export function presentGroupForm(form: GroupForm, fields: Fields, version: number | null) {
  const base = `/reviews/${form.review.id}`;
  return {
    heading: form.groupId ? 'Edit recommendation group' : 'Add a recommendation group',
    area: form.review.area,
    formAction: form.groupId ? `${base}/groups/${form.groupId}/edit` : `${base}/groups/new`,
    cancelHref: base,
    breadcrumbs: reviewCrumbs(form.review),
    editReviewHref: `${base}/edit`,
    fields,
    version,
    noOrganisations: form.organisations.length === 0,
    organisationItems: checkboxItems(form.organisations, fields.organisationIds),
  };
}

export function presentRecommendationForm(form: RecommendationForm, fields: Fields, version: number | null) {
  const base = `/reviews/${form.review.id}`;
  const group = typeof fields.groupId === 'string' ? fields.groupId : '';
  return {
    heading: form.number ? `Edit recommendation ${form.number}` : 'Add a recommendation',
    area: form.review.area,
    formAction: form.number
      ? `${base}/recommendations/${encodeURIComponent(form.number)}/edit`
      : `${base}/recommendations/new`,
    cancelHref: form.number ? `${base}/recommendations/${encodeURIComponent(form.number)}` : base,
    breadcrumbs: reviewCrumbs(form.review),
    newGroupHref: `${base}/groups/new`,
    fields,
    version,
    noGroups: form.groups.length === 0,
    groupItems: [{ value: '', text: 'Choose a group', selected: group === '' }].concat(
      form.groups.map((g) => ({
        value: String(g.id),
        text: `Group ${g.number}: ${g.heading}`,
        selected: group === String(g.id),
      })),
    ),
  };
}

export function presentFindingForm(form: FindingForm, fields: Fields, version: number | null) {
  const base = `/reviews/${form.review.id}`;
  const section = typeof fields.section === 'string' ? fields.section : '';
  return {
    heading: form.number ? `Edit finding ${form.number}` : 'Add a finding',
    area: form.review.area,
    formAction: form.number ? `${base}/findings/${encodeURIComponent(form.number)}/edit` : `${base}/findings/new`,
    cancelHref: form.number ? `${base}/findings/${encodeURIComponent(form.number)}` : `${base}/findings`,
    breadcrumbs: [...reviewCrumbs(form.review), { text: 'Findings', href: `${base}/findings` }],
    fields,
    version,
    sectionItems: FINDING_SECTIONS.map((s) => ({ value: s, text: s, checked: section === s })),
    otherChecked: section === 'other',
    kindItems: [
      { value: 'concern', text: 'Concern', checked: fields.kind === 'concern' },
      { value: 'good_practice', text: 'Good practice', checked: fields.kind === 'good_practice' },
    ],
    publicHealthItems: [
      {
        value: 'yes',
        text: 'The report brought this to the attention of public health',
        checked: fields.publicHealth === 'yes',
      },
    ],
    recommendationItems: form.recommendations.map((r) => ({
      value: String(r.id),
      text: `Recommendation ${r.number}`,
      hint: { text: r.text.length > 160 ? `${r.text.slice(0, 157).trimEnd()}…` : r.text },
      checked: listOf(fields.recommendationIds).includes(String(r.id)),
    })),
  };
}

export interface SavedNotice {
  added: boolean;
  notes: ActionNotes;
}

export function presentActionForm(form: ActionForm, fields: Fields, version: number | null, saved?: SavedNotice) {
  const base = `/reviews/${form.review.id}`;
  const recommendationHref = `${base}/recommendations/${encodeURIComponent(form.recommendation.number)}`;
  const own = form.organisations.filter((o) => form.ownOrganisationIds.includes(o.id)).map((o) => o.name);
  return {
    heading: form.actionId ? 'Edit action' : `Add an action to recommendation ${form.recommendation.number}`,
    area: form.review.area,
    recommendation: { number: form.recommendation.number, text: form.recommendation.text, href: recommendationHref },
    formAction: form.actionId ? `${base}/actions/${form.actionId}/edit` : `${recommendationHref}/actions/new`,
    cancelHref: form.actionId ? `${base}/actions/${form.actionId}` : recommendationHref,
    actionHref: form.actionId ? `${base}/actions/${form.actionId}` : null,
    breadcrumbs: [
      ...reviewCrumbs(form.review),
      { text: `Recommendation ${form.recommendation.number}`, href: recommendationHref },
    ],
    fields,
    version,
    organisationHint: form.isCoordinator
      ? 'Select every organisation that takes part in the action.'
      : `Include at least one of your own organisations: ${own.join(' or ')}. You may add partner organisations too.`,
    organisationItems: checkboxItems(form.organisations, fields.organisationIds),
    saved: saved
      ? {
          title: saved.added ? 'Action added' : 'Action saved',
          dueDate: saved.notes.dueDate,
          smart: saved.notes.smart.map((g) => g.reason),
        }
      : null,
  };
}

export function presentArchive(archive: Awaited<ReturnType<typeof getArchive>>) {
  const base = `/reviews/${archive.review.id}`;
  return {
    pageTitle: `Archived recommendations and actions – ${archive.review.area}`,
    area: archive.review.area,
    canRestore: archive.canRestore,
    breadcrumbs: reviewCrumbs(archive.review),
    recommendations: archive.recommendations.map((r) => ({
      number: r.number,
      text: r.text,
      archivedOn: formatDate(r.archived_at),
      restoreAction: `${base}/recommendations/${encodeURIComponent(r.number)}/restore`,
    })),
    actions: archive.actions.map((a) => ({
      href: `${base}/actions/${a.id}`,
      text: a.action_text,
      agency: a.agency_text,
      recommendationNumber: a.recommendation_number,
      archivedOn: formatDate(a.archived_at),
      withRecommendation: a.recommendation_archived_at !== null,
      restoreAction: `${base}/actions/${a.id}/restore`,
    })),
  };
}
