// The log stream of an execution environment: one append-only file the runtime's stdout and stderr write to
// directly, and the platform lines (START, END, REPORT …) appended between them. Callers read an invocation's
// slice from the offset it started at.
import * as fs from 'fs';

/** How much of the stream one read asks for. */
const READ_CHUNK = 64 * 1024;

export class LogStream {
  private fd = -1;
  /** Where the first chunk of a slice is read: an invocation's slice is usually shorter, and decoded from here. */
  private scratch?: Buffer;

  constructor(readonly file: string) {}

  /** The descriptor the runtime writes to (-1 before open and after close). */
  get descriptor(): number {
    return this.fd;
  }

  open(): void {
    if (this.fd < 0) this.fd = fs.openSync(this.file, 'a+');
  }

  /** Size of the stream so far: an invocation's output starts here. */
  offset(): number {
    return this.fd >= 0 ? fs.fstatSync(this.fd).size : 0;
  }

  /** Appends a line (a newline is added when missing). */
  write(line: string): void {
    if (this.fd >= 0) fs.writeSync(this.fd, line.endsWith('\n') ? line : line + '\n');
  }

  /**
   * Reads the stream from `offset` to its current end. A read shorter than asked for is the end of a regular file,
   * so an invocation's slice usually costs one read, with no stat first.
   */
  read(offset: number): string {
    if (this.fd < 0) return '';
    const scratch = (this.scratch ??= Buffer.allocUnsafe(READ_CHUNK));
    const pieces: Buffer[] = [];
    for (let at = offset; ;) {
      const read = fs.readSync(this.fd, scratch, 0, READ_CHUNK, at);
      if (pieces.length === 0 && read < READ_CHUNK) return scratch.toString('utf8', 0, read);
      pieces.push(Buffer.from(scratch.subarray(0, read))); // a copy: the next read reuses the scratch buffer
      if (read < READ_CHUNK) return Buffer.concat(pieces).toString('utf8');
      at += read;
    }
  }

  close(): void {
    this.scratch = undefined;
    if (this.fd < 0) return;
    try {
      fs.closeSync(this.fd);
    } catch {
      // closed already
    }
    this.fd = -1;
  }
}
