// Full-page screenshots of the pages people read most, at a desktop and a phone width, for a
// person to look at:
//   npx tsx scripts/screenshots.ts /tmp/shots
// It starts the app on a fresh demo database (as the browser tests do), signs in as a
// coordinator of the demo review, and saves overview, recommendation, action and board report
// at 1280 and 390 pixels wide, printing each page's height.
import fs from 'node:fs/promises';
import path from 'node:path';
import { launchBrowser } from '../test/browser/browser.ts';
import { startDemoServer } from '../test/browser/server.ts';
import { busiestAction, busiestRecommendation } from '../test/browser/widths-pages.ts';

const WIDTHS = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

async function main(): Promise<void> {
  const folder = process.argv[2];
  if (!folder) {
    console.error('Say where to save the screenshots: npx tsx scripts/screenshots.ts /tmp/shots');
    process.exitCode = 2;
    return;
  }
  await fs.mkdir(folder, { recursive: true });
  const server = await startDemoServer();
  const browser = await launchBrowser();
  try {
    const db = server.database.db;
    const review = `/reviews/${server.reviewId}`;
    const pages = [
      { name: 'overview', path: review },
      {
        name: 'recommendation',
        path: `${review}/recommendations/${encodeURIComponent(await busiestRecommendation(db, server.reviewId))}`,
      },
      { name: 'action', path: `${review}/actions/${await busiestAction(db, server.reviewId)}` },
      { name: 'board-report', path: `${review}/documents/board-report/html` },
    ];
    for (const size of WIDTHS) {
      const context = await server.signedInContext(browser, {
        role: 'coordinator',
        viewport: { width: size.width, height: size.height },
      });
      const tab = await context.newPage();
      for (const page of pages) {
        await tab.goto(`${server.baseUrl}${page.path}`, { waitUntil: 'load' });
        const file = path.join(folder, `${page.name}-${size.width}.png`);
        await tab.screenshot({ path: file, fullPage: true });
        const height = await tab.evaluate(() => document.documentElement.scrollHeight);
        console.log(`${file}: ${page.path} at ${size.width} px, ${height} px tall`);
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(`screenshots: ${(error as Error).message}`);
  process.exitCode = 1;
});
