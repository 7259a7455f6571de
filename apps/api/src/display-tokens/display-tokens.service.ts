import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import * as jwt from 'jsonwebtoken';
import { requireJwtSecret, STOCKWALL_CONFIG, StockwallConfig } from '@stockwall/config';
import { DisplayTokenRecord, DisplayTokenRepository } from '../auth/display-token.repository';
import { DisplayTokenRevocations } from '../auth/display-token-revocations';
import type { CreateDisplayTokenDto } from './display-tokens.dto';
import { NotFoundError, ValidationError } from '../common/domain-errors';

const DAY_MS = 86_400_000;

@Injectable()
export class DisplayTokensService {
  constructor(
    @Inject(STOCKWALL_CONFIG) private readonly config: StockwallConfig,
    private readonly repository: DisplayTokenRepository,
    private readonly revocations: DisplayTokenRevocations,
  ) {}

  /** Signs a viewer-only token for a wall screen and records its id so it can be revoked. */
  async create(request: CreateDisplayTokenDto, createdBy: string): Promise<DisplayTokenRecord & { token: string }> {
    const maxDays = this.config.auth.displayTokenMaxTtlDays;
    if (request.ttlDays > maxDays) {
      throw ValidationError.field('ttlDays', `must be at most ${maxDays} (DISPLAY_TOKEN_MAX_TTL_DAYS)`);
    }
    const id = randomUUID();
    const now = Date.now();
    const record: DisplayTokenRecord = {
      id,
      name: request.name,
      createdBy,
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + request.ttlDays * DAY_MS).toISOString(),
    };
    const token = jwt.sign({ role: 'viewer', kind: 'display' }, requireJwtSecret(this.config), {
      algorithm: 'HS256',
      subject: `display:${request.name}`,
      jwtid: id,
      issuer: 'stockwall',
      expiresIn: request.ttlDays * 86_400,
    });
    await this.repository.save(record);
    return { ...record, token };
  }

  list(): Promise<DisplayTokenRecord[]> {
    return this.repository.list();
  }

  /** Revokes at once: REST refuses it from now on, and its open sockets here are closed (other nodes sweep). */
  async revoke(id: string): Promise<void> {
    if (!(await this.repository.revoke(id))) throw new NotFoundError(`No display token ${id}`);
    this.revocations.revoked(id);
  }
}
