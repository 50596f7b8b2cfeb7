// LT308/LT309: the function and its local layers unzip to at most 250 MB; the package is at most 50 MB zipped.
import { LIMITS } from '../../model/platform';
import type { FunctionFacts } from '../context';
import type { FunctionRule } from '../rule';
import { RULES } from '../rules';

export const packageSize: FunctionRule = {
  codes: [RULES.unzippedSize, RULES.zippedSize],
  check: checkPackageSizes,
};

function checkPackageSizes(fn: FunctionFacts): void {
  const pkg = fn.inlineCode === undefined ? fn.package : undefined;
  let total = pkg?.unzippedBytes ?? 0;
  const parts: string[] = [];
  if (pkg) parts.push(`function ${mb(pkg.unzippedBytes)}`);
  for (const resource of fn.localLayers) {
    const layerPkg = fn.layerPackage(resource);
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
