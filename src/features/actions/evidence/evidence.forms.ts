import { formFile, formText, type UploadedFile } from '../../../platform/http/form-bodies.ts';
import { id } from '../../../platform/route-params.ts';
import { z } from 'zod';
import { readText, readVersion, type DateInputValue, type FormErrors } from '../../../platform/forms.ts';
import { readDate } from '../assurance.forms.ts';

/* What the evidence and decision forms and their JSON twins send (dates as in ../assurance.forms.ts). */

/** Path parameters of pages about one item of evidence: a value that does not fit is a 404. */
export const evidenceParams = z.object({ reviewId: id, evidenceId: id });

/** The version a form was opened at: a hidden field, or a number in JSON. */
function readVersionField(body: unknown): number | null {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>).version : undefined;
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : null;
  return readVersion(body);
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
