import { DynamicModule, Module } from '@nestjs/common';
import { INFRASTRUCTURE, Infrastructure } from '@stockwall/platform';
import { DeadLettersController } from './dead-letters.controller';
import { DeadLettersService } from './dead-letters.service';

/** GET /api/v1/dead-letters (admin). */
@Module({})
export class DeadLettersModule {
  static register(infrastructure: Infrastructure): DynamicModule {
    return {
      module: DeadLettersModule,
      controllers: [DeadLettersController],
      providers: [{ provide: INFRASTRUCTURE, useValue: infrastructure }, DeadLettersService],
    };
  }
}
