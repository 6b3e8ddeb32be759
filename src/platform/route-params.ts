import { z } from 'zod';

/*
 * Schemas for the path parameters and query strings many pages share. They are zod schemas, so
 * each route's schema is also its type. A path value that does not fit is a 404 on a page.
 */

/**
 * A row id in a path: digits only, 1 to 2147483647. The API's description calls it the integer it
 * stands for, so generated clients take a number (a path is text on the way, whatever it holds).
 */
export const id = z
  .string()
  .regex(/^[0-9]{1,10}$/)
  .transform(Number)
  .pipe(z.number().int().min(1).max(2147483647))
  .meta({ type: 'integer', minimum: 1, maximum: 2147483647, pattern: undefined });

/** Paragraph and recommendation numbers as reports write them: 4, 4.8, 5.2.4, with or without a trailing dot. */
const paragraphNumber = z.string().regex(/^[0-9]{1,3}(\.[0-9]{1,3}){0,3}\.?$/);

export const reviewIdParams = z.object({ reviewId: id });

export const numberedParams = z.object({ reviewId: id, number: paragraphNumber });

export const actionParams = z.object({ reviewId: id, actionId: id });

/** "3.1." and "3.1" name the same paragraph. */
export function normaliseNumber(number: string): string {
  return number.replace(/\.$/, '');
}

/** A query value that only chooses a message or a default: anything unexpected reads as absent. */
export const optionalText = z.string().optional().catch(undefined);

/** The query of a form page that may lead back to where it was opened from (platform/http/confirmations.ts). */
export const returnToQuery = z.object({ returnTo: optionalText });

/** The query of a page that shows a notice after a redirect (?done=…, ?notice=…). */
export const noticeQuery = z.object({
  done: optionalText,
  notice: optionalText,
  mail: optionalText,
  member: optionalText,
  organisation: optionalText,
  next: optionalText,
});
