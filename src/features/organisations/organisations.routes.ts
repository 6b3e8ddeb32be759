import type { ClaspApp } from '../../platform/http/typed-app.ts';
import { id } from '../../platform/route-params.ts';
import { z } from 'zod';
import { requireActor } from '../../platform/auth/plugin.ts';
import { getReview, pageKey } from '../reviews/reviews.service.ts';
import type { AppContext } from '../context.ts';
import { organisationJson, presentOrganisation } from './organisations.presenter.ts';
import { organisationJsonSchema } from './organisations.schemas.ts';
import { getOrganisationPage, getOrganisationPeople, peopleFingerprint } from './organisations.service.ts';

const organisationParams = z.object({ reviewId: id, organisationId: id });

export function organisationsRoutes(app: ClaspApp, ctx: AppContext): void {
  app.get(
    '/reviews/:reviewId/organisations/:organisationId',
    { schema: { params: organisationParams }, config: { access: 'read' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { organisationId } = request.params;
      const review = await getReview(ctx, actor, request.params.reviewId);
      // People's names are not part of the plan revision, so the list read now goes into the key.
      const people = await getOrganisationPeople(ctx, actor, review.id, organisationId);
      const key = pageKey(ctx, actor, review, `organisation:${organisationId}:${peopleFingerprint(people)}`);
      return reply.cachedPage(key, 'organisations/views/organisation.njk', async () =>
        presentOrganisation(await getOrganisationPage(ctx, actor, review.id, organisationId, people)),
      );
    },
  );

  app.get(
    '/api/reviews/:reviewId/organisations/:organisationId',
    {
      schema: {
        summary: 'Show an organisation’s part in a review',
        params: organisationParams,
        response: { 200: organisationJsonSchema },
      },
      config: { access: 'read' },
    },
    async (request) => {
      const page = await getOrganisationPage(
        ctx,
        requireActor(request),
        request.params.reviewId,
        request.params.organisationId,
      );
      return organisationJson(page);
    },
  );
}
