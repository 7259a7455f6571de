import { getContext, setContext } from 'svelte';
import type { ConsoleLive } from './console-live.svelte';
import type { ConsoleSession } from './console-session.svelte';
import type { Router } from './router.svelte';

export interface ConsoleContext {
  router: Router;
  session: ConsoleSession;
  live: ConsoleLive;
}

const KEY = Symbol('stockwall.console');

export function setConsoleContext(context: ConsoleContext): void {
  setContext(KEY, context);
}

export function consoleContext(): ConsoleContext {
  const context = getContext<ConsoleContext | undefined>(KEY);
  if (!context) throw new Error('console pages render inside ConsoleApp');
  return context;
}
