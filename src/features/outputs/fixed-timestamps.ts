// Word and Excel files are zip packages that carry the time they were written: in every zip
// entry's header and in docProps/core.xml. Setting both to the snapshot's instant makes the
// same snapshot give the same bytes, so an issued version's documents can be produced again
// exactly.
import JSZip from 'jszip';

const CORE = 'docProps/core.xml';

/** The package rewritten with every timestamp set to `at`; entry order and contents are kept. */
export async function withFixedTimestamps(bytes: Uint8Array, at: Date): Promise<Buffer> {
  const source = await JSZip.loadAsync(bytes);
  const target = new JSZip();
  const stamp = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  // JSZip writes the date's UTC fields into the zip headers, so the bytes do not depend on the machine's time zone.
  for (const entry of Object.values(source.files)) {
    if (entry.dir) continue;
    let content: Uint8Array | string = await entry.async('uint8array');
    if (entry.name === CORE) {
      content = new TextDecoder()
        .decode(content)
        .replace(/(<dcterms:created[^>]*>)[^<]*(<\/dcterms:created>)/, `$1${stamp}$2`)
        .replace(/(<dcterms:modified[^>]*>)[^<]*(<\/dcterms:modified>)/, `$1${stamp}$2`);
    }
    target.file(entry.name, content, { date: at, createFolders: false });
  }
  return target.generateAsync({
    type: 'nodebuffer',
    compression: 'DEFLATE',
    compressionOptions: { level: 6 },
    platform: 'DOS',
  });
}
