import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { AXE_SOURCE_HASH, expectNoAxeViolations } from '../axe.ts';

/**
 * Problems a person would not see but that break the page: script errors, resources of the
 * app's own origin that fail to load, and anything the Content Security Policy refuses.
 * Axe's own injection is refused by the CSP by design (see axe.ts) and is not counted.
 */
export class PageProblems {
  readonly problems: string[] = [];

  constructor(
    readonly page: Page,
    readonly origin: string,
  ) {
    page.on('pageerror', (error) => this.problems.push(`script error: ${error.message}`));
    page.on('console', (message) => {
      const text = message.text();
      if (/Content Security Policy/i.test(text) && !text.includes(AXE_SOURCE_HASH)) this.problems.push(`CSP: ${text}`);
    });
    page.on('requestfailed', (request) => {
      const error = request.failure()?.errorText ?? '';
      // ERR_ABORTED is the browser giving up a request because its page was left (the favicon of a
      // page a form redirect replaced): not a failure of the app, and it comes and goes with timing.
      // A request the app fails is still caught: by another error here, or by its status below.
      if (request.url().startsWith(origin) && error !== 'net::ERR_ABORTED') {
        this.problems.push(`failed to load ${request.url()}: ${error}`);
      }
    });
    page.on('response', (response) => {
      const request = response.request();
      if (response.url().startsWith(origin) && request.resourceType() !== 'document' && response.status() >= 400) {
        this.problems.push(`${response.status()} for ${response.url()}`);
      }
    });
  }

  /** Returns and forgets what has been seen so far. */
  take(): string[] {
    return this.problems.splice(0);
  }
}

const problemMonitors = new WeakMap<Page, PageProblems>();

/** Starts watching a new page for script errors, CSP refusals and missing resources. */
export function watch(page: Page, origin: string): Page {
  if (!problemMonitors.has(page)) problemMonitors.set(page, new PageProblems(page, origin));
  return page;
}

/** What the watch on a page has seen since last asked: script errors, CSP refusals, failed loads. */
export function takeProblems(page: Page): string[] {
  return problemMonitors.get(page)?.take() ?? [];
}

/** A page checked on arrival: one heading, no script, CSP or loading problems, no axe violations. */
export async function expectCleanPage(page: Page, what: string): Promise<void> {
  assert.equal(await page.locator('h1').count(), 1, `${what} has one heading`);
  await expectNoAxeViolations(page);
  assert.deepEqual(takeProblems(page), [], `${what}: no script, CSP or loading problems`);
}
