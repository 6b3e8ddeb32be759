import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  NotFoundPage,
  RATING_WORDS,
  RecommendationPage,
  ReviewOverviewPage,
  ReviewsListPage,
  isoFromLongDate,
  type ClaspPage,
} from './pages.ts';
import { startBrowserSession, type BrowserSession } from './session.ts';

/*
 * A person's way through the Rotherham 2015 demo, in Chromium, against the real app on a
 * fresh SQLite database. Every page visited is checked for one h1, breadcrumbs, a clean load
 * and axe-core's WCAG 2.2 AA and best-practice rules (ClaspPage.verify).
 */

const TITLE = 'Review of health services for Children Looked After and Safeguarding in Rotherham';

/** The report's 24 recommendations, in the order of its list. */
const RECOMMENDATIONS = [
  '1.1',
  '2.1',
  '2.2',
  '2.3',
  '2.4',
  '2.5',
  '3.1',
  '3.2',
  '3.3',
  '3.4',
  '3.5',
  '3.6',
  '4.1',
  '4.2',
  '4.3',
  '4.4',
  '4.5',
  '4.6',
  '4.7',
  '4.8',
  '4.9',
  '4.10',
  '4.11',
  '4.12',
];

const SHOTS = '/tmp/clasp-shots';

/** Dates in the order they are shown must never go forwards: histories read newest first. */
function assertNewestFirst(dates: string[], what: string): void {
  const iso = dates.map(isoFromLongDate);
  assert.deepEqual(iso, [...iso].sort().reverse(), `${what} reads newest first: ${dates.join(', ')}`);
}

function assertIllustrativeWarning(warning: { heading: string; notice: string }, where: string): void {
  assert.match(warning.heading, /Demo with illustrative data/, `the warning's heading on ${where}`);
  assert.notEqual(warning.notice, '', `the warning says what is illustrative on ${where}`);
}

