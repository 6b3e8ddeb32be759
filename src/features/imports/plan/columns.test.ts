import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PlanField } from '../drafts.ts';
import type { SourceRow } from '../sources/model.ts';
import { fieldOfHeader, isHeaderRow, mapColumns, planColumns } from './columns.ts';

test('header cells are read for what they mean, whatever their wording', () => {
  const cases: [string, PlanField | null][] = [
    // Rotherham's block template
    ['Agency/Service', 'agency'],
    ['SMART* Action', 'action'],
    ['Lead Officer and Key Personnel', 'lead'],
    ['Date of Action', 'due'],
    ['Progress, Evidence, Date, BRAG**', 'progress'],
    // West Sussex's flat table
    ['Number', 'number'],
    ['Recommendation', 'recommendation'],
    ['Action', 'action'],
    ['Outcomes How will we know when this action is complete', 'outcome'],
    ['Lead', 'lead'],
    ['By When', 'due'],
    ['RAG Rating', 'rating'],
    ['Progress Report / Date', 'progress'],
    ['Current SCT Progress', 'progress'],
    // Other templates
    ['Ref', 'number'],
    ['Rec No.', 'number'],
    ['Recommendation number', 'number'],
    ['#', 'number'],
    ['CQC recommendation', 'recommendation'],
    ['Improvement action', 'action'],
    ['How will we know?', 'outcome'],
    ['Expected outcome', 'outcome'],
    ['Service', 'agency'],
    ['Organisation', 'agency'],
    ['Lead responsible for updating progress', 'lead'],
    ['Action owner', 'lead'],
    ['Action lead', 'lead'],
    ['Responsible officer', 'responsibleOfficer'],
    ['Accountable executive', 'responsibleOfficer'],
    ['Timescale', 'due'],
    ['Target date', 'due'],
    ['Deadline', 'due'],
    ['Assurance (how we will monitor)', 'assurance'],
    ['Monitoring arrangements', 'assurance'],
    ['Measure of success', 'measure'],
    ['KPI', 'measure'],
    ['BRAG', 'rating'],
    ['RAG status', 'rating'],
    ['Status update', 'progress'],
    ['Update / evidence', 'progress'],
    ['Anticipated Evidence', 'anticipatedEvidence'],
    ['Evidence required', 'anticipatedEvidence'],
    ['Report paragraph', 'findings'],
    ['Findings', 'findings'],
    // Not plan headings
    ['Version', null],
    ['Author', null],
    ['Named GP', null],
    ['Mar-17', null],
    ['', null],
  ];
  for (const [header, expected] of cases) assert.equal(fieldOfHeader(header), expected, header);
});

const row = (...texts: string[]): SourceRow => ({
  cells: texts.map((text) => ({ text, fill: null, date: null, span: 1 })),
  source: 'row',
  header: false,
});

test('a heading row names an action with its recommendation or who does it; other rows are not headings', () => {
  assert.equal(
    isHeaderRow(
      row(
        'Agency/Service',
        'SMART* Action',
        'Lead Officer and Key Personnel',
        'Date of Action',
        'Progress, Evidence, Date, BRAG**',
      ),
    ),
    true,
  );
  assert.equal(isHeaderRow(row('Number', 'Recommendation', 'Action', 'Lead', 'By When')), true);
  // A version-control table: no one responsible for an action.
  assert.equal(isHeaderRow(row('Version', 'Date', 'Author', 'Action', 'Comment')), false);
  // A timetable of meetings.
  assert.equal(isHeaderRow(row('Date', 'Whom', 'Activity', 'Completed')), false);
  // A data row that mentions an action and a recommendation in its text.
  assert.equal(
    isHeaderRow(row('1.1', 'Recommendation text for 1.1', 'Action 1: train staff', 'Named Nurse', 'Mar-17', 'Green')),
    false,
  );
  assert.equal(isHeaderRow(row('Action')), false);
});

test("the user's choices override the columns read from the headings, and say so", () => {
  const header = row('Ref', 'Action', 'Lead', 'Responsible officer', 'Notes');
  const map = mapColumns(2, header, [
    { table: 2, column: 2, field: 'responsibleOfficer' },
    { table: 2, column: 3, field: 'lead' },
    { table: 2, column: 4, field: 'progress' },
    { table: 1, column: 1, field: 'ignore' }, // another table: no effect here
  ]);
  assert.deepEqual(planColumns(map), [
    { table: 2, column: 0, header: 'Ref', field: 'number', chosen: false },
    { table: 2, column: 1, header: 'Action', field: 'action', chosen: false },
    { table: 2, column: 2, header: 'Lead', field: 'responsibleOfficer', chosen: true },
    { table: 2, column: 3, header: 'Responsible officer', field: 'lead', chosen: true },
    { table: 2, column: 4, header: 'Notes', field: 'progress', chosen: true },
  ]);
});

test('a heading cell spanning two columns names both', () => {
  const header: SourceRow = {
    cells: [
      { text: 'Action', fill: null, date: null, span: 1 },
      { text: 'Progress', fill: null, date: null, span: 2 },
    ],
    source: 'row',
    header: true,
  };
  assert.deepEqual(mapColumns(0, header, []).fields, ['action', 'progress', 'progress']);
});
