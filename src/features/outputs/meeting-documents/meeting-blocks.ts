// A meeting's agenda pack and minutes as blocks (headings, paragraphs, tables), the same
// building blocks the board report is made of, so Word and PDF say the same words in the
// same order and look like the rest of Clasp's documents.
import { dayOfWeek, formatDate } from '../../../domain/dates.ts';
import {
  FORUM_NAMES,
  type AgendaItemRecord,
  type AgendaPack,
  type AttendeeRecord,
  type MeetingHeading,
  type MinutesRecord,
  type PackAction,
  type PackEvidence,
} from '../../../domain/meeting-records.ts';
import { ratingName } from '../../../domain/ratings.ts';
import { plural } from '../../../domain/words.ts';
import { heading, paragraph, type Block, type Cell } from '../board-report/board-pdf-blocks-base.ts';

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

/** '14:00' → '2pm', '09:30' → '9:30am', '12:00' → '12 noon'. */
export function timeWords(time: string): string {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  if (hours === 12 && minutes === 0) return '12 noon';
  const suffix = hours < 12 ? 'am' : 'pm';
  const h = hours % 12 === 0 ? 12 : hours % 12;
  return minutes === 0 ? `${String(h)}${suffix}` : `${String(h)}:${String(minutes).padStart(2, '0')}${suffix}`;
}

/** '2017-01-12T14:00' → 'Thursday 12 January 2017 at 2pm'. */
export function meetingWhenWords(startsAt: string): string {
  const day = startsAt.slice(0, 10);
  const time = startsAt.slice(11, 16);
  const date = `${DAY_NAMES[dayOfWeek(day)] ?? ''} ${formatDate(day)}`;
  return time ? `${date} at ${timeWords(time)}` : date;
}

/** 'Peer challenge group: January review', or the forum's name alone when the meeting has no title. */
export function meetingName(meeting: MeetingHeading): string {
  const forum = FORUM_NAMES[meeting.forum];
  return meeting.title.trim() ? `${forum}: ${meeting.title.trim()}` : forum;
}

function titleBlock(meeting: MeetingHeading, document: string): Block[] {
  const blocks: Block[] = [heading(1, `${document}: ${meetingName(meeting)}`)];
  blocks.push(paragraph(meeting.reviewTitle, 'lede'));
  if (meeting.illustrativeNotice) blocks.push(paragraph(meeting.illustrativeNotice, 'notice'));
  blocks.push(paragraph(`When: ${meetingWhenWords(meeting.startsAt)}`, 'basis'));
  blocks.push(paragraph(`Where: ${meeting.place.trim() || 'Place not given'}`));
  return blocks;
}

const ATTENDANCE_WORDS: Record<AttendeeRecord['attendance'], string> = {
  invited: 'Invited',
  present: 'Present',
  apologies: 'Apologies',
  absent: 'Absent',
};

function attendeeTable(attendees: AttendeeRecord[], withAttendance: boolean): Block {
  const columns = withAttendance
    ? [
        { header: 'Name', width: 0.3 },
        { header: 'Organisation', width: 0.4 },
        { header: 'Role', width: 0.15 },
        { header: 'Attendance', width: 0.15 },
      ]
    : [
        { header: 'Name', width: 0.35 },
        { header: 'Organisation', width: 0.45 },
        { header: 'Role', width: 0.2 },
      ];
  const rows = attendees.map((a): Cell[] => {
    const row: Cell[] = [{ text: a.name }, { text: a.organisation || 'Not given' }, { text: roleWords(a.role) }];
    if (withAttendance) row.push({ text: ATTENDANCE_WORDS[a.attendance] });
    return row;
  });
  return { kind: 'table', columns, rows };
}

function roleWords(role: AttendeeRecord['role']): string {
  return role === 'member' ? 'Member' : 'Guest';
}

const PLAN_WIDE = 'The whole plan';

/** Items grouped by organisation, in the order their first item comes on the agenda. */
function byOrganisation(items: AgendaItemRecord[]): { organisation: string; items: AgendaItemRecord[] }[] {
  const groups: { organisation: string; items: AgendaItemRecord[] }[] = [];
  for (const item of items) {
    const organisation = item.organisation ?? PLAN_WIDE;
    const group = groups.find((g) => g.organisation === organisation);
    if (group) group.items.push(item);
    else groups.push({ organisation, items: [item] });
  }
  return groups;
}

