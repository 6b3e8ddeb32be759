import { EXCEPTION_KINDS, leadKey, type ExceptionFilter, type ExceptionKind } from '../../domain/exceptions.ts';
import { FormInvalid } from '../../platform/form-schema.ts';
import { FormErrors } from '../../platform/forms.ts';
import { exceptionFilterQuery } from './reviews.schemas.ts';
import type { PlanState } from './reviews.repository.ts';

/*
 * Filtering a review's exceptions by kind, organisation and lead, from the address (a plain GET
 * form, so it works without JavaScript and a filtered list can be bookmarked or sent on).
 * A value the plan does not have is left out: the page says so and shows the whole list,
 * the JSON API refuses it with a 400 saying what to send instead.
 */

export type ExceptionFilterField = 'kind' | 'organisation' | 'lead';

export interface ExceptionFilters {
  filter: ExceptionFilter;
  /** Fields given in the address whose values were left out. */
  ignored: ExceptionFilterField[];
  /** The values as they go back into the form and into the page key. */
  values: { kind: string; organisation: string; lead: string };
}

/** No filter asked for: every exception. */
export const NO_FILTERS: ExceptionFilters = Object.freeze({
  filter: {},
  ignored: [],
  values: { kind: '', organisation: '', lead: '' },
});

/** Whom a plan's exceptions can be filtered by: its organisations and its actions' leads. */
export function filterChoices(state: Pick<PlanState, 'organisations' | 'actions'>) {
  const order = new Intl.Collator('en-GB', { numeric: true, sensitivity: 'base' });
  const leads = [...new Set(state.actions.map((a) => leadKey(a.lead_text)).filter((l) => l !== ''))];
  return {
    organisations: [...state.organisations]
      .map((o) => ({ id: String(o.id), name: o.name }))
      .sort((a, b) => order.compare(a.name, b.name)),
    leads: leads.sort((a, b) => order.compare(a, b)),
  };
}

export const IGNORED_FILTER_NOTES: Readonly<Record<ExceptionFilterField, string>> = {
  kind: 'The kind of exception in the address is not one Clasp knows, so exceptions of every kind are shown.',
  organisation:
    'The organisation in the address takes no part in this plan, so exceptions of every organisation are shown.',
  lead: 'No action in this plan has the lead in the address, so exceptions of every lead are shown.',
};

const API_MESSAGES: Readonly<Record<ExceptionFilterField, string>> = {
  kind: `Choose a kind of exception: one of ${EXCEPTION_KINDS.join(', ')}`,
  organisation: 'Choose an organisation that takes part in this plan, by its id (as in ratings.byOrganisation)',
  lead: 'No action in this plan has this lead. Send a lead as the plan words it (case counts)',
};

function isExceptionKind(value: string): value is ExceptionKind {
  return (EXCEPTION_KINDS as readonly string[]).includes(value);
}

/** The filters in an address, each checked against the plan; values it does not have are left out. */
export function readExceptionFilters(query: unknown, state: Pick<PlanState, 'organisations' | 'actions'>) {
  const raw = exceptionFilterQuery.parse(query);
  const filters: ExceptionFilters = { filter: {}, ignored: [], values: { kind: '', organisation: '', lead: '' } };
  if (raw.kind !== undefined) {
    if (isExceptionKind(raw.kind)) {
      filters.filter.kind = raw.kind;
      filters.values.kind = raw.kind;
    } else filters.ignored.push('kind');
  }
  if (raw.organisation !== undefined) {
    if (state.organisations.some((o) => String(o.id) === raw.organisation)) {
      filters.filter.organisationId = raw.organisation;
      filters.values.organisation = raw.organisation;
    } else filters.ignored.push('organisation');
  }
  if (raw.lead !== undefined) {
    const lead = leadKey(raw.lead);
    if (state.actions.some((a) => leadKey(a.lead_text) === lead)) {
      filters.filter.lead = lead;
      filters.values.lead = lead;
    } else filters.ignored.push('lead');
  }
  return filters;
}

/** For the JSON API: the same filters, with a value the plan does not have refused (400). */
export function requireExceptionFilters(query: unknown, state: Pick<PlanState, 'organisations' | 'actions'>) {
  const filters = readExceptionFilters(query, state);
  if (filters.ignored.length === 0) return filters;
  const errors = new FormErrors();
  for (const field of filters.ignored) errors.add(field, API_MESSAGES[field]);
  throw new FormInvalid(errors);
}

/** Whether the address asks for any filter at all (so the plan need not be read to check one). */
export function asksForFilters(query: unknown): boolean {
  const raw = exceptionFilterQuery.parse(query);
  return raw.kind !== undefined || raw.organisation !== undefined || raw.lead !== undefined;
}
