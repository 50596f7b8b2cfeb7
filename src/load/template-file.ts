// Loads a template file from disk (JSON, or YAML with CloudFormation's short-form tags such as !Ref and !Sub)
// and reads its functions: SAM templates through the SAM loader, plain CloudFormation directly. Code paths are
// relative to the template's folder.
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { loadAnyTemplateApp } from './sam-loader';
import { AppModel } from '../model/app-model';
import { FunctionSpec } from '../model/function-spec';

export interface TemplateFileOptions {
  readonly parameterOverrides?: Record<string, string>;
  readonly region?: string;
  readonly accountId?: string;
  readonly stackName?: string;
}

const SHORT_TAGS: Array<[string, string, 'scalar' | 'seq' | 'map']> = [];
for (const fn of ['Ref', 'Condition']) SHORT_TAGS.push([fn, fn, 'scalar']);
for (const fn of ['Base64', 'Sub', 'ImportValue', 'GetAZs', 'GetAtt']) SHORT_TAGS.push([fn, `Fn::${fn}`, 'scalar']);
for (const fn of ['Join', 'Select', 'Split', 'Sub', 'If', 'Equals', 'Not', 'And', 'Or', 'FindInMap', 'GetAtt', 'Cidr', 'Base64']) SHORT_TAGS.push([fn, `Fn::${fn}`, 'seq']);
for (const fn of ['Base64', 'Sub', 'ImportValue', 'Transform']) SHORT_TAGS.push([fn, `Fn::${fn}`, 'map']);

/** YAML tags for CloudFormation's short forms: `!Ref X` → `{ Ref: X }`, `!GetAtt A.B` → `{ 'Fn::GetAtt': ['A','B'] }`. */
export const CLOUDFORMATION_YAML_TAGS: YAML.Tags = SHORT_TAGS.map(([tag, fn, kind]) => ({
  tag: `!${tag}`,
  collection: kind === 'seq' ? 'seq' : kind === 'map' ? 'map' : undefined,
  identify: () => false,
  resolve: (value: any) => {
    const plain = value && typeof value.toJSON === 'function' ? value.toJSON() : value;
    if (fn === 'Fn::GetAtt' && typeof plain === 'string') return { [fn]: plain.split(/\.(.*)/s).slice(0, 2) };
    return { [fn]: plain };
  },
}) as any);

/** Parses a template's text (JSON or YAML). Throws an error that names the file and the line. */
export function parseTemplate(text: string, file: string): any {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new Error(`${file} is not valid JSON: ${(e as Error).message}`);
    }
  }
  const doc = YAML.parseDocument(text, { customTags: CLOUDFORMATION_YAML_TAGS, uniqueKeys: false });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    throw new Error(`${file} is not valid YAML (line ${err.linePos?.[0]?.line ?? '?'}): ${err.message.split('\n')[0]}`);
  }
  return doc.toJS({ maxAliasCount: -1 });
}

/** Reads the functions of a CloudFormation or SAM template file. */
export function loadTemplateFile(file: string, options: TemplateFileOptions = {}): FunctionSpec[] {
  return loadTemplateFileApp(file, options).functions;
}

/** Reads a CloudFormation or SAM template file into the app model. */
export function loadTemplateFileApp(file: string, options: TemplateFileOptions = {}): AppModel {
  if (!fs.existsSync(file)) throw new Error(`Template ${file} does not exist`);
  const template = parseTemplate(fs.readFileSync(file, 'utf8'), file);
  if (!template || typeof template !== 'object' || typeof template.Resources !== 'object') {
    throw new Error(`${file} is not a CloudFormation or SAM template: it has no Resources section`);
  }
  const stackName = options.stackName ?? path.basename(file).replace(/\.(template\.)?(json|ya?ml)$/i, '');
  return loadAnyTemplateApp(template, {
    source: file,
    stackName,
    baseDir: path.dirname(file),
    region: options.region,
    accountId: options.accountId,
    parameterOverrides: options.parameterOverrides,
    assetPath: (resource, property) => {
      const metadataPath = resource.Metadata?.['aws:asset:path'];
      if (metadataPath) return metadataPath;
      const code = resource.Properties?.[property];
      return typeof code === 'string' ? code : undefined; // a local path left in place by `cfn package`-style templates
    },
  });
}
