import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { BackupWriter, sniffBackup } from './backup-file.ts';
import { decodeValue, encodeValue, TableHasher } from './backup-tables.ts';
import { backupKind, verifyBackupFile } from './backup.ts';

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'clasp-backup-unit-'));
after(() => fs.rmSync(folder, { recursive: true, force: true }));

const header = {
  format: 'clasp-backup',
  version: 1,
  source: 'postgres',
  createdAt: '2026-12-07T00:00:00Z',
  migrations: [],
};

/** A backup file of one table with these rows; `end` overrides what its end line says. */
async function writeFile(name: string, rows: unknown[][], options: { end?: object; complete?: boolean } = {}) {
  const file = path.join(folder, name);
  const writer = new BackupWriter(file);
  const hasher = new TableHasher();
  await writer.line(header);
  await writer.line({ table: 'things', columns: ['id', 'name'] });
  for (const row of rows) {
    hasher.add(row as never);
    await writer.line(row);
  }
  await writer.line({ end: 'things', ...hasher.digest(), ...options.end });
  if (options.complete !== false) await writer.line({ complete: true, tables: 1 });
  await writer.close();
  return file;
}

describe('values rendered the same from either database', () => {
  it('turns booleans into 1 and 0, bytes into base64 and back, and leaves text and numbers as they are', () => {
    assert.equal(encodeValue(true), 1);
    assert.equal(encodeValue(false), 0);
    assert.equal(encodeValue(12n), 12);
    assert.equal(encodeValue(undefined), null);
    assert.equal(encodeValue('2026-12-07'), '2026-12-07');
    const bytes = Buffer.from([0, 1, 2, 255]);
    const encoded = encodeValue(bytes);
    assert.deepEqual(encoded, { $bytes: 'AAEC/w==' });
    assert.ok(bytes.equals(decodeValue(encoded) as Buffer));
    assert.equal(decodeValue('text'), 'text');
  });

  it('gives the same checksum for the same rows, and another for other rows', () => {
    const sum = (rows: (string | number)[][]) => {
      const hasher = new TableHasher();
      rows.forEach((r) => hasher.add(r));
      return hasher.digest();
    };
    assert.deepEqual(sum([[1, 'a']]), sum([[1, 'a']]));
    assert.notEqual(sum([[1, 'a']]).sha256, sum([[1, 'b']]).sha256);
    assert.notEqual(sum([[1, 'a']]).sha256, sum([['1', 'a']]).sha256);
  });
});

describe('checking a backup file before anything is restored', () => {
  it('accepts a whole file and gives its tables with their counts', async () => {
    const file = await writeFile('whole.backup', [
      [1, 'one'],
      [2, 'two'],
    ]);
    assert.equal(sniffBackup(file), 'clasp');
    const verified = await verifyBackupFile(file);
    assert.deepEqual(
      verified.tables.map((t) => [t.name, t.checksum.rows]),
      [['things', 2]],
    );
  });

  it('refuses a table whose rows do not match its checksum, naming it', async () => {
    const file = await writeFile('damaged.backup', [[1, 'one']], { end: { sha256: '0'.repeat(64) } });
    await assert.rejects(verifyBackupFile(file), /is damaged: the table things does not match its checksum/);
  });

  it('refuses a file cut short', async () => {
    const file = await writeFile('short.backup', [[1, 'one']], { complete: false });
    await assert.rejects(verifyBackupFile(file), /stops before its end \(was the copy cut short\?\)/);
  });

  it('refuses a file that is not a backup, saying what it is not', () => {
    const file = path.join(folder, 'notes.txt');
    fs.writeFileSync(file, 'not a backup');
    assert.throws(() => backupKind(file), /is not a Clasp backup: it is neither an SQLite database nor a file made by/);
    assert.throws(() => backupKind(path.join(folder, 'missing')), /There is no file/);
  });
});
