import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfig } from '@stockwall/config';
import { closeOnSignals, openInfrastructure, runProcess } from '@stockwall/platform';
import { createApiApplication } from './api-application';

runProcess('stockwall-api', async () => {
  const infrastructure = await openInfrastructure(loadConfig());
  const app = await createApiApplication(infrastructure);
  await app.listen(infrastructure.config.port);
  closeOnSignals(app, infrastructure);
  new Logger('Api').log(`Listening on http://localhost:${infrastructure.config.port}`);
});
