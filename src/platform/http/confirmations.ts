import { createHmac } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from '../auth/plugin.ts';
import { sameSecret } from '../auth/secrets.ts';

/*
 * After a change the person lands back on a page that says what happened ("Version 9 issued").
 * A page POST calls confirm() before it redirects; the words travel in a short-lived cookie to
 * the next page, which shows them once in a success banner and clears the cookie. The cookie is
 * signed with the person's own session token, so nobody else (another tab's session, a cookie
 * planted from a neighbouring site) can make a page say something Clasp did not.
 */

export const CONFIRMATION_COOKIE = 'clasp_confirmation';

/** Long enough to follow a redirect on a slow connection; short enough not to surprise later. */
const CONFIRMATION_SECONDS = 120;

/** Confirmations are a few words; anything longer is cut, so the cookie stays small. */
const MOST_CHARACTERS = 200;

/** The session token of a signed-in browser: the key a confirmation is signed with. */
function sessionKey(request: FastifyRequest): string | null {
  if (!request.sessionId) return null;
  const token = request.cookies[SESSION_COOKIE];
  return token ?? null;
}

function signature(key: string, text: string): string {
  return createHmac('sha256', key).update(`confirmation:${text}`, 'utf8').digest('base64url');
}

/** The cookie's value for `text`, signed with the session token: the words, then their signature. */
export function confirmationValue(sessionToken: string, text: string): string | null {
  const words = text.trim().slice(0, MOST_CHARACTERS);
  if (!words) return null;
  return `${Buffer.from(words, 'utf8').toString('base64url')}.${signature(sessionToken, words)}`;
}

/**
 * Shows `text` on the next page this person opens (normally the one the form redirects to), in
 * a success banner. Only for a browser signed in with a session: an API call has no next page.
 */
export function confirm(reply: FastifyReply, text: string): void {
  const request = reply.request;
  const key = sessionKey(request);
  if (!key || request.url.startsWith('/api/')) return;
  const value = confirmationValue(key, text);
  if (!value) return;
  reply.setCookie(CONFIRMATION_COOKIE, value, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: request.secureCookies,
    maxAge: CONFIRMATION_SECONDS,
  });
}

/**
 * The confirmation waiting for this request's page, checked against the session, or null. A
 * cookie is there only until a page shows it: the caller clears it (clearConfirmation) when it
 * does, and one that fails the check is cleared here.
 */
export function pendingConfirmation(request: FastifyRequest, reply: FastifyReply): string | null {
  const value = request.cookies[CONFIRMATION_COOKIE];
  if (!value) return null;
  const key = sessionKey(request);
  const [encoded = '', sent = ''] = value.split('.');
  const text = Buffer.from(encoded, 'base64url').toString('utf8');
  if (!key || !text || !sameSecret(sent, signature(key, text))) {
    clearConfirmation(reply);
    return null;
  }
  return text;
}

export function clearConfirmation(reply: FastifyReply): void {
  reply.clearCookie(CONFIRMATION_COOKIE, { path: '/' });
}

/** The pages a form may send the person back to: My work, or any page of a review. */
const RETURN_PAGE = /^\/(?:my-work(?:[?#]|$)|reviews\/)/;

/**
 * A form's `returnTo` field (or a page's `returnTo` query), when it names a page of Clasp a
 * form may lead back to; null for anything else, so a link cannot send someone off the site
 * ("//evil.example", "https://…", "/\evil") or to an unexpected page.
 */
export function returnToFrom(value: unknown): string | null {
  const text =
    typeof value === 'string'
      ? value
      : value && typeof value === 'object' && 'value' in value && typeof value.value === 'string'
        ? value.value
        : null;
  if (text === null || text.length > 500) return null;
  // No spaces or control characters, no backslash (browsers read "/\" as "//") and no ".." (plain or encoded).
  if (!/^[\x21-\x7e]+$/.test(text) || /\\|\/\/|\.\.|%2e/i.test(text)) return null;
  return RETURN_PAGE.test(text) ? text : null;
}

/** The `returnTo` field of a form, urlencoded or multipart, when it is a page a form may lead back to. */
export function returnToInForm(body: unknown): string | null {
  if (!body || typeof body !== 'object' || !('returnTo' in body)) return null;
  return returnToFrom(body.returnTo);
}
