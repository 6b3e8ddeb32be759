import { formatDate } from '../../domain/dates.ts';
import type { SecurityEventRow } from '../../platform/security-events.ts';
import type { FormInvalid } from '../../platform/form-schema.ts';
import type { UserListRow } from './admin.repository.ts';
import { roleName } from '../members/members.service.ts';
import type { AccessChange, AccountView } from './users-admin.service.ts';
import { ORGANISATION_KINDS, kindName, type OrganisationFields } from './organisations-admin.service.ts';
import type { OrganisationAdminRow } from './admin.repository.ts';

/* Rows and outcomes -> what the administration templates show. */

export const ADMIN_CRUMBS = [{ text: 'Administration', href: '/admin' }];

export interface Notice {
  success: boolean;
  text: string;
}

export function presentUsers(rows: UserListRow[], selfId: number) {
  return rows.map((u) => ({
    name: u.name,
    href: `/admin/users/${u.id}`,
    email: u.email,
    self: u.id === selfId,
    admin: u.is_admin === 1 ? 'Yes' : 'No',
    disabled: u.disabled_at !== null ? 'Yes' : 'No',
    status: status(u).text,
    statusClass: status(u).classes,
    lastSignedIn: u.last_signed_in ? formatDate(u.last_signed_in) : 'Never',
  }));
}

function status(u: UserListRow): { text: string; classes: string } {
  if (u.disabled_at !== null) return { text: 'Disabled', classes: 'nhsuk-tag--grey' };
  return u.has_password
    ? { text: 'Active', classes: 'nhsuk-tag--green' }
    : { text: 'Invited, no password yet', classes: 'nhsuk-tag--blue' };
}

/** One person's page: their account, their roles in reviews and the changes an administrator can make. */
export function presentAccount(
  view: AccountView,
  selfId: number,
  extra: { notice: Notice | null; failure: FormInvalid | null },
) {
  const u = view.user;
  const self = u.id === selfId;
  const disabled = u.disabled_at !== null;
  const buttons: { change: AccessChange | 'invite'; text: string; warning?: boolean }[] = [];
  // Your own account offers neither: an administrator always remains who can undo a mistake.
  if (!self)
    buttons.push(
      disabled
        ? { change: 'enable', text: 'Enable account' }
        : { change: 'disable', text: 'Disable account', warning: true },
    );
  if (!u.is_admin) buttons.push({ change: 'make-admin', text: 'Make administrator' });
  else if (!self) buttons.push({ change: 'remove-admin', text: 'Remove administrator rights' });
  if (!u.has_password && !disabled) buttons.push({ change: 'invite', text: 'Send a new invitation' });
  buttons.push(
    u.second_factor_required
      ? { change: 'stop-requiring-two-step', text: 'Stop requiring two-step verification' }
      : { change: 'require-two-step', text: 'Require two-step verification' },
  );
  if (u.second_factor_on && !self) {
    buttons.push({ change: 'reset-two-step', text: 'Reset two-step verification', warning: true });
  }
  return {
    pageTitle: `${extra.failure ? 'Error: ' : ''}${u.name}`,
    breadcrumbs: [...ADMIN_CRUMBS, { text: 'Accounts', href: '/admin/users' }],
    name: u.name,
    self,
    notice: extra.notice,
    // A refused change is about the buttons, whatever field it names.
    errorList: extra.failure?.errors.summary({ change: '#changes' }) ?? [],
    details: [
      { key: 'Email address', value: u.email },
      { key: 'Administrator', value: u.is_admin === 1 ? 'Yes' : 'No' },
      { key: 'Disabled', value: disabled ? `Yes, since ${formatDate(u.disabled_at)}` : 'No' },
      { key: 'Status', value: status(u).text },
      { key: 'Last signed in', value: u.last_signed_in ? formatDate(u.last_signed_in) : 'Never' },
      {
        key: 'Two-step verification',
        value: `${u.second_factor_on ? 'On' : 'Off'}${u.second_factor_required ? ', required' : ''}`,
      },
    ].map((row) => ({ key: { text: row.key }, value: { text: row.value } })),
    memberships: view.memberships.map((m) => ({
      area: m.area,
      href: `/reviews/${m.review_id}`,
      membersHref: `/reviews/${m.review_id}/members`,
      organisation: m.organisation,
      role: roleName(m.role),
    })),
    buttons: buttons.map((b) => ({
      ...b,
      action: b.change === 'invite' ? `/admin/users/${u.id}/invite` : `/admin/users/${u.id}/access`,
    })),
  };
}

