// Moving one whole review between instances of Clasp (issue 18): `clasp export review` writes it,
// with its history, evidence files and versions, to a zip; `clasp import review` brings it into
// another database under new ids. See docs/moving-reviews.md.
import { randomUUID } from 'node:crypto';
import type { Db, Trx } from '../../platform/db/database.ts';
import { insertAuditEvents, type NewAuditEvent } from '../../platform/db/audit-events.ts';
import { recordAudit } from '../../platform/audit.ts';
import { normaliseEmail } from '../../platform/auth/secrets.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { createAccount } from '../accounts/accounts.service.ts';
import { TransferRefused } from './transfer-errors.ts';
import {
  FORMAT,
  FORMAT_VERSION,
  readTransferZip,
  writeTransferZip,
  type Manifest,
  type Row,
  type TransferContent,
} from './transfer-file.ts';
import {
  AUDIT_ENTITY_TABLES,
  LEFT_TO_DATABASE,
  TABLES,
  type RefTarget,
  type TransferTable,
} from './transfer-tables.ts';
import {
  blobExists,
  findOrganisationMatch,
  findPersonByEmail,
  insertBlob,
  insertOrganisationRow,
  insertRow,
  instanceMark,
  listReviewImportEvents,
  lockReviewImports,
  migrationLevel,
  readBlob,
  readOrganisations,
  readPeople,
  readReviewAuditEvents,
  readTableRows,
  REVIEW_MOVED_IN,
  setMinutesApprovedAt,
  sourceKeyTaken,
} from './transfer.repository.ts';

export { TransferRefused };

/** Who the command line is in the audit trail. */
const ACTOR = 'command line';

export interface ExportedReview {
  bytes: Uint8Array;
  manifest: Manifest;
}

/**
 * Everything belonging to the review, read in one transaction (repeatable read on PostgreSQL;
 * SQLite's transaction already sees one moment), so the file is the review at one instant even
 * while people go on working.
 */
export async function exportReview(db: Db, databaseKind: string, reviewId: number, now: Date): Promise<ExportedReview> {
  const content = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const tables = {} as Record<TransferTable, Row[]>;
      for (const spec of TABLES) {
        const parent = 'parent' in spec.belongs ? spec.belongs.parent : null;
        const parentIds = parent ? tables[parent].map((r) => Number(r.id)) : null;
        tables[spec.name] = await readTableRows(trx, spec, reviewId, parentIds);
      }
      const review = tables.reviews[0];
      if (!review)
        throw new NotFoundError(`There is no review ${reviewId}. See "clasp reviews" for the reviews there are.`);
      const auditEvents: Row[] = await readReviewAuditEvents(trx, reviewId);

      // People and organisations named anywhere in the review, its history or its audit trail.
      const people = new Set<number>();
      const organisations = new Set<number>();
      const note = (target: RefTarget, value: unknown) => {
        if (value === null || value === undefined) return;
        if (target === 'users') people.add(Number(value));
        if (target === 'organisations') organisations.add(Number(value));
      };
      for (const spec of TABLES)
        for (const row of tables[spec.name])
          for (const [column, target] of Object.entries(spec.refs)) note(target, row[column]);
      for (const event of auditEvents) {
        note('users', event.user_id);
        note('organisations', event.organisation_id);
        const target = AUDIT_ENTITY_TABLES[String(event.entity_type)];
        if ((target === 'users' || target === 'organisations') && /^\d+$/.test(String(event.entity_id)))
          note(target, event.entity_id);
      }

      const files = new Map<string, Uint8Array>();
      for (const row of [...tables.evidence_items, ...tables.imports]) {
        const hash = row.blob_sha256;
        if (typeof hash !== 'string' || files.has(hash)) continue;
        const blob = await readBlob(trx, hash);
        if (blob) files.set(hash, new Uint8Array(blob.content));
      }
      return {
        tables,
        auditEvents: auditEvents.map(({ prev_hash: _p, hash: _h, ...event }) => event),
        people: await readPeople(trx, [...people]),
        organisations: await readOrganisations(trx, [...organisations]),
        files,
        migration: await migrationLevel(trx),
        instance: await instanceMark(trx),
        review,
      };
    });
  return writeTransferZip(content, {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    migration: content.migration,
    exportId: randomUUID(),
    exportedAt: now.toISOString(),
    source: {
      instance: content.instance,
      database: databaseKind,
      reviewId,
      title: String(content.review.title),
      area: String(content.review.area),
    },
  });
}

