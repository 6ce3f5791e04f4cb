#!/usr/bin/env node
/**
 * Build step (npm run build, and the build stage of test/run-tests.mjs): the OpenAPI response schemas,
 * generated from the one contract the compiler enforces.
 *
 *  - `schemas`: a JSON schema for every type exported by shared/contract/*.ts (ts-json-schema-generator),
 *    with `$ref`s already pointing into the OpenAPI document (#/components/schemas/…).
 *  - `operations`: for each controller handler (by its Swagger operationId, `Controller_method`), the
 *    schema of its answer, read from the handler's declared return type (`Promise<StudyView>`,
 *    `Promise<ParticipantView[]>`, `Promise<UnblindedResponse<RevealView>>`, `… | string` for a CSV
 *    alternative). tsc checks that the handler really returns that type, so the document follows the code.
 *
 * Writes dist/contract-schemas.json, read by server/src/contract-schemas.ts when the app builds its document.
 * Skipped when the output is newer than every input (the generator takes half a minute on a loaded machine).
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'dist', 'contract-schemas.json');

const walk = (dir, keep) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name), keep) : keep(e.name) ? [join(dir, e.name)] : [],
  );
const controllers = walk(join(root, 'server', 'src', 'modules'), (n) => n.endsWith('.controller.ts'));
// The contract and everything its types reach (protocol, engine, roles, i18n), the controllers and this script.
const inputs = [
  ...walk(join(root, 'shared'), (n) => n.endsWith('.ts')),
  ...controllers,
  fileURLToPath(import.meta.url),
];

if (existsSync(out) && !process.argv.includes('--force')) {
  const built = statSync(out).mtimeMs;
  if (inputs.every((f) => statSync(f).mtimeMs <= built)) process.exit(0);
}

const started = Date.now();
// Loaded only when there is work to do (npm start and the CLI call this script on every run).
const { default: ts } = await import('typescript');
const { createGenerator } = await import('ts-json-schema-generator');
const generated = createGenerator({
  path: join(root, 'shared', 'contract', '*.ts'),
  type: '*',
  expose: 'export',
  topRef: true,
  // A field the type does not name is a mismatch (the API test validates real answers against these).
  additionalProperties: false,
  jsDoc: 'basic',
  skipTypeCheck: true,
}).createSchema('*');
const schemas = JSON.parse(
  JSON.stringify(generated.definitions).replaceAll('"#/definitions/', '"#/components/schemas/'),
);

/** The OpenAPI schema of one type node of a handler's return type; null for no JSON body. */
function schemaOf(node, file) {
  if (ts.isParenthesizedTypeNode(node)) return schemaOf(node.type, file);
  if (ts.isTypeReferenceNode(node)) {
    const name = node.typeName.getText(file);
    if ((name === 'Promise' || name === 'UnblindedResponse') && node.typeArguments?.length === 1)
      return schemaOf(node.typeArguments[0], file);
    if (name === 'Array' && node.typeArguments?.length === 1) return arrayOf(schemaOf(node.typeArguments[0], file));
    if (!schemas[name])
      throw new Error(
        `${relative(root, file.fileName)}: ${name} is not a type of shared/contract (annotate handlers with contract types)`,
      );
    return { $ref: `#/components/schemas/${name}` };
  }
  if (ts.isArrayTypeNode(node)) return arrayOf(schemaOf(node.elementType, file));
  if (ts.isUnionTypeNode(node)) {
    // `| string` is the CSV alternative of a `?format=` route: not part of the JSON answer.
    const members = node.types.map((t) => schemaOf(t, file)).filter((s) => s !== null);
    return members.length === 1 ? members[0] : { oneOf: members };
  }
  if (node.kind === ts.SyntaxKind.StringKeyword || node.kind === ts.SyntaxKind.VoidKeyword) return null;
  throw new Error(`${relative(root, file.fileName)}: cannot describe the return type ${node.getText(file)}`);
}
const arrayOf = (items) => (items ? { type: 'array', items } : null);

const operations = {};
const HANDLER = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete']);
for (const path of controllers) {
  const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  for (const cls of file.statements.filter(ts.isClassDeclaration)) {
    for (const member of cls.members.filter(ts.isMethodDeclaration)) {
      const decorators = (ts.getDecorators(member) ?? [])
        .map((d) => d.expression)
        .filter(ts.isCallExpression)
        .map((c) => c.expression.getText(file));
      if (!decorators.some((d) => HANDLER.has(d))) continue;
      const id = `${cls.name.text}_${member.name.getText(file)}`;
      if (!member.type)
        throw new Error(`${relative(root, path)}: ${id} has no declared return type (the contract requires one)`);
      operations[id] = schemaOf(member.type, file);
    }
  }
}

mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ schemas, operations }, null, 1)}\n`);
console.log(
  `[contract-schemas] ${Object.keys(schemas).length} schemas, ${Object.keys(operations).length} operations → ${relative(root, out)} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
);
