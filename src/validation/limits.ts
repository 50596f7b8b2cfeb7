// Numeric and size limits of a function (LT301-LT309): memory, timeout, /tmp, name, description, inline code,
// and package sizes (function + local layers unzipped, zip size).
import * as zlib from 'zlib';
import { FunctionFacts, LAYER_TYPE, referencedLogicalId, render } from './context';
import { packageAt } from './package';
import { RULES } from './rules';
import { LIMITS, PATTERNS } from '../model/platform';

/** LT301-LT309. */
export function checkLimits(fn: FunctionFacts): void {
  const p = fn.props;
  const memory = p.MemorySize;
  if (typeof memory === 'number' && (!Number.isInteger(memory) || memory < LIMITS.memoryMin || memory > LIMITS.memoryMax)) {
    fn.report(RULES.memorySize, `Memory size ${memory} MB is invalid: it must be an integer from ${LIMITS.memoryMin} to ${LIMITS.memoryMax} MB.`);
  }
  const timeout = p.Timeout;
  const timeoutMax = p.CapacityProviderConfig ? LIMITS.timeoutMaxManagedInstances : LIMITS.timeoutMax;
  if (typeof timeout === 'number' && (!Number.isInteger(timeout) || timeout < LIMITS.timeoutMin || timeout > timeoutMax)) {
    fn.report(RULES.timeout, `Timeout ${timeout} s is invalid: it must be a whole number of seconds from ${LIMITS.timeoutMin} to ${timeoutMax}.`);
  }
  const ephemeral = p.EphemeralStorage?.Size;
  if (typeof ephemeral === 'number' && (ephemeral < LIMITS.ephemeralMin || ephemeral > LIMITS.ephemeralMax)) {
    fn.report(RULES.ephemeralStorage, `Ephemeral storage ${ephemeral} MB is invalid: it must be from ${LIMITS.ephemeralMin} to ${LIMITS.ephemeralMax} MB.`);
  }
  const name = p.FunctionName;
  if (typeof name === 'string' && (name.length > LIMITS.functionNameMax || !PATTERNS.functionName.test(name))) {
    fn.report(RULES.functionName, `Function name "${name}" (${name.length} characters) must be at most ${LIMITS.functionNameMax} characters of letters, digits, "-" and "_".`);
  }
  const description = p.Description;
  if (typeof description === 'string' && description.length > LIMITS.descriptionMax) {
    fn.report(RULES.description, `Description is ${description.length} characters; the maximum is ${LIMITS.descriptionMax}.`);
  }
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
  checkPackageSizes(fn);
}

function checkPackageSizes(fn: FunctionFacts): void {
  const pkg = fn.assetPath ? packageAt(fn.assetPath) : undefined;
  let total = pkg?.unzippedBytes ?? 0;
  const parts: string[] = [];
  if (pkg) parts.push(`function ${mb(pkg.unzippedBytes)}`);
  const layers = Array.isArray(fn.props.Layers) ? fn.props.Layers : [];
  for (const layer of layers) {
    const id = referencedLogicalId(layer);
    const resource = id ? fn.index.resource(id) : undefined;
    if (!resource || resource.cfnResourceType !== LAYER_TYPE) continue;
    const layerPath = fn.index.assetPath(render(resource).props.Content?.S3Key);
    const layerPkg = layerPath ? packageAt(layerPath) : undefined;
    if (!layerPkg) continue;
    total += layerPkg.unzippedBytes;
    parts.push(`${resource.node.path} ${mb(layerPkg.unzippedBytes)}`);
  }
  if (total > LIMITS.unzippedMax) {
    fn.report(RULES.unzippedSize, `Function and layers unzip to ${total} bytes (${parts.join(' + ')}); the limit is ${LIMITS.unzippedMax} bytes (250 MB).`);
  }
  if (pkg?.zippedBytes !== undefined && pkg.zippedBytes > LIMITS.zippedMax) {
    fn.report(RULES.zippedSize, `The deployment package is ${mb(pkg.zippedBytes)} zipped; direct uploads (Lambda API, local twin) are limited to 50 MB.`);
  }
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
