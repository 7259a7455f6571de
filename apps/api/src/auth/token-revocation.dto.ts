import { z } from 'zod';

/** Revoke by the token itself (its id and expiry are read from it) or by its id (`jti`). */
export const revokeTokenSchema = z.union([
  z.object({ token: z.string().min(1).max(8_192) }).strict(),
  z
    .object({
      id: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be a token id (jti)'),
    })
    .strict(),
]);
export type RevokeTokenDto = z.output<typeof revokeTokenSchema>;
