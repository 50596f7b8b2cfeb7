// Prepares what a function's environments run from: the task root (a copy of the code, or the extracted zip)
// and the /opt stand-in (its layers merged in order), once per function.
import * as fs from 'fs';
import * as path from 'path';
import { extractZip } from './zip';
import { FunctionSpec } from '../../model/function-spec';
import { driverFor } from '../runtimes';

export interface PreparedCode {
  readonly taskRoot: string;
  readonly optDir: string;
}

/** Copies or extracts the function's code and layers under `dir`. Throws a clear error for missing code. */
export async function prepareCode(spec: FunctionSpec, dir: string): Promise<PreparedCode> {
  const taskRoot = path.join(dir, 'task');
  const optDir = path.join(dir, 'opt');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(taskRoot, { recursive: true });
  fs.mkdirSync(optDir, { recursive: true });

  if (spec.inlineCode !== undefined) {
    const file = driverFor(spec.runtime)?.inlineFileName ?? 'index.js'; // index.js unless the family names its own
    fs.writeFileSync(path.join(taskRoot, file), spec.inlineCode);
  } else if (spec.codePath) {
    if (spec.missingCodeMessage && !fs.existsSync(spec.codePath)) throw new Error(spec.missingCodeMessage);
    await copyContent(spec.codePath, taskRoot, `code of function ${spec.functionName}`);
  } else if (spec.packageType !== 'Image') {
    throw new Error(`Function ${spec.functionName} (${spec.logicalId}) has no local code: its Code points at S3 or an image. ` +
      'Synthesize it with a local asset (Code.fromAsset) or give it a CodeUri on disk.');
  }
  for (const layer of spec.layers) {
    if (!layer.contentPath) continue; // remote layers were reported by the loader
    await copyContent(layer.contentPath, optDir, `layer ${layer.id} of function ${spec.functionName}`);
  }
  return { taskRoot, optDir };
}

async function copyContent(source: string, target: string, what: string): Promise<void> {
  if (!fs.existsSync(source)) {
    throw new Error(`The ${what} is missing: ${source} does not exist. Run \`cdk synth\` again, or fix the path.`);
  }
  if (fs.statSync(source).isDirectory()) {
    fs.cpSync(source, target, { recursive: true, verbatimSymlinks: true, force: true });
  } else if (source.endsWith('.zip') || source.endsWith('.jar')) {
    await extractZip(source, target);
  } else {
    fs.copyFileSync(source, path.join(target, path.basename(source)));
  }
}
