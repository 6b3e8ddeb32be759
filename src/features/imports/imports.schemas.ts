import { z } from 'zod';
import type { FindingSection } from '../../domain/finding-sections.ts';
import { RATINGS } from '../../domain/ratings.ts';
import { ORGANISATION_KIND_NAMES, type OrganisationKind } from '../../domain/organisations.ts';
import { PLAN_FIELDS } from './drafts.ts';

/*
 * The import API's answers, as documented in docs/importing.md. Fastify checks every answer
 * against these before sending it, so the presenters in imports.presenter.ts give exactly these
 * shapes: dates as 'YYYY-MM-DD' strings (times as ISO strings), yes/no as booleans.
 */

const organisationKind = z.enum(Object.keys(ORGANISATION_KIND_NAMES) as [OrganisationKind, ...OrganisationKind[]]);

const findingSection = z.enum([
  'Early help',
  'Children in need',
  'Child protection',
  'Looked after children',
  'Leadership and management',
  'Governance',
  'Training and supervision',
] as const satisfies readonly FindingSection[]);

const planField = z.enum(PLAN_FIELDS);

/** What a CQC report would make: the review's details, what it holds and its organisations. */
export const reportPreviewSchema = z.object({
  title: z.string(),
  area: z.string().nullable(),
  counts: z.object({
    findings: z.number(),
    groups: z.number(),
    recommendations: z.number(),
    pointers: z.number(),
  }),
  organisations: z.array(
    z.object({
      name: z.string(),
      kind: organisationKind,
      role: z.enum(['provider', 'commissioner', 'addressee']),
      /** The organisation already in Clasp it is taken to be, or null when it will be added. */
      existing: z.object({ id: z.number(), name: z.string() }).nullable(),
    }),
  ),
  lead: z.string().nullable(),
  received: z.string().nullable(),
  planDue: z.string().nullable(),
  /** The review the same file made before; id and title are null for someone who may not read it. */
  alreadyImportedAs: z.object({ id: z.number().nullable(), title: z.string().nullable() }).nullable(),
  warnings: z.array(z.string()),
});

/** The counts of what a plan import would do (or did). */
export const planCountsSchema = z.object({
  recommendationsMatched: z.number(),
  recommendationsNew: z.number(),
  actionsNew: z.number(),
  actionsPresent: z.number(),
  progressNew: z.number(),
  ratings: z.number(),
  findingLinksNew: z.number(),
  recommendationsFilled: z.number(),
});

/** How a column of the plan's tables is read, counted from 0. */
const planColumnSchema = z.object({
  table: z.number(),
  column: z.number(),
  header: z.string(),
  field: planField,
  /** True when the person chose the meaning rather than the importer. */
  chosen: z.boolean(),
});

const unplacedSchema = z.object({ source: z.string(), text: z.string(), reason: z.string() });

/** What a report import made, once confirmed. */
const reportResultSchema = z.object({
  reviewId: z.number(),
  organisationsAdded: z.array(z.string()),
  counts: reportPreviewSchema.shape.counts,
});

/** The public JSON of a report as read (the same as the command line's dry run). */
const reportJsonSchema = z.object({
  review: z.object({
    area: z.string().nullable(),
    reviewStart: z.string().nullable(),
    reviewEnd: z.string().nullable(),
    published: z.string().nullable(),
    organisations: z.array(z.object({ name: z.string(), kind: organisationKind })),
  }),
  findings: z.array(
    z.object({
      number: z.string(),
      section: findingSection,
      text: z.string(),
      recommendations: z.array(z.string()),
      publicHealth: z.boolean(),
    }),
  ),
  groups: z.array(
    z.object({
      number: z.string(),
      addressees: z.array(z.string()),
      recommendations: z.array(z.object({ number: z.string(), text: z.string() })),
    }),
  ),
  warnings: z.array(z.string()),
});

/** The public JSON of a plan as read (the same as the command line's dry run). */
const planJsonSchema = z.object({
  groups: z.array(z.object({ number: z.string(), addressees: z.array(z.string()) })),
  recommendations: z.array(
    z.object({
      number: z.string(),
      text: z.string().nullable(),
      group: z.string().nullable(),
      outcomes: z.array(z.string()),
      findings: z.array(z.string()),
      anticipatedEvidence: z.string().nullable(),
      actions: z.array(
        z.object({
          text: z.string(),
          agency: z.string().nullable(),
          lead: z.string().nullable(),
          responsibleOfficer: z.string().nullable(),
          assurance: z.string().nullable(),
          measure: z.string().nullable(),
          due: z.object({ text: z.string(), date: z.string().nullable() }).nullable(),
          rating: z.enum(RATINGS).nullable(),
          progress: z.array(z.object({ date: z.string().nullable(), text: z.string() })),
        }),
      ),
    }),
  ),
  warnings: z.array(z.string()),
});

/** 201 to POST /api/reviews/import: the pending import and its preview. */
export const startedReportSchema = z.object({
  importId: z.number(),
  preview: reportPreviewSchema,
  page: z.string(),
});

/** 201 to POST /api/reviews/:reviewId/import: the pending import and what confirming it would do. */
export const startedPlanSchema = z.object({
  importId: z.number(),
  changes: planCountsSchema,
  nothingToDo: z.boolean(),
  warnings: z.array(z.string()),
  columns: z.array(planColumnSchema),
  unplaced: z.array(unplacedSchema),
  page: z.string(),
});

/** The facts every import has; `kind` comes second, after `importId`. */
const importFacts = {
  status: z.enum(['pending', 'imported', 'discarded']),
  fileName: z.string(),
  /** When the file was uploaded, and when the import was confirmed or discarded (ISO times). */
  startedAt: z.string(),
  decidedAt: z.string().nullable(),
  /** The review the plan goes into; for a report, the review it made once imported. */
  reviewId: z.number().nullable(),
};

/** 200 to GET /api/imports/:importId (and to a column correction): the same facts as the preview page. */
export const importSchema = z.discriminatedUnion('kind', [
  z.object({
    importId: z.number(),
    kind: z.literal('report'),
    ...importFacts,
    /** What the import made, once imported. */
    summary: reportResultSchema.nullable(),
    page: z.string(),
    preview: reportPreviewSchema,
    report: reportJsonSchema,
  }),
  z.object({
    importId: z.number(),
    kind: z.literal('plan'),
    ...importFacts,
    /** What the import did, once imported. */
    summary: planCountsSchema.nullable(),
    page: z.string(),
    reviewTitle: z.string(),
    changes: planCountsSchema,
    nothingToDo: z.boolean(),
    warnings: z.array(z.string()),
    columns: z.array(planColumnSchema),
    unplaced: z.array(unplacedSchema),
    plan: planJsonSchema,
  }),
]);

/** 200 to POST /api/imports/:importId/confirm: what was saved, and where. */
export const confirmedSchema = z.discriminatedUnion('kind', [
  reportResultSchema.extend({ kind: z.literal('report'), review: z.string() }),
  planCountsSchema.extend({
    warnings: z.array(z.string()),
    reviewId: z.number(),
    kind: z.literal('plan'),
    review: z.string(),
  }),
]);

/** 200 to POST /api/imports/:importId/discard. */
export const discardedSchema = z.object({ importId: z.number(), status: z.literal('discarded') });
