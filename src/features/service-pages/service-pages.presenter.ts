import { formatInstant, formatLongDate } from '../../domain/dates.ts';
import { plural } from '../../domain/words.ts';
import { ANONYMOUS_CSRF_COOKIE, SESSION_COOKIE } from '../../platform/auth/plugin.ts';
import { KEPT_FORM_COOKIE, KEPT_FORM_MINUTES } from '../../platform/auth/kept-forms.ts';
import { CONFIRMATION_COOKIE } from '../../platform/http/confirmations.ts';
import { CHALLENGE_MINUTES } from '../accounts/second-factor.service.ts';
import type { ReviewCoordinators, ServicePagesContext, ServiceStatus } from './service-pages.service.ts';

/*
 * What the service's own pages say. Each page's date is the day its words last changed: change
 * the date with the words.
 */

/** The day the accessibility statement was prepared and last reviewed, and the service last tested for it. */
export const ACCESSIBILITY_STATEMENT_DATE = '2026-12-07';
/** The day the privacy notice last changed. */
export const PRIVACY_NOTICE_DATE = '2026-12-07';
/** The day the list of cookies last changed. */
export const COOKIES_PAGE_DATE = '2026-12-07';

/** The cookie that carries a half-finished sign-in to its second step (accounts/second-step.routes.ts). */
const SIGN_IN_COOKIE = 'clasp_sign_in';

/** What idle-warning.js keeps in the browser's local storage: when Clasp was last used in this browser. */
const LAST_ACTIVE_ITEM = 'clasp-last-active';

/** Who runs this Clasp and how to reach them, in words for the pages, whether or not the settings give them. */
export function presentOperator(config: ServicePagesContext['config']) {
  return {
    /** "NHS Rotherham CCG", or general words when the setting is not given. */
    name: config.operatorName ?? 'The organisation that runs this Clasp service',
    /** Mid-sentence: "… is the controller". */
    nameInSentence: config.operatorName ?? 'the organisation that runs this Clasp service',
    named: config.operatorName !== null,
    email: config.contactEmail,
  };
}

/** Every cookie Clasp sets: all of them needed for it to work, none for analytics or anyone else. */
export function presentCookies(config: ServicePagesContext['config']) {
  const idle = plural(config.sessionIdleMinutes, 'minute');
  const longest = plural(config.sessionMaxHours, 'hour');
  return [
    {
      name: SESSION_COOKIE,
      purpose: 'Keeps you signed in as you move from page to page.',
      expires:
        `When you sign out or close your browser. Your session also ends after ${idle} without using Clasp, ` +
        `and ${longest} after you signed in.`,
    },
    {
      name: ANONYMOUS_CSRF_COOKIE,
      purpose:
        'Set while you are not signed in. It makes sure the sign-in and password forms you send came from ' +
        'Clasp and not from another website.',
      expires: 'When you close your browser.',
    },
    {
      name: SIGN_IN_COOKIE,
      purpose: 'Remembers that you have entered your password while you enter a code for two-step verification.',
      expires: `After ${plural(CHALLENGE_MINUTES, 'minute')}, or when you have signed in.`,
    },
    {
      name: KEPT_FORM_COOKIE,
      purpose:
        'If your session ends just as you send a form, it lets Clasp show you what you typed again after you ' +
        'sign in, so nothing is lost.',
      expires: `After ${plural(KEPT_FORM_MINUTES, 'minute')}, or when the form has been shown again.`,
    },
    {
      name: CONFIRMATION_COOKIE,
      purpose: 'Carries a message such as “Progress posted” to the next page you see after a change.',
      expires: 'After 2 minutes, or when the message has been shown.',
    },
  ];
}

const DATABASE_KINDS = { sqlite: 'SQLite, built into Clasp', postgres: 'PostgreSQL' } as const;

/** "7 December 2026 at 3:04pm": an instant as people in England read it. */
export function formatTimeInEngland(instant: Date): string {
  return formatInstant(instant.toISOString());
}

/** The status page: whether Clasp can reach its database, which one, its version and when it was checked. */
export function presentStatus(status: ServiceStatus) {
  const working = status.status === 'ok';
  return {
    pageTitle: 'Service status',
    working,
    rows: [
      { key: 'Clasp', value: working ? 'Working' : 'Not working: it cannot reach its database' },
      { key: 'Database', value: DATABASE_KINDS[status.database] },
      { key: 'Version', value: status.version },
      { key: 'Checked', value: formatTimeInEngland(status.checkedAt) },
    ].map((row) => ({ key: { text: row.key }, value: { text: row.value } })),
  };
}

/** The help page: the coordinators of the person's reviews when signed in, and who runs the service. */
export function presentHelp(config: ServicePagesContext['config'], signedIn: boolean, reviews: ReviewCoordinators[]) {
  return {
    pageTitle: 'Help and contact',
    operator: presentOperator(config),
    signedIn,
    reviews: reviews.map((r) => ({
      area: r.area,
      href: `/reviews/${r.reviewId}`,
      coordinators: r.coordinators.map((c) => ({ name: c.isYou ? `${c.name} (you)` : c.name, email: c.email })),
    })),
  };
}

export function presentAccessibility(config: ServicePagesContext['config']) {
  return {
    pageTitle: 'Accessibility statement',
    operator: presentOperator(config),
    sessionIdleMinutes: config.sessionIdleMinutes,
    prepared: formatLongDate(ACCESSIBILITY_STATEMENT_DATE),
  };
}

export function presentPrivacy(config: ServicePagesContext['config']) {
  return {
    pageTitle: 'Privacy notice',
    operator: presentOperator(config),
    sessionIdleMinutes: config.sessionIdleMinutes,
    sessionMaxHours: config.sessionMaxHours,
    keptFormMinutes: KEPT_FORM_MINUTES,
    updated: formatLongDate(PRIVACY_NOTICE_DATE),
  };
}

export function presentCookiesPage(config: ServicePagesContext['config']) {
  return {
    pageTitle: 'Cookies',
    cookies: presentCookies(config),
    storageItem: LAST_ACTIVE_ITEM,
    updated: formatLongDate(COOKIES_PAGE_DATE),
  };
}
