import type { z } from 'zod';
import {
  contract,
  isMethodName,
  type ContractHandlers,
  type ErrorCode,
  type MethodName,
  type Reply,
} from '../../../shared/contract.ts';
import type { Logger } from '../logger.ts';
import { ServiceError } from '../service-error.ts';

/**
 * The one door every contract call comes through (IPC in the desktop app, HTTP in web mode): the
 * method must be in the contract and the input must match its schema; the reply is a value, never
 * a thrown error, and its message is written for a person. Unexpected errors are logged, not shown.
 */
export async function callContractMethod(
  handlers: ContractHandlers,
  method: unknown,
  rawInput: unknown,
  log: Logger,
): Promise<Reply<unknown>> {
  if (!isMethodName(method)) {
    return failure('unknown_method', `"${String(method).slice(0, 100)}" is not a Tapedeck method.`);
  }
  const parsed = contract.methods[method].input.safeParse(rawInput ?? {});
  if (!parsed.success) return failure('invalid_input', describeIssues(method, parsed.error));
  try {
    const handler = handlers[method] as (input: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    if (error instanceof ServiceError) return failure(error.code, error.message);
    log.error(`${method} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return failure('internal', 'Something went wrong inside Tapedeck; the log has the details.');
  }
}

function failure(code: ErrorCode, message: string): Reply<never> {
  return { ok: false, error: { code, message } };
}

/** `recordings:list: limit must be at most 1000; search must be text` — names each bad field. */
function describeIssues(method: MethodName, error: z.ZodError): string {
  const issues = error.issues.slice(0, 5).map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : 'input';
    return `${where}: ${issue.message}`;
  });
  return `${method}: ${issues.join('; ')}${error.issues.length > 5 ? ` (and ${error.issues.length - 5} more)` : ''}.`;
}
