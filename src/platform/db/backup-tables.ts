import { createHash } from 'node:crypto';
import { CompiledQuery, type Kysely } from 'kysely';
import type { DatabaseKind, Db } from './database.ts';
import { insertInBatches } from './batch-insert.ts';

/*
 * Every table of a Clasp database, read and written the same way on SQLite and PostgreSQL: for
 * backups of PostgreSQL, restoring them, and moving an SQLite database to PostgreSQL. Rows are
 * read in primary-key order (byte order for text keys on both databases) and rendered
 * canonically, so one table's checksum is the same whichever database holds it.
 *
 * The exported API, for any command that copies whole databases or reviews:
 * - describeTables(db, kind): the tables, their columns, keys and the order to fill them in;
 * - readRows(db, kind, table, pageSize): the rows of one table, page by page, in key order;
 * - canonicalRow / encodeValue / decodeValue: one row as plain JSON, and back;
 * - TableChecksum / checksumTables(db, kind): counts and SHA-256 per table;
 * - writeRows(trx, kind, table, rows) and resetSequences(trx, tables): filling an empty database.
 */

/** Tables the migrator keeps for itself: never copied, compared by their migration names instead. */
export const MIGRATOR_TABLES = ['kysely_migration', 'kysely_migration_lock'];

export interface TableInfo {
  name: string;
  /** Column names, sorted: the canonical order of a row's values. */
  columns: string[];
  /** Primary-key columns, in key order. */
  primaryKey: string[];
  /** Columns of text type (ordered byte-wise on PostgreSQL with COLLATE "C"). */
  textColumns: string[];
  /** Tables this one refers to by foreign key (itself excluded). */
  references: string[];
  /** PostgreSQL identity columns whose sequence follows the copied ids. */
  identity: string[];
  /** Columns of bytes (evidence files): their tables are read a few rows at a time. */
  bytesColumns: string[];
}

type AnyDb = Kysely<unknown> | Db;

async function rows<R>(db: AnyDb, text: string, parameters: unknown[] = []): Promise<R[]> {
  const result = await (db as Db).executeQuery<R>(CompiledQuery.raw(text, parameters));
  return result.rows;
}

/** A quoted identifier, the same on both databases. */
export function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Every table but the migrator's, in an order where each comes after the tables it refers to. */
export async function describeTables(db: AnyDb, kind: DatabaseKind): Promise<TableInfo[]> {
  const tables = kind === 'sqlite' ? await describeSqlite(db) : await describePostgres(db);
  return dependencyOrder(tables.filter((t) => !MIGRATOR_TABLES.includes(t.name)));
}

async function describeSqlite(db: AnyDb): Promise<TableInfo[]> {
  const names = await rows<{ name: string }>(
    db,
    "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name",
  );
  const tables: TableInfo[] = [];
  for (const { name } of names) {
    const columns = await rows<{ name: string; type: string; pk: number }>(db, `pragma table_info(${quote(name)})`);
    const keys = await rows<{ table: string }>(db, `pragma foreign_key_list(${quote(name)})`);
    tables.push({
      name,
      columns: columns.map((c) => c.name).sort(),
      primaryKey: columns
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name),
      textColumns: columns.filter((c) => /char|clob|text/i.test(c.type)).map((c) => c.name),
      references: [...new Set(keys.map((k) => k.table))].filter((t) => t !== name),
      identity: [],
      bytesColumns: columns.filter((c) => /blob/i.test(c.type)).map((c) => c.name),
    });
  }
  return tables;
}

