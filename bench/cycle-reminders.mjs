// The reminder run of bench/cycle.ts, in a process of its own so that its memory and CPU are
// its own: plain JavaScript over the compiled build (dist/), as `clasp remind` runs from cron.
// The job comes in BENCH_CYCLE_JOB (JSON); one line of JSON goes out on stdout.
//
// Three timed runs on the whole data set, through the reminder service's public functions:
//   detection  findDueReminders: what is due today in every live review (nothing written);
//   first      runReminders: records every reminder and sends what is due now (the mass send);
//   repeat     runReminders again 30 minutes later: nothing new to record or send;
//   week later runReminders on the following Monday, when asked: that week's new reminders
//              and the weekly digests recorded on the first day.
// Each phase's peak resident memory is its own: VmHWM is reset (clear_refs) before it.
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';

const job = JSON.parse(process.env.BENCH_CYCLE_JOB ?? '{}');
const status = (name) => {
  const text = fs.readFileSync('/proc/self/status', 'utf8');
  return Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) / 1024;
};
// Writing 5 to clear_refs resets VmHWM, so the peak is that of the phase alone.
const resetPeak = () => {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
};
const bootRssMb = status('VmRSS');

const { loadConfig } = await import('../dist/config.js');
const { openConfiguredDatabase } = await import('../dist/platform/db/open.js');
const { todayInEngland } = await import('../dist/app.js');
const { findDueReminders, runReminders } = await import('../dist/features/reminders/reminders.service.js');

const config = loadConfig({
  CLASP_DATA_DIR: job.dataDir,
  ...(job.url ? { DATABASE_URL: job.url } : {}),
  CLASP_SMTP_URL: job.smtpUrl,
  CLASP_PUBLIC_URL: 'https://clasp.example.nhs.uk',
  LOG_LEVEL: 'warn',
});
const handle = await openConfiguredDatabase(config);
let now = new Date(job.at);
const ctx = {
  db: handle.db,
  config,
  staleDays: config.staleDays,
  now: () => now,
  today: () => todayInEngland(now),
};
const startRssMb = status('VmRSS');

const phase = async (name, at, work) => {
  now = new Date(at);
  const peakReset = resetPeak();
  const cpu = process.cpuUsage();
  const t = performance.now();
  const value = await work();
  const ms = performance.now() - t;
  const used = process.cpuUsage(cpu);
  return {
    name,
    at,
    ms,
    cpuMs: (used.user + used.system) / 1000,
    peakRssMb: peakReset ? status('VmHWM') : NaN,
    rssAfterMb: status('VmRSS'),
    ...value,
  };
};

const result = { bootRssMb, startRssMb, phases: [] };
try {
  result.phases.push(await phase('detection', job.at, async () => ({ due: (await findDueReminders(ctx)).length })));
  const summary = (run) => ({ due: run.due, recorded: run.recorded, sent: run.sent, failed: run.failed });
  result.phases.push(await phase('first run', job.at, async () => summary(await runReminders(ctx, { dryRun: false }))));
  const later = new Date(new Date(job.at).getTime() + 30 * 60_000).toISOString();
  result.phases.push(await phase('repeat run', later, async () => summary(await runReminders(ctx, { dryRun: false }))));
  if (job.weekLater) {
    result.phases.push(
      await phase('a week later', job.weekLater, async () => summary(await runReminders(ctx, { dryRun: false }))),
    );
  }
  // The last phase's peak when clear_refs worked (it resets this too), else the whole life's.
  result.peakMb = process.resourceUsage().maxRSS / 1024;
  result.processCpuMs = (() => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  })();
} finally {
  await handle.close();
}
process.stdout.write(`${JSON.stringify(result)}\n`);
