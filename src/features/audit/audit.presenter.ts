import { plural } from '../../domain/words.ts';
import { formatInstant, parseIsoDate } from '../../domain/dates.ts';
import type { DateBoxes } from '../../platform/form-schema.ts';
import { dateBoxes, dateInputFrom, fieldText, type FieldValues } from '../../platform/forms.ts';
import { describeEvent, entityKind } from './audit-description.ts';
import { changesOf, humanise, parseStored, type Changes } from './audit-changes.ts';
import type { AuditEventRow } from './audit.repository.ts';
import type { EventJson, ReviewTrailJson } from './audit.schemas.ts';
import { TRAIL_PAGE_SIZE, type ActionHistory, type ReviewTrail } from './audit.service.ts';
import type { TrailRequest } from './audit.forms.ts';

export interface EventView {
  id: number;
  when: string;
  at: string;
  who: string;
  organisation: string | null;
  description: string;
  changes: Changes;
  record: { text: string; href: string | null } | null;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** The event as people read it; `record` names the page of what it is about, when there is one. */
export function presentEvent(e: AuditEventRow, record: EventView['record'] = null): EventView {
  const before = parseStored(e.before);
  const after = parseStored(e.after);
  return {
    id: e.id,
    when: formatInstant(e.at),
    at: e.at,
    who: e.actor,
    organisation: e.organisation_name,
    description: describeEvent({ entityType: e.entity_type, action: e.action, before, after }),
    changes: changesOf(before, after),
    record,
  };
}

/** The event as the API gives it: the stored fields, with before and after as JSON values. */
export function eventJson(e: AuditEventRow, record: EventView['record'] = null): EventJson {
  const before = parseStored(e.before);
  const after = parseStored(e.after);
  return {
    id: e.id,
    at: e.at,
    actor: e.actor,
    userId: e.user_id,
    organisation: e.organisation_id === null ? null : { id: e.organisation_id, name: e.organisation_name },
    actionId: e.action_id,
    entityType: e.entity_type,
    entityId: e.entity_id,
    action: e.action,
    description: describeEvent({ entityType: e.entity_type, action: e.action, before, after }),
    before,
    after,
    href: record?.href ?? null,
  };
}

export function presentActionHistory(h: ActionHistory) {
  const base = `/reviews/${h.review.id}`;
  const actionHref = `${base}/actions/${h.action.id}`;
  const recommendationHref = `${base}/recommendations/${encodeURIComponent(h.action.recommendationNumber)}`;
  return {
    pageTitle: `History of ${lowerFirst(h.action.label)} – ${h.review.area}`,
    heading: `History of ${lowerFirst(h.action.label)}`,
    label: h.action.label,
    archived: h.action.archived,
    actionHref,
    summary: h.events.length
      ? `${plural(h.events.length, 'change')} recorded, newest first.`
      : 'No changes have been recorded for this action yet.',
    events: h.events.map((e) => presentEvent(e)),
    breadcrumbs: [
      { text: 'Reviews', href: '/reviews' },
      { text: h.review.area, href: base },
      { text: `Recommendation ${h.action.recommendationNumber}`, href: recommendationHref },
      { text: h.action.label, href: actionHref },
    ],
  };
}

function numericId(text: string): number | null {
  return /^\d{1,10}$/.test(text) ? Number(text) : null;
}

/** Which page an event of the review's trail is about: its action, recommendation, finding… */
function recordOf(
  e: AuditEventRow,
  trail: ReviewTrail,
  results: NonNullable<ReviewTrail['results']>,
): EventView['record'] {
  const base = `/reviews/${trail.plan.review.id}`;
  const kind = entityKind(e.entity_type);
  const id = numericId(e.entity_id);
  const actionId = e.action_id ?? (kind === 'action' ? id : null);
  if (actionId !== null) {
    const label = trail.plan.analysis.actionStatus.get(actionId)?.label ?? `Action ${actionId} (archived or removed)`;
    return { text: label, href: `${base}/actions/${actionId}` };
  }
  if (id === null) return null;
  switch (kind) {
    case 'recommendation': {
      const r = results.recommendations.get(id);
      if (!r) return null;
      return {
        text: `Recommendation ${r.number}${r.archived ? ' (archived)' : ''}`,
        href: r.archived ? null : `${base}/recommendations/${encodeURIComponent(r.number)}`,
      };
    }
    case 'finding': {
      const f = results.findings.get(id);
      return f ? { text: `Finding ${f.number}`, href: `${base}/findings/${encodeURIComponent(f.number)}` } : null;
    }
    case 'review':
      return id === trail.plan.review.id ? { text: 'Review details', href: base } : null;
    case 'membership':
      return { text: 'People and roles', href: `${base}/members` };
    case 'organisation':
      return { text: 'Organisation', href: `${base}/organisations/${id}` };
    default:
      return null;
  }
}

/** The filter form as sent, to put back in its fields and to carry into the page links. */
interface TrailForm {
  person: string;
  organisation: string;
  type: string;
  action: string;
  from: DateBoxes;
  to: DateBoxes;
}

/** A date filter's boxes: as typed, or filled from a script's 'YYYY-MM-DD' (empty when that is not a real date). */
function shownDate(fields: FieldValues, name: string): DateBoxes {
  const iso = fieldText(fields, name).trim();
  if (iso !== '') {
    const { day, month, year } = dateInputFrom(parseIsoDate(iso) ? iso : null);
    return { day, month, year };
  }
  const typed = dateBoxes(fields, name);
  return { day: typed.day.trim(), month: typed.month.trim(), year: typed.year.trim() };
}

function shownForm(fields: FieldValues): TrailForm {
  return {
    person: fieldText(fields, 'person').trim(),
    organisation: fieldText(fields, 'organisation').trim(),
    type: fieldText(fields, 'type').trim(),
    action: fieldText(fields, 'action').trim(),
    from: shownDate(fields, 'from'),
    to: shownDate(fields, 'to'),
  };
}

function trailQueryString(form: TrailForm, page?: number): string {
  const params = new URLSearchParams();
  const add = (name: string, value: string) => {
    if (value !== '') params.append(name, value);
  };
  add('person', form.person);
  add('organisation', form.organisation);
  add('type', form.type);
  add('action', form.action);
  for (const [name, d] of [
    ['from', form.from],
    ['to', form.to],
  ] as const) {
    add(`${name}-day`, d.day);
    add(`${name}-month`, d.month);
    add(`${name}-year`, d.year);
  }
  if (page !== undefined && page > 1) params.append('page', String(page));
  const text = params.toString();
  return text ? `?${text}` : '';
}

function selectItems(all: string, options: { value: string; text: string }[], chosen: string) {
  return [
    { value: '', text: all, selected: chosen === '' },
    ...options.map((o) => ({ ...o, selected: o.value === chosen })),
  ];
}

export function presentReviewTrail(trail: ReviewTrail, request: TrailRequest) {
  const { review } = trail.plan;
  const base = `/reviews/${review.id}`;
  const path = `${base}/audit`;
  const form = shownForm(request.fields);
  const problems = request.failure?.errors;
  const { choices } = trail;
  const results = trail.results;
  const firstShown = results ? (results.page - 1) * TRAIL_PAGE_SIZE + 1 : 0;
  const lastShown = results ? firstShown + results.events.length - 1 : 0;
  return {
    pageTitle: `${problems ? 'Error: ' : ''}Audit trail – ${review.area}`,
    reviewTitle: review.title,
    path,
    errors: problems ? problems.summary({ from: '#from-day', to: '#to-day' }) : [],
    fieldErrors: problems ? problems.fields : {},
    form,
    people: selectItems(
      'Anyone',
      choices.people.map((p) => ({ value: String(p.id), text: p.name })),
      form.person,
    ),
    organisations: selectItems(
      'Any organisation',
      choices.organisations.map((o) => ({ value: String(o.id), text: o.name })),
      form.organisation,
    ),
    types: selectItems(
      'Any kind of record',
      choices.entityTypes.map((t) => ({ value: t, text: humanise(t) })),
      form.type,
    ),
    actions: selectItems(
      'Anything',
      choices.actions.map((a) => ({ value: a, text: humanise(a) })),
      form.action,
    ),
    filtered: trailQueryString(form) !== '',
    results: results && {
      total: results.total,
      summary:
        results.total === 0
          ? 'No events match these filters.'
          : results.pages === 1
            ? `${plural(results.total, 'event')}, newest first.`
            : `Showing ${firstShown.toLocaleString('en-GB')} to ${lastShown.toLocaleString('en-GB')} ` +
              `of ${plural(results.total, 'event')}, newest first.`,
      events: results.events.map((e) => presentEvent(e, recordOf(e, trail, results))),
      pagination:
        results.pages > 1
          ? {
              previous:
                results.page > 1
                  ? {
                      href: `${path}${trailQueryString(form, results.page - 1)}`,
                      labelText: `Page ${results.page - 1} of ${results.pages}`,
                    }
                  : undefined,
              next:
                results.page < results.pages
                  ? {
                      href: `${path}${trailQueryString(form, results.page + 1)}`,
                      labelText: `Page ${results.page + 1} of ${results.pages}`,
                    }
                  : undefined,
            }
          : null,
      page: results.page,
      pages: results.pages,
    },
    breadcrumbs: [
      { text: 'Reviews', href: '/reviews' },
      { text: review.area, href: base },
    ],
  };
}

/** One page of the trail for the API: given only for filters that were accepted. */
export function reviewTrailJson(trail: ReviewTrail): ReviewTrailJson {
  const results = trail.results;
  if (!results) throw new Error('The trail lists events only when its filters were accepted');
  return {
    total: results.total,
    page: results.page,
    pages: results.pages,
    pageSize: results.pageSize,
    events: results.events.map((e) => eventJson(e, recordOf(e, trail, results))),
  };
}
