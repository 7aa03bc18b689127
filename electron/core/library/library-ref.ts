import { DETAIL_S3_CONFIG_MISSING } from '../../../shared/recording.ts';
import { ServiceError } from '../service-error.ts';
import type { Library, LibraryStorage } from './open-library.ts';

/** What the domain services use of a library. */
export type LibraryParts = Pick<Library, 'catalog' | 'store' | 'calls' | 'storage' | 'where'>;

/**
 * How a domain service reaches the library open now. The desktop app and web mode swap libraries
 * (settings, the demo), so services hold this getter, never a library.
 */
export type LibraryRef = () => LibraryParts;

/** The open library's S3 side, or the spec's 500 when no bucket is configured. */
export function requireStorage(library: LibraryParts): LibraryStorage {
  if (!library.storage) throw new ServiceError('s3_config_missing', DETAIL_S3_CONFIG_MISSING);
  return library.storage;
}
