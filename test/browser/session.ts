import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import type { MemberRole } from '../../src/platform/db/schema.ts';
import { markScriptless } from './axe.ts';
import { launchBrowser } from './browser.ts';
import { watch } from './pages.ts';
import { startDemoServer, type DemoServer } from './server.ts';

/*
 * The set-up most browser tests share: the real app on a fresh demo database, one Chromium,
 * and a browser context signed in as a demo account, with watched tabs and one `close`.
 */

/** Who a browser context is signed in as: a new member of the demo review with this role, or an administrator. */
export type Person = MemberRole | 'administrator';

export interface ContextOptions extends BrowserContextOptions {
  /** Signed in as this person; nobody is signed in when left out. */
  as?: Person;
}

export interface BrowserSession {
  server: DemoServer;
  browser: Browser;
  /** Where the app listens, without a trailing slash. */
  baseUrl: string;
  /** The id of the Rotherham 2015 demo review. */
  reviewId: number;
  /** The context signed in as the person the session was started as (nobody, if none was named). */
  context: BrowserContext;
  /**
   * Another context, 1280 by 900 unless told, closed with the session: signed in as `as`, or
   * nobody. A context with JavaScript turned off is marked so that axe checks its pages' twins.
   */
  newContext(options?: ContextOptions): Promise<BrowserContext>;
  /** A new tab, in the session's context unless told, watched for script errors, CSP refusals and failed loads. */
  newPage(context?: BrowserContext): Promise<Page>;
  /** A fresh watched tab for one use, closed afterwards. */
  withPage<T>(use: (page: Page) => Promise<T>, context?: BrowserContext): Promise<T>;
  close(): Promise<void>;
}

const WINDOW = { width: 1280, height: 900 };

const CLOSE_LIMIT_MS = 30_000;

/**
 * Waits for Chromium to finish closing something, failing with a plain message after 30 seconds:
 * a close has no time limit of its own, and one that never ends would hold the whole file until
 * the runner's limit (closing a tab while its form is still being sent has done so).
 */
async function within(closing: Promise<void>, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Chromium did not ${what} within ${CLOSE_LIMIT_MS / 1000} seconds`)),
      CLOSE_LIMIT_MS,
    );
  });
  try {
    await Promise.race([closing, limit]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Starts the app on a fresh demo database and launches Chromium, side by side, then opens a
 * context signed in as `as` (nobody when left out) in a 1280 by 900 window unless told. `env`
 * gives the app settings as environment variables would.
 */
export async function startBrowserSession(
  options: ContextOptions & { env?: Record<string, string> } = {},
): Promise<BrowserSession> {
  const { env, ...contextOptions } = options;
  const [started, launched] = await Promise.allSettled([startDemoServer(env), launchBrowser()]);
  if (started.status === 'rejected' || launched.status === 'rejected') {
    if (started.status === 'fulfilled') await started.value.close();
    if (launched.status === 'fulfilled') await launched.value.close();
    throw started.status === 'rejected' ? started.reason : (launched as PromiseRejectedResult).reason;
  }
  const server = started.value;
  const browser = launched.value;
  const contexts: BrowserContext[] = [];

  async function newContext({ as, ...contextOptions }: ContextOptions = {}): Promise<BrowserContext> {
    const settings = { viewport: WINDOW, ...contextOptions };
    const context = as
      ? await server.signedInContext(browser, { ...settings, role: as })
      : await browser.newContext(settings);
    if (settings.javaScriptEnabled === false) markScriptless(context);
    contexts.push(context);
    return context;
  }

  async function newPage(context: BrowserContext = session.context): Promise<Page> {
    return watch(await context.newPage(), server.baseUrl);
  }

  let session: BrowserSession;
  try {
    session = {
      server,
      browser,
      baseUrl: server.baseUrl,
      reviewId: server.reviewId,
      context: await newContext(contextOptions),
      newContext,
      newPage,
      async withPage(use, context) {
        const page = await newPage(context);
        try {
          return await use(page);
        } finally {
          await within(page.close(), 'close a tab');
        }
      },
      async close() {
        try {
          for (const context of contexts) await within(context.close(), 'close a window');
          await within(browser.close(), 'close');
        } finally {
          await server.close();
        }
      },
    };
  } catch (error) {
    await browser.close();
    await server.close();
    throw error;
  }
  return session;
}
