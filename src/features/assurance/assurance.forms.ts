import { parseIsoDate } from '../../domain/dates.ts';
import { formFile, formText, type UploadedFile } from '../../platform/http/form-bodies.ts';
import {
  dateInputFrom,
  readDateInput,
  readText,
  readVersion,
  type DateInputValue,
  type FormErrors,
} from '../../platform/forms.ts';

/*
 * What the assurance forms and their JSON twins send, read the same way for both: a form
 * sends a date as three boxes (NAME-day, NAME-month, NAME-year), a JSON caller as one
 * 'YYYY-MM-DD' string under NAME. Field names are the same in both, so the API's
 * {errors: [{field, message}]} names the fields its callers sent.
 */

const id = { type: 'integer', minimum: 1, maximum: 2147483647 } as const;

/** Path parameters of pages about one item of evidence: a value that does not fit is a 404. */
export const evidenceParams = {
  type: 'object',
  required: ['reviewId', 'evidenceId'],
  properties: { reviewId: id, evidenceId: id },
} as const;

/** A form that cannot be saved as sent: 400, or 409 when someone else changed the thing first. */
export class ValidationFailed extends Error {
  constructor(
    readonly errors: FormErrors,
    readonly status: 400 | 409 = 400,
  ) {
    super('The form has problems');
  }
}

/** The API's shape for the same problems a form shows next to its fields. */
export function errorList(errors: FormErrors): { field: string; message: string }[] {
  return Object.entries(errors.fields).map(([field, message]) => ({ field, message }));
}

const EMPTY_DATE: DateInputValue = { iso: null, day: '', month: '', year: '' };

/** A date from three boxes or from one ISO string; problems are added to `errors` under `name`. */
export function readDate(
  body: unknown,
  name: string,
  what: string,
  errors: FormErrors,
  options: { required?: boolean; notAfter?: string; notAfterMessage?: string } = {},
): DateInputValue {
  const iso = formText(body, name).trim();
  if (!iso) return readDateInput(body, name, what, errors, options);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso) || !parseIsoDate(iso)) {
    errors.add(name, `Enter the date ${what} as a real date in the form YYYY-MM-DD, for example 2027-03-31`);
    return EMPTY_DATE;
  }
  if (options.notAfter && iso > options.notAfter) {
    errors.add(name, options.notAfterMessage ?? `The date ${what} must be today or in the past`);
    return { ...dateInputFrom(iso), iso: null };
  }
  return dateInputFrom(iso);
}

/** The version a form was opened at: a hidden field, or a number in JSON. */
function readVersionField(body: unknown): number | null {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>).version : undefined;
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : null;
  return readVersion(body);
}

export interface ProgressDraft {
  progressOn: DateInputValue;
  text: string;
  /** A rating, or '' / 'none' for no change. */
  proposedRating: string;
  evidence: { file: UploadedFile | null; title: string; effectiveOn: DateInputValue };
}

export function readProgress(body: unknown, today: string, errors: FormErrors): ProgressDraft {
  return {
    progressOn: readDate(body, 'progressOn', 'of the update', errors, { notAfter: today }),
    text: readText(body, 'text', errors, { required: 'Enter what has been done', label: 'What has been done' }),
    proposedRating: formText(body, 'proposedRating').trim(),
    evidence: {
      file: formFile(body, 'evidenceFile'),
      title: readText(body, 'evidenceTitle', errors, { max: 200, label: 'The title' }),
      effectiveOn: readDate(body, 'evidenceOn', 'the evidence is from', errors, { required: false, notAfter: today }),
    },
  };
}

export interface EvidenceDraft {
  kind: string;
  title: string;
  file: UploadedFile | null;
  url: string;
  note: string;
  /** The date the evidence is from, or the last day of the period it covers. */
  effectiveOn: DateInputValue;
  /** The first day of the period it covers, if it covers one. */
  periodStart: DateInputValue;
}

export function readEvidence(body: unknown, today: string, errors: FormErrors): EvidenceDraft {
  const kind = formText(body, 'kind').trim();
  return {
    kind,
    title: readText(body, 'title', errors, {
      required: 'Enter a title for the evidence',
      max: 200,
      label: 'The title',
    }),
    file: formFile(body, 'file'),
    url: readText(body, 'url', errors, { max: 2000, label: 'The web address' }),
    note: readText(body, 'note', errors, { label: 'The note' }),
    effectiveOn: readDate(body, 'effectiveOn', 'the evidence is from', errors, { notAfter: today }),
    periodStart: readDate(body, 'periodStart', 'the period starts', errors, { required: false, notAfter: today }),
  };
}

export interface DecisionDraft {
  decision: string;
  reason: string;
  version: number | null;
}

export function readDecision(body: unknown, errors: FormErrors): DecisionDraft {
  return {
    decision: formText(body, 'decision').trim(),
    reason: readText(body, 'reason', errors, { max: 2000, label: 'The reason' }),
    version: readVersionField(body),
  };
}

export interface RatingDraft {
  decision: string;
  rating: string;
  rationale: string;
  /** The field the reasons came from, for messages about them. */
  rationaleField: string;
  overrideReason: string;
}

/**
 * The rating page has two forms, so there the challenge's reasons have their own field
 * (`challengeField`, 'challengeRationale'); a JSON caller sends 'rationale' for both.
 */
export function readRatingDecision(
  body: unknown,
  errors: FormErrors,
  options: { challengeField?: string } = {},
): RatingDraft {
  const decision = formText(body, 'decision').trim();
  const rationaleField = decision === 'challenge' && options.challengeField ? options.challengeField : 'rationale';
  return {
    decision,
    rating: formText(body, 'rating').trim(),
    rationale: readText(body, rationaleField, errors, { max: 4000, label: 'The reasons' }),
    rationaleField,
    overrideReason: readText(body, 'overrideReason', errors, { max: 4000, label: 'The reason' }),
  };
}
