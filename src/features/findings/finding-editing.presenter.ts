import type { Fields } from '../reviews/plan-edits.service.ts';
import { listOf, reviewCrumbs } from '../reviews/plan-edit-forms.service.ts';
import { FINDING_SECTIONS, type FindingForm } from './finding-editing.service.ts';

/* A finding -> what the finding form shows. */

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
