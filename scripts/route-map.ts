// Rewrites the route map in docs/ARCHITECTURE.md from `clasp routes --markdown`:
//   npm run routes:doc        (or: npx tsx scripts/route-map.ts)
// Everything between the two marker comments is replaced; the rest of the file is kept.
// test/integration/routes.test.ts fails while the map differs from the routes.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listRoutes, routeMapMarkdown } from '../src/cli-routes.ts';

export const ROUTE_MAP_START = '<!-- routes:start -->';
export const ROUTE_MAP_END = '<!-- routes:end -->';
export const ARCHITECTURE_DOC = fileURLToPath(new URL('../docs/ARCHITECTURE.md', import.meta.url));

/** What stands between the markers (without the blank lines around it), or null when they are missing. */
export function routeMapIn(doc: string): string | null {
  const start = doc.indexOf(ROUTE_MAP_START);
  const end = doc.indexOf(ROUTE_MAP_END);
  if (start < 0 || end < start) return null;
  return doc.slice(start + ROUTE_MAP_START.length, end).trim();
}

/** The document with `table` between the markers. */
export function withRouteMap(doc: string, table: string): string {
  const start = doc.indexOf(ROUTE_MAP_START);
  const end = doc.indexOf(ROUTE_MAP_END);
  if (start < 0 || end < start) {
    throw new Error(`${ARCHITECTURE_DOC} has no ${ROUTE_MAP_START} … ${ROUTE_MAP_END} section to rewrite.`);
  }
  return `${doc.slice(0, start + ROUTE_MAP_START.length)}\n\n${table}\n\n${doc.slice(end)}`;
}

async function main(): Promise<void> {
  const before = fs.readFileSync(ARCHITECTURE_DOC, 'utf8');
  const after = withRouteMap(before, routeMapMarkdown(await listRoutes()));
  if (after === before) {
    console.log(`The route map in ${path.relative(process.cwd(), ARCHITECTURE_DOC)} is up to date.`);
    return;
  }
  fs.writeFileSync(ARCHITECTURE_DOC, after);
  console.log(`Rewrote the route map in ${path.relative(process.cwd(), ARCHITECTURE_DOC)}.`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`route-map: ${(error as Error).message}`);
    process.exitCode = 1;
  });
}
