/** The local Step Functions endpoint; its modules are in ./stepfunctions (this path is kept for importers). */
export * from './stepfunctions';
