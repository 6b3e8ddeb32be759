import path from 'node:path';
import type { Config } from '../../config.ts';
import { openDatabase, type DatabaseHandle } from './database.ts';
import { migrateToLatest } from './migrate.ts';

export function sqliteFile(config: Config): string {
  return path.join(config.dataDir, 'clasp.db');
}

/** Opens the configured database and migrates it; a failure names the file or URL and the cause. */
export async function openConfiguredDatabase(config: Config): Promise<DatabaseHandle> {
  const handle = await openDatabase({ url: config.databaseUrl, sqliteFile: sqliteFile(config) });
  try {
    await migrateToLatest(handle);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}
