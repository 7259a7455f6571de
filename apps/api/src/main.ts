import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfig } from '@stockwall/config';
import { closeOnSignals, configureProcessLogging, openInfrastructure, runProcess } from '@stockwall/platform';
import { createApiApplication } from './api-application';

runProcess('stockwall-api', async () => {
  // History, reports and stored alerts answer 503 until MySQL answers; the live path does not wait for it.
  const config = loadConfig();
  configureProcessLogging('stockwall-api', config.logging);
  const infrastructure = await openInfrastructure(config, { mysql: 'background' });
  const app = await createApiApplication(infrastructure);
  await app.listen(infrastructure.config.port);
  closeOnSignals(app, infrastructure);
  new Logger('Api').log(`Listening on http://localhost:${infrastructure.config.port}`);
});
