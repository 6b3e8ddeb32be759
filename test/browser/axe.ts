import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The CSP hash of axe's source, as Chromium quotes it when the page's policy refuses the inline tag. */
export const AXE_SOURCE_HASH = `sha256-${createHash('sha256').update(axeSource).digest('base64')}`;

/** The standards every page is held to. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

interface AxeNode {
  target: unknown[];
  failureSummary?: string;
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: AxeNode[];
}

/** Contexts opened with JavaScript turned off: axe cannot run inside their pages. */
const scriptlessContexts = new WeakSet<BrowserContext>();

export function markScriptless(context: BrowserContext): void {
  scriptlessContexts.add(context);
}

/**
 * Puts axe-core into the page. The app's Content Security Policy allows only its own scripts
 * and its two inline scripts by their hashes, so another inline <script> tag is refused;
 * Playwright's evaluate is not subject to the page's CSP, so the same source is evaluated
 * directly when the tag is refused.
 */
async function injectAxe(page: Page): Promise<void> {
  if (await page.evaluate(() => typeof (window as { axe?: unknown }).axe !== 'undefined')) return;
  try {
    await page.addScriptTag({ content: axeSource });
  } catch {
    // Refused by the page's script-src: fall through to evaluate.
  }
  if (await page.evaluate(() => typeof (window as { axe?: unknown }).axe === 'undefined')) {
    await page.evaluate(axeSource);
  }
}

async function runAxe(page: Page): Promise<AxeViolation[]> {
  await injectAxe(page);
  return page.evaluate(async (tags) => {
    const axe = (
      window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    const results = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  }, AXE_TAGS);
}

/**
 * Chromium closes a page that runs a large script while JavaScript is turned off, so a
 * scriptless page is checked through a twin: the same address opened in a context where
 * JavaScript works for axe but the page's own scripts are refused by a `script-src 'none'`
 * policy, which leaves the DOM exactly as a browser without JavaScript builds it.
 */
async function runAxeOnScriptlessTwin(page: Page): Promise<AxeViolation[]> {
  const browser = page.context().browser() as Browser;
  const viewport = page.viewportSize();
  const twin = await browser.newContext(viewport ? { viewport } : {});
  try {
    // Signed in as the page is.
    await twin.addCookies(await page.context().cookies());
    await twin.route('**/*', async (route) => {
      if (route.request().resourceType() !== 'document') return route.continue();
      const response = await route.fetch();
      const headers = { ...response.headers(), 'content-security-policy': "script-src 'none'" };
      return route.fulfill({ response, headers });
    });
    const twinPage = await twin.newPage();
    await twinPage.goto(page.url());
    return await runAxe(twinPage);
  } finally {
    await twin.close();
  }
}

function describeViolations(url: string, violations: AxeViolation[]): string {
  const lines = violations.map((v) => {
    const targets = v.nodes
      .slice(0, 3)
      .map((n) => n.target.map(String).join(' '))
      .join(' | ');
    const more = v.nodes.length > 3 ? ` (and ${v.nodes.length - 3} more)` : '';
    return `  - ${v.id} [${v.impact ?? 'no impact'}]: ${v.help}\n      ${targets}${more}\n      ${v.helpUrl}`;
  });
  return `axe found ${violations.length} accessibility violation(s) on ${url}:\n${lines.join('\n')}`;
}

/** Runs axe-core over the whole page and fails with each violation's rule, impact, help and first elements. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  const violations = scriptlessContexts.has(page.context()) ? await runAxeOnScriptlessTwin(page) : await runAxe(page);
  assert.equal(violations.length, 0, describeViolations(page.url(), violations));
}
