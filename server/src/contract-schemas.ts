/**
 * Puts the response schemas generated from shared/contract (server/bin/contract-schemas.mjs, a build step)
 * into the OpenAPI document: every contract type as a component, and each operation's 2xx JSON answer as
 * the schema of its handler's declared return type — so a third-party client can be generated from
 * /api/docs-json. The schemas are JSON Schema, hence the document is OpenAPI 3.1.
 */
import type { OpenAPIObject } from '@nestjs/swagger';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from './config/package-root.js';

const CONTRACT_SCHEMAS_PATH = join(PACKAGE_ROOT, 'dist', 'contract-schemas.json');

interface ContractSchemas {
  schemas: Record<string, object>;
  /** By operationId (`Controller_method`); null for an answer with no JSON body (204, CSV, HTML). */
  operations: Record<string, object | null>;
}

type Operation = {
  operationId?: string;
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: object }> }>;
};

/** Returns the document with the schemas added; unchanged when the build step has not run (the API test then fails). */
export function withContractSchemas(document: OpenAPIObject, path = CONTRACT_SCHEMAS_PATH): OpenAPIObject {
  if (!existsSync(path)) return document;
  const contract = JSON.parse(readFileSync(path, 'utf8')) as ContractSchemas;
  document.openapi = '3.1.0';
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...contract.schemas } };
  for (const item of Object.values(document.paths)) {
    for (const op of Object.values(item) as Operation[]) {
      const schema = op?.operationId ? contract.operations[op.operationId] : undefined;
      if (!schema) continue;
      const responses = (op.responses ??= {});
      const code = Object.keys(responses).find((c) => /^2\d\d$/.test(c)) ?? '200';
      const response = (responses[code] ??= { description: '' });
      response.content = { ...response.content, 'application/json': { schema } };
    }
  }
  return document;
}
