import fs from 'node:fs';
import readline from 'node:readline';
import { once } from 'node:events';
import zlib from 'node:zlib';
import type { PlainValue, TableChecksum } from './backup-tables.ts';

/*
 * Clasp's own backup format, for PostgreSQL: gzip-compressed JSON, one value per line.
 *
 *   {"format":"clasp-backup","version":1,"source":"postgres","createdAt":"…","migrations":[…]}
 *   {"table":"organisations","columns":["created_at","id",…]}
 *   ["2026-11-23T…",1,…]                      one line per row, values in the columns' order
 *   {"end":"organisations","rows":8,"sha256":"…"}
 *   … every table, each after those it refers to …
 *   {"complete":true,"tables":46}
 *
 * Bytes are {"$bytes": base64}. A table's sha256 is that of its row lines (each with its newline):
 * the same checksum checksumTables gives for the table in any Clasp database.
 */

export const BACKUP_FORMAT = 'clasp-backup';
export const BACKUP_VERSION = 1;

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  source: 'postgres' | 'sqlite';
  createdAt: string;
  migrations: string[];
}

export class BackupFileError extends Error {}

/** What a file holds, from its first bytes: an SQLite database, Clasp's own format, or neither. */
export function sniffBackup(file: string): 'sqlite' | 'clasp' | 'unknown' {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(16);
    const read = fs.readSync(fd, head, 0, 16, 0);
    if (read >= 16 && head.toString('latin1') === 'SQLite format 3\0') return 'sqlite';
    if (read >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'clasp';
    return 'unknown';
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes a backup file line by line, waiting for the disk when it is behind. */
export class BackupWriter {
  readonly #gzip = zlib.createGzip();
  readonly #file: fs.WriteStream;
  readonly #finished: Promise<void>;

  constructor(path: string) {
    this.#file = fs.createWriteStream(path, { flags: 'wx' });
    this.#gzip.pipe(this.#file);
    this.#finished = new Promise((resolve, reject) => {
      this.#file.on('close', resolve);
      this.#file.on('error', reject);
      this.#gzip.on('error', reject);
    });
  }

  async line(value: unknown): Promise<void> {
    if (!this.#gzip.write(`${JSON.stringify(value)}\n`)) await once(this.#gzip, 'drain');
  }

  async close(): Promise<void> {
    this.#gzip.end();
    await this.#finished;
  }

  /** Stops writing (after a failure); the caller removes the file. */
  async abort(): Promise<void> {
    this.#gzip.destroy();
    this.#file.destroy();
    await this.#finished.catch(() => undefined);
  }
}

/** One part of a backup file as it is read. */
export type BackupEvent =
  | { kind: 'header'; header: BackupHeader }
  | { kind: 'table'; table: string; columns: string[] }
  | { kind: 'rows'; table: string; rows: PlainValue[][] }
  | { kind: 'end'; table: string; checksum: TableChecksum };

/** A page of rows read from a file is handed on at this many characters, or at pageSize rows. */
const PAGE_CHARACTERS = 8 * 1024 * 1024;

/**
 * Reads a backup file in order, rows in pages of pageSize (fewer when they are large: files).
 * Throws a BackupFileError, naming the line, when the file is not a whole Clasp backup (cut
 * short, damaged or of another kind).
 */
export async function* readBackup(path: string, pageSize = 500): AsyncGenerator<BackupEvent> {
  const input = fs.createReadStream(path).pipe(zlib.createGunzip());
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  let number = 0;
  let table: string | null = null;
  let page: PlainValue[][] = [];
  let pageCharacters = 0;
  let complete = false;
  const fail = (why: string) => new BackupFileError(`The backup file ${path} is not whole (line ${number}): ${why}.`);
  try {
    for await (const text of lines) {
      number += 1;
      if (complete) throw fail('there is more after its end');
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw fail('a line is not JSON');
      }
      if (number === 1) {
        const header = value as Partial<BackupHeader> | null;
        if (header?.format !== BACKUP_FORMAT) throw fail('it does not start as a Clasp backup');
        if (header.version !== BACKUP_VERSION) {
          throw new BackupFileError(
            `The backup file ${path} is of version ${String(header.version)}; ` +
              `this Clasp reads version ${BACKUP_VERSION}.`,
          );
        }
        yield { kind: 'header', header: header as BackupHeader };
        continue;
      }
      if (Array.isArray(value)) {
        if (table === null) throw fail('a row is outside any table');
        page.push(value as PlainValue[]);
        pageCharacters += text.length;
        if (page.length >= pageSize || pageCharacters >= PAGE_CHARACTERS) {
          yield { kind: 'rows', table, rows: page };
          page = [];
          pageCharacters = 0;
        }
        continue;
      }
      const record = value as Record<string, unknown>;
      if (typeof record.table === 'string' && Array.isArray(record.columns)) {
        if (table !== null) throw fail(`the table ${table} has no end`);
        table = record.table;
        yield { kind: 'table', table, columns: record.columns as string[] };
      } else if (typeof record.end === 'string') {
        if (record.end !== table) throw fail(`the end of ${record.end} is not where it should be`);
        if (page.length > 0) yield { kind: 'rows', table, rows: page };
        page = [];
        pageCharacters = 0;
        yield { kind: 'end', table, checksum: { rows: Number(record.rows), sha256: String(record.sha256) } };
        table = null;
      } else if (record.complete === true) {
        if (table !== null) throw fail(`the table ${table} has no end`);
        complete = true;
      } else {
        throw fail('a line is of no known kind');
      }
    }
  } catch (error) {
    if (error instanceof BackupFileError) throw error;
    throw new BackupFileError(
      `Could not read the backup file ${path}: it is damaged or was cut short (${(error as Error).message}).`,
    );
  }
  if (number === 0) throw new BackupFileError(`The backup file ${path} is empty.`);
  if (!complete) throw fail('it stops before its end (was the copy cut short?)');
}
