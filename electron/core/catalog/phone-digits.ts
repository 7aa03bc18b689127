/**
 * Phone numbers are searched by their digits, formatting ignored. The catalog keeps each
 * interaction's digits reversed (`phone_rev`), so that "ends with these digits" — the way people
 * type a number they half remember, or the national form of an international one — is a range
 * scan of an index: `(510) 345-5686` and `3455686` both find `+15103455686`.
 */
export function phoneDigits(text: string): string {
  return text.replace(/\D/g, '');
}

export function reversedPhoneDigits(phone: string | null): string | null {
  if (phone === null) return null;
  const digits = phoneDigits(phone);
  if (digits === '') return null;
  let reversed = '';
  for (let index = digits.length - 1; index >= 0; index -= 1) reversed += digits[index];
  return reversed;
}

/** The SQL function migrations and triggers use to fill `phone_rev`. */
export const PHONE_REV_FUNCTION = 'tapedeck_phone_rev';
