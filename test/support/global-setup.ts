import type { TestProject } from 'vitest/node';
import { startEmbeddedStore } from '../../infra/local/embedded-store.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
  }
}

/** One embedded store for the whole run; each test file gets a table of its own (per-file-table.ts). */
export default async function setup(project: TestProject) {
  const store = await startEmbeddedStore({ port: 0 });
  project.provide('dynamodbEndpoint', store.endpoint);
  return () => store.close();
}
