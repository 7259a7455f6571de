import { DynamicModule, Global, Module } from '@nestjs/common';
import { INFRASTRUCTURE, Infrastructure } from './infrastructure';

/**
 * The process's open connections, for the modules' provider factories to build repositories from
 * (`inject: [INFRASTRUCTURE]`): services and controllers get the repositories, never a connection.
 */
@Global()
@Module({})
export class InfrastructureModule {
  static forRoot(infrastructure: Infrastructure): DynamicModule {
    return {
      module: InfrastructureModule,
      providers: [{ provide: INFRASTRUCTURE, useValue: infrastructure }],
      exports: [INFRASTRUCTURE],
    };
  }
}
