import { Module } from '@nestjs/common';
import { UsersRepository } from '@stockwall/persistence';
import { INFRASTRUCTURE, Infrastructure } from '@stockwall/platform';
import { SessionStoreModule } from '../auth/session-store.module';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

/** Console accounts (admins manage them); exports their repository to the sign-in. */
@Module({
  imports: [SessionStoreModule],
  controllers: [UsersController],
  providers: [
    {
      provide: UsersRepository,
      inject: [INFRASTRUCTURE],
      useFactory: ({ dataSource }: Infrastructure) => new UsersRepository(dataSource),
    },
    UsersService,
  ],
  exports: [UsersRepository],
})
export class UsersModule {}
