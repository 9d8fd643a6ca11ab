// An error or warning a Spotify node logs is text that says what happened and what to do. The Debug sidebar
// folds any string longer than 80 characters behind a caret, cutting the advice: ours show whole, wrapped.
// (debugPostProcessMessage is the editor's hook for this; older editors without it keep the folded view.)

/** Node-RED's log levels of warn (30) and error (20). */
const WARN = 30;
const ERROR = 20;

export function showSpotifyLogTextWhole(): void {
  RED.hooks?.add('debugPostProcessMessage.tunewire', (ev) => {
    const m = ev?.message;
    if (!m || (m.level !== ERROR && m.level !== WARN) || typeof m.type !== 'string' || !m.type.startsWith('spotify-')) return;
    if (typeof ev.payload !== 'string' || !ev.element) return;
    $(ev.element)
      .find('.red-ui-debug-msg-payload')
      .first()
      .empty()
      .append(
        $('<span class="red-ui-debug-msg-type-string tunewire-debug-text"></span>')
          .css({ 'white-space': 'pre-wrap', 'word-break': 'break-word' })
          .text(ev.payload), // as text, never HTML
      );
  });
}
