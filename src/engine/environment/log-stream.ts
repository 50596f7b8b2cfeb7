// The log stream of an execution environment: one append-only file the runtime's stdout and stderr write to
// directly, and the platform lines (START, END, REPORT …) appended between them. Callers read an invocation's
// slice from the offset it started at.
import * as fs from 'fs';

export class LogStream {
  private fd = -1;

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

  /** Reads the stream from `offset` to its current end. */
  read(offset: number): string {
    if (this.fd < 0) return '';
    const size = fs.fstatSync(this.fd).size;
    if (size <= offset) return '';
    const buffer = Buffer.allocUnsafe(size - offset);
    const read = fs.readSync(this.fd, buffer, 0, buffer.length, offset);
    return buffer.toString('utf8', 0, read);
  }

  close(): void {
    if (this.fd < 0) return;
    try {
      fs.closeSync(this.fd);
    } catch {
      // closed already
    }
    this.fd = -1;
  }
}
