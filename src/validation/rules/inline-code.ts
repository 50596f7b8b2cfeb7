// LT306/LT307: inline (ZipFile) code is at most 4 MB zipped, and only on Node.js and Python.
import * as zlib from 'zlib';
import { LIMITS } from '../../model/platform';
import type { FunctionFacts } from '../context';
import type { FunctionRule } from '../rule';
import { RULES } from '../rules';

export const inlineCode: FunctionRule = {
  codes: [RULES.inlineCodeSize, RULES.inlineCodeRuntime],
  check(fn: FunctionFacts): void {
    if (fn.inlineCode !== undefined) {
      if (fn.family !== 'nodejs' && fn.family !== 'python' && fn.runtime) {
        fn.report(RULES.inlineCodeRuntime, `Inline code is not supported for runtime ${fn.runtime}; only Node.js and Python run inline code.`);
      }
      // Only compress when the raw text is over the limit: the zip is never larger than the text plus a header.
      const raw = Buffer.byteLength(fn.inlineCode);
      if (raw > LIMITS.inlineZipMax) {
        const zipped = zlib.deflateRawSync(Buffer.from(fn.inlineCode)).length;
        if (zipped > LIMITS.inlineZipMax) {
          fn.report(RULES.inlineCodeSize, `Inline code is ${zipped} bytes zipped; the maximum is ${LIMITS.inlineZipMax} bytes (4 MB).`);
        }
      }
    }
  },
};
