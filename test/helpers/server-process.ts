// The real server as a child process (`clasp serve`), on SQLite in a folder of its own or on a
// PostgreSQL database of its own: for tests of what only a whole process shows (shutting down,
// crashing, several instances on one database, backups taken while it runs).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export const CLASP_BIN = path.resolve(import.meta.dirname, '../../bin/clasp');

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  /** http://127.0.0.1:PORT */
  base: string;
  /** Every log line so far, parsed. */
  logs: Record<string, unknown>[];
  stderr: () => string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** SIGTERM, then waits for the exit; resolves with its code. */
  stop: () => Promise<number | null>;
  /** SIGKILL: no clean-up of any kind, as a power cut or an out-of-memory kill. */
  kill: () => Promise<void>;
}

/** Where a server keeps its data: an SQLite folder, or a PostgreSQL database URL. */
export interface ServerStore {
  name: 'sqlite' | 'postgres';
  /** The environment that points a process (server or CLI) at this store. */
  env: Record<string, string>;
  /** Removes the folder or drops the database. */
  dispose: () => Promise<void>;
}

/** A fresh, empty SQLite data folder. */
export function sqliteStore(): ServerStore {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clasp-proc-'));
  return {
    name: 'sqlite',
    env: { CLASP_DATA_DIR: dir },
    dispose: () => {
      fs.rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}

/** The URL of a database `name` on the test cluster (TEST_DATABASE_URL's server and user). */
export function databaseUrl(name: string): string {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set: run the tests with "npm test".');
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** A fresh, empty PostgreSQL database on the test cluster (the test role may create databases). */
export async function postgresStore(): Promise<ServerStore> {
  const name = `clasp_p_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clasp-proc-'));
  return {
    name: 'postgres',
    env: { DATABASE_URL: databaseUrl(name), CLASP_DATA_DIR: dir },
    dispose: async () => {
      fs.rmSync(dir, { recursive: true, force: true });
      await adminQuery(`drop database if exists ${name} with (force)`);
    },
  };
}

/** Both kinds of store, for tests that run once per database. */
export const storeKinds: { name: 'sqlite' | 'postgres'; make: () => Promise<ServerStore> }[] = [
  { name: 'sqlite', make: () => Promise.resolve(sqliteStore()) },
  { name: 'postgres', make: postgresStore },
];

/**
 * The environment for a child process on `store`: this process's, without any database setting
 * of its own, reminders off unless asked for, info logs (the tests read them).
 */
export function processEnvironment(store: ServerStore, env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = { ...process.env, CLASP_REMINDERS_EVERY_MINUTES: '0', LOG_LEVEL: 'info' };
  delete clean.DATABASE_URL;
  delete clean.DATABASE_OWNER_URL;
  delete clean.CLASP_DATA_DIR;
  return { ...clean, ...store.env, ...env };
}

/**
 * Starts `clasp serve --port 0 [args]` on `store` and waits until it says where it listens. One
 * that exits first, or is not listening within `limitMs` (killed then), is refused with what it
 * printed.
 */
export async function startServer(
  store: ServerStore,
  options: { env?: Record<string, string>; args?: string[]; limitMs?: number } = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [CLASP_BIN, 'serve', '--port', '0', ...(options.args ?? [])], {
    env: processEnvironment(store, options.env),
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  let buffered = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const limitMs = options.limitMs ?? 180_000;
  let timer: NodeJS.Timeout | undefined;
  const port = await new Promise<number>((resolve, reject) => {
    timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server was not listening after ${limitMs} ms: ${stderr}`));
    }, limitMs);
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        let entry: Record<string, unknown>;
        try {
          entry = JSON.parse(line) as Record<string, unknown>;
        } catch {
          entry = { msg: line };
        }
        logs.push(entry);
        const found = /running at http:\/\/[^:]+:(\d+)\//.exec(String(entry.msg));
        if (found) resolve(Number(found[1]));
      }
    });
    void exited.then((code) => reject(new Error(`the server stopped (${String(code)}) before listening: ${stderr}`)));
  }).finally(() => clearTimeout(timer));
  return {
    child,
    port,
    base: `http://127.0.0.1:${port}`,
    logs,
    stderr: () => stderr,
    exited,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Runs `clasp ARGS` on `store` to its end: its exit code and what it printed. */
export function runClasp(
  store: ServerStore,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLASP_BIN, ...args], { env: processEnvironment(store, env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
