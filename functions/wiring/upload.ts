import { UploadStore } from '../store/uploads.ts';
import type { Environment } from '../runtime/environment.ts';
import { documentDependencies, type DocumentDependencies } from './documents.ts';
import type { HttpApiDependencies } from './http-api.ts';

/** POST /v1/documents records uploads and signs their URLs; it never reads or writes a document's bytes. */
export interface UploadFunctionDependencies extends HttpApiDependencies, DocumentDependencies {
  uploads: UploadStore;
}

export const uploadDependencies = (env: Environment, base: HttpApiDependencies): UploadFunctionDependencies => ({
  ...base,
  ...documentDependencies(env),
  uploads: new UploadStore(base.documentClient, base.config.tableName),
});
