import type { BrowserContext, Page } from 'playwright-core';
import { currentTotp } from '../../src/platform/auth/one-time-codes.ts';
import { hashPassword, newToken, tokenHash } from '../../src/platform/auth/secrets.ts';
import { expectCleanPage } from './pages/problems.ts';
import { SignInCodePage, SignInPage, TwoStepSetUpPage } from './pages/accounts.ts';
import type { BrowserSession } from './session.ts';
import type { WalkedPage, Walker } from './widths-pages.ts';

/*
 * Walks pages at one window size and says, for each, what would stop a person: an answer other
 * than the page, a request to another origin, an axe violation or a script problem, the page
 * wider than the window, a word broken across two lines.
 */

export interface Viewport {
  width: number;
  height: number;
}

/** What the walk found: problems, page by page, and the pages it checked. */
export interface WalkResult {
  problems: string[];
  visited: string[];
}

/** A tab that notes every request to another origin and refuses it, so that nothing waits for it. */
async function guardedTab(session: BrowserSession, context: BrowserContext, elsewhere: string[]): Promise<Page> {
  const origin = new URL(session.baseUrl).origin;
  await context.route(
    (url) => url.origin !== origin,
    (route) => route.abort(),
  );
  const tab = await session.newPage(context);
  tab.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith('data:') && new URL(url).origin !== origin) elsewhere.push(url);
  });
  return tab;
}

/** Checks the page the tab is on; `what` names it in the problems. */
async function checkOpenPage(tab: Page, what: string, elsewhere: string[]): Promise<string[]> {
  const problems: string[] = [];
  try {
    await expectCleanPage(tab, what);
  } catch (error) {
    problems.push((error as Error).message);
  }
  const { overflow, brokenWords, emptyHeadings } = await measureWidths(tab);
  if (overflow)
    problems.push(
      `${what} is ${overflow.scrollWidth}px wide in a ${overflow.innerWidth}px window: ${overflow.widest.join('; ')}`,
    );
  for (const word of brokenWords) problems.push(`${what}: ${word}`);
  for (const heading of emptyHeadings) problems.push(`${what}: nothing under the heading "${heading}"`);
  for (const url of elsewhere.splice(0)) problems.push(`${what} asked another origin for ${url}`);
  return problems;
}

/** Opens each page in turn, in one tab per person, and checks it. */
export async function walkPages(session: BrowserSession, viewport: Viewport, pages: WalkedPage[]): Promise<WalkResult> {
  const result: WalkResult = { problems: [], visited: [] };
  const elsewhere: string[] = [];
  const tabs = new Map<Walker, Page>();
  const tabFor = async (as: Walker): Promise<Page> => {
    const open = tabs.get(as);
    if (open) return open;
    const context = await session.newContext({ viewport, ...(as === 'nobody' ? {} : { as }) });
    const tab = await guardedTab(session, context, elsewhere);
    tabs.set(as, tab);
    return tab;
  };
  for (const page of pages) {
    const tab = await tabFor(page.as);
    const what = `${page.path} (${page.as}, ${viewport.width}px)`;
    const response = await tab.goto(`${session.baseUrl}${page.path}`, { waitUntil: 'load' });
    const asked = new URL(`${session.baseUrl}${page.path}`).pathname;
    const landed = new URL(tab.url()).pathname;
    const status = response?.status();
    result.visited.push(page.path);
    if (status !== 200) result.problems.push(`${what} answered ${String(status)}`);
    if (landed !== asked) result.problems.push(`${what} led to ${landed}`);
    result.problems.push(...(await checkOpenPage(tab, what, elsewhere)));
  }
  return result;
}

/**
 * The pages only a sign-in in progress reaches: setting up two-step verification when it is
 * required, the recovery codes, the code asked for at the next sign-in; and a set-password link.
 */