describe('the action plan in a browser (Rotherham 2015 demo)', () => {
  let session: BrowserSession;

  before(async () => {
    session = await startBrowserSession({ as: 'viewer' });
  });

  after(async () => {
    await session.close();
  });

  const reviewPath = () => `/reviews/${session.reviewId}`;

  it('lists the Rotherham review and opens it', async () => {
    await session.withPage(async (page) => {
      const list = await ReviewsListPage.goto(page, session.baseUrl);
      await list.verify({ breadcrumbs: false });
      assert.equal(await list.h1(), 'Reviews');
      assert.match(await list.bodyClasses(), /nhsuk-frontend-supported/, 'the NHS frontend script ran under the CSP');

      const reviews = await list.reviews();
      const rotherham = reviews.find((r) => r.title === TITLE);
      assert.ok(rotherham, `the list shows the Rotherham review: ${JSON.stringify(reviews)}`);
      assert.equal(rotherham.href, reviewPath());
      assert.ok(rotherham.demo, 'the Rotherham review is tagged as a demo with illustrative data');
      assert.match(
        rotherham.summary,
        /^Rotherham\. Reviewed 23 February 2015 to 27 February 2015, report published 14 July 2015\.$/,
      );
      assert.equal(rotherham.status.length, 4, 'due position, ratings, attention, last change');
      assert.match(
        rotherham.status[1] ?? '',
        /^123 findings, 24 recommendations; \d+ actions: \d+ Red, \d+ Amber, \d+ Green, \d+ Blue/,
      );

      const overview = await list.openReview(TITLE);
      assert.equal(overview.path(), reviewPath());
      await overview.verify({ breadcrumbs: true });
      assert.equal(await overview.h1(), TITLE);
      assert.equal(await overview.caption(), 'Review');
    });
  });

  const overviewTitle =
    'shows the review overview: due date, illustrative warning, a rating row per recommendation and the exceptions';
  it(overviewTitle, async () => {
    await session.withPage(async (page) => {
      const overview = await ReviewOverviewPage.goto(page, session.baseUrl, session.reviewId);
      await overview.verify({ breadcrumbs: true });

      const crumbs = await overview.breadcrumbs();
      assert.ok(
        crumbs.some((c) => c.text === 'Reviews' && c.href === '/reviews'),
        `the breadcrumbs lead back to the reviews: ${JSON.stringify(crumbs)}`,
      );

      const due = await overview.summaryValue('Action plan due');
      assert.match(due, /^11 August 2015\b/, 'the plan is due 20 working days after 14 July 2015');
      assert.match(due, /20 working days after the report was received on 14 July 2015/);
      assert.equal(await overview.summaryValue('Report received'), '14 July 2015');
      assert.equal(await overview.summaryValue('Rating scale'), 'BRAG (Blue, Red, Amber, Green)');

      assert.ok(await overview.illustrativeWarning().isVisible(), 'the illustrative-data warning is visible');
      assertIllustrativeWarning(await overview.illustrativeWarningText(), 'the overview');

      assert.deepEqual(await overview.ratingHeadings(), [
        'Recommendation',
        'Rating',
        'Actions',
        'Blue',
        'Green',
        'Amber',
        'Red',
        'Not rated',
      ]);
      const rows = await overview.ratingRows();
      assert.equal(rows.length, 24, 'one row per recommendation');
      assert.deepEqual(
        rows.map((r) => r.number),
        RECOMMENDATIONS,
      );
      for (const row of rows) {
        assert.equal(
          row.href,
          `${reviewPath()}/recommendations/${row.number}`,
          `row ${row.number} links to its recommendation`,
        );
        assert.notEqual(row.text, '', `row ${row.number} shows the recommendation's text`);
        assert.ok(
          (RATING_WORDS as readonly string[]).includes(row.rating),
          `row ${row.number} has a BRAG tag, not "${row.rating}"`,
        );
        assert.ok(row.total > 0, `recommendation ${row.number} has actions`);
        assert.equal(row.counts.length, 5, `row ${row.number} counts Blue, Green, Amber, Red and not rated`);
        assert.equal(
          row.counts.reduce((a, b) => a + b, 0),
          row.total,
          `row ${row.number}: the counts add up to its actions`,
        );
      }
      const whole = await overview.wholePlanRow();
      assert.equal(
        whole[0],
        rows.reduce((n, r) => n + r.total, 0),
        'the whole-plan total is the sum of the rows',
      );
      for (let i = 0; i < 5; i++) {
        assert.equal(
          whole[i + 1],
          rows.reduce((n, r) => n + (r.counts[i] ?? 0), 0),
          `whole-plan column ${i + 1} is the sum of the rows`,
        );
      }

      const organisations = await overview.organisationRows();
      assert.ok(organisations.length > 0, 'the ratings by organisation table has rows');
      for (const o of organisations)
        assert.ok((RATING_WORDS as readonly string[]).includes(o.rating), `${o.name} has a rating tag`);

      const groups = await overview.exceptions();
      assert.ok(groups.length > 0, 'the exception list has at least one group');
      let items = 0;
      for (const group of groups) {
        assert.match(group.heading, /^.+ \(\d+\)$/, `exception group heading "${group.heading}" says how many`);
        assert.equal(
          Number(/\((\d+)\)$/.exec(group.heading)?.[1]),
          group.items.length,
          `"${group.heading}" counts its items`,
        );
        for (const item of group.items) {
          assert.notEqual(item.label, '', `an exception in "${group.heading}" names its subject`);
          assert.notEqual(item.reason, '', `exception "${item.label}" gives a reason`);
        }
        items += group.items.length;
      }
      const contents = await overview.contents();
      assert.ok(
        contents.some((c) => c.text === `Exceptions (${items})` && c.href === '#exceptions'),
        `the contents list counts the ${items} exceptions: ${JSON.stringify(contents)}`,
      );
    });
  });

  const recommendationTitle =
    'opens recommendation 1.1 from the overview: findings, outcome, anticipated evidence and rated actions';
  it(recommendationTitle, async () => {
    await session.withPage(async (page) => {
      const overview = await ReviewOverviewPage.goto(page, session.baseUrl, session.reviewId);
      await overview.verify({ breadcrumbs: true });
      const row = (await overview.ratingRows()).find((r) => r.number === '1.1');
      assert.ok(row, 'the overview has a row for 1.1');

      const rec = await overview.clickRecommendation('1.1');
      assert.equal(rec.path(), `${reviewPath()}/recommendations/1.1`);
      await rec.verify({ breadcrumbs: true });
      assert.equal(await rec.h1(), 'Recommendation 1.1');
      assert.deepEqual(await rec.breadcrumbs(), [
        { text: 'Reviews', href: '/reviews' },
        { text: 'Rotherham', href: reviewPath() },
      ]);
      assert.ok(await rec.illustrativeWarning().isVisible(), 'the illustrative-data warning is visible');
      assertIllustrativeWarning(await rec.illustrativeWarningText(), 'recommendation 1.1');

      assert.match(
        await rec.text(),
        /^Work with GPs to ensure that they fully understand the local child protection processes/,
      );
      assert.equal(await rec.rating(), row.rating, 'the recommendation shows the same rating as its overview row');

      const findings = await rec.findings();
      assert.deepEqual(
        findings.map((f) => f.number),
        ['3.3', '3.4', '3.5'],
      );
      const byNumber = new Map(findings.map((f) => [f.number, f]));
      assert.match(
        byNumber.get('3.3')?.text ?? '',
        /GPs do not routinely retain copies of any safeguarding referrals they are making\./,
      );
      assert.match(
        byNumber.get('3.4')?.text ?? '',
        /In another practice, no clinician reviewed minutes of child protection conferences/,
      );
      assert.match(
        byNumber.get('3.5')?.text ?? '',
        /^In neither practice were child protection plans loaded onto the patient record\./,
      );
      for (const f of findings) {
        assert.equal(f.section, 'Child protection', `finding ${f.number}'s section`);
        assert.equal(f.href, `${reviewPath()}/findings/${f.number}`);
      }

      assert.match(
        await rec.outcome(),
        /^All Rotherham GP's will be aware of their responsibility to safeguard children/,
      );
      assert.match(await rec.anticipatedEvidence(), /Practice Manager Forum minutes/);
      assert.match(await rec.anticipatedEvidence(), /Self-audit tool/);

      const actions = await rec.actions();
      assert.equal(actions.length, 5, 'recommendation 1.1 has the five actions of the published plan');
      actions.forEach((a, i) => {
        assert.equal(a.label, `Action ${i + 1}`);
        assert.match(a.href, new RegExp(`^${reviewPath()}/actions/\\d+$`));
        assert.ok(
          (RATING_WORDS as readonly string[]).includes(a.rating),
          `${a.label} has a BRAG tag, not "${a.rating}"`,
        );
        assert.notEqual(a.lead, '', `${a.label} names a lead`);
      });
      assert.ok(
        actions.some((a) => a.rating !== 'Not rated'),
        `at least one action of 1.1 carries a BRAG rating: ${actions.map((a) => a.rating).join(', ')}`,
      );
      const first = actions[0];
      assert.ok(first);
      assert.match(first.summary, /^Action 1: Rotherham GPs and Practice staff will be trained/);
      assert.equal(first.agency, 'RCCG/NHS England Independent Providers');
      assert.equal(first.lead, 'Named GP and GP Practice Safeguarding Leads and deputies');
      assert.equal(first.due, 'Completed 28 July 2015 29 September 2015 Read as 29 September 2015');
    });
  });

  const actionTitle =
    'opens an action from recommendation 1.1: agency, SMART action, lead, dates, rating history ' +
    'and progress newest first';
  it(actionTitle, async () => {
    await session.withPage(async (page) => {
      const rec = await RecommendationPage.goto(page, session.baseUrl, session.reviewId, '1.1');
      await rec.verify({ breadcrumbs: true });
      const listed = (await rec.actions())[0];
      assert.ok(listed, 'recommendation 1.1 lists an action');

      const action = await rec.clickAction('Action 1');
      assert.equal(action.path(), listed.href);
      await action.verify({ breadcrumbs: true });
      assert.equal(await action.h1(), 'Action 1 of recommendation 1.1');
      assert.equal(await action.caption(), 'Recommendation 1.1');
      assert.deepEqual(await action.breadcrumbs(), [
        { text: 'Reviews', href: '/reviews' },
        { text: 'Rotherham', href: reviewPath() },
        { text: 'Recommendation 1.1', href: `${reviewPath()}/recommendations/1.1` },
      ]);
      assert.deepEqual(await action.recommendationLink(), {
        text: 'recommendation 1.1',
        href: `${reviewPath()}/recommendations/1.1`,
      });
      assert.ok(await action.illustrativeWarning().isVisible(), 'the illustrative-data warning is visible');
      assertIllustrativeWarning(await action.illustrativeWarningText(), 'the action page');

      assert.equal(await action.summaryValue('Agency or service'), 'RCCG/NHS England Independent Providers');
      assert.match(
        await action.smartAction(),
        new RegExp(
          /^Rotherham GPs and Practice staff will be trained .* /.source +
            /Practice Manager's Forum on 28 July 2015 and 29 September 2015\.$/.source,
        ),
      );
      assert.equal(await action.summaryValue('Lead'), 'Named GP and GP Practice Safeguarding Leads and deputies');
      assert.equal(await action.summaryValue('Date of action, as written'), 'Completed 28 July 2015 29 September 2015');
      const dueDate = await action.summaryValue('Due date');
      assert.match(dueDate, /^29 September 2015 /, 'the due date is read from the latest date in the words');
      assert.match(
        dueDate,
        /the latest of 2 dates \(28 July 2015, 29 September 2015\)/,
        'the due date says how it was read',
      );

      // The rating shown on the recommendation page is the one the action page shows.
      const { tag, status } = await action.ratingStatus();
      assert.equal(tag, listed.rating);
      const history = await action.ratingHistory();
      assert.ok(history.length > 0, 'the action has a rating history');
      assertNewestFirst(
        history.map((h) => h.date),
        'the rating history',
      );
      for (const h of history) {
        assert.ok(
          ['Proposed', 'Agreed'].includes(h.decision),
          `a rating decision is proposed or agreed, not "${h.decision}"`,
        );
        assert.ok(
          (RATING_WORDS as readonly string[]).includes(h.rating),
          `rating history shows a BRAG tag, not "${h.rating}"`,
        );
        assert.notEqual(h.by, '', 'each rating decision says who made it');
      }
      const lastAgreed = history.find((h) => h.decision === 'Agreed');
      if (lastAgreed) {
        assert.equal(tag, lastAgreed.rating, 'the current rating is the last agreed one');
        assert.match(status, new RegExp(`^Agreed ${lastAgreed.rating}\\b`));
      } else {
        assert.match(status, /^Proposed .*, not yet agreed\.$/);
      }

      const progress = await action.progress();
      assert.ok(
        progress.length >= 2,
        `the action has dated progress, the plan's and later updates: ${JSON.stringify(progress)}`,
      );
      assertNewestFirst(
        progress.map((p) => p.date),
        'progress',
      );
      const sent = progress.at(-1);
      assert.ok(sent);
      assert.equal(sent.date, '11 August 2015', "the published plan's progress is dated the day the plan was sent");
      assert.equal(sent.illustrative, false);
      assert.match(sent.text, /^Evidence- email from NHS Rotherham CCG Named GP Safeguarding/);
      for (const p of progress) {
        assert.match(p.byline, /^By \S/, `progress on ${p.date} says who wrote it`);
        assert.notEqual(p.text, '', `progress on ${p.date} has text`);
      }
    });
  });

  it('goes from recommendation 1.1 to finding 3.3, which links back to the recommendation', async () => {
    await session.withPage(async (page) => {
      const rec = await RecommendationPage.goto(page, session.baseUrl, session.reviewId, '1.1');
      await rec.verify({ breadcrumbs: true });

      const finding = await rec.clickFinding('3.3');
      assert.equal(finding.path(), `${reviewPath()}/findings/3.3`);
      await finding.verify({ breadcrumbs: true });
      assert.equal(await finding.h1(), 'Finding 3.3');
      assert.equal(await finding.caption(), 'Child protection');
      assert.match(
        await finding.text(),
        /^In the primary care settings visited, all were able to demonstrate strongly/,
      );
      assert.equal(await finding.kind(), 'Concern');
      assert.deepEqual(await finding.breadcrumbs(), [
        { text: 'Reviews', href: '/reviews' },
        { text: 'Rotherham', href: reviewPath() },
        { text: 'Findings', href: `${reviewPath()}/findings` },
      ]);
      assert.deepEqual(await finding.recommendationLinks(), [
        { text: 'Recommendation 1.1', href: `${reviewPath()}/recommendations/1.1` },
      ]);

      const back = await finding.clickRecommendation('1.1');
      assert.equal(back.path(), `${reviewPath()}/recommendations/1.1`);
      await back.verify({ breadcrumbs: true });
      assert.equal(await back.h1(), 'Recommendation 1.1');
    });
  });

  it('climbs the breadcrumbs from an action back to the list of reviews', async () => {
    await session.withPage(async (page) => {
      const rec = await RecommendationPage.goto(page, session.baseUrl, session.reviewId, '1.1');
      await rec.verify({ breadcrumbs: true });
      const action = await rec.clickAction('Action 2');
      await action.verify({ breadcrumbs: true });
      assert.equal(await action.h1(), 'Action 2 of recommendation 1.1');

      const up = await action.clickBreadcrumb('Recommendation 1.1', RecommendationPage);
      assert.equal(up.path(), `${reviewPath()}/recommendations/1.1`);
      await up.verify({ breadcrumbs: true });

      const overview = await up.clickBreadcrumb('Rotherham', ReviewOverviewPage);
      assert.equal(overview.path(), reviewPath());
      await overview.verify({ breadcrumbs: true });
      assert.equal(await overview.h1(), TITLE);

      const list = await overview.clickBreadcrumb('Reviews', ReviewsListPage);
      assert.equal(list.path(), '/reviews');
      await list.verify({ breadcrumbs: false });
      assert.equal(await list.h1(), 'Reviews');
    });
  });

  it('answers an unknown review with the not-found page', async () => {
    await session.withPage(async (page) => {
      const notFound = await NotFoundPage.goto(page, session.baseUrl, '/reviews/999999');
      assert.equal(notFound.status, 404);
      await notFound.verify({ breadcrumbs: false });
      assert.equal(await notFound.h1(), 'Page not found');
      assert.equal(await notFound.title(), 'Page not found – Clasp');
      assert.deepEqual(await notFound.linkToReviews(), { text: 'Go to the list of reviews', href: '/reviews' });
    });
  });

  const withoutJavaScriptTitle =
    'works without JavaScript: the overview, a recommendation, an action and a finding, by following links';
  it(withoutJavaScriptTitle, async () => {
    const scriptless = await session.newContext({ as: 'viewer', javaScriptEnabled: false });
    try {
      await session.withPage(async (page) => {
        const overview = await ReviewOverviewPage.goto(page, session.baseUrl, session.reviewId);
        await overview.verify({ breadcrumbs: true });
        assert.doesNotMatch(await overview.bodyClasses(), /js-enabled/, 'no script ran');
        assert.equal(await overview.h1(), TITLE);
        assert.equal((await overview.ratingRows()).length, 24);
        assert.match(await overview.summaryValue('Action plan due'), /^11 August 2015\b/);

        const rec = await overview.clickRecommendation('1.1');
        assert.equal(rec.path(), `${reviewPath()}/recommendations/1.1`);
        await rec.verify({ breadcrumbs: true });
        assert.equal((await rec.findings()).length, 3);
        assert.equal((await rec.actions()).length, 5);

        const action = await rec.clickAction('Action 1');
        await action.verify({ breadcrumbs: true });
        assert.equal(await action.h1(), 'Action 1 of recommendation 1.1');

        const again = await action.clickRecommendationLink();
        assert.equal(again.path(), `${reviewPath()}/recommendations/1.1`);
        await again.verify({ breadcrumbs: true });

        const finding = await again.clickFinding('3.3');
        await finding.verify({ breadcrumbs: true });
        assert.equal(await finding.h1(), 'Finding 3.3');
      }, scriptless);
    } finally {
      await scriptless.close();
    }
  });

  const reflowTitle =
    'reflows to 320 CSS pixels: no sideways scrolling, and every cell of a responsive table keeps its label';
  it(reflowTitle, async () => {
    const narrow = await session.newContext({ as: 'viewer', viewport: { width: 320, height: 640 } });
    try {
      await session.withPage(async (page) => {
        const problems: string[] = [];
        const check = async (visited: ClaspPage, breadcrumbs: boolean) => {
          await visited.verify({ breadcrumbs });
          const overflow = await visited.horizontalOverflow();
          if (overflow.scrollWidth > overflow.clientWidth) {
            problems.push(
              `${visited.path()} is ${overflow.scrollWidth}px wide in a ${overflow.clientWidth}px window: ` +
                overflow.widest.join('; '),
            );
          }
          for (const cell of await visited.unlabelledResponsiveCells())
            problems.push(`${visited.path()}: no small-screen label for ${cell}`);
        };

        const list = await ReviewsListPage.goto(page, session.baseUrl);
        await check(list, false);
        const overview = await list.openReview(TITLE);
        await check(overview, true);
        const rec = await overview.clickRecommendation('1.1');
        await check(rec, true);
        const action = await rec.clickAction('Action 1');
        await check(action, true);
        const again = await action.clickRecommendationLink();
        const finding = await again.clickFinding('3.3');
        await check(finding, true);

        assert.deepEqual(problems, [], `pages that do not reflow at 320 CSS pixels:\n  ${problems.join('\n  ')}`);
      }, narrow);
    } finally {
      await narrow.close();
    }
  });

  it('takes screenshots of the overview and an action page for a person to look at', async () => {
    await fs.mkdir(SHOTS, { recursive: true });
    const shots: string[] = [];
    for (const [name, viewport] of [
      ['', { width: 1280, height: 900 }],
      ['-mobile', { width: 390, height: 844 }],
    ] as const) {
      await session.withPage(async (page) => {
        await page.setViewportSize(viewport);
        const overview = await ReviewOverviewPage.goto(page, session.baseUrl, session.reviewId);
        await overview.verify({ breadcrumbs: true });
        const overviewShot = path.join(SHOTS, `overview${name}.png`);
        await overview.screenshot(overviewShot, { fullPage: true });
        shots.push(overviewShot);

        const rec = await overview.clickRecommendation('1.1');
        await rec.verify({ breadcrumbs: true });
        const recShot = path.join(SHOTS, `recommendation${name}.png`);
        await rec.screenshot(recShot, { fullPage: true });
        shots.push(recShot);

        const action = await rec.clickAction('Action 1');
        await action.verify({ breadcrumbs: true });
        const actionShot = path.join(SHOTS, `action${name}.png`);
        await action.screenshot(actionShot, { fullPage: true });
        shots.push(actionShot);
      });
    }
    for (const shot of shots) {
      const { size } = await fs.stat(shot);
      assert.ok(size > 10_000, `${shot} holds a rendered page (${size} bytes)`);
    }
  });
});