/** What a person's page says after a change, from the redirect's query. */
export function userNotice(
  kind: string | undefined,
  person: { name: string; email: string } | undefined,
  mailFailed: boolean,
): Notice | null {
  if (!kind || !person) return null;
  if ((kind === 'invited' || kind === 'reinvited') && mailFailed) {
    return {
      success: false,
      text:
        `The account for ${person.email} is ready, but the invitation email could not be sent. ` +
        'Check the mail settings, then use “Send a new invitation” below.',
    };
  }
  const texts: Record<string, string> = {
    invited: `We have sent ${person.name} an invitation to ${person.email}. The link in it works once, for 7 days.`,
    reinvited: `We have sent ${person.name} a new invitation to ${person.email}. Earlier links no longer work.`,
    disable: `${person.name}’s account is disabled. They have been signed out and cannot sign in.`,
    enable: `${person.name}’s account is enabled again.`,
    'make-admin': `${person.name} is now a system administrator.`,
    'remove-admin': `${person.name} is no longer a system administrator.`,
    'require-two-step':
      `${person.name} must use two-step verification. ` +
      'If it is not on, they will set it up when they next sign in.',
    'stop-requiring-two-step': `${person.name} may now choose whether to use two-step verification.`,
    'reset-two-step':
      `${person.name}’s two-step verification is reset and they have been signed out. ` +
      'They can set it up again from their account page, or at their next sign-in if it is required.',
  };
  const text = texts[kind];
  return text ? { success: true, text } : null;
}

export function presentOrganisations(rows: OrganisationAdminRow[]) {
  return rows.map((o) => ({
    id: o.id,
    name: o.name,
    shortName: o.short_name,
    kind: kindName(o.kind),
    editHref: `/admin/organisations/${o.id}/edit`,
  }));
}

/** The organisation form's view: values, errors, kinds as radios and, for a stale edit, what was saved. */
export function presentOrganisationForm(
  heading: string,
  fields: OrganisationFields,
  failure: FormInvalid | null,
  version: number | null,
) {
  const stale = failure?.stale ?? null;
  const errorList = [
    ...(stale ? [{ text: stale.message, href: '#changes' }] : []),
    ...(failure?.errors.summary({ kind: '#kind' }) ?? []),
  ];
  return {
    pageTitle: errorList.length ? `Error: ${heading}` : heading,
    heading,
    fields,
    version,
    errorList,
    errors: failure?.errors.fields ?? {},
    stale: stale ? stale.changes.map((c) => ({ label: c.label, saved: c.saved, yours: c.yours })) : null,
    kindItems: ORGANISATION_KINDS.map((k) => ({
      value: k.value,
      text: k.text,
      ...(k.hint ? { hint: { text: k.hint } } : {}),
      checked: fields.kind === k.value,
    })),
    breadcrumbs: [...ADMIN_CRUMBS, { text: 'Organisations', href: '/admin/organisations' }],
  };
}

const LONDON_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  dateStyle: 'medium',
  timeStyle: 'medium',
});

/** A security event as its row on the administrators' page: plain words, never a secret. */
export function presentSecurityEvent(row: SecurityEventRow) {
  let details = '';
  if (row.detail) {
    const parsed: unknown = JSON.parse(row.detail);
    if (parsed && typeof parsed === 'object') {
      details = Object.entries(parsed)
        .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
        .join('; ');
    }
  }
  const request = row.method && row.path ? `${row.method} ${row.path}` : '';
  return {
    when: LONDON_TIME.format(new Date(row.at)),
    kind: row.kind,
    who: row.email ?? (row.user_id === null ? 'Nobody signed in' : `Account ${String(row.user_id)}`),
    from: row.ip ?? '',
    details: [request, details].filter(Boolean).join(' – '),
  };
}
