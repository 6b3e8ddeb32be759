// The file a review travels in: a zip with a manifest, one JSON file per table, the review's
// audit events, the people and organisations it names, and its evidence files by SHA-256.
import { createHash } from 'node:crypto';
import JSZip from 'jszip';
import { z } from 'zod';
import { TransferRefused } from './transfer-errors.ts';
import { TABLES, type TransferTable } from './transfer-tables.ts';

export const FORMAT = 'clasp-review';
/** Bumped when an older Clasp could not read the file correctly; an import refuses a newer one. */
export const FORMAT_VERSION = 1;

export type Row = Record<string, unknown>;

const rowsSchema = z.array(z.record(z.string(), z.unknown()));
const peopleSchema = z.array(z.object({ id: z.number(), email: z.string(), name: z.string() }));
const organisationsSchema = z.array(
  z.object({ id: z.number(), name: z.string(), short_name: z.string(), kind: z.string() }),
);

export type Person = z.infer<typeof peopleSchema>[number];
export type Organisation = z.infer<typeof organisationsSchema>[number];

/** Only what says what the file is: checked first, so a newer format is named as such. */
const formatSchema = z.object({ format: z.literal(FORMAT), formatVersion: z.number().int() });

const manifestSchema = z.object({
  format: z.string(),
  formatVersion: z.number().int(),
  /** The newest database migration of the Clasp that wrote it. */
  migration: z.string(),
  /** Unique to this export. */
  exportId: z.string(),
  exportedAt: z.string(),
  source: z.object({
    /** The hash of the first event of the source's audit trail: the same for every export from one database. */
    instance: z.string(),
    database: z.string(),
    reviewId: z.number().int(),
    title: z.string(),
    area: z.string(),
  }),
  counts: z.record(z.string(), z.number()),
  /** SHA-256 (hex) of every other entry in the zip, by its path. */
  entries: z.record(z.string(), z.string()),
});

export type Manifest = z.infer<typeof manifestSchema>;

export interface TransferContent {
  manifest: Manifest;
  tables: Record<TransferTable, Row[]>;
  auditEvents: Row[];
  people: Person[];
  organisations: Organisation[];
  /** Evidence and import files by SHA-256. */
  files: Map<string, Uint8Array>;
}

export const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

const tablePath = (name: string) => `tables/${name}.json`;
const filePath = (hash: string) => `files/${hash}`;

export async function writeTransferZip(
  content: Omit<TransferContent, 'manifest'>,
  manifest: Omit<Manifest, 'entries' | 'counts'>,
) {
  const zip = new JSZip();
  const entries: Record<string, string> = {};
  const counts: Record<string, number> = {};
  const add = (name: string, data: Uint8Array | string) => {
    entries[name] = sha256(data);
    zip.file(name, data, { date: new Date(manifest.exportedAt) });
  };
  const json = (value: unknown) => `${JSON.stringify(value, null, 1)}\n`;
  for (const spec of TABLES) {
    add(tablePath(spec.name), json(content.tables[spec.name]));
    counts[spec.name] = content.tables[spec.name].length;
  }
  add('audit_events.json', json(content.auditEvents));
  counts.audit_events = content.auditEvents.length;
  add('people.json', json(content.people));
  counts.people = content.people.length;
  add('organisations.json', json(content.organisations));
  counts.organisations = content.organisations.length;
  for (const [hash, bytes] of [...content.files].sort(([a], [b]) => a.localeCompare(b))) add(filePath(hash), bytes);
  counts.files = content.files.size;
  const full: Manifest = { ...manifest, counts, entries };
  zip.file('manifest.json', json(full), { date: new Date(manifest.exportedAt) });
  const bytes = await zip.generateAsync({
    type: 'uint8array',
    compression: 'DEFLATE',
    compressionOptions: { level: 6 },
  });
  return { bytes, manifest: full };
}

