import { formFile, formText, type UploadedFile } from '../../../platform/http/form-bodies.ts';
import { readText, type DateInputValue, type FormErrors } from '../../../platform/forms.ts';
import { readDate } from '../assurance.forms.ts';

/* What the progress form and its JSON twin send (dates as in ../assurance.forms.ts). */

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
