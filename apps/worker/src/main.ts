import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@stockwall/config';
import { closeOnSignals, openInfrastructure, runProcess } from '@stockwall/platform';
import { WorkerModule } from './worker.module';

runProcess('stockwall-worker', async () => {
  const infrastructure = await openInfrastructure(loadConfig());
  const app = await NestFactory.createApplicationContext(WorkerModule.register(infrastructure));
  closeOnSignals(app, infrastructure);
});
