import { parseArgs } from 'node:util';
import { buildApp } from './app.ts';
import { CommandError } from './cli-accounts.ts';
import { loadConfig } from './config.ts';
import { openDatabase } from './platform/db/database.ts';
import type { RouteSummary } from './platform/route-access.ts';

export const ROUTES_HELP = `  routes [--json] [--markdown]
                     List every route: method, path, who may use it and the
                     file that registers its handler. --markdown prints the
                     route map table of docs/ARCHITECTURE.md.
`;

type Out = (line: string) => void;

/**
 * Every route of the app, sorted by path then method. The app is built as the server builds
 * it but never listens, on a throwaway SQLite database in memory: nothing is read from the
 * environment or written to disk.
 */
export async function listRoutes(): Promise<RouteSummary[]> {
  const database = await openDatabase({ url: null, sqliteFile: ':memory:' });
  try {
    const config = loadConfig({ LOG_LEVEL: 'silent', CLASP_DATA_DIR: '/nonexistent/clasp-routes' });
    const app = await buildApp({ config, database, logger: false });
    try {
      await app.ready();
      return [...app.routeList].sort((a, b) => compare(a.url, b.url) || compare(a.method, b.method));
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The route map of docs/ARCHITECTURE.md: one row per route, files under src/. */
export function routeMapMarkdown(routes: readonly RouteSummary[]): string {
  const code = (text: string) => `\`${text.replace(/\|/g, '\\|')}\``;
  return [
    '| method | path | who may use it | file in src/ |',
    '|---|---|---|---|',
    ...routes.map((r) => `| ${r.method} | ${code(r.url)} | ${r.access} | ${code(r.file.replace(/^src\//, ''))} |`),
  ].join('\n');
}

/** One line per route, in columns: method, path, who may use it, file. */
function routeLines(routes: readonly RouteSummary[]): string[] {
  const width = (pick: (r: RouteSummary) => string) => Math.max(0, ...routes.map((r) => pick(r).length));
  const method = width((r) => r.method);
  const url = width((r) => r.url);
  const access = width((r) => r.access);
  return routes.map((r) => `${r.method.padEnd(method)}  ${r.url.padEnd(url)}  ${r.access.padEnd(access)}  ${r.file}`);
}

export async function routesCommand(args: string[], out: Out): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { json: { type: 'boolean', default: false }, markdown: { type: 'boolean', default: false } },
    strict: true,
  });
  if (values.json && values.markdown) throw new CommandError('Give --json or --markdown, not both.');
  const routes = await listRoutes();
  const json = () => routes.map((r) => ({ method: r.method, path: r.url, access: r.access, file: r.file }));
  if (values.json) out(JSON.stringify(json(), null, 2));
  else if (values.markdown) out(routeMapMarkdown(routes));
  else for (const line of routeLines(routes)) out(line);
  return 0;
}
