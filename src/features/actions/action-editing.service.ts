import { formatDate } from '../../domain/dates.ts';
import { ForbiddenError } from '../../platform/auth/plugin.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { FormErrors, readDateInput, readText, readVersion } from '../../platform/forms.ts';
import { recordAudit } from '../../platform/audit.ts';
import {
  canAddActions,
  canCoordinate,
  canEditAction,
  editableOrganisations,
  type Actor,
} from '../../domain/permissions.ts';
import { readDateWords } from '../../domain/date-words.ts';
import { checkSmart, type SmartGap } from '../../domain/smart.ts';
import type { ReviewRow } from '../../platform/db/schema.ts';
import { getReview, type ReviewsContext } from '../reviews/reviews.service.ts';
import {
  auditActor,
  fieldsFromSnapshot,
  invalid,
  organisationChoices,
  readIds,
  showDate,
  updateWithVersion,
  type FieldSpec,
  type Fields,
  type OrganisationOption,
  type SaveOutcome,
} from '../reviews/plan-edits.service.ts';
import {
  findActionForEditing,
  findRecommendationToAddTo,
  insertAction,
  listActionOrganisationIds,
  replaceActionOrganisations,
  updateActionAtVersion,
  type ActionValues,
} from './action-editing.repository.ts';

/*
 * Actions: coordinators add and change any; editors add and change those of their own
 * organisations, and must keep at least one of them on every action they save.
 */

export const ACTION_DATE_FIELDS = ['dueDate'] as const;

export type ActionSnapshot = {
  agencyText: string;
  organisationIds: number[];
  actionText: string;
  leadText: string;
  dateWords: string;
  dueDate: string | null;
  measure: string;
  assurance: string;
};

/** How the due date was arrived at when none was typed. */
export type DueDateSource = 'typed' | 'read' | 'ongoing';

function actionFields(organisations: readonly OrganisationOption[]): FieldSpec[] {
  const name = (id: unknown) => organisations.find((o) => o.id === id)?.name ?? `Organisation ${String(id)}`;
  return [
    { key: 'agencyText', label: 'Agency or service' },
    {
      key: 'organisationIds',
      label: 'Organisations',
      show: (v) => (Array.isArray(v) && v.length ? v.map(name).join('; ') : 'None'),
    },
    { key: 'actionText', label: 'SMART action' },
    { key: 'leadText', label: 'Lead' },
    { key: 'dateWords', label: 'Date of action, as written' },
    { key: 'dueDate', label: 'Due date', show: showDate },
    { key: 'measure', label: 'How will we know' },
    { key: 'assurance', label: 'Assurance' },
  ];
}

type ActionRow = NonNullable<Awaited<ReturnType<typeof findActionForEditing>>>;

function snapshotOf(a: ActionRow, organisationIds: number[]): ActionSnapshot {
  return {
    agencyText: a.agency_text,
    organisationIds,
    actionText: a.action_text,
    leadText: a.lead_text,
    dateWords: a.date_words,
    dueDate: a.due_date,
    measure: a.measure,
    assurance: a.assurance,
  };
}

function valuesOf(s: ActionSnapshot): ActionValues {
  return {
    agency_text: s.agencyText,
    action_text: s.actionText,
    lead_text: s.leadText,
    date_words: s.dateWords,
    due_date: s.dueDate,
    measure: s.measure,
    assurance: s.assurance,
  };
}

/** The words "On-going" and the like name no end date: the one case a due date may be left out. */
function isOngoing(reason: string): boolean {
  return /names no end date$/.test(reason);
}

