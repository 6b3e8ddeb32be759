// Generates a national-scale, deterministic data set for the benchmark: by default 150 reviews,
// each with ~10 organisations (some shared), 40 findings, 25 recommendations in 4–5 groups,
// 150 actions, 1,500 progress updates, ~2 rating events per action and some evidence.
//
// Rows are written with explicit ids in multi-row inserts, one transaction per review, so the
// same seed gives the same database on SQLite and PostgreSQL and runs are comparable.
//
// Run on its own: `tsx bench/generate.ts` writes into $CLASP_DATA_DIR/clasp.db, or into
// $DATABASE_URL when set (the database must be empty).
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { sql, type Insertable } from 'kysely';
import type { Db } from '../src/platform/db/database.ts';
import type {
  Database,
  EvidenceStatus,
  FindingKind,
  OrganisationKind,
  RatingValue,
} from '../src/platform/db/schema.ts';
import type { DatabaseHandle } from '../src/platform/db/database.ts';
import { readDateWords } from '../src/domain/date-words.ts';
import { int, pick, sample, seededRandom, weighted, type Random } from './random.ts';

/* ---------- a seeded PRNG (mulberry32) and helpers ---------- */

export { seededRandom, type Random } from './random.ts';

/* ---------- dates ---------- */

const DAY = 86_400_000;
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const addDays = (iso: string, n: number): string =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const daysBetween = (a: string, b: string): number =>
  Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY);
function longDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

/* ---------- words ---------- */

const PLACE_STEMS = [
  'Ash',
  'Bram',
  'Castle',
  'Dun',
  'Elm',
  'Fair',
  'Glen',
  'Hol',
  'Ivy',
  'King',
  'Lang',
  'Mar',
  'North',
  'Oak',
  'Pen',
  'Red',
  'Stan',
  'Thorn',
  'Under',
  'West',
  'Whit',
  'York',
  'Ald',
  'Bex',
  'Chal',
];
const PLACE_ENDS = ['ford', 'ham', 'bury', 'ton', 'wick', 'field', 'ley', 'mouth'];
const REGIONS = [
  'North East',
  'North West',
  'Yorkshire',
  'East Midlands',
  'West Midlands',
  'East of England',
  'London',
  'South East',
  'South West',
  'Cumbria',
  'Lancashire',
  'Humber',
  'Thames Valley',
  'Wessex',
  'Kent and Medway',
];
const SECTIONS = [
  'Early help',
  'Children in need',
  'Child protection',
  'Looked after children',
  'Leadership and management',
  'Governance',
  'Training and supervision',
];
const SUBJECTS = [
  'Health visitors',
  'School nurses',
  'Midwives',
  'GPs',
  'Emergency department staff',
  'CAMHS practitioners',
  'Named nurses',
  'Looked after children nurses',
  'Sexual health staff',
  'Substance misuse workers',
  'Adult mental health practitioners',
  'Designated professionals',
  'Paediatric liaison staff',
];
const VERBS = [
  'consistently record',
  'routinely share',
  'review and update',
  'escalate concerns about',
  'complete assessments of',
  'audit the quality of',
  'seek the voice of the child in',
  'attend strategy meetings about',
];
const OBJECTS = [
  'the risk of child sexual exploitation',
  'the health needs of looked after children',
  'safeguarding information in the electronic record',
  'the impact of parental mental ill health',
  'domestic abuse disclosures',
  'the outcomes of initial health assessments',
  'transition plans for care leavers',
  'referrals to children’s social care',
  'missed appointments for children',
  'the hidden male in the household',
  'young carers’ needs',
  'the emotional wellbeing of children',
];
const QUALIFIERS = [
  'so that risks are identified early',
  'in line with the Intercollegiate Document',
  'with management oversight evident on file',
  'within statutory timescales',
  'so that plans are child-centred',
  'and act on what they find',
];
const ROLES = [
  'Named Nurse for Safeguarding Children',
  'Designated Nurse Looked After Children',
  'Head of Safeguarding',
  'Named GP',
  'Clinical Lead CAMHS',
  'Deputy Director of Nursing',
  'Safeguarding Practice Lead',
  'Service Manager 0-19',
];
const PEOPLE = [
  'A. Patel',
  'B. Jones',
  'C. Okafor',
  'D. Smith',
  'E. Nowak',
  'F. Hughes',
  'G. Khan',
  'H. Williams',
  'I. Murphy',
  'J. Clarke',
];
const PROGRESS_OPENINGS = [
  'Audit completed',
  'Training delivered',
  'Policy revised and ratified',
  'Task and finish group met',
  'Spot check of records undertaken',
  'Update presented to the safeguarding board',
  'Supervision sessions held',
  'Pathway relaunched',
];
const PROGRESS_DETAIL = [
  'with 87% of records meeting the standard',
  'and findings shared with team leaders',
  'attendance remains below the target of 95%',
  'further work is needed with the out-of-hours service',
  'a re-audit is planned for next quarter',
  'the new template is now live on SystmOne',
  'staff feedback was positive',
  'two teams have not yet adopted the process',
  'evidence uploaded to the shared drive',
];
const MEASURES = [
  'Quarterly audit shows 95% compliance.',
  'Training compliance at level 3 reaches 90%.',
  'Re-audit shows improvement on baseline.',
  'Minutes show the item reviewed monthly.',
  'All records sampled contain the voice of the child.',
];
const BLOB_TYPES: [string, string][] = [
  ['application/pdf', 'pdf'],
  ['text/plain', 'txt'],
  ['text/csv', 'csv'],
];