async function describePostgres(db: AnyDb): Promise<TableInfo[]> {
  const columns = await rows<{ table_name: string; column_name: string; data_type: string; is_identity: string }>(
    db,
    `select c.table_name, c.column_name, c.data_type, c.is_identity
       from information_schema.columns c
       join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
      order by c.table_name, c.ordinal_position`,
  );
  const keys = await rows<{ table_name: string; column_name: string; position: number }>(
    db,
    `select cl.relname as table_name, a.attname as column_name, array_position(c.conkey, a.attnum) as position
       from pg_constraint c
       join pg_class cl on cl.oid = c.conrelid
       join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any(c.conkey)
      where c.contype = 'p' and cl.relnamespace = current_schema()::regnamespace`,
  );
  const references = await rows<{ table_name: string; referenced: string }>(
    db,
    `select distinct cl.relname as table_name, ref.relname as referenced
       from pg_constraint c
       join pg_class cl on cl.oid = c.conrelid
       join pg_class ref on ref.oid = c.confrelid
      where c.contype = 'f' and cl.relnamespace = current_schema()::regnamespace`,
  );
  const byName = new Map<string, TableInfo>();
  for (const c of columns) {
    let table = byName.get(c.table_name);
    if (!table) {
      table = {
        name: c.table_name,
        columns: [],
        primaryKey: [],
        textColumns: [],
        references: [],
        identity: [],
        bytesColumns: [],
      };
      byName.set(c.table_name, table);
    }
    table.columns.push(c.column_name);
    if (c.data_type === 'text' || c.data_type === 'character varying') table.textColumns.push(c.column_name);
    if (c.is_identity === 'YES') table.identity.push(c.column_name);
    if (c.data_type === 'bytea') table.bytesColumns.push(c.column_name);
  }
  for (const k of [...keys].sort((a, b) => a.position - b.position))
    byName.get(k.table_name)?.primaryKey.push(k.column_name);
  for (const r of references) {
    if (r.referenced !== r.table_name) byName.get(r.table_name)?.references.push(r.referenced);
  }
  for (const t of byName.values()) t.columns.sort();
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** Tables sorted so that each follows those it refers to; names break ties, so the order is stable. */
function dependencyOrder(tables: TableInfo[]): TableInfo[] {
  const ordered: TableInfo[] = [];
  const placed = new Set<string>();
  const known = new Set(tables.map((t) => t.name));
  let remaining = tables;
  while (remaining.length > 0) {
    const ready = remaining.filter((t) => t.references.every((r) => placed.has(r) || !known.has(r)));
    if (ready.length === 0) {
      throw new Error(`The tables ${remaining.map((t) => t.name).join(', ')} refer to each other in a circle.`);
    }
    for (const t of ready) {
      ordered.push(t);
      placed.add(t.name);
    }
    remaining = remaining.filter((t) => !placed.has(t.name));
  }
  return ordered;
}

/** One value as plain JSON: bytes as {"$bytes": base64}, booleans as 1/0, big integers as numbers. */
export type PlainValue = string | number | null | { $bytes: string };

export function encodeValue(value: unknown): PlainValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') };
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

export function decodeValue(value: PlainValue): unknown {
  if (value !== null && typeof value === 'object') return Buffer.from(value.$bytes, 'base64');
  return value;
}

/** A row's values in the table's canonical column order. */
export function canonicalRow(table: TableInfo, row: Record<string, unknown>): PlainValue[] {
  return table.columns.map((c) => encodeValue(row[c]));
}

function orderColumn(table: TableInfo, kind: DatabaseKind, column: string): string {
  return kind === 'postgres' && table.textColumns.includes(column) ? `${quote(column)} collate "C"` : quote(column);
}

/** Rows a page holds: few for tables of files (each may be megabytes), more for the rest. */
export function pageSizeOf(table: TableInfo): number {
  return table.bytesColumns.length > 0 ? 10 : 500;
}

/**
 * The rows of one table in primary-key order, a page at a time (keyset paging, so a big table
 * costs no more per page than a small one). Run it inside one transaction to see one moment.
 */
export async function* readRows(
  db: AnyDb,
  kind: DatabaseKind,
  table: TableInfo,
  pageSize = pageSizeOf(table),
): AsyncGenerator<Record<string, unknown>[]> {
  const key = table.primaryKey.length > 0 ? table.primaryKey : table.columns;
  const order = key.map((c) => orderColumn(table, kind, c)).join(', ');
  const select = `select ${table.columns.map(quote).join(', ')} from ${quote(table.name)}`;
  const placeholder = (i: number) => (kind === 'postgres' ? `$${i + 1}` : '?');
  let last: unknown[] | null = null;
  for (;;) {
    let text = select;
    if (last) {
      const left = key.length === 1 ? order : `(${order})`;
      const right = key.length === 1 ? placeholder(0) : `(${key.map((_, i) => placeholder(i)).join(', ')})`;
      text += ` where ${left} > ${right}`;
    }
    text += ` order by ${order} limit ${pageSize}`;
    const page = await rows<Record<string, unknown>>(db, text, last ?? []);
    if (page.length === 0) return;
    yield page;
    if (page.length < pageSize) return;
    const final = page[page.length - 1] as Record<string, unknown>;
    last = key.map((c) => final[c]);
  }
}

/** A table's count of rows and the SHA-256 of its canonical rows, one JSON line each, in key order. */
export interface TableChecksum {
  rows: number;
  sha256: string;
}

/** Adds rows to a running checksum. */
export class TableHasher {
  readonly #hash = createHash('sha256');
  #rows = 0;
  add(values: PlainValue[]): void {
    this.#hash.update(`${JSON.stringify(values)}\n`);
    this.#rows += 1;
  }
  digest(): TableChecksum {
    return { rows: this.#rows, sha256: this.#hash.digest('hex') };
  }
}

/** Counts and checksums of every table (run inside one transaction to see one moment). */
export async function checksumTables(
  db: AnyDb,
  kind: DatabaseKind,
  tables?: TableInfo[],
): Promise<Map<string, TableChecksum>> {
  const result = new Map<string, TableChecksum>();
  for (const table of tables ?? (await describeTables(db, kind))) {
    const hasher = new TableHasher();
    for await (const page of readRows(db, kind, table)) for (const row of page) hasher.add(canonicalRow(table, row));
    result.set(table.name, hasher.digest());
  }
  return result;
}

/** The names of the migrations applied, in order. */
export async function migrationNames(db: AnyDb): Promise<string[]> {
  const found = await rows<{ name: string }>(db, 'select name from kysely_migration order by name');
  return found.map((r) => r.name);
}

/** Tables holding rows, with their counts (the migrator's tables left out). */
export async function tablesWithRows(db: AnyDb, tables: TableInfo[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const table of tables) {
    const [row] = await rows<{ n: number | string }>(db, `select count(*) as n from ${quote(table.name)}`);
    const n = Number(row?.n ?? 0);
    if (n > 0) counts.set(table.name, n);
  }
  return counts;
}

/** Inserts canonical rows (values in table.columns order) in batches, in the caller's transaction. */
export async function writeRows(trx: Db, table: TableInfo, values: PlainValue[][]): Promise<void> {
  const objects = values.map((row) =>
    Object.fromEntries(table.columns.map((c, i) => [c, decodeValue(row[i] ?? null)])),
  );
  await insertInBatches(trx, table.name as never, objects as never);
}

/**
 * PostgreSQL: moves each identity column's sequence past the highest id copied, so the next
 * row the application adds gets a new id. SQLite needs nothing: it takes the next id from the table.
 */
export async function resetSequences(trx: Db, tables: TableInfo[]): Promise<void> {
  for (const table of tables) {
    for (const column of table.identity) {
      await rows(
        trx,
        `select setval(pg_get_serial_sequence($1, $2), ` +
          `coalesce((select max(${quote(column)}) from ${quote(table.name)}), 0) + 1, false)`,
        [quote(table.name), column],
      );
    }
  }
}

/**
 * PostgreSQL: turns the tables' own triggers off (or on again) for this transaction's copy, so
 * rows go in exactly as they were: triggers that bump a review's plan revision on every insert
 * would otherwise change the copied reviews. Foreign keys stay checked. Needs the tables' owner.
 */
export async function setUserTriggers(trx: Db, tables: TableInfo[], on: boolean): Promise<void> {
  for (const table of tables) {
    await rows(trx, `alter table ${quote(table.name)} ${on ? 'enable' : 'disable'} trigger user`);
  }
}

/** Which tables' checksums differ between two sets, as sentences naming them. */
export function compareChecksums(expected: Map<string, TableChecksum>, actual: Map<string, TableChecksum>): string[] {
  const problems: string[] = [];
  for (const [name, want] of expected) {
    const got = actual.get(name);
    if (!got) problems.push(`the table ${name} is missing`);
    else if (got.rows !== want.rows) problems.push(`${name} has ${got.rows} rows, not ${want.rows}`);
    else if (got.sha256 !== want.sha256) problems.push(`${name} has the same ${got.rows} rows but different contents`);
  }
  for (const name of actual.keys()) if (!expected.has(name)) problems.push(`the table ${name} was not expected`);
  return problems;
}
