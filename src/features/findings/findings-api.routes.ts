import type { ClaspApp } from '../../platform/http/typed-app.ts';
import { requireActor } from '../../platform/auth/plugin.ts';
import { normaliseNumber, numberedParams, reviewIdParams } from '../../platform/route-params.ts';
import type { ReviewsContext } from '../reviews/reviews.service.ts';
import type { Fields } from '../reviews/plan-edits.service.ts';
import { fieldsFromJson, jsonBody, sendOutcome } from '../reviews/plan-edit-forms.service.ts';
import { getFinding, getFindingsList } from './findings.service.ts';
import { createFinding, sectionFields, updateFinding } from './finding-editing.service.ts';

/*
 * Findings as JSON: the list, one finding, and adding and changing one through the same
 * services and checks as the pages. The section is given as words; linked recommendations are
 * an array of ids; edits send the `version` they read. Answers: 201 or 200 with the saved
 * finding, 400 with {errors: [{field, message}]}, 409 for a stale version (with what changed),
 * 403 and 404 as for the pages.
 */

const findingFields = (json: unknown): Fields => {
  const fields = fieldsFromJson(json);
  return { ...fields, ...sectionFields(typeof fields.section === 'string' ? fields.section : '') };
};

export async function findingsApiRoutes(app: ClaspApp, ctx: ReviewsContext): Promise<void> {
  app.get(
    '/api/reviews/:reviewId/findings',
    { schema: { params: reviewIdParams }, config: { access: 'read' } },
    async (request) => {
      const { findings } = await getFindingsList(ctx, requireActor(request), request.params.reviewId);
      return { findings };
    },
  );

  app.get(
    '/api/reviews/:reviewId/findings/:number',
    { schema: { params: numberedParams }, config: { access: 'read' } },
    async (request) => {
      const { finding, recommendations } = await getFinding(
        ctx,
        requireActor(request),
        request.params.reviewId,
        normaliseNumber(request.params.number),
      );
      return { finding, recommendations };
    },
  );

  app.post(
    '/api/reviews/:reviewId/findings',
    { schema: { params: reviewIdParams, body: jsonBody }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const outcome = await createFinding(
        ctx,
        requireActor(request),
        request.params.reviewId,
        findingFields(request.body),
      );
      return sendOutcome(reply, outcome, 201, (finding) => ({ finding }));
    },
  );

  app.put(
    '/api/reviews/:reviewId/findings/:number',
    { schema: { params: numberedParams, body: jsonBody }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const { reviewId } = request.params;
      const outcome = await updateFinding(
        ctx,
        requireActor(request),
        reviewId,
        normaliseNumber(request.params.number),
        findingFields(request.body),
      );
      return sendOutcome(reply, outcome, 200, (finding) => ({ finding }));
    },
  );
}
