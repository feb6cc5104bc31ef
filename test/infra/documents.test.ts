import { execSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectPdf } from '../../functions/documents/inspect-pdf.ts';
import { routes, type HandlerName } from '../../functions/routes.ts';
import { PDF_READER_WORKER_FILE } from '../../infra/bundling/pdf-reader-worker.ts';
import { validPdf } from '../support/pdf-fixtures.ts';
import { asList, identityStatements, type Statement } from './iam-statements.ts';
import { resourceOf, resourcesOfType, synthStack, type TemplateResource } from './synth.ts';

const { template, stack, logicalId } = synthStack();
const prod = synthStack({ stage: 'prod' });
const bucketId = logicalId(stack.documents);
const bucket = resourceOf(template, bucketId);

/** The statements of the identity policies attached to a function's role. */
const statementsOf = (handler: HandlerName): Statement[] => {
  const role = stack.functions.for(handler).role;
  if (!role) throw new Error(`${handler} has no role`);
  const roleId = logicalId(role);
  const attached = resourcesOfType(template, 'AWS::IAM::Policy').filter(([, policy]: [string, TemplateResource]) =>
    (policy.Properties.Roles as { Ref?: string }[]).some((ref) => ref.Ref === roleId),
  );
  return identityStatements(attached).map(([, statement]) => statement);
};
const s3Statements = (handler: HandlerName) =>
  statementsOf(handler).filter((statement) => asList(statement.Action).some((action) => action.startsWith('s3:')));
const documentsObjects = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/documents/*']] };

describe('the documents bucket', () => {
  it('blocks every kind of public access and every ACL', () => {
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
  });

  it('is encrypted at rest and versioned', () => {
    expect(bucket.Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
  });

  it('refuses every call without TLS', () => {
    const [, policy] = resourcesOfType(template, 'AWS::S3::BucketPolicy').find(
      ([, resource]) => (resource.Properties.Bucket as { Ref?: string }).Ref === bucketId,
    ) ?? ['', undefined];
    const statements = (policy?.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  it('removes documents still tagged pending a day after their put, and older versions after 30 days', () => {
    const rules = (bucket.Properties.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
    expect(rules).toContainEqual(
      expect.objectContaining({
        Id: 'abandoned-pending-documents',
        Status: 'Enabled',
        Prefix: 'documents/',
        TagFilters: [{ Key: 'lifecycle', Value: 'pending' }],
        ExpirationInDays: 1,
      }),
    );
    expect(rules).toContainEqual(
      expect.objectContaining({
        Id: 'older-versions',
        Status: 'Enabled',
        NoncurrentVersionExpiration: { NoncurrentDays: 30 },
      }),
    );
    // No rule removes a document marked kept, nor one without the pending tag.
    const expiring = rules.filter((rule) => rule.ExpirationInDays !== undefined);
    expect(expiring.map((rule) => rule.TagFilters)).toEqual([[{ Key: 'lifecycle', Value: 'pending' }]]);
  });

  it('is torn down with a dev stack and retained in prod', () => {
    expect(bucket.DeletionPolicy).toBe('Delete');
    const retained = resourceOf(prod.template, prod.logicalId(prod.stack.documents));
    expect(retained.DeletionPolicy).toBe('Retain');
    expect(retained.UpdateReplacePolicy).toBe('Retain');
  });
});

describe('the functions’ access to documents', () => {
  it('lets initiate only put documents and tag them, under documents/', () => {
    expect(s3Statements('initiate')).toEqual([
      { Effect: 'Allow', Action: ['s3:PutObject', 's3:PutObjectTagging'], Resource: documentsObjects },
    ]);
  });

  it('lets the document route only read documents, under documents/', () => {
    expect(s3Statements('document')).toEqual([{ Effect: 'Allow', Action: 's3:GetObject', Resource: documentsObjects }]);
  });

  it('lets the signed document route only read documents, under documents/ (it never makes one)', () => {
    expect(s3Statements('signed-document')).toEqual([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: documentsObjects },
    ]);
  });

  it('gives no other route function any S3 action, and only the three the bucket’s name', () => {
    const readers = ['initiate', 'document', 'signed-document'];
    const handlers = [...new Set(routes.map((route) => route.handler))];
    for (const handler of handlers.filter((name) => !readers.includes(name))) {
      expect(s3Statements(handler), handler).toEqual([]);
    }
    const withBucket = handlers.filter((handler) => {
      const fn = resourceOf(template, logicalId(stack.functions.for(handler)));
      const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      return variables.DOCUMENTS_BUCKET !== undefined;
    });
    expect(withBucket.sort()).toEqual([...readers].sort());
    const initiate = resourceOf(template, logicalId(stack.functions.for('initiate')));
    expect(
      (initiate.Properties.Environment as { Variables: Record<string, unknown> }).Variables.DOCUMENTS_BUCKET,
    ).toEqual({
      Ref: bucketId,
    });
  });
});

describe('the PDF reader worker in the initiate bundle', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'esign-initiate-asset-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('is bundled beside index.mjs by initiate’s afterBundling hook alone, and reads a PDF from there', async () => {
    const hooks = stack.functions.for('initiate').commandHooks;
    expect(hooks).toBeDefined();
    const handlers = [...new Set(routes.map((route) => route.handler))];
    expect(handlers.filter((handler) => stack.functions.for(handler).commandHooks !== undefined)).toEqual(['initiate']);
    // The hook's commands, run as CDK runs them (inputDir: the project root; outputDir: the asset's folder).
    const projectRoot = new URL('../../', import.meta.url).pathname;
    for (const command of hooks?.afterBundling(projectRoot, outDir) ?? []) execSync(command, { stdio: 'pipe' });
    expect(readdirSync(outDir)).toContain(PDF_READER_WORKER_FILE);
    const pdf = await validPdf({ pages: 2 });
    const check = await inspectPdf(pdf, {
      maxBytes: pdf.byteLength,
      bounds: { workerFile: pathToFileURL(join(outDir, PDF_READER_WORKER_FILE)) },
    });
    expect(check).toMatchObject({ ok: true, pages: 2, size: pdf.byteLength });
  });
});
