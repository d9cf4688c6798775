import { Stack, Token, Validations } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag (AwsSolutions, run by test/infra/cdk-nag.test.ts) findings are acknowledged next to the
 * resource they concern, each with its reason, through CDK's `Validations.of(construct).acknowledge`
 * (cdk-nag 3 replaced NagSuppressions with it). A finding about one value of a statement, such as
 * `AwsSolutions-IAM5[Resource::<BucketLogicalId.Arn>/reports/*]`, names that value as cdk-nag spells it.
 */

/**
 * A value as cdk-nag spells it in a finding id: Ref → <Id>, Fn::GetAtt → <Id.Attribute>, Fn::Join → the
 * parts joined, Fn::Sub → its ${X} as <X>.
 */
export function nagSpelling(scope: IConstruct, value: string): string {
  const flatten = (part: unknown): string => {
    if (typeof part === 'string') return part;
    const node = part as {
      Ref?: string;
      'Fn::GetAtt'?: [string, string];
      'Fn::Join'?: [string, unknown[]];
      'Fn::Sub'?: unknown;
    };
    if (node.Ref !== undefined) return `<${node.Ref}>`;
    // A substitution without variables (as CDK's default synthesizer writes the assets bucket): ${X} → <X>.
    if (typeof node['Fn::Sub'] === 'string') return node['Fn::Sub'].replace(/\$\{([^}]+)\}/g, '<$1>');
    if (node['Fn::GetAtt']) return `<${node['Fn::GetAtt'][0]}.${node['Fn::GetAtt'][1]}>`;
    if (node['Fn::Join']) return node['Fn::Join'][1].map(flatten).join(node['Fn::Join'][0]);
    return JSON.stringify(part);
  };
  return Token.isUnresolved(value) ? flatten(Stack.of(scope).resolve(value)) : value;
}

/** Acknowledges a finding on a function's execution role (its policy is the role's child, not the function's). */
export function acknowledgeOnRole(fn: IFunction, id: string, reason: string): void {
  if (!fn.role) throw new Error(`${fn.node.path} has no role to acknowledge ${id} on`);
  Validations.of(fn.role).acknowledge({ id, reason });
}
