import { z } from 'zod';
import type { FindingKind } from '../../platform/db/schema.ts';
import { choice, flag, text, version } from '../../platform/form-schema.ts';
import { checkVersion, chosenIds, editForm, problem, type VersionRule } from '../../platform/form-rules.ts';

/*
 * The finding form and its JSON twin: one schema, so a page and a script are told the same
 * things. On the page the section is a choice from the report's sections or "Another section"
 * with its name; in JSON it is the section's name, whichever it is.
 */

/** The sections of a CLAS report, in the order of the child's journey. */
export const FINDING_SECTIONS = [
  'Early help',
  'Children in need',
  'Child protection',
  'Looked after children',
  'Leadership and management',
  'Governance',
  'Training and supervision',
] as const;

/** The value of the "Another section" choice. */
export const OTHER_SECTION = 'other';

export type FindingSnapshot = {
  number: string;
  section: string;
  text: string;
  kind: FindingKind | null;
  publicHealth: boolean;
  recommendationIds: number[];
};

/** What a finding form is checked against: the recommendations it may name, the numbers taken, its version. */
export interface FindingRules {
  recommendationIds: readonly number[];
  /** Whether another finding of the review has this number. */
  numberTaken(number: string): Promise<boolean>;
  /** Only when changing a finding. */
  edit?: VersionRule<FindingSnapshot>;
}

const FINDING_NUMBER = /^\d{1,3}(\.\d{1,3}){0,3}$/;

export function isListedSection(section: string): boolean {
  return (FINDING_SECTIONS as readonly string[]).includes(section);
}

function findingNumber(rules: FindingRules) {
  return text().transform(async (raw, ctx) => {
    const number = raw.replace(/\.$/, '');
    if (!number) ctx.addIssue({ code: 'custom', message: 'Enter the finding number, for example 3.19' });
    else if (!FINDING_NUMBER.test(number)) {
      ctx.addIssue({ code: 'custom', message: 'Finding number must be like 3.19 or 5.2.4' });
    } else if (await rules.numberTaken(number)) {
      ctx.addIssue({ code: 'custom', message: `Finding ${number} already exists in this review` });
    }
    return number;
  });
}

/**
 * The section a finding is in: one of the report's sections, or the name typed for another.
 * A name typed for another section counts even if "Another section" was not chosen; a name
 * that is not one of the choices (as JSON gives it) is another section's name.
 */
function sectionOf(form: { section: string; sectionOther: string }): { other: boolean; name: string } {
  const chosen = form.section || (form.sectionOther ? OTHER_SECTION : '');
  if (chosen === OTHER_SECTION) return { other: true, name: form.sectionOther };
  if (chosen === '' || isListedSection(chosen)) return { other: false, name: chosen };
  return { other: true, name: chosen };
}

export function findingForm(rules: FindingRules) {
  return editForm(
    z.object({
      number: findingNumber(rules),
      section: text(),
      sectionOther: text(),
      text: text({ required: 'Enter the finding', max: 5000, label: 'The finding' }),
      kind: choice(['concern', 'good_practice'], 'Select whether the finding is a concern or good practice'),
      publicHealth: flag,
      recommendationIds: chosenIds((id) => rules.recommendationIds.includes(id), {
        notListed: 'Select recommendations from the list',
      }),
      version,
    }),
    async (form, ctx) => {
      const section = sectionOf(form);
      if (section.other && !section.name) problem(ctx, 'sectionOther', 'Enter the name of the section');
      else if (section.other && section.name.length > 100) {
        problem(ctx, 'sectionOther', 'The section must be 100 characters or fewer');
      } else if (!section.name) problem(ctx, 'section', 'Select the section of the report');
      await checkVersion(rules.edit, form.version, snapshotOf(form), ctx);
    },
  ).transform((form) => {
    const { version: opened, ...finding } = snapshotOf(form);
    // Chosen, once the form is accepted.
    return { ...finding, kind: finding.kind ?? 'concern', version: opened };
  });
}

/** The finding as the form gives it, in the shape the stale-edit rule compares. */
function snapshotOf(form: {
  number: string;
  section: string;
  sectionOther: string;
  text: string;
  kind: FindingKind | '';
  publicHealth: boolean;
  recommendationIds: number[];
  version: number | null;
}): FindingSnapshot & { version: number | null } {
  const section = sectionOf(form);
  return {
    number: form.number,
    section: section.name,
    text: form.text,
    kind: form.kind === '' ? null : form.kind,
    publicHealth: form.publicHealth,
    recommendationIds: form.recommendationIds,
    version: form.version,
  };
}

/** A finding, checked: what the service writes (`version` only when changing one). */
export type FindingCommand = z.output<ReturnType<typeof findingForm>>;
