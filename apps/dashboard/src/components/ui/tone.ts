/** The wall's signal colours: green flowing, amber attention, red trouble. */
export type Tone = 'ok' | 'warn' | 'bad' | 'info' | 'muted';
