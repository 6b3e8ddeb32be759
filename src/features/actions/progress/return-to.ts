import { z } from 'zod';
import { returnToFrom } from '../../../platform/http/confirmations.ts';

/*
 * Forms opened from elsewhere (My work links to them with ?returnTo=/my-work) carry the page to
 * go back to in a hidden `returnTo` field, and go there after saving. Only pages a form may lead
 * back to are honoured (returnToFrom); anything else is ignored and the form goes to the action.
 */

/** The query of a form page: the page to go back to after saving, if any. */
export const returnToQuery = z.object({ returnTo: z.string().optional().catch(undefined) });

/** The page named by a form's hidden `returnTo` field, if it is one a form may lead back to. */
export function returnToIn(body: unknown): string | null {
  return body && typeof body === 'object' && 'returnTo' in body ? returnToFrom(body.returnTo) : null;
}
