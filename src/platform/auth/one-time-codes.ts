import { randomInt } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

/*
 * The codes of two-step verification: time-based codes from an authenticator app (RFC 6238:
 * SHA-1, 6 digits, 30 seconds, which every app reads) and single-use recovery codes.
 */

const PERIOD_SECONDS = 30;
const ISSUER = 'Clasp';

/** A new shared secret: 160 random bits, written in base32 as apps expect. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totpFor(secretBase32: string, accountEmail = ''): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label: accountEmail,
    secret: Secret.fromBase32(secretBase32),
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_SECONDS,
  });
}

/** The `otpauth://` address an app reads from the QR code. */
export function totpAddress(secretBase32: string, accountEmail: string): string {
  return totpFor(secretBase32, accountEmail).toString();
}

/** The secret in groups of four, for typing into an app by hand. */
export function secretForTyping(secretBase32: string): string {
  return secretBase32.replace(/(.{4})(?=.)/g, '$1 ');
}

/** The code an app shows at this moment (used by tests and the CLI's checks). */
export function currentTotp(secretBase32: string, now: Date): string {
  return totpFor(secretBase32).generate({ timestamp: now.getTime() });
}

/**
 * The time step of a code typed by the person, or null if it is not the code of this moment or
 * of the 30 seconds either side (phones' clocks drift). The caller refuses a step it has already
 * accepted, so a code seen over someone's shoulder cannot be used again.
 */
export function totpStep(secretBase32: string, code: string, now: Date): number | null {
  const typed = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(typed)) return null;
  const delta = totpFor(secretBase32).validate({ token: typed, timestamp: now.getTime(), window: 1 });
  if (delta === null) return null;
  return Math.floor(now.getTime() / 1000 / PERIOD_SECONDS) + delta;
}

/** The QR code of an address, as SVG markup to put in the page (no image request, no script). */
export function qrCodeSvg(address: string): Promise<string> {
  return QRCode.toString(address, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

// No 0/O, 1/I/L: recovery codes are read off paper.
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
export const RECOVERY_CODE_COUNT = 10;

/** Ten new recovery codes, each of 10 characters (about 50 bits) shown as xxxxx-xxxxx. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)] ?? '');
    return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
  });
}

/** A recovery code as typed (any case, spaces or a missing dash) in the form it is stored under, or null. */
export function normaliseRecoveryCode(typed: string): string | null {
  const plain = typed.toLowerCase().replace(/[\s-]/g, '');
  if (!/^[a-hjkmnp-z2-9]{10}$/.test(plain)) return null;
  return `${plain.slice(0, 5)}-${plain.slice(5)}`;
}
