import type { Command } from '../command';

export const monitoringCommands: Record<string, Command> = {};
