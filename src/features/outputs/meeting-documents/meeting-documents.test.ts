// The agenda pack and minutes read back as their readers read them: the Word document's words
// through mammoth, the PDF's text through pdfjs-dist.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mammoth from 'mammoth';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { AgendaPack, MinutesRecord } from '../../../domain/meeting-records.ts';
import { agendaPackDocument, minutesDocument } from './meeting-documents.service.ts';
import { meetingWhenWords, timeWords } from './meeting-blocks.ts';

const heading = {
  reviewTitle: 'Rotherham CLAS review',
  area: 'Rotherham',
  forum: 'peer_challenge' as const,
  title: 'January review',
  startsAt: '2017-01-12T14:00',
  place: 'Riverside House, Room 2',
  illustrativeNotice: 'Illustrative data: not a real meeting.',
};

const attendees: AgendaPack['attendees'] = [
  { name: 'Sam Patel', organisation: 'Rotherham CCG', role: 'member', attendance: 'present' },
  { name: 'Jo Reid', organisation: 'Rotherham MBC', role: 'member', attendance: 'apologies' },
  { name: 'Ann Lee', organisation: 'TRFT', role: 'member', attendance: 'present' },
  { name: 'Ravi Shah', organisation: 'Healthwatch', role: 'guest', attendance: 'present' },
];

function samplePack(): AgendaPack {
  return {
    meeting: heading,
    scale: 'BRAG',
    attendees: attendees.map((a) => ({ ...a, attendance: 'invited' })),
    producedAt: '2017-01-05T09:00:00.000Z',
    link: 'https://clasp.example/reviews/1/meetings/4',
    items: [
      {
        number: 1,
        kind: 'minutes',
        title: 'Minutes of the last meeting',
        organisation: null,
      },
      {
        number: 2,
        kind: 'evidence',
        title: 'Evidence submitted: Audit of initial health assessments',
        organisation: 'Rotherham CCG',
        action: {
          label: 'Action 2 of recommendation 1.3',
          recommendationNumber: '1.3',
          text: 'Audit initial health assessments each quarter.',
          lead: 'Designated nurse',
          organisations: ['Rotherham CCG'],
          dueDate: '2017-03-31',
          rating: 'amber',
          ratingProposed: true,
          latestProgress: { on: '2016-12-20', text: 'First audit done; 80% within 20 days.', by: 'Sam Patel' },
          evidence: [
            {
              title: 'Audit of initial health assessments',
              effectiveOn: '2016-12-15',
              status: 'submitted',
              source: 'iha-audit.pdf',
            },
          ],
        },
      },
      {
        number: 3,
        kind: 'rating',
        title: 'Rating proposed: Green',
        organisation: 'TRFT',
        action: {
          label: 'Action 1 of recommendation 2.1',
          recommendationNumber: '2.1',
          text: 'Train all midwives in safeguarding level 3.',
          lead: 'Head of midwifery',
          organisations: ['TRFT'],
          dueDate: null,
          rating: null,
          ratingProposed: false,
          latestProgress: null,
          evidence: [],
        },
      },
    ],
  };
}

function sampleMinutes(status: 'draft' | 'approved'): MinutesRecord {
  return {
    meeting: heading,
    scale: 'BRAG',
    attendees,
    quorum: { required: 3, present: 2, quorate: false },
    decisions: [
      {
        itemNumber: 2,
        subject: 'Action 2 of recommendation 1.3',
        decision: 'Evidence accepted: Audit of initial health assessments',
        rationale: 'Covers the whole quarter.',
      },
    ],
    requests: [
      {
        subject: 'Action 1 of recommendation 2.1',
        text: 'Send the training register.',
        owner: 'Head of midwifery',
        dueOn: '2017-02-09',
      },
    ],
    otherItems: [
      { itemNumber: 3, title: 'Rating proposed: Green', outcome: 'deferred', note: 'Wait for the register.' },
    ],
    status,
    approvedAt: status === 'approved' ? 'Peer challenge group, 9 February 2017' : null,
    producedAt: '2017-01-13T10:00:00.000Z',
  };
}

async function wordText(bytes: Buffer): Promise<string> {
  const { value } = await mammoth.extractRawText({ buffer: bytes });
  return value.replace(/\s+/g, ' ');
}

