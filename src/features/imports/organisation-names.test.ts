import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { OrganisationKind } from './drafts.ts';
import {
  looksLikeOrganisationName,
  organisationKind,
  organisationNameKey,
  sameOrganisation,
  splitOrganisationList,
} from './organisation-names.ts';

describe('organisationKind', () => {
  const cases: [string, OrganisationKind][] = [
    ['Rotherham CCG', 'commissioner'],
    ['NHS Rotherham Clinical Commissioning Group', 'commissioner'],
    ['NHS South Yorkshire Integrated Care Board', 'commissioner'],
    ['South Yorkshire ICB', 'commissioner'],
    ['The Rotherham NHS Foundation Trust', 'nhs_trust'],
    ['The Rotherham Foundation NHS Trust', 'nhs_trust'],
    ['Sussex Community NHS Trust', 'nhs_trust'],
    ['County Durham and Darlington NHS Foundation Trust', 'nhs_trust'],
    ['NHS England', 'nhs_england'],
    ['NHS England Area Team', 'nhs_england'],
    ['Rotherham Metropolitan Borough Council', 'local_authority'],
    ['Rotherham MBC', 'local_authority'],
    ['West Sussex County Council', 'local_authority'],
    ['Woodstock Bower Group Practice', 'gp_practice'],
    ['Morthen Road Surgery', 'gp_practice'],
    ['Rawmarsh Medical Centre', 'gp_practice'],
    ['GP practices in Rotherham', 'gp_practice'],
    // Commissioners styled "NHS" and their place, without "CCG".
    ['NHS Salford', 'commissioner'],
    ['NHS Bath and North East Somerset', 'commissioner'],
    ['NHS Improvement', 'other'],
    ['Healthwatch Rotherham', 'other'],
    ['Barnardo’s', 'other'],
  ];
  for (const [name, kind] of cases) test(`${name} is ${kind}`, () => assert.equal(organisationKind(name), kind));
});

describe('sameOrganisation', () => {
  const same: [string, string][] = [
    ['Rotherham CCG', 'NHS Rotherham Clinical Commissioning Group'],
    ['Rotherham CCG', 'Rotherham Clinical Commissioning Group (RCCG)'],
    ['NHS Rotherham CCG', 'Rotherham Clinical Commissioning Group'],
    ['The Rotherham Foundation NHS Trust', 'The Rotherham NHS Foundation Trust'],
    ['Rotherham NHS Foundation Trust', 'The Rotherham NHS Foundation Trust'],
    [
      'Rotherham, Doncaster and South Humber NHS Foundation Trust',
      'Rotherham Doncaster & South Humber NHS Foundation Trust',
    ],
    [
      'Rotherham Doncaster and South Humber NHS Foundation Trust (RDaSH)',
      'Rotherham Doncaster & South Humber NHS Foundation Trust',
    ],
    ['Rotherham MBC', 'Rotherham Metropolitan Borough Council'],
    ['NHS  England', 'nhs england'],
    ['South Yorkshire ICB', 'NHS South Yorkshire Integrated Care Board'],
    ['NHS Salford', 'Salford CCG'],
    ['NHS Salford', 'NHS Salford Clinical Commissioning Group'],
  ];
  for (const [a, b] of same) test(`"${a}" is "${b}"`, () => assert.equal(sameOrganisation(a, b), true));

  const different: [string, string][] = [
    ['Rotherham CCG', 'Doncaster CCG'],
    ['The Rotherham NHS Foundation Trust', 'Rotherham Doncaster & South Humber NHS Foundation Trust'],
    ['NHS England', 'NHS England Area Team'],
    ['Rotherham CCG', 'Rotherham Metropolitan Borough Council'],
    ['Sussex Community NHS Trust', 'Sussex Community NHS Foundation Trust'],
    ['NHS Salford', 'Salford City Council'],
    ['', ''],
  ];
  for (const [a, b] of different) test(`"${a}" is not "${b}"`, () => assert.equal(sameOrganisation(a, b), false));

  test('gives the same key to every form of a name', () => {
    assert.equal(
      organisationNameKey('The Rotherham Foundation NHS Trust'),
      organisationNameKey('Rotherham NHS Foundation Trust'),
    );
    assert.equal(organisationNameKey('NHS Rotherham Clinical Commissioning Group'), 'rotherham ccg');
  });
});

