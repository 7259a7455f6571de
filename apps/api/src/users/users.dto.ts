import { z } from 'zod';
import { ROLES } from '@stockwall/contracts';
import { emailProblem, normalizeEmail } from '@stockwall/persistence';
import { PASSWORD_MAX_LENGTH, passwordProblem } from '@stockwall/platform';

const email = z
  .string()
  .max(320)
  .transform(normalizeEmail)
  .superRefine((value, context) => {
    const problem = emailProblem(value);
    if (problem) context.addIssue({ code: z.ZodIssueCode.custom, message: problem });
  });
const role = z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` });

export const createUserSchema = z
  .object({
    email,
    role,
    password: z
      .string()
      .max(PASSWORD_MAX_LENGTH + 1)
      .superRefine((value, context) => {
        const problem = passwordProblem(value);
        if (problem) context.addIssue({ code: z.ZodIssueCode.custom, message: problem });
      }),
  })
  .strict();
export type CreateUserDto = z.output<typeof createUserSchema>;

export const updateUserSchema = z
  .object({ role: role.optional(), disabled: z.boolean().optional() })
  .strict()
  .refine((value) => value.role !== undefined || value.disabled !== undefined, {
    message: 'give role or disabled',
    path: ['role'],
  });
export type UpdateUserDto = z.output<typeof updateUserSchema>;

export const userIdParamSchema = z.string().regex(/^\d{1,19}$/, 'must be a user id');
