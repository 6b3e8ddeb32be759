import { z } from 'zod';
import { formBody, type ClaspApp } from '../../platform/http/typed-app.ts';
import { requireActor } from '../../platform/auth/plugin.ts';
import { parseForm, FormInvalid } from '../../platform/form-schema.ts';
import { id, reviewIdParams } from '../../platform/route-params.ts';
import { plural } from '../../domain/words.ts';
import type { AppContext } from '../context.ts';
import { addItemForm, attendanceForm, guestForm, quorumForm, scheduleForm } from './meetings.forms.ts';
import {
  addGuest,
  getMeetingPage,
  getMeetingsList,
  listInvitable,
  recordAttendance,
  scheduleMeeting,
  sendAgenda,
  setQuorum,
} from './meetings.service.ts';
import { addItem, moveItem, refreshAgenda, removeItem } from './meeting-agenda.service.ts';
import { decideAtMeeting, entriesFromJson } from './meeting-decisions.service.ts';
import { mayChangeMeetings } from './meeting-access.service.ts';
import type { MeetingRow } from './meetings.repository.ts';
import {
  agendaBody,
  attendanceBody,
  decisionsBody,
  doneResponse,
  guestBody,
  meetingResponse,
  meetingsResponse,
  quorumBody,
  quorumResponse,
  scheduleBody,
  scheduledResponse,
} from './meetings.schemas.ts';

/*
 * The JSON twins of the meetings pages, with the same forms, services and audit: list and
 * schedule, set the quorum, read one meeting, change its agenda and email it, record attendance
 * and add guests, and decide in a batch (approving earlier minutes is the decision 'approve' on
 * the 'minutes' item).
 */

const meetingParams = z.object({ reviewId: id, meetingId: id });

