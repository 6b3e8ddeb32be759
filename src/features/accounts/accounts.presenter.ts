import { dateInEngland, formatDate, formatInstant } from '../../domain/dates.ts';
import { dateInputFrom, fieldText, type FieldValues } from '../../platform/forms.ts';
import type { TokenScope } from '../../domain/permissions.ts';
import { TOKEN_SCOPE_WORDS, type ApiTokenRules } from './accounts.forms.ts';
import { lastDayOf, type OwnApiToken } from './accounts.service.ts';
import { describeDevice } from './device-name.ts';
import type { OwnSession } from './sessions.service.ts';

/* The account page's list of where the person is signed in, in words they read. */

export function presentSessions(sessions: readonly OwnSession[]) {
  return sessions.map((s) => ({
    id: s.id,
    device: describeDevice(s.userAgent),
    place: s.ip ?? 'Not known',
    lastSeen: formatInstant(s.lastSeenAt),
    isThisDevice: s.isThisDevice,
  }));
}

const SCOPE_HINTS: Record<TokenScope, string> = {
  read: 'It can look at anything you can, but not change it.',
  write: 'It can look at and change anything you can, except administration.',
  admin: 'It can do anything you can, including administration.',
};

/** The account page's list of API tokens: what each may do, where, until when, and its last use. */
export function presentTokens(tokens: readonly OwnApiToken[]) {
  return tokens.map((t) => ({
    id: t.id,
    name: t.name,
    scope: TOKEN_SCOPE_WORDS[t.scope],
    reviews: t.reviews ? t.reviews.map((r) => r.area).join(', ') : 'All your reviews',
    created: formatDate(dateInEngland(new Date(t.createdAt))),
    expires: t.expiresAt
      ? `${t.expired ? 'Expired at the end of' : 'At the end of'} ${formatDate(lastDayOf(t.expiresAt))}`
      : 'Does not expire',
    expired: t.expired,
    lastUsed: t.lastUsedAt
      ? `${formatInstant(t.lastUsedAt)}${t.lastUsedFrom ? ` from ${t.lastUsedFrom}` : ''}`
      : 'Never used',
  }));
}

/** The new-token form: its choices, with what was typed when it was refused. */
export function presentTokenForm(rules: ApiTokenRules, typed: FieldValues | null) {
  const scope = typed ? fieldText(typed, 'scope') : 'read';
  const ticked = typed ? [typed.reviews ?? []].flat() : [];
  const expires = typed
    ? {
        day: fieldText(typed, 'expires-day'),
        month: fieldText(typed, 'expires-month'),
        year: fieldText(typed, 'expires-year'),
      }
    : dateInputFrom(rules.defaultExpiry);
  return {
    name: typed ? fieldText(typed, 'tokenName') : '',
    scopeItems: rules.scopes.map((s) => ({
      value: s,
      text: TOKEN_SCOPE_WORDS[s],
      hint: { text: SCOPE_HINTS[s] },
      checked: s === scope,
    })),
    expires,
    expiresHint:
      `The last day it works, for example ${numeric(rules.defaultExpiry)}. ` +
      `It can be no later than ${formatDate(rules.latest)}.`,
    reviewItems: rules.reviews.map((r) => ({
      value: String(r.id),
      text: r.area,
      checked: ticked.includes(String(r.id)),
    })),
  };
}

/** '2027-03-07' → '7 3 2027', as the GOV.UK date input pattern writes its examples. */
function numeric(date: string): string {
  const { day, month, year } = dateInputFrom(date);
  return `${day} ${month} ${year}`;
}
