// Validation against the official SAM schema (draft-04), compiled once per test file: tests only, never the library.
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv-draft-04';

// Vendored from aws/serverless-application-model `schema_source/sam.schema.json` (the copy in shared/schemas), so the
// tests do not depend on where the repository is checked out.
const SCHEMA_FILE = path.join(__dirname, '..', 'fixtures', 'schemas', 'sam.schema.json');
let validate: ReturnType<Ajv['compile']> | undefined;

/** The schema errors of a template (empty when it is valid SAM). */
export function samSchemaErrors(template: any): string[] {
  if (!validate) {
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    validate = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')));
  }
  if (validate(template)) return [];
  // A resource is checked against every resource kind (anyOf); keep the errors of the branch for its own Type.
  const relevant = (validate.errors ?? []).filter((e) => {
    const id = /^\/Resources\/([^/]+)/.exec(e.instancePath)?.[1];
    const type: string | undefined = id ? template.Resources?.[id]?.Type : undefined;
    if (!type?.startsWith('AWS::Serverless::')) return true;
    const branch = `aws_serverless_${type.slice('AWS::Serverless::'.length).toLowerCase()}__`;
    return e.schemaPath.includes(branch) || !e.schemaPath.includes('schema_source__');
  });
  return relevant.map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}
