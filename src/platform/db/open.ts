import path from 'node:path';
import type { Config } from '../../config.ts';
import { openDatabase, type DatabaseHandle } from './database.ts';
import { migrateToLatest } from './migrate.ts';
import { migrateAsOwner } from './roles.ts';

export function sqliteFile(config: Config): string {
  return path.join(config.dataDir, 'clasp.db');
}

/**
 * Opens the configured database and migrates it; a failure names the file or URL and the cause.
 * With DATABASE_OWNER_URL, migrations run as the owner, which then grants the app's role (the
 * role of DATABASE_URL) its rights; the handle returned is the app's connection. Warnings (the
 * app's role can bypass the history triggers) go to warn.
 */
export async function openConfiguredDatabase(
  config: Config,
  warn: (message: string) => void = (message) => process.stderr.write(`clasp: ${message}\n`),
): Promise<DatabaseHandle> {
  const handle = await openDatabase({ url: config.databaseUrl, sqliteFile: sqliteFile(config) });
  try {
    if (config.databaseOwnerUrl) {
      const owner = await openDatabase({ url: config.databaseOwnerUrl, poolSize: 1 });
      try {
        const { warnings } = await migrateAsOwner(owner, handle);
        warnings.forEach(warn);
      } finally {
        await owner.close();
      }
    } else {
      await migrateToLatest(handle);
    }
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}
