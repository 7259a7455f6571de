export const ROLES = ['viewer', 'warehouse', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Each role includes the rights of the roles before it. */
export function roleSatisfies(held: Role, required: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(required);
}

export interface AccessTokenClaims {
  sub: string;
  role: Role;
}