export interface ImportedReview {
  reviewId: number;
  manifest: Manifest;
  /** Rows written, by table (audit_events counts the review's own events, without the import's). */
  counts: Record<string, number>;
  filesAdded: number;
  filesReused: number;
  peopleMatched: number;
  peopleCreated: string[];
  organisationsMatched: number;
  organisationsCreated: string[];
}

/** Where the file's review went before, if it was imported into this database already. */
async function earlierImport(db: Db, manifest: Manifest) {
  for (const event of await listReviewImportEvents(db)) {
    const after = JSON.parse(event.after ?? '{}') as {
      sourceInstance?: string;
      sourceReviewId?: number;
      exportedAt?: string;
    };
    if (after.sourceInstance === manifest.source.instance && after.sourceReviewId === manifest.source.reviewId)
      return { reviewId: event.review_id, at: event.at, exportedAt: after.exportedAt ?? '' };
  }
  return null;
}

/**
 * Checks the whole file first (manifest, checksums, counts, format, migration level, not imported
 * before), then writes the review in one transaction: people matched by email (or made, with no
 * password), organisations matched by name (or made), every row under a new id with its
 * references swapped, evidence files stored once by SHA-256, and the review's audit events
 * chained onto this database's trail, followed by one event for the import itself.
 */
export async function importReview(db: Db, fileName: string, bytes: Uint8Array, now: Date): Promise<ImportedReview> {
  const content = await readTransferZip(fileName, bytes);
  const { manifest } = content;
  const ours = await migrationLevel(db);
  if (manifest.migration > ours)
    throw new TransferRefused(
      `"${fileName}" was exported from a newer Clasp (database level ${manifest.migration}; this one is at ${ours}). ` +
        'Upgrade this Clasp, then import it again.',
    );
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    // Checked inside the transaction, after taking the lock, so two imports of one file at once cannot both go in.
    await lockReviewImports(trx);
    const before = await earlierImport(trx, manifest);
    if (before)
      throw new TransferRefused(
        `Review ${manifest.source.reviewId} ("${manifest.source.title}") from that Clasp was imported before, ` +
          `as review ${String(before.reviewId)} on ${before.at.slice(0, 10)} ` +
          `(from an export of ${before.exportedAt.slice(0, 10)}). ` +
          'Nothing was written.',
      );
    const ids = new Map<RefTarget, Map<number, number>>();
    const mapOf = (target: RefTarget) => {
      let map = ids.get(target);
      if (!map) ids.set(target, (map = new Map<number, number>()));
      return map;
    };

    const people = await matchPeople(trx, content, mapOf('users'), now);
    const organisations = await matchOrganisations(trx, content, mapOf('organisations'), at);

    let filesAdded = 0;
    for (const [hash, data] of content.files) {
      if (await blobExists(trx, hash)) continue;
      await insertBlob(trx, hash, data, at);
      filesAdded++;
    }

    const remap = (table: string, row: Row, column: string, target: RefTarget): number | null => {
      const old = row[column];
      if (old === null || old === undefined) return null;
      const found = mapOf(target).get(Number(old));
      if (found === undefined)
        throw new TransferRefused(
          `"${fileName}" is not a consistent review export: a row of ${table} refers to ${target} ` +
            `${JSON.stringify(old)}, which the file does not hold. Export the review again.`,
        );
      return found;
    };

    const counts: Record<string, number> = {};
    const approvals: [number, number][] = [];
    for (const spec of TABLES) {
      const leftOut = new Set(['id', ...(LEFT_TO_DATABASE[spec.name] ?? []), ...(spec.later ?? [])]);
      for (const row of content.tables[spec.name]) {
        const values: Row = {};
        for (const [column, value] of Object.entries(row)) {
          if (leftOut.has(column)) continue;
          const target = spec.refs[column];
          values[column] = target ? remap(spec.name, row, column, target) : value;
        }
        if (
          spec.name === 'reviews' &&
          typeof values.source_key === 'string' &&
          (await sourceKeyTaken(trx, values.source_key))
        )
          values.source_key = null;
        // The plan revision it was confirmed at is the source's: an import cannot be reverted once moved.
        if (spec.name === 'imports') values.confirmed_revision = null;
        const newId = await insertRow(trx, spec.name, values, spec.keyed);
        if (spec.keyed && newId !== null) mapOf(spec.name).set(Number(row.id), newId);
        if (
          spec.name === 'meetings' &&
          row.minutes_approved_meeting_id !== null &&
          row.minutes_approved_meeting_id !== undefined
        )
          approvals.push([newId ?? 0, Number(row.minutes_approved_meeting_id)]);
      }
      counts[spec.name] = content.tables[spec.name].length;
    }
    for (const [meetingId, oldApprovedAt] of approvals) {
      const approvedAt = mapOf('meetings').get(oldApprovedAt);
      if (approvedAt !== undefined) await setMinutesApprovedAt(trx, meetingId, approvedAt);
    }

    const reviewId = mapOf('reviews').get(manifest.source.reviewId);
    if (reviewId === undefined)
      throw new TransferRefused(`"${fileName}" does not hold review ${manifest.source.reviewId}.`);

    // The review's audit events keep their time, actor and words; they join this trail's chain.
    const events: NewAuditEvent[] = content.auditEvents.map((event) => {
      const entityTable = AUDIT_ENTITY_TABLES[String(event.entity_type)];
      const entityId = String(event.entity_id);
      const movedEntity = entityTable && /^\d+$/.test(entityId) ? mapOf(entityTable).get(Number(entityId)) : undefined;
      const id = (target: RefTarget, value: unknown) =>
        value === null || value === undefined ? null : (mapOf(target).get(Number(value)) ?? null);
      return {
        at: String(event.at),
        actor: String(event.actor),
        user_id: id('users', event.user_id),
        organisation_id: id('organisations', event.organisation_id),
        review_id: reviewId,
        action_id: id('actions', event.action_id),
        entity_type: String(event.entity_type),
        entity_id: movedEntity === undefined ? entityId : String(movedEntity),
        action: String(event.action),
        before: (event.before as string | null) ?? null,
        after: (event.after as string | null) ?? null,
        request_id: (event.request_id as string | null) ?? null,
      };
    });
    await insertAuditEvents(trx, events);
    counts.audit_events = events.length;
    await recordAudit(
      trx,
      {
        actor: ACTOR,
        reviewId,
        entityType: 'review',
        entityId: reviewId,
        action: REVIEW_MOVED_IN,
        after: {
          file: fileName,
          from: `review ${manifest.source.reviewId} of a Clasp on ${manifest.source.database}`,
          exportedAt: manifest.exportedAt,
          sourceInstance: manifest.source.instance,
          sourceReviewId: manifest.source.reviewId,
          exportId: manifest.exportId,
        },
      },
      now,
    );
    return {
      reviewId,
      manifest,
      counts,
      filesAdded,
      filesReused: content.files.size - filesAdded,
      peopleMatched: content.people.length - people.length,
      peopleCreated: people,
      organisationsMatched: content.organisations.length - organisations.length,
      organisationsCreated: organisations,
    };
  });
}