export function meetingsApiRoutes(app: ClaspApp, ctx: AppContext): void {
  const href = (reviewId: number, meetingId: number) => `/api/reviews/${reviewId}/meetings/${meetingId}`;
  /** What the list and a meeting's own answer say of a meeting. */
  const meetingJson = (reviewId: number, m: MeetingRow) => ({
    id: m.id,
    href: href(reviewId, m.id),
    forum: m.forum,
    title: m.title,
    startsAt: m.starts_at,
    place: m.place,
    minutesStatus: m.minutes_status,
    agendaSentAt: m.agenda_sent_at,
  });

  app.get(
    '/api/reviews/:reviewId/meetings',
    {
      schema: { summary: 'List the meetings of a review', params: reviewIdParams, response: { 200: meetingsResponse } },
      config: { access: 'read' },
    },
    async (request) => {
      const { reviewId } = request.params;
      const list = await getMeetingsList(ctx, requireActor(request), reviewId);
      return {
        quorum: list.quorum,
        meetings: [...list.past]
          .reverse()
          .concat(list.upcoming)
          .map((m) => meetingJson(reviewId, m)),
      };
    },
  );

  app.post(
    '/api/reviews/:reviewId/meetings',
    {
      schema: {
        summary: 'Schedule a meeting',
        params: reviewIdParams,
        body: formBody(scheduleBody),
        response: { 201: scheduledResponse },
      },
      config: { access: 'coordinate' },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      const people = await listInvitable(ctx, actor, reviewId);
      const command = await parseForm(
        scheduleForm({ today: ctx.today(), memberIds: people.map((p) => p.userId) }),
        request.body,
      );
      const meetingId = await scheduleMeeting(ctx, actor, reviewId, command);
      return reply.code(201).send({ id: meetingId, href: href(reviewId, meetingId) });
    },
  );

  app.get(
    '/api/reviews/:reviewId/meetings/:meetingId',
    {
      schema: { summary: 'Show a meeting', params: meetingParams, response: { 200: meetingResponse } },
      config: { access: 'read' },
    },
    async (request) => {
      const { reviewId, meetingId } = request.params;
      const page = await getMeetingPage(ctx, requireActor(request), reviewId, meetingId);
      const m = page.meeting;
      return {
        ...meetingJson(reviewId, m),
        attendees: page.attendees.map((a) => ({
          id: a.id,
          name: a.name,
          organisation: a.organisation_name,
          role: a.role,
          attendance: a.attendance,
        })),
        quorum: page.quorum,
        items: page.items.map((i) => ({
          id: i.id,
          number: i.number,
          kind: i.kind,
          title: i.title,
          organisation: i.organisation,
          actionId: i.action_id,
          evidenceId: i.evidence_item_id,
          evidenceVersion: i.evidenceVersion,
          decisions: i.decisions,
          outcome: i.outcome,
          outcomeNote: i.outcome_note,
        })),
        minutes: {
          status: page.minutes.status,
          approvedAt: page.minutes.approvedAt,
          sha256: m.minutes_sha256,
          decisions: page.minutes.decisions,
          requests: page.minutes.requests,
        },
      };
    },
  );

  const agendaChange = z.object({
    change: z.enum(['refresh', 'add', 'up', 'down', 'remove']),
    itemId: z.number().int().optional(),
    title: z.string().optional(),
  });

  app.post(
    '/api/reviews/:reviewId/meetings/:meetingId/agenda',
    {
      schema: {
        summary: 'Change the agenda of a meeting',
        description: 'Send change: refresh, add (with title), up, down or remove (with itemId).',
        params: meetingParams,
        body: formBody(agendaBody),
        response: { 200: doneResponse },
      },
      config: { access: 'coordinate' },
    },
    async (request) => {
      const actor = requireActor(request);
      const { reviewId, meetingId } = request.params;
      await mayChangeMeetings(ctx, actor, reviewId, meetingId, 'coordinate');
      const sent = agendaChange.safeParse(request.body);
      if (!sent.success) {
        throw FormInvalid.of('change', 'Send change: refresh, add (with title), up, down or remove (with itemId)');
      }
      const { change, itemId } = sent.data;
      if (change === 'refresh') {
        const { added, removed } = await refreshAgenda(ctx, actor, reviewId, meetingId);
        return { meeting: href(reviewId, meetingId), message: `${added} added, ${removed} removed` };
      }
      if (change === 'add') {
        await addItem(ctx, actor, reviewId, meetingId, await parseForm(addItemForm, request.body));
        return { meeting: href(reviewId, meetingId), message: 'Item added' };
      }
      if (itemId === undefined) throw FormInvalid.of('itemId', 'Send the itemId of the agenda item to change');
      if (change === 'remove') await removeItem(ctx, actor, reviewId, meetingId, itemId);
      else await moveItem(ctx, actor, reviewId, meetingId, itemId, change);
      return {
        meeting: href(reviewId, meetingId),
        message: change === 'remove' ? 'Item removed' : `Item moved ${change}`,
      };
    },
  );

  app.post(
    '/api/reviews/:reviewId/meetings/:meetingId/attendance',
    {
      schema: {
        summary: 'Record who attended a meeting',
        params: meetingParams,
        body: formBody(attendanceBody),
        response: { 200: doneResponse },
      },
      config: { access: 'assure' },
    },
    async (request) => {
      const actor = requireActor(request);
      const { reviewId, meetingId } = request.params;
      await mayChangeMeetings(ctx, actor, reviewId, meetingId, 'assure');
      const page = await getMeetingPage(ctx, actor, reviewId, meetingId);
      const command = await parseForm(attendanceForm(page.attendees.map((a) => a.id)), request.body);
      await recordAttendance(ctx, actor, reviewId, meetingId, command);
      return { meeting: href(reviewId, meetingId), message: 'Attendance saved' };
    },
  );

  app.post(
    '/api/reviews/:reviewId/meetings/:meetingId/decisions',
    {
      schema: {
        summary: 'Record the decisions made at a meeting',
        params: meetingParams,
        body: formBody(decisionsBody),
        response: { 200: doneResponse },
      },
      config: { access: 'assure' },
    },
    async (request) => {
      const actor = requireActor(request);
      const { reviewId, meetingId } = request.params;
      await mayChangeMeetings(ctx, actor, reviewId, meetingId, 'assure');
      const { decided } = await decideAtMeeting(ctx, actor, reviewId, meetingId, entriesFromJson(request.body));
      return { meeting: href(reviewId, meetingId), message: `${decided} decided` };
    },
  );

  app.put(
    '/api/reviews/:reviewId/meetings/quorum',
    {
      schema: {
        summary: 'Set how many members must be present for the review’s meetings to be quorate',
        params: reviewIdParams,
        body: formBody(quorumBody),
        response: { 200: quorumResponse },
      },
      config: { access: 'coordinate' },
    },
    async (request) => {
      const actor = requireActor(request);
      const { reviewId } = request.params;
      await mayChangeMeetings(ctx, actor, reviewId, null, 'coordinate');
      const command = await parseForm(quorumForm, request.body);
      await setQuorum(ctx, actor, reviewId, command);
      return { quorum: command.quorum };
    },
  );

  app.post(
    '/api/reviews/:reviewId/meetings/:meetingId/guests',
    {
      schema: {
        summary: 'Invite a guest to a meeting',
        params: meetingParams,
        body: formBody(guestBody),
        response: { 201: doneResponse },
      },
      config: { access: 'assure' },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { reviewId, meetingId } = request.params;
      await mayChangeMeetings(ctx, actor, reviewId, meetingId, 'assure');
      const command = await parseForm(guestForm, request.body);
      await addGuest(ctx, actor, reviewId, meetingId, command);
      return reply.code(201).send({ meeting: href(reviewId, meetingId), message: `Guest added: ${command.name}` });
    },
  );

  app.post(
    '/api/reviews/:reviewId/meetings/:meetingId/agenda-email',
    {
      schema: {
        summary: 'Email the agenda to everyone invited who has an email address',
        params: meetingParams,
        body: formBody(z.object({}).describe('Nothing: the agenda goes to everyone invited with an address.')),
        response: { 200: doneResponse },
      },
      config: { access: 'coordinate' },
    },
    async (request) => {
      const actor = requireActor(request);
      const { reviewId, meetingId } = request.params;
      await mayChangeMeetings(ctx, actor, reviewId, meetingId, 'coordinate');
      const sent = await sendAgenda(ctx, actor, reviewId, meetingId);
      return { meeting: href(reviewId, meetingId), message: `Agenda sent to ${plural(sent, 'person', 'people')}` };
    },
  );
}
