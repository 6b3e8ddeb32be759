import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import type { ClaspApp } from '../../platform/http/typed-app.ts';
import { requireActor } from '../../platform/auth/plugin.ts';
import { parseForm } from '../../platform/form-schema.ts';
import { submitForm, type RefusedForm } from '../../platform/http/form-replies.ts';
import { sendForm } from '../../platform/http/form-pages.ts';
import { confirm } from '../../platform/http/confirmations.ts';
import { contentDisposition } from '../../platform/http/downloads.ts';
import { id, reviewIdParams } from '../../platform/route-params.ts';
import type { Actor } from '../../domain/permissions.ts';
import { plural } from '../../domain/words.ts';
import type { AppContext } from '../context.ts';
import { addItemForm, attendanceForm, guestForm, quorumForm, scheduleForm } from './meetings.forms.ts';
import { forumChoices, presentMeetingPage, presentMeetingsList } from './meetings.presenter.ts';
import {
  addGuest,
  getMeetingPage,
  getMeetingsList,
  listInvitable,
  meetingDocument,
  recordAttendance,
  scheduleMeeting,
  sendAgenda,
  setQuorum,
} from './meetings.service.ts';
import { addItem, moveItem, refreshAgenda, removeItem } from './meeting-agenda.service.ts';
import { decideAtMeeting, entriesFromPage } from './meeting-decisions.service.ts';
import { mayChangeMeetings } from './meeting-access.service.ts';
import { meetingsApiRoutes } from './meetings-api.routes.ts';

/*
 * /reviews/:reviewId/meetings: the list, scheduling, and a meeting's page (agenda, attendance,
 * the chair's decisions in one form, the minutes), its documents and the agenda email. Every
 * form posts, then redirects with a confirmation; a refused form shows the page again with
 * each problem beside its field. The JSON twins are in meetings-api.routes.ts.
 */

export const meetingParams = z.object({ reviewId: id, meetingId: id });
const itemParams = z.object({ reviewId: id, meetingId: id, itemId: id });
const documentParams = z.object({
  reviewId: id,
  meetingId: id,
  document: z.enum(['agenda.docx', 'agenda.pdf', 'minutes.docx', 'minutes.pdf']),
});

