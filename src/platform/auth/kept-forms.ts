import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/database.ts';
import { claimKeptFormRow, deleteKeptFormRow, findKeptFormRow, insertKeptForm } from '../db/kept-forms.ts';

/*
 * Nothing typed is lost when a session ends. A form sent after the session ended (idle too
 * long, or signed out in another tab) is kept for a short time, found again only by a cookie
 * in the browser that sent it, and put back into its form page once the person has signed in
 * again. Only text fields are kept: never the CSRF token, a password or a code, and never a file.
 */

export const KEPT_FORM_COOKIE = 'clasp_kept_form';

/** How long a form sent after its session ended is kept. */
export const KEPT_FORM_MINUTES = 30;

/** The most a kept form may hold, counted as characters of JSON, and its most fields. */
const MOST_CHARACTERS = 100_000;
const MOST_FIELDS = 100;
/** The most forms kept at once, so requests made to fill the table cannot fill the disk. */
const MOST_KEPT = 2000;

/** Fields never kept: passwords, current and confirmed passwords, codes, secrets and tokens. */
const SECRET_FIELD = /password|code|secret|token|^current|^confirm|^_csrf$/i;

/** The fields of a form as typed, and whether a file chosen with it had to be left out. */
export interface KeptForm {
  fields: Record<string, string | string[]>;
  fileLeftOut: boolean;
}

/** A kept form found for this request's page and this person. */
export interface KeptFormOnRequest {
  tokenHash: string;
  form: KeptForm;
  /** Set when the page has shown the fields, so the kept form is then deleted. */
  shown: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** A form kept when a session ended, for this page and this person, or null. */
    keptForm: KeptFormOnRequest | null;
  }
  interface FastifyContextConfig {
    /**
     * On a form page's GET route: the page shows a kept form again (through keptFormFor), so a
     * form sent to the same address after the session ended is kept.
     */
    restoresKeptForm?: boolean;
  }
}

/** Whether the body is an HTML form's: urlencoded or multipart. */
export function isFormPost(request: FastifyRequest): boolean {
  const type = request.headers['content-type'] ?? '';
  return type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data');
}

/**
 * Whether the browser says the request came from a page of this site: Sec-Fetch-Site where the
 * browser sends it, else the Origin header. A request saying neither is not taken as same-origin.
 */
export function isSameOrigin(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string') return site === 'same-origin';
  const origin = request.headers.origin;
  return typeof origin === 'string' && origin === `${request.protocol}://${request.host}`;
}

/** A part's text, urlencoded or multipart; a file (its bytes) is not text. */
function partOf(part: unknown): { text: string } | { file: boolean } | null {
  if (typeof part === 'string') return { text: part };
  if (!part || typeof part !== 'object' || !('value' in part)) return null;
  const value: unknown = part.value;
  if (typeof value === 'string') return { text: value };
  if (value && typeof value === 'object' && 'bytes' in value && Buffer.isBuffer(value.bytes)) {
    // A file input left empty still sends a part with no name and no bytes.
    const empty = 'fileName' in value && value.fileName === '' && value.bytes.length === 0;
    return { file: !empty };
  }
  return null;
}

/**
 * What of a parsed form body can be kept: its text fields less the secret ones. Null when
 * nothing was typed, or when it is too large to keep.
 */
export function formToKeep(body: unknown): KeptForm | null {
  if (!body || typeof body !== 'object') return null;
  const fields: Record<string, string | string[]> = {};
  let fileLeftOut = false;
  let count = 0;
  for (const [name, raw] of Object.entries(body as Record<string, unknown>)) {
    if (SECRET_FIELD.test(name)) continue;
    const texts: string[] = [];
    for (const part of Array.isArray(raw) ? (raw as unknown[]) : [raw]) {
      const found = partOf(part);
      if (found && 'text' in found) texts.push(found.text);
      else if (found?.file) fileLeftOut = true;
    }
    if (texts.length === 0) continue;
    fields[name] = Array.isArray(raw) ? texts : (texts[0] ?? '');
    count += 1;
  }
  if (count === 0 || count > MOST_FIELDS) return null;
  if (!Object.values(fields).some((v) => (Array.isArray(v) ? v.length > 0 : v.trim() !== ''))) return null;
  const form = { fields, fileLeftOut };
  return JSON.stringify(form).length > MOST_CHARACTERS ? null : form;
}

/**
 * Keeps a form for the cookie's token hash, replacing what the cookie kept before; forgets
 * expired ones. False when it could not be kept, as too many forms are kept already.
 */
export async function keepForm(
  db: Db,
  entry: { tokenHash: string; replaces: string | null; userId: number | null; page: string; form: KeptForm },
  now: Date,
): Promise<boolean> {
  const row = {
    token_hash: entry.tokenHash,
    user_id: entry.userId,
    page: entry.page,
    form: JSON.stringify(entry.form),
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + KEPT_FORM_MINUTES * 60_000).toISOString(),
  };
  return insertKeptForm(db, row, entry.replaces, { now: now.toISOString(), most: MOST_KEPT });
}

/**
 * The kept form a signed-in person's cookie names, if it is theirs and not expired. One nobody
 * owns yet becomes theirs; one kept for somebody else is deleted. Null when there is none.
 */
export async function findKeptForm(
  db: Db,
  tokenHash: string,
  userId: number,
  now: Date,
): Promise<{ page: string; form: KeptForm } | null> {
  const row = await findKeptFormRow(db, tokenHash, now.toISOString());
  if (!row) return null;
  if (row.user_id !== null && row.user_id !== userId) {
    await deleteKeptFormRow(db, tokenHash);
    return null;
  }
  // Claimed only while still unclaimed, so two people signing in at once cannot both have it.
  if (row.user_id === null && !(await claimKeptFormRow(db, tokenHash, userId))) return null;
  return { page: row.page, form: JSON.parse(row.form) as KeptForm };
}

export const deleteKeptForm = deleteKeptFormRow;

/** The path of an address, without its query. */
export function pathOf(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}
