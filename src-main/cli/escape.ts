/**
 * Text from users and files (tags, descriptions, model names from imported
 * archives, CSV headers) reaches the terminal through the CLI's human output; a
 * raw ESC or C1 control there could recolour the screen, rewrite lines or, via
 * OSC 52, write the clipboard. Every control character except newline and tab is
 * shown as a visible escape instead.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are what gets escaped.
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (c) => {
    const code = c.charCodeAt(0);
    if (c === '\r') return '\\r';
    return code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** JSON.stringify leaves C1 controls raw; they are valid JSON escaped too. */
export function escapeC1InJson(json: string): string {
  return json.replace(/[\u0080-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
