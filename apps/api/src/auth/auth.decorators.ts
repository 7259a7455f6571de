import { SetMetadata } from '@nestjs/common';
import type { Role } from '@stockwall/contracts';

export const REQUIRED_ROLE = 'stockwall:required-role';
export const PUBLIC_ROUTE = 'stockwall:public-route';

/** The least role that may call the route (roles include the ones below them). */
export const RequireRole = (role: Role) => SetMetadata(REQUIRED_ROLE, role);
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
