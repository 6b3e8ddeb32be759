import { z } from 'zod';
import { FORUMS } from '../../domain/meeting-records.ts';
import { ALWAYS, choice, date, idList, text } from '../../platform/form-schema.ts';

/*
 * The meetings forms and their JSON twins: scheduling a meeting, the quorum, agenda items,
 * attendance, and one decision per agenda item (src/features/meetings/meeting-decisions.service.ts
 * reads a page's item-<id>-<field> fields and the API's list of items into the same records).
 */

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/** A guest typed on the schedule form: one per line, "Name, organisation, email" (the email may be left out). */
function readGuests(lines: string, problem: (message: string) => void) {
  const guests: { name: string; organisation: string; email: string | null }[] = [];
  for (const line of lines.split('\n').map((l) => l.trim())) {
    if (!line) continue;
    const [name = '', organisation = '', email = ''] = line.split(',').map((part) => part.trim());
    if (!name || !organisation) {
      problem(`Write each guest as "Name, organisation, email", like "Sam Patel, Healthwatch, sam@example.org"`);
      continue;
    }
    if (email && !/^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/.test(email)) {
      problem(`Enter ${name}'s email address in the right format, like name@example.org, or leave it out`);
      continue;
    }
    guests.push({ name, organisation, email: email || null });
  }
  return guests;
}

export function scheduleForm(rules: { today: string; memberIds: readonly number[] }) {
  return z
    .object({
      startsOn: date('of the meeting', {
        jsonMessage: 'iso',
        notBefore: rules.today,
        notBeforeMessage: 'The date of the meeting must be today or later',
      }),
      time: text({ required: 'Enter the time the meeting starts, like 14:00', label: 'The time' }),
      forum: choice(FORUMS, 'Select the kind of meeting'),
      title: text({ max: 200, label: 'The title' }),
      place: text({ required: 'Enter where the meeting is, or the link to join it', max: 500, label: 'The place' }),
      members: idList('Select members of the review from the list'),
      guests: text({ max: 4000, label: 'The guests' }),
    })
    .superRefine((form, ctx) => {
      const problem = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: [field], message });
      if (form.time && !TIME.test(form.time)) problem('time', 'Enter the time in hours and minutes, like 14:00');
      if (form.members.some((id) => !rules.memberIds.includes(id))) {
        problem('members', 'Select members of the review from the list');
      }
      readGuests(form.guests, (message) => problem('guests', message));
    }, ALWAYS)
    .transform((form, ctx) => {
      const match = TIME.exec(form.time);
      if (form.forum === '' || !match) {
        // Never so: the parse has already failed. This tells the types.
        ctx.addIssue({ code: 'custom', path: ['forum'], message: 'Select the kind of meeting' });
        return z.NEVER;
      }
      return {
        startsAt: `${form.startsOn}T${(match[1] ?? '').padStart(2, '0')}:${match[2] ?? '00'}`,
        forum: form.forum,
        title: form.title,
        place: form.place,
        memberIds: form.members,
        guests: readGuests(form.guests, () => undefined),
      };
    });
}

export type ScheduleCommand = z.output<ReturnType<typeof scheduleForm>>;

export const quorumForm = z.object({
  quorum: text({ required: 'Enter how many members must be present', label: 'The quorum' }).transform((value, ctx) => {
    if (!/^\d{1,2}$/.test(value) || Number(value) < 1) {
      if (value) ctx.addIssue({ code: 'custom', message: 'Enter the quorum as a whole number from 1 to 99' });
      return 0;
    }
    return Number(value);
  }),
});

export type QuorumCommand = z.output<typeof quorumForm>;

export const addItemForm = z.object({
  title: text({ required: 'Enter the title of the item', max: 300, label: 'The title' }),
});

export type AddItemCommand = z.output<typeof addItemForm>;

export const guestForm = z.object({
  name: text({ required: "Enter the guest's name", max: 200, label: 'The name' }),
  organisation: text({ required: "Enter the guest's organisation", max: 200, label: 'The organisation' }),
  email: text({ max: 320, label: 'The email address' }).transform((value, ctx) => {
    if (value && !/^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/.test(value)) {
      ctx.addIssue({ code: 'custom', message: 'Enter an email address in the right format, like name@example.org' });
    }
    return value || null;
  }),
});

export type GuestCommand = z.output<typeof guestForm>;

export const ATTENDANCE = ['invited', 'present', 'apologies', 'absent'] as const;

/** Attendance as the page sends it: attendance-<attendee id> = present | apologies | absent | invited. */
export function attendanceForm(attendeeIds: readonly number[]) {
  return z.record(z.string(), z.unknown()).transform((input, ctx) => {
    const marks: { attendeeId: number; attendance: (typeof ATTENDANCE)[number] }[] = [];
    for (const attendeeId of attendeeIds) {
      const sent = input[`attendance-${attendeeId}`];
      if (sent === undefined || sent === '') continue;
      const mark = ATTENDANCE.find((a) => a === sent);
      if (!mark) {
        ctx.addIssue({
          code: 'custom',
          path: [`attendance-${attendeeId}`],
          message: 'Select present, sent apologies or absent',
        });
        continue;
      }
      marks.push({ attendeeId, attendance: mark });
    }
    return marks;
  });
}

export type AttendanceCommand = z.output<ReturnType<typeof attendanceForm>>;

/** Every decision an agenda item can take; which ones apply depends on its kind. */
export const ITEM_DECISIONS = [
  'accept',
  'reject',
  'agree',
  'challenge',
  'refuse',
  'approve',
  'request',
  'defer',
  'note',
] as const;
export type ItemDecision = (typeof ITEM_DECISIONS)[number];

/** The part of an item's decision every kind shares: what was decided, a request, a note. */
export function itemForm(rules: { today: string; allowed: readonly ItemDecision[] }) {
  return z
    .object({
      decision: choice(rules.allowed, 'Select a decision this item can take', { required: false }),
      request: text({ max: 4000, label: 'The request' }),
      requestDue: z.unknown().optional(),
      note: text({ max: 4000, label: 'The note' }),
    })
    .superRefine((form, ctx) => {
      if (form.decision === 'request' && !form.request) {
        ctx.addIssue({ code: 'custom', path: ['request'], message: 'Enter what evidence the lead should send' });
      }
    }, ALWAYS);
}

export const requestDueForm = z.object({
  requestDue: date('the evidence is due', { jsonMessage: 'iso' }),
});