const EVIDENCE_STATUS_WORDS: Record<PackEvidence['status'], string> = {
  submitted: 'Waiting for a decision',
  accepted: 'Accepted',
  rejected: 'Not accepted',
  withdrawn: 'Withdrawn',
};

/** 'Green (agreed)', 'Amber (proposed, not yet agreed)' or 'Not rated'. */
export function packRatingWords(action: PackAction): string {
  if (action.rating === null) return ratingName(null);
  return `${ratingName(action.rating)} (${action.ratingProposed ? 'proposed, not yet agreed' : 'agreed'})`;
}

function actionBlocks(action: PackAction): Block[] {
  const blocks: Block[] = [];
  const facts: Cell[][] = [
    [{ text: 'Action' }, { text: `${action.label}: ${action.text}` }],
    [{ text: 'Lead' }, { text: action.lead || 'Not given' }],
    [{ text: 'Organisations' }, { text: action.organisations.join(', ') || 'Not given' }],
    [{ text: 'Due date' }, { text: formatDate(action.dueDate, 'No date agreed') }],
    [{ text: 'Rating shown' }, { text: packRatingWords(action), rating: action.rating ?? 'none' }],
  ];
  blocks.push({
    kind: 'table',
    columns: [
      { header: 'About the action', width: 0.25 },
      { header: 'Details', width: 0.75 },
    ],
    rows: facts,
  });
  const progress = action.latestProgress;
  blocks.push(
    paragraph(
      progress
        ? `Latest progress (${formatDate(progress.on)}, ${progress.by}): ${progress.text}`
        : 'Latest progress: none recorded yet.',
    ),
  );
  if (action.evidence.length === 0) {
    blocks.push(paragraph('Evidence: none added yet.'));
  } else {
    blocks.push(paragraph(`Evidence (${plural(action.evidence.length, 'item')}):`));
    blocks.push({
      kind: 'table',
      columns: [
        { header: 'Evidence', width: 0.45 },
        { header: 'Dated', width: 0.2 },
        { header: 'Status', width: 0.2 },
        { header: 'Source', width: 0.15 },
      ],
      rows: action.evidence.map((e) => [
        { text: e.title },
        { text: formatDate(e.effectiveOn) },
        { text: EVIDENCE_STATUS_WORDS[e.status] },
        { text: e.source ?? 'Note' },
      ]),
    });
  }
  return blocks;
}

export const AGENDA_TITLES = {
  attendees: 'Invited',
  agenda: 'Agenda',
  items: 'The items',
} as const;

export function agendaPackBlocks(pack: AgendaPack): Block[] {
  const blocks = titleBlock(pack.meeting, 'Agenda pack');
  blocks.push(paragraph(`Pack produced ${formatDate(pack.producedAt.slice(0, 10))}. The meeting's page: ${pack.link}`));

  blocks.push(heading(2, AGENDA_TITLES.attendees));
  if (pack.attendees.length === 0) blocks.push(paragraph('Nobody has been invited yet.'));
  else blocks.push(attendeeTable(pack.attendees, false));

  blocks.push(heading(2, AGENDA_TITLES.agenda));
  const groups = byOrganisation(pack.items);
  if (groups.length === 0) blocks.push(paragraph('The agenda has no items yet.'));
  for (const group of groups) {
    blocks.push(heading(3, group.organisation));
    blocks.push({
      kind: 'table',
      columns: [
        { header: 'Item', width: 0.1, align: 'right' },
        { header: 'What the meeting is asked to consider', width: 0.9 },
      ],
      rows: group.items.map((item) => [{ text: String(item.number) }, { text: item.title }]),
    });
  }

  const withDetail = pack.items.filter((item) => item.action);
  if (withDetail.length > 0) {
    blocks.push(heading(2, AGENDA_TITLES.items));
    for (const item of pack.items) {
      if (!item.action) continue;
      blocks.push(heading(3, `Item ${String(item.number)}: ${item.title}`));
      blocks.push(...actionBlocks(item.action));
    }
  }
  return blocks;
}

