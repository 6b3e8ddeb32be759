import type { FastifyReply } from 'fastify';
import type { ClaspApp } from '../../platform/http/typed-app.ts';
import { requireActor } from '../../platform/auth/plugin.ts';
import { parseForm } from '../../platform/form-schema.ts';
import { submitForm, type RefusedForm } from '../../platform/http/form-replies.ts';
import { sendForm } from '../../platform/http/form-pages.ts';
import { confirm } from '../../platform/http/confirmations.ts';
import { contentDisposition } from '../../platform/http/downloads.ts';
import { csvFile } from '../../platform/csv.ts';
import { reviewIdParams } from '../../platform/route-params.ts';
import type { Actor } from '../../domain/permissions.ts';
import { plural } from '../../domain/words.ts';
import type { ReviewsContext } from '../reviews/reviews.service.ts';
import { approveResponseForm, askQuestionForm, draftResponseForm, questionDaysForm } from './questions.forms.ts';
import {
  forumFilter,
  presentAskForm,
  presentQuestion,
  presentQuestionsList,
  questionHref,
  questionsCsvRecords,
  questionsHref,
} from './questions.presenter.ts';
import { questionParams, questionsQuery } from './questions.schemas.ts';
import { approveResponse, draftResponse, mayApprove, mayDraft } from './question-answering.service.ts';
import { askOptions, askQuestion } from './question-asking.service.ts';
import { getQuestion, listQuestions, maySetQuestionDays, setQuestionDays } from './questions.service.ts';
import { questionsApiRoutes } from './questions-api.routes.ts';

/*
 * The pages of questions from boards and scrutiny: the list (waiting and answered, by forum)
 * with the coordinator's setting, a question with its response forms, "Ask a question", and
 * the list as CSV. A form posts, then redirects (303) when saved; problems show the form again
 * with what was typed: 400 for invalid values, 409 for a stale or published response.
 */

export function questionsRoutes(app: ClaspApp, ctx: ReviewsContext): void {
  questionsApiRoutes(app, ctx);

  const listPage = async (
    reply: FastifyReply,
    actor: Actor,
    reviewId: number,
    forum: string | undefined,
    refused: RefusedForm | null,
  ) => {
    const view = presentQuestionsList(await listQuestions(ctx, actor, reviewId), forumFilter(forum), refused);
    return sendForm(reply, 'questions/views/list.njk', view, refused?.failure);
  };

  app.get(
    '/reviews/:reviewId/questions',
    { schema: { params: reviewIdParams, querystring: questionsQuery }, config: { access: 'read' } },
    async (request, reply) =>
      listPage(reply, requireActor(request), request.params.reviewId, request.query.forum, null),
  );

  app.get(
    '/reviews/:reviewId/questions.csv',
    { schema: { params: reviewIdParams, querystring: questionsQuery }, config: { access: 'read' } },
    async (request, reply) => {
      const list = await listQuestions(ctx, requireActor(request), request.params.reviewId);
      const forum = forumFilter(request.query.forum);
      const name = `Questions ${list.review.area} ${list.today}.csv`;
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', contentDisposition(name, { inline: false }))
        .send(csvFile(questionsCsvRecords(list, forum)));
    },
  );

  app.post(
    '/reviews/:reviewId/questions/settings',
    { schema: { params: reviewIdParams }, config: { access: 'coordinate' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      return submitForm(
        reply,
        request.body,
        async () => {
          await maySetQuestionDays(ctx, actor, reviewId);
          const command = await parseForm(questionDaysForm, request.body);
          await setQuestionDays(ctx, actor, reviewId, command);
          confirm(reply, `Questions unanswered after ${plural(command.questionDays, 'day')} are now overdue`);
          return `${questionsHref(reviewId)}#settings`;
        },
        (refused) => listPage(reply, actor, reviewId, undefined, refused),
      );
    },
  );

  /* Asking a question */
  const askPage = async (
    reply: FastifyReply,
    actor: Actor,
    reviewId: number,
    about: string | undefined,
    refused: RefusedForm | null,
  ) =>
    sendForm(
      reply,
      'questions/views/ask.njk',
      presentAskForm(await askOptions(ctx, actor, reviewId), refused, about),
      refused?.failure,
    );

  app.get(
    '/reviews/:reviewId/questions/new',
    { schema: { params: reviewIdParams, querystring: questionsQuery }, config: { access: 'ask questions' } },
    async (request, reply) => askPage(reply, requireActor(request), request.params.reviewId, request.query.about, null),
  );

  app.post(
    '/reviews/:reviewId/questions/new',
    { schema: { params: reviewIdParams }, config: { access: 'ask questions' } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      return submitForm(
        reply,
        request.body,
        async () => {
          const options = await askOptions(ctx, actor, reviewId);
          const command = await parseForm(askQuestionForm(options.rules), request.body);
          const { questionId } = await askQuestion(ctx, actor, reviewId, command);
          confirm(reply, 'Question recorded');
          return questionHref(reviewId, questionId);
        },
        (refused) => askPage(reply, actor, reviewId, undefined, refused),
      );
    },
  );

  /* A question and its response */
  const questionPage = async (
    reply: FastifyReply,
    actor: Actor,
    reviewId: number,
    questionId: number,
    refused: RefusedForm | null,
    which: 'response' | 'approval' | null,
  ) =>
    sendForm(
      reply,
      'questions/views/question.njk',
      presentQuestion(await getQuestion(ctx, actor, reviewId, questionId), refused, which),
      refused?.failure,
    );

  app.get(
    '/reviews/:reviewId/questions/:questionId',
    { schema: { params: questionParams }, config: { access: 'read' } },
    async (request, reply) =>
      questionPage(reply, requireActor(request), request.params.reviewId, request.params.questionId, null, null),
  );

  /** A response form of a question's page: on success back to its answer, with a confirmation. */
  const responseForm = (
    path: string,
    access: 'answer the question' | 'coordinate',
    save: (actor: Actor, reviewId: number, questionId: number, body: unknown) => Promise<string>,
    which: 'response' | 'approval',
  ) => {
    app.post(path, { schema: { params: questionParams }, config: { access } }, async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId, questionId } = request.params;
      return submitForm(
        reply,
        request.body,
        async () => {
          confirm(reply, await save(actor, reviewId, questionId, request.body));
          return `${questionHref(reviewId, questionId)}#answer`;
        },
        (refused) => questionPage(reply, actor, reviewId, questionId, refused, which),
      );
    });
  };

  responseForm(
    '/reviews/:reviewId/questions/:questionId/response',
    'answer the question',
    async (actor, reviewId, questionId, body) => {
      await mayDraft(ctx, actor, reviewId, questionId);
      const command = await parseForm(draftResponseForm, body);
      await draftResponse(ctx, actor, reviewId, questionId, command);
      return 'Draft response saved. The plan coordinator approves it before it is published.';
    },
    'response',
  );
  responseForm(
    '/reviews/:reviewId/questions/:questionId/approval',
    'coordinate',
    async (actor, reviewId, questionId, body) => {
      await mayApprove(ctx, actor, reviewId, questionId);
      const command = await parseForm(approveResponseForm, body);
      await approveResponse(ctx, actor, reviewId, questionId, command);
      return 'Response approved and published';
    },
    'approval',
  );
}
