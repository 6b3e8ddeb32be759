import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readLine } from './lines.ts';
import type { Line } from './lines.ts';

test("the lines around a plan's tables are read for what they say", () => {
  const cases: [string, number | null, Line][] = [
    ['Recommendation 1', null, { kind: 'group', number: '1', heading: null }],
    [
      '2. NHS England and Anytown CCG should:',
      null,
      { kind: 'group', number: '2', heading: 'NHS England and Anytown CCG should:' },
    ],
    [
      'Recommendation 4 RCCG and The Rotherham Foundation NHS Trust should:',
      null,
      { kind: 'group', number: '4', heading: 'RCCG and The Rotherham Foundation NHS Trust should:' },
    ],
    ['Recommendation 1.1', null, { kind: 'recommendation', number: '1.1', text: '', findings: [] }],
    [
      'Recommendation 2.3 Ensure that referrals assess the risk. (See 3.2)',
      null,
      { kind: 'recommendation', number: '2.3', text: 'Ensure that referrals assess the risk.', findings: ['3.2'] },
    ],
    [
      'Recommendation 4.1: Improve triage.',
      null,
      { kind: 'recommendation', number: '4.1', text: 'Improve triage.', findings: [] },
    ],
    ['Recommendation 1.1 .......... 4', null, { kind: 'recommendation', number: '1.1', text: '', findings: [] }],
    [
      '1.1 Work with GPs on record keeping.',
      3,
      { kind: 'recommendation', number: '1.1', text: 'Work with GPs on record keeping.', findings: [] },
    ],
    ['(See 3.3 3.4 3.5)', null, { kind: 'see', findings: ['3.3', '3.4', '3.5'] }],
    [
      'Outcome: All GPs will know where plans are stored.',
      null,
      { kind: 'outcome', text: 'All GPs will know where plans are stored.' },
    ],
    ['Outcomes - fewer missed referrals', null, { kind: 'outcome', text: 'fewer missed referrals' }],
    ['Anticipated Evidence: Audit report', null, { kind: 'evidence', text: 'Audit report' }],
    ['Anticipated Evidence Audit tool and report', null, { kind: 'evidence', text: 'Audit tool and report' }],
    // Running text, including numbered prose that is no heading.
    ['1.1 Work with GPs on record keeping.', null, { kind: 'text', text: '1.1 Work with GPs on record keeping.' }],
    [
      '2) The quality and effectiveness of safeguarding arrangements within health',
      null,
      { kind: 'text', text: '2) The quality and effectiveness of safeguarding arrangements within health' },
    ],
    [
      'It is recommended that the Health & Wellbeing Board:',
      null,
      { kind: 'text', text: 'It is recommended that the Health & Wellbeing Board:' },
    ],
  ];
  for (const [text, heading, expected] of cases) assert.deepEqual(readLine(text, heading), expected, text);
});
