import { formatDate } from '../../domain/dates.ts';
import {
  EXCEPTION_HEADINGS,
  EXCEPTION_KINDS,
  EXCEPTION_SECTION_HEADINGS,
  EXCEPTION_SECTIONS,
  filterExceptions,
  type ExceptionKind,
  type PlanException,
} from '../../domain/exceptions.ts';
import { planDuePosition } from '../../domain/plan-due.ts';
import { ratingsOf } from '../../domain/ratings.ts';
import { plural } from '../../domain/words.ts';
import { ratingTag } from '../../platform/presentation.ts';
import { exceptionHref, reviewPath } from '../../platform/review-paths.ts';
import type { ChangesSinceIssued } from './changes-since-issued.ts';
import { filterChoices, IGNORED_FILTER_NOTES, type ExceptionFilters } from './exception-filters.ts';
import type { ReviewOverview } from './reviews.service.ts';

/*
 * The top of a review's overview, "at a glance", and its exception list split into what needs
 * chasing and the plan's own gaps, with the filters that narrow it.
 */

/** What the overview shows besides the plan: the filters asked for, the person's count, changes. */
export interface OverviewExtras {
  filters: ExceptionFilters;
  /** The person's My work items in this review, or null when not counted. */
  myWorkCount: number | null;
  changes: ChangesSinceIssued;
}

function workingDays(n: number): string {
  return plural(n, 'working day');
}

/** "Due 15 May 2025: 9 working days left, not sent yet", "Sent 13 August 2015, 2 working days late"… */
function dueWords(o: ReviewOverview): { text: string; late: boolean } {
  const position = planDuePosition(o.dueDate, o.review.plan_issued, o.options.today);
  switch (position.state) {
    case 'unknown': {
      const unknown = 'The due date cannot be worked out until the date the report was received is recorded.';
      return { text: position.sentOn ? `Sent ${formatDate(position.sentOn)}. ${unknown}` : unknown, late: false };
    }
    case 'sent': {
      const due = `due ${formatDate(position.dueDate)}`;
      return position.workingDaysLate > 0
        ? {
            text: `Sent ${formatDate(position.sentOn)}, ${workingDays(position.workingDaysLate)} late (${due}).`,
            late: true,
          }
        : { text: `Sent ${formatDate(position.sentOn)}, on time (${due}).`, late: false };
    }
    case 'due':
      return {
        text:
          position.workingDaysLeft === 0
            ? `Due today, ${formatDate(position.dueDate)}, and not sent yet.`
            : `Due ${formatDate(position.dueDate)}: ${workingDays(position.workingDaysLeft)} left, not sent yet.`,
        late: false,
      };
    case 'overdue':
      return {
        text: `Due ${formatDate(position.dueDate)} and not sent: ${workingDays(position.workingDaysOverdue)} overdue.`,
        late: true,
      };
  }
}

function changeLines(changes: Extract<ChangesSinceIssued, { issued: true }>): string[] {
  const lines: [number, string][] = [
    [changes.ratingChanges, `${plural(changes.ratingChanges, 'rating')} changed`],
    [changes.completed, `${plural(changes.completed, 'action')} now complete`],
    [changes.newProgress, plural(changes.newProgress, 'new progress update')],
    [changes.newEvidence, plural(changes.newEvidence, 'new evidence item')],
    [changes.addedActions, `${plural(changes.addedActions, 'action')} added`],
    [changes.removedActions, `${plural(changes.removedActions, 'action')} taken out of the plan`],
    [
      changes.otherChanges,
      `${plural(changes.otherChanges, 'other change')} to wording, dates, leads or evidence decisions`,
    ],
  ];
  return lines.filter(([n]) => n > 0).map(([, words]) => words);
}

function presentChanges(o: ReviewOverview, changes: ChangesSinceIssued) {
  const base = reviewPath(o.review.id);
  if (!changes.issued) {
    return {
      heading: 'Changes since the last version',
      lines: [],
      note:
        o.versions.length === 0
          ? 'No version of this plan has been issued yet, so there is nothing to compare with.'
          : 'No version has been issued in Clasp yet. The versions recorded before Clasp kept ' +
            'each version’s plan cannot be compared.',
      compare: null,
    };
  }
  const on = changes.issuedOn ? ` (${formatDate(changes.issuedOn)})` : '';
  return {
    heading: `Changes since version ${changes.number}${on}`,
    lines: changeLines(changes),
    note: changes.unchanged ? `Nothing has changed since version ${changes.number} was issued.` : null,
    compare: {
      href: `${base}/compare?from=${encodeURIComponent(changes.number)}&to=now`,
      text: `Compare version ${changes.number} with the plan now`,
    },
  };
}

function kindCounts(exceptions: readonly PlanException[]): Map<ExceptionKind, number> {
  const counts = new Map<ExceptionKind, number>();
  for (const e of exceptions) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
  return counts;
}

