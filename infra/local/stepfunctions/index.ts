/** The local Step Functions endpoint: what the rest of the code uses of it. */
export { LocalStepFunctions } from './server';
export { SfnApiError } from './errors';
export type {
  ExecutionStatus,
  ExecutionStatusChangeEvent,
  HistoryEvent,
  LocalStateMachineConfig,
  LocalStepFunctionsOptions,
} from './types';
