import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chartPng, chartSize, chartSvg } from './charts.ts';
import type { ChartSpec } from './board-report.ts';

const COLOURS = { blue: '#005eb8', green: '#007f3b', amber: '#ffb81c', red: '#d5281b', none: '#d8dde0' } as const;

function byOrganisation(
  categories = ['Rotherham CCG', 'The Rotherham NHS Foundation Trust', 'NHS England'],
): ChartSpec {
  return {
    id: 'ratings-by-organisation',
    title: 'Ratings of actions by organisation',
    description: 'Rotherham CCG has 4 actions: 3 Blue and 1 Red. The trust has 7 actions & more.',
    categories,
    series: [
      { key: 'blue', name: 'Blue', colour: COLOURS.blue, values: categories.map((_, i) => 3 + i) },
      { key: 'green', name: 'Green', colour: COLOURS.green, values: categories.map(() => 2) },
      { key: 'red', name: 'Red', colour: COLOURS.red, values: categories.map((_, i) => i) },
      { key: 'none', name: 'Not rated', colour: COLOURS.none, values: categories.map(() => 1) },
    ],
    orientation: 'horizontal',
    categoryAxisName: 'Organisation',
    valueAxisName: 'Number of actions',
  };
}

function overTime(): ChartSpec {
  const categories = ['March 2015', 'June 2015', 'September 2015', 'December 2015'];
  return {
    id: 'ratings-over-time',
    title: 'Ratings of actions over time',
    description: 'At the end of March 2015 there were 2 actions.',
    categories,
    series: [
      { key: 'green', name: 'Green', colour: COLOURS.green, values: [0, 4, 8, 12] },
      { key: 'amber', name: 'Amber', colour: COLOURS.amber, values: [2, 3, 3, 1] },
    ],
    orientation: 'vertical',
    categoryAxisName: 'End of quarter',
    valueAxisName: 'Number of actions',
  };
}

/** Text content of every <text> element (echarts draws each label, legend and axis name as one). */
function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) => (m[1] ?? '').replace(/&amp;/g, '&'));
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the IHDR chunk, which always comes first after the signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  assert.equal(png.subarray(12, 16).toString('ascii'), 'IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('chartSvg', () => {
  it('is an accessible image: role, title and desc referenced by aria-labelledby', () => {
    const svg = chartSvg(byOrganisation());
    const root = /^<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
    assert.match(root, /role="img"/);
    assert.match(root, /aria-labelledby="chart-ratings-by-organisation-title chart-ratings-by-organisation-desc"/);
    assert.match(svg, /<title id="chart-ratings-by-organisation-title">Ratings of actions by organisation<\/title>/);
    assert.match(
      svg,
      new RegExp(
        /<desc id="chart-ratings-by-organisation-desc">/.source +
          /Rotherham CCG has 4 actions: 3 Blue and 1 Red\. The trust has 7 actions &amp; more\.<\/desc>/.source,
      ),
    );
  });

  it('draws each series in its colour, with the legend, axis names and every category label as text', () => {
    const spec = byOrganisation();
    const svg = chartSvg(spec);
    for (const colour of Object.values(COLOURS).filter((c) => c !== COLOURS.amber)) {
      assert.match(svg, new RegExp(`<path d="[^"]+"[^>]* fill="${colour}"`), colour);
    }
    assert.doesNotMatch(svg, new RegExp(`fill="${COLOURS.amber}"`), 'no amber series, so no amber bar');
    const texts = svgTexts(svg);
    for (const text of [
      'Blue',
      'Green',
      'Red',
      'Not rated',
      'Organisation',
      'Number of actions',
      'Rotherham CCG',
      'NHS England',
    ]) {
      assert.ok(texts.includes(text), `${text} in ${JSON.stringify(texts)}`);
    }
    // A long organisation name wraps onto lines but keeps every word.
    assert.ok(!texts.includes('The Rotherham NHS Foundation Trust'), 'wrapped');
    assert.match(texts.join(' ').replace(/\s+/g, ' '), /The Rotherham NHS Foundation Trust/);
  });

  it('shows every month of a time chart, however crowded', () => {
    const texts = svgTexts(chartSvg(overTime()));
    for (const category of ['March 2015', 'June 2015', 'September 2015', 'December 2015']) {
      assert.ok(
        texts.some((t) => t.includes(category) || category.startsWith(t)),
        category,
      );
    }
    const crowded = { ...overTime(), categories: Array.from({ length: 16 }, (_, i) => `September ${2015 + i}`) };
    crowded.series = crowded.series.map((s) => ({ ...s, values: crowded.categories.map(() => 1) }));
    const crowdedTexts = svgTexts(chartSvg(crowded));
    for (const category of crowded.categories) assert.ok(crowdedTexts.includes(category), category);
  });

  it('holds no script, no hover styles and no instance numbering', () => {
    const svg = chartSvg(byOrganisation());
    assert.doesNotMatch(svg, /<script|<style|\bon[a-z]+=|zr\d+-|ecmeta_/);
  });

  it('draws the same spec to the same string, whatever was drawn before', () => {
    const first = chartSvg(byOrganisation());
    chartSvg(overTime());
    assert.equal(chartSvg(byOrganisation()), first);
  });

  it('uses the size asked for, and grows a horizontal chart with its organisations', () => {
    assert.match(chartSvg(overTime(), { width: 500, height: 300 }), /^<svg width="500" height="300"/);
    const few = chartSize(byOrganisation(['A']));
    const many = chartSize(byOrganisation(['A', 'B', 'C', 'D', 'E', 'F']));
    assert.ok(many.height > few.height);
  });
});

describe('chartPng', () => {
  it('is a PNG of width × scale pixels', () => {
    const png = chartPng(byOrganisation(), { width: 600, scale: 2 });
    assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE);
    const size = chartSize(byOrganisation(), { width: 600 });
    assert.deepEqual(pngSize(png), { width: 1200, height: size.height * 2 });
    assert.equal(pngSize(chartPng(overTime())).width, 720 * 2);
  });

  it('draws the same spec to the same bytes', () => {
    assert.ok(chartPng(overTime()).equals(chartPng(overTime())));
  });

  it('draws the text: labels change the image', () => {
    const labelled = chartPng(byOrganisation(['Rotherham CCG', 'NHS England', 'Healthwatch']));
    const unlabelled = chartPng(byOrganisation(['', '', '']));
    assert.equal(pngSize(labelled).height, pngSize(unlabelled).height);
    assert.ok(!labelled.equals(unlabelled));
  });
});
