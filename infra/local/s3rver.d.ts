// s3rver ships no types; this is the part of its API the embedded S3 server uses.
declare module 's3rver' {
  import type { AddressInfo } from 'node:net';
  import type { Server } from 'node:http';

  interface S3rverOptions {
    port?: number;
    address?: string;
    /** Where buckets and objects are kept, as files. */
    directory?: string;
    silent?: boolean;
    /** Empties `directory` when the server closes. */
    resetOnClose?: boolean;
    /** Accepts any credentials: the service's placeholders are not s3rver's own. */
    allowMismatchedSignatures?: boolean;
    /** Off: buckets are addressed by path (the clients use forcePathStyle). */
    vhostBuckets?: boolean;
  }

  export default class S3rver {
    constructor(options?: S3rverOptions);
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
    httpServer?: Server;
  }
}
