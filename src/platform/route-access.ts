import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, RouteOptions } from 'fastify';

/*
 * Who may use each route, declared where the route is registered: `config: { access: 'read' }`.
 * The services still decide every request themselves (src/domain/permissions.ts); the
 * declaration says which of their rules applies, so `clasp routes` can list it and
 * test/integration/permissions.test.ts can hold each route to it. A route registered without
 * one stops the app from starting.
 */

/**
 * Who may use a route; in a review, everyone else gets 403, people outside it 404, and anonymous
 * people are sent to sign in.
 */
export type RouteAccess =
  | 'public'
  | 'signed in'
  | 'read'
  | 'edit the trust action'
  | 'add actions'
  | 'ask questions'
  | 'answer the question'
  | 'assure'
  | 'coordinate'
  | 'audit'
  | 'members'
  | 'administer'
  | 'create reviews'
  | 'the person who started the import';

/** What each rule means, in one line. */
export const ROUTE_ACCESS: Readonly<Record<RouteAccess, string>> = {
  public: 'anyone, signed in or not',
  'signed in': 'anyone signed in',
  read: 'members of the review and administrators',
  'edit the trust action': "the coordinator, and editors for one of the action's organisations",
  'add actions': 'the coordinator and any editor in the review',
  'ask questions': 'members of the review, whatever their role (not administrators without one)',
  'answer the question': 'the coordinator, and editors of the organisation that answers the question',
  assure: 'reviewers and the coordinator',
  coordinate: 'the coordinator',
  audit: 'the coordinator and administrators',
  members: 'the coordinator and administrators',
  administer: 'administrators only (not a page of a review: no 404 for people outside one)',
  'create reviews': 'administrators and coordinators of any review',
  'the person who started the import': 'only the person who started the pending import; anyone else gets 404',
};

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may use the route (see ROUTE_ACCESS in src/platform/route-access.ts); every route declares one. */
    access?: RouteAccess;
  }
}

/** One route as registered: `clasp routes` lists them and the permission tests walk them all. */
export interface RouteSummary {
  method: string;
  url: string;
  access: RouteAccess;
  /** The file that registered the route, from the repository's root: src/features/actions/actions.routes.ts. */
  file: string;
  /** The status codes whose answer the route describes with a schema (a JSON route describes each success). */
  responses: string[];
}

export class RouteAccessMissing extends Error {}

const thisFile = fileURLToPath(import.meta.url);
/** The repository: this file is src/platform/route-access.ts, or dist/platform/route-access.js in the build. */
const root = path.resolve(path.dirname(thisFile), '..', '..');

/**
 * A file of a stack frame as the repository names it (dist/x.js is reported as src/x.ts), or null
 * outside src/ and dist/.
 */
function sourceFileOf(frame: string): string | null {
  const match = /\(?((?:file:\/\/)?\/[^()]*?):\d+:\d+\)?$/.exec(frame.trim());
  if (!match?.[1]) return null;
  const file = match[1].startsWith('file://') ? fileURLToPath(match[1]) : match[1];
  if (file === thisFile) return null;
  const relative = path.relative(root, file).split(path.sep).join('/');
  const built = /^dist\/(.*)\.js$/.exec(relative);
  if (built) return `src/${built[1]}.ts`;
  return relative.startsWith('src/') ? relative : null;
}

/**
 * The file of the code that called into Fastify: the first frame under src/features or
 * src/platform (else anywhere in src/) other than this module. Null when no frame is in
 * src/, as for routes a dependency registers in a plugin of its own.
 */
function callingFile(): string | null {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 50;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  const files = stack
    .split('\n')
    .slice(1)
    .map(sourceFileOf)
    .filter((f): f is string => f !== null);
  return files.find((f) => /^src\/(features|platform)\//.test(f)) ?? files[0] ?? null;
}

interface Declared {
  url: string;
  access: RouteAccess;
  file: string | null;
}

const declaredByInstance = new WeakMap<object, Declared[]>();

/**
 * Declares the access of routes whose options Clasp does not write, where they are
 * registered: those of a dependency's plugin (the static files) or of a module that does not
 * declare them itself. A url ending in / covers every route under it; otherwise the one url.
 * A route's own `config.access` always wins.
 */
export function declareRouteAccess(app: FastifyInstance, url: string, access: RouteAccess): void {
  const declared = declaredByInstance.get(app) ?? [];
  declared.push({ url, access, file: callingFile() });
  declaredByInstance.set(app, declared);
}

function covers(declared: Declared, url: string): boolean {
  return declared.url.endsWith('/') ? url.startsWith(declared.url) : url === declared.url;
}

/** What is declared for a url on the instance registering the route or any it is inside. */
function declaredFor(instance: object, url: string): Declared | undefined {
  for (let scope: object | null = instance; scope; scope = Object.getPrototypeOf(scope) as object | null) {
    const found = declaredByInstance.get(scope)?.find((d) => covers(d, url));
    if (found) return found;
  }
  return undefined;
}

/**
 * The onRoute hook of the composition root: refuses a route that does not say who may use it,
 * naming it, and records each one in `routes`, without the HEAD routes Fastify adds for GET.
 * Add it before anything registers a route.
 */
export function recordRoutes(routes: RouteSummary[]) {
  return function onRoute(this: FastifyInstance, route: RouteOptions): void {
    const methods = [route.method].flat();
    const declared = route.config?.access === undefined ? declaredFor(this, route.url) : undefined;
    const access = route.config?.access ?? declared?.access;
    if (access === undefined || !Object.hasOwn(ROUTE_ACCESS, access)) {
      const rules = Object.keys(ROUTE_ACCESS).map((rule) => `'${rule}'`);
      const problem = access === undefined ? 'does not say who may use it' : `gives an unknown access '${access}'`;
      throw new RouteAccessMissing(
        `The route ${methods.join(',')} ${route.url} ${problem}: give it config: { access } ` +
          `with one of ${rules.join(', ')} (src/platform/route-access.ts).`,
      );
    }
    // Kept on the route, so the request hooks read the same answer (request.routeOptions.config.access).
    route.config = { ...route.config, access };
    const file = callingFile() ?? declared?.file ?? 'unknown';
    const response: unknown = route.schema?.response;
    const responses = response && typeof response === 'object' ? Object.keys(response) : [];
    const hasGet = methods.includes('GET') || routes.some((r) => r.method === 'GET' && r.url === route.url);
    for (const method of methods) {
      if (method !== 'HEAD' || !hasGet) routes.push({ method, url: route.url, access, file, responses });
    }
  };
}
