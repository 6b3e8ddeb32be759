import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { DatabaseHandle } from '../../src/platform/db/database.ts';
import type { DatabaseTarget } from './databases.ts';

/** A fixed "today" so exception reasons in assertions do not move with the calendar. */
export const TEST_TODAY = '2026-11-23';

export interface TestApp {
  app: FastifyInstance;
  database: DatabaseHandle;
  close(): Promise<void>;
}

export async function startTestApp(target: DatabaseTarget, options: { today?: string; staleDays?: number } = {}): Promise<TestApp> {
  const { handle, dispose } = await target.open();
  const config = loadConfig({ CLASP_STALE_DAYS: String(options.staleDays ?? 90), LOG_LEVEL: 'silent' });
  const app = await buildApp({ config, database: handle, today: () => options.today ?? TEST_TODAY, logger: false });
  await app.ready();
  return {
    app,
    database: handle,
    async close() {
      await app.close();
      await dispose();
    },
  };
}

/** The visible text of some HTML, with tags dropped and whitespace collapsed, as a reader would see it. */
export function visibleText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<style[\s\S]*?<\/style>/g, ' ')
    // Headings repeated in each cell for small screens are hidden from desktop and screen readers.
    .replace(/<span class="nhsuk-table-responsive__heading" aria-hidden="true">[^<]*<\/span>/g, '')
    // Inline elements run on with their neighbours, as on screen; block elements break the line.
    .replace(/<\/?(a|strong|span|em|b|i|code|abbr)(\s[^>]*)?>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
