import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import fs from 'node:fs';
import os from 'node:os';
import fc from 'fast-check';
import JSZip from 'jszip';
import { ImportRejected } from './errors.ts';
import { parsePlan, parseReport } from './parse-runner.ts';

/*
 * Damaged copies of the real fixtures go through the same runner the server uses. Whatever
 * the damage, the runner must settle within its time limit with a draft or an
 * ImportRejected whose message a person can read: never another error, never a hang, never
 * an unhandled rejection. The seed is fixed so a failure repeats; FUZZ_SEED and FUZZ_RUNS
 * explore further.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20150714);
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const TIME_LIMIT_MS = 10_000;
// Starting and stopping the file's child process, and waiting for one of the runner's parse slots.
const SETTLING_SLACK_MS = 5_000;

type Fixture = {
  name: string;
  read: (content: Uint8Array, fileName: string) => Promise<unknown>;
  isDraft: (value: unknown) => boolean;
};

const asReport = async (content: Uint8Array, fileName: string): Promise<unknown> =>
  parseReport(content, fileName, { timeoutMs: TIME_LIMIT_MS });
const asPlan = async (content: Uint8Array, fileName: string): Promise<unknown> =>
  parsePlan(content, fileName, { timeoutMs: TIME_LIMIT_MS });
const isReportDraft = (value: unknown): boolean => hasArrays(value, ['findings', 'groups', 'warnings']);
const isPlanDraft = (value: unknown): boolean =>
  hasArrays(value, ['groups', 'recommendations', 'columns', 'unplaced', 'warnings']);

function hasArrays(value: unknown, keys: string[]): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    keys.every((key) => Array.isArray((value as Record<string, unknown>)[key]))
  );
}

const FIXTURES: Fixture[] = [
  { name: 'rotherham-2015-cqc-report.pdf', read: asReport, isDraft: isReportDraft },
  { name: 'rotherham-2015-cqc-report.docx', read: asReport, isDraft: isReportDraft },
  { name: 'rotherham-2015-hwb-paper-and-action-plan.docx', read: asPlan, isDraft: isPlanDraft },
  { name: 'west-sussex-2016-action-plan.docx', read: asPlan, isDraft: isPlanDraft },
  { name: 'west-sussex-2016-action-plan.xlsx', read: asPlan, isDraft: isPlanDraft },
];

// ---- Kinds of damage ----

type ByteDamage =
  | { kind: 'flip'; flips: { at: number; xor: number }[] }
  | { kind: 'truncate'; at: number }
  | { kind: 'zeros'; at: number; length: number; overwrite: boolean }
  | { kind: 'shuffle'; cuts: number[]; keys: number[] };

type TextEdit =
  | { kind: 'cut'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'truncate'; at: number }
  | { kind: 'repeat'; at: number; length: number; times: number };

type Damage = ByteDamage | { kind: 'inner'; part: number; edits: TextEdit[] };

const position = fc.nat({ max: 1_000_000 });

const byteDamage: fc.Arbitrary<ByteDamage> = fc.oneof(
  fc.record({
    kind: fc.constant('flip' as const),
    flips: fc.array(fc.record({ at: position, xor: fc.integer({ min: 1, max: 255 }) }), {
      minLength: 1,
      maxLength: 16,
    }),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({
    kind: fc.constant('zeros' as const),
    at: position,
    length: fc.integer({ min: 1, max: 4096 }),
    overwrite: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('shuffle' as const),
    cuts: fc.array(position, { minLength: 1, maxLength: 7 }),
    keys: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
  }),
);

// Markup that breaks XML in different ways, including nesting deep enough to exhaust a recursive reader.
const hostileText = fc.oneof(
  fc.constantFrom(
    '<',
    '>',
    '&',
    '"',
    ']]>',
    '<!--',
    '</w:p>',
    '<w:tbl><w:tr>',
    '</row>',
    '<c r="A1" t="s"><v>99999</v></c>',
    '\u0000',
    '\uFFFF',
    '&#0;',
    '&undefined;',
  ),
  fc.constantFrom('<w:p>'.repeat(20_000), '<x>'.repeat(50_000), 'x'.repeat(200_000)),
  fc.string({ maxLength: 40 }),
);

const textEdit: fc.Arbitrary<TextEdit> = fc.oneof(
  fc.record({ kind: fc.constant('cut' as const), at: position, length: fc.integer({ min: 1, max: 2000 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: position, text: hostileText }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({
    kind: fc.constant('repeat' as const),
    at: position,
    length: fc.integer({ min: 1, max: 500 }),
    times: fc.integer({ min: 2, max: 50 }),
  }),
);

const zipDamage: fc.Arbitrary<Damage> = fc.oneof(
  { arbitrary: byteDamage, weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant('inner' as const),
      part: fc.nat(),
      edits: fc.array(textEdit, { minLength: 1, maxLength: 3 }),
    }),
    weight: 1,
  },
);

function damageBytes(original: Buffer, damage: ByteDamage): Buffer {
  const length = original.length;
  switch (damage.kind) {
    case 'flip': {
      const copy = Buffer.from(original);
      for (const { at, xor } of damage.flips) copy[at % length] = (copy[at % length] ?? 0) ^ xor;
      return copy;
    }
    case 'truncate':
      return original.subarray(0, damage.at % length);
    case 'zeros': {
      const at = damage.at % length;
      const zeros = Buffer.alloc(damage.length);
      return Buffer.concat([
        original.subarray(0, at),
        zeros,
        original.subarray(damage.overwrite ? at + damage.length : at),
      ]);
    }
    case 'shuffle': {
      const cuts = [...new Set(damage.cuts.map((cut) => cut % length))].sort((a, b) => a - b);
      const chunks = [0, ...cuts].map((start, index) => original.subarray(start, cuts[index] ?? length));
      const order = chunks
        .map((_, index) => index)
        .sort((a, b) => (damage.keys[a] ?? 0) - (damage.keys[b] ?? 0) || a - b);
      return Buffer.concat(order.map((index) => chunks[index] ?? Buffer.alloc(0)));
    }
  }
}

function editText(text: string, edit: TextEdit): string {
  const at = text.length === 0 ? 0 : edit.at % text.length;
  switch (edit.kind) {
    case 'cut':
      return text.slice(0, at) + text.slice(at + edit.length);
    case 'insert':
      return text.slice(0, at) + edit.text + text.slice(at);
    case 'truncate':
      return text.slice(0, at);
    case 'repeat':
      return text.slice(0, at) + text.slice(at, at + edit.length).repeat(edit.times) + text.slice(at + edit.length);
  }
}

/** Damages one XML part of a Word or Excel file and zips it up again, so the damage gets past the zip layer. */
async function damageInnerPart(original: Buffer, part: number, edits: TextEdit[]): Promise<Buffer> {
  const zip = await JSZip.loadAsync(original);
  const parts = Object.keys(zip.files).filter((name) => /\.(xml|rels)$/u.test(name));
  // The main part twice as often as any other: it is where the content is.
  const main = parts.find((name) => name === 'word/document.xml' || name === 'xl/worksheets/sheet1.xml');
  const choices = main === undefined ? parts : [main, ...parts];
  const name = choices[part % choices.length];
  if (name === undefined) return original;
  const text = await zip.file(name)?.async('string');
  if (text === undefined) return original;
  zip.file(name, edits.reduce(editText, text));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

async function damage(original: Buffer, what: Damage): Promise<Buffer> {
  return what.kind === 'inner' ? damageInnerPart(original, what.part, what.edits) : damageBytes(original, what);
}

// ---- What every outcome must look like ----

/** A message for a person: one paragraph of plain words, not a stack trace, markup or an internal value. */
function assertPlainMessage(message: string): void {
  assert.ok(message.trim().length > 0, 'the message is empty');
  assert.ok(message.length < 600, `the message is ${message.length} characters long`);
  assert.doesNotMatch(
    message,
    /\n|\bat \S+ \(|<\/?[a-z]|\[object |\bundefined\b|\bnull\b|Error:/u,
    `not plain text: ${message}`,
  );
}

const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));

test(
  `damaged fixtures are read or rejected in plain words, within the time limit (seed ${SEED}, ${RUNS} runs each)`,
  { concurrency: Math.min(2, os.availableParallelism()) },
  async (t) => {
    const started = performance.now();
    const outcomes = new Map<string, number>();
    await Promise.all(
      FIXTURES.map((fixture) =>
        t.test(fixture.name, async () => {
          const original = fs.readFileSync(new URL(`../../../test/fixtures/${fixture.name}`, import.meta.url));
          const arbitrary = fixture.name.endsWith('.pdf') ? byteDamage : zipDamage;
          const property = fc.asyncProperty(arbitrary, async (what) => {
            const damaged = await damage(original, what);
            const before = performance.now();
            let outcome: string;
            try {
              const value = await fixture.read(damaged, fixture.name);
              assert.ok(fixture.isDraft(value), 'the parser answered with something that is not a draft');
              outcome = 'read';
            } catch (error) {
              assert.ok(
                error instanceof ImportRejected,
                'expected ImportRejected, ' +
                  `got ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
              );
              assertPlainMessage(error.message);
              outcome = error.message.replace(/\d+(\.\d+)? (MB|KB|seconds)/gu, 'N $2');
            }
            const elapsed = performance.now() - before;
            assert.ok(elapsed < TIME_LIMIT_MS + SETTLING_SLACK_MS, `took ${Math.round(elapsed)} ms`);
            outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
          });
          try {
            await fc.assert(property, { seed: SEED, numRuns: RUNS });
          } catch (error) {
            throw new Error(
              `Fuzzing ${fixture.name} failed with seed ${SEED} (set FUZZ_SEED=${SEED} to repeat ` +
                `it).\n${String(error)}`,
              { cause: error },
            );
          }
        }),
      ),
    );
    t.diagnostic(`${FIXTURES.length * RUNS} damaged files in ${Math.round((performance.now() - started) / 1000)} s`);
    for (const [outcome, count] of [...outcomes].sort((a, b) => b[1] - a[1])) t.diagnostic(`${count} × ${outcome}`);
    assert.deepEqual(unhandled, [], 'no promise was left rejected without a handler');
  },
);
