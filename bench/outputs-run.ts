// How the outputs benchmark starts its child processes: which code they run (the compiled
// build or the sources), the child program itself, and what else the machine did meanwhile.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import type { ChildJob, ChildResult } from './outputs-child.ts';
import { machineSnapshot, otherCpuPercent } from './machine.ts';

export type Source = { root: string; ext: string; label: string; command: string[] };

const CHILD_FILES = ['outputs-child.ts', 'outputs-floor.ts'];

/**
 * The build goes into the temp folder, not dist/: other work on this machine may rebuild
 * dist/ during the run. The child program is compiled beside it (it imports the app only
 * through job.root), so no TypeScript loader sits in the measured process, as in production.
 */
export function chooseSource(
  rootDir: string,
  workDir: string,
  from: 'build' | 'source',
  nodeFlags: string[],
  log: (line: string) => void,
): Source {
  const benchDir = path.join(rootDir, 'bench');
  const fromSource: Source = {
    root: pathToFileURL(path.join(rootDir, 'src') + path.sep).href,
    ext: '.ts',
    label: 'the sources through tsx',
    command: [...nodeFlags, '--import', 'tsx', path.join(benchDir, 'outputs-child.ts')],
  };
  if (from === 'source') return fromSource;
  const outDir = path.join(workDir, 'dist');
  fs.symlinkSync(path.join(rootDir, 'node_modules'), path.join(workDir, 'node_modules'), 'dir');
  let label = 'the compiled build (tsc, as npm run build makes it)';
  try {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', outDir], {
      cwd: rootDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    // tsc writes the JavaScript even when some file has a type error (work in progress elsewhere).
    const detail = String((error as { stdout?: Buffer }).stdout ?? '')
      .trim()
      .split('\n')
      .slice(0, 3)
      .join('\n  ');
    if (!fs.existsSync(path.join(outDir, 'features/outputs/versions/take-snapshot.js'))) {
      log(`The build failed, so this run measures ${fromSource.label} instead:\n  ${detail}`);
      return { ...fromSource, label: `${fromSource.label} (the build failed)` };
    }
    log(`tsc reported type errors; the JavaScript it wrote is measured:\n  ${detail}`);
    label = 'the compiled build (tsc reported type errors)';
  }
  copyAssets(path.join(rootDir, 'src'), outDir);
  const childDir = path.join(workDir, 'bench');
  fs.mkdirSync(childDir, { recursive: true });
  fs.writeFileSync(path.join(childDir, 'package.json'), '{ "type": "module" }\n');
  for (const file of CHILD_FILES) {
    const { outputText } = ts.transpileModule(fs.readFileSync(path.join(benchDir, file), 'utf8'), {
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        rewriteRelativeImportExtensions: true,
        verbatimModuleSyntax: true,
      },
    });
    fs.writeFileSync(path.join(childDir, file.replace(/\.ts$/, '.js')), outputText);
  }
  return {
    root: pathToFileURL(outDir + path.sep).href,
    ext: '.js',
    label,
    command: [...nodeFlags, path.join(childDir, 'outputs-child.js')],
  };
}

/**
 * What the compiled app reads at run time (templates, data, styles), as scripts/copy-assets.mjs
 * copies it into dist/.
 */
function copyAssets(from: string, to: string): void {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (entry.isDirectory()) copyAssets(path.join(from, entry.name), path.join(to, entry.name));
    else if (/\.(njk|json|css|md)$/.test(entry.name)) {
      fs.mkdirSync(to, { recursive: true });
      fs.copyFileSync(path.join(from, entry.name), path.join(to, entry.name));
    }
  }
}

export type Measured = ChildResult & { otherCpuPct: number; wallMs: number };

/**
 * Runs one job in a fresh node process; `otherCpuPct` is the share of the machine used by
 * anything but the child (and PostgreSQL) meanwhile.
 */
export async function runChild(
  source: Source,
  job: Omit<ChildJob, 'root' | 'ext'>,
  rootDir: string,
): Promise<Measured> {
  const withPostgres = job.url !== null;
  const before = machineSnapshot(withPostgres);
  const started = performance.now();
  const result = await spawnChild(source, { ...job, root: source.root, ext: source.ext }, rootDir);
  const after = machineSnapshot(withPostgres);
  return {
    ...result,
    wallMs: performance.now() - started,
    otherCpuPct: otherCpuPercent(before, after, result.processCpuMs),
  };
}

function spawnChild(source: Source, job: ChildJob, rootDir: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, BENCH_OUTPUTS_JOB: JSON.stringify(job) };
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, source.command, { cwd: rootDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code === 0 && last.startsWith('{')) {
        resolve(JSON.parse(last) as ChildResult);
        return;
      }
      reject(
        new Error(
          `${job.kind} ${job.output} failed (${signal ?? `exit ${code}`}):\n` +
            stderr.trim().split('\n').slice(0, 6).join('\n'),
        ),
      );
    });
  });
}
