import type { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';

/**
 * The one rule for browser origins, written once and used twice: the web ACL in front of the API on
 * AWS (infra/api-protection.ts) carries the statement built here, and the local gateway evaluates
 * that same statement on every request (`matchesStatement`), so a browser test against
 * `npm start` proves what the web ACL will do.
 *
 * The rule: a request whose Origin header is present and is neither the API's own origin (its task
 * pages post their forms to it) nor one of the allowed origins is refused, 403. A request without
 * Origin (curl, a program, an emailed link followed with GET) is let through.
 *
 * The task pages send `Referrer-Policy: same-origin` (functions/lib/http.ts and the page's meta tag):
 * under it a browser's form POST to the page's own origin names that origin, whereas `no-referrer`
 * makes it send `Origin: null`, which this rule refuses as it refuses any origin it does not know
 * (sandboxed frames and file:// pages send `null` too).
 */

/** String joins and splits, plain for a running gateway or CloudFormation's for a stack parameter. */
export interface StringOps {
  join(separator: string, parts: string[]): string;
  split(separator: string, text: string): string[];
}

export const plainStrings: StringOps = {
  join: (separator, parts) => parts.join(separator),
  split: (separator, text) => text.split(separator),
};

/**
 * `^(origin|origin|…)$` of the API's own origin and the comma-separated allowed ones, every dot
 * escaped. Origins are scheme://host[:port] in lower case (the stack parameter's pattern), which is
 * what keeps them safe inside a regex once their dots are escaped.
 */
export function originsRegex(ownOrigin: string, allowedOrigins: string, strings: StringOps = plainStrings): string {
  const escaped = strings.join('\\.', strings.split('.', strings.join(',', [ownOrigin, allowedOrigins])));
  return strings.join('', ['^(', strings.join('|', strings.split(',', escaped)), ')$']);
}

const ORIGIN_HEADER = { singleHeader: { Name: 'origin' } };
const NO_TRANSFORMATION = [{ priority: 0, type: 'NONE' }];

/** The web ACL statement matching a request to refuse: an Origin that is present and not in `regex`. */
export function disallowedOriginStatement(regex: string): CfnWebACL.StatementProperty {
  return {
    andStatement: {
      statements: [
        // A request without Origin matches neither statement: allowed.
        {
          sizeConstraintStatement: {
            fieldToMatch: ORIGIN_HEADER,
            comparisonOperator: 'GT',
            size: 0,
            textTransformations: NO_TRANSFORMATION,
          },
        },
        {
          notStatement: {
            statement: {
              regexMatchStatement: {
                fieldToMatch: ORIGIN_HEADER,
                regexString: regex,
                textTransformations: NO_TRANSFORMATION,
              },
            },
          },
        },
      ],
    },
  };
}

/** The refusal's body, in the API's error contract: the web ACL's custom response and the local gateway's answer. */
export const FORBIDDEN_ORIGIN_BODY = JSON.stringify({
  error: { code: 'FORBIDDEN', message: 'This API does not serve pages from that origin', details: [] },
});

type Statement = CfnWebACL.StatementProperty;
/** The statement kinds the origin rule is made of, as plain values (CDK types them as possibly tokens). */
interface KnownStatement {
  andStatement?: { statements: Statement[] };
  notStatement?: { statement: Statement };
  sizeConstraintStatement?: {
    fieldToMatch: unknown;
    comparisonOperator: string;
    size: number;
    textTransformations: unknown;
  };
  regexMatchStatement?: { fieldToMatch: unknown; regexString: string; textTransformations: unknown };
}
type FieldToMatch = { singleHeader?: { Name: string } };

/** The value WAF inspects: one header, by name (header names are matched without regard to case). */
function fieldValue(field: unknown, headers: Record<string, string | undefined>): string | undefined {
  const name = (field as FieldToMatch).singleHeader?.Name;
  if (!name) throw new Error('matchesStatement: only singleHeader fields are evaluated locally');
  return headers[name.toLowerCase()];
}

function onlyNone(transformations: unknown): void {
  const list = transformations as { type: string }[];
  if (list.some((transformation) => transformation.type !== 'NONE'))
    throw new Error('matchesStatement: text transformations are not evaluated locally');
}

/**
 * Whether a request with these headers (names in lower case, as Node gives them) matches a web ACL
 * statement, as WAF evaluates it. Only the statement kinds the origin rule uses are known; any other
 * throws, so the local gateway can never silently skip a rule the web ACL applies. A header that is
 * absent matches no size or regex statement (WAF's behaviour for a missing single header).
 */
export function matchesStatement(statement: Statement, headers: Record<string, string | undefined>): boolean {
  const s = statement as KnownStatement;
  if (s.andStatement) return s.andStatement.statements.every((inner) => matchesStatement(inner, headers));
  if (s.notStatement) return !matchesStatement(s.notStatement.statement, headers);
  if (s.sizeConstraintStatement) {
    const { fieldToMatch, comparisonOperator, size, textTransformations } = s.sizeConstraintStatement;
    onlyNone(textTransformations);
    const value = fieldValue(fieldToMatch, headers);
    if (value === undefined) return false;
    if (comparisonOperator !== 'GT')
      throw new Error(`matchesStatement: comparison ${comparisonOperator} is not evaluated locally`);
    return Buffer.byteLength(value) > Number(size);
  }
  if (s.regexMatchStatement) {
    const { fieldToMatch, regexString, textTransformations } = s.regexMatchStatement;
    onlyNone(textTransformations);
    const value = fieldValue(fieldToMatch, headers);
    return value !== undefined && new RegExp(regexString).test(value);
  }
  throw new Error(`matchesStatement: statement ${Object.keys(s).join(',')} is not evaluated locally`);
}
