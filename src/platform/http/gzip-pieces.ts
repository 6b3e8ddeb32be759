import zlib from 'node:zlib';

/*
 * A gzip answer (RFC 1952) put together from parts compressed at different times: the fixed
 * pieces of a kept page, compressed once (raw deflate at level 9, each ended with a sync flush
 * so it stops on a byte boundary without ending the stream), and between them this response's
 * own values (CSRF token, name...) as stored blocks, copied as they are.
 *
 * A piece may refer back to the pieces before it across a slot whose length is the same in
 * every response (the CSRF token): it is compressed with the text before it as its
 * history, the slot held there as that many NUL bytes. The distances back are then right
 * whatever fills the slot, and since no piece contains NUL, nothing refers into the slot
 * itself. After a slot whose length varies (a name, a banner) a piece starts afresh. Pages with
 * many forms (a CSRF token in each) so compress almost as well as in one go.
 *
 * Putting an answer together costs a CRC-32 over its bytes and a copy of the compressed parts:
 * about 40 µs for the 114 KB review overview, against 0.7 ms to compress it whole with Brotli
 * at quality 4 (docs/performance.md). The values between the pieces (the CSRF token above all)
 * are never compressed with the page, so the compressed length says nothing about them.
 */

/** gzip's header: deflate, no name or comment, no time, unknown system. */
const HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff]);
/** The last block: an empty block with fixed codes and BFINAL set. */
const LAST_BLOCK = Buffer.from([0x03, 0x00]);
/** The largest stored block deflate allows. */
const STORED_MAX = 0xffff;

/** Whether this Node can put gzip answers together (zlib.crc32 came in Node 20.15). */
export const canJoinGzip = typeof zlib.crc32 === 'function';

/** How far back deflate may refer. */
const WINDOW = 32 * 1024;

/**
 * Each piece compressed once: raw deflate blocks ending on a byte boundary, not the last.
 * `slotLengths[i]` is the length, in bytes, of every value of the slot after piece i, or null
 * when it varies.
 */
export function compressPieces(pieces: readonly Buffer[], slotLengths: readonly (number | null)[]): Buffer[] {
  const shareHistory = pieces.every((piece) => !piece.includes(0));
  let history = Buffer.alloc(0);
  return pieces.map((piece, index) => {
    const compressed =
      piece.length === 0
        ? Buffer.alloc(0)
        : zlib.deflateRawSync(piece, {
            level: zlib.constants.Z_BEST_COMPRESSION,
            finishFlush: zlib.constants.Z_SYNC_FLUSH,
            ...(history.length > 0 ? { dictionary: history } : {}),
          });
    const slotLength = slotLengths[index];
    history =
      shareHistory && typeof slotLength === 'number'
        ? Buffer.concat([history, piece, Buffer.alloc(slotLength)]).subarray(-WINDOW)
        : Buffer.alloc(0);
    return compressed;
  });
}

/** Bytes as deflate stored blocks (not the last), as they are. */
function storedBlocks(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += STORED_MAX) {
    const chunk = bytes.subarray(start, start + STORED_MAX);
    const header = Buffer.alloc(5);
    header[0] = 0x00;
    header.writeUInt16LE(chunk.length, 1);
    header.writeUInt16LE(~chunk.length & 0xffff, 3);
    out.push(header, chunk);
  }
  return out;
}

/**
 * The gzip answer for `pieces` with `values[i]` between piece i and i + 1, given the pieces
 * compressed by compressPieces; each value must be as long as compressPieces was told.
 */
export function joinGzip(pieces: readonly Buffer[], compressed: readonly Buffer[], values: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [HEADER];
  let crc = 0;
  let size = 0;
  pieces.forEach((piece, index) => {
    parts.push(compressed[index] ?? Buffer.alloc(0));
    crc = zlib.crc32(piece, crc);
    size += piece.length;
    const value = values[index];
    if (value && value.length > 0) {
      parts.push(...storedBlocks(value));
      crc = zlib.crc32(value, crc);
      size += value.length;
    }
  });
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(size >>> 0, 4);
  parts.push(LAST_BLOCK, trailer);
  return Buffer.concat(parts);
}
