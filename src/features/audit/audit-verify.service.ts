// Checks the tamper-evident history: the audit chain (each event's hash covers the previous
// hash and its own fields) and each issued version's frozen snapshot against its recorded hash.
// See docs/audit.md.
import { createHash } from 'node:crypto';
import { chainHash, GENESIS_HASH } from '../../platform/db/audit-events.ts';
import type { Db } from '../../platform/db/database.ts';
import {
  findChainHead,
  listChainPage,
  listFrozenVersionPage,
  listVersionIssueEvents,
} from './audit-verify.repository.ts';

const PAGE = 1000;

export type AuditVerification =
  | { intact: true; events: number; versions: number }
  | { intact: false; events: number; versions: number; problem: string };

/** Walks the whole chain, then every frozen version; stops at the first broken link and says what differs. */
export async function verifyAuditTrail(db: Db): Promise<AuditVerification> {
  let events = 0;
  let prev = GENESIS_HASH;
  let previousId: number | null = null;
  for (let afterId = 0; ;) {
    const rows = await listChainPage(db, afterId, PAGE);
    if (rows.length === 0) break;
    for (const row of rows) {
      const broken = (problem: string) => ({ intact: false as const, events, versions: 0, problem });
      if (row.hash === null || row.prev_hash === null) return broken(`Audit event ${row.id} has no hash.`);
      if (row.prev_hash !== prev) {
        return broken(
          previousId === null
            ? `Audit event ${row.id} is the first event but does not start the chain: ` +
                'earlier events were removed, or its link was changed.'
            : `Audit event ${row.id} does not follow audit event ${previousId}: ` +
                'events between them were removed, or a link was changed.',
        );
      }
      if (chainHash(prev, row) !== row.hash) {
        return broken(`Audit event ${row.id} was changed after it was written: its fields no longer match its hash.`);
      }
      prev = row.hash;
      previousId = row.id;
      events++;
    }
    afterId = previousId ?? afterId;
  }
  const head = await findChainHead(db);
  if (head !== undefined && head !== prev) {
    return {
      intact: false,
      events,
      versions: 0,
      problem:
        previousId === null
          ? 'The audit trail is empty, but events were written: they were removed.'
          : `Audit event ${previousId} is the last event, but later events were written: they were removed.`,
    };
  }
  return verifyVersions(db, events);
}

async function verifyVersions(db: Db, events: number): Promise<AuditVerification> {
  // What each version's chained "issued" event recorded: a snapshot and its hash rewritten together
  // still disagree with it.
  const recorded = new Map<string, { eventId: number; sha256: string }>();
  for (const event of await listVersionIssueEvents(db)) {
    const sha256 = recordedSnapshotHash(event.after);
    if (sha256) recorded.set(`${String(event.review_id)}/${event.entity_id}`, { eventId: event.id, sha256 });
  }
  let versions = 0;
  for (let afterId = 0; ;) {
    const rows = await listFrozenVersionPage(db, afterId, PAGE);
    if (rows.length === 0) break;
    for (const row of rows) {
      const name = `Version ${row.number} of review ${row.review_id} (id ${row.id})`;
      const broken = (problem: string) => ({ intact: false as const, events, versions, problem });
      const actual = createHash('sha256')
        .update(row.snapshot ?? '')
        .digest('hex');
      if (row.snapshot_sha256 === null) return broken(`${name} has no recorded snapshot hash.`);
      if (actual !== row.snapshot_sha256) {
        return broken(`${name} was changed after it was issued: its snapshot no longer matches its hash.`);
      }
      const issued = recorded.get(`${String(row.review_id)}/${row.number}`);
      if (issued && issued.sha256 !== actual) {
        return broken(`${name} does not match the snapshot hash recorded by audit event ${issued.eventId}.`);
      }
      versions++;
      afterId = row.id;
    }
  }
  return { intact: true, events, versions };
}

function recordedSnapshotHash(after: string | null): string | null {
  if (!after) return null;
  const parsed = JSON.parse(after) as { snapshotSha256?: unknown } | null;
  return typeof parsed?.snapshotSha256 === 'string' ? parsed.snapshotSha256 : null;
}
