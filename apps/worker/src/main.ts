import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@stockwall/config';
import { closeOnSignals, configureProcessLogging, openInfrastructure, runProcess } from '@stockwall/platform';
import { WorkerModule, workerMysqlStartup } from './worker.module';

runProcess('stockwall-worker', async () => {
  const config = loadConfig();
  configureProcessLogging('stockwall-worker', config.logging);
  const infrastructure = await openInfrastructure(config, { mysql: workerMysqlStartup(config.worker.roles) });
  const app = await NestFactory.createApplicationContext(WorkerModule.register(infrastructure));
  closeOnSignals(app, infrastructure);
});
