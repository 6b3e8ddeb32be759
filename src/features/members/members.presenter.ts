import { fieldText } from '../../platform/forms.ts';
import type { RefusedForm } from '../../platform/http/form-replies.ts';
import { ROLES, roleName } from './members.forms.ts';
import type { MembersView } from './members.service.ts';

/* The review's people -> what the members page shows: the list, and the form to add someone. */

export interface Notice {
  success: boolean;
  text: string;
}

/**
 * The page's view model. `refused` is a refused change: the add form's problems, each linked to
 * its field and shown with what was typed, or a refused removal, linked to the list ("members").
 */
export function presentMembers(
  view: MembersView,
  options: { refused?: RefusedForm | null; notice?: Notice | null } = {},
) {
  const base = `/reviews/${view.review.id}/members`;
  const typed = options.refused?.fields ?? {};
  const fields = {
    email: fieldText(typed, 'email').trim(),
    name: fieldText(typed, 'name').trim(),
    organisationId: fieldText(typed, 'organisationId').trim(),
    role: fieldText(typed, 'role'),
  };
  const errors = options.refused?.failure.errors ?? null;
  const errorList = errors?.summary() ?? [];
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