describe('looksLikeOrganisationName', () => {
  test('knows a whole name by its ending or its start', () => {
    for (const name of [
      'Rotherham CCG',
      'South Humber NHS Foundation Trust',
      'NHS England',
      'Healthwatch Rotherham',
      'Rotherham Clinical Commissioning Group (RCCG)',
    ]) {
      assert.equal(looksLikeOrganisationName(name), true, name);
    }
    for (const words of ['Rotherham', 'Rotherham Doncaster', 'the local public health team'])
      assert.equal(looksLikeOrganisationName(words), false, words);
  });
});

describe('splitOrganisationList', () => {
  const cases: [string, string[], string[]][] = [
    ['NHS England & Rotherham CCG should:', [], ['NHS England', 'Rotherham CCG']],
    [
      'NHS England, Rotherham CCG, Rotherham, Doncaster and South Humber NHS Foundation Trust and The ' +
        'Rotherham Foundation NHS Trust should:',
      [],
      [
        'NHS England',
        'Rotherham CCG',
        'Rotherham, Doncaster and South Humber NHS Foundation Trust',
        'The Rotherham Foundation NHS Trust',
      ],
    ],
    [
      'Rotherham CCG and Rotherham, Doncaster and South Humber NHS Foundation Trust',
      [],
      ['Rotherham CCG', 'Rotherham, Doncaster and South Humber NHS Foundation Trust'],
    ],
    // The report's header cell: names run together with nothing between them.
    [
      'Rotherham Doncaster & South Humber NHS Foundation Trust The Rotherham NHS Foundation Trust',
      [],
      ['Rotherham Doncaster & South Humber NHS Foundation Trust', 'The Rotherham NHS Foundation Trust'],
    ],
    [
      'Sussex Community NHS Foundation Trust Western Sussex Hospitals NHS Foundation Trust Coastal West Sussex CCG',
      [],
      [
        'Sussex Community NHS Foundation Trust',
        'Western Sussex Hospitals NHS Foundation Trust',
        'Coastal West Sussex CCG',
      ],
    ],
    [
      'Rotherham Clinical Commissioning Group (RCCG) and NHS England Area Team',
      [],
      ['Rotherham Clinical Commissioning Group (RCCG)', 'NHS England Area Team'],
    ],
    // A name with no recognised ending is split off only when it is known.
    ["Barnardo's and Rotherham CCG", ["Barnardo's"], ["Barnardo's", 'Rotherham CCG']],
    ["Barnardo's and Rotherham CCG", [], ["Barnardo's and Rotherham CCG"]],
    // "NHS" and a word may begin a longer place, so it splits a list only when it is known.
    ['NHS Salford and Salford City Council', ['NHS Salford'], ['NHS Salford', 'Salford City Council']],
    ['NHS Bath and North East Somerset', [], ['NHS Bath and North East Somerset']],
    // Known names are found in any of their forms.
    [
      'Rotherham CCG, Rotherham Doncaster and South Humber Foundation Trust',
      ['Rotherham Doncaster & South Humber NHS Foundation Trust', 'NHS Rotherham Clinical Commissioning Group'],
      ['Rotherham CCG', 'Rotherham Doncaster and South Humber Foundation Trust'],
    ],
    ['', [], []],
    ['  should:', [], []],
  ];
  for (const [text, known, expected] of cases) {
    test(`"${text}"${known.length ? ` knowing ${known.join(', ')}` : ''}`, () =>
      assert.deepEqual(splitOrganisationList(text, known), expected));
  }

  test('does not take long over a very long list', () => {
    const list = Array.from({ length: 400 }, (_, i) => `Area ${i} CCG`).join(', ');
    const names = splitOrganisationList(list, ['Area 7 CCG', 'Area 300 CCG']);
    assert.equal(names.length, 400);
    assert.equal(names[399], 'Area 399 CCG');
  });
});
