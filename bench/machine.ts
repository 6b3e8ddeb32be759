// What the benchmarks share about the machine and their settings: how busy the rest of the
// machine was while a measured child ran, and whole-number settings from the environment.
import fs from 'node:fs';

/** A positive whole number from the environment, or the fallback when unset. */
export function envWholeNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number, not "${raw}"`);
  return n;
}

/** Busy and total CPU ticks of the machine, and the ticks of PostgreSQL's processes (10 ms each). */
export type MachineSnapshot = { busy: number; total: number; postgres: number };

export function machineSnapshot(withPostgres: boolean): MachineSnapshot {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  let postgres = 0;
  if (withPostgres) {
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
        if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== 'postgres') continue;
        const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        postgres += Number(rest[11]) + Number(rest[12]);
      } catch {
        // the process ended
      }
    }
  }
  return { busy, total: busy + idle + iowait, postgres };
}

/** CPU used by anything but the child and PostgreSQL while the child ran, as a share of the machine. */
export function otherCpuPercent(before: MachineSnapshot, after: MachineSnapshot, childCpuMs: number): number {
  const total = Math.max(1, after.total - before.total);
  const other = after.busy - before.busy - childCpuMs / 10 - (after.postgres - before.postgres);
  return Math.max(0, (100 * other) / total);
}
