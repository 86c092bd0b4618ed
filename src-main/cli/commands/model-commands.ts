import type { Command } from '../command';

export const modelCommands: Record<string, Command> = {};
