import { Global, Module } from '@nestjs/common';
import { loadConfig, StockwallConfig } from './stockwall-config';

export const STOCKWALL_CONFIG = Symbol('STOCKWALL_CONFIG');

@Global()
@Module({})
export class ConfigModule {
  /** Uses the given config (tests) or reads the environment once (processes). */
  static forRoot(config?: StockwallConfig) {
    return {
      module: ConfigModule,
      providers: [{ provide: STOCKWALL_CONFIG, useFactory: () => config ?? loadConfig() }],
      exports: [STOCKWALL_CONFIG],
    };
  }
}
