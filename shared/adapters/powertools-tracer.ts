/**
 * The Powertools Tracer, imported as ES modules. tracer.ts require()s this file only when tracing is
 * on: esbuild then initialises it (and the X-Ray SDK under it) only then, and resolves the packages'
 * ES builds, which share @aws-lambda-powertools/commons with the logger and metrics instead of
 * bundling its CommonJS build a second time.
 */
export { Tracer } from '@aws-lambda-powertools/tracer';
export { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
