import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** What every benchmark gets from the runner: one store, one table, one registered app, the functions' client. */
export interface BenchContext {
  quick: boolean;
  tableName: string;
  endpoint: string;
  app: { appId: string; token: string };
  /** The very client the functions use (sharedHttpApiDependencies), so raw calls share its sockets and config. */
  client: DynamoDBDocumentClient;
}

export interface Target {
  name: string;
  measured: number;
  comparison: '>=' | '<=' | '==';
  goal: number;
  met: boolean;
}

/** One benchmark's output: a printed table, the targets it checks, and the same figures for the JSON file. */
export interface Section {
  id: string;
  title: string;
  columns: string[];
  rows: (string | number)[][];
  targets: Target[];
  notes: string[];
}

export const target = (name: string, measured: number, comparison: Target['comparison'], goal: number): Target => ({
  name,
  measured,
  comparison,
  goal,
  met: comparison === '>=' ? measured >= goal : comparison === '<=' ? measured <= goal : measured === goal,
});
