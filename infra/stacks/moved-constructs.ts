import { Names, type CfnElement } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** A construct path under the stack (ids joined by `/`) -> the path it had when a deployed stage was made. */
export type MovedPaths = ReadonlyMap<string, string>;

/**
 * The logical id CDK gives a resource at `path` (ids under the stack, joined by `/`): Stack.allocateLogicalId's
 * own scheme, reached through Names.uniqueId on a detached tree of that shape, so no private CDK code is copied.
 */
export const logicalIdAt = (path: string): string => {
  let scope = new Construct(undefined as unknown as Construct, 'root');
  for (const id of path.split('/')) scope = new Construct(scope, id);
  return Names.uniqueId(scope);
};

/**
 * The logical id `element` keeps: the one of its old path when it lies under a moved construct, so a deploy
 * updates it in place (CloudFormation replaces a resource whose logical id changes); undefined when it did not move.
 */
export const keptLogicalId = (element: CfnElement, moved: MovedPaths): string | undefined => {
  const scopes = element.node.scopes;
  const path = scopes
    .slice(scopes.indexOf(element.stack) + 1)
    .map((scope) => scope.node.id)
    .join('/');
  for (const [now, before] of moved) {
    if (path.startsWith(`${now}/`)) return logicalIdAt(`${before}${path.slice(now.length)}`);
  }
  return undefined;
};
