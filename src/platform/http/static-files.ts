import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { declareRouteAccess } from '../route-access.ts';
import { nhsukDist, publicDir } from '../views.ts';

/** Only the design system's files that pages use are served from its package. */
const nhsukAllowed = /^\/(images\/[\w.-]+|manifest\.json|nhsuk-frontend\.min\.(css|js)(\.map)?)$/;

/** The NHS.UK frontend's styles, script and images under /assets/, Clasp's own under /static/. */
export async function registerStaticFiles(app: FastifyInstance): Promise<void> {
  // The plugin registers its routes itself, so who may fetch them is declared here: anyone.
  declareRouteAccess(app, '/assets/', 'public');
  declareRouteAccess(app, '/static/', 'public');
  await app.register(fastifyStatic, {
    root: [path.join(nhsukDist, 'nhsuk', 'assets'), path.join(nhsukDist, 'nhsuk')],
    prefix: '/assets/',
    allowedPath: (pathName) => nhsukAllowed.test(pathName),
    maxAge: '1d',
    index: false,
    list: false,
  });
  await app.register(fastifyStatic, {
    root: publicDir,
    prefix: '/static/',
    decorateReply: false,
    maxAge: '1h',
    index: false,
    list: false,
  });
}
