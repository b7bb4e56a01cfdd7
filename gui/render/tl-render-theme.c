/* tl-render-theme.c: the two palettes.
 *
 * State colours are eleven distinct hues (a qualitative palette) so that
 * neighbouring states in a handshake never look alike: SYN-SENT orange
 * next to SYN-RECEIVED yellow next to ESTABLISHED green.  The text colour
 * inside each bar is chosen for contrast.  Arrow colours tell the two
 * directions apart; resets are red.
 */
#include "tl-render-private.h"

#define RGB(hex) { ((hex) >> 16 & 0xff) / 255.0, ((hex) >> 8 & 0xff) / 255.0, ((hex) & 0xff) / 255.0 }

static const TlRenderPalette light_palette = {
  .background = RGB (0xffffff),
  .foreground = RGB (0x1f2328),
  .muted = RGB (0x656d76),
  .grid = RGB (0xeaeef2),
  .lifeline = RGB (0x57606a),
  .arrow = { RGB (0x0a5cd6), RGB (0xb35900), RGB (0xd1242f) },
  .drop = RGB (0xd1242f),
  .hold = RGB (0xd4a72c),
  .pause = RGB (0xfff3c4),
  .pause_edge = RGB (0xbf8700),
  .label_bg = RGB (0xffffff),
  .error = RGB (0xcf222e),
  .ok = RGB (0x1a7f37),
  .timer = RGB (0x8250df),
  .state = {
    [TL_STATE_NONE] = RGB (0xffffff),
    [TL_STATE_CLOSED] = RGB (0xd0d7de),
    [TL_STATE_LISTEN] = RGB (0x8ecbf5),
    [TL_STATE_SYN_SENT] = RGB (0xffb169),
    [TL_STATE_SYN_RECEIVED] = RGB (0xffe066),
    [TL_STATE_ESTABLISHED] = RGB (0x7ddc8c),
    [TL_STATE_FIN_WAIT_1] = RGB (0xc2aefc),
    [TL_STATE_FIN_WAIT_2] = RGB (0xeeb0f5),
    [TL_STATE_CLOSE_WAIT] = RGB (0x66d9e8),
    [TL_STATE_CLOSING] = RGB (0xff9b9b),
    [TL_STATE_LAST_ACK] = RGB (0xd8b48c),
    [TL_STATE_TIME_WAIT] = RGB (0x91a7ff),
  },
  .state_text = {
    [TL_STATE_NONE] = RGB (0x1f2328),
    [TL_STATE_CLOSED] = RGB (0x1f2328),
    [TL_STATE_LISTEN] = RGB (0x0b2e4f),
    [TL_STATE_SYN_SENT] = RGB (0x4a2200),
    [TL_STATE_SYN_RECEIVED] = RGB (0x3d3000),
    [TL_STATE_ESTABLISHED] = RGB (0x0b3b15),
    [TL_STATE_FIN_WAIT_1] = RGB (0x2d1a66),
    [TL_STATE_FIN_WAIT_2] = RGB (0x4f1457),
    [TL_STATE_CLOSE_WAIT] = RGB (0x08393f),
    [TL_STATE_CLOSING] = RGB (0x5c0f0f),
    [TL_STATE_LAST_ACK] = RGB (0x3d2610),
    [TL_STATE_TIME_WAIT] = RGB (0x14215c),
  },
  .mismatch = RGB (0xe5534b),
  .break_band = RGB (0xf3f5f7),
  .highlight = RGB (0xffd33d),
};

static const TlRenderPalette dark_palette = {
  .background = RGB (0x0d1117),
  .foreground = RGB (0xe6edf3),
  .muted = RGB (0x8d96a0),
  .grid = RGB (0x1c232c),
  .lifeline = RGB (0x8d96a0),
  .arrow = { RGB (0x58a6ff), RGB (0xf0883e), RGB (0xff6a69) },
  .drop = RGB (0xff6a69),
  .hold = RGB (0xe3b341),
  .pause = RGB (0x3a2e0b),
  .pause_edge = RGB (0xbb8009),
  .label_bg = RGB (0x0d1117),
  .error = RGB (0xff7b72),
  .ok = RGB (0x3fb950),
  .timer = RGB (0xbc8cff),
  .state = {
    [TL_STATE_NONE] = RGB (0x0d1117),
    [TL_STATE_CLOSED] = RGB (0x484f58),
    [TL_STATE_LISTEN] = RGB (0x1f5f99),
    [TL_STATE_SYN_SENT] = RGB (0xa8500f),
    [TL_STATE_SYN_RECEIVED] = RGB (0x8c6d00),
    [TL_STATE_ESTABLISHED] = RGB (0x1f7a36),
    [TL_STATE_FIN_WAIT_1] = RGB (0x5b3fb0),
    [TL_STATE_FIN_WAIT_2] = RGB (0x8a3596),
    [TL_STATE_CLOSE_WAIT] = RGB (0x0f7282),
    [TL_STATE_CLOSING] = RGB (0xa83232),
    [TL_STATE_LAST_ACK] = RGB (0x7a5530),
    [TL_STATE_TIME_WAIT] = RGB (0x3450b8),
  },
  .state_text = {
    [TL_STATE_NONE] = RGB (0xe6edf3),
    [TL_STATE_CLOSED] = RGB (0xf0f3f6),
    [TL_STATE_LISTEN] = RGB (0xf0f6fc),
    [TL_STATE_SYN_SENT] = RGB (0xfff5eb),
    [TL_STATE_SYN_RECEIVED] = RGB (0xfffbe6),
    [TL_STATE_ESTABLISHED] = RGB (0xeefff1),
    [TL_STATE_FIN_WAIT_1] = RGB (0xf4f0ff),
    [TL_STATE_FIN_WAIT_2] = RGB (0xfdf0ff),
    [TL_STATE_CLOSE_WAIT] = RGB (0xeafcff),
    [TL_STATE_CLOSING] = RGB (0xfff0f0),
    [TL_STATE_LAST_ACK] = RGB (0xfff6ee),
    [TL_STATE_TIME_WAIT] = RGB (0xf0f3ff),
  },
  .mismatch = RGB (0xff6a69),
  .break_band = RGB (0x161b22),
  .highlight = RGB (0xe3b341),
};

const TlRenderPalette *
tl_render_palette (TlRenderTheme theme)
{
  return theme == TL_RENDER_THEME_DARK ? &dark_palette : &light_palette;
}
