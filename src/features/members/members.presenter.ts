import type { FormErrors } from '../../platform/forms.ts';
import { ROLES, roleName, type MemberFields, type MembersView } from './members.service.ts';

/* The review's people -> what the members page shows: the list, and the form to add someone. */

export interface Notice {
  success: boolean;
  text: string;
}

export const BLANK_MEMBER: MemberFields = { email: '', name: '', organisationId: '', role: '' };

/**
 * The page's view model. `problem` is a refused removal (shown in the error summary, linked to
 * the list); `errors` are the add form's, each linked to its field.
 */
export function presentMembers(
  view: MembersView,
  options: { fields?: MemberFields; errors?: FormErrors | null; problem?: string | null; notice?: Notice | null } = {},
) {
  const base = `/reviews/${view.review.id}/members`;
  const fields = options.fields ?? BLANK_MEMBER;
  const errors = options.errors ?? null;
  const problem = options.problem ?? null;
  const errorList = [
    ...(problem ? [{ text: problem, href: '#members' }] : []),
    ...(errors?.summary({ role: '#role', organisationId: '#organisationId' }) ?? []),
  ];
  return {
    pageTitle: `${errorList.length ? 'Error: ' : ''}People and roles – ${view.review.area}`,
    area: view.review.area,
    breadcrumbs: [
      { text: 'Reviews', href: '/reviews' },
      { text: view.review.area, href: `/reviews/${view.review.id}` },
    ],
    formAction: base,
    notice: options.notice ?? null,
    errorList,
    errors: errors?.fields ?? {},
    fields,
    members: view.members.map((m) => ({
      name: m.name,
      email: m.email,
      disabled: m.disabled_at !== null,
      organisation: m.organisation,
      role: roleName(m.role),
      removeAction: `${base}/${m.id}/remove`,
    })),
    organisationItems: [
      { value: '', text: 'Choose an organisation', selected: fields.organisationId === '' },
      ...view.organisations.map((o) => ({
        value: String(o.id),
        text: o.name,
        selected: fields.organisationId === String(o.id),
      })),
    ],
    roleItems: ROLES.map((r) => ({
      value: r.value,
      text: r.name,
      hint: { text: r.description },
      checked: fields.role === r.value,
    })),
  };
}

/** What the page says after a change, from the redirect's query. */
export function memberNotice(view: MembersView, query: Record<string, string | undefined>): Notice | null {
  if (query.done === 'removed') return { success: true, text: 'The role has been removed.' };
  if (query.done !== 'added' && query.done !== 'invited') return null;
  const member = view.members.find((m) => String(m.id) === query.member);
  if (!member) return null;
  const given = `${member.name} is now ${roleName(member.role).toLowerCase()} for ${member.organisation}.`;
  if (query.done === 'added') return { success: true, text: given };
  if (query.mail === 'failed') {
    return {
      success: false,
      text:
        `${given} Their account is made, but the invitation email could not be sent. ` +
        'Ask a system administrator to send a new invitation.',
    };
  }
  return {
    success: true,
    text: `${given} We have emailed ${member.email} an invitation to set a password. The link works once, for 7 days.`,
  };
}
