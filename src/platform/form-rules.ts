import { z } from 'zod';
import { ALWAYS, FormInvalid, idList, type StaleEdit } from './form-schema.ts';
import { FormErrors } from './forms.ts';

/*
 * What edit forms share (a review's details, recommendation groups, recommendations, findings
 * and actions): rules across fields that may read the database, the version the form was opened
 * at, and lists of ids chosen from the form's options.
 */

/**
 * The version rule of an edit form, given by the service: what the form changes ('action'),
 * and what changed since the version the form was opened at (null while that is the version saved).
 */
export interface VersionRule<S> {
  what: string;
  staleSince(opened: number, yours: S): Promise<StaleEdit | null>;
}

/** The context a rule across fields reports its problems to. */
export type FormContext<T> = z.core.$RefinementCtx<T>;

function staleOf(issue: z.core.$ZodIssue): StaleEdit | null {
  if (issue.code !== 'custom') return null;
  const stale: unknown = issue.params?.stale;
  return stale && typeof stale === 'object' ? (stale as StaleEdit) : null;
}

/**
 * An edit form: its fields, in the order the page shows them, and its rules across
 * fields (which may read the database, and run even when a field is already wrong). Problems
 * are listed in the order of the fields, whichever rule found them, as the error summary
 * expects: a field checked against the database answers later than the others. A form opened
 * on an older version is refused there and then as the save would refuse it (409, with what
 * changed), together with its other problems.
 */
export function editForm<F extends z.ZodObject>(
  fields: F,
  rules: (form: z.output<F>, ctx: FormContext<z.output<F>>) => void | Promise<void>,
) {
  const order = Object.keys(fields.shape);
  const place = (issue: z.core.$ZodIssue) => {
    const index = order.indexOf(String(issue.path[0]));
    return index < 0 ? order.length : index;
  };
  const checked = fields.superRefine(rules, ALWAYS);
  return z.unknown().transform(async (input, ctx): Promise<z.output<F>> => {
    const result = await checked.safeParseAsync(input);
    if (result.success) return result.data;
    const issues = [...result.error.issues].sort((a, b) => place(a) - place(b));
    const stale = issues.map(staleOf).find((s) => s !== null);
    if (stale) {
      const errors = new FormErrors();
      for (const issue of issues) {
        if (!staleOf(issue)) errors.add(issue.path.length ? String(issue.path[0]) : 'form', issue.message);
      }
      throw new FormInvalid(errors, { stale });
    }
    for (const issue of issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    return z.NEVER;
  });
}

/**
 * Checks the version an edit form carries: it must be sent, and a form opened on an older
 * version is refused with what changed since. No rule (a new row) checks nothing.
 */
export async function checkVersion<S>(
  rule: VersionRule<S> | undefined,
  opened: number | null,
  yours: S,
  ctx: FormContext<unknown>,
): Promise<void> {
  if (!rule) return;
  if (opened === null) {
    ctx.addIssue({
      code: 'custom',
      path: ['version'],
      message: `Send the version of the ${rule.what} you are changing`,
    });
    return;
  }
  const stale = await rule.staleSince(opened, yours);
  if (stale) ctx.addIssue({ code: 'custom', path: ['version'], message: stale.message, params: { stale } });
}

/**
 * Ids ticked from a list of options: `notListed` when any is not an option, `none` (when
 * given) when nothing was ticked.
 */
export function chosenIds(isOption: (id: number) => boolean, messages: { notListed: string; none?: string }) {
  return idList(messages.notListed).transform((ids, ctx) => {
    if (ids.some((id) => !isOption(id))) ctx.addIssue({ code: 'custom', message: messages.notListed });
    else if (ids.length === 0 && messages.none) ctx.addIssue({ code: 'custom', message: messages.none });
    return ids;
  });
}

/** A problem found by a rule across fields, against the field it is about. */
export function problem(ctx: FormContext<unknown>, field: string, message: string): void {
  ctx.addIssue({ code: 'custom', path: [field], message });
}
