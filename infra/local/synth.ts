import { App } from 'aws-cdk-lib';
import { FundingCallStack } from '@infra/stack';

export type CfnTemplate = { Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }> };

/**
 * Synthesizes the real stack in-process, so local mode runs the very table definition and state
 * machine that `cdk deploy` would, with no separate `cdk synth` step. Bundling is skipped: locally
 * the handlers run from source.
 */
export function synthTemplate(): CfnTemplate {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] }, outdir: undefined });
  const stack = new FundingCallStack(app, 'FundingCall', { senderEmail: 'noreply@local.test' });
  const assembly = app.synth();
  return assembly.getStackArtifact(stack.artifactId).template as CfnTemplate;
}

export function resourcesOfType(template: CfnTemplate, type: string) {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}
