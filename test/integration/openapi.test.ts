import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Validator } from '@seriousme/openapi-schema-validator';
import { listRoutes } from '../../src/cli-routes.ts';
import type { RouteSummary } from '../../src/platform/route-access.ts';
import { startTestApp, visibleText, type TestApp } from '../helpers/app.ts';
import { databaseTargets } from '../helpers/databases.ts';

/*
 * The JSON API's OpenAPI 3.1 description is generated from the routes' own schemas: it must be a
 * valid description, name every /api route, and describe what each takes and answers; its
 * reference page must list the operations. The description does not depend on the database, so
 * one database is enough.
 */

interface Operation {
  summary?: string;
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  parameters?: { in: string; name: string }[];
}

interface Description {
  openapi: string;
  info: { title: string; version: string };
  servers?: { url: string }[];
  components?: { securitySchemes?: Record<string, unknown> };
  paths: Record<string, Record<string, Operation>>;
}

/** A route's path as OpenAPI writes it: /api/reviews/{reviewId}. */
function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function hasSchema(part: { content?: Record<string, { schema?: unknown }> } | undefined): boolean {
  return Object.values(part?.content ?? {}).some((media) => media.schema !== undefined);
}

const target = databaseTargets[0];
assert.ok(target, 'a database to test on');

describe('the JSON API’s OpenAPI description', () => {
  let t: TestApp;
  let description: Description;
  /** The description as sent, for the validator. */
  let sent: Record<string, unknown>;
  let api: RouteSummary[];

  before(async () => {
    t = await startTestApp(target);
    const res = await t.anonymous.getJson('/api/openapi.json');
    assert.equal(res.statusCode, 200, 'anyone may read the description');
    description = res.json<Description>();
    sent = res.json<Record<string, unknown>>();
    api = (await listRoutes()).filter((r) => r.url.startsWith('/api/'));
  });
  after(() => t.close());

  it('is a valid OpenAPI 3.1 description', async () => {
    assert.match(description.openapi, /^3\.1\.\d+$/);
    const result = await new Validator().validate(sent);
    assert.deepEqual(result.errors ?? [], [], 'what the validator found wrong');
    assert.equal(result.valid, true);
  });

  it('names the API, its version, a relative server and how to sign in', () => {
    assert.equal(description.info.title, 'Clasp API');
    assert.match(description.info.version, /^\d+\.\d+\.\d+/);
    assert.deepEqual(description.servers, [{ url: '/' }]);
    assert.deepEqual(Object.keys(description.components?.securitySchemes ?? {}).sort(), [
      'bearerToken',
      'sessionCookie',
    ]);
  });

  it('describes every /api route, and nothing else', () => {
    assert.ok(api.length >= 20, `only ${api.length} API routes were found`);
    const missing = api
      .filter((r) => description.paths[openApiPath(r.url)]?.[r.method.toLowerCase()] === undefined)
      .map((r) => `${r.method} ${r.url} (${r.file})`);
    assert.deepEqual(missing, [], 'routes missing from the description');
    const outside = Object.keys(description.paths).filter((p) => !p.startsWith('/api/'));
    assert.deepEqual(outside, [], 'paths that are not the JSON API');
  });

  it('describes each success answer of every /api route with a schema', () => {
    const missing: string[] = [];
    for (const r of api) {
      const operation = description.paths[openApiPath(r.url)]?.[r.method.toLowerCase()];
      const successes = r.responses.filter((status) => /^2\d\d$/.test(status));
      if (successes.length === 0) missing.push(`${r.method} ${r.url}: no success answer`);
      for (const status of successes) {
        // 204 No Content has no body to describe, but must still be listed.
        const described =
          status === '204' ? operation?.responses?.[status] !== undefined : hasSchema(operation?.responses?.[status]);
        if (!described) missing.push(`${r.method} ${r.url}: ${status}`);
      }
    }
    assert.deepEqual(missing, [], 'success answers without a schema');
  });

  it('describes the body of every /api route that takes one', () => {
    const undescribed = api
      .filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method))
      .filter((r) => !hasSchema(description.paths[openApiPath(r.url)]?.[r.method.toLowerCase()]?.requestBody))
      .map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(undescribed, [], 'routes that take a body without describing it');
  });

  it('sums up what every operation does', () => {
    const missing: string[] = [];
    for (const [path, item] of Object.entries(description.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (!operation.summary?.trim()) missing.push(`${method.toUpperCase()} ${path}`);
      }
    }
    assert.deepEqual(missing, [], 'operations without a summary: add one to the route’s schema');
  });

  it('gives every parameter in a path', () => {
    const missing: string[] = [];
    for (const [path, item] of Object.entries(description.paths)) {
      const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const [method, operation] of Object.entries(item)) {
        const given = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
        for (const name of names) if (!given.includes(name ?? '')) missing.push(`${method} ${path}: ${name}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('has a reference page that lists the operations', async () => {
    const admin = await t.admin();
    const res = await admin.get('/api');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    const text = visibleText(res.body);
    assert.match(text, /Clasp API reference/);
    assert.match(text, /GET \/api\/reviews\/\{reviewId\}\/findings\/\{number\}/);
    assert.match(text, /PUT \/api\/reviews\/\{reviewId\}/);
    assert.match(text, /Who may use it: the coordinator\./);
    assert.doesNotMatch(res.body, /<(script|link|img)[^>]+(src|href)="(https?:)?\/\//, 'nothing loaded from elsewhere');
    const anonymous = await t.anonymous.get('/api');
    assert.equal(anonymous.statusCode, 200, 'anyone may read the reference page');
  });

  it("explains each kind of problem where a refusal's type links to", async () => {
    const page = await t.anonymous.get('/api');
    const refused = await t.anonymous.getJson('/api/reviews/1/actions/1');
    assert.equal(refused.statusCode, 401);
    assert.match(String(refused.headers['content-type']), /^application\/problem\+json/);
    const { type } = refused.json<{ type: string }>();
    const anchor = type.split('#')[1] ?? '';
    assert.match(type, /^\/api#problem-/);
    assert.match(page.body, new RegExp(`id="${anchor}"`), `the page explains ${type}`);
    assert.match(visibleText(page.body), /sign-in-needed \(401\) Sign in or send an API token/);
  });
});
