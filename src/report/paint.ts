/**
 * Colour for the reports for people: plain SGR escapes, enough for a report and no dependency
 * (node:util's styleText on Node 20 knows neither streams nor NO_COLOR). The caller decides whether
 * to colour; without colour the text has no escapes at all.
 */
import { SEVERITIES, type Severity } from '../findings/severity.js';

const SGR = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], magenta: [35, 39], cyan: [36, 39] } as const;
export type Style = keyof typeof SGR;
export type Paint = (style: Style, text: string) => string;

export function painter(color: boolean): Paint {
  return color ? (style, text) => `\u001b[${SGR[style][0]}m${text}\u001b[${SGR[style][1]}m` : (_style, text) => text;
}

/** The colour of each severity, wherever it is printed. */
export const SEVERITY_STYLE: Readonly<Record<Severity, Style>> = { throw: 'red', loss: 'magenta', reshape: 'yellow', note: 'cyan' };

/** The width of the widest severity word, so that the messages after it line up. */
export const SEVERITY_WIDTH = Math.max(...SEVERITIES.map((s) => s.length));