/** Why a file cannot be trusted, then what to do. */
function damaged(fileName: string, detail: string): TransferRefused {
  return new TransferRefused(
    `"${fileName}" is not a complete review export from Clasp (${detail}): it may be damaged or changed ` +
      'since it was written. Export the review again and use the new file.',
  );
}

/** Reads and checks the whole file before anything is written: the manifest, every checksum and every count. */
export async function readTransferZip(fileName: string, bytes: Uint8Array): Promise<TransferContent> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes, { checkCRC32: true });
  } catch {
    throw damaged(fileName, `it cannot be opened as a zip file`);
  }
  const read = async (name: string): Promise<Uint8Array> => {
    const entry = zip.file(name);
    if (!entry) throw damaged(fileName, `${name} is missing`);
    try {
      return await entry.async('uint8array');
    } catch {
      throw damaged(fileName, `${name} cannot be read`);
    }
  };
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(await read('manifest.json')).toString('utf8'));
  } catch (error) {
    if (error instanceof TransferRefused) throw error;
    throw damaged(fileName, `its manifest cannot be read`);
  }
  const format = formatSchema.safeParse(raw);
  if (!format.success)
    throw new TransferRefused(
      `"${fileName}" is not a review export from Clasp. ` +
        'Make one with "clasp export review --review ID --out FILE.zip".',
    );
  if (format.data.formatVersion > FORMAT_VERSION)
    throw new TransferRefused(
      `"${fileName}" was written by a newer Clasp (export format ${format.data.formatVersion}; this Clasp reads ` +
        `up to ${FORMAT_VERSION}). Upgrade this Clasp, then import it again.`,
    );
  const checked = manifestSchema.safeParse(raw);
  if (!checked.success) throw damaged(fileName, `its manifest is incomplete`);
  const manifest = checked.data;
  const listed = new Set(Object.keys(manifest.entries));
  for (const name of Object.keys(zip.files)) {
    if (zip.files[name]?.dir === true || name === 'manifest.json') continue;
    if (!listed.has(name)) throw damaged(fileName, `${name} is not in its manifest`);
  }
  const contents = new Map<string, Uint8Array>();
  for (const [name, expected] of Object.entries(manifest.entries)) {
    const data = await read(name);
    if (sha256(data) !== expected) throw damaged(fileName, `${name} does not match its checksum`);
    contents.set(name, data);
  }
  const parse = <T extends z.ZodType>(name: string, schema: T): z.infer<T> => {
    const data = contents.get(name);
    if (!data) throw damaged(fileName, `${name} is missing`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(data).toString('utf8'));
    } catch {
      throw damaged(fileName, `${name} cannot be read`);
    }
    const result = schema.safeParse(parsed);
    if (!result.success) throw damaged(fileName, `${name} is not as Clasp writes it`);
    return result.data;
  };
  const tables = {} as Record<TransferTable, Row[]>;
  for (const spec of TABLES) tables[spec.name] = parse(tablePath(spec.name), rowsSchema);
  const files = new Map<string, Uint8Array>();
  for (const [name, data] of contents) {
    if (!name.startsWith('files/')) continue;
    const hash = name.slice('files/'.length);
    if (sha256(data) !== hash) throw damaged(fileName, `${name} is not the file it names`);
    files.set(hash, data);
  }
  const content: TransferContent = {
    manifest,
    tables,
    auditEvents: parse('audit_events.json', rowsSchema),
    people: parse('people.json', peopleSchema),
    organisations: parse('organisations.json', organisationsSchema),
    files,
  };
  const actual: Record<string, number> = {
    audit_events: content.auditEvents.length,
    people: content.people.length,
    organisations: content.organisations.length,
    files: files.size,
  };
  for (const spec of TABLES) actual[spec.name] = tables[spec.name].length;
  for (const [name, count] of Object.entries(actual))
    if (manifest.counts[name] !== count)
      throw damaged(fileName, `it holds ${count} ${name}, its manifest says ${String(manifest.counts[name])}`);
  if (tables.reviews.length !== 1) throw damaged(fileName, 'it must hold exactly one review');
  return content;
}
