import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { generateLocalSealingKey } from '../../functions/documents/local-sealing-key.ts';
import { SEALING_SERVICE_NAME, SealingKeySettings } from '../../functions/sealing-key-settings.ts';
import { ensureLocalTable } from '../../infra/local/embedded-store.ts';
import { ensureLocalBucket } from '../../infra/local/embedded-s3.ts';

// Runs before each test file is imported, so the functions read this configuration at their "cold start".
const endpoint = inject('dynamodbEndpoint');
const s3Endpoint = inject('s3Endpoint');
const tableName = `test-${randomUUID()}`;
process.env.DYNAMODB_ENDPOINT = endpoint;
process.env.TABLE_NAME = tableName;
// A sealing key of this file's own, as npm start makes one per data directory.
process.env[SealingKeySettings.pem] = JSON.stringify(await generateLocalSealingKey(SEALING_SERVICE_NAME));
// A bucket per file too (lower-case, 41 characters: a valid bucket name).
process.env.S3_ENDPOINT = s3Endpoint;
process.env.DOCUMENTS_BUCKET = tableName;
process.env.PDF_READER_WORKER = inject('pdfReaderWorker');

await Promise.all([ensureLocalTable(endpoint, tableName), ensureLocalBucket(s3Endpoint, tableName)]);
