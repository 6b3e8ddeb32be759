import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomUtils, ElementType, parseDocument } from 'htmlparser2';
import { ratingKey } from '../../../domain/ratings.ts';
import { boardToHtml, type BoardHtmlOptions } from './board-html.ts';
import type { BoardReport, RatingCountsWithNone } from './board-report.ts';
import { sampleBoardReport } from '../../../../test/helpers/board-report.ts';

/* The board report as a reader gets it: the page is parsed as a browser would and read back. */

type Node = ReturnType<typeof parseDocument>;
type Element = ReturnType<typeof DomUtils.findAll>[number];

const squash = (text: string): string => text.replace(/\s+/g, ' ').trim();

function read(report: BoardReport, options: BoardHtmlOptions = {}) {
  const html = boardToHtml(report, options);
  const doc = parseDocument(html);
  const all = (name: string, within: Node | Element = doc): Element[] =>
    DomUtils.findAll((e) => e.name === name, [within]);
  // Text nodes joined by spaces, as a reader hears table cells and list items: one after another.
  const text = (node: Node | Element): string =>
    squash(
      DomUtils.filter((n) => n.type === ElementType.Text, [node])
        .map((n) => DomUtils.textContent(n))
        .join(' '),
    );
  const byId = (id: string): Element => {
    const found = DomUtils.findOne((e) => e.attribs.id === id, doc.children);
    assert.ok(found, `an element with id ${id}`);
    return found;
  };
  /** The section a heading opens: its <section>, or for an h3 everything up to the next heading. */
  const section = (headingId: string): Element => {
    const heading = byId(headingId);
    assert.ok(
      heading.parent && 'name' in heading.parent && heading.parent.name === 'section',
      `#${headingId} heads a section`,
    );
    return heading.parent;
  };
  /** Each row of a table as the text of its cells. */
  const rows = (table: Element): string[][] =>
    all('tr', table).map((tr) => tr.children.filter((c): c is Element => 'name' in c).map((cell) => text(cell)));
  /** The first table after an element, in document order. */
  const tableAfter = (element: Element): Element => {
    const tables = all('table');
    const order = DomUtils.findAll(() => true, doc.children);
    const from = order.indexOf(element);
    const table = tables.find((t) => order.indexOf(t) > from);
    assert.ok(table, `a table after #${element.attribs.id ?? element.name}`);
    return table;
  };
  return { html, doc, all, text, byId, section, rows, tableAfter };
}

const counts = (c: RatingCountsWithNone): number[] => [c.blue, c.green, c.amber, c.red, c.none];

