import { formBody, type ClaspApp } from '../../platform/http/typed-app.ts';
import { requireActor } from '../../platform/auth/plugin.ts';
import { parseForm } from '../../platform/form-schema.ts';
import { overlay, partialBody, patchDescription } from '../../platform/partial-update.ts';
import { normaliseNumber, numberedParams, reviewIdParams } from '../../platform/route-params.ts';
import type { ReviewsContext } from '../reviews/reviews.service.ts';
import { getFinding, getFindingsList } from './findings.service.ts';
import { presentFindingJson, presentFindingsJson } from './findings.presenter.ts';
import { findingForm } from './findings.forms.ts';
import { findingAnswer, findingBody, findingPageAnswer, findingsListAnswer } from './findings.schemas.ts';
import { createFinding, editFindingForm, findingRules, updateFinding } from './finding-editing.service.ts';

/*
 * Findings as JSON: the list, one finding, and adding and changing one through the same form
 * schema, services and checks as the pages. The section is given as its name; linked
 * recommendations are an array of ids; edits send the `version` they read. Answers: 201 or 200
 * with the saved finding; 400 with {errors: [{field, message}]} and 409 for a stale version
 * (with what changed) come from the error handler; 403 and 404 as for the pages.
 */

const findingPatchBody = partialBody(findingBody, 'finding');

export function findingsApiRoutes(app: ClaspApp, ctx: ReviewsContext): void {
  app.get(
    '/api/reviews/:reviewId/findings',
    {
      schema: {
        summary: 'List the findings of a review',
        params: reviewIdParams,
        response: { 200: findingsListAnswer },
      },
      config: { access: 'read' },
    },
    async (request) => presentFindingsJson(await getFindingsList(ctx, requireActor(request), request.params.reviewId)),
  );

  app.get(
    '/api/reviews/:reviewId/findings/:number',
    {
      schema: { summary: 'Show a finding', params: numberedParams, response: { 200: findingPageAnswer } },
      config: { access: 'read' },
    },
    async (request) => {
      const number = normaliseNumber(request.params.number);
      return presentFindingJson(await getFinding(ctx, requireActor(request), request.params.reviewId, number));
    },
  );

  app.post(
    '/api/reviews/:reviewId/findings',
    {
      schema: {
        summary: 'Add a finding to a review',
        params: reviewIdParams,
        body: formBody(findingBody),
        response: { 201: findingAnswer },
      },
      config: { access: 'coordinate' },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      const command = await parseForm(findingForm(await findingRules(ctx, actor, reviewId)), request.body);
      return reply.code(201).send({ finding: await createFinding(ctx, actor, reviewId, command) });
    },
  );

  app.put(
    '/api/reviews/:reviewId/findings/:number',
    {
      schema: {
        summary: 'Change a finding',
        description: 'Replaces every field: a field left out is saved empty. To change only some, use PATCH.',
        params: numberedParams,
        body: formBody(findingBody),
        response: { 200: findingAnswer },
      },
      config: { access: 'coordinate' },
    },
    async (request) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      const number = normaliseNumber(request.params.number);
      const command = await parseForm(findingForm(await findingRules(ctx, actor, reviewId, number)), request.body);
      return { finding: await updateFinding(ctx, actor, reviewId, number, command) };
    },
  );

  app.patch(
    '/api/reviews/:reviewId/findings/:number',
    {
      schema: {
        summary: 'Change some fields of a finding',
        description: patchDescription('finding'),
        params: numberedParams,
        body: formBody(findingPatchBody),
        response: { 200: findingAnswer },
      },
      config: { access: 'coordinate' },
    },
    async (request) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      const number = normaliseNumber(request.params.number);
      const { values } = await editFindingForm(ctx, actor, reviewId, number);
      const body = overlay(values, request.body, findingBody, 'finding');
      const command = await parseForm(findingForm(await findingRules(ctx, actor, reviewId, number)), body);
      return { finding: await updateFinding(ctx, actor, reviewId, number, command) };
    },
  );
}