/** The first lines of the overview: due position, ratings, exceptions by kind, My work, changes. */
export function presentGlance(o: ReviewOverview, extras: OverviewExtras) {
  const base = reviewPath(o.review.id);
  const scale = o.review.rating_scale;
  const plan = o.analysis.rollUp.plan;
  const counts = kindCounts(o.analysis.exceptions);
  const kindsOf = (kinds: readonly ExceptionKind[]) =>
    kinds
      .filter((kind) => (counts.get(kind) ?? 0) > 0)
      .map((kind) => ({
        text: EXCEPTION_HEADINGS[kind],
        count: counts.get(kind) ?? 0,
        href: `${base}?kind=${kind}#exceptions`,
      }));
  return {
    due: dueWords(o),
    ratings: {
      total: plural(plan.actions.total, 'action'),
      items: [...ratingsOf(scale), null].map((rating) => ({
        tag: ratingTag(scale, rating),
        count: rating === null ? plan.actions.unrated : plan.actions[rating],
        href: '#ratings-by-recommendation',
      })),
      // Completed actions whose assurance lapsed still count by their rating: said beside the counts.
      lapsed:
        plan.actions.lapsed > 0
          ? {
              count: plan.actions.lapsed,
              text: `${plural(plan.actions.lapsed, 'completed action')} with assurance lapsed`,
              href: `${base}?kind=assurance_lapsed#exceptions`,
            }
          : null,
    },
    chasing: kindsOf(EXCEPTION_SECTIONS.chasing),
    gaps: kindsOf(EXCEPTION_SECTIONS.gaps),
    myWork:
      extras.myWorkCount === null
        ? null
        : {
            count: extras.myWorkCount,
            text:
              extras.myWorkCount === 0
                ? 'Nothing waits for you in this review'
                : `${plural(extras.myWorkCount, 'item')} for you in this review`,
            href: '/my-work',
          },
    changes: presentChanges(o, extras.changes),
  };
}

/** The exception list: filters, then "Needs chasing" and "Gaps in the plan", each by kind. */
export function presentExceptions(o: ReviewOverview, filters: ExceptionFilters) {
  const { review, state, analysis } = o;
  const base = reviewPath(review.id);
  const recommendationNumbers = new Map(state.recommendations.map((r) => [String(r.id), r.number]));
  const shown = filterExceptions(analysis.exceptions, filters.filter);
  const choices = filterChoices(state);
  const { values } = filters;
  const filtered = Object.values(values).some((v) => v !== '');
  const present = new Set(analysis.exceptions.map((e) => e.kind));

  const sections = (Object.keys(EXCEPTION_SECTIONS) as (keyof typeof EXCEPTION_SECTIONS)[]).map((section) => {
    const groups = EXCEPTION_SECTIONS[section]
      .map((kind) => ({
        kind,
        heading: EXCEPTION_HEADINGS[kind],
        items: shown
          .filter((e) => e.kind === kind)
          .map((e) => ({
            label: e.subject.label,
            reason: e.reason,
            href: exceptionHref(review.id, e, recommendationNumbers),
          })),
      }))
      .filter((g) => g.items.length > 0);
    return {
      id: section === 'chasing' ? 'needs-chasing' : 'plan-gaps',
      heading: EXCEPTION_SECTION_HEADINGS[section],
      count: groups.reduce((n, g) => n + g.items.length, 0),
      groups,
      empty:
        section === 'chasing'
          ? filtered
            ? 'Nothing that needs chasing matches the filters.'
            : 'Nothing needs chasing.'
          : filtered
            ? 'No gap in the plan matches the filters.'
            : 'No gaps found in the plan.',
    };
  });

  return {
    exceptionSections: sections,
    exceptionCount: analysis.exceptions.length,
    filterForm: {
      action: `${base}#exceptions`,
      clearHref: `${base}#exceptions`,
      filtered,
      showing: `Showing ${shown.length} of ${plural(analysis.exceptions.length, 'exception')}`,
      notes: filters.ignored.map((field) => IGNORED_FILTER_NOTES[field]),
      kinds: [
        { value: '', text: 'All kinds', selected: values.kind === '' },
        // The kinds the plan has (and the one chosen): a choice that can only show nothing is no help.
        ...EXCEPTION_KINDS.filter((kind) => present.has(kind) || values.kind === kind).map((kind) => ({
          value: kind,
          text: EXCEPTION_HEADINGS[kind],
          selected: values.kind === kind,
        })),
      ],
      organisations: [
        { value: '', text: 'All organisations', selected: values.organisation === '' },
        ...choices.organisations.map((org) => ({
          value: org.id,
          text: org.name,
          selected: values.organisation === org.id,
        })),
      ],
      leads: [
        { value: '', text: 'All leads', selected: values.lead === '' },
        ...choices.leads.map((lead) => ({ value: lead, text: lead, selected: values.lead === lead })),
      ],
    },
  };
}
