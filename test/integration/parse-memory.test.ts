import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pdfWithContent, spacesStream } from '../helpers/pdf-bomb.ts';

/*
 * A PDF of about 1.5 MB whose one page unpacks to 1.5 GB, uploaded again and again to a real
 * server started as `clasp serve`. Each upload is refused; the memory the parse took must go
 * back when it ends, so the server's resident size returns close to where it started. With
 * the parsers in worker threads of the server's own process it did not: three uploads left
 * the server gigabytes larger.
 */

const clasp = path.resolve(import.meta.dirname, '../../bin/clasp');
const UPLOADS = 5;
const ALLOWED_GROWTH_MB = 150;

type Run = { code: number; stdout: string; stderr: string };

function run(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [clasp, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end();
  });
}

/** The resident size of a process, in MB, as the kernel counts it (VmRSS, in kB). */
function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  assert.ok(kb !== undefined, `no VmRSS for process ${pid}`);
  return Math.round(Number(kb) / 1024);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('a PDF bomb uploaded again and again to a running server', { timeout: 600_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clasp-parse-memory-'));
  const env: NodeJS.ProcessEnv = { ...process.env, CLASP_DATA_DIR: dir, LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  delete env.PORT;
  delete env.HOST;
  let server: ChildProcess | undefined;
  let base = '';
  let token = '';

  before(async () => {
    const demo = await run(['demo'], env);
    assert.equal(demo.code, 0, demo.stderr);
    const created = await run(
      ['token', 'create', '--email', 'admin@demo.clasp.invalid', '--name', 'memory test', '--scope', 'admin'],
      env,
    );
    assert.equal(created.code, 0, created.stderr);
    token = created.stdout.trim().split('\n').at(-1) ?? '';
    assert.match(token, /^clasp_/);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, [clasp, 'serve', '--port', String(port), '--host', '127.0.0.1'], {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    for (let tries = 0; ; tries++) {
      try {
        if ((await fetch(`${base}/health`)).status < 500) break;
      } catch {
        // Not listening yet.
      }
      assert.ok(tries < 600, 'the server did not start');
      await sleep(100);
    }
  });

  after(() => {
    server?.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function upload(pdf: Buffer, name: string): Promise<{ status: number; body: { error?: string } }> {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), name);
    const response = await fetch(`${base}/api/reviews/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    return { status: response.status, body: (await response.json()) as { error?: string } };
  }

  it('refuses each upload, and the server gives the memory back', async () => {
    const pid = server?.pid;
    assert.ok(pid !== undefined);
    const bomb = pdfWithContent(await spacesStream(1536));
    assert.ok(bomb.byteLength < 5 * 1024 * 1024, `the file is small (${bomb.byteLength} bytes)`);

    // A real report first, so the baseline includes what every import loads anyway.
    const real = fs.readFileSync(path.resolve(import.meta.dirname, '../fixtures/rotherham-2015-cqc-report.pdf'));
    const warm = await upload(real, 'rotherham-2015-cqc-report.pdf');
    assert.equal(warm.status, 201, JSON.stringify(warm.body));
    await sleep(1000);
    const start = rssMb(pid);
    const sizes: number[] = [];
    for (let i = 0; i < UPLOADS; i++) {
      const answer = await upload(bomb, `bomb-${i}.pdf`);
      assert.equal(answer.status, 400, JSON.stringify(answer.body));
      // Refused for its memory, or for its time on a busy machine: either way a plain message.
      assert.match(
        answer.body.error ?? '',
        /needed far more memory than a CQC report should|stopped reading this file/,
      );
      await sleep(1000);
      sizes.push(rssMb(pid));
    }
    const summary = `start ${start} MB, after each upload ${sizes.join(', ')} MB`;
    console.log(`server resident size: ${summary}`);
    const last = sizes.at(-1) ?? start;
    assert.ok(last - start < ALLOWED_GROWTH_MB, `the server kept the memory: ${summary}`);
    // And it still reads a real file.
    const again = await upload(real, 'rotherham-2015-cqc-report.pdf');
    assert.equal(again.status, 201, JSON.stringify(again.body));
  });
});
