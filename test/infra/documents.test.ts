import { execSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { inspectPdf } from '../../functions/documents/inspect-pdf.ts';
import { routes, type HandlerName } from '../../functions/routes.ts';
import type { s3DocumentStore } from '../../functions/wiring/s3-documents.ts';
import { FUNCTION_BUNDLING } from '../../infra/bundling/function-bundling.ts';
import { SIDE_FILES } from '../../infra/bundling/side-files.ts';
import { ProjectFunction } from '../../infra/constructs/project-function.ts';
import { ensureLocalBucket } from '../../infra/local/embedded-s3.ts';
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
const uploadObjects = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/uploads/*']] };

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
    // No rule removes a document marked kept, nor one without the pending tag, under documents/.
    const expiring = rules.filter((rule) => rule.ExpirationInDays !== undefined);
    expect(expiring.filter((rule) => rule.Prefix !== 'uploads/').map((rule) => rule.TagFilters)).toEqual([
      [{ Key: 'lifecycle', Value: 'pending' }],
    ]);
  });

  it('removes every upload a day after its put, and its older versions as soon; nothing else by that rule', () => {
    const rules = (bucket.Properties.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
    const uploads = rules.filter((rule) => rule.Prefix === 'uploads/');
    expect(uploads).toEqual([
      {
        Id: 'uploads',
        Status: 'Enabled',
        Prefix: 'uploads/',
        ExpirationInDays: 1,
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
      },
    ]);
  });

  it('is torn down with a dev stack and retained in prod', () => {
    expect(bucket.DeletionPolicy).toBe('Delete');
    const retained = resourceOf(prod.template, prod.logicalId(prod.stack.documents));
    expect(retained.DeletionPolicy).toBe('Retain');
    expect(retained.UpdateReplacePolicy).toBe('Retain');
  });
});

describe('the functions’ access to documents', () => {
  it('lets initiate only put documents and tag them, under documents/, and read uploads, under uploads/', () => {
    expect(s3Statements('initiate')).toEqual([
      { Effect: 'Allow', Action: ['s3:PutObject', 's3:PutObjectTagging'], Resource: documentsObjects },
      { Effect: 'Allow', Action: 's3:GetObject', Resource: uploadObjects },
    ]);
  });

  it('lets the upload function only put objects under uploads/: the right its presigned URLs act with', () => {
    expect(s3Statements('upload')).toEqual([{ Effect: 'Allow', Action: 's3:PutObject', Resource: uploadObjects }]);
  });

  it('gives initiate, which reads up to 25 MiB of PDF in a worker, more memory and time than the others', () => {
    const settingsOf = (handler: HandlerName) => {
      const fn = resourceOf(template, logicalId(stack.functions.for(handler)));
      return { memory: fn.Properties.MemorySize, timeout: fn.Properties.Timeout };
    };
    expect(settingsOf('initiate')).toEqual({ memory: 1536, timeout: 28 });
    for (const handler of ['upload', 'document', 'read', 'resend'] as const)
      expect(settingsOf(handler), handler).toEqual({ memory: 512, timeout: 15 });
  });

  it('lets the document routes (the app’s, the signer’s and the signed document’s) only read documents, under documents/', () => {
    for (const handler of ['document', 'signing-document', 'signed-document'] as const) {
      expect(s3Statements(handler), handler).toEqual([
        { Effect: 'Allow', Action: 's3:GetObject', Resource: documentsObjects },
      ]);
    }
  });

  it('gives no other function any S3 action, and only those five the bucket’s name', () => {
    const handlers = [...new Set(routes.map((route) => route.handler))];
    const withAccess = ['initiate', 'document', 'signing-document', 'signed-document', 'upload'];
    for (const handler of handlers.filter((name) => !withAccess.includes(name))) {
      expect(s3Statements(handler), handler).toEqual([]);
    }
    const withBucket = handlers.filter((handler) => {
      const fn = resourceOf(template, logicalId(stack.functions.for(handler)));
      const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      return variables.DOCUMENTS_BUCKET !== undefined;
    });
    expect(withBucket.sort()).toEqual([...withAccess].sort());
    const initiate = resourceOf(template, logicalId(stack.functions.for('initiate')));
    expect(
      (initiate.Properties.Environment as { Variables: Record<string, unknown> }).Variables.DOCUMENTS_BUCKET,
    ).toEqual({
      Ref: bucketId,
    });
  });
});

describe('what the functions that reach the bucket ship beside index.mjs', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'esign-initiate-asset-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));
  const projectFunctions = stack.node.findAll().filter((node) => node instanceof ProjectFunction);

  it('is the S3 documents module for every function given the bucket, and the PDF worker for initiate alone', () => {
    const namesBucket = (fn: ProjectFunction) => {
      const { Environment } = resourceOf(template, logicalId(fn)).Properties as {
        Environment?: { Variables?: Record<string, unknown> };
      };
      return Environment?.Variables?.DOCUMENTS_BUCKET !== undefined;
    };
    expect(projectFunctions.filter(namesBucket)).toEqual(
      expect.arrayContaining([stack.functions.for('initiate'), stack.functions.for('document')]),
    );
    for (const fn of projectFunctions) expect(fn.sideFiles.includes('s3-documents'), fn.node.id).toBe(namesBucket(fn));
    expect(projectFunctions.filter((fn) => fn.sideFiles.includes('pdf-reader-worker'))).toEqual([
      stack.functions.for('initiate'),
    ]);
  });

  it('are bundled by initiate’s afterBundling hook, and work from there: the worker reads a PDF, the module reaches S3', async () => {
    const hooks = stack.functions.for('initiate').commandHooks;
    // The hook's commands, run as CDK runs them (inputDir: the project root; outputDir: the asset's folder).
    const projectRoot = new URL('../../', import.meta.url).pathname;
    for (const command of hooks?.afterBundling(projectRoot, outDir) ?? []) execSync(command, { stdio: 'pipe' });
    expect(
      readdirSync(outDir)
        .filter((file) => file.endsWith('.mjs'))
        .sort(),
    ).toEqual([SIDE_FILES['pdf-reader-worker'].file, SIDE_FILES['s3-documents'].file]);

    const pdf = await validPdf({ pages: 2 });
    const check = await inspectPdf(pdf, {
      maxBytes: pdf.byteLength,
      bounds: { workerFile: pathToFileURL(join(outDir, SIDE_FILES['pdf-reader-worker'].file)) },
    });
    expect(check).toMatchObject({ ok: true, pages: 2, size: pdf.byteLength });

    const s3Endpoint = inject('s3Endpoint');
    const bucketName = `side-file-${Date.now()}`;
    await ensureLocalBucket(s3Endpoint, bucketName);
    const module = (await import(pathToFileURL(join(outDir, SIDE_FILES['s3-documents'].file)).href)) as {
      s3DocumentStore: typeof s3DocumentStore;
    };
    const store = module.s3DocumentStore({ S3_ENDPOINT: s3Endpoint }, bucketName);
    await store.putPending('documents/app/request/original.pdf', pdf, 'sha');
    expect(await store.read('documents/app/request/original.pdf')).toEqual(pdf);
  });

  it('leaves the S3 SDK out of every index.mjs: the functions that take or serve documents load it on first use', async () => {
    const reachingTheBucket = [
      ...new Set(routes.filter((route) => 'documentAccess' in route).map((route) => route.handler)),
    ];
    expect(reachingTheBucket.length).toBeGreaterThanOrEqual(4);
    for (const handler of reachingTheBucket) {
      const { metafile } = await build({
        ...FUNCTION_BUNDLING,
        entryPoints: [new URL(`../../functions/handlers/${handler}.ts`, import.meta.url).pathname],
        bundle: true,
        write: false,
        outdir: outDir,
        metafile: true,
        logLevel: 'error',
      });
      const inputs = Object.keys(metafile.inputs);
      expect(
        inputs.some((input) => input.includes('functions/handlers/')),
        handler,
      ).toBe(true);
      expect(
        inputs.filter((input) => input.includes('@aws-sdk/client-s3') || input.endsWith('s3-documents.ts')),
        handler,
      ).toEqual([]);
    }
  });
});
