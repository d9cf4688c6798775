import { App, type CfnElement } from 'aws-cdk-lib';
import type { AnyFunctionName } from '@infra/functions';
import { FundingCallStack } from '@infra/stack';

export type CfnTemplate = {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }>;
};

/**
 * Synthesizes the real stack in-process, so local mode runs the very table definition and state
 * machine that `cdk deploy` would, with no separate `cdk synth` step. Bundling is skipped: locally
 * the handlers run from source.
 */
export function synthTemplate(): { template: CfnTemplate; functionByLogicalId: Map<string, AnyFunctionName> } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new FundingCallStack(app, 'FundingCall', {
    senderEmail: 'noreply@local.test',
    alarmEmail: 'alarms@local.test',
  });
  // The template names functions by logical id; the stack knows which handler each one bundles.
  const functionByLogicalId = new Map<string, AnyFunctionName>();
  for (const [name, fn] of stack.functions) {
    functionByLogicalId.set(stack.getLogicalId(fn.node.defaultChild as CfnElement), name);
  }
  const assembly = app.synth();
  return { template: assembly.getStackArtifact(stack.artifactId).template as CfnTemplate, functionByLogicalId };
}

export function resourcesOfType(template: CfnTemplate, type: string) {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}
