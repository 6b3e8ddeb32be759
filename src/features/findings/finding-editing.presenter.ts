import type { RefusedForm } from '../../platform/http/form-replies.ts';
import { fieldText } from '../../platform/forms.ts';
import { formValues, listOf } from '../../platform/http/form-pages.ts';
import { reviewCrumbs } from '../../platform/review-paths.ts';
import { FINDING_SECTIONS, isListedSection, OTHER_SECTION, type FindingSnapshot } from './findings.forms.ts';
import type { FindingForm } from './finding-editing.service.ts';

/* A finding -> what the finding form shows. */

/** A saved finding's values as the form's choices show them: a section not in the list is "Another section". */
function formSnapshot(values: Partial<FindingSnapshot>) {
  const { section, ...rest } = values;
  if (section === undefined) return rest;
  return isListedSection(section)
    ? { ...rest, section, sectionOther: '' }
    : { ...rest, section: OTHER_SECTION, sectionOther: section };
}

export function presentFindingForm(form: FindingForm, refused: RefusedForm | null) {
  const base = `/reviews/${form.review.id}`;
  const { fields, version } = formValues(refused, formSnapshot(form.values), form.version);
  const section = fieldText(fields, 'section');
  return {
    heading: form.number ? `Edit finding ${form.number}` : 'Add a finding',
    area: form.review.area,
    formAction: form.number ? `${base}/findings/${encodeURIComponent(form.number)}/edit` : `${base}/findings/new`,
    cancelHref: form.number ? `${base}/findings/${encodeURIComponent(form.number)}` : `${base}/findings`,
    breadcrumbs: [...reviewCrumbs(form.review), { text: 'Findings', href: `${base}/findings` }],
    fields,
    version,
    sectionItems: FINDING_SECTIONS.map((s) => ({ value: s, text: s, checked: section === s })),
    otherChecked: section === OTHER_SECTION,
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
