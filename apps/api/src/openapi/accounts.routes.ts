import { z } from 'zod';
import { ROLES } from '@stockwall/contracts';
import { loginSchema } from '../auth/session.dto';
import { revokeTokenSchema } from '../auth/token-revocation.dto';
import { createUserSchema, updateUserSchema, userIdParamSchema } from '../users/users.dto';
import { route } from './api-route';
import { instantSchema } from './common.schemas';

const sessionAnswerSchema = z
  .object({
    user: z.object({ id: z.string(), email: z.string(), role: z.enum(ROLES) }),
    expiresAt: instantSchema,
  })
  .openapi('Session');

const userAccountSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    role: z.enum(ROLES),
    disabled: z.boolean(),
    createdAt: instantSchema,
    lastLoginAt: instantSchema.nullable(),
  })
  .openapi('UserAccount');

const oneUserSchema = z.object({ user: userAccountSchema }).openapi('OneUser');

/** Sign-in, sessions, token revocation and console accounts. */
export const accountRoutes = [
  route({
    method: 'post',
    path: '/api/v1/auth/login',
    summary: 'Sign in with e-mail and password: sets the session cookie',
    tags: ['auth'],
    access: 'public',
    body: { schema: loginSchema },
    success: {
      status: 200,
      description: 'Signed in; the session id is in an httpOnly cookie',
      schema: sessionAnswerSchema,
    },
    errors: {
      401: 'Wrong e-mail or password, or the account is disabled (`unauthorized`)',
      503: 'MySQL is not answering (`dependency_unavailable`); see Retry-After',
    },
  }),
  route({
    method: 'post',
    path: '/api/v1/auth/logout',
    summary: 'Sign out: ends the session and clears its cookie',
    tags: ['auth'],
    access: 'public',
    success: { status: 204, description: 'Signed out (also when no session was open)' },
  }),
  route({
    method: 'get',
    path: '/api/v1/auth/session',
    summary: 'The signed-in user and when the session ends',
    tags: ['auth'],
    access: 'viewer',
    success: { status: 200, description: 'The session', schema: sessionAnswerSchema },
  }),
  route({
    method: 'post',
    path: '/api/v1/auth/revocations',
    summary: 'Revoke an access token by the token or its id (jti): refused everywhere from now on',
    tags: ['auth'],
    access: 'admin',
    body: { schema: revokeTokenSchema },
    success: {
      status: 200,
      description: 'Revoked until the token would have expired',
      schema: z.object({ id: z.string(), until: instantSchema }).openapi('Revocation'),
    },
  }),
  route({
    method: 'get',
    path: '/api/v1/users',
    summary: 'Console accounts',
    tags: ['users'],
    access: 'admin',
    success: {
      status: 200,
      description: 'Every account',
      schema: z.object({ users: z.array(userAccountSchema) }).openapi('UserList'),
    },
    errors: { 503: 'MySQL is not answering (`dependency_unavailable`); see Retry-After' },
  }),
  route({
    method: 'post',
    path: '/api/v1/users',
    summary: 'Add an account (e-mail, role, password of at least 12 characters)',
    tags: ['users'],
    access: 'admin',
    body: { schema: createUserSchema },
    success: { status: 201, description: 'The new account', schema: oneUserSchema },
    errors: {
      409: 'An account with this e-mail exists (`conflict`)',
      503: 'MySQL is not answering (`dependency_unavailable`); see Retry-After',
    },
  }),
  route({
    method: 'patch',
    path: '/api/v1/users/:id',
    summary: 'Change a role or disable an account: its sessions and sockets end at once',
    tags: ['users'],
    access: 'admin',
    params: z.object({ id: userIdParamSchema }),
    body: { schema: updateUserSchema },
    success: { status: 200, description: 'The account as it is now', schema: oneUserSchema },
    errors: {
      404: 'No such account (`not_found`)',
      503: 'MySQL is not answering (`dependency_unavailable`); see Retry-After',
    },
  }),
];