/** People by email; anyone new gets an account with no password, as an administrator's invitation would. */
async function matchPeople(
  trx: Parameters<typeof createAccount>[0],
  content: TransferContent,
  map: Map<number, number>,
  now: Date,
) {
  const created: string[] = [];
  for (const person of content.people) {
    const email = normaliseEmail(person.email);
    const existing = await findPersonByEmail(trx, email);
    if (existing) {
      map.set(person.id, existing.id);
      continue;
    }
    map.set(person.id, await createAccount(trx, { email, name: person.name }, { actor: ACTOR }, now));
    created.push(email);
  }
  return created;
}

/** Organisations by name, then by short name when only one has it; anything else is added. */
async function matchOrganisations(
  trx: Trx,
  content: TransferContent,
  map: Map<number, number>,
  at: string,
): Promise<string[]> {
  const created: string[] = [];
  for (const organisation of content.organisations) {
    const existing = await findOrganisationMatch(trx, organisation.name, organisation.short_name);
    if (existing) {
      map.set(organisation.id, existing.id);
      continue;
    }
    const id = await insertOrganisationRow(trx, organisation, at);
    map.set(organisation.id, id);
    created.push(organisation.name);
    await recordAudit(
      trx,
      {
        actor: ACTOR,
        organisationId: id,
        entityType: 'organisation',
        entityId: id,
        action: 'created',
        after: { name: organisation.name, shortName: organisation.short_name, kind: organisation.kind },
      },
      new Date(at),
    );
  }
  return created;
}
