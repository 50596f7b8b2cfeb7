// Reads the entries of a zip held in memory from its central directory (stored and deflated entries), with each
// entry's Unix file mode: what the synth-time package checks need of jars inside a package and of a custom
// runtime's bootstrap, without the asynchronous streaming of a full zip library.
import * as zlib from 'zlib';

/** One zip entry: its Unix mode (0 when the zip was not made on Unix) and its bytes on demand. */
export interface ZipEntry {
  readonly mode: number;
  read(): Buffer;
}

/** The files of a zip held in memory, from its central directory (stored and deflated entries). */
export function zipEntries(zip: Buffer): Map<string, ZipEntry> {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file (no end of central directory)');
  const entries = zip.readUInt16LE(eocd + 10);
  let pos = zip.readUInt32LE(eocd + 16);
  const out = new Map<string, ZipEntry>();
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(pos) !== 0x02014b50) throw new Error('bad central directory entry');
    const madeBy = zip.readUInt16LE(pos + 4);
    const method = zip.readUInt16LE(pos + 10);
    const compressedSize = zip.readUInt32LE(pos + 20);
    const nameLength = zip.readUInt16LE(pos + 28);
    const extraLength = zip.readUInt16LE(pos + 30);
    const commentLength = zip.readUInt16LE(pos + 32);
    const external = zip.readUInt32LE(pos + 38);
    const localHeader = zip.readUInt32LE(pos + 42);
    const name = zip.toString('utf8', pos + 46, pos + 46 + nameLength).replace(/^\.\//, '');
    pos += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;
    const mode = madeBy >> 8 === 3 ? external >>> 16 : 0; // eslint-disable-line no-bitwise
    out.set(name, {
      mode,
      read: () => {
        const start = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
        const data = zip.subarray(start, start + compressedSize);
        if (method === 0) return Buffer.from(data);
        if (method === 8) return zlib.inflateRawSync(data);
        throw new Error(`unsupported compression method ${method} for ${name}`);
      },
    });
  }
  return out;
}

/** The files of a zip held in memory: name → bytes on demand. */
export function zipFiles(zip: Buffer): Map<string, () => Buffer> {
  return new Map([...zipEntries(zip)].map(([name, entry]) => [name, () => entry.read()]));
}