function sentence(rnd: Random): string {
  return `${pick(rnd, SUBJECTS)} ${pick(rnd, VERBS)} ${pick(rnd, OBJECTS)} ${pick(rnd, QUALIFIERS)}.`;
}
function paragraph(rnd: Random, min: number, max: number): string {
  return Array.from({ length: int(rnd, min, max) }, () => sentence(rnd)).join(' ');
}
function progressText(rnd: Random): string {
  const text =
    `${pick(rnd, PROGRESS_OPENINGS)} ${pick(rnd, PROGRESS_DETAIL)}; ${pick(rnd, PROGRESS_DETAIL)}. ` +
    (rnd() < 0.5 ? sentence(rnd) : '');
  return text.trim();
}

/* ---------- batched inserts ---------- */

// SQLite allows 32,766 bound parameters a statement; PostgreSQL 65,535. Stay well under both.
const MAX_PARAMETERS = 30_000;
const MAX_ROWS = 500;

async function insertAll<T extends keyof Database>(db: Db, table: T, rows: Insertable<Database[T]>[]): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const perStatement = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMETERS / Object.keys(first).length)));
  for (let i = 0; i < rows.length; i += perStatement) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + perStatement))
      .execute();
  }
}

/* ---------- the data set ---------- */

export interface GenerateOptions {
  reviews?: number;
  seed?: number;
  /** Progress updates per action. */
  progressPerAction?: number;
  /** Called after each review with how many are done. */
  onProgress?: (done: number, total: number) => void;
}

export interface GeneratedReview {
  id: number;
  recommendationNumbers: string[];
  actionIds: number[];
}

export interface GeneratedSet {
  reviews: GeneratedReview[];
}

const NOW = '2026-11-23T09:00:00.000Z';

interface OrgSpec {
  id: number;
  name: string;
  short: string;
  kind: OrganisationKind;
}

