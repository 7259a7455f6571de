import { z } from 'zod';
import { PASSWORD_MAX_LENGTH } from '@stockwall/platform';

export const loginSchema = z
  .object({
    email: z.string().trim().min(1, 'must not be empty').max(254),
    // Not trimmed: spaces may be part of a password.
    password: z.string().min(1, 'must not be empty').max(PASSWORD_MAX_LENGTH),
  })
  .strict();
export type LoginDto = z.output<typeof loginSchema>;

export interface SessionUser {
  id: string;
  email: string;
  role: string;
}

export interface SessionAnswer {
  user: SessionUser;
  expiresAt: string;
}