async function pdfText(bytes: Buffer): Promise<string> {
  const doc = await getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= doc.numPages; n += 1) {
    const content = await (await doc.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  return pages.join(' ').replace(/\s+/g, ' ');
}

/** The phrases must all be there, in this order. */
function assertInOrder(text: string, phrases: string[]): void {
  let from = 0;
  for (const phrase of phrases) {
    const at = text.indexOf(phrase, from);
    assert.ok(at >= 0, `expected "${phrase}" after position ${String(from)} in:\n${text}`);
    from = at + phrase.length;
  }
}

test('times and dates read in words', () => {
  assert.equal(timeWords('14:00'), '2pm');
  assert.equal(timeWords('09:30'), '9:30am');
  assert.equal(timeWords('12:00'), '12 noon');
  assert.equal(timeWords('00:15'), '12:15am');
  assert.equal(meetingWhenWords('2017-01-12T14:00'), 'Thursday 12 January 2017 at 2pm');
});

const PACK_PHRASES = [
  'Agenda pack: Peer challenge group: January review',
  'Rotherham CLAS review',
  'Illustrative data: not a real meeting.',
  'When: Thursday 12 January 2017 at 2pm',
  'Where: Riverside House, Room 2',
  'Invited',
  'Sam Patel',
  'Rotherham CCG',
  'Ravi Shah',
  'Guest',
  'Agenda',
  'The whole plan',
  'Minutes of the last meeting',
  'Rotherham CCG',
  'Evidence submitted: Audit of initial health assessments',
  'TRFT',
  'Rating proposed: Green',
  'Item 2: Evidence submitted: Audit of initial health assessments',
  'Audit initial health assessments each quarter.',
  'Designated nurse',
  '31 March 2017',
  'Amber (proposed, not yet agreed)',
  'Latest progress (20 December 2016, Sam Patel): First audit done; 80% within 20 days.',
  'Audit of initial health assessments',
  '15 December 2016',
  'Waiting for a decision',
  'iha-audit.pdf',
  'Item 3: Rating proposed: Green',
  'Train all midwives in safeguarding level 3.',
  'No date agreed',
  'Not rated',
  'Latest progress: none recorded yet.',
  'Evidence: none added yet.',
];

test('the agenda pack in Word says what the meeting will consider, grouped by organisation', async () => {
  const text = await wordText(await agendaPackDocument(samplePack(), 'docx'));
  assertInOrder(text, PACK_PHRASES);
});

test('the agenda pack as a PDF reads the same', async () => {
  const text = await pdfText(await agendaPackDocument(samplePack(), 'pdf'));
  assertInOrder(text, PACK_PHRASES);
  assert.match(text, /Page 1 of \d/);
});

const MINUTES_PHRASES = [
  'Minutes: Peer challenge group: January review',
  'When: Thursday 12 January 2017 at 2pm',
  'Draft: not yet approved',
  'Attendance',
  'Present: Sam Patel (Rotherham CCG); Ann Lee (TRFT)',
  'Apologies: Jo Reid (Rotherham MBC)',
  'Guests: Ravi Shah (Healthwatch)',
  'The meeting was not quorate: 2 members present, 3 needed.',
  'Decisions',
  'Action 2 of recommendation 1.3',
  'Evidence accepted: Audit of initial health assessments',
  'Covers the whole quarter.',
  'Requests',
  'Send the training register.',
  'Head of midwifery',
  '9 February 2017',
  'Deferred and other items',
  'Rating proposed: Green',
  'Deferred',
  'Wait for the register.',
];

test('draft minutes in Word and PDF say who came, the quorum, the decisions and requests', async () => {
  for (const format of ['docx', 'pdf'] as const) {
    const bytes = await minutesDocument(sampleMinutes('draft'), format);
    const text = format === 'docx' ? await wordText(bytes) : await pdfText(bytes);
    assertInOrder(text, MINUTES_PHRASES);
    assert.doesNotMatch(text, /Approved at/);
  }
});

test('approved minutes say where they were approved, not "Draft"', async () => {
  for (const format of ['docx', 'pdf'] as const) {
    const bytes = await minutesDocument(sampleMinutes('approved'), format);
    const text = format === 'docx' ? await wordText(bytes) : await pdfText(bytes);
    assert.match(text, /Approved at Peer challenge group, 9 February 2017/);
    assert.doesNotMatch(text, /Draft/);
  }
});

test('the same record gives the same bytes', async () => {
  for (const format of ['docx', 'pdf'] as const) {
    const [a, b] = await Promise.all([
      minutesDocument(sampleMinutes('approved'), format),
      minutesDocument(sampleMinutes('approved'), format),
    ]);
    assert.ok(a.equals(b), `${format} differs between two runs`);
  }
});
