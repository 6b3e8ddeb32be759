import { reviewBeganOn } from '../../domain/review-dates.ts';
import { formatDate } from '../../domain/dates.ts';
import type { Db } from '../../platform/db/database.ts';
import { ForbiddenError } from '../../platform/auth/plugin.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
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
  organisationChoices,
  saveVersioned,
  showDate,
  versionRule,
  type FieldSpec,
  type OrganisationOption,
  type Versioned,
} from '../reviews/plan-edits.service.ts';
import {
  PROPOSE_INSTEAD,
  type ActionCommand,
  type ActionRules,
  type ActionSnapshot,
  type DueDateSource,
} from './actions.forms.ts';
import { FormInvalid } from '../../platform/form-schema.ts';
import { recordDirectDueDateChange } from './due-dates/due-dates.service.ts';
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
    { key: 'sustainHow', label: 'How the effect will be shown to last' },
    { key: 'reassuranceDueOn', label: 'Fresh evidence due by', show: showDate },
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
    sustainHow: a.sustain_how,
    reassuranceDueOn: a.reassurance_due_on,
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
    sustain_how: s.sustainHow,
    reassurance_due_on: s.reassuranceDueOn,
  };
}

/** The action's values in a command, in the order the audit trail records them. */
function snapshotOfCommand(c: ActionCommand): ActionSnapshot {
  return {
    agencyText: c.agencyText,
    organisationIds: c.organisationIds,
    actionText: c.actionText,
    leadText: c.leadText,
    dateWords: c.dateWords,
    dueDate: c.dueDate,
    measure: c.measure,
    assurance: c.assurance,
    sustainHow: c.sustainHow,
    reassuranceDueOn: c.reassuranceDueOn,
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
  /** The action's values saved now, or a new action's defaults. */
  values: Partial<ActionSnapshot>;
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

/** What an action form is checked against: the organisations it may name and the ones that are this person's. */
function organisationRules(actor: Actor, reviewId: number, organisations: readonly OrganisationOption[]) {
  return {
    organisations: organisations.map((o) => ({ id: o.id, name: o.name })),
    own: canCoordinate(actor, reviewId) ? null : editableOrganisations(actor, reviewId),
  };
}

/**
 * What the form adding an action to a live recommendation (by its number) is checked against,
 * if this person may add actions: the organisations the review covers, and their own.
 */
export async function newActionRules(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  number: string,
): Promise<ActionRules> {
  const review = await requireActionAdder(ctx, actor, reviewId);
  await liveRecommendation(ctx, reviewId, number);
  return {
    ...organisationRules(actor, reviewId, await organisationChoices(ctx.db, reviewId)),
    reviewBegan: reviewBeganOn({ reviewStart: review.review_start, published: review.report_published }),
  };
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
    values: coordinator || own.length !== 1 ? {} : { organisationIds: own },
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
  command: ActionCommand,
): Promise<SavedAction> {
  await requireActionAdder(ctx, actor, reviewId);
  const recommendation = await liveRecommendation(ctx, reviewId, number);
  const values = snapshotOfCommand(command);
  const time = ctx.now();
  const now = time.toISOString();
  const id = await ctx.db.transaction().execute(async (trx) => {
    const { id: newId, position } = await insertAction(
      trx,
      { ...valuesOf(values), reviewId, recommendationId: recommendation.id, createdOn: ctx.today() },
      now,
    );
    await replaceActionOrganisations(trx, newId, [], values.organisationIds, now);
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
  const dueDateSource = command.dueDateSource;
  const notes = actionNotes(values, dueDateSource, recommendation.outcome);
  return { id, recommendationNumber: recommendation.number, version: 1, notes, dueDateSource, ...values };
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

/** An action under the stale-edit rule, changed for the organisation this person acts for. */
function versioned(
  actor: Actor,
  reviewId: number,
  actionId: number,
  organisationIds: readonly number[],
  organisations: readonly OrganisationOption[],
) {
  return {
    subject: {
      entityType: 'action',
      entityId: actionId,
      what: 'action',
      reviewId,
      actionId,
      organisationId: actingOrganisation(actor, reviewId, organisationIds),
    },
    fields: actionFields(organisations),
    async load(db: Db) {
      const [row, ids] = await Promise.all([
        findActionForEditing(db, reviewId, actionId),
        listActionOrganisationIds(db, actionId),
      ]);
      return row && { version: row.version, snapshot: snapshotOf(row, ids) };
    },
  } satisfies Versioned<ActionSnapshot>;
}

/**
 * What the form changing an action is checked against, if this person may change it: the
 * organisations the review covers (and those the action names already), their own, and its version.
 */
export async function actionRules(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  actionId: number,
): Promise<ActionRules> {
  const { review, action, organisationIds } = await editableAction(ctx, actor, reviewId, actionId);
  const organisations = await organisationChoices(ctx.db, reviewId, organisationIds);
  return {
    ...organisationRules(actor, reviewId, organisations),
    edit: versionRule(ctx.db, versioned(actor, reviewId, actionId, organisationIds, organisations)),
    reviewBegan: reviewBeganOn({ reviewStart: review.review_start, published: review.report_published }),
    ...(action.due_date === null
      ? {}
      : { agreedDueDate: { date: action.due_date, mayMove: canCoordinate(actor, reviewId) } }),
  };
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
    values: saved,
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
  command: ActionCommand,
): Promise<SavedAction> {
  const { action, organisationIds } = await editableAction(ctx, actor, reviewId, actionId);
  const organisations = await organisationChoices(ctx.db, reviewId, organisationIds);
  const values = snapshotOfCommand(command);
  const saved = await saveVersioned(ctx, {
    ...versioned(actor, reviewId, actionId, organisationIds, organisations),
    actor,
    openedVersion: command.version,
    yours: values,
    async write(trx, version, old, now) {
      // An agreed due date moves only by the coordinator's agreement: the form said so; this holds
      // whatever the form was checked against.
      const moved = old.dueDate !== null && values.dueDate !== old.dueDate;
      if (moved && !canCoordinate(actor, reviewId)) throw FormInvalid.of('dueDate', PROPOSE_INSTEAD);
      if (moved && !command.dueDateReason) {
        throw FormInvalid.of('dueDateReason', 'Enter why the agreed due date is changing');
      }
      if (!(await updateActionAtVersion(trx, actionId, version, valuesOf(values), now.toISOString()))) return false;
      // Organisations that stay keep the day they were given the action; new ones are given it now.
      await replaceActionOrganisations(trx, actionId, old.organisationIds, values.organisationIds, now.toISOString());
      if (moved && old.dueDate !== null) {
        await recordDirectDueDateChange(
          trx,
          actor,
          { reviewId, actionId, from: old.dueDate, to: values.dueDate, reason: command.dueDateReason },
          now.toISOString(),
        );
      }
      return true;
    },
  });
  const dueDateSource = command.dueDateSource;
  return {
    id: actionId,
    recommendationNumber: action.recommendation_number,
    version: saved.version,
    notes: actionNotes(values, dueDateSource, action.recommendation_outcome),
    dueDateSource,
    ...values,
  };
}
