/**
 * The evaluation forms Tapedeck ships. They are imported as JSON modules (bundled into main, so
 * packaging needs no extra files) and parsed with the same schema as an imported form file.
 *
 * A shipped version may already be in use in someone's catalog: changing a form here means a new
 * file version_id (e.g. general-2), never an edit of a published one; ReviewStore refuses the edit.
 */
import general from './forms/general.json' with { type: 'json' };
import outboundCollections from './forms/outbound-collections.json' with { type: 'json' };
import { parseFormVersion, type FormVersion } from '../../../shared/reviews/form-schema.ts';

const SHIPPED: readonly { readonly file: string; readonly json: unknown }[] = [
  { file: 'outbound-collections.json', json: outboundCollections },
  { file: 'general.json', json: general },
];

/** The shipped forms, parsed; throws naming the file and field if one is broken (a test checks they are not). */
export function shippedForms(): FormVersion[] {
  return SHIPPED.map(({ file, json }) => {
    const result = parseFormVersion(json);
    if (!result.ok) throw new Error(`The shipped form ${file} is invalid: ${result.error}`);
    return result.form;
  });
}
