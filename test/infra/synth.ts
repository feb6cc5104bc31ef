import { readFileSync } from 'node:fs';
import { App, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { defineApp } from '../../infra/define-app.ts';

/** The feature flags `cdk synth` runs with, so the tests check the same template a deploy would get. */
const cdkJsonContext = (): Record<string, unknown> => {
  const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
};

/**
 * The app exactly as infra/app.ts defines it (cdk-nag included), minus asset bundling: an empty
 * `aws:cdk:bundling-stacks` makes CDK skip esbuild.
 */
const synthesize = (context: Record<string, unknown>) => {
  const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = defineApp(app);
  const template = Template.fromStack(stack);
  /** The us-east-1 stack with the web ACL CloudFront applies. */
  const edgeTemplate = Template.fromStack(stack.edgeStack);
  const logicalId = (construct: IConstruct): string => {
    const resource = construct.node.defaultChild ?? construct;
    return stack.getLogicalId(resource as CfnElement);
  };
  return { app, stack, template, edgeTemplate, logicalId };
};

/**
 * Each context is synthesized once per worker and shared by every file that asks for it: a synth with cdk-nag
 * takes seconds, and the infra files run in one worker (vitest.config.ts). Tests only read what they get back.
 * A context the app refuses throws every time, as nothing is cached for it.
 */
const synthesized = new Map<string, ReturnType<typeof synthesize>>();
export const synthStack = (context: Record<string, unknown> = {}) => {
  const key = JSON.stringify(context);
  const cached = synthesized.get(key);
  if (cached) return cached;
  const built = synthesize(context);
  synthesized.set(key, built);
  return built;
};

export type Synthesized = ReturnType<typeof synthStack>;

export interface TemplateResource {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

interface TemplateJson {
  Resources: Record<string, TemplateResource>;
  Outputs?: Record<string, { Value: unknown; Export?: unknown }>;
}

export const templateJson = (template: Template): TemplateJson => template.toJSON() as TemplateJson;

/** Every resource of a CloudFormation type, by logical id. */
export const resourcesOfType = (template: Template, type: string): [string, TemplateResource][] =>
  Object.entries(templateJson(template).Resources).filter(([, resource]) => resource.Type === type);

/** A resource by logical id, with a clear failure when it is missing. */
export const resourceOf = (template: Template, logicalId: string): TemplateResource => {
  const resource = templateJson(template).Resources[logicalId];
  if (!resource) throw new Error(`No resource ${logicalId} in the template`);
  return resource;
};
