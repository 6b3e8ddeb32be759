// The checks of bench/load.ts, run against the database once the server has stopped: every
// request answered without a 5xx, every acknowledged write present exactly once (found by the
// marker in its text), every refused write absent, the audit events made during the run equal
// to the acknowledged changes, kind by kind, and the audit chain intact.
import type { Db } from '../src/platform/db/database.ts';
import { verifyAuditTrail } from '../src/features/audit/audit-verify.service.ts';
import { acknowledged, expected, MARKER, type Sent } from './load-mix.ts';

export interface Check {
  name: string;
  ok: boolean;
  /** What was counted, and for a failure the first cases that show it. */
  detail: string;
  failures: string[];
}

/** The highest ids before the run: rows and events above them were made during it. */
export interface Before {
  audit: number;
  progress: number;
  evidence: number;
  ratings: number;
  challenges: number;
}

export async function idsBefore(db: Db): Promise<Before> {
  const max = async (
    table: 'audit_events' | 'progress_updates' | 'evidence_items' | 'rating_events' | 'rating_challenges',
  ): Promise<number> => {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirst();
    // PostgreSQL may answer max(id) as a string; an empty table answers null.
    const id: unknown = row?.id ?? 0;
    return Number(id);
  };
  return {
    audit: await max('audit_events'),
    progress: await max('progress_updates'),
    evidence: await max('evidence_items'),
    ratings: await max('rating_events'),
    challenges: await max('rating_challenges'),
  };
}

const markersIn = (text: string | null | undefined): string[] => (text ? (text.match(MARKER) ?? []) : []);

function byMarker<T>(rows: T[], text: (row: T) => (string | null | undefined)[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    for (const marker of new Set(text(row).flatMap(markersIn))) map.set(marker, [...(map.get(marker) ?? []), row]);
  }
  return map;
}

function describe(s: Sent): string {
  const marker = s.marker ? ` (${s.marker})` : '';
  const problem = s.problem ? `: ${s.problem.replace(/\s+/g, ' ').slice(0, 200)}` : '';
  const when = `at ${(s.at / 1000).toFixed(1)} s`;
  return `${when} ${s.method} ${s.path} → ${s.status} in ${s.ms.toFixed(0)} ms${marker}${problem}`;
}

function check(name: string, failures: string[], detail: string): Check {
  return { name, ok: failures.length === 0, detail, failures };
}

