import type { Actor } from '../../domain/permissions.ts';
import { formatDate } from '../../domain/dates.ts';
import type { WorkSection } from '../../domain/my-work.ts';
import type { MyWork } from './my-work.service.ts';

const SECTIONS: { section: WorkSection; heading: string; id: string; role: (roles: Set<string>) => boolean }[] = [
  {
    section: 'editing',
    heading: 'Your organisations’ actions',
    id: 'editing',
    role: (roles) => roles.has('editor'),
  },
  {
    section: 'assurance',
    heading: 'Awaiting assurance',
    id: 'assurance',
    role: (roles) => roles.has('reviewer') || roles.has('coordinator'),
  },
  {
    section: 'coordination',
    heading: 'Chasing and deadlines',
    id: 'coordination',
    role: (roles) => roles.has('coordinator'),
  },
];

/** The My work page: one section for each kind of work the person's roles give them. */
export function presentMyWork(work: MyWork, actor: Actor) {
  const roles = new Set(actor.memberships.map((m) => m.role));
  const area = new Map(work.reviews.map((r) => [r.id, r.area]));
  const asOf = [...new Set(work.reviews.map((r) => r.asOf))];
  return {
    pageTitle: 'My work',
    navCurrent: 'my-work',
    count: work.count,
    hasRoles: actor.memberships.length > 0,
    severalReviews: work.reviews.length > 1,
    asOf: asOf.length === 1 ? formatDate(asOf[0] ?? '') : null,
    // Each review this person coordinates has a chase list to read, print or download.
    chaseLists: work.reviews
      .filter((r) => actor.memberships.some((m) => m.reviewId === r.id && m.role === 'coordinator'))
      .map((r) => ({ area: r.area, href: `/reviews/${r.id}/chase-list`, csvHref: `/reviews/${r.id}/chase-list/csv` })),
    // A section shows for the roles it serves, and whenever it holds something: a lead asked for
    // evidence at a meeting may hold no editing role.
    sections: SECTIONS.map((s) => ({
      ...s,
      items: work.reviews.flatMap((r) => r.items.filter((i) => i.section === s.section)),
    }))
      .filter((s) => s.role(roles) || s.items.length > 0)
      .map(({ items, ...s }) => {
        return {
          heading: s.heading,
          id: s.id,
          items: items.map((i) => ({
            review: area.get(i.reviewId) ?? '',
            subject: i.subject,
            detail: i.detail,
            href: i.href,
            todo: i.todo,
          })),
        };
      }),
  };
}
