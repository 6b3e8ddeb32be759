import net from 'node:net';

/*
 * Uploaded files are scanned by ClamAV when CLASP_CLAMD names where clamd listens. The file
 * is streamed to clamd with its INSTREAM command: "zINSTREAM\0", then the bytes in chunks each
 * preceded by its length (4 bytes, big-endian), then a chunk of length 0; clamd answers
 * "stream: OK", "stream: <signature> FOUND" or "… ERROR". Nothing is written to disk.
 *
 * The protocol is a few lines over a socket; the client libraries for it also look for clamd's
 * programs and configuration on the host and fall back to scanning locally, which Clasp must
 * not do silently, so this small client is Clasp's own.
 */

export type ScanResult = { clean: true } | { clean: false; signature: string };

/** clamd could not be reached, or did not answer as expected. */
export class ScannerUnavailable extends Error {}

const CHUNK_BYTES = 64 * 1024;

/** A Unix socket path, or host:port. */
function connectOptions(address: string): net.NetConnectOpts {
  const tcp = /^([^/:]+):(\d{1,5})$/.exec(address);
  return tcp?.[1] && tcp[2] ? { host: tcp[1], port: Number(tcp[2]) } : { path: address };
}

/** Scans the bytes with clamd at `address`; ScannerUnavailable when it cannot say. */
export function scanBytes(address: string, bytes: Uint8Array, timeoutMs = 30_000): Promise<ScanResult> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(connectOptions(address));
    const answer: Buffer[] = [];
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      reject(new ScannerUnavailable(`The virus scanner at ${address} ${why}`));
    };
    socket.setTimeout(timeoutMs, () => {
      fail('did not answer in time');
    });
    socket.on('error', (error) => {
      fail(`could not be reached (${error.message})`);
    });
    socket.on('connect', () => {
      socket.write('zINSTREAM\0');
      for (let offset = 0; offset < bytes.length; offset += CHUNK_BYTES) {
        const chunk = bytes.subarray(offset, offset + CHUNK_BYTES);
        const length = Buffer.alloc(4);
        length.writeUInt32BE(chunk.length);
        socket.write(length);
        socket.write(chunk);
      }
      socket.write(Buffer.alloc(4));
    });
    socket.on('data', (data) => answer.push(data));
    socket.on('end', () => {
      if (settled) return;
      const text = Buffer.concat(answer).toString('utf8').replace(/\0/g, '').trim();
      const found = /^stream: (.+) FOUND$/.exec(text);
      if (text === 'stream: OK') {
        settled = true;
        resolve({ clean: true });
      } else if (found?.[1]) {
        settled = true;
        resolve({ clean: false, signature: found[1] });
      } else {
        fail(`answered "${text.slice(0, 200)}"`);
      }
    });
  });
}

/** Why an infected file is refused, in words for the person who chose it. */
export const INFECTED_MESSAGE =
  'The selected file contains a virus or other harmful content, so it was not accepted. ' +
  'Do not open it again; tell your IT service desk where it came from.';

/** Why a file is refused while the scanner is down (unless Clasp is set to accept files unscanned). */
export const SCANNER_DOWN_MESSAGE =
  'Files cannot be checked for viruses just now, so the file was not accepted. Try again in a few minutes.';

/**
 * The scanning rule as settings make it: null when the file may be stored, else the message
 * saying why not. With no scanner set, every file passes; with the scanner down, the file is
 * refused unless `whenDown` is 'accept'.
 */
export async function virusProblem(
  settings: { clamd: string | null; clamdDown: 'refuse' | 'accept' },
  bytes: Uint8Array,
  log?: (message: string) => void,
): Promise<string | null> {
  if (!settings.clamd) return null;
  try {
    const result = await scanBytes(settings.clamd, bytes);
    return result.clean ? null : INFECTED_MESSAGE;
  } catch (error) {
    if (!(error instanceof ScannerUnavailable)) throw error;
    log?.(error.message);
    return settings.clamdDown === 'accept' ? null : SCANNER_DOWN_MESSAGE;
  }
}
