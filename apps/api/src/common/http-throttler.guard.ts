import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';

/** Rate limits REST per client address (counted in Redis, across processes); /live has its own connection limit and coalescing. */
@Injectable()
export class HttpThrottlerGuard extends ThrottlerGuard {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    // Load balancers and Prometheus poll these; throttling them would take a healthy node out.
    const path = context.switchToHttp().getRequest<{ path?: string }>().path ?? '';
    if (path.startsWith('/health/') || path === '/metrics') return true;
    return super.canActivate(context);
  }
}
