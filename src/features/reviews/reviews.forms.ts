import { z } from 'zod';
import type { RatingScaleValue } from '../../platform/db/schema.ts';
import { choice, date, optionalDate, optionalId, text, version } from '../../platform/form-schema.ts';
import { checkVersion, chosenIds, editForm, problem, type VersionRule } from '../../platform/form-rules.ts';

/*
 * The form that creates a review and changes its details, and its JSON twin: one schema, so a
 * page and a script are told the same things. Dates are three boxes on the page and
 * 'YYYY-MM-DD' in JSON; the organisations covered are checkboxes on the page and an array of ids in JSON.
 */

export const DEFAULT_TITLE_START = 'Review of health services for Children Looked After and Safeguarding in';

export type ReviewSnapshot = {
  title: string;
  area: string;
  reviewStart: string | null;
  reviewEnd: string | null;
  reportPublished: string | null;
  reportReceived: string | null;
  leadOrganisationId: number | null;
  organisationIds: number[];
  ratingScale: RatingScaleValue;
  /** Days an organisation may leave an action assigned to it unanswered; null is Clasp's default. */
  assignmentDays: number | null;
};

/** What a review form is checked against. */
export interface ReviewRules {
  /** Every organisation a review may name. */
  organisationIds: readonly number[];
  /** Only when changing a review: what its plan rules out, and its version. */
  edit?: {
    /** The names of the organisations covered now, not in `kept`, that the plan's groups or actions name. */
    inUse(kept: readonly number[]): Promise<string[]>;
    /** Whether actions of the plan have Blue ratings, which RAG does not have. */
    hasBlueRatings(): Promise<boolean>;
    version: VersionRule<ReviewSnapshot>;
  };
}

/** Why an organisation cannot stop being covered. */
export function inUseMessage(name: string): string {
  return `${name} cannot be removed: recommendation groups or actions of this plan name it`;
}

export const BLUE_RATINGS_MESSAGE = 'The rating scale cannot be RAG while actions of this plan have Blue ratings';

const dates = { jsonMessage: 'boxes' } as const;

/** A whole number of days from 1 to 365 (a number in JSON, digits on the page), or blank for the default. */
function dayCount(message: string) {
  return z
    .unknown()
    .optional()
    .transform((value, ctx): number | null => {
      if (value === undefined || value === null) return null;
      const raw = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '?';
      if (raw === '') return null;
      const n = Number(raw);
      if (!/^\d{1,3}$/.test(raw) || n < 1 || n > 365) {
        ctx.addIssue({ code: 'custom', message });
        return null;
      }
      return n;
    });
}

export function reviewForm(rules: ReviewRules) {
  const known = (id: number) => rules.organisationIds.includes(id);
  return editForm(
    z.object({
      title: text({ max: 300, label: 'The title' }),
      area: text({ required: 'Enter the area the review covered, for example Rotherham', max: 100, label: 'The area' }),
      reviewStart: date('the review started', dates),
      reviewEnd: date('the review ended', dates),
      reportPublished: date('the report was published', dates),
      reportReceived: optionalDate('the report was received', dates),
      leadOrganisationId: optionalId('Select the lead organisation').transform((lead, ctx) => {
        if (lead === null || !known(lead)) ctx.addIssue({ code: 'custom', message: 'Select the lead organisation' });
        return lead;
      }),
      organisationIds: chosenIds(known, { notListed: 'Select organisations from the list' }),
      ratingScale: choice(['BRAG', 'RAG'], 'Select a rating scale'),
      assignmentDays: dayCount(
        'Enter the days an assignment may go unanswered as a whole number from 1 to 365, or leave it blank',
      ),
      version,
    }),
    async (form, ctx) => {
      const review = snapshotOf(form, known);
      if (form.reviewStart && form.reviewEnd && form.reviewEnd < form.reviewStart) {
        problem(ctx, 'reviewEnd', 'The date the review ended must be the same as or after the date it started');
      }
      if (review.organisationIds.length === 0) problem(ctx, 'organisationIds', 'Select at least one organisation');
      if (rules.edit) {
        const [inUse] = await rules.edit.inUse(review.organisationIds);
        if (inUse) problem(ctx, 'organisationIds', inUseMessage(inUse));
        if (review.ratingScale === 'RAG' && (await rules.edit.hasBlueRatings())) {
          problem(ctx, 'ratingScale', BLUE_RATINGS_MESSAGE);
        }
        await checkVersion(rules.edit.version, form.version, review, ctx);
      }
    },
  ).transform((form) => ({
    ...snapshotOf(form, known),
    // Required, so given once the form is accepted.
    reviewStart: form.reviewStart,
    reviewEnd: form.reviewEnd,
    reportPublished: form.reportPublished,
    leadOrganisationId: form.leadOrganisationId ?? 0,
  }));
}

/**
 * The review as the form gives it. A title left blank is the usual one for the area; the lead
 * organisation is always among those covered.
 */
function snapshotOf(
  form: {
    title: string;
    area: string;
    reviewStart: string | null;
    reviewEnd: string | null;
    reportPublished: string | null;
    reportReceived: string | null;
    leadOrganisationId: number | null;
    organisationIds: number[];
    ratingScale: RatingScaleValue | '';
    assignmentDays: number | null;
    version: number | null;
  },
  known: (id: number) => boolean,
): ReviewSnapshot & { version: number | null } {
  const lead = form.leadOrganisationId;
  return {
    title: form.title || (form.area ? `${DEFAULT_TITLE_START} ${form.area}` : ''),
    area: form.area,
    reviewStart: form.reviewStart,
    reviewEnd: form.reviewEnd,
    reportPublished: form.reportPublished,
    reportReceived: form.reportReceived,
    leadOrganisationId: lead,
    organisationIds:
      lead !== null && known(lead) && !form.organisationIds.includes(lead)
        ? [...form.organisationIds, lead].sort((a, b) => a - b)
        : form.organisationIds,
    ratingScale: form.ratingScale === 'RAG' ? 'RAG' : 'BRAG',
    assignmentDays: form.assignmentDays,
    version: form.version,
  };
}

/** A review's details, checked: what the service writes (`version` only when changing them). */
export type ReviewCommand = z.output<ReturnType<typeof reviewForm>>;
