import type { TemplateResource } from './synth.ts';

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Every statement of every identity policy: the roles' inline policies and the separate policy resources. */
export const identityStatements = (resources: [string, TemplateResource][]): [string, Statement][] =>
  resources.flatMap(([id, resource]) => {
    const documents =
      resource.Type === 'AWS::IAM::Policy'
        ? [resource.Properties.PolicyDocument]
        : ((resource.Properties.Policies as { PolicyDocument: unknown }[] | undefined) ?? []).map(
            (policy) => policy.PolicyDocument,
          );
    return documents.flatMap((document) =>
      (document as { Statement: Statement[] }).Statement.map((statement) => [id, statement] as [string, Statement]),
    );
  });
