import type { Command } from '../command';

export const registryCommands: Record<string, Command> = {};
