import { z } from 'zod';
import { FORUMS } from '../../domain/meeting-records.ts';

/* What the meetings API answers (docs/meetings.md). Fastify checks every answer against this before sending it. */

const meetingSummary = z.object({
  id: z.number().int(),
  href: z.string(),
  forum: z.enum(FORUMS),
  title: z.string(),
  startsAt: z.string(),
  place: z.string(),
  minutesStatus: z.enum(['none', 'draft', 'approved']),
  agendaSentAt: z.string().nullable(),
});

/** 200: a review's meetings, soonest first, and its quorum. */
export const meetingsResponse = z.object({
  quorum: z.number().int(),
  meetings: z.array(meetingSummary),
});

/** 200: one meeting: its agenda, attendance, quorum and minutes as they stand. */
export const meetingResponse = meetingSummary.extend({
  attendees: z.array(
    z.object({
      id: z.number().int(),
      name: z.string(),
      organisation: z.string(),
      role: z.enum(['member', 'guest']),
      attendance: z.enum(['invited', 'present', 'apologies', 'absent']),
    }),
  ),
  quorum: z.object({ required: z.number().int(), present: z.number().int(), quorate: z.boolean() }),
  items: z.array(
    z.object({
      id: z.number().int(),
      number: z.number().int(),
      kind: z.enum(['evidence', 'rating', 'due_date', 'exception', 'question', 'minutes', 'other']),
      title: z.string(),
      organisation: z.string().nullable(),
      actionId: z.number().int().nullable(),
      evidenceId: z.number().int().nullable(),
      evidenceVersion: z.number().int().nullable(),
      decisions: z.array(z.string()),
      outcome: z.enum(['open', 'decided', 'deferred', 'noted']),
      outcomeNote: z.string(),
    }),
  ),
  minutes: z.object({
    status: z.enum(['draft', 'approved']),
    approvedAt: z.string().nullable(),
    sha256: z.string().nullable(),
    decisions: z.array(
      z.object({
        itemNumber: z.number().int().nullable(),
        subject: z.string(),
        decision: z.string(),
        rationale: z.string(),
      }),
    ),
    requests: z.array(z.object({ subject: z.string(), text: z.string(), owner: z.string(), dueOn: z.string() })),
  }),
});

/** 201: the meeting scheduled. */
export const scheduledResponse = z.object({ id: z.number().int(), href: z.string() });

/** 200: what a change did. */
export const doneResponse = z.object({ meeting: z.string(), message: z.string() });

/* What the meetings API reads: the fields of each page's form, as JSON. */

/** POST /api/reviews/:reviewId/meetings */
export const scheduleBody = z
  .object({
    startsOn: z.string().describe('The day of the meeting, YYYY-MM-DD: today or later'),
    time: z.string().describe('When it starts, HH:MM on a 24-hour clock, for example 14:00'),
    forum: z.enum(FORUMS).describe('The kind of meeting'),
    title: z.string().max(200).optional().describe('A title, if the kind of meeting is not name enough'),
    place: z.string().max(500).describe('Where it is, or the link to join it'),
    members: z
      .array(z.number().int())
      .optional()
      .describe('The user ids of the review’s members to invite (the userId of GET /api/reviews/{reviewId}/members)'),
    guests: z
      .string()
      .max(4000)
      .optional()
      .describe('Guests, one a line: "Name, organisation, email" (the email may be left out)'),
  })
  .describe('A meeting to schedule. Its agenda is proposed from what waits for a decision.');

/** PUT /api/reviews/:reviewId/meetings/quorum */
export const quorumBody = z
  .object({
    quorum: z
      .union([z.number().int(), z.string()])
      .describe('How many members must be present for a meeting to be quorate: a whole number from 1 to 99'),
  })
  .describe('The quorum of the review’s meetings.');

/** POST /api/reviews/:reviewId/meetings/:meetingId/agenda */
export const agendaBody = z
  .object({
    change: z
      .enum(['refresh', 'add', 'up', 'down', 'remove'])
      .describe(
        'refresh proposes the agenda again from what waits for a decision; add adds an item (send title); ' +
          'up, down and remove move or remove one (send itemId)',
      ),
    itemId: z.number().int().optional().describe('The agenda item to move or remove'),
    title: z.string().max(300).optional().describe('The title of the item to add'),
  })
  .describe('One change to the agenda.');

/** POST /api/reviews/:reviewId/meetings/:meetingId/attendance */
export const attendanceBody = z
  .record(z.string(), z.enum(['invited', 'present', 'apologies', 'absent']))
  .describe(
    'attendance-<attendee id>: invited, present, apologies or absent, for each attendee to mark ' +
      '(the attendees and their ids are in GET /api/reviews/{reviewId}/meetings/{meetingId}). ' +
      'Attendees left out keep their mark.',
  );

/** POST /api/reviews/:reviewId/meetings/:meetingId/guests */
export const guestBody = z
  .object({
    name: z.string().max(200).describe('The guest’s name'),
    organisation: z.string().max(200).describe('The organisation they come from'),
    email: z.string().max(320).optional().describe('Their email address, to send them the agenda; may be left out'),
  })
  .describe('A guest to invite to the meeting.');

/** POST /api/reviews/:reviewId/meetings/:meetingId/decisions */
export const decisionsBody = z
  .object({
    items: z
      .array(
        z.object({
          itemId: z.number().int().describe('The agenda item'),
          decision: z
            .enum(['accept', 'reject', 'agree', 'challenge', 'refuse', 'approve', 'request', 'defer', 'note'])
            .optional()
            .describe(
              'What was decided. Evidence: accept or reject; a rating: agree or challenge; a revised due date: ' +
                'agree or refuse; the minutes: approve; any item about an action: request (more evidence); ' +
                'any item: defer or note',
            ),
          reason: z.string().optional().describe('Why, for rejected evidence or a refused due date'),
          version: z.number().int().optional().describe('The evidence version decided on (evidenceVersion)'),
          rating: z.string().optional().describe('The rating agreed or given instead, for a rating item'),
          rationale: z.string().optional().describe('Why the rating, for a rating item'),
          overrideReason: z.string().optional().describe('Why a rating differs from what the evidence suggests'),
          request: z.string().max(4000).optional().describe('What evidence the lead should send, with request'),
          requestDue: z.string().optional().describe('When the requested evidence is due, YYYY-MM-DD'),
          note: z.string().max(4000).optional().describe('A note for the minutes'),
        }),
      )
      .describe('One entry per agenda item decided; all are saved together, or none if any is refused'),
  })
  .describe('The chair’s decisions on the agenda, in one batch.');

/** 200: the review's quorum. */
export const quorumResponse = z.object({ quorum: z.number().int() });
