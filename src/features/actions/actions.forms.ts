import { z } from 'zod';
import { readDateWords } from '../../domain/date-words.ts';
import { optionalDate, text, version } from '../../platform/form-schema.ts';
import { checkVersion, chosenIds, editForm, problem, type VersionRule } from '../../platform/form-rules.ts';

/*
 * The action form and its JSON twin: one schema, so a page and a script are told the same
 * things. The due date is three boxes on the page and 'YYYY-MM-DD' in JSON; left out, it is
 * read from the date words. Also the move buttons and their JSON twin.
 */

export type ActionSnapshot = {
  agencyText: string;
  organisationIds: number[];
  actionText: string;
  leadText: string;
  dateWords: string;
  dueDate: string | null;
  measure: string;
  assurance: string;
  /** How a completed action's effect will be shown to last: an audit, a re-audit date, a measure. */
  sustainHow: string;
  /** The day by which fresh accepted evidence is due once the action is complete. */
  reassuranceDueOn: string | null;
};

/** How the due date was arrived at: typed, read from the date words, or none as they say it is ongoing. */
export type DueDateSource = 'typed' | 'read' | 'ongoing';

export const DUE_DATE_SOURCES: readonly DueDateSource[] = ['typed', 'read', 'ongoing'];

/** An organisation an action may name. */
export interface OrganisationChoice {
  id: number;
  name: string;
}

/** What an action form is checked against. */
export interface ActionRules {
  /** The organisations an action may name. */
  organisations: readonly OrganisationChoice[];
  /** The organisations this person edits for, one of which the action must keep; null for a coordinator. */
  own: readonly number[] | null;
  /** Only when changing an action. */
  edit?: VersionRule<ActionSnapshot>;
  /** The day the review began: date words naming only earlier days give no due date. */
  reviewBegan?: string | null;
  /**
   * Only when changing an action that has an agreed due date: that date, and whether this
   * person may move it here (the coordinator, giving a reason). Others propose a new date.
   */
  agreedDueDate?: { date: string; mayMove: boolean };
}

export const PROPOSE_INSTEAD =
  'The due date was agreed with the coordinator. To move it, use "Propose a new date" on the action page';

/** The words "On-going" and the like name no end date: the one case a due date may be left out. */
function isOngoing(reason: string): boolean {
  return /names no end date$/.test(reason);
}

/**
 * The due date of an action given no date of its own (DOMAIN.md: keep the words as written
 * and derive the date they mean, saying so), or why it needs one.
 */
function dueDateFromWords(
  dateWords: string,
  reviewBegan: string | null | undefined,
): { dueDate: string | null; source: DueDateSource } | string {
  const reading = readDateWords(dateWords, { reviewBegan });
  if (reading.date) return { dueDate: reading.date, source: 'read' };
  if (dateWords && isOngoing(reading.reason)) return { dueDate: null, source: 'ongoing' };
  if (dateWords && reading.reason.startsWith('No due date:')) {
    return `${reading.reason}: enter the date the action is due, for example 31 3 2027`;
  }
  if (dateWords) return `"${dateWords}" gives no date: enter the date the action is due, for example 31 3 2027`;
  return 'Enter the date the action is due, for example 31 3 2027';
}

function actionOrganisations(rules: ActionRules) {
  const own = rules.own;
  return chosenIds((id) => rules.organisations.some((o) => o.id === id), {
    notListed: 'Select organisations from the list',
    none: 'Select at least one organisation',
  }).transform((ids, ctx) => {
    if (own && !ids.some((id) => own.includes(id))) {
      const names = rules.organisations.filter((o) => own.includes(o.id)).map((o) => o.name);
      const yours = names.join(' or ') || 'you have none in this review';
      ctx.addIssue({ code: 'custom', message: `Select at least one of your own organisations: ${yours}` });
    }
    return ids;
  });
}

export function actionForm(rules: ActionRules) {
  return editForm(
    z.object({
      agencyText: text({ max: 200, label: 'The agency or service' }),
      organisationIds: actionOrganisations(rules),
      actionText: text({ required: 'Enter the action', max: 5000, label: 'The action' }),
      leadText: text({ max: 200, label: 'The lead' }),
      dateWords: text({ max: 100, label: 'The date as written' }),
      dueDate: optionalDate('the action is due', { jsonMessage: 'boxes' }),
      measure: text({ max: 5000, label: 'How you will know' }),
      assurance: text({ max: 5000, label: 'The assurance' }),
      sustainHow: text({ max: 5000, label: 'How the effect will be shown to last' }),
      reassuranceDueOn: optionalDate('fresh evidence is due', { jsonMessage: 'boxes' }),
      dueDateReason: text({ max: 4000, label: 'The reason' }),
      version,
    }),
    async ({ version: opened, ...action }, ctx) => {
      // A due date typed wrong has its problem already; one left out is read from the date words.
      const typedWrong = ctx.issues.some((issue) => issue.path?.[0] === 'dueDate');
      let dueDate = action.dueDate;
      if (action.dueDate === null && !typedWrong) {
        const due = dueDateFromWords(action.dateWords, rules.reviewBegan);
        if (typeof due === 'string') problem(ctx, 'dueDate', due);
        else dueDate = due.dueDate;
      }
      const agreed = rules.agreedDueDate;
      if (agreed && !typedWrong && dueDate !== agreed.date) {
        if (!agreed.mayMove) problem(ctx, 'dueDate', PROPOSE_INSTEAD);
        else if (!action.dueDateReason) problem(ctx, 'dueDateReason', 'Enter why the agreed due date is changing');
      }
      await checkVersion(rules.edit, opened, { ...action, dueDate }, ctx);
    },
  ).transform(({ version: opened, dueDateReason, ...action }) => {
    const due = action.dueDate === null ? dueDateFromWords(action.dateWords, rules.reviewBegan) : null;
    const read = due && typeof due !== 'string' ? due : { dueDate: action.dueDate, source: 'typed' as const };
    return { ...action, dueDate: read.dueDate, dueDateSource: read.source, dueDateReason, version: opened };
  });
}

/** An action, checked: what the service writes (`version` only when changing one). */
export type ActionCommand = z.output<ReturnType<typeof actionForm>>;

/** Moving an action one place among its recommendation's actions (JSON). */
export const moveForm = z.object({
  direction: z.enum(['up', 'down'], { error: 'Say whether to move the action up or down' }),
});

/** The page's move buttons: each sends "up" or "down", and anything but "up" moves the action down. */
export const moveButtons = z.object({
  direction: text().transform((direction): 'up' | 'down' => (direction === 'up' ? 'up' : 'down')),
});
