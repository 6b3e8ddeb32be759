import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import JSZip from 'jszip';
import { withFixedTimestamps } from './fixed-timestamps.ts';

/** A tiny package with a core.xml as Word and Excel write it. */
async function samplePackage(): Promise<Buffer> {
  const zip = new JSZip();
  zip.file('[Content_Types].xml', '<Types/>', { date: new Date() });
  zip.file(
    'docProps/core.xml',
    '<cp:coreProperties><dcterms:created ' +
      'xsi:type="dcterms:W3CDTF">2020-01-01T00:00:00Z</dcterms:created><dcterms:modified ' +
      'xsi:type="dcterms:W3CDTF">2021-02-02T00:00:00Z</dcterms:modified></cp:coreProperties>',
    { date: new Date() },
  );
  return zip.generateAsync({ type: 'nodebuffer' });
}

const AT = new Date('2015-08-10T14:30:00.000Z');

describe('documents made with fixed timestamps', () => {
  it('sets the document properties and every zip entry to the given instant', async () => {
    const fixed = await withFixedTimestamps(await samplePackage(), AT);
    const zip = await JSZip.loadAsync(fixed);
    const core = await zip.file('docProps/core.xml')?.async('string');
    assert.match(core ?? '', /<dcterms:created[^>]*>2015-08-10T14:30:00Z<\/dcterms:created>/);
    assert.match(core ?? '', /<dcterms:modified[^>]*>2015-08-10T14:30:00Z<\/dcterms:modified>/);
    for (const entry of Object.values(zip.files)) assert.equal(entry.date.toISOString(), AT.toISOString(), entry.name);
  });

  it('gives the same bytes for the same package, whatever the machine’s time zone', () => {
    const fixedDate = `new Date('${AT.toISOString()}')`;
    const script = `
      import { withFixedTimestamps } from ${JSON.stringify(new URL('./fixed-timestamps.ts', import.meta.url).href)};
      import JSZip from 'jszip';
      import { createHash } from 'node:crypto';
      const zip = new JSZip();
      zip.file('a.xml', '<a/>', { date: new Date() });
      const bytes = await withFixedTimestamps(await zip.generateAsync({ type: 'nodebuffer' }), ${fixedDate});
      process.stdout.write(createHash('sha256').update(bytes).digest('hex'));
    `;
    const hashIn = (tz: string) =>
      execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        env: { ...process.env, TZ: tz },
        cwd: process.cwd(),
      }).toString();
    const hashes = new Set(['UTC', 'Asia/Tokyo', 'America/New_York'].map(hashIn));
    assert.equal(hashes.size, 1);
  });
});
