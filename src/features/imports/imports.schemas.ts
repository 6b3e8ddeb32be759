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
  /** The first values under the heading (at most three, shortened). */
  samples: z.array(z.string()).optional(),
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
          agreement: z
            .object({
              status: z.enum(['agreed', 'proposed']),
              by: z.string().nullable(),
              on: z.string().nullable(),
              disputed: z.boolean(),
            })
            .nullable(),
          takingPart: z.array(z.string()).nullable(),
          evidence: z.array(
            z.object({
              kind: z.enum(['link', 'note']),
              title: z.string(),
              effectiveOn: z.string(),
              periodStart: z.string().nullable(),
              url: z.string().nullable(),
              note: z.string().nullable(),
              status: z.enum(['submitted', 'accepted', 'rejected']),
              reason: z.string().nullable(),
              decidedBy: z.string().nullable(),
              decidedOn: z.string().nullable(),
              addedBy: z.string().nullable(),
            }),
          ),
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

/** What to check before confirming a plan: whether it fits the review, and what differs from it. */
const planChecksSchema = {
  /** mismatch: confirming needs "acceptMismatch": true; reasons say what differs. */
  fit: z.object({ mismatch: z.boolean(), reasons: z.array(z.string()) }),
  /** Recommendations the file words otherwise than the review (the review's wording is kept). */
  differences: z.array(z.object({ number: z.string(), review: z.string(), file: z.string() })),
  /** Outcomes the file gives for recommendations that have one: not used. */
  outcomesKept: z.array(z.object({ number: z.string(), review: z.string(), file: z.string() })),
  /** Each agency cell of the new actions and the organisations it was taken to stand for. */
  agencies: z.array(
    z.object({
      agency: z.string(),
      organisationIds: z.array(z.number()),
      how: z.enum(['matched', 'chosen', 'none']),
      actions: z.number(),
    }),
  ),
  actionsWithoutOrganisation: z.number(),
  /** What an agency can be said to stand for: organisations taking part first, then the rest of Clasp's. */
  organisations: z.array(z.object({ id: z.number(), name: z.string(), takingPart: z.boolean() })),
  /** An earlier import of this very file into the review. */
  sameFile: z.object({ on: z.string(), by: z.string() }).nullable(),
};

/** 201 to POST /api/reviews/:reviewId/import: the pending import and what confirming it would do. */
export const startedPlanSchema = z.object({
  importId: z.number(),
  changes: planCountsSchema,
  nothingToDo: z.boolean(),
  warnings: z.array(z.string()),
  ...planChecksSchema,
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
    ...planChecksSchema,
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

/** 200 to POST /api/reviews/:reviewId/imports/:importId/revert: what was taken back out of the plan. */
export const revertedSchema = z.object({
  importId: z.number(),
  status: z.literal('reverted'),
  reverted: z.object({
    actions: z.number(),
    recommendations: z.number(),
    groups: z.number(),
    progress: z.number(),
    evidence: z.number(),
    ratings: z.number(),
    findingLinks: z.number(),
    detailsEmptied: z.number(),
  }),
});

/** 202 to GET /api/imports/:importId while the file is read in the background, or when that reading failed. */
export const readingSchema = z.object({
  importId: z.number(),
  kind: z.enum(['report', 'plan']),
  status: z.enum(['reading', 'failed']),
  /** When the reading started (ISO time); null once it failed. */
  startedAt: z.string().nullable(),
  /** Why the file could not be read, once the reading failed. */
  message: z.string().nullable(),
  page: z.string(),
});

/** A file to import: a CQC report or an existing plan, as multipart/form-data. */
export const uploadBody = z
  .object({
    file: z
      .string()
      .meta({ format: 'binary' })
      .describe('The file: a CQC report (PDF or Word) to create a review, or an action plan (Word or Excel)'),
  })
  .describe('A file to import, sent as multipart/form-data');

/** What each column of a plan holds. */
export const columnsBody = z
  .object({
    columns: z
      .array(
        z.object({
          table: z.number().int().min(0).describe('The table, counted from 0 as the preview lists them'),
          column: z.number().int().min(0).describe('The column, counted from 0'),
          field: z.enum(PLAN_FIELDS).describe('What the column holds'),
        }),
      )
      .describe('Every column whose meaning you choose: this list replaces the choices made before'),
  })
  .describe('What the columns of an imported plan hold')
  .meta({ examples: [{ columns: [{ table: 0, column: 2, field: 'lead' }] }] });

/** Confirming an import. */
export const confirmBody = z
  .object({
    acceptMismatch: z
      .boolean()
      .optional()
      .describe('This is the plan for this review, though it does not look like it: needed when the preview says so'),
    received: z
      .string()
      .optional()
      .describe(
        "For a CQC report: the date it was received, 'YYYY-MM-DD' (on or after it was published, today or " +
          'earlier). Left out, its publication date is taken. Ignored for a plan.',
      ),
  })
  .describe('A confirmation: send an empty object when nothing needs saying')
  .meta({ examples: [{ received: '2026-11-20' }] });

/** Which organisations the agencies named in an import stand for. */
export const agenciesBody = z
  .object({
    agencies: z
      .array(
        z.object({
          agency: z.string().describe('The words of an agency cell, as the preview lists them'),
          organisationIds: z
            .array(z.number().int())
            .nullable()
            .describe(
              'The organisations they stand for, from the preview’s list; empty for none; ' +
                'null to read the words by name again',
            ),
        }),
      )
      .describe('The agencies to match'),
  })
  .describe('The organisations agencies stand for')
  .meta({ examples: [{ agencies: [{ agency: 'TRFT', organisationIds: [3] }] }] });

/** Discarding or reverting an import: nothing to send. */
export const nothingBody = z.object({}).describe('Nothing: send an empty JSON object, or no body');
