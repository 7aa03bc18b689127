/**
 * What can go wrong in the service, as a value both the HTTP API and IPC turn into a reply:
 * the code picks the HTTP status, the message is shown to a person as it is.
 */
export type ServiceErrorCode =
  | 'not_found'
  | 'invalid_input'
  | 's3_config_missing'
  | 'config_invalid'
  | 'credentials_unavailable'
  | 's3_refused'
  | 's3_unavailable'
  | 'conflict'
  | 'io_error'
  | 'internal';

export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  readonly code: ServiceErrorCode;

  constructor(code: ServiceErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
