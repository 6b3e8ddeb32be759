import { z } from 'zod';
import { text, version } from '../../platform/form-schema.ts';
import { checkVersion, chosenIds, editForm, type VersionRule } from '../../platform/form-rules.ts';

/*
 * The recommendation group form and its JSON twin: one schema, so a page and a script are told
 * the same things. The organisations addressed are checkboxes on the page and an array of ids in JSON.
 */

export type GroupSnapshot = { number: number | null; heading: string; organisationIds: number[] };

/** What a group form is checked against: the organisations it may address, the numbers taken, its version. */
export interface GroupRules {
  organisationIds: readonly number[];
  /** Whether another group of the review has this number. */
  numberTaken(number: number): Promise<boolean>;
  /** Only when changing a group. */
  edit?: VersionRule<GroupSnapshot>;
}

function groupNumber(rules: GroupRules) {
  return text().transform(async (raw, ctx): Promise<number | null> => {
    if (!raw) {
      ctx.addIssue({ code: 'custom', message: 'Enter the group number, for example 1' });
      return null;
    }
    if (!/^\d{1,3}$/.test(raw) || Number(raw) < 1) {
      ctx.addIssue({ code: 'custom', message: 'Group number must be a whole number, like 2' });
      return null;
    }
    const number = Number(raw);
    if (await rules.numberTaken(number)) {
      ctx.addIssue({ code: 'custom', message: `Group ${number} already exists in this review` });
    }
    return number;
  });
}

export function groupForm(rules: GroupRules) {
  return editForm(
    z.object({
      number: groupNumber(rules),
      heading: text({
        required: 'Enter the heading, for example NHS Rotherham CCG and The Rotherham NHS Foundation Trust should:',
        max: 500,
        label: 'The heading',
      }),
      organisationIds: chosenIds((id) => rules.organisationIds.includes(id), {
        notListed: 'Select organisations from the list',
        none: 'Select at least one organisation',
      }),
      version,
    }),
    async ({ version: opened, ...group }, ctx) => {
      await checkVersion(rules.edit, opened, group, ctx);
    },
  ).transform(({ number, ...group }) => ({ ...group, number: number ?? 0 }));
}

/** A recommendation group, checked: what the service writes (`version` only when changing one). */
export type GroupCommand = z.output<ReturnType<typeof groupForm>>;