export async function runChecks(db: Db, before: Before, log: Sent[]): Promise<Check[]> {
  const checks: Check[] = [];
  const writes = log.filter((s) => s.method !== 'GET');
  const acked = writes.filter(acknowledged);

  /* ---------- answers ---------- */
  const serverErrors = log.filter((s) => s.status >= 500);
  checks.push(check('no 5xx', serverErrors.map(describe), `${serverErrors.length} of ${log.length} requests`));
  const unanswered = log.filter((s) => s.status === 0);
  checks.push(
    check(
      'every request answered',
      unanswered.map(describe),
      `${unanswered.length} without an answer (outcome unknown)`,
    ),
  );
  const unexpected = log.filter((s) => s.status !== 0 && s.status < 500 && !expected(s));
  checks.push(
    check(
      'every answer as expected (reads 200, writes 2xx, stale edits 409/412, invalid posts 400)',
      unexpected.map(describe),
      `${unexpected.length} unexpected`,
    ),
  );

  /* ---------- rows, found by marker ---------- */
  const progress = await db
    .selectFrom('progress_updates')
    .select(['id', 'action_id', 'text', 'proposed_rating'])
    .where('id', '>', before.progress)
    .execute();
  const evidence = await db
    .selectFrom('evidence_items')
    .select([
      'id',
      'action_id',
      'title',
      'status',
      'status_reason',
      'progress_update_id',
      'blob_sha256',
      'size',
      'media_type',
    ])
    .where('id', '>', before.evidence)
    .execute();
  const ratings = await db
    .selectFrom('rating_events')
    .select(['id', 'action_id', 'kind', 'rating', 'rationale'])
    .where('id', '>', before.ratings)
    .execute();
  const audit = await db
    .selectFrom('audit_events')
    .select(['id', 'entity_type', 'entity_id', 'action', 'after'])
    .where('id', '>', before.audit)
    .orderBy('id')
    .execute();
  const shas = [...new Set(evidence.flatMap((e) => (e.blob_sha256 ? [e.blob_sha256] : [])))];
  const blobs = new Set(
    shas.length
      ? (await db.selectFrom('blobs').select('sha256').where('sha256', 'in', shas).execute()).map((b) => b.sha256)
      : [],
  );
  const progressByMarker = byMarker(progress, (r) => [r.text]);
  const evidenceByMarker = byMarker(evidence, (r) => [r.title, r.status_reason]);
  const ratingsByMarker = byMarker(ratings, (r) => [r.rationale]);
  const actionEditsByMarker = byMarker(
    audit.filter((e) => e.entity_type === 'action' && e.action === 'updated'),
    (e) => [e.after],
  );

  const once: string[] = [];
  const absent: string[] = [];
  let ackedWithMarker = 0;
  let refusedWithMarker = 0;
  for (const s of writes) {
    if (!s.marker) continue;
    const found =
      s.kind === 'progress'
        ? (progressByMarker.get(s.marker) ?? []).length
        : s.kind === 'evidence upload' || s.kind === 'evidence decision'
          ? (evidenceByMarker.get(s.marker) ?? []).length
          : s.kind === 'rating decision'
            ? (ratingsByMarker.get(s.marker) ?? []).length
            : s.kind === 'action edit' || s.kind === 'stale edit'
              ? (actionEditsByMarker.get(s.marker) ?? []).length
              : // an invalid post: whatever it was, nothing with its marker anywhere
                (progressByMarker.get(s.marker) ?? []).length +
                (evidenceByMarker.get(s.marker) ?? []).length +
                (ratingsByMarker.get(s.marker) ?? []).length +
                (actionEditsByMarker.get(s.marker) ?? []).length;
    if (acknowledged(s)) {
      ackedWithMarker++;
      if (found !== 1) once.push(`${describe(s)}: found ${found} times`);
      // The ids the answer gave are the rows found.
      const row =
        s.kind === 'progress'
          ? progressByMarker.get(s.marker)?.[0]
          : s.kind === 'evidence upload'
            ? evidenceByMarker.get(s.marker)?.[0]
            : s.kind === 'rating decision'
              ? ratingsByMarker.get(s.marker)?.[0]
              : undefined;
      const said =
        s.kind === 'progress'
          ? s.created.progressUpdateId
          : s.kind === 'evidence upload'
            ? s.created.evidenceId
            : s.kind === 'rating decision'
              ? s.created.ratingEventId
              : undefined;
      if (row && said !== undefined && row.id !== said) once.push(`${describe(s)}: answered id ${said}, row ${row.id}`);
      if (
        s.kind === 'evidence upload' &&
        row &&
        'blob_sha256' in row &&
        (row.blob_sha256 === null || !blobs.has(row.blob_sha256))
      )
        once.push(`${describe(s)}: evidence ${row.id} has no stored file`);
      // The file stored is the file sent, byte for byte.
      const stored =
        s.kind === 'evidence upload'
          ? evidence.find((e) => e.id === s.created.evidenceId)
          : s.kind === 'progress' && s.detail.withFile
            ? evidence.find((e) => e.id === s.created.evidenceId)
            : undefined;
      if (
        stored &&
        s.detail.file &&
        (stored.blob_sha256 !== s.detail.file.sha256 || stored.size !== s.detail.file.size)
      )
        once.push(
          `${describe(s)}: evidence ${stored.id} stored ${stored.size} bytes (${stored.blob_sha256?.slice(0, 12)}), ` +
            `sent ${s.detail.file.size} (${s.detail.file.sha256.slice(0, 12)})`,
        );
      if (s.kind === 'progress' && row) {
        if (s.detail.withFile) {
          const file = evidence.find((e) => e.progress_update_id === row.id);
          if (!file || file.id !== s.created.evidenceId)
            once.push(`${describe(s)}: its evidence file ${s.created.evidenceId} is not the one stored with it`);
          else if (file.blob_sha256 === null || !blobs.has(file.blob_sha256))
            once.push(`${describe(s)}: evidence ${file.id} has no stored file`);
        }
        if (s.detail.proposedRating) {
          const proposal = ratings.find((r) => r.id === s.created.ratingEventId);
          if (!proposal || proposal.kind !== 'proposed' || proposal.rating !== s.detail.proposedRating)
            once.push(`${describe(s)}: its proposed rating ${s.created.ratingEventId} is missing or differs`);
        }
      }
    } else if (s.status !== 0) {
      refusedWithMarker++;
      if (found !== 0) absent.push(`${describe(s)}: refused, but found ${found} times`);
    }
  }
  // Every row made during the run came from an acknowledged write (nothing written that was not asked for).
  const sentMarkers = new Set(writes.filter(acknowledged).map((s) => s.marker));
  const stray = [
    ...progress.filter((r) => !markersIn(r.text).some((m) => sentMarkers.has(m))).map((r) => `progress update ${r.id}`),
    ...evidence
      .filter((r) => !markersIn(r.title).some((m) => sentMarkers.has(m)))
      .map((r) => `evidence ${r.id} (${r.title.slice(0, 60)})`),
  ];
  checks.push(
    check(
      'every acknowledged write present exactly once, with the ids its answer gave',
      once,
      `${ackedWithMarker} acknowledged writes with a marker`,
    ),
  );
  checks.push(check('every refused write absent', absent, `${refusedWithMarker} refused writes with a marker`));
  checks.push(check('no row without an acknowledged write', stray, `${progress.length + evidence.length} rows`));

  /* ---------- evidence decisions: at most one per item, and its status is the one acknowledged ---------- */
  const decisions = writes.filter((s) => s.kind === 'evidence decision');
  const decisionProblems: string[] = [];
  const ackedByEvidence = new Map<number, Sent[]>();
  for (const s of decisions.filter(acknowledged)) {
    const id = s.detail.evidenceId as number;
    ackedByEvidence.set(id, [...(ackedByEvidence.get(id) ?? []), s]);
  }
  for (const [id, list] of ackedByEvidence) {
    if (list.length > 1) decisionProblems.push(`evidence ${id}: ${list.length} decisions acknowledged`);
    const row = evidence.find((e) => e.id === id);
    const want = list[0]?.detail.decision === 'accept' ? 'accepted' : 'rejected';
    if (!row || row.status !== want) decisionProblems.push(`evidence ${id}: ${row?.status ?? 'missing'}, not ${want}`);
  }
  for (const s of decisions.filter((d) => d.status === 409 || d.status === 412)) {
    if (!ackedByEvidence.has(s.detail.evidenceId as number) && s.status === 409) {
      const row = evidence.find((e) => e.id === s.detail.evidenceId);
      if (row && row.status === 'submitted')
        decisionProblems.push(`${describe(s)}: refused as decided, but evidence ${row.id} is still submitted`);
    }
  }
  checks.push(
    check(
      'each evidence decision once: acknowledged ones stand, refused ones changed nothing',
      decisionProblems,
      `${decisions.filter(acknowledged).length} acknowledged, ` +
        `${decisions.filter((d) => !acknowledged(d)).length} refused`,
    ),
  );

  /* ---------- action edits: no lost update ---------- */
  const editProblems: string[] = [];
  const ackedEdits = acked.filter((s) => s.kind === 'action edit' || s.kind === 'stale edit');
  const byAction = new Map<number, Sent[]>();
  for (const s of ackedEdits) byAction.set(s.actionId as number, [...(byAction.get(s.actionId as number) ?? []), s]);
  const actionIds = [...byAction.keys()];
  const actions = actionIds.length
    ? await db.selectFrom('actions').select(['id', 'measure', 'version']).where('id', 'in', actionIds).execute()
    : [];
  for (const [actionId, list] of byAction) {
    const versions = list.map((s) => s.created.version ?? -1);
    if (new Set(versions).size !== versions.length)
      editProblems.push(
        `action ${actionId}: two acknowledged edits answered the same version (${versions.join(', ')})`,
      );
    const last = list.reduce((a, b) => ((b.created.version ?? -1) > (a.created.version ?? -1) ? b : a));
    const row = actions.find((a) => a.id === actionId);
    if (!row || row.measure !== last.detail.measure || row.version !== last.created.version)
      editProblems.push(
        `action ${actionId}: saved measure is not the last acknowledged edit's ` +
          `(version ${row?.version}, answered ${last.created.version})`,
      );
  }
  checks.push(
    check(
      'action edits: each acknowledged edit its own version, the last one saved',
      editProblems,
      `${ackedEdits.length} acknowledged edits of ${byAction.size} actions`,
    ),
  );

  /* ---------- audit events equal acknowledged changes ---------- */
  const expectedAudit = new Map<string, number>();
  const add = (key: string, n = 1) => expectedAudit.set(key, (expectedAudit.get(key) ?? 0) + n);
  for (const s of acked) {
    if (s.kind === 'progress') {
      add('progress_update created');
      if (s.detail.proposedRating) add('rating_event created');
      if (s.detail.withFile) add('evidence_item created');
    } else if (s.kind === 'evidence upload') add('evidence_item created');
    else if (s.kind === 'rating decision')
      add(s.created.kind === 'challenged' ? 'rating_challenge created' : 'rating_event created');
    else if (s.kind === 'evidence decision') add('evidence_item updated');
    else if (s.kind === 'action edit' || s.kind === 'stale edit') add('action updated');
    else add(`${s.kind} (unexpectedly acknowledged)`);
  }
  const actualAudit = new Map<string, number>();
  for (const e of audit) {
    const key = `${e.entity_type} ${e.action}`;
    actualAudit.set(key, (actualAudit.get(key) ?? 0) + 1);
  }
  const auditProblems: string[] = [];
  const keys = [...new Set([...expectedAudit.keys(), ...actualAudit.keys()])].sort();
  for (const key of keys) {
    const want = expectedAudit.get(key) ?? 0;
    const got = actualAudit.get(key) ?? 0;
    if (want !== got) auditProblems.push(`${key}: ${got} audit events, ${want} acknowledged changes`);
  }
  // Each created row has its own event, naming it.
  const eventIds = new Set(audit.filter((e) => e.action === 'created').map((e) => `${e.entity_type} ${e.entity_id}`));
  for (const r of progress)
    if (!eventIds.has(`progress_update ${r.id}`)) auditProblems.push(`progress update ${r.id} has no audit event`);
  for (const r of evidence)
    if (!eventIds.has(`evidence_item ${r.id}`)) auditProblems.push(`evidence ${r.id} has no audit event`);
  for (const r of ratings)
    if (!eventIds.has(`rating_event ${r.id}`)) auditProblems.push(`rating event ${r.id} has no audit event`);
  checks.push(
    check(
      'audit events equal acknowledged changes, kind by kind',
      auditProblems,
      keys.map((k) => `${k} ${actualAudit.get(k) ?? 0}`).join(', ') || 'none',
    ),
  );

  const trail = await verifyAuditTrail(db);
  checks.push(
    check(
      'audit chain intact (clasp audit verify)',
      trail.intact ? [] : [trail.problem],
      `${trail.events} events, ${trail.versions} versions`,
    ),
  );
  return checks;
}
