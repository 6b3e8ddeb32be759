import { STATUS_CODES } from 'node:http';
import { z } from 'zod';

/*
 * The body of every refused /api request: a problem details object (RFC 9457), sent as
 * application/problem+json. `type` names the kind of problem with a link to where the API's
 * reference page explains it; `detail` is the message a person reads; `requestId` is the id
 * logged with the request and shown on the problem page, so a report can be traced. `error`
 * repeats `detail` for scripts written before problems were answered.
 */

/** Where the API's reference page explains each kind of problem. */
export const PROBLEM_TYPES = {
  'invalid-fields': 'Some of what was sent has problems',
  'bad-request': 'The request cannot be used',
  'sign-in-needed': 'Sign in or send an API token',
  forbidden: 'You cannot do that',
  'not-found': 'Not found',
  conflict: 'It cannot be done to it as it stands now',
  'stale-edit': 'Someone else changed it first',
  'precondition-failed': 'It has changed since the version named',
  'too-large': 'What was sent is too large',
  'unsupported-type': 'What was sent is not in a type Clasp takes',
  'too-many-requests': 'Too many requests',
  'server-error': 'Something went wrong',
} as const;

export type ProblemKind = keyof typeof PROBLEM_TYPES;

/** The `type` of a kind of problem: a link to its section of the API's reference page. */
export function problemType(kind: ProblemKind): string {
  return `/api#problem-${kind}`;
}

/** The kind of problem a status is, when nothing more is known. */
export function problemKindOf(status: number): ProblemKind | null {
  const kinds: Record<number, ProblemKind> = {
    400: 'bad-request',
    401: 'sign-in-needed',
    403: 'forbidden',
    404: 'not-found',
    409: 'conflict',
    412: 'precondition-failed',
    413: 'too-large',
    415: 'unsupported-type',
    429: 'too-many-requests',
    500: 'server-error',
  };
  return kinds[status] ?? null;
}

export const fieldProblemSchema = z.object({
  field: z.string().describe('The field as sent (a query parameter for a filter)'),
  message: z.string().describe('What is wrong and what to do, in the words the page uses'),
  allowed: z.array(z.string()).optional().describe('For a field of choices: the values it takes'),
});

export const fieldChangeSchema = z.object({
  field: z.string(),
  label: z.string().describe('The field as the page names it'),
  opened: z.string().describe('Its value in the version you read'),
  saved: z.string().describe('Its value saved now'),
  yours: z.string().describe('The value you sent'),
});

export const problemSchema = z
  .object({
    type: z.string().describe('The kind of problem: a link to where the API reference explains it, or about:blank'),
    title: z.string().describe('The kind of problem, in words; the same for every problem of its type'),
    status: z.number().int().describe('The HTTP status'),
    detail: z.string().describe('What went wrong with this request, and what to do'),
    instance: z.string().describe('The path of the request'),
    requestId: z.string().describe('The id of the request (X-Request-Id): quote it when reporting a problem'),
    error: z.string().describe('The same as detail, for scripts that read it'),
    errors: z.array(fieldProblemSchema).optional().describe('Each field with a problem'),
    version: z.number().int().optional().describe('After a stale edit: the version saved now'),
    changes: z.array(fieldChangeSchema).optional().describe('After a stale edit: what was changed since your version'),
  })
  .describe('A problem details object (RFC 9457), sent as application/problem+json');

export type Problem = z.output<typeof problemSchema>;
export type FieldProblem = z.output<typeof fieldProblemSchema>;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** A problem's title: that of its kind, or the status's own words for a status with no kind. */
export function problemTitle(status: number, kind: ProblemKind | null): string {
  return kind ? PROBLEM_TYPES[kind] : (STATUS_CODES[status] ?? 'Error');
}
