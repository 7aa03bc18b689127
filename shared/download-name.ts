/**
 * The file name a recording is saved under: `{customer}_{phone}_{YYYY-MM-DD_HHMMSS}.mp4` (UTC time of
 * the recording), or `{phone}_{…}.mp4` when the customer is not known. Safe on Windows, macOS and Linux.
 */
export function downloadFileName(recording: {
  readonly customerName: string | null;
  readonly phone: string;
  readonly timestamp: number;
}): string {
  const iso = new Date(recording.timestamp * 1000).toISOString(); // 2025-08-08T11:44:39.000Z
  const when = `${iso.slice(0, 10)}_${iso.slice(11, 19).replaceAll(':', '')}`;
  const customer = recording.customerName === null ? '' : safeFilePart(recording.customerName);
  return `${customer ? `${customer}_` : ''}${recording.phone}_${when}.mp4`;
}

/** Drops characters no file system takes (and control characters), folds white space, bounds the length. */
function safeFilePart(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[<>:"/\\|?*\u0000-\u001f\u007f]/g, '')
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/^\.+|\.+$/g, '')
      .slice(0, 80)
      .trim()
  );
}

/** A `Content-Disposition: attachment` value for this name (RFC 6266, with an ASCII fallback). */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\u0020-\u007e]/g, '_').replace(/["\\]/g, '_');
  if (ascii === fileName) return `attachment; filename="${fileName}"`;
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
