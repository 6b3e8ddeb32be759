import type { FastifyInstance } from 'fastify';

/*
 * Input no text in Clasp may contain, refused in one place before any route sees it. A NUL
 * character (code 0) has no meaning in a name, a progress update or an address; PostgreSQL
 * cannot store it in text and SQLite would keep it silently, so it is refused as bad input
 * (400) wherever it appears: the address, the query string, a form, a JSON body, the name of an
 * uploaded file. The bytes of an uploaded file are not text and are not checked here.
 */

export const NUL_MESSAGE =
  'What was sent contains a NUL character (code 0), which Clasp does not accept. ' +
  'Remove it (it often comes from copying text out of another program) and send it again.';

/** Thrown when input holds a character Clasp refuses; the error handler answers it with 400. */
export class BadInput extends Error {}

/** The percent-decoded address, or the raw one when it does not decode (the router then refuses it). */
function decodedUrl(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}

/** A part of a multipart form as @fastify/multipart attaches it: its value, and a file's name. */
function isMultipartPart(value: object): value is { fieldname: string; filename?: unknown; value?: unknown } {
  return 'fieldname' in value && typeof value.fieldname === 'string' && ('value' in value || 'file' in value);
}

/**
 * True when any text in a parsed query or body contains NUL: strings, arrays, plain objects, and
 * a multipart part's field name, file name and text value (never its bytes, stream or the
 * form it points back to). Each object is looked at once, however it is shared.
 */
export function containsNul(value: unknown, seen = new WeakSet<object>(), depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (value === null || typeof value !== 'object' || depth > 16 || seen.has(value)) return false;
  seen.add(value);
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return false;
  if (Array.isArray(value)) return value.some((item) => containsNul(item, seen, depth + 1));
  if (isMultipartPart(value)) {
    const text = [value.fieldname, value.filename, typeof value.value === 'string' ? value.value : undefined];
    return text.some((t) => typeof t === 'string' && t.includes('\u0000'));
  }
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('\u0000') || containsNul(item, seen, depth + 1)) return true;
  }
  return false;
}

/** Refuses, before anything reads the request (the session lookup included), an address containing NUL. */
export function registerAddressGuard(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    done(decodedUrl(request.url).includes('\u0000') ? new BadInput(NUL_MESSAGE) : undefined);
  });
}

/**
 * Refuses, before validation, a query or body whose text contains NUL. Registered after the
 * form parsers, whose own hooks attach a multipart form's fields to the body.
 */
export function registerBodyGuard(app: FastifyInstance): void {
  app.addHook('preValidation', (request, _reply, done) => {
    done(containsNul(request.query) || containsNul(request.body) ? new BadInput(NUL_MESSAGE) : undefined);
  });
}
