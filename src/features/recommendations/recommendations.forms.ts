import { z } from 'zod';
import { optionalId, text, version } from '../../platform/form-schema.ts';
import { checkVersion, editForm, type VersionRule } from '../../platform/form-rules.ts';

/*
 * The recommendation form and its JSON twin: one schema, so a page and a script are told the
 * same things. The group is chosen from a list on the page and given by its id in JSON.
 */

export type RecommendationSnapshot = {
  number: string;
  groupId: number | null;
  text: string;
  outcome: string;
  anticipatedEvidence: string;
  assurance: string;
  responsibleOfficer: string;
};

/** A recommendation of the review that has a number already, and whether it is archived. */
export interface NumberHolder {
  id: number;
  archived: boolean;
}

/** What a recommendation form is checked against: the review's groups, the numbers taken, its version. */
export interface RecommendationRules {
  groupIds: readonly number[];
  /** The other recommendation of the review with this number, if any. */
  numberHolder(number: string): Promise<NumberHolder | undefined>;
  /** Only when changing a recommendation. */
  edit?: VersionRule<RecommendationSnapshot>;
}

const RECOMMENDATION_NUMBER = /^\d{1,3}(\.\d{1,3}){1,3}$/;

/** Recommendation numbers are stored without a trailing dot: "1.1." is 1.1. */
function normaliseRecommendationNumber(raw: string): string {
  return raw.trim().replace(/\.$/, '');
}

/** Why a recommendation cannot take a number another one has. */
export function numberTakenMessage(number: string, holder: NumberHolder): string {
  return (
    `Recommendation ${number} already exists in this ` +
    `review${holder.archived ? ' (it is archived: restore it instead)' : ''}`
  );
}

function recommendationNumber(rules: RecommendationRules) {
  return text().transform(async (raw, ctx) => {
    const number = normaliseRecommendationNumber(raw);
    if (!number) ctx.addIssue({ code: 'custom', message: 'Enter the recommendation number, for example 1.1' });
    else if (!RECOMMENDATION_NUMBER.test(number)) {
      ctx.addIssue({ code: 'custom', message: 'Recommendation number must be like 1.1' });
    } else {
      const holder = await rules.numberHolder(number);
      if (holder) ctx.addIssue({ code: 'custom', message: numberTakenMessage(number, holder) });
    }
    return number;
  });
}

export function recommendationForm(rules: RecommendationRules) {
  const chooseGroup = 'Select the recommendation group';
  return editForm(
    z.object({
      number: recommendationNumber(rules),
      groupId: optionalId(chooseGroup).transform((groupId, ctx) => {
        if (groupId === null || !rules.groupIds.includes(groupId))
          ctx.addIssue({ code: 'custom', message: chooseGroup });
        return groupId;
      }),
      text: text({ required: 'Enter the recommendation', max: 5000, label: 'The recommendation' }),
      outcome: text({ max: 5000, label: 'The outcome' }),
      anticipatedEvidence: text({ max: 5000, label: 'The anticipated evidence' }),
      assurance: text({ max: 5000, label: 'The assurance' }),
      responsibleOfficer: text({ max: 200, label: 'The responsible officer' }),
      version,
    }),
    async ({ version: opened, ...recommendation }, ctx) => {
      await checkVersion(rules.edit, opened, recommendation, ctx);
    },
  ).transform(({ groupId, ...recommendation }) => ({ ...recommendation, groupId: groupId ?? 0 }));
}

/** A recommendation, checked: what the service writes (`version` only when changing one). */
export type RecommendationCommand = z.output<ReturnType<typeof recommendationForm>>;
