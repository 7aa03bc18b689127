import type { ErrorCode } from '../../shared/contract.ts';

/**
 * What can go wrong in the service, as a value both the HTTP API and IPC turn into a reply:
 * the code picks the HTTP status, the message is shown to a person as it is. The codes are the
 * contract's, less those only the door itself gives (an unknown method, a foreign sender).
 */
export type ServiceErrorCode = Exclude<ErrorCode, 'unknown_method' | 'forbidden'>;

export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  readonly code: ServiceErrorCode;

  constructor(code: ServiceErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
