/* JSON schemas for the path parameters many pages share. A value that does not fit is a 404. */

const id = { type: 'integer', minimum: 1, maximum: 2147483647 } as const;

/** Paragraph and recommendation numbers as reports write them: 4, 4.8, 5.2.4, with or without a trailing dot. */
const paragraphNumber = { type: 'string', pattern: '^[0-9]{1,3}(\\.[0-9]{1,3}){0,3}\\.?$' } as const;

export const reviewIdParams = {
  type: 'object',
  required: ['reviewId'],
  properties: { reviewId: id },
} as const;

export const numberedParams = {
  type: 'object',
  required: ['reviewId', 'number'],
  properties: { reviewId: id, number: paragraphNumber },
} as const;

export const actionParams = {
  type: 'object',
  required: ['reviewId', 'actionId'],
  properties: { reviewId: id, actionId: id },
} as const;

/** "3.1." and "3.1" name the same paragraph. */
export function normaliseNumber(number: string): string {
  return number.replace(/\.$/, '');
}
