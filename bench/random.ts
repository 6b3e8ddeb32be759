// Seeded choices for the bench's generated data: the same seed gives the same data every run.

export type Random = () => number;

export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const int = (rnd: Random, min: number, max: number): number => min + Math.floor(rnd() * (max - min + 1));

export function pick<T>(rnd: Random, list: readonly T[]): T {
  const value = list[Math.floor(rnd() * list.length)];
  if (value === undefined) throw new Error('pick from an empty list');
  return value;
}

export function sample<T>(rnd: Random, list: readonly T[], n: number): T[] {
  const copy = [...list];
  const out: T[] = [];
  while (out.length < n && copy.length > 0) out.push(copy.splice(Math.floor(rnd() * copy.length), 1)[0] as T);
  return out;
}

export function weighted<T>(rnd: Random, choices: readonly (readonly [T, number])[]): T {
  let r = rnd() * choices.reduce((sum, [, w]) => sum + w, 0);
  for (const [value, w] of choices) {
    r -= w;
    if (r < 0) return value;
  }
  return (choices[choices.length - 1] as readonly [T, number])[0];
}