/** Fills an empty, migrated database. Deterministic for a given seed and size. */
export async function generate(handle: DatabaseHandle, options: GenerateOptions = {}): Promise<GeneratedSet> {
  const reviewCount = options.reviews ?? 150;
  const progressPerAction = options.progressPerAction ?? 10;
  const rnd = seededRandom(options.seed ?? 20261123);
  const db = handle.db;

  const existing = await db
    .selectFrom('reviews')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  if (existing.n > 0) throw new Error('The database already has reviews: the generator needs an empty one.');

  const areas: string[] = [];
  for (const end of PLACE_ENDS) for (const stem of PLACE_STEMS) areas.push(`${stem}${end}`);
  if (reviewCount > areas.length) throw new Error(`At most ${areas.length} reviews can be generated.`);

  // Organisations. Shared: NHS England (all), an ICB per three areas, a mental health trust per
  // two areas, an ambulance trust and a sexual health service per region of ten areas.
  const orgs: OrgSpec[] = [];
  const byName = new Map<string, OrgSpec>();
  const org = (name: string, short: string, kind: OrganisationKind): OrgSpec => {
    const found = byName.get(name);
    if (found) return found;
    const spec = { id: orgs.length + 1, name, short, kind };
    orgs.push(spec);
    byName.set(name, spec);
    return spec;
  };
  const nhsEngland = org('NHS England', 'NHS England', 'nhs_england');
  const reviewOrgs: OrgSpec[][] = [];
  for (let i = 0; i < reviewCount; i++) {
    const area = areas[i] as string;
    const trio = areas[i - (i % 3)] as string;
    const pair = `${areas[i - (i % 2)] as string} and ${areas[i - (i % 2) + 1] ?? area}`;
    const region = REGIONS[Math.floor(i / 10) % REGIONS.length] as string;
    reviewOrgs.push([
      nhsEngland,
      org(`NHS ${trio} Integrated Care Board`, `${trio} ICB`, 'commissioner'),
      org(`${area} Hospitals NHS Foundation Trust`, `${area} Hospitals`, 'nhs_trust'),
      org(`${pair} Partnership NHS Foundation Trust`, `${pair} Partnership`, 'nhs_trust'),
      org(`${area} Community Health Services`, `${area} Community Health`, 'nhs_trust'),
      org(`${region} Ambulance Service NHS Trust`, `${region} Ambulance`, 'nhs_trust'),
      org(`${area} Council`, `${area} Council`, 'local_authority'),
      org(`${area} GP practices`, `${area} GPs`, 'gp_practice'),
      org(`${region} Integrated Sexual Health Service`, `${region} Sexual Health`, 'other'),
      org(`${area} Drug and Alcohol Service`, `${area} Drug and Alcohol`, 'other'),
    ]);
  }
  await db.transaction().execute((trx) =>
    insertAll(
      trx,
      'organisations',
      orgs.map((o) => ({ id: o.id, name: o.name, short_name: o.short, kind: o.kind, created_at: NOW })),
    ),
  );

  const ids = { finding: 0, group: 0, recommendation: 0, action: 0, progress: 0, rating: 0, evidence: 0, version: 0 };
  const blobs: { sha256: string; size: number; mediaType: string; ext: string }[] = [];
  const result: GeneratedSet = { reviews: [] };

  for (let i = 0; i < reviewCount; i++) {
    const reviewId = i + 1;
    const area = areas[i] as string;
    const covered = reviewOrgs[i] as OrgSpec[];
    const lead = covered[1] as OrgSpec;
    const scale = rnd() < 0.2 ? 'RAG' : 'BRAG';
    // Published between June 2023 and March 2026, so every plan has run for months by now.
    const published = addDays('2023-06-01', int(rnd, 0, daysBetween('2023-06-01', '2026-03-31')));
    const received = addDays(published, int(rnd, 0, 5));
    const issued = addDays(received, int(rnd, 21, 30));
    const today = '2026-11-23';

    const findings: Insertable<Database['findings']>[] = [];
    const groups: Insertable<Database['recommendation_groups']>[] = [];
    const groupOrgs: Insertable<Database['recommendation_group_organisations']>[] = [];
    const recommendations: Insertable<Database['recommendations']>[] = [];
    const links: Insertable<Database['finding_recommendations']>[] = [];
    const actions: Insertable<Database['actions']>[] = [];
    const actionOrgs: Insertable<Database['action_organisations']>[] = [];
    const progress: Insertable<Database['progress_updates']>[] = [];
    const ratings: Insertable<Database['rating_events']>[] = [];
    const evidence: Insertable<Database['evidence_items']>[] = [];
    const newBlobs: Insertable<Database['blobs']>[] = [];
    const generated: GeneratedReview = { id: reviewId, recommendationNumbers: [], actionIds: [] };

    // 40 findings over the seven sections; about three in four are concerns.
    const concernIds: number[] = [];
    for (let f = 0; f < 40; f++) {
      const section = 1 + Math.floor(f / 6); // 1..7
      const kind: FindingKind = rnd() < 0.75 ? 'concern' : 'good_practice';
      const id = ++ids.finding;
      if (kind === 'concern') concernIds.push(id);
      findings.push({
        id,
        review_id: reviewId,
        number: `${section + 1}.${(f % 6) + 1}`,
        section: SECTIONS[section - 1] as string,
        text: paragraph(rnd, 2, 4),
        kind,
        public_health: rnd() < 0.05 ? 1 : 0,
        position: f,
      });
    }

    // 25 recommendations in 4 or 5 groups, each group addressed to 2–4 organisations.
    const groupCount = i % 2 === 0 ? 5 : 4;
    const sizes = groupCount === 5 ? [5, 5, 5, 5, 5] : [7, 6, 6, 6];
    const addressable = covered.filter((o) => o.kind !== 'local_authority');
    let recIndex = 0;
    for (let g = 0; g < groupCount; g++) {
      const groupId = ++ids.group;
      const addressed = sample(rnd, addressable, int(rnd, 2, 4));
      groups.push({
        id: groupId,
        review_id: reviewId,
        number: g + 1,
        heading: `${addressed.map((o) => o.short).join(', ')} should:`,
        position: g,
      });
      for (const o of addressed) groupOrgs.push({ group_id: groupId, organisation_id: o.id });
      for (let n = 0; n < (sizes[g] as number); n++, recIndex++) {
        const recommendationId = ++ids.recommendation;
        const number = `${g + 1}.${n + 1}`;
        generated.recommendationNumbers.push(number);
        recommendations.push({
          id: recommendationId,
          review_id: reviewId,
          group_id: groupId,
          number,
          text: paragraph(rnd, 1, 2),
          outcome: rnd() < 0.9 ? paragraph(rnd, 1, 1) : '',
          anticipated_evidence: 'Audit reports\nTraining records\nMinutes of the safeguarding committee',
          assurance: '',
          responsible_officer: pick(rnd, ROLES),
          position: recIndex,
          archived_at: null,
          version: 1,
        });
        for (const findingId of sample(rnd, concernIds, int(rnd, 1, 3)))
          links.push({ finding_id: findingId, recommendation_id: recommendationId });

        // 4 to 8 actions, 6 on average, each for one or two of the group's organisations.
        const actionCount = 4 + (recIndex % 5);
        for (let a = 0; a < actionCount; a++) {
          const actionId = ++ids.action;
          generated.actionIds.push(actionId);
          const actionOrgList = sample(rnd, addressed, rnd() < 0.7 ? 1 : 2);
          for (const o of actionOrgList) actionOrgs.push({ action_id: actionId, organisation_id: o.id });
          const dueIso = addDays(issued, int(rnd, 60, 900));
          const dateWords = weighted(rnd, [
            [longDate(dueIso), 80],
            [`Complete by ${longDate(dueIso)}`, 10],
            ['Ongoing', 6],
            ['TBC', 4],
          ] as const);
          actions.push({
            id: actionId,
            review_id: reviewId,
            recommendation_id: recommendationId,
            position: a,
            agency_text: actionOrgList.map((o) => o.short).join(' / '),
            action_text: paragraph(rnd, 1, 3),
            lead_text: rnd() < 0.03 ? 'TBC' : `${pick(rnd, ROLES)} (${pick(rnd, PEOPLE)})`,
            lead_user_id: null,
            date_words: dateWords,
            due_date: readDateWords(dateWords).date,
            measure: rnd() < 0.85 ? pick(rnd, MEASURES) : '',
            assurance: '',
            created_on: issued,
            created_at: `${issued}T10:00:00.000Z`,
            updated_at: `${issued}T10:00:00.000Z`,
            archived_at: null,
            version: 1,
          });

          // Progress: spread from the plan's issue to a last update up to ~6 months ago.
          const last = addDays(today, -int(rnd, 0, 180));
          const span = Math.max(0, daysBetween(issued, last));
          for (let p = 0; p < progressPerAction; p++) {
            const on = addDays(issued, Math.round((span * (p + 1)) / progressPerAction));
            progress.push({
              id: ++ids.progress,
              review_id: reviewId,
              action_id: actionId,
              progress_on: on,
              text: progressText(rnd),
              author_user_id: null,
              author_name: pick(rnd, PEOPLE),
              proposed_rating:
                rnd() < 0.3
                  ? pick(
                      rnd,
                      scale === 'BRAG'
                        ? (['blue', 'green', 'amber', 'red'] as const)
                        : (['green', 'amber', 'red'] as const),
                    )
                  : null,
              is_illustrative: 0,
              created_at: `${on}T12:00:00.000Z`,
            });
          }

          // Ratings: unrated, awaiting agreement, agreed, overruled or disputed.
          const colour = (): RatingValue =>
            weighted(
              rnd,
              scale === 'BRAG'
                ? ([
                    ['blue', 25],
                    ['green', 35],
                    ['amber', 25],
                    ['red', 15],
                  ] as const)
                : ([
                    ['green', 45],
                    ['amber', 35],
                    ['red', 20],
                  ] as const),
            );
          const story = weighted(rnd, [
            ['none', 15],
            ['proposed', 15],
            ['agreed', 50],
            ['overruled', 10],
            ['disputed', 10],
          ] as const);
          const rate = (kind: 'proposed' | 'agreed', rating: RatingValue, on: string, overrule = false) =>
            ratings.push({
              id: ++ids.rating,
              review_id: reviewId,
              action_id: actionId,
              kind,
              rating,
              decided_on: on,
              user_id: null,
              actor_name: kind === 'agreed' ? 'Peer challenge group' : pick(rnd, PEOPLE),
              rationale: kind === 'agreed' ? 'Evidence reviewed at the peer challenge meeting.' : progressText(rnd),
              override_reason: overrule ? 'The evidence seen does not yet support the proposal.' : null,
              is_illustrative: 0,
              created_at: `${on}T15:00:00.000Z`,
            });
          const proposedOn = addDays(issued, Math.round(span * 0.5));
          const agreedOn = addDays(proposedOn, int(rnd, 7, 40));
          if (story !== 'none') {
            const proposed = colour();
            rate('proposed', proposed, proposedOn);
            if (story === 'agreed' || story === 'disputed') rate('agreed', proposed, agreedOn);
            if (story === 'overruled') {
              let other = colour();
              while (other === proposed) other = colour();
              rate('agreed', other, agreedOn, true);
            }
            if (story === 'disputed') {
              let later = colour();
              while (later === proposed) later = colour();
              rate('proposed', later, addDays(agreedOn, int(rnd, 14, 60)));
            }
          }

          // Evidence: none for half the actions; notes mostly, sometimes a small file.
          const evidenceCount = weighted(rnd, [
            [0, 50],
            [1, 35],
            [2, 15],
          ] as const);
          for (let e = 0; e < evidenceCount; e++) {
            const on = addDays(issued, int(rnd, 10, Math.max(10, span)));
            const status = weighted<EvidenceStatus>(rnd, [
              ['accepted', 60],
              ['submitted', 30],
              ['rejected', 10],
            ]);
            const base = {
              id: ++ids.evidence,
              review_id: reviewId,
              action_id: actionId,
              title: `${pick(rnd, PROGRESS_OPENINGS)} (${longDate(on)})`,
              effective_on: on,
              status,
              status_reason: status === 'rejected' ? 'Does not show the change asked for.' : null,
              status_by_name: status === 'submitted' ? null : 'Peer challenge group',
              status_at: status === 'submitted' ? null : `${on}T16:00:00.000Z`,
              added_by_user_id: null,
              added_by_name: pick(rnd, PEOPLE),
              is_illustrative: 0,
              created_at: `${on}T11:00:00.000Z`,
            };
            if (rnd() < 0.2) {
              // Files: a pool of small blobs, stored once each, shared by many items.
              let blob = blobs.length >= 200 ? pick(rnd, blobs) : undefined;
              if (!blob) {
                const size = int(rnd, 512, 8192);
                const content = new Uint8Array(size);
                for (let b = 0; b < size; b++) content[b] = Math.floor(rnd() * 256);
                const sha256 = createHash('sha256').update(content).digest('hex');
                const [mediaType, ext] = pick(rnd, BLOB_TYPES);
                blob = { sha256, size, mediaType, ext };
                blobs.push(blob);
                newBlobs.push({ sha256, size, content, created_at: NOW });
              }
              evidence.push({
                ...base,
                kind: 'file',
                blob_sha256: blob.sha256,
                file_name: `evidence-${ids.evidence}.${blob.ext}`,
                media_type: blob.mediaType,
                size: blob.size,
                url: null,
                note: null,
              });
            } else {
              evidence.push({
                ...base,
                kind: 'note',
                blob_sha256: null,
                file_name: null,
                media_type: null,
                size: null,
                url: null,
                note: progressText(rnd),
              });
            }
          }
        }
      }
    }

    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('reviews')
        .values({
          id: reviewId,
          source_key: `bench-${reviewId}`,
          title: `Review of health services for Children Looked After and Safeguarding in ${area}`,
          type: 'CLAS',
          area,
          review_start: addDays(published, -int(rnd, 50, 70)),
          review_end: addDays(published, -int(rnd, 40, 49)),
          report_published: published,
          report_received: received,
          inspectors: JSON.stringify([pick(rnd, PEOPLE), pick(rnd, PEOPLE)]),
          cqc_region: REGIONS[Math.floor(i / 10) % REGIONS.length] as string,
          nhs_england_area: REGIONS[Math.floor(i / 10) % REGIONS.length] as string,
          children_cases: int(rnd, 60, 140),
          lead_organisation_id: lead.id,
          rating_scale: scale,
          plan_issued: issued,
          stale_days: null,
          is_demo: 0,
          illustrative_notice: null,
          created_at: `${received}T09:00:00.000Z`,
          updated_at: NOW,
          version: 1,
        })
        .execute();
      await insertAll(
        trx,
        'review_organisations',
        covered.map((o) => ({ review_id: reviewId, organisation_id: o.id })),
      );
      await insertAll(trx, 'findings', findings);
      await insertAll(trx, 'recommendation_groups', groups);
      await insertAll(trx, 'recommendation_group_organisations', groupOrgs);
      await insertAll(trx, 'recommendations', recommendations);
      await insertAll(trx, 'finding_recommendations', links);
      await insertAll(trx, 'actions', actions);
      await insertAll(trx, 'action_organisations', actionOrgs);
      await insertAll(trx, 'progress_updates', progress);
      await insertAll(trx, 'rating_events', ratings);
      await insertAll(trx, 'blobs', newBlobs);
      await insertAll(trx, 'evidence_items', evidence);
      await insertAll(
        trx,
        'plan_versions',
        [0, 1].map((v) => ({
          id: ++ids.version,
          review_id: reviewId,
          number: String(v + 1),
          issued_on: addDays(issued, v * 90),
          author: lead.short,
          purpose: v === 0 ? 'Plan sent to CQC' : 'Quarterly update',
          action_text: v === 0 ? 'Issued' : 'Progress and ratings updated',
          comment: '',
          recipients: 'CQC; NHS England',
          snapshot: null,
          created_by_user_id: null,
          created_at: NOW,
        })),
      );
    });
    result.reviews.push(generated);
    options.onProgress?.(i + 1, reviewCount);
  }

  if (handle.kind === 'postgres') {
    // Explicit ids leave the identity sequences behind; move them on so later inserts work,
    // and gather statistics as autovacuum would soon after a bulk load.
    const tables = [
      'organisations',
      'reviews',
      'findings',
      'recommendation_groups',
      'recommendations',
      'actions',
      'progress_updates',
      'rating_events',
      'evidence_items',
      'plan_versions',
    ];
    for (const table of tables) {
      const next = sql`coalesce((select max(id) from ${sql.table(table)}), 0) + 1`;
      await sql`select setval(pg_get_serial_sequence(${table}, 'id'), ${next}, false)`.execute(db);
    }
    await sql`analyze`.execute(db);
  }
  return result;
}

/** Row counts of the tables the benchmark cares about, counted from the database. */
export async function countRows(db: Db): Promise<Record<string, number>> {
  const tables = [
    'reviews',
    'organisations',
    'review_organisations',
    'findings',
    'finding_recommendations',
    'recommendation_groups',
    'recommendations',
    'actions',
    'action_organisations',
    'progress_updates',
    'rating_events',
    'evidence_items',
    'blobs',
    'plan_versions',
  ] as const;
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = row.n;
  }
  return counts;
}

// Standalone: fill the configured database.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { loadConfig } = await import('../src/config.ts');
  const { openConfiguredDatabase } = await import('../src/platform/db/open.ts');
  const handle = await openConfiguredDatabase(loadConfig());
  try {
    const started = performance.now();
    await generate(handle, { reviews: Number(process.env.BENCH_REVIEWS ?? 150) });
    console.log(`Generated into ${handle.location} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    console.log(await countRows(handle.db));
  } finally {
    await handle.close();
  }
}
