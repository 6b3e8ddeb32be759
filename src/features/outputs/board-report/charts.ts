// The board report's charts, drawn once by echarts (server-side, SVG) from a ChartSpec. The
// HTML and PDF reports embed the SVG; Word takes the same drawing rasterised to PNG. Output
// is deterministic so an issued version's documents can be produced again byte for byte.
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import * as echarts from 'echarts/core';
import { BarChart, type BarSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  type GridComponentOption,
  type LegendComponentOption,
} from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { ChartSpec } from './board-report.ts';

echarts.use([BarChart, GridComponent, LegendComponent, SVGRenderer]);

type ChartOption = echarts.ComposeOption<BarSeriesOption | GridComponentOption | LegendComponentOption>;

/** Arimo is metric-compatible with Arial, so the SVG lays out alike wherever it is shown. */
export const CHART_FONT_FAMILY = 'Arimo, Arial, sans-serif';
export const DEFAULT_CHART_WIDTH = 720;
const VERTICAL_HEIGHT = 400;
const TEXT_COLOUR = '#212b32';
const AXIS_COLOUR = '#4c6272';
const GRID_LINE_COLOUR = '#d8dde0';
const FONT_SIZE = 12;

// Layout in CSS pixels. Organisation names wrap within LABEL_WIDTH; each row of a horizontal
// chart has room for three wrapped lines.
const LEGEND_TOP = 8;
const PLOT_TOP = 64;
const LABEL_WIDTH = 190;
const ROW_HEIGHT = 44;
const BOTTOM_FOR_VALUE_AXIS = 56;
const BOTTOM_FOR_CATEGORY_AXIS = 76;
const BOTTOM_FOR_SLANTED_LABELS = 112;
/** Rough width of one character of 12px Arimo: only to decide whether labels fit. */
const AVERAGE_CHARACTER_WIDTH = 7;
const RIGHT_MARGIN = 32;
const LEFT_FOR_VALUE_AXIS = 64;
/** A segment shows its number only when it is this many pixels long, so numbers never spill. */
const MIN_SEGMENT_FOR_NUMBER = 18;

export interface ChartSize {
  width: number;
  height: number;
}

/** The chart's size in CSS pixels: renderers use it for the image's box (Word, PDF). */
export function chartSize(spec: ChartSpec, options: { width?: number; height?: number } = {}): ChartSize {
  const width = options.width ?? DEFAULT_CHART_WIDTH;
  if (options.height !== undefined) return { width, height: options.height };
  const rows = Math.max(spec.categories.length, 1);
  const height =
    spec.orientation === 'horizontal' ? PLOT_TOP + rows * ROW_HEIGHT + BOTTOM_FOR_VALUE_AXIS : VERTICAL_HEIGHT;
  return { width, height };
}

/** The chart as a self-contained, accessible SVG document (role="img", title and desc). */
export function chartSvg(spec: ChartSpec, options: { width?: number; height?: number } = {}): string {
  const size = chartSize(spec, options);
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption(chartOption(spec, size));
    return makeAccessible(makeDeterministic(chart.renderToSVGString(), spec), spec);
  } finally {
    chart.dispose();
  }
}

/**
 * The chart as a PNG with a white background, for Word. `width` is the layout width in CSS
 * pixels (as for chartSvg); the image is `width × scale` pixels wide so it stays sharp in print.
 */
export function chartPng(spec: ChartSpec, options: { width?: number; scale?: number } = {}): Buffer {
  const scale = options.scale ?? 2;
  const svg = chartSvg(spec, { width: options.width });
  const resvg = new Resvg(svg, {
    background: '#ffffff',
    fitTo: { mode: 'zoom', value: scale },
    // Only the bundled Arimo files, never the machine's fonts: the same PNG everywhere.
    font: { fontFiles: arimoFontFiles(), loadSystemFonts: false, defaultFontFamily: 'Arimo', sansSerifFamily: 'Arimo' },
  });
  return resvg.render().asPng();
}

let fontFiles: string[] | undefined;

function arimoFontFiles(): string[] {
  if (!fontFiles) {
    const require = createRequire(import.meta.url);
    fontFiles = [
      require.resolve('@expo-google-fonts/arimo/400Regular/Arimo_400Regular.ttf'),
      require.resolve('@expo-google-fonts/arimo/700Bold/Arimo_700Bold.ttf'),
    ];
  }
  return fontFiles;
}