function readAction(
  actor: Actor,
  reviewId: number,
  body: unknown,
  choices: readonly OrganisationOption[],
): { values: ActionSnapshot; errors: FormErrors; dueDateSource: DueDateSource } {
  const errors = new FormErrors();
  const agencyText = readText(body, 'agencyText', errors, { max: 200, label: 'The agency or service' });
  const chosen = readIds(body, 'organisationIds');
  if (chosen.bad || chosen.ids.some((id) => !choices.some((o) => o.id === id)))
    errors.add('organisationIds', 'Select organisations from the list');
  else if (chosen.ids.length === 0) errors.add('organisationIds', 'Select at least one organisation');
  else if (!canCoordinate(actor, reviewId)) {
    const mine = editableOrganisations(actor, reviewId);
    if (!chosen.ids.some((id) => mine.includes(id))) {
      const names = choices.filter((o) => mine.includes(o.id)).map((o) => o.name);
      errors.add(
        'organisationIds',
        `Select at least one of your own organisations: ${names.join(' or ') || 'you have none in this review'}`,
      );
    }
  }
  const actionText = readText(body, 'actionText', errors, {
    required: 'Enter the action',
    max: 5000,
    label: 'The action',
  });
  const leadText = readText(body, 'leadText', errors, { max: 200, label: 'The lead' });
  const dateWords = readText(body, 'dateWords', errors, { max: 100, label: 'The date as written' });
  const due = readDateInput(body, 'dueDate', 'the action is due', errors, { required: false });
  let dueDate = due.iso;
  let dueDateSource: DueDateSource = 'typed';
  if (!due.day && !due.month && !due.year) {
    // DOMAIN.md: keep the words as written and derive the date they mean, saying so.
    const reading = readDateWords(dateWords);
    if (reading.date) {
      dueDate = reading.date;
      dueDateSource = 'read';
    } else if (dateWords && isOngoing(reading.reason)) {
      dueDateSource = 'ongoing';
    } else if (dateWords) {
      errors.add('dueDate', `"${dateWords}" gives no date: enter the date the action is due, for example 31 3 2027`);
    } else {
      errors.add('dueDate', 'Enter the date the action is due, for example 31 3 2027');
    }
  }
  const measure = readText(body, 'measure', errors, { max: 5000, label: 'How you will know' });
  const assurance = readText(body, 'assurance', errors, { max: 5000, label: 'The assurance' });
  return {
    errors,
    dueDateSource,
    values: { agencyText, organisationIds: chosen.ids, actionText, leadText, dateWords, dueDate, measure, assurance },
  };
}

/** The organisation a change is made for: the editor's own on the action, else the coordinator's. */
export function actingOrganisation(actor: Actor, reviewId: number, organisationIds: readonly number[]): number | null {
  const mine = actor.memberships.filter((m) => m.reviewId === reviewId);
  const asEditor = mine.find((m) => m.role === 'editor' && organisationIds.includes(m.organisationId));
  return asEditor?.organisationId ?? mine.find((m) => m.role === 'coordinator')?.organisationId ?? null;
}

export interface ActionNotes {
  dueDate: string | null;
  smart: SmartGap[];
}

/** What the page says after saving: how the due date was found, and the SMART check as guidance. */
export function actionNotes(
  values: Pick<ActionSnapshot, 'leadText' | 'dueDate' | 'dateWords' | 'measure'>,
  source: DueDateSource,
  outcome: string,
): ActionNotes {
  let dueDate: string | null = null;
  if (source === 'read' && values.dueDate) {
    dueDate =
      'The due date was read from the date words ' +
      `as ${formatDate(values.dueDate)}: ${readDateWords(values.dateWords).reason}.`;
  } else if (source === 'ongoing') {
    dueDate = `The action has no due date: ${readDateWords(values.dateWords).reason.replace(/^No date: /, '')}.`;
  }
  const smart = checkSmart({
    lead: values.leadText,
    dueDate: values.dueDate,
    dateWords: values.dateWords,
    measure: values.measure,
    recommendationOutcome: outcome,
  });
  return { dueDate, smart };
}

export interface ActionForm {
  review: ReviewRow;
  recommendation: { number: string; text: string; outcome: string };
  organisations: OrganisationOption[];
  /** The organisations this person edits for; every organisation when they coordinate. */
  ownOrganisationIds: number[];
  isCoordinator: boolean;
  fields: Fields;
  version: number | null;
  actionId: number | null;
}

async function liveRecommendation(ctx: ReviewsContext, reviewId: number, number: string) {
  const recommendation = await findRecommendationToAddTo(ctx.db, reviewId, number);
  if (!recommendation || recommendation.archived_at !== null)
    throw new NotFoundError(`Review ${reviewId} has no recommendation ${number}`);
  return recommendation;
}

async function requireActionAdder(ctx: ReviewsContext, actor: Actor, reviewId: number): Promise<ReviewRow> {
  const review = await getReview(ctx, actor, reviewId);
  if (!canAddActions(actor, reviewId))
    throw new ForbiddenError('Only coordinators and editors of this review can add actions.');
  return review;
}

export async function newActionForm(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  number: string,
): Promise<ActionForm> {
  const review = await requireActionAdder(ctx, actor, reviewId);
  const recommendation = await liveRecommendation(ctx, reviewId, number);
  const organisations = await organisationChoices(ctx.db, reviewId);
  const coordinator = canCoordinate(actor, reviewId);
  const own = coordinator ? organisations.map((o) => o.id) : editableOrganisations(actor, reviewId);
  return {
    review,
    recommendation,
    organisations,
    ownOrganisationIds: own,
    isCoordinator: coordinator,
    // An editor for one organisation is adding an action for it.
    fields: coordinator || own.length !== 1 ? {} : { organisationIds: own.map(String) },
    version: null,
    actionId: null,
  };
}

export type SavedAction = {
  id: number;
  recommendationNumber: string;
  version: number;
  notes: ActionNotes;
  dueDateSource: DueDateSource;
} & ActionSnapshot;

