import { z } from 'zod';
import { id } from '../../../platform/route-params.ts';
import type { PlanPoint } from './versions.service.ts';

/* The addresses of versions and documents: a version number in the path, or points to compare in the query. */

const versionNumber = z.string().regex(/^[0-9A-Za-z.]{1,20}$/);
const point = z
  .string()
  .regex(/^(now|[0-9A-Za-z.]{1,20})$/)
  .optional();

export const versionParams = z.object({ reviewId: id, number: versionNumber });

export const pointQuery = z.object({
  version: versionNumber.optional(),
  from: point,
  to: point,
  issued: z.string().optional(),
});

/** A version number as given, or now when none is. */
export function pointOf(version: string | undefined): PlanPoint {
  return version ? version.replace(/\.$/, '') : 'now';
}