export async function walkSignInSteps(session: BrowserSession, viewport: Viewport): Promise<WalkResult> {
  const result: WalkResult = { problems: [], visited: [] };
  const db = session.server.database.db;
  const email = `two.step.${viewport.width}@example.nhs.uk`;
  const password = 'quarry tandem willow 88';
  const { id: userId } = await db
    .insertInto('users')
    .values({
      email,
      name: `Walker at ${viewport.width}`,
      password_hash: await hashPassword(password),
      is_admin: 0,
      created_at: new Date().toISOString(),
      second_factor_required: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const token = newToken();
  await db
    .insertInto('one_time_tokens')
    .values({
      token_hash: tokenHash(token),
      user_id: userId,
      purpose: 'reset',
      created_at: new Date().toISOString(),
      expires_at: new Date(Date.now() + 3_600_000).toISOString(),
      used_at: null,
    })
    .execute();

  const elsewhere: string[] = [];
  const context = await session.newContext({ viewport });
  const tab = await guardedTab(session, context, elsewhere);
  const check = async (path: string) => {
    result.visited.push(path);
    result.problems.push(...(await checkOpenPage(tab, `${path} (${viewport.width}px)`, elsewhere)));
  };

  await tab.goto(`${session.baseUrl}/reset-password/${token}`, { waitUntil: 'load' });
  await check('/reset-password/:token');

  const signIn = await SignInPage.goto(tab, session.baseUrl);
  const setUp = await signIn.signIn(email, password, TwoStepSetUpPage);
  await tab.waitForURL(/\/sign-in\/set-up$/);
  await check('/sign-in/set-up');
  const codes = await setUp.enterCode(currentTotp(await setUp.key(), new Date()));
  await tab.getByRole('button', { name: 'I have saved my codes, continue' }).waitFor();
  await check('/sign-in/set-up (the recovery codes)');
  const recovery = (await codes.codes())[0] ?? '';

  // Signed out by forgetting the session, then signed in again: the code is asked for.
  await context.clearCookies();
  await (await SignInPage.goto(tab, session.baseUrl)).signIn(email, password, SignInCodePage);
  await tab.waitForURL(/\/sign-in\/code$/);
  await check('/sign-in/code');
  if (!recovery) result.problems.push('no recovery code was shown');
  return result;
}

/** What the measures found on one page. */
export interface WidthProblems {
  /** How far the page is wider than the window, with the elements that reach furthest; null when it fits. */
  overflow: { scrollWidth: number; innerWidth: number; widest: string[] } | null;
  /** Each word split across two lines: "td.nhsuk-table__cell: “September” (…context…)". */
  brokenWords: string[];
  /** Headings with nothing under them before the next heading of the same or a higher level. */
  emptyHeadings: string[];
}

/**
 * Measures, in the page, whether it is wider than the window and whether any word is split
 * across lines. Closed details are opened first so that what they hold is measured too.
 *
 * A word is a run of letters, digits and apostrophes; a word wraps inside itself when a Range
 * over it has boxes on more than one line. A string that cannot be broken between words (an
 * address, an email, a file name, more than 30 characters without a space) may wrap anywhere
 * when it does not fit (overflow-wrap: break-word), so its words are not counted.
 */
export async function measureWidths(page: Page): Promise<WidthProblems> {
  // tsx keeps the names of the functions below with a helper the page does not have: give it one.
  await page.evaluate('window.__name ??= (fn) => fn');
  return page.evaluate(() => {
    for (const details of document.querySelectorAll('details')) details.open = true;

    const describe = (el: Element): string =>
      el.tagName.toLowerCase() +
      (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\s+/).join('.') : '');

    const innerWidth = window.innerWidth;
    const scrollWidth = document.documentElement.scrollWidth;
    let overflow: WidthProblems['overflow'] = null;
    if (scrollWidth > innerWidth) {
      const widest = [...document.querySelectorAll('body *')]
        .map((el) => ({ el, right: el.getBoundingClientRect().right }))
        .filter((e) => e.right > innerWidth + 1)
        .sort((a, b) => b.right - a.right)
        .slice(0, 5)
        .map((e) => {
          const text = e.el.textContent.replace(/\s+/g, ' ').trim().slice(0, 40);
          return `${describe(e.el)} (${Math.round(e.right)} px): ${text}`;
        });
      overflow = { scrollWidth, innerWidth, widest };
    }

    // Text the page hides, or shows to screen readers only, is laid out in a 1 pixel box: skipped.
    const hidden = new Map<Element, boolean>();
    const isHidden = (el: Element | null): boolean => {
      if (!el || el === document.body) return false;
      const known = hidden.get(el);
      if (known !== undefined) return known;
      const style = getComputedStyle(el);
      const result =
        style.display === 'none' ||
        style.visibility === 'hidden' ||
        (style.overflow === 'hidden' && el.getBoundingClientRect().width <= 1) ||
        isHidden(el.parentElement);
      hidden.set(el, result);
      return result;
    };

    const unbreakable = /@|:\/\/|^www\./;
    const brokenWords: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.nodeValue ?? '';
      const parent = node.parentElement;
      if (!parent || !text.trim() || ['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(parent.tagName)) continue;
      if (isHidden(parent)) continue;
      for (const token of text.matchAll(/\S+/g)) {
        const string = token[0];
        if (string.length > 30 || unbreakable.test(string)) continue;
        for (const word of string.matchAll(/[\p{L}\p{N}'’]+/gu)) {
          if (word[0].length < 2) continue;
          const start = token.index + word.index;
          range.setStart(node, start);
          range.setEnd(node, start + word[0].length);
          const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
          if (tops.size > 1) {
            const context = text.replace(/\s+/g, ' ').trim().slice(0, 60);
            brokenWords.push(`${describe(parent)}: “${word[0]}” split over ${tops.size} lines (in “${context}”)`);
          }
        }
      }
    }

    // A heading is followed, before the next heading of its level or higher, by something to read
    // or use: text, a control, an image, or a heading of a deeper level (whose own content is checked).
    const emptyHeadings: string[] = [];
    const main = document.querySelector('main');
    const levelOf = (node: Node): number => (/^H([1-6])$/.exec(node.nodeName) ? Number(node.nodeName[1]) : 0);
    for (const heading of main ? main.querySelectorAll('h1, h2, h3, h4, h5, h6') : []) {
      const level = levelOf(heading);
      const after = document.createTreeWalker(main ?? document.body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
      after.currentNode = heading;
      // Past the heading's own words: from its last descendant on.
      while (after.lastChild()) {
        /* down to the heading's last descendant */
      }
      let content = false;
      for (let node = after.nextNode(); node && !content; node = after.nextNode()) {
        if (node.nodeType === Node.TEXT_NODE) {
          const parent = node.parentElement;
          content = (node.nodeValue ?? '').trim() !== '' && !['SCRIPT', 'STYLE'].includes(parent?.tagName ?? '');
          continue;
        }
        const deeper = levelOf(node);
        if (deeper > 0 && deeper <= level) break;
        content =
          deeper > 0 || ['IMG', 'SVG', 'INPUT', 'SELECT', 'TEXTAREA', 'BUTTON'].includes(node.nodeName.toUpperCase());
      }
      if (!content) emptyHeadings.push(heading.textContent.replace(/\s+/g, ' ').trim());
    }
    return { overflow, brokenWords, emptyHeadings };
  });
}
