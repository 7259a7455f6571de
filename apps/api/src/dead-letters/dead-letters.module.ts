import { DynamicModule, Module } from '@nestjs/common';
import { DeadLetterRepository, DeadLetterStreamRepository } from '@stockwall/persistence';
import type { Infrastructure } from '@stockwall/platform';
import { DeadLettersController } from './dead-letters.controller';
import { DeadLettersService } from './dead-letters.service';

/** GET /api/v1/dead-letters (admin). */
@Module({})
export class DeadLettersModule {
  static register(infrastructure: Infrastructure): DynamicModule {
    return {
      module: DeadLettersModule,
      controllers: [DeadLettersController],
      providers: [
        { provide: DeadLetterRepository, useFactory: () => new DeadLetterRepository(infrastructure.dataSource) },
        {
          provide: DeadLetterStreamRepository,
          useFactory: () => new DeadLetterStreamRepository(infrastructure.redis, infrastructure.config.redis.prefix),
        },
        DeadLettersService,
      ],
    };
  }
}
