import type { z } from 'zod';
import { FormInvalid } from './form-schema.ts';
import { FormErrors } from './forms.ts';

/*
 * PATCH: change only the fields sent. PUT replaces every field (a field left out is saved empty);
 * PATCH reads the thing as its edit page shows it, lays the fields sent over those values and
 * runs the very same form, checks and service as PUT, so version checks, permissions and the
 * audit trail are the same. A field the form does not have is refused, naming it, and so is a
 * PATCH that changes nothing.
 */

/** The field every edit sends back: it is not a change in itself. */
const VERSION = 'version';

/** The description of a PATCH body: every field of the PUT body, each one optional. */
export function partialBody(body: z.ZodObject, what: string) {
  return body
    .partial()
    .describe(
      `The fields of the ${what} to change, with the version you read; fields left out keep their saved values.`,
    );
}

/** The names of the fields a body description lists, in its order. */
export function fieldNames(body: z.ZodObject): string[] {
  return Object.keys(body.shape);
}

/**
 * The body PUT would have been sent: the saved values (as the edit page fills its form) with the
 * fields sent laid over them. `version` is taken only from what was sent, never from the saved
 * values, so an edit made on top of someone else's is refused as PUT refuses it.
 */
export function overlay(
  saved: Readonly<Record<string, unknown>>,
  sent: unknown,
  body: z.ZodObject,
  what: string,
): Record<string, unknown> {
  const names = fieldNames(body);
  const changeable = names.filter((name) => name !== VERSION);
  const listed = changeable.join(', ');
  if (!sent || typeof sent !== 'object' || Array.isArray(sent)) {
    throw FormInvalid.of('form', `Send a JSON object with the fields of the ${what} to change: ${listed}`);
  }
  const fields = Object.entries(sent as Record<string, unknown>).filter(([name]) => name !== '_csrf');
  const errors = new FormErrors();
  for (const [name] of fields) {
    if (!names.includes(name)) {
      errors.add(name, `"${name}" is not a field of a ${what}. Send only fields to change, from: ${listed}`);
    }
  }
  if (errors.any) throw new FormInvalid(errors);
  if (!fields.some(([name]) => name !== VERSION)) {
    throw FormInvalid.of('form', `Send at least one field of the ${what} to change, from: ${listed}`);
  }
  const merged: Record<string, unknown> = {};
  for (const name of names) if (name !== VERSION && name in saved) merged[name] = saved[name];
  for (const [name, value] of fields) merged[name] = value;
  return merged;
}

/** What a PATCH route's description says: only the fields sent change, and what is refused. */
export function patchDescription(what: string): string {
  return (
    'Changes only the fields sent; the others keep their saved values. Send the version you read. ' +
    `A field the ${what} does not have is refused (400), and so is a body with no field to change.`
  );
}
