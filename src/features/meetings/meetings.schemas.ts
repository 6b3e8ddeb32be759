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