export const MINUTES_TITLES = {
  attendance: 'Attendance',
  decisions: 'Decisions',
  requests: 'Requests',
  otherItems: 'Deferred and other items',
} as const;

function namesWith(attendees: AttendeeRecord[], test: (a: AttendeeRecord) => boolean): string {
  const names = attendees.filter(test).map((a) => (a.organisation ? `${a.name} (${a.organisation})` : a.name));
  return names.length > 0 ? names.join('; ') : 'None';
}

export function minutesStatusWords(minutes: MinutesRecord): string {
  if (minutes.status === 'approved') {
    return minutes.approvedAt ? `Approved at ${minutes.approvedAt}` : 'Approved';
  }
  return 'Draft: not yet approved';
}

const OUTCOME_WORDS: Record<MinutesRecord['otherItems'][number]['outcome'], string> = {
  deferred: 'Deferred',
  noted: 'Noted',
  open: 'Not reached',
};

export function minutesBlocks(minutes: MinutesRecord): Block[] {
  const blocks = titleBlock(minutes.meeting, 'Minutes');
  blocks.push(paragraph(minutesStatusWords(minutes), minutes.status === 'draft' ? 'notice' : 'basis'));

  blocks.push(heading(2, MINUTES_TITLES.attendance));
  const members = (a: AttendeeRecord) => a.role === 'member';
  blocks.push(paragraph(`Present: ${namesWith(minutes.attendees, (a) => members(a) && a.attendance === 'present')}`));
  blocks.push(
    paragraph(`Apologies: ${namesWith(minutes.attendees, (a) => members(a) && a.attendance === 'apologies')}`),
  );
  blocks.push(
    paragraph(`Guests: ${namesWith(minutes.attendees, (a) => a.role === 'guest' && a.attendance !== 'absent')}`),
  );
  const { required, present, quorate } = minutes.quorum;
  blocks.push(
    paragraph(
      quorate
        ? `The meeting was quorate: ${plural(present, 'member')} present, ${String(required)} needed.`
        : `The meeting was not quorate: ${plural(present, 'member')} present, ${String(required)} needed. ` +
            'Its decisions need confirming at a quorate meeting.',
      'basis',
    ),
  );

  blocks.push(heading(2, MINUTES_TITLES.decisions));
  if (minutes.decisions.length === 0) blocks.push(paragraph('The meeting made no decisions.'));
  else
    blocks.push({
      kind: 'table',
      columns: [
        { header: 'Item', width: 0.08, align: 'right' },
        { header: 'About', width: 0.24 },
        { header: 'Decision', width: 0.28 },
        { header: 'Why', width: 0.4 },
      ],
      rows: minutes.decisions.map((d) => [
        { text: d.itemNumber === null ? '' : String(d.itemNumber) },
        { text: d.subject },
        { text: d.decision },
        { text: d.rationale || 'No reason recorded' },
      ]),
    });

  blocks.push(heading(2, MINUTES_TITLES.requests));
  if (minutes.requests.length === 0) blocks.push(paragraph('The meeting made no requests.'));
  else
    blocks.push({
      kind: 'table',
      columns: [
        { header: 'About', width: 0.25 },
        { header: 'Request', width: 0.4 },
        { header: 'Owner', width: 0.2 },
        { header: 'Due', width: 0.15 },
      ],
      rows: minutes.requests.map((r) => [
        { text: r.subject },
        { text: r.text },
        { text: r.owner },
        { text: formatDate(r.dueOn) },
      ]),
    });

  blocks.push(heading(2, MINUTES_TITLES.otherItems));
  if (minutes.otherItems.length === 0) blocks.push(paragraph('No items were deferred or left open.'));
  else
    blocks.push({
      kind: 'table',
      columns: [
        { header: 'Item', width: 0.08, align: 'right' },
        { header: 'Title', width: 0.42 },
        { header: 'Outcome', width: 0.15 },
        { header: 'Note', width: 0.35 },
      ],
      rows: minutes.otherItems.map((o) => [
        { text: String(o.itemNumber) },
        { text: o.title },
        { text: OUTCOME_WORDS[o.outcome] },
        { text: o.note },
      ]),
    });
  blocks.push(paragraph(`Produced ${formatDate(minutes.producedAt.slice(0, 10))}.`, 'caption'));
  return blocks;
}
