import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BucketAlreadyExists, BucketAlreadyOwnedByYou, CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { readEnvironment } from '../../functions/runtime/environment.ts';
import { documentStoreCredentials } from '../../functions/wiring/document-store-credentials.ts';

/**
 * s3rver's run() never rejects for a taken port: its server emits 'error' instead, uncaught, and the process dies
 * with a stack. A moment's listen of our own first turns a taken port into the EADDRINUSE rejection that
 * listenOrExplain (busy-port.ts) explains in one line.
 */
const expectPortFree = async (port: number): Promise<void> => {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(port, '127.0.0.1', resolve);
  });
  await new Promise<void>((resolve) => probe.close(() => resolve()));
};

export interface EmbeddedS3 {
  endpoint: string;
  close: () => Promise<void>;
}

/**
 * The embedded S3-compatible server (s3rver): the S3 REST API the real SDK client speaks, on loopback only, its
 * objects as files. `dataDir` keeps them between runs; without it they live in a temporary folder removed when
 * it closes. It checks no signature and no checksum, so the service hashes every document itself (inspect-pdf.ts).
 */
export const startEmbeddedS3 = async (options: { port: number; dataDir?: string }): Promise<EmbeddedS3> => {
  const directory = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'esign-s3-')));
  const server = new S3rver({
    port: options.port,
    address: '127.0.0.1',
    directory,
    silent: true,
    allowMismatchedSignatures: true,
    vhostBuckets: false,
  });
  if (options.port !== 0) await expectPortFree(options.port);
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      await server.close();
      if (!options.dataDir) await rm(directory, { recursive: true, force: true });
    },
  };
};

/** A client for the S3 server at `endpoint`, with the functions' rule for credentials (documentStoreCredentials). */
export const localS3Client = (endpoint: string, region = 'us-east-1'): S3Client => {
  const credentials = documentStoreCredentials(endpoint, readEnvironment());
  return new S3Client({ endpoint, region, forcePathStyle: true, ...(credentials ? { credentials } : {}) });
};

/** Creates the documents bucket unless it exists (S3 and s3rver answer a create of one's own bucket so). */
export const ensureLocalBucket = async (endpoint: string, bucket: string, region?: string) => {
  const client = localS3Client(endpoint, region);
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    return 'created';
  } catch (error) {
    if (error instanceof BucketAlreadyOwnedByYou || error instanceof BucketAlreadyExists) return 'existing';
    throw error;
  } finally {
    client.destroy();
  }
};
