import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { compressOnce, isCompressibleType, MIN_COMPRESSED_BYTES, type Encoding } from './compression.ts';
import { RATING_STYLES_PATH, ratingStyles } from './rating-styles.ts';

/*
 * The files under /assets/ (the NHS.UK design system's) and /static/ (Clasp's own), held in
 * memory once per process: read, hashed and, for the design system's stylesheet, rewritten on
 * first use; compressed once, on the first request that accepts Brotli or gzip. Pages name them
 * by fingerprinted address (assetHref in templates), which never changes meaning, so browsers keep them for a
 * year; the plain addresses still work, kept for an hour.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** The folder holding nhsuk-frontend's templates, styles, scripts and assets. */
export const nhsukDist = path.join(path.dirname(require.resolve('nhsuk-frontend/package.json')), 'dist');

/** Clasp's own browser files: styles and small scripts. */
export const publicDir = path.join(here, '..', 'public');

const DESIGN_SYSTEM_CSS = '/assets/nhsuk-frontend.min.css';

/** The design system's files that pages use (and the source map of its script, for developer tools). */
const DESIGN_SYSTEM_FILES = [
  'nhsuk-frontend.min.css',
  'nhsuk-frontend.min.css.map',
  'nhsuk-frontend.min.js',
  'nhsuk-frontend.min.js.map',
];

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export interface Asset {
  /** Its plain address: /assets/nhsuk-frontend.min.css. */
  readonly path: string;
  /** Its address with its content's hash: /assets/nhsuk-frontend.min.0123456789abcdef.css. */
  readonly url: string;
  readonly type: string;
  readonly bytes: Buffer;
  /** 16 hex digits of the SHA-256 of `bytes`. */
  readonly hash: string;
}

type Source = () => Buffer;

/** Every address served, and how its bytes are had; made on first use, once per process. */
let sources: Map<string, Source> | null = null;
const assets = new Map<string, Asset>();
const compressed = new Map<string, Promise<Buffer | null>>();

function listSources(): Map<string, Source> {
  const found = new Map<string, Source>();
  const fromFile = (file: string) => () => fs.readFileSync(file);
  const nhsuk = path.join(nhsukDist, 'nhsuk');
  for (const name of DESIGN_SYSTEM_FILES) found.set(`/assets/${name}`, fromFile(path.join(nhsuk, name)));
  found.set('/assets/manifest.json', fromFile(path.join(nhsuk, 'assets', 'manifest.json')));
  for (const name of filesIn(path.join(nhsuk, 'assets', 'images'))) {
    found.set(`/assets/images/${name}`, fromFile(path.join(nhsuk, 'assets', 'images', name)));
  }
  for (const name of filesIn(publicDir)) found.set(`/static/${name}`, fromFile(path.join(publicDir, name)));
  // Written from the domain's rating colours (rating-styles.ts), which also answers its plain address.
  found.set(RATING_STYLES_PATH, () => Buffer.from(ratingStyles(), 'utf8'));
  const css = found.get(DESIGN_SYSTEM_CSS);
  if (css) found.set(DESIGN_SYSTEM_CSS, () => Buffer.from(selfContainedStyles(css().toString('utf8')), 'utf8'));
  return found;
}

function filesIn(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && /^[\w.-]+$/.test(entry.name))
    .map((entry) => entry.name);
}

/** The asset at a plain address, read and hashed on first use; undefined when there is none. */
export function assetAt(plainPath: string): Asset | undefined {
  const known = assets.get(plainPath);
  if (known) return known;
  sources ??= listSources();
  const source = sources.get(plainPath);
  if (!source) return undefined;
  const bytes = source();
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  const extension = path.extname(plainPath);
  const asset: Asset = {
    path: plainPath,
    url: `${plainPath.slice(0, -extension.length)}.${hash}${extension}`,
    type: TYPES[extension] ?? 'application/octet-stream',
    bytes,
    hash,
  };
  assets.set(plainPath, asset);
  return asset;
}

