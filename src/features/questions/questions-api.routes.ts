import { formBody, type ClaspApp } from '../../platform/http/typed-app.ts';
import { requireActor } from '../../platform/auth/plugin.ts';
import { parseForm } from '../../platform/form-schema.ts';
import { reviewIdParams } from '../../platform/route-params.ts';
import type { ReviewsContext } from '../reviews/reviews.service.ts';
import { approveResponseForm, askQuestionForm, draftResponseForm, questionDaysForm } from './questions.forms.ts';
import { questionJson, questionsHref } from './questions.presenter.ts';
import {
  approveResponseBody,
  askQuestionBody,
  draftResponseBody,
  questionDaysAnswer,
  questionDaysBody,
  questionParams,
  questionsListAnswer,
  questionPageAnswer,
} from './questions.schemas.ts';
import { approveResponse, draftResponse, mayApprove, mayDraft } from './question-answering.service.ts';
import { askOptions, askQuestion } from './question-asking.service.ts';
import { getQuestion, listQuestions, maySetQuestionDays, setQuestionDays } from './questions.service.ts';

/*
 * Questions as JSON: the list, one question, recording one, drafting its response, approving
 * it, and the days a question may wait, through the same forms, services and checks as the
 * pages. Answers: 200 or 201 with the question; 400 with {errors: [{field, message}]}, and 409
 * for a stale version (with what changed) or a published response, come from the error
 * handler; 403 and 404 as for the pages.
 */

export function questionsApiRoutes(app: ClaspApp, ctx: ReviewsContext): void {
  const one = async (actorReviewId: number, questionId: number, actor: ReturnType<typeof requireActor>) => {
    const { question } = await getQuestion(ctx, actor, actorReviewId, questionId);
    return { question: questionJson(actorReviewId, question) };
  };

  app.get(
    '/api/reviews/:reviewId/questions',
    {
      schema: {
        summary: 'List the questions of a review',
        params: reviewIdParams,
        response: { 200: questionsListAnswer },
      },
      config: { access: 'read' },
    },
    async (request) => {
      const { reviewId } = request.params;
      const list = await listQuestions(ctx, requireActor(request), reviewId);
      return {
        review: `/api/reviews/${reviewId}`,
        questionDays: list.questionDays,
        questions: list.questions.map((q) => questionJson(reviewId, q)),
      };
    },
  );

  app.post(
    '/api/reviews/:reviewId/questions',
    {
      schema: {
        summary: 'Ask a question',
        params: reviewIdParams,
        body: formBody(askQuestionBody),
        response: { 201: questionPageAnswer },
      },
      config: { access: 'ask questions' },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      const options = await askOptions(ctx, actor, reviewId);
      const command = await parseForm(askQuestionForm(options.rules), request.body);
      const { questionId } = await askQuestion(ctx, actor, reviewId, command);
      return reply
        .code(201)
        .header('location', `${questionsHref(reviewId)}/${questionId}`)
        .send(await one(reviewId, questionId, actor));
    },
  );

  app.get(
    '/api/reviews/:reviewId/questions/:questionId',
    {
      schema: { summary: 'Show a question', params: questionParams, response: { 200: questionPageAnswer } },
      config: { access: 'read' },
    },
    async (request) => one(request.params.reviewId, request.params.questionId, requireActor(request)),
  );

  app.put(
    '/api/reviews/:reviewId/questions/:questionId/response',
    {
      schema: {
        summary: 'Answer a question',
        params: questionParams,
        body: formBody(draftResponseBody),
        response: { 200: questionPageAnswer },
      },
      config: { access: 'answer the question' },
    },
    async (request) => {
      const actor = requireActor(request);
      const { reviewId, questionId } = request.params;
      await mayDraft(ctx, actor, reviewId, questionId);
      await draftResponse(ctx, actor, reviewId, questionId, await parseForm(draftResponseForm, request.body));
      return one(reviewId, questionId, actor);
    },
  );

  app.post(
    '/api/reviews/:reviewId/questions/:questionId/approval',
    {
      schema: {
        summary: 'Approve the answer to a question',
        params: questionParams,
        body: formBody(approveResponseBody),
        response: { 200: questionPageAnswer },
      },
      config: { access: 'coordinate' },
    },
    async (request) => {
      const actor = requireActor(request);
      const { reviewId, questionId } = request.params;
      await mayApprove(ctx, actor, reviewId, questionId);
      await approveResponse(ctx, actor, reviewId, questionId, await parseForm(approveResponseForm, request.body));
      return one(reviewId, questionId, actor);
    },
  );

  app.put(
    '/api/reviews/:reviewId/questions/settings',
    {
      schema: {
        summary: 'Set how many days questions have to be answered',
        params: reviewIdParams,
        body: formBody(questionDaysBody),
        response: { 200: questionDaysAnswer },
      },
      config: { access: 'coordinate' },
    },
    async (request) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      await maySetQuestionDays(ctx, actor, reviewId);
      const command = await parseForm(questionDaysForm, request.body);
      await setQuestionDays(ctx, actor, reviewId, command);
      return { questionDays: command.questionDays };
    },
  );
}