describe('the board report as HTML', () => {
  it('is one HTML5 document in British English with a title, one h1 and headings in order', () => {
    const page = read(sampleBoardReport());
    assert.match(page.html, /^<!DOCTYPE html>\n<html lang="en-GB">/);
    assert.deepEqual(page.all('title', page.all('head')[0] as Element).map(page.text), [
      'Rotherham: progress of the CLAS action plan, 31 July 2016',
    ]);
    assert.deepEqual(page.all('h1').map(page.text), ['Rotherham: progress of the CLAS action plan']);
    const headings = DomUtils.findAll((e) => /^h[1-6]$/.test(e.name), page.doc.children);
    assert.deepEqual(headings.filter((h) => h.name === 'h2').map(page.text), [
      'Key to the ratings',
      'Contents',
      'Summary',
      'Charts',
      'What changed since the last board',
      'Exceptions',
      'Moved due dates',
      'Assurance lapsed',
      'Questions from boards and panels',
      'Recommendations',
    ]);
    const levels = headings.map((h) => Number(h.name.slice(1)));
    levels.forEach((level, i) =>
      assert.ok(i === 0 ? level === 1 : level <= (levels[i - 1] ?? 0) + 1, `heading ${i} (h${level}) skips no level`),
    );
    assert.deepEqual(page.all('h3', page.section('summary')).map(page.text), [
      'Actions by rating',
      'Actions by organisation',
      'Due dates',
      'Lasting assurance',
      'Trend since the last board',
    ]);
  });

  it('says what it is based on, what it is compared with, and that the data are illustrative', () => {
    const page = read(sampleBoardReport());
    const basis = page.all('dl')[0];
    assert.ok(basis);
    assert.equal(
      page.text(basis),
      'This report shows Version 10, issued 31 July 2016 (Health and Wellbeing Board) ' +
        'Position as at 31 July 2016 Compared with Version 9, issued 19 May 2016 (Health and Wellbeing Board)',
    );
    assert.match(
      page.text(page.doc),
      /Please note: Illustrative data: ratings, evidence and later progress are invented/,
    );

    const now = read(
      sampleBoardReport({
        basisWords: 'The plan as it stands on 31 July 2016',
        previousWords: null,
        illustrativeNotice: null,
      }),
    );
    assert.match(now.text(now.doc), /This report shows The plan as it stands on 31 July 2016/);
    assert.match(
      now.text(now.doc),
      /Compared with No earlier version was issued, so there is nothing to compare with\./,
    );
    assert.doesNotMatch(now.text(now.doc), /Please note/);
  });

  it('gives the key near the top and again in the footer that print repeats on every page', () => {
    const page = read(sampleBoardReport());
    const expected = [
      'Blue Completed',
      'Green On target',
      'Amber Off target with remedial action',
      'Red Not yet planned, started or progressed',
    ];
    assert.deepEqual(page.all('li', page.section('key-heading')).map(page.text), expected);
    const footer = page.all('footer')[0];
    assert.ok(footer);
    assert.match(
      page.text(footer),
      new RegExp(
        /^Key: Blue Completed; Green On target; Amber Off target with remedial action; /.source +
          /Red Not yet planned, started or progressed\./.source,
      ),
    );
    assert.match(page.html, /@media print \{[^@]*\.page-key \{ display: block; position: fixed;/);
    assert.match(page.html, /@page \{ size: A4; margin:/);

    const rag = read(sampleBoardReport({ scale: 'RAG', key: ratingKey('RAG') }));
    assert.deepEqual(rag.all('li', rag.section('key-heading')).map(rag.text), [
      'Green Completed',
      'Amber In progress or off target',
      'Red Not started',
    ]);
    assert.deepEqual(rag.rows(rag.tableAfter(rag.byId('summary-organisations')))[0], [
      'Organisation',
      'Green',
      'Amber',
      'Red',
      'Not rated',
      'Total',
    ]);
  });

  it('counts actions by rating, overall and per organisation, with the due-date position and the trend', () => {
    const report = sampleBoardReport();
    const page = read(report);
    assert.deepEqual(page.rows(page.tableAfter(page.byId('summary-ratings'))), [
      ['Rating', 'What it means', 'Actions'],
      ['Blue', 'Completed', '72'],
      ['Green', 'On target', '13'],
      ['Amber', 'Off target with remedial action', '3'],
      ['Red', 'Not yet planned, started or progressed', '1'],
      ['Not rated', 'No rating proposed or agreed yet', '4'],
      ['All actions', '93'],
    ]);
    const organisations = page.rows(page.tableAfter(page.byId('summary-organisations')));
    assert.deepEqual(organisations[0], ['Organisation', 'Blue', 'Green', 'Amber', 'Red', 'Not rated', 'Total']);
    assert.deepEqual(
      organisations.slice(1),
      report.summary.byOrganisation.map((o) => [o.organisation, ...counts(o.counts).map(String), String(o.total)]),
    );
    assert.deepEqual(organisations.at(-1), ['The Rotherham NHS Foundation Trust', '51', '8', '2', '1', '2', '64']);

    const due = page.text(page.section('summary'));
    assert.match(
      due,
      new RegExp(
        /The plan was due with CQC on 11 August 2015; that date has passed\. /.source +
          /19 actions are past their date and not completed\./.source,
      ),
    );
    assert.deepEqual(page.rows(page.tableAfter(page.byId('summary-due'))).slice(1), [
      ['Past their date and not completed', '19'],
      ['Due in the next 30 days', '0'],
      ['Due later', '1'],
      ['No date that can be worked out', '1'],
      ['Completed', '72'],
    ]);
    assert.match(
      due,
      /Trend since the last board Since version 9 \(19 May 2016\), 9 more actions are completed: 72, up from 63\./,
    );
  });

  it('shows each chart as an SVG image inside a figure with a caption, followed by its numbers as a table', () => {
    const report = sampleBoardReport();
    const page = read(report);
    const figures = page.all('figure');
    assert.equal(figures.length, 2);
    for (const [figure, spec] of [
      [figures[0], report.charts.byOrganisation],
      [figures[1], report.charts.overTime],
    ] as const) {
      assert.ok(figure);
      const svg = page.all('svg', figure)[0];
      assert.ok(svg, `${spec.id}: an SVG`);
      assert.equal(svg.attribs.role, 'img');
      assert.equal(page.text(page.all('title', svg)[0] ?? svg), spec.title);
      assert.equal(
        page.text(page.all('figcaption', figure)[0] ?? figure),
        `${spec.title}. The numbers are in the table below.`,
      );
      assert.equal(svg.attribs.style, undefined, `${spec.id}: no style attribute for the CSP to refuse`);
      assert.equal(
        page.all('*', svg).filter((e) => e.attribs.style !== undefined).length,
        0,
        `${spec.id}: no style attributes inside`,
      );
      const table = page.rows(page.tableAfter(figure));
      assert.deepEqual(
        table.slice(1),
        spec.categories.map((category, i) => {
          const values = spec.series.map((s) => s.values[i] ?? 0);
          return [category, ...values.map(String), String(values.reduce((a, b) => a + b, 0))];
        }),
      );
    }
    assert.deepEqual(page.rows(page.tableAfter(figures[1] as Element)).at(-1), [
      '31 July 2016',
      '72',
      '13',
      '3',
      '1',
      '4',
      '93',
    ]);
  });

  it('lists what changed since the last board, field by field, or says why it cannot', () => {
    const page = read(sampleBoardReport());
    const changes = page.section('changes');
    assert.match(
      page.text(changes),
      new RegExp(
        /This compares Version 9 \(19 May 2016\) with Version 10 \(31 July 2016\)\. /.source +
          /In short: 1 recommendation changed, 1 action added, 1 action removed, 1 action changed, /.source +
          /3 ratings changed, 2 new progress updates, 2 new pieces of evidence, 1 evidence decision changed\./.source,
      ),
    );
    assert.deepEqual(page.all('h3', changes).map(page.text), [
      'Recommendations changed',
      'Actions added',
      'Actions removed',
      'Actions changed',
      'Ratings changed',
      'New progress',
      'New evidence and decisions on evidence',
    ]);
    const tables = page.all('table', changes).map(page.rows);
    assert.ok(
      tables.some((t) =>
        t.some((r) => r.join('|') === 'Action 3 of recommendation 4.9|Date of action|31 March 2016|30 September 2016'),
      ),
    );
    assert.ok(tables.some((t) => t.some((r) => r.join('|') === 'Action 7 of recommendation 4.8|Not rated|Amber')));
    assert.ok(
      tables.some((t) =>
        t.some((r) =>
          r.join('|').startsWith('14 July 2016|Action 3 of recommendation 4.9|Audit delayed by staff absence'),
        ),
      ),
    );
    assert.ok(
      tables.some((t) =>
        t.some(
          (r) =>
            r.join('|') ===
            '1 July 2016|Action 7 of recommendation 4.8|Health passport draft template|Submitted, not yet decided',
        ),
      ),
    );

    const first = read(sampleBoardReport({ changes: null }));
    assert.match(
      first.text(first.section('changes')),
      new RegExp(
        /^What changed since the last board No earlier version of the plan was issued, /.source +
          /so there is nothing to compare with yet\.$/.source,
      ),
    );
    const same = sampleBoardReport();
    assert.ok(same.changes);
    const quiet = read({
      ...same,
      changes: {
        ...same.changes,
        changedRecommendations: [],
        addedActions: [],
        removedActions: [],
        changedActions: [],
        ratingChanges: [],
        newProgress: [],
        newEvidence: [],
        evidenceDecisions: [],
        unchanged: true,
      },
    });
    assert.match(
      quiet.text(quiet.section('changes')),
      /Nothing in the plan has changed between Version 9 \(19 May 2016\) and Version 10 \(31 July 2016\)\.$/,
    );
  });

  it('groups the exceptions by kind, each with its reason', () => {
    const page = read(sampleBoardReport());
    const exceptions = page.section('exceptions');
    assert.match(page.text(exceptions), /11 exceptions in all/);
    assert.deepEqual(page.all('h3', exceptions).map(page.text), [
      'Overdue (3)',
      'No progress for 90 days (2)',
      'Green or Blue without accepted evidence (2)',
      'Disputed rating (1)',
      'Not SMART (1)',
      'Organisation with no action of its own (1)',
      'Concern that no recommendation answers (1)',
    ]);
    assert.deepEqual(page.rows(page.tableAfter(page.byId('exceptions-overdue')))[1], [
      'Action 2 of recommendation 1.1',
      '1.1',
      'Due 6 November 2014 and not completed: 633 days overdue.',
    ]);
    assert.deepEqual(page.rows(page.tableAfter(page.byId('exceptions-concern-without-recommendation')))[1], [
      'Finding 1.4',
      'None',
      'Finding 1.4 raises a concern but leads to no recommendation.',
    ]);

    const none = read(sampleBoardReport({ exceptions: [] }));
    assert.match(none.text(none.section('exceptions')), /There are no exceptions/);
  });

  it("gives each recommendation's rating in words on its colour, and the basis of the rating", () => {
    const report = sampleBoardReport();
    const second = report.recommendations[1];
    assert.ok(second);
    report.recommendations[1] = { ...second, rating: 'none', ratingWords: 'Not rated' };
    const page = read(report);
    assert.equal(page.all('h3', page.section('recommendations')).length, 24);
    const facts = (number: string): Element => {
      const heading = page.byId(`recommendation-${number}`);
      const block = heading.parent as Element;
      return page.all('dl', block)[0] as Element;
    };
    const red = facts('4.5');
    assert.equal(
      page.text(red),
      'Rating Red: not yet planned, started or progressed Actions 4 Basis of the rating 3 accepted pieces of ' +
        'evidence; last progress 11 February 2016. Rating agreed by the peer challenge group on 18 February 2016.',
    );
    assert.equal(page.all('strong', red)[0]?.attribs.class, 'tag tag--red');
    const unrated = facts('2.1');
    assert.match(page.text(unrated), /^Rating Not rated /);
    assert.equal(page.all('strong', unrated)[0]?.attribs.class, 'tag tag--none');
    // The colours come from the key, each with a text colour that reads on it.
    assert.match(page.html, /\.tag--amber \{ background-color: #ffb81c; color: #212b32; \}/);
    assert.match(page.html, /\.tag--none \{ background-color: #d8dde0; color: #212b32; \}/);
  });

  it('refuses a key colour that is not #rrggbb rather than write it into the CSS', () => {
    const report = sampleBoardReport();
    const firstKey = report.key[0];
    assert.ok(firstKey);
    report.key[0] = { ...firstKey, colour: 'red; } body { display: none' };
    assert.throws(() => boardToHtml(report), /not #rrggbb/);
  });

  it('escapes what people typed and runs nothing', () => {
    const report = sampleBoardReport();
    const [recommendation] = report.recommendations;
    const [organisation] = report.summary.byOrganisation;
    const [exceptions] = report.exceptions;
    const exceptionItem = exceptions?.items[0];
    assert.ok(recommendation && organisation && exceptions && exceptionItem);
    report.recommendations[0] = {
      ...recommendation,
      text: 'Check <script>alert("x")</script> & <b>bold</b> claims',
    };
    report.summary.byOrganisation[0] = {
      ...organisation,
      organisation: 'GP practices <img src=x onerror=alert(1)>',
    };
    report.charts.byOrganisation.categories[0] = 'GP practices <img src=x onerror=alert(1)>';
    exceptions.items[0] = {
      ...exceptionItem,
      reason: 'Due </td></tr></table><h2>Injected</h2>',
    };
    const page = read(report, { nonce: 'abc"onload="x' });
    assert.equal(page.all('script').length, 0);
    assert.equal(page.all('img').length, 0);
    assert.equal(page.all('b').length, 0);
    assert.ok(!page.all('h2').some((h) => page.text(h) === 'Injected'));
    assert.match(
      page.html,
      /Check &lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &amp; &lt;b&gt;bold&lt;\/b&gt; claims/,
    );
    assert.equal(
      page.text(page.byId('recommendation-1.1').next?.next as Element),
      'Check <script>alert("x")</script> & <b>bold</b> claims',
    );
    assert.equal(page.all('style')[0]?.attribs.nonce, 'abc"onload="x');
    assert.equal(page.all('style')[0]?.attribs.onload, undefined);
  });

  it('is self-contained: one <style>, with the nonce when given, no scripts and nothing fetched', () => {
    const page = read(sampleBoardReport(), { nonce: 'r4nd0m' });
    const styles = page.all('style');
    assert.equal(styles.length, 1);
    assert.equal(styles[0]?.attribs.nonce, 'r4nd0m');
    assert.equal(page.all('script').length, 0);
    assert.equal(page.all('link').length, 0);
    assert.doesNotMatch(page.html, /<script/i);
    assert.doesNotMatch(page.html, /url\(|@import/);
    const references = DomUtils.findAll(
      (e) => e.attribs.src !== undefined || e.attribs.href !== undefined || e.attribs['xlink:href'] !== undefined,
      page.doc.children,
    );
    assert.ok(references.length > 0);
    for (const e of references)
      assert.match(
        e.attribs.href ?? e.attribs['xlink:href'] ?? e.attribs.src ?? '',
        /^#/,
        `${e.name} refers only within the page`,
      );
    assert.equal(read(sampleBoardReport()).all('style')[0]?.attribs.nonce, undefined);
  });

  it("read inside Clasp, carries the service's header and breadcrumbs back to the review, never printed", () => {
    const page = read(sampleBoardReport(), { inApp: { reviewHref: '/reviews/7' } });
    const header = page.all('header')[0];
    assert.ok(header, 'the service header');
    assert.equal(page.text(header), 'Clasp');
    assert.equal(DomUtils.findOne((e) => e.name === 'a', [header])?.attribs.href, '/');
    const crumbs = page.all('nav').find((n) => n.attribs['aria-label'] === 'Breadcrumb');
    assert.ok(crumbs, 'breadcrumbs');
    assert.deepEqual(
      page.all('a', crumbs).map((a) => [page.text(a), a.attribs.href]),
      [
        ['Reviews', '/reviews'],
        ['Rotherham', '/reviews/7'],
        ['Versions and documents', '/reviews/7/versions'],
      ],
    );
    const print = page.html.slice(page.html.indexOf('@media print'));
    assert.match(print, /\.contents, \.service-header, \.breadcrumbs \{ display: none; \}/, 'not printed');
    // A file on its own has neither: its links would lead nowhere.
    const file = read(sampleBoardReport());
    assert.equal(file.all('header').length, 0);
    assert.ok(!file.all('nav').some((n) => n.attribs['aria-label'] === 'Breadcrumb'));
  });

  it("labels every cell of a table with its column's name, for a phone where each row is a block", () => {
    const page = read(sampleBoardReport());
    let labelled = 0;
    for (const table of page.all('table')) {
      const head = page.all('thead', table)[0];
      assert.ok(head, 'every table has a head');
      const names = page.all('th', head).map(page.text);
      for (const section of [...page.all('tbody', table), ...page.all('tfoot', table)]) {
        for (const row of page.all('tr', section)) {
          const cells = row.children.filter((c): c is Element => 'name' in c);
          let column = 0;
          for (const cell of cells) {
            const span = Number(cell.attribs.colspan ?? 1);
            // A cell across columns ("All actions") names itself.
            if (span === 1) {
              assert.equal(cell.attribs['data-label'], names[column], `${page.text(cell)} is labelled`);
              labelled += 1;
            }
            column += span;
          }
        }
      }
    }
    assert.ok(labelled > 100, `${labelled} cells labelled`);
    assert.match(page.html, /content: attr\(data-label\) \/ "";/);
  });

  it('gives the same page for the same report', () => {
    assert.equal(boardToHtml(sampleBoardReport()), boardToHtml(sampleBoardReport()));
  });
});