export function meetingsRoutes(app: ClaspApp, ctx: AppContext): void {
  const listHref = (reviewId: number) => `/reviews/${reviewId}/meetings`;
  const meetingHref = (reviewId: number, meetingId: number) => `/reviews/${reviewId}/meetings/${meetingId}`;

  const listPage = async (actor: Actor, reviewId: number, reply: FastifyReply, refused: RefusedForm | null) => {
    const view = presentMeetingsList(await getMeetingsList(ctx, actor, reviewId));
    const page = { ...view, fields: refused?.fields ?? {}, breadcrumbs: crumbs(reviewId, view.area) };
    return sendForm(reply, 'meetings/views/list.njk', page, refused?.failure);
  };
  const crumbs = (reviewId: number, area: string) => [
    { text: 'Reviews', href: '/reviews' },
    { text: area, href: `/reviews/${reviewId}` },
  ];

  const schedulePage = async (actor: Actor, reviewId: number, reply: FastifyReply, refused: RefusedForm | null) => {
    const list = presentMeetingsList(await getMeetingsList(ctx, actor, reviewId));
    const people = await listInvitable(ctx, actor, reviewId);
    const fields = refused?.fields ?? {};
    const ticked = Array.isArray(fields.members) ? fields.members : fields.members ? [fields.members] : null;
    const page = {
      heading: 'Schedule a meeting',
      area: list.area,
      reviewId,
      fields,
      forums: forumChoices(typeof fields.forum === 'string' ? fields.forum : 'peer_challenge'),
      members: people.map((p) => ({
        value: String(p.userId),
        text: `${p.name} (${p.organisation})`,
        checked: ticked ? ticked.includes(String(p.userId)) : p.role === 'reviewer' || p.role === 'coordinator',
      })),
      breadcrumbs: [...crumbs(reviewId, list.area), { text: 'Meetings', href: listHref(reviewId) }],
    };
    return sendForm(reply, 'meetings/views/schedule.njk', page, refused?.failure);
  };

  const meetingPage = async (
    actor: Actor,
    reviewId: number,
    meetingId: number,
    reply: FastifyReply,
    refused: RefusedForm | null,
  ) => {
    const view = presentMeetingPage(await getMeetingPage(ctx, actor, reviewId, meetingId), refused);
    const page = {
      ...view,
      breadcrumbs: [...crumbs(reviewId, view.area), { text: 'Meetings', href: listHref(reviewId) }],
    };
    return sendForm(reply, 'meetings/views/meeting.njk', page, refused?.failure);
  };

  /** A coordinator's form (quorum, new meeting): on success to the address `save` returns, with a confirmation. */
  const reviewForm = (
    path: string,
    save: (actor: Actor, reviewId: number, body: unknown) => Promise<{ message: string; next: string }>,
    page: typeof listPage,
  ) => {
    app.post(path, { schema: { params: reviewIdParams }, config: { access: 'coordinate' } }, async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      return submitForm(
        reply,
        request.body,
        async () => {
          const { message, next } = await save(actor, reviewId, request.body);
          confirm(reply, message);
          return next;
        },
        (refused) => page(actor, reviewId, reply, refused),
      );
    });
  };

  app.get(
    '/reviews/:reviewId/meetings',
    { schema: { params: reviewIdParams }, config: { access: 'read' } },
    async (request, reply) => listPage(requireActor(request), request.params.reviewId, reply, null),
  );

  reviewForm(
    '/reviews/:reviewId/meetings/quorum',
    async (actor, reviewId, body) => {
      await mayChangeMeetings(ctx, actor, reviewId, null, 'coordinate');
      const command = await parseForm(quorumForm, body);
      await setQuorum(ctx, actor, reviewId, command);
      return { message: `Quorum set: ${plural(command.quorum, 'member')} present`, next: listHref(reviewId) };
    },
    listPage,
  );

  app.get(
    '/reviews/:reviewId/meetings/new',
    { schema: { params: reviewIdParams }, config: { access: 'coordinate' } },
    async (request, reply) => schedulePage(requireActor(request), request.params.reviewId, reply, null),
  );

  reviewForm(
    '/reviews/:reviewId/meetings',
    async (actor, reviewId, body) => {
      const people = await listInvitable(ctx, actor, reviewId);
      const command = await parseForm(
        scheduleForm({ today: ctx.today(), memberIds: people.map((p) => p.userId) }),
        body,
      );
      const meetingId = await scheduleMeeting(ctx, actor, reviewId, command);
      return { message: 'Meeting scheduled, with its agenda proposed', next: meetingHref(reviewId, meetingId) };
    },
    schedulePage,
  );

  app.get(
    '/reviews/:reviewId/meetings/:meetingId',
    { schema: { params: meetingParams }, config: { access: 'read' } },
    async (request, reply) => {
      const { reviewId, meetingId } = request.params;
      return meetingPage(requireActor(request), reviewId, meetingId, reply, null);
    },
  );

  /** A form of the meeting's page: on success back to the page with a confirmation. */
  const meetingForm = (
    path: string,
    access: 'coordinate' | 'assure',
    save: (actor: Actor, reviewId: number, meetingId: number, body: unknown) => Promise<string>,
    anchor: string,
  ) => {
    app.post(path, { schema: { params: meetingParams }, config: { access } }, async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId, meetingId } = request.params;
      return submitForm(
        reply,
        request.body,
        async () => {
          await mayChangeMeetings(ctx, actor, reviewId, meetingId, access);
          confirm(reply, await save(actor, reviewId, meetingId, request.body));
          return `${meetingHref(reviewId, meetingId)}${anchor}`;
        },
        (refused) => meetingPage(actor, reviewId, meetingId, reply, refused),
      );
    });
  };

  meetingForm(
    '/reviews/:reviewId/meetings/:meetingId/agenda/refresh',
    'coordinate',
    async (actor, reviewId, meetingId) => {
      const { added, removed } = await refreshAgenda(ctx, actor, reviewId, meetingId);
      return `Agenda proposed again: ${plural(added, 'item')} added, ${plural(removed, 'item')} no longer waiting`;
    },
    '#agenda',
  );
  meetingForm(
    '/reviews/:reviewId/meetings/:meetingId/items',
    'coordinate',
    async (actor, reviewId, meetingId, body) => {
      const command = await parseForm(addItemForm, body);
      await addItem(ctx, actor, reviewId, meetingId, command);
      return `Item added: ${command.title}`;
    },
    '#agenda',
  );
  meetingForm(
    '/reviews/:reviewId/meetings/:meetingId/attendance',
    'assure',
    async (actor, reviewId, meetingId, body) => {
      const page = await getMeetingPage(ctx, actor, reviewId, meetingId);
      const command = await parseForm(attendanceForm(page.attendees.map((a) => a.id)), body);
      await recordAttendance(ctx, actor, reviewId, meetingId, command);
      return 'Attendance saved';
    },
    '#attendance',
  );
  meetingForm(
    '/reviews/:reviewId/meetings/:meetingId/guests',
    'assure',
    async (actor, reviewId, meetingId, body) => {
      const command = await parseForm(guestForm, body);
      await addGuest(ctx, actor, reviewId, meetingId, command);
      return `Guest added: ${command.name}`;
    },
    '#attendance',
  );
  meetingForm(
    '/reviews/:reviewId/meetings/:meetingId/decisions',
    'assure',
    async (actor, reviewId, meetingId, body) => {
      const { decided } = await decideAtMeeting(ctx, actor, reviewId, meetingId, entriesFromPage(body));
      return `Decisions saved: ${plural(decided, 'item')}`;
    },
    '#minutes',
  );
  meetingForm(
    '/reviews/:reviewId/meetings/:meetingId/send-agenda',
    'coordinate',
    async (actor, reviewId, meetingId) => {
      const sent = await sendAgenda(ctx, actor, reviewId, meetingId);
      return `Agenda sent to ${plural(sent, 'person', 'people')}`;
    },
    '',
  );

  const itemRoute = (path: string, change: 'up' | 'down' | 'remove') => {
    app.post(path, { schema: { params: itemParams }, config: { access: 'coordinate' } }, async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId, meetingId, itemId } = request.params;
      return submitForm(
        reply,
        request.body,
        async () => {
          if (change === 'remove') await removeItem(ctx, actor, reviewId, meetingId, itemId);
          else await moveItem(ctx, actor, reviewId, meetingId, itemId, change);
          confirm(reply, change === 'remove' ? 'Item removed from the agenda' : `Item moved ${change}`);
          return `${meetingHref(reviewId, meetingId)}#agenda`;
        },
        (refused) => meetingPage(actor, reviewId, meetingId, reply, refused),
      );
    });
  };
  itemRoute('/reviews/:reviewId/meetings/:meetingId/items/:itemId/up', 'up');
  itemRoute('/reviews/:reviewId/meetings/:meetingId/items/:itemId/down', 'down');
  itemRoute('/reviews/:reviewId/meetings/:meetingId/items/:itemId/remove', 'remove');

  app.get(
    '/reviews/:reviewId/meetings/:meetingId/:document',
    { schema: { params: documentParams }, config: { access: 'read' } },
    async (request, reply) => {
      const { reviewId, meetingId, document } = request.params;
      const [which, format] = document.split('.') as ['agenda' | 'minutes', 'docx' | 'pdf'];
      const file = await meetingDocument(ctx, requireActor(request), reviewId, meetingId, which, format);
      reply.header('content-type', file.mediaType);
      reply.header('content-disposition', contentDisposition(file.fileName));
      reply.header('cache-control', 'private, no-store');
      return reply.send(file.content);
    },
  );

  meetingsApiRoutes(app, ctx);
}
