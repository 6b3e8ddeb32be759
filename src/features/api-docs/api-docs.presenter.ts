import { PROBLEM_TYPES, problemKindOf, problemType, type ProblemKind } from '../../platform/http/problem-schema.ts';
/*
 * The reference page of the JSON API, read from the OpenAPI description the routes' own schemas
 * generate (src/platform/http/openapi.ts): each operation's method, path, summary, parameters,
 * request body fields and answers, grouped as the description tags them.
 */

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export interface ApiField {
  name: string;
  /** Where a parameter goes: path or query; null for a body field. */
  where: string | null;
  type: string;
  required: boolean;
  description: string | null;
}

export interface ApiAnswer {
  code: string;
  description: string | null;
}

export interface ApiOperation {
  /** An id for the page's anchors: get-api-reviews-reviewid. */
  id: string;
  method: string;
  path: string;
  summary: string | null;
  description: string | null;
  /** Who may use it, in words: "members of the review and administrators". */
  who: string | null;
  parameters: ApiField[];
  body: ApiField[];
  answers: ApiAnswer[];
}

export interface ApiGroup {
  tag: string;
  id: string;
  operations: ApiOperation[];
}

/** A JSON Schema in a few words: "string", "integer or null", "one of: up, down", "array of string". */
export function describeType(schema: unknown): string {
  if (!isObject(schema)) return 'any';
  if (Array.isArray(schema.enum)) return `one of: ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  if ('const' in schema) return JSON.stringify(schema.const);
  const options = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(options)) return [...new Set(options.map(describeType))].join(' or ');
  const types = [schema.type].flat().filter((t): t is string => typeof t === 'string');
  if (types.length === 0) return 'any';
  return types
    .map((type) => {
      if (type === 'array') return `array of ${describeType(schema.items)}`;
      const format = text(schema.format);
      return format ? `${type} (${format})` : type;
    })
    .join(' or ');
}

function parametersOf(operation: Json): ApiField[] {
  const parameters = Array.isArray(operation.parameters) ? operation.parameters : [];
  return parameters.filter(isObject).map((p) => ({
    name: text(p.name) ?? '',
    where: text(p.in),
    type: describeType(p.schema),
    required: p.required === true,
    description: text(p.description) ?? (isObject(p.schema) ? text(p.schema.description) : null),
  }));
}

function bodyOf(operation: Json): ApiField[] {
  const content = isObject(operation.requestBody) ? operation.requestBody.content : undefined;
  if (!isObject(content)) return [];
  const media = Object.values(content).find(isObject);
  const schema = media?.schema;
  if (!isObject(schema) || !isObject(schema.properties)) return [];
  const required = Array.isArray(schema.required) ? schema.required : [];
  return Object.entries(schema.properties).map(([name, field]) => ({
    name,
    where: null,
    type: describeType(field),
    required: required.includes(name),
    description: isObject(field) ? text(field.description) : null,
  }));
}

function answersOf(operation: Json): ApiAnswer[] {
  const responses = isObject(operation.responses) ? operation.responses : {};
  return Object.entries(responses).map(([code, answer]) => ({
    code,
    description: isObject(answer) ? text(answer.description) : null,
  }));
}

function anchor(...parts: string[]): string {
  return parts
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** The page's groups of operations, in the order of their tags' names, each in the order of its paths. */
export function presentApiReference(description: unknown) {
  const doc = isObject(description) ? description : {};
  const info = isObject(doc.info) ? doc.info : {};
  const paths = isObject(doc.paths) ? doc.paths : {};
  const groups = new Map<string, ApiOperation[]>();
  for (const [path, item] of Object.entries(paths).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const tags = Array.isArray(operation.tags)
        ? operation.tags.filter((t): t is string => typeof t === 'string')
        : [];
      const tag = tags[0] ?? 'Other';
      const list = groups.get(tag) ?? [];
      list.push({
        id: anchor(method, path),
        method: method.toUpperCase(),
        path,
        summary: text(operation.summary),
        description: text(operation.description),
        who: isObject(operation['x-clasp-access']) ? text(operation['x-clasp-access'].who) : null,
        parameters: parametersOf(operation),
        body: bodyOf(operation),
        answers: answersOf(operation),
      });
      groups.set(tag, list);
    }
  }
  const sorted = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    pageTitle: 'Clasp API reference',
    title: text(info.title) ?? 'Clasp API',
    version: text(info.version),
    openapi: text(doc.openapi),
    groups: sorted.map(([tag, operations]): ApiGroup => ({ tag, id: anchor('group', tag), operations })),
    operationCount: sorted.reduce((n, [, operations]) => n + operations.length, 0),
    problems: problemKinds(),
  };
}

/** The status each kind of problem is answered with, where it is not the status's own kind. */
const OWN_STATUS: Partial<Record<ProblemKind, number>> = { 'invalid-fields': 400, 'stale-edit': 409 };

/** The kinds of problem a refusal names in its `type`, each with its anchor (`/api#problem-…`) and status. */
function problemKinds(): { id: string; kind: ProblemKind; title: string; status: number }[] {
  const statusOf = (kind: ProblemKind): number => {
    const own = OWN_STATUS[kind];
    if (own) return own;
    for (const status of [400, 401, 403, 404, 409, 412, 413, 415, 429, 500]) {
      if (problemKindOf(status) === kind) return status;
    }
    return 400;
  };
  return (Object.keys(PROBLEM_TYPES) as ProblemKind[]).map((kind) => ({
    id: problemType(kind).split('#')[1] ?? kind,
    kind,
    title: PROBLEM_TYPES[kind],
    status: statusOf(kind),
  }));
}
