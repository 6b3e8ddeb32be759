import { z } from 'zod';
import type { EvidenceKind } from '../../../platform/db/schema.ts';
import { ALWAYS, choice, date, file, optionalDate, text, version } from '../../../platform/form-schema.ts';
import type { UploadedFile } from '../../../platform/http/form-bodies.ts';
import { id } from '../../../platform/route-params.ts';
import type { CheckedFile } from '../../../platform/uploads/file-check.ts';

/*
 * The evidence form, the decision form and their JSON twins: one schema each, so a page and a
 * script are told the same things. Dates are three boxes on the page and 'YYYY-MM-DD' in JSON.
 */

/** Path parameters of pages about one item of evidence: a value that does not fit is a 404. */
export const evidenceParams = z.object({ reviewId: id, evidenceId: id });

/** An uploaded file that passed the content check, with its bytes. */
export interface CheckedEvidenceFile {
  checked: CheckedFile;
  bytes: Buffer;
}

/** What the evidence form is checked against: today's date and the upload check. */
export interface EvidenceRules {
  today: string;
  /** Checks a file by its content: the checked file, or the message saying what is wrong. */
  checkFile: (sent: UploadedFile) => Promise<CheckedEvidenceFile | string>;
}

const KINDS: readonly EvidenceKind[] = ['file', 'link', 'note'];
const KIND_MESSAGE = 'Select whether the evidence is a file, a link or a note';

/** A web address evidence may link to: http or https only, so a link can never run script. */
function readWebAddress(url: string): { href: string } | { problem: string } {
  if (!url) return { problem: 'Enter the web address of the evidence' };
  const parsed = URL.canParse(url) ? new URL(url) : null;
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || !parsed.hostname) {
    return {
      problem: 'Enter a web address that starts with https:// or http://, like https://www.example.nhs.uk/audit-report',
    };
  }
  return { href: parsed.href };
}

/**
 * The page shows every field whatever the kind, so the file, the web address and the note are
 * each needed (and checked) only for their own kind; the others are left out of the command.
 */
export function evidenceForm(rules: EvidenceRules) {
  return z
    .object({
      kind: choice(KINDS, KIND_MESSAGE),
      // Checked by its content whenever one is sent; the result counts only for a file.
      file: file.transform(async (sent) => (sent ? { checked: await rules.checkFile(sent) } : null)),
      url: text({ max: 2000, label: 'The web address' }),
      note: text({ label: 'The note' }),
      title: text({ required: 'Enter a title for the evidence', max: 200, label: 'The title' }),
      /** The date the evidence is from, or the last day of the period it covers. */
      effectiveOn: date('the evidence is from', { notAfter: rules.today }),
      /** The first day of the period it covers, if it covers one. */
      periodStart: optionalDate('the period starts', { notAfter: rules.today }),
    })
    .superRefine((form, ctx) => {
      const problem = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: [field], message });
      if (form.kind === 'file') {
        if (!form.file) problem('file', 'Select a file to upload');
        else if (typeof form.file.checked === 'string') problem('file', form.file.checked);
      }
      if (form.kind === 'link') {
        const address = readWebAddress(form.url);
        if ('problem' in address) problem('url', address.problem);
      }
      if (form.kind === 'note' && !form.note) problem('note', 'Enter the note');
      if (form.effectiveOn && form.periodStart && form.periodStart > form.effectiveOn) {
        problem('periodStart', 'The first day of the period must be on or before the date the evidence is from');
      }
    }, ALWAYS)
    .transform(({ kind, file: sent, url, note, title, effectiveOn, periodStart }, ctx) => {
      // Never so: the parse has already failed when no kind was chosen. This tells the types.
      if (kind === '') {
        ctx.addIssue({ code: 'custom', path: ['kind'], message: KIND_MESSAGE });
        return z.NEVER;
      }
      const address = kind === 'link' ? readWebAddress(url) : null;
      return {
        kind,
        title,
        effectiveOn,
        // A period of one day is just a date.
        periodStart: periodStart && periodStart !== effectiveOn ? periodStart : null,
        url: address && 'href' in address ? address.href : null,
        note: kind === 'note' ? note : null,
        file: kind === 'file' && sent && typeof sent.checked !== 'string' ? sent.checked : null,
      };
    });
}

/** An item of evidence, checked: what the service writes. */
export type EvidenceCommand = z.output<ReturnType<typeof evidenceForm>>;

/**
 * A decision on evidence. The version is the one the form was opened at: the service refuses
 * the decision (409) when someone has decided since.
 */
export const decisionForm = z
  .object({
    decision: choice(['accept', 'reject'], 'Select whether to accept or reject the evidence'),
    reason: text({ max: 2000, label: 'The reason' }),
    version,
  })
  .superRefine((form, ctx) => {
    if (form.decision === 'reject' && !form.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Enter why the evidence is rejected' });
    }
    if (form.version === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['decision'],
        message: 'The form is missing the version of the evidence it was opened at. Reload the page and try again.',
      });
    }
  }, ALWAYS)
  .transform(({ decision, reason, version: openedAt }, ctx) => {
    // Never so: the parse has already failed without a decision or a version. This tells the types.
    if (decision === '' || openedAt === null) {
      ctx.addIssue({ code: 'custom', path: ['decision'], message: 'Select whether to accept or reject the evidence' });
      return z.NEVER;
    }
    return {
      status: decision === 'accept' ? ('accepted' as const) : ('rejected' as const),
      // A reason is kept only with a rejection.
      reason: decision === 'reject' ? reason : null,
      version: openedAt,
    };
  });

/** A decision on evidence, checked: what the service records. */
export type DecisionCommand = z.output<typeof decisionForm>;