function chartOption(spec: ChartSpec, size: ChartSize): ChartOption {
  const horizontal = spec.orientation === 'horizontal';
  const slotWidth = (size.width - LEFT_FOR_VALUE_AXIS - RIGHT_MARGIN) / Math.max(spec.categories.length, 1);
  const slanted = !horizontal && longestWordWidth(spec.categories) > slotWidth - 4;
  const grid = horizontal
    ? { left: LABEL_WIDTH + 16, right: RIGHT_MARGIN, top: PLOT_TOP, bottom: BOTTOM_FOR_VALUE_AXIS }
    : {
        left: LEFT_FOR_VALUE_AXIS,
        right: RIGHT_MARGIN,
        top: PLOT_TOP,
        bottom: slanted ? BOTTOM_FOR_SLANTED_LABELS : BOTTOM_FOR_CATEGORY_AXIS,
      };
  const plotLength = horizontal ? size.width - grid.left - grid.right : size.height - grid.top - grid.bottom;
  const axisMax = niceCeiling(maxStackTotal(spec));
  const textStyle = { fontFamily: CHART_FONT_FAMILY, fontSize: FONT_SIZE, color: TEXT_COLOUR };

  // Every label is shown (never thinned out): it wraps at spaces, or on a crowded time axis,
  // where one word ("September") is wider than its bar's slot, it is turned to a slant.
  const categoryAxis = {
    type: 'category' as const,
    data: spec.categories,
    name: spec.categoryAxisName,
    nameTextStyle: { ...textStyle, fontWeight: 'bold' as const },
    axisLabel: slanted
      ? { ...textStyle, interval: 0, rotate: 40 }
      : {
          ...textStyle,
          interval: 0,
          overflow: 'break' as const,
          width: horizontal ? LABEL_WIDTH : Math.max(slotWidth - 4, 24),
        },
    axisTick: { show: false },
    axisLine: { lineStyle: { color: AXIS_COLOUR } },
    // Horizontal bars read top-down in the spec's order, as a table would.
    inverse: horizontal,
    ...(horizontal
      ? {
          nameLocation: 'start' as const,
          nameGap: 16,
          nameTextStyle: { ...textStyle, fontWeight: 'bold' as const, align: 'right' as const },
        }
      : { nameLocation: 'middle' as const, nameGap: slanted ? BOTTOM_FOR_SLANTED_LABELS - 24 : 48 }),
  };
  const valueAxis = {
    type: 'value' as const,
    max: axisMax,
    minInterval: 1,
    name: spec.valueAxisName,
    nameLocation: 'middle' as const,
    nameGap: horizontal ? 30 : 40,
    nameTextStyle: { ...textStyle, fontWeight: 'bold' as const },
    axisLabel: textStyle,
    splitLine: { lineStyle: { color: GRID_LINE_COLOUR } },
  };

  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle,
    legend: { top: LEGEND_TOP, left: 'center', itemGap: 20, textStyle, data: spec.series.map((s) => s.name) },
    grid: { ...grid, outerBoundsMode: 'none' },
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? categoryAxis : valueAxis,
    series: spec.series.map((series) => ({
      type: 'bar' as const,
      stack: 'ratings',
      name: series.name,
      barMaxWidth: 48,
      itemStyle: { color: series.colour },
      label: { ...textStyle, color: readableTextColour(series.colour), position: 'inside' as const },
      data: series.values.map((value) => ({
        value,
        label: { show: value > 0 && (value / axisMax) * plotLength >= MIN_SEGMENT_FOR_NUMBER },
      })),
    })),
  };
}

function longestWordWidth(labels: string[]): number {
  const longest = Math.max(0, ...labels.flatMap((label) => label.split(/\s+/)).map((word) => word.length));
  return longest * AVERAGE_CHARACTER_WIDTH;
}

function maxStackTotal(spec: ChartSpec): number {
  let max = 0;
  spec.categories.forEach((_, i) => {
    max = Math.max(
      max,
      spec.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0),
    );
  });
  return max;
}

/**
 * A round number (1, 1.5, 2 … 8 × 10ⁿ) at or above n: fixed here so label visibility can be
 * worked out beforehand.
 */
function niceCeiling(n: number): number {
  if (n <= 5) return 5;
  const power = 10 ** Math.floor(Math.log10(n));
  const step = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((m) => m * power >= n) ?? 10;
  return step * power;
}

/** Dark or white text, whichever has the greater contrast with the fill (WCAG relative luminance). */
function readableTextColour(fill: string): string {
  const channel = (hex: string): number => {
    const c = parseInt(hex, 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(fill);
  if (!m) return TEXT_COLOUR;
  const luminance = 0.2126 * channel(m[1] ?? '0') + 0.7152 * channel(m[2] ?? '0') + 0.0722 * channel(m[3] ?? '0');
  const dark = 0.0277; // relative luminance of #212b32
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / (dark + 0.05) ? '#ffffff' : TEXT_COLOUR;
}

/** "ratings-by-organisation" → safe in an XML id and a CSS class. */
function idStem(spec: ChartSpec): string {
  return `chart-${
    spec.id
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'chart'
  }`;
}

/**
 * echarts numbers each instance ("zr0-", "zr1-"…) and adds hover styles and data attributes
 * meant for its browser runtime. A static image needs none of them, and the numbering would
 * make the same spec draw differently on a second call.
 */
function makeDeterministic(svg: string, spec: ChartSpec): string {
  return svg
    .replace(/<style\b[^>]*>[\s\S]*?<\/style>\s*/g, '')
    .replace(/ class="zr\d+-cls-\d+"/g, '')
    .replace(/ ecmeta_[a-z_]+="[^"]*"/g, '')
    .replace(/ pointer-events="visible"/g, '')
    .replace(/\bzr\d+-/g, `${idStem(spec)}-`);
}

function makeAccessible(svg: string, spec: ChartSpec): string {
  const stem = idStem(spec);
  const titleId = `${stem}-title`;
  const descId = `${stem}-desc`;
  const open = /^<svg\b([^>]*)>/.exec(svg);
  if (!open) throw new Error('echarts did not return an SVG document');
  const attributes = `${open[1]} role="img" aria-labelledby="${titleId} ${descId}" font-family="${CHART_FONT_FAMILY}"`;
  const head =
    `<svg${attributes}>\n<title id="${titleId}">${escapeXml(spec.title)}</title>\n<desc ` +
    `id="${descId}">${escapeXml(spec.description)}</desc>`;
  return head + svg.slice(open[0].length);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
