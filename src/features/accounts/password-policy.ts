import { createRequire } from 'node:module';
import type * as CommonLanguage from '@zxcvbn-ts/language-common';

/*
 * What a new password must be (OWASP ASVS 2.1.1, 2.1.7; NIST SP 800-63B 5.1.1.2): at least 12
 * characters and at most 256; not one of the passwords attackers try first; not made of the
 * person's own name or email address. No rules about character kinds: length and unusual words
 * make a password strong, so the messages suggest three random words.
 *
 * The common passwords are the 49,000-odd of @zxcvbn-ts/language-common (MIT), drawn from real
 * breaches, shipped with the app and read from disk: no network. They are loaded on the first
 * check, not at start-up, so commands and pages that never set a password do not pay for them.
 */

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

/** Parts of a name or email address shorter than this are too common to refuse (Al, Jo, Lee). */
const PERSONAL_PART_MIN_LENGTH = 4;

let commonPasswords: ReadonlySet<string> | null = null;

function loadCommonPasswords(): ReadonlySet<string> {
  if (!commonPasswords) {
    const load = createRequire(import.meta.url);
    const { dictionary } = load('@zxcvbn-ts/language-common') as typeof CommonLanguage;
    commonPasswords = new Set(dictionary['passwords-common']);
  }
  return commonPasswords;
}

/**
 * Whether the password is a common one, also when spaces were added or it was padded with digits
 * and symbols at either end ("Sunshine 2026!" is "sunshine"), or it repeats a few characters.
 */
export function isCommonPassword(password: string): boolean {
  const common = loadCommonPasswords();
  const lower = password.toLowerCase();
  const joined = lower.replace(/\s+/gu, '');
  const core = joined.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  if (/^(.{1,4})\1+$/u.test(joined)) return true;
  return [lower, joined, core].some((candidate) => candidate.length > 0 && common.has(candidate));
}

/** The parts of a person's name and email address's local part that a password must not contain. */
export function personalParts(person: { email?: string; name?: string }): string[] {
  const local = (person.email ?? '').toLowerCase().split('@')[0] ?? '';
  const words = [local, ...local.split(/[^\p{L}]+/u), ...(person.name ?? '').toLowerCase().split(/[^\p{L}]+/u)];
  return [...new Set(words.filter((w) => w.length >= PERSONAL_PART_MIN_LENGTH))];
}

/** Why a new password is not acceptable for this person, saying what to do instead; or null when it is. */
export function passwordProblem(password: string, person: { email?: string; name?: string } = {}): string | null {
  if (password.length === 0) return 'Enter a password';
  if (password.length < PASSWORD_MIN_LENGTH) {
    return `Password must be ${String(PASSWORD_MIN_LENGTH)} characters or more. Three random words together work well`;
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    return `Password must be ${String(PASSWORD_MAX_LENGTH)} characters or fewer`;
  }
  const lower = password.toLowerCase();
  if (personalParts(person).some((part) => lower.includes(part))) {
    return 'Password must not contain your name or email address. Choose three random words that are not about you';
  }
  if (isCommonPassword(password)) {
    return 'Password is too common: attackers try it first. Choose three random words together instead';
  }
  return null;
}
