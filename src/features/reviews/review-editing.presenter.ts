import type { RefusedForm } from '../../platform/http/form-replies.ts';
import { fieldText } from '../../platform/forms.ts';
import { checkboxItems, formValues } from '../../platform/http/form-pages.ts';
import { reviewCrumbs } from '../../platform/review-paths.ts';
import { DEFAULT_TITLE_START } from './reviews.forms.ts';
import { DEFAULT_ASSIGNMENT_DAYS } from '../../domain/exceptions.ts';
import type { ReviewForm } from './review-editing.service.ts';

/** The date fields of the review form. */
const DATE_FIELDS = ['reviewStart', 'reviewEnd', 'reportPublished', 'reportReceived'];

/* A review's details -> what the review form shows. */

export function presentReviewForm(form: ReviewForm, refused: RefusedForm | null) {
  const { review } = form;
  const { fields, version } = formValues(refused, form.values, form.version, DATE_FIELDS);
  const lead = fieldText(fields, 'leadOrganisationId');
  return {
    heading: review ? 'Edit review details' : 'Create a review',
    area: review?.area,
    formAction: review ? `/reviews/${review.id}/edit` : '/reviews/new',
    cancelHref: review ? `/reviews/${review.id}` : '/reviews',
    breadcrumbs: review ? reviewCrumbs(review) : [{ text: 'Reviews', href: '/reviews' }],
    fields,
    version,
    defaultTitleStart: DEFAULT_TITLE_START,
    defaultAssignmentDays: DEFAULT_ASSIGNMENT_DAYS,
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