/**
 * The fingerprinted address of a file pages load: the template global `assetHref` (not
 * `assetUrl`, which nhsuk-frontend's template uses for something else). An address that names
 * no file stops the page, so a misspelt one is found by the first test that renders it.
 */
export function assetUrl(plainPath: string): string {
  const asset = assetAt(plainPath);
  if (!asset) throw new Error(`No file is served at ${plainPath}: check the address given to assetHref.`);
  return asset.url;
}

export interface FoundAsset {
  asset: Asset;
  /** Asked for by the address of its current content: it may be kept for good. */
  immutable: boolean;
}

const FINGERPRINTED = /^(.*)\.([0-9a-f]{16})(\.[A-Za-z0-9]+)$/;

/**
 * The asset asked for at an address: a plain one, or a fingerprinted one (the current file even
 * when its hash is an old one, so a page kept from before an upgrade still gets its styles).
 */
export function findAsset(address: string): FoundAsset | undefined {
  const plain = assetAt(address);
  if (plain) return { asset: plain, immutable: false };
  const match = FINGERPRINTED.exec(address);
  if (!match) return undefined;
  const asset = assetAt(`${match[1] ?? ''}${match[3] ?? ''}`);
  return asset ? { asset, immutable: asset.hash === match[2] } : undefined;
}

/** Whether an asset is sent compressed to a client that accepts it: text of 1 KB or more. */
export function compressibleAsset(asset: Asset): boolean {
  return isCompressibleType(asset.type) && asset.bytes.length >= MIN_COMPRESSED_BYTES;
}

/**
 * The asset compressed, once per process and coding at the highest quality (concurrent first
 * requests share the work); null when compressing would not make it smaller.
 */
export function compressedAsset(asset: Asset, encoding: Encoding): Promise<Buffer | null> {
  const key = `${encoding} ${asset.path} ${asset.hash}`;
  let made = compressed.get(key);
  if (!made) {
    made = compressOnce(asset.bytes, encoding).then((bytes) => (bytes.length < asset.bytes.length ? bytes : null));
    // A failure is not kept: the next request tries again.
    made.catch(() => compressed.delete(key));
    compressed.set(key, made);
  }
  return made;
}

/*
 * The design system's stylesheet, made self-contained. Its @font-face rules load Frutiger from
 * assets.nhs.uk; Frutiger is licensed to the NHS for its own services, not for others to serve,
 * so Clasp uses the design system's fallback stack (Arial, then the system's sans-serif) as its
 * Sass setting $nhsuk-font-family: arial, sans-serif would. Rewriting the built file takes about
 * a millisecond once per process (docs/performance.md), where compiling the Sass would need the
 * Sass compiler and a build step. Its images are named by fingerprinted address too, and the
 * source map comment goes, since the map describes the file before these changes.
 */
export function selfContainedStyles(css: string): string {
  const out = css
    .replace(/@font-face\s*\{[^}]*\}/g, (rule) => (/url\(\s*["']?(?:[a-z][\w+.-]*:|\/\/)/i.test(rule) ? '' : rule))
    .replace(/(font-family\s*:\s*)(["']?)Frutiger W01\2\s*,\s*/gi, '$1')
    .replace(/url\(\s*(["']?)(\/assets\/[\w./-]+)\1\s*\)/g, (whole: string, _quote: string, address: string) => {
      const asset = assetAt(address);
      return asset ? `url(${asset.url})` : whole;
    })
    .replace(/\/\*# sourceMappingURL=[^*]*\*\/\s*$/, '');
  // Anything with a scheme or starting with // is another origin (the stylesheet has no data: URLs).
  const elsewhere = /url\(\s*["']?(?:[a-z][\w+.-]*:|\/\/)|https?:\/\/|@import|Frutiger/i.exec(out);
  if (elsewhere) {
    throw new Error(
      `nhsuk-frontend's stylesheet still refers to another origin or to Frutiger near "${out.slice(
        Math.max(0, elsewhere.index - 60),
        elsewhere.index + 60,
      )}": update selfContainedStyles in src/platform/http/assets.ts for this version of nhsuk-frontend.`,
    );
  }
  return out;
}
