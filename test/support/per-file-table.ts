import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { ensureLocalTable } from '../../infra/local/embedded-store.ts';

// Runs before each test file is imported, so the functions read this configuration at their "cold start".
const endpoint = inject('dynamodbEndpoint');
const tableName = `test-${randomUUID()}`;
process.env.DYNAMODB_ENDPOINT = endpoint;
process.env.TABLE_NAME = tableName;

await ensureLocalTable(endpoint, tableName);