export async function createAction(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  number: string,
  body: unknown,
): Promise<SaveOutcome<SavedAction>> {
  await requireActionAdder(ctx, actor, reviewId);
  const recommendation = await liveRecommendation(ctx, reviewId, number);
  const organisations = await organisationChoices(ctx.db, reviewId);
  const { values, errors, dueDateSource } = readAction(actor, reviewId, body, organisations);
  if (errors.any) return invalid(errors);
  const time = ctx.now();
  const now = time.toISOString();
  const id = await ctx.db.transaction().execute(async (trx) => {
    const { id: newId, position } = await insertAction(
      trx,
      { ...valuesOf(values), reviewId, recommendationId: recommendation.id, createdOn: ctx.today() },
      now,
    );
    await replaceActionOrganisations(trx, newId, [], values.organisationIds);
    await recordAudit(
      trx,
      {
        ...auditActor(actor),
        reviewId,
        actionId: newId,
        organisationId: actingOrganisation(actor, reviewId, values.organisationIds),
        entityType: 'action',
        entityId: newId,
        action: 'created',
        after: { ...values, recommendation: recommendation.number, position, version: 1 },
      },
      time,
    );
    return newId;
  });
  const notes = actionNotes(values, dueDateSource, recommendation.outcome);
  return {
    ok: true,
    saved: { id, recommendationNumber: recommendation.number, version: 1, notes, dueDateSource, ...values },
  };
}

/** The action if this person may change it: 404 outside the review, 403 for others' actions. */
export async function editableAction(ctx: ReviewsContext, actor: Actor, reviewId: number, actionId: number) {
  const review = await getReview(ctx, actor, reviewId);
  const action = await findActionForEditing(ctx.db, reviewId, actionId);
  if (!action) throw new NotFoundError(`Review ${reviewId} has no action ${actionId}`);
  const organisationIds = await listActionOrganisationIds(ctx.db, actionId);
  if (!canEditAction(actor, reviewId, organisationIds))
    throw new ForbiddenError('You can change only the actions of your own organisations.');
  if (action.archived_at !== null)
    throw new ForbiddenError(
      'This action is archived. A coordinator can restore it from the archive before it is changed.',
    );
  return { review, action, organisationIds };
}

export async function editActionForm(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  actionId: number,
): Promise<ActionForm & { saved: ActionSnapshot }> {
  const { review, action, organisationIds } = await editableAction(ctx, actor, reviewId, actionId);
  const organisations = await organisationChoices(ctx.db, reviewId, organisationIds);
  const coordinator = canCoordinate(actor, reviewId);
  const saved = snapshotOf(action, organisationIds);
  return {
    review,
    recommendation: {
      number: action.recommendation_number,
      text: action.recommendation_text,
      outcome: action.recommendation_outcome,
    },
    organisations,
    ownOrganisationIds: coordinator ? organisations.map((o) => o.id) : editableOrganisations(actor, reviewId),
    isCoordinator: coordinator,
    fields: fieldsFromSnapshot(saved, ACTION_DATE_FIELDS),
    version: action.version,
    actionId,
    saved,
  };
}

export async function updateAction(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  actionId: number,
  body: unknown,
): Promise<SaveOutcome<SavedAction>> {
  const { action, organisationIds } = await editableAction(ctx, actor, reviewId, actionId);
  const organisations = await organisationChoices(ctx.db, reviewId, organisationIds);
  const { values, errors, dueDateSource } = readAction(actor, reviewId, body, organisations);
  const outcome = await updateWithVersion(ctx, {
    actor,
    subject: {
      entityType: 'action',
      entityId: actionId,
      what: 'action',
      reviewId,
      actionId,
      organisationId: actingOrganisation(actor, reviewId, organisationIds),
    },
    openedVersion: readVersion(body),
    errors,
    yours: values,
    fields: actionFields(organisations),
    async load(db) {
      const [row, ids] = await Promise.all([
        findActionForEditing(db, reviewId, actionId),
        listActionOrganisationIds(db, actionId),
      ]);
      return row && { version: row.version, snapshot: snapshotOf(row, ids) };
    },
    async write(trx, version, old, now) {
      if (!(await updateActionAtVersion(trx, actionId, version, valuesOf(values), now.toISOString()))) return false;
      await replaceActionOrganisations(trx, actionId, old.organisationIds, values.organisationIds);
      return true;
    },
  });
  if (!outcome.ok) return outcome;
  const notes = actionNotes(values, dueDateSource, action.recommendation_outcome);
  return {
    ok: true,
    saved: {
      id: actionId,
      recommendationNumber: action.recommendation_number,
      version: outcome.saved.version,
      notes,
      dueDateSource,
      ...values,
    },
  };
}
