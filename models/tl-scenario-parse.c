/* tl-scenario-parse.c: reading the scenario file format.
 *
 * Two passes.  The lexer turns the text into logical lines of tokens (a
 * """triple-quoted""" string may span physical lines but belongs to the line
 * it starts on), each token knowing its line and column.  The parser walks
 * the lines, checks each statement on the spot and records what it cannot
 * settle yet: host names used before their block, links and calls naming
 * hosts, and host settings, because the profile line that decides their
 * defaults may come last.  Everything is resolved once the end is reached,
 * then tl_scenario_validate checks what spans fields.
 *
 * The first error stops the parse; its message starts "file:line:column: ".
 */
#include "tl-scenario-private.h"

#include <string.h>

typedef enum
{
  TOK_WORD,
  TOK_STRING,
  TOK_OPEN,
  TOK_CLOSE,
} TokKind;

typedef struct
{
  guint line;
  guint col;
} Pos;

typedef struct
{
  TokKind  kind;
  Pos      pos;
  guint    end_col;   /* column just after the token (on its last line) */
  char    *text;      /* NUL-terminated; a string may hold NULs too */
  gsize    length;
} Tok;

typedef struct
{
  Tok   *toks;
  guint  n;
} Stmt;

/* ---- host keys: address, port, isn, then the settings ---- */

enum
{
  HOST_KEY_ADDRESS,
  HOST_KEY_PORT,
  HOST_KEY_ISN,
  HOST_KEY_FIRST_SETTING,
  N_HOST_KEYS = HOST_KEY_FIRST_SETTING + TL_N_HOST_SETTINGS
};

enum { LINK_DELAY, LINK_JITTER, LINK_LOSS, LINK_RATE, N_LINK_KEYS };
static const char * const link_keys[N_LINK_KEYS] = { "delay", "jitter", "loss", "rate" };

enum { ROUTER_QUEUE, ROUTER_RELEASE_GAP, N_ROUTER_KEYS };
static const char * const router_keys[] = { "queue", "release-gap", "pause" };

static const char * const top_keys[] = {
  "name", "description", "profile", "seed", "duration", "max-events",
  "defaults", "host", "link", "router", "at",
};

typedef struct
{
  char           *name;
  Pos             pos;              /* of the name in its block header */
  gboolean        has_block;
  Pos             key_pos[N_HOST_KEYS];
  TlHostSettings  settings;         /* only the explicit keys matter */
  guint32         addr;
  guint16         port;
  guint32         isn;
} PendingHost;

typedef struct
{
  char     *from;
  char     *to;
  Pos       from_pos;
  Pos       to_pos;
  gboolean  both;
} LinkHeader;

typedef struct
{
  guint   header;     /* index into link_headers */
  gint    key;        /* LINK_*, or -1 for an empty block */
  Pos     pos;
  gint64  value;
} LinkStmt;

typedef struct
{
  char           *host;
  Pos             host_pos;
  Pos             time_pos;
  char           *peer;
  Pos             peer_pos;
  TlScenarioCall  call;
} PendingCall;

typedef struct
{
  TlPauseWindow window;
  Pos           pos;
} PendingPause;

typedef enum
{
  BLOCK_DEFAULTS,
  BLOCK_HOST,
  BLOCK_LINK,
  BLOCK_ROUTER,
} BlockKind;

typedef struct
{
  BlockKind   kind;
  const char *title;    /* "host A", for messages */
  Pos         open;
  guint       index;    /* host index or link header index */
} Block;

typedef struct
{
  const char   *file;
  GError      **error;
  TlScenario   *scenario;

  /* The lexer. */
  const char   *p;
  const char   *end;
  guint         line;
  guint         col;
  GPtrArray    *lines;       /* GArray of Tok, one per logical line */
  GArray       *current;

  /* What the parser has seen. */
  Pos           top_pos[G_N_ELEMENTS (top_keys)];
  PendingHost   hosts[TL_MAX_HOSTS];
  guint         n_hosts;
  TlHostSettings defaults;
  Pos           defaults_pos[N_HOST_KEYS];
  GArray       *link_headers;   /* LinkHeader */
  GArray       *link_stmts;     /* LinkStmt */
  GArray       *calls;          /* PendingCall */
  GArray       *pauses;         /* PendingPause */
  Pos           router_pos[N_ROUTER_KEYS];
} Parser;

/* ---- errors ---- */

static gboolean G_GNUC_PRINTF (4, 5)
fail (Parser     *ps,
      Pos         pos,
      int         code,
      const char *format,
      ...)
{
  va_list args;
  g_autofree char *message = NULL;

  if (ps->error != NULL && *ps->error != NULL)
    return FALSE;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (ps->error, TL_SCENARIO_ERROR, code, "%s:%u:%u: %s",
               ps->file, pos.line, pos.col, message);
  return FALSE;
}

/* For a reader's message: the place of the value, then the message. */
static gboolean
fail_value (Parser *ps,
            Pos     pos,
            char   *message)
{
  fail (ps, pos, TL_SCENARIO_ERROR_INVALID, "%s", message);
  g_free (message);
  return FALSE;
}

/* "unknown WHAT 'WORD' WHERE (did you mean ...?)"; WHERE may be "". */
static gboolean
fail_unknown (Parser             *ps,
              Pos                 pos,
              const char         *what,
              const char         *word,
              const char         *where,
              const char * const *candidates,
              guint               n_candidates,
              const char         *hint)
{
  const char *suggestion = tl_scenario_suggest (word, candidates, n_candidates);
  g_autofree char *clipped = tl_scenario_clip (word);

  if (suggestion != NULL)
    return fail (ps, pos, TL_SCENARIO_ERROR_UNKNOWN_KEY,
                 "unknown %s '%s'%s (did you mean '%s'?)", what, clipped, where,
                 suggestion);
  return fail (ps, pos, TL_SCENARIO_ERROR_UNKNOWN_KEY, "unknown %s '%s'%s%s%s",
               what, clipped, where, hint != NULL ? " " : "", hint != NULL ? hint : "");
}

static gboolean
seen (Pos pos)
{
  return pos.line != 0;
}

static gboolean
check_duplicate (Parser     *ps,
                 Pos        *first,
                 Pos         pos,
                 const char *key,
                 const char *detail)
{
  if (seen (*first))
    return fail (ps, pos, TL_SCENARIO_ERROR_SYNTAX,
                 "duplicate '%s'%s (first set at line %u)", key, detail, first->line);
  *first = pos;
  return TRUE;
}

/* ---- lexer ---- */

static gboolean
at_end (Parser *ps)
{
  return ps->p >= ps->end;
}

static void
advance (Parser *ps)
{
  if (*ps->p == '\n')
    {
      ps->line++;
      ps->col = 1;
      ps->p++;
      return;
    }
  ps->p++;
  while (ps->p < ps->end && ((guchar) *ps->p & 0xc0) == 0x80)
    ps->p++;
  ps->col++;
}

static Pos
here (Parser *ps)
{
  return (Pos) { ps->line, ps->col };
}

static void
push_token (Parser     *ps,
            TokKind     kind,
            Pos         pos,
            const char *text,
            gsize       length)
{
  Tok tok = { kind, pos, ps->col, g_malloc (length + 1), length };

  if (length > 0)
    memcpy (tok.text, text, length);
  tok.text[length] = '\0';
  g_array_append_val (ps->current, tok);
}

static void
clear_token (gpointer data)
{
  Tok *tok = data;

  g_free (tok->text);
}

static GArray *
new_line (void)
{
  GArray *line = g_array_new (FALSE, FALSE, sizeof (Tok));

  g_array_set_clear_func (line, clear_token);
  return line;
}

static void
end_line (Parser *ps)
{
  if (ps->current->len == 0)
    return;
  g_ptr_array_add (ps->lines, ps->current);
  ps->current = new_line ();
}

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static gboolean
ends_word (char c)
{
  return is_space (c) || c == '\n' || c == '#' || c == '{' || c == '}' || c == '"';
}

static gboolean
check_control (Parser *ps)
{
  guchar c = (guchar) *ps->p;

  if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v')
      || c == 0x7f)
    return fail (ps, here (ps), TL_SCENARIO_ERROR_SYNTAX,
                 "unexpected control character 0x%02x", c);
  return TRUE;
}

/* """text""": raw, may span lines; a newline right after the opening
 * quotes is dropped so the text can start on its own line. */
static gboolean
lex_triple (Parser *ps)
{
  Pos start = here (ps);
  const char *body;

  for (int i = 0; i < 3; i++)
    advance (ps);
  if (!at_end (ps) && *ps->p == '\n')
    advance (ps);
  else if (ps->end - ps->p >= 2 && ps->p[0] == '\r' && ps->p[1] == '\n')
    {
      advance (ps);
      advance (ps);
    }
  body = ps->p;
  while (!at_end (ps))
    {
      if (ps->end - ps->p >= 3 && memcmp (ps->p, "\"\"\"", 3) == 0)
        {
          const char *body_end = ps->p;
          for (int i = 0; i < 3; i++)
            advance (ps);
          push_token (ps, TOK_STRING, start, body, (gsize) (body_end - body));
          return TRUE;
        }
      if (!check_control (ps))
        return FALSE;
      advance (ps);
    }
  return fail (ps, start, TL_SCENARIO_ERROR_SYNTAX,
               "unterminated string: no closing \"\"\" for the \"\"\" opened here");
}

static gboolean
lex_string (Parser *ps)
{
  Pos start = here (ps);
  const char *body;
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  gsize error_at = 0;
  char *message = NULL;

  advance (ps);
  body = ps->p;
  while (!at_end (ps) && *ps->p != '"' && *ps->p != '\n')
    {
      if (!check_control (ps))
        return FALSE;
      if (*ps->p == '\\' && ps->p + 1 < ps->end && ps->p[1] != '\n')
        advance (ps);
      advance (ps);
    }
  if (at_end (ps) || *ps->p == '\n')
    return fail (ps, start, TL_SCENARIO_ERROR_SYNTAX,
                 "unterminated string: no closing '\"' on this line "
                 "(use \"\"\" for text over several lines)");
  if (!tl_scenario_unescape (body, (gsize) (ps->p - body), bytes, &error_at, &message))
    {
      /* The column of the backslash: count characters up to it. */
      Pos pos = { start.line, start.col + 1 + (guint) g_utf8_strlen (body, (gssize) error_at) };
      return fail_value (ps, pos, message);
    }
  advance (ps);
  if (!at_end (ps) && !ends_word (*ps->p))
    return fail (ps, here (ps), TL_SCENARIO_ERROR_SYNTAX,
                 "expected a space after the closing '\"'");
  push_token (ps, TOK_STRING, start, (const char *) bytes->data, bytes->len);
  return TRUE;
}

static gboolean
lex_word (Parser *ps)
{
  Pos start = here (ps);
  const char *begin = ps->p;

  while (!at_end (ps) && !ends_word (*ps->p))
    {
      if (!check_control (ps))
        return FALSE;
      advance (ps);
    }
  if (!at_end (ps) && *ps->p == '"')
    return fail (ps, here (ps), TL_SCENARIO_ERROR_SYNTAX,
                 "unexpected '\"' inside a word (put a space before the string)");
  push_token (ps, TOK_WORD, start, begin, (gsize) (ps->p - begin));
  return TRUE;
}

static gboolean
lex (Parser *ps)
{
  while (!at_end (ps))
    {
      char c = *ps->p;

      if (c == '\n')
        {
          end_line (ps);
          advance (ps);
        }
      else if (is_space (c))
        advance (ps);
      else if (c == '#')
        {
          while (!at_end (ps) && *ps->p != '\n')
            advance (ps);
        }
      else if (c == '{' || c == '}')
        {
          Pos pos = here (ps);
          advance (ps);
          push_token (ps, c == '{' ? TOK_OPEN : TOK_CLOSE, pos, &c, 1);
        }
      else if (c == '"')
        {
          gboolean ok = ps->end - ps->p >= 3 && memcmp (ps->p, "\"\"\"", 3) == 0
                        ? lex_triple (ps) : lex_string (ps);
          if (!ok)
            return FALSE;
        }
      else if (!lex_word (ps))
        return FALSE;
    }
  end_line (ps);
  return TRUE;
}

/* ---- statement helpers ---- */

static Pos
after (const Tok *tok)
{
  return (Pos) { tok->pos.line, tok->end_col + 1 };
}

/* The single value of KEY, or an error naming what was expected. */
static const Tok *
single_value (Parser     *ps,
              const Stmt *st,
              const char *expected)
{
  const Tok *key = &st->toks[0];

  if (st->n < 2)
    {
      fail (ps, after (key), TL_SCENARIO_ERROR_SYNTAX,
            "expected %s after '%s'", expected, key->text);
      return NULL;
    }
  if (st->n > 2)
    {
      g_autofree char *clipped = tl_scenario_clip (st->toks[2].text);
      fail (ps, st->toks[2].pos, TL_SCENARIO_ERROR_SYNTAX,
            "unexpected '%s' after the value of '%s' (one key per line)",
            clipped, key->text);
      return NULL;
    }
  return &st->toks[1];
}

static gboolean
is_time_unit (const char *text)
{
  return strcmp (text, "ns") == 0 || strcmp (text, "us") == 0 || strcmp (text, "ms") == 0
         || strcmp (text, "s") == 0 || strcmp (text, "min") == 0;
}

/* "delay 5 ms" is a likely slip: say how to write it. */
static gboolean
check_split_unit (Parser     *ps,
                  const Stmt *st,
                  guint       value_index)
{
  if (st->n > value_index + 1 && is_time_unit (st->toks[value_index + 1].text)
      && g_ascii_isdigit (st->toks[value_index].text[0]))
    return fail (ps, st->toks[value_index + 1].pos, TL_SCENARIO_ERROR_SYNTAX,
                 "write the unit right after the number, as in '%s%s'",
                 st->toks[value_index].text, st->toks[value_index + 1].text);
  return TRUE;
}

static gboolean
read_time_value (Parser     *ps,
                 const Stmt *st,
                 TlTime     *out)
{
  const Tok *value;
  char *message = NULL;

  if (!check_split_unit (ps, st, 1))
    return FALSE;
  value = single_value (ps, st, "a duration such as 100ms");
  if (value == NULL)
    return FALSE;
  if (!tl_scenario_read_time (value->text, out, &message))
    return fail_value (ps, value->pos, message);
  return TRUE;
}

static gboolean
read_uint_value (Parser     *ps,
                 const Stmt *st,
                 guint64     min,
                 guint64     max,
                 guint64    *out)
{
  const Tok *value = single_value (ps, st, "a whole number");
  char *message = NULL;

  if (value == NULL)
    return FALSE;
  if (!tl_scenario_read_uint (value->text, st->toks[0].text, min, max, out, &message))
    return fail_value (ps, value->pos, message);
  return TRUE;
}

/* ---- hosts ---- */

/* The index of host NAME, registering it when new (at most two). */
static gint
host_index (Parser    *ps,
            const Tok *name,
            gboolean   define)
{
  char *message = NULL;

  for (guint i = 0; i < ps->n_hosts; i++)
    if (strcmp (ps->hosts[i].name, name->text) == 0)
      return (gint) i;
  if (!define)
    return -1;
  if (!tl_scenario_host_name_valid (name->text, &message))
    {
      fail_value (ps, name->pos, message);
      return -1;
    }
  if (ps->n_hosts == TL_MAX_HOSTS)
    {
      g_autofree char *clipped = tl_scenario_clip (name->text);
      fail (ps, name->pos, TL_SCENARIO_ERROR_INVALID,
            "a third host '%s': a scenario has exactly two hosts (%s and %s)",
            clipped, ps->hosts[0].name, ps->hosts[1].name);
      return -1;
    }
  ps->hosts[ps->n_hosts].name = g_strdup (name->text);
  ps->hosts[ps->n_hosts].pos = name->pos;
  return (gint) ps->n_hosts++;
}

/* ---- top-level keys ---- */

static guint
top_key_index (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (top_keys); i++)
    if (strcmp (top_keys[i], key) == 0)
      return i;
  return G_MAXUINT;
}

static gboolean
parse_name (Parser     *ps,
            const Stmt *st)
{
  const Tok *value = single_value (ps, st, "a scenario name");

  if (value == NULL)
    return FALSE;
  if (value->length != strlen (value->text) || value->text[0] == '\0'
      || !g_utf8_validate (value->text, -1, NULL))
    return fail (ps, value->pos, TL_SCENARIO_ERROR_INVALID,
                 "a scenario name must be non-empty text");
  {
    g_autofree char *name = tl_scenario_normalize_text (value->text);
    if (name[0] == '\0')
      return fail (ps, value->pos, TL_SCENARIO_ERROR_INVALID,
                   "a scenario name must be non-empty text");
    g_free (ps->scenario->name);
    ps->scenario->name = g_steal_pointer (&name);
  }
  return TRUE;
}

static gboolean
parse_description (Parser     *ps,
                   const Stmt *st)
{
  GString *text = g_string_new (NULL);

  if (st->n < 2)
    {
      g_string_free (text, TRUE);
      return fail (ps, after (&st->toks[0]), TL_SCENARIO_ERROR_SYNTAX,
                   "expected the text after 'description', as in "
                   "description \"\"\" ... \"\"\"");
    }
  if (st->toks[1].kind == TOK_STRING && st->n > 2)
    {
      g_string_free (text, TRUE);
      return fail (ps, st->toks[2].pos, TL_SCENARIO_ERROR_SYNTAX,
                   "unexpected text after the description string");
    }
  for (guint i = 1; i < st->n; i++)
    {
      if (st->toks[i].length != strlen (st->toks[i].text)
          || (st->toks[i].kind != TOK_WORD && st->toks[i].kind != TOK_STRING))
        {
          g_string_free (text, TRUE);
          return fail (ps, st->toks[i].pos, TL_SCENARIO_ERROR_SYNTAX,
                       "a description is plain text");
        }
      if (i > 1)
        g_string_append_c (text, ' ');
      g_string_append (text, st->toks[i].text);
    }
  if (strstr (text->str, "\"\"\"") != NULL)
    {
      g_string_free (text, TRUE);
      return fail (ps, st->toks[1].pos, TL_SCENARIO_ERROR_INVALID,
                   "a description cannot contain \"\"\"");
    }
  g_free (ps->scenario->description);
  ps->scenario->description = tl_scenario_normalize_text (text->str);
  g_string_free (text, TRUE);
  if (ps->scenario->description[0] == '\0')
    g_clear_pointer (&ps->scenario->description, g_free);
  return TRUE;
}

static const TlCallKind call_kind_none = TL_CALL_NONE;

static gboolean
parse_send_args (Parser      *ps,
                 const Stmt  *st,
                 guint        first,
                 PendingCall *pc)
{
  const Tok *arg;

  if (st->n <= first)
    return fail (ps, after (&st->toks[first - 1]), TL_SCENARIO_ERROR_SYNTAX,
                 "expected what to send: a string such as \"hello\\n\" or a byte count");
  arg = &st->toks[first];
  if (st->n > first + 1)
    return fail (ps, st->toks[first + 1].pos, TL_SCENARIO_ERROR_SYNTAX,
                 "unexpected '%s' after what to send", st->toks[first + 1].text);
  if (arg->kind == TOK_STRING)
    {
      if (arg->length == 0)
        return fail (ps, arg->pos, TL_SCENARIO_ERROR_INVALID,
                     "an empty send does nothing: give at least one byte");
      if (arg->length > TL_SCENARIO_MAX_SEND)
        return fail (ps, arg->pos, TL_SCENARIO_ERROR_INVALID,
                     "a send carries at most %d bytes", TL_SCENARIO_MAX_SEND);
      pc->call.data = g_bytes_new (arg->text, arg->length);
      pc->call.value = (gint64) arg->length;
      return TRUE;
    }
  if (arg->kind == TOK_WORD && g_ascii_isdigit (arg->text[0]))
    {
      guint64 n;
      char *message = NULL;
      if (!tl_scenario_read_bytes (arg->text, "send size", 1, TL_SCENARIO_MAX_SEND,
                                   &n, &message))
        return fail_value (ps, arg->pos, message);
      pc->call.value = (gint64) n;
      return TRUE;
    }
  {
    g_autofree char *clipped = tl_scenario_clip (arg->text);
    return fail (ps, arg->pos, TL_SCENARIO_ERROR_SYNTAX,
                 "expected a quoted string such as \"hello\\n\" or a byte count, got '%s'",
                 clipped);
  }
}

static gboolean
no_more_args (Parser     *ps,
              const Stmt *st,
              guint       next,
              const char *call)
{
  if (st->n > next)
    {
      g_autofree char *clipped = tl_scenario_clip (st->toks[next].text);
      return fail (ps, st->toks[next].pos, TL_SCENARIO_ERROR_SYNTAX,
                   "unexpected '%s' after '%s'", clipped, call);
    }
  return TRUE;
}

static gboolean
parse_call_args (Parser      *ps,
                 const Stmt  *st,
                 PendingCall *pc)
{
  const Tok *name = &st->toks[3];
  const guint first = 4;
  char *message = NULL;

  switch (pc->call.kind)
    {
    case TL_CALL_BIND:
    case TL_CALL_LISTEN:
    case TL_CALL_ABORT:
      return no_more_args (ps, st, first, name->text);

    case TL_CALL_CONNECT:
      if (st->n <= first)
        return fail (ps, after (name), TL_SCENARIO_ERROR_SYNTAX,
                     "expected the host to connect to after 'connect'");
      pc->peer = g_strdup (st->toks[first].text);
      pc->peer_pos = st->toks[first].pos;
      return no_more_args (ps, st, first + 1, st->toks[first].text);

    case TL_CALL_SEND:
      return parse_send_args (ps, st, first, pc);

    case TL_CALL_SHUTDOWN:
      if (st->n <= first)
        return fail (ps, after (name), TL_SCENARIO_ERROR_SYNTAX,
                     "expected rd, wr or rdwr after 'shutdown'");
      if (!tl_scenario_read_shut_how (st->toks[first].text, &pc->call.how, &message))
        return fail_value (ps, st->toks[first].pos, message);
      pc->call.value = pc->call.how;
      return no_more_args (ps, st, first + 1, st->toks[first].text);

    case TL_CALL_READ:
      pc->call.value = TL_READ_NOW;
      if (st->n > first)
        {
          TlReadMode mode;

          if (!tl_scenario_read_read_mode (st->toks[first].text, &mode, &message))
            return fail_value (ps, st->toks[first].pos, message);
          pc->call.value = mode;
        }
      return no_more_args (ps, st, first + 1, st->n > first ? st->toks[first].text : name->text);

    case TL_CALL_CLOSE:
      if (st->n > first)
        {
          if (strcmp (st->toks[first].text, "listener") != 0)
            {
              g_autofree char *clipped = tl_scenario_clip (st->toks[first].text);
              return fail (ps, st->toks[first].pos, TL_SCENARIO_ERROR_SYNTAX,
                           "expected nothing or 'listener' after 'close', got '%s'",
                           clipped);
            }
          pc->call.on_listener = TRUE;
        }
      return no_more_args (ps, st, first + 1, "close listener");

    case TL_CALL_SETSOCKOPT:
      if (st->n <= first)
        return fail (ps, after (name), TL_SCENARIO_ERROR_SYNTAX,
                     "expected syncnt N, linger-zero or nodelay after 'setsockopt'");
      if (!tl_scenario_read_sockopt (st->toks[first].text, &pc->call.option, &message))
        return fail_value (ps, st->toks[first].pos, message);
      if (pc->call.option == TL_SOCKOPT_SYNCNT && st->n <= first + 1)
        return fail (ps, after (&st->toks[first]), TL_SCENARIO_ERROR_SYNTAX,
                     "expected the number of SYN retries after 'syncnt'");
      if (st->n > first + 1)
        {
          if (!tl_scenario_read_sockopt_value (pc->call.option, st->toks[first + 1].text,
                                               &pc->call.value, &message))
            return fail_value (ps, st->toks[first + 1].pos, message);
        }
      else
        pc->call.value = 1;
      return no_more_args (ps, st, first + 2, st->toks[first + 1].text);

    case TL_CALL_NONE:
    case TL_CALL_ACCEPT:
    case TL_N_CALLS:
    default:
      g_assert_not_reached ();
    }
}

/* at TIME HOST CALL ARGS... */
static gboolean
parse_at (Parser     *ps,
          const Stmt *st)
{
  PendingCall pc = { 0 };
  char *message = NULL;
  const Tok *name;

  if (st->n < 2)
    return fail (ps, after (&st->toks[0]), TL_SCENARIO_ERROR_SYNTAX,
                 "expected a time after 'at', as in 'at 100ms A connect B'");
  if (!check_split_unit (ps, st, 1))
    return FALSE;
  if (!tl_scenario_read_time (st->toks[1].text, &pc.call.at, &message))
    return fail_value (ps, st->toks[1].pos, message);
  if (st->n < 3)
    return fail (ps, after (&st->toks[1]), TL_SCENARIO_ERROR_SYNTAX,
                 "expected a host name after the time");
  if (st->n < 4)
    return fail (ps, after (&st->toks[2]), TL_SCENARIO_ERROR_SYNTAX,
                 "expected a call after the host name (bind, listen, connect, "
                 "send, shutdown, close, abort or setsockopt)");
  name = &st->toks[3];
  pc.call.kind = tl_scenario_call_from_name (name->text);
  if (pc.call.kind == call_kind_none)
    return fail_unknown (ps, name->pos, "call", name->text, "", tl_scenario_call_names,
                         tl_scenario_n_call_names,
                         "(use bind, listen, connect, send, shutdown, close, abort "
                         "or setsockopt)");
  pc.call.line = st->toks[0].pos.line;
  pc.call.column = st->toks[0].pos.col;
  pc.call.peer = -1;
  pc.time_pos = st->toks[1].pos;
  pc.host_pos = st->toks[2].pos;
  if (!parse_call_args (ps, st, &pc))
    {
      g_clear_pointer (&pc.call.data, g_bytes_unref);
      g_free (pc.peer);
      return FALSE;
    }
  pc.host = g_strdup (st->toks[2].text);
  g_array_append_val (ps->calls, pc);
  return TRUE;
}

/* Keys of blocks written at the top level: say where they belong. */
static gboolean
misplaced_key (Parser    *ps,
               const Tok *key)
{
  const char *where = NULL;

  if (strcmp (key->text, "address") == 0 || strcmp (key->text, "port") == 0
      || strcmp (key->text, "isn") == 0)
    where = "a 'host NAME { }' block";
  else if (tl_setting_lookup (key->text) != NULL)
    where = "a 'host NAME { }' or 'defaults { }' block";
  for (guint i = 0; i < N_LINK_KEYS; i++)
    if (strcmp (key->text, link_keys[i]) == 0)
      where = "a 'link A->B { }' block";
  for (guint i = 0; i < G_N_ELEMENTS (router_keys); i++)
    if (strcmp (key->text, router_keys[i]) == 0)
      where = "the 'router { }' block";
  if (where != NULL)
    return fail (ps, key->pos, TL_SCENARIO_ERROR_SYNTAX,
                 "'%s' belongs inside %s", key->text, where);
  if (tl_scenario_call_from_name (key->text) != TL_CALL_NONE)
    return fail (ps, key->pos, TL_SCENARIO_ERROR_SYNTAX,
                 "calls start with 'at TIME HOST', as in 'at 0s A %s'", key->text);
  return fail_unknown (ps, key->pos, "key", key->text, "", top_keys,
                       G_N_ELEMENTS (top_keys), NULL);
}

static gboolean
parse_top (Parser     *ps,
           const Stmt *st)
{
  const Tok *key = &st->toks[0];
  guint index;
  TlScenario *s = ps->scenario;
  char *message = NULL;
  const Tok *value;
  guint64 n;

  if (key->kind != TOK_WORD)
    return fail (ps, key->pos, TL_SCENARIO_ERROR_SYNTAX,
                 "expected a key such as 'name', 'host' or 'at'");
  index = top_key_index (key->text);
  if (index == G_MAXUINT)
    return misplaced_key (ps, key);
  if (strcmp (key->text, "at") == 0)
    return parse_at (ps, st);
  if (strcmp (key->text, "host") == 0 || strcmp (key->text, "link") == 0
      || strcmp (key->text, "router") == 0 || strcmp (key->text, "defaults") == 0)
    return fail (ps, st->n > 1 ? after (&st->toks[st->n - 1]) : after (key),
                 TL_SCENARIO_ERROR_SYNTAX, "expected '{' to open the %s block",
                 key->text);
  if (!check_duplicate (ps, &ps->top_pos[index], key->pos, key->text, ""))
    return FALSE;

  if (strcmp (key->text, "name") == 0)
    return parse_name (ps, st);
  if (strcmp (key->text, "description") == 0)
    return parse_description (ps, st);
  if (strcmp (key->text, "profile") == 0)
    {
      value = single_value (ps, st, "a profile (rfc9293 or linux)");
      if (value == NULL)
        return FALSE;
      if (!tl_scenario_read_profile (value->text, &s->profile, &message))
        return fail_value (ps, value->pos, message);
      return TRUE;
    }
  if (strcmp (key->text, "seed") == 0)
    {
      if (!read_uint_value (ps, st, 0, G_MAXUINT64, &n))
        return FALSE;
      s->seed = n;
      return TRUE;
    }
  if (strcmp (key->text, "duration") == 0)
    {
      if (!read_time_value (ps, st, &s->duration))
        return FALSE;
      if (s->duration <= 0)
        return fail (ps, st->toks[1].pos, TL_SCENARIO_ERROR_INVALID,
                     "the duration must be longer than 0s");
      return TRUE;
    }
  if (strcmp (key->text, "max-events") == 0)
    {
      if (!read_uint_value (ps, st, 1, TL_SCENARIO_MAX_EVENTS_LIMIT, &n))
        return FALSE;
      s->max_events = (guint) n;
      return TRUE;
    }
  g_assert_not_reached ();
}

/* ---- block bodies ---- */

static gboolean
parse_setting (Parser         *ps,
               const Stmt     *st,
               TlHostSettings *settings,
               Pos            *key_pos,
               gboolean       *found)
{
  const TlSettingInfo *info = tl_setting_lookup (st->toks[0].text);
  const Tok *value;
  gint64 v;
  char *message = NULL;
  const char *expected = "a value";

  *found = info != NULL;
  if (info == NULL)
    return TRUE;
  switch (info->type)
    {
    case TL_SETTING_COUNT: expected = "a whole number"; break;
    case TL_SETTING_SWITCH: expected = "on or off"; break;
    case TL_SETTING_BYTES: expected = "a size such as 65535 or 32MiB"; break;
    case TL_SETTING_DURATION: expected = "a duration such as 100ms"; break;
    case TL_SETTING_KERNEL: expected = "a kernel version such as 6.18"; break;
    default: break;
    }
  if (info->type == TL_SETTING_DURATION && !check_split_unit (ps, st, 1))
    return FALSE;
  value = single_value (ps, st, expected);
  if (value == NULL)
    return FALSE;
  if (!check_duplicate (ps, &key_pos[HOST_KEY_FIRST_SETTING + (info - tl_setting_infos)],
                        st->toks[0].pos, info->key, ""))
    return FALSE;
  if (!tl_setting_parse (info, value->text, &v, &message))
    return fail_value (ps, value->pos, message);
  tl_setting_set (info, settings, v);
  return TRUE;
}

static void
host_key_candidates (GPtrArray *names,
                     gboolean   with_host_keys)
{
  if (with_host_keys)
    {
      g_ptr_array_add (names, (gpointer) "address");
      g_ptr_array_add (names, (gpointer) "port");
      g_ptr_array_add (names, (gpointer) "isn");
    }
  for (guint i = 0; i < TL_N_HOST_SETTINGS; i++)
    g_ptr_array_add (names, (gpointer) tl_setting_infos[i].key);
}

static gboolean
unknown_in_block (Parser      *ps,
                  const Block *block,
                  const Tok   *key)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autofree char *where = g_strdup_printf (" in the %s block", block->title);

  switch (block->kind)
    {
    case BLOCK_DEFAULTS:
      if (strcmp (key->text, "address") == 0 || strcmp (key->text, "port") == 0
          || strcmp (key->text, "isn") == 0)
        return fail (ps, key->pos, TL_SCENARIO_ERROR_SYNTAX,
                     "'%s' differs per host: put it in a 'host NAME { }' block",
                     key->text);
      host_key_candidates (names, FALSE);
      break;
    case BLOCK_HOST:
      host_key_candidates (names, TRUE);
      break;
    case BLOCK_LINK:
      for (guint i = 0; i < N_LINK_KEYS; i++)
        g_ptr_array_add (names, (gpointer) link_keys[i]);
      break;
    case BLOCK_ROUTER:
      for (guint i = 0; i < G_N_ELEMENTS (router_keys); i++)
        g_ptr_array_add (names, (gpointer) router_keys[i]);
      break;
    default:
      break;
    }
  return fail_unknown (ps, key->pos, "key", key->text, where,
                       (const char * const *) names->pdata, names->len, NULL);
}

static gboolean
parse_host_key (Parser      *ps,
                const Block *block,
                const Stmt  *st)
{
  PendingHost *host = &ps->hosts[block->index];
  const Tok *key = &st->toks[0];
  const Tok *value;
  char *message = NULL;
  guint64 n;
  gboolean found;

  if (strcmp (key->text, "address") == 0)
    {
      value = single_value (ps, st, "an IPv4 address such as 10.0.0.1");
      if (value == NULL
          || !check_duplicate (ps, &host->key_pos[HOST_KEY_ADDRESS], key->pos, "address", ""))
        return FALSE;
      if (!tl_scenario_read_address (value->text, &host->addr, &message))
        return fail_value (ps, value->pos, message);
      return TRUE;
    }
  if (strcmp (key->text, "port") == 0)
    {
      if (!check_duplicate (ps, &host->key_pos[HOST_KEY_PORT], key->pos, "port", "")
          || !read_uint_value (ps, st, 1, 65535, &n))
        return FALSE;
      host->port = (guint16) n;
      return TRUE;
    }
  if (strcmp (key->text, "isn") == 0)
    {
      if (!check_duplicate (ps, &host->key_pos[HOST_KEY_ISN], key->pos, "isn", "")
          || !read_uint_value (ps, st, 0, G_MAXUINT32, &n))
        return FALSE;
      host->isn = (guint32) n;
      return TRUE;
    }
  if (!parse_setting (ps, st, &host->settings, host->key_pos, &found))
    return FALSE;
  return found || unknown_in_block (ps, block, key);
}

static gboolean
parse_link_key (Parser      *ps,
                const Block *block,
                const Stmt  *st)
{
  const Tok *key = &st->toks[0];
  LinkStmt ls = { block->index, -1, key->pos, 0 };
  char *message = NULL;
  const Tok *value;

  for (guint i = 0; i < N_LINK_KEYS; i++)
    if (strcmp (key->text, link_keys[i]) == 0)
      ls.key = (gint) i;
  switch (ls.key)
    {
    case LINK_DELAY:
    case LINK_JITTER:
      if (!read_time_value (ps, st, &ls.value))
        return FALSE;
      break;
    case LINK_LOSS:
      {
        guint32 ppm;
        value = single_value (ps, st, "a percentage such as 1.5%");
        if (value == NULL)
          return FALSE;
        if (!tl_scenario_read_loss (value->text, &ppm, &message))
          return fail_value (ps, value->pos, message);
        ls.value = ppm;
      }
      break;
    case LINK_RATE:
      {
        guint64 bps;
        value = single_value (ps, st, "a rate in bits/s such as 10M");
        if (value == NULL)
          return FALSE;
        if (!tl_scenario_read_rate (value->text, &bps, &message))
          return fail_value (ps, value->pos, message);
        ls.value = (gint64) bps;
      }
      break;
    default:
      return unknown_in_block (ps, block, key);
    }
  g_array_append_val (ps->link_stmts, ls);
  return TRUE;
}

/* The tokens after "pause" as one text, and where each character came
 * from, so "0s .. 2.5s", "0s..2.5s" and "0s ..2.5s" all read the same and
 * an error still points at the right column. */
static gboolean
parse_pause (Parser     *ps,
             const Stmt *st)
{
  const Tok *toks = st->toks;
  PendingPause pp = { { 0, 0 }, toks[0].pos };
  const Tok *dots_tok = NULL;
  GString *start = g_string_new (NULL), *end = g_string_new (NULL);
  Pos start_pos = { 0, 0 }, end_pos = { 0, 0 };
  char *message = NULL;
  gboolean ok = FALSE;

  if (st->n < 2)
    {
      fail (ps, after (&toks[0]), TL_SCENARIO_ERROR_SYNTAX,
            "expected a window after 'pause', as in 'pause 0s .. 2.5s'");
      goto out;
    }
  for (guint i = 1; i < st->n; i++)
    {
      const char *text = toks[i].text;
      const char *dots = dots_tok == NULL ? strstr (text, "..") : NULL;

      if (dots != NULL)
        {
          dots_tok = &toks[i];
          g_string_append_len (start, text, dots - text);
          if (dots > text && !seen (start_pos))
            start_pos = toks[i].pos;
          if (dots[2] != '\0')
            {
              end_pos = (Pos) { toks[i].pos.line,
                                toks[i].pos.col + (guint) g_utf8_strlen (text, dots + 2 - text) };
              g_string_append (end, dots + 2);
            }
          continue;
        }
      if (dots_tok == NULL)
        {
          if (seen (start_pos))
            {
              fail (ps, toks[i].pos, TL_SCENARIO_ERROR_SYNTAX,
                    "expected '..' between the start and the end of the window");
              goto out;
            }
          start_pos = toks[i].pos;
          g_string_append (start, text);
        }
      else
        {
          if (seen (end_pos))
            {
              g_autofree char *clipped = tl_scenario_clip (text);
              fail (ps, toks[i].pos, TL_SCENARIO_ERROR_SYNTAX,
                    "unexpected '%s' after the pause window (one window per line)",
                    clipped);
              goto out;
            }
          end_pos = toks[i].pos;
          g_string_append (end, text);
        }
    }
  if (dots_tok == NULL || !seen (start_pos) || !seen (end_pos))
    {
      fail (ps, toks[1].pos, TL_SCENARIO_ERROR_SYNTAX,
            "expected a window such as '0s .. 2.5s' (start .. end)");
      goto out;
    }
  if (!tl_scenario_read_time (start->str, &pp.window.start, &message))
    {
      fail_value (ps, start_pos, message);
      goto out;
    }
  if (!tl_scenario_read_time (end->str, &pp.window.end, &message))
    {
      fail_value (ps, end_pos, message);
      goto out;
    }
  if (pp.window.end <= pp.window.start)
    {
      fail (ps, end_pos, TL_SCENARIO_ERROR_INVALID,
            "the pause window ends (%s) before it starts (%s)%s", end->str,
            start->str, pp.window.end == pp.window.start ? ": it is empty" : "");
      goto out;
    }
  pp.pos = start_pos;
  g_array_append_val (ps->pauses, pp);
  ok = TRUE;

out:
  g_string_free (start, TRUE);
  g_string_free (end, TRUE);
  return ok;
}

static gboolean
parse_router_key (Parser      *ps,
                  const Block *block,
                  const Stmt  *st)
{
  const Tok *key = &st->toks[0];
  guint64 n;

  if (strcmp (key->text, "queue") == 0)
    {
      if (!check_duplicate (ps, &ps->router_pos[ROUTER_QUEUE], key->pos, "queue", "")
          || !read_uint_value (ps, st, 0, TL_SCENARIO_MAX_QUEUE, &n))
        return FALSE;
      ps->scenario->router_queue = (guint) n;
      return TRUE;
    }
  if (strcmp (key->text, "release-gap") == 0)
    return check_duplicate (ps, &ps->router_pos[ROUTER_RELEASE_GAP], key->pos,
                            "release-gap", "")
           && read_time_value (ps, st, &ps->scenario->release_gap);
  if (strcmp (key->text, "pause") == 0)
    return parse_pause (ps, st);
  return unknown_in_block (ps, block, key);
}

static gboolean
parse_block_key (Parser      *ps,
                 const Block *block,
                 const Stmt  *st)
{
  const Tok *key = &st->toks[0];
  gboolean found;

  if (key->kind != TOK_WORD)
    return fail (ps, key->pos, TL_SCENARIO_ERROR_SYNTAX,
                 "expected a key in the %s block", block->title);
  switch (block->kind)
    {
    case BLOCK_DEFAULTS:
      if (!parse_setting (ps, st, &ps->defaults, ps->defaults_pos, &found))
        return FALSE;
      return found || unknown_in_block (ps, block, key);
    case BLOCK_HOST:
      return parse_host_key (ps, block, st);
    case BLOCK_LINK:
      return parse_link_key (ps, block, st);
    case BLOCK_ROUTER:
      return parse_router_key (ps, block, st);
    default:
      g_assert_not_reached ();
    }
}

/* ---- block headers ---- */

static gboolean
no_header_args (Parser     *ps,
                const Stmt *header,
                guint       expected)
{
  if (header->n > expected)
    {
      g_autofree char *clipped = tl_scenario_clip (header->toks[expected].text);
      return fail (ps, header->toks[expected].pos, TL_SCENARIO_ERROR_SYNTAX,
                   "unexpected '%s' before '{'", clipped);
    }
  return TRUE;
}

/* "A->B" or "A<->B". */
static gboolean
parse_link_header (Parser     *ps,
                   const Tok  *spec,
                   LinkHeader *out)
{
  const char *text = spec->text;
  const char *arrow = strstr (text, "<->");
  gsize arrow_len = 3;
  char *message = NULL;

  out->both = arrow != NULL;
  if (arrow == NULL)
    {
      arrow = strstr (text, "->");
      arrow_len = 2;
    }
  if (arrow == NULL || arrow == text || arrow[arrow_len] == '\0')
    {
      g_autofree char *clipped = tl_scenario_clip (text);
      return fail (ps, spec->pos, TL_SCENARIO_ERROR_SYNTAX,
                   "expected a link such as 'A->B' (one way) or 'A<->B' (both ways), "
                   "got '%s'", clipped);
    }
  out->from = g_strndup (text, (gsize) (arrow - text));
  out->to = g_strdup (arrow + arrow_len);
  out->from_pos = spec->pos;
  out->to_pos = (Pos) { spec->pos.line,
                        spec->pos.col + (guint) g_utf8_strlen (text, arrow + arrow_len - text) };
  if (!tl_scenario_host_name_valid (out->from, &message))
    return fail_value (ps, out->from_pos, message);
  if (!tl_scenario_host_name_valid (out->to, &message))
    return fail_value (ps, out->to_pos, message);
  if (strcmp (out->from, out->to) == 0)
    return fail (ps, out->to_pos, TL_SCENARIO_ERROR_INVALID,
                 "a link joins the two different hosts, not '%s' to itself", out->from);
  return TRUE;
}

static gboolean
open_block (Parser     *ps,
            const Stmt *header,
            const Tok  *brace,
            Block      *block,
            char      **title)
{
  const Tok *kind = &header->toks[0];
  guint index = kind->kind == TOK_WORD ? top_key_index (kind->text) : G_MAXUINT;

  block->open = brace->pos;
  if (kind->kind != TOK_WORD || header->n == 0)
    return fail (ps, kind->pos, TL_SCENARIO_ERROR_SYNTAX,
                 "expected a block name (host, link, router or defaults) before '{'");
  if (strcmp (kind->text, "defaults") == 0 || strcmp (kind->text, "router") == 0)
    {
      gboolean router = kind->text[0] == 'r';
      if (!no_header_args (ps, header, 1)
          || !check_duplicate (ps, &ps->top_pos[index], kind->pos,
                               kind->text, " block"))
        return FALSE;
      block->kind = router ? BLOCK_ROUTER : BLOCK_DEFAULTS;
      *title = g_strdup (kind->text);
      if (router)
        ps->scenario->has_router = TRUE;
      return TRUE;
    }
  if (strcmp (kind->text, "host") == 0)
    {
      gint host;
      if (header->n < 2)
        return fail (ps, brace->pos, TL_SCENARIO_ERROR_SYNTAX,
                     "expected a host name before '{', as in 'host A {'");
      if (!no_header_args (ps, header, 2))
        return FALSE;
      host = host_index (ps, &header->toks[1], FALSE);
      if (host >= 0 && ps->hosts[host].has_block)
        return fail (ps, header->toks[1].pos, TL_SCENARIO_ERROR_SYNTAX,
                     "duplicate host '%s' (its block is at line %u)",
                     header->toks[1].text, ps->hosts[host].pos.line);
      if (host < 0)
        host = host_index (ps, &header->toks[1], TRUE);
      if (host < 0)
        return FALSE;
      ps->hosts[host].has_block = TRUE;
      ps->hosts[host].pos = header->toks[1].pos;
      block->kind = BLOCK_HOST;
      block->index = (guint) host;
      *title = g_strdup_printf ("host %s", header->toks[1].text);
      return TRUE;
    }
  if (strcmp (kind->text, "link") == 0)
    {
      LinkHeader lh = { 0 };
      if (header->n < 2)
        return fail (ps, brace->pos, TL_SCENARIO_ERROR_SYNTAX,
                     "expected a link such as 'A->B' before '{'");
      if (!no_header_args (ps, header, 2))
        return FALSE;
      g_array_append_val (ps->link_headers, lh);
      block->kind = BLOCK_LINK;
      block->index = ps->link_headers->len - 1;
      *title = g_strdup_printf ("link %s", header->toks[1].text);
      return parse_link_header (ps, &header->toks[1],
                                &g_array_index (ps->link_headers, LinkHeader, block->index));
    }
  if (index != G_MAXUINT)
    return fail (ps, brace->pos, TL_SCENARIO_ERROR_SYNTAX,
                 "'%s' takes no block", kind->text);
  {
    static const char * const blocks[] = { "host", "link", "router", "defaults" };
    return fail_unknown (ps, kind->pos, "block", kind->text, "", blocks,
                         G_N_ELEMENTS (blocks), "(use host, link, router or defaults)");
  }
}

static gint
find_kind (const Stmt *st,
           TokKind     kind)
{
  for (guint i = 0; i < st->n; i++)
    if (st->toks[i].kind == kind)
      return (gint) i;
  return -1;
}

static gboolean
parse_block_line (Parser      *ps,
                  const Block *block,
                  const Stmt  *st)
{
  gint open = find_kind (st, TOK_OPEN);
  gint close = find_kind (st, TOK_CLOSE);

  if (open >= 0)
    return fail (ps, st->toks[open].pos, TL_SCENARIO_ERROR_SYNTAX,
                 "blocks do not nest: is the '}' of the %s block (line %u) missing?",
                 block->title, block->open.line);
  if (close >= 0)
    return fail (ps, st->toks[close].pos, TL_SCENARIO_ERROR_SYNTAX,
                 "'}' goes on its own line");
  return parse_block_key (ps, block, st);
}

/* Parses the statement at line I (a block may take more lines); returns the
 * index of the next line, or -1 on error. */
static gint
parse_line (Parser *ps,
            guint   i)
{
  GArray *line = g_ptr_array_index (ps->lines, i);
  Stmt st = { (Tok *) line->data, line->len };
  gint open = find_kind (&st, TOK_OPEN);
  gint close = find_kind (&st, TOK_CLOSE);
  Block block = { 0 };
  g_autofree char *title = NULL;
  gboolean ok;

  if (open < 0)
    {
      if (close >= 0)
        return fail (ps, st.toks[close].pos, TL_SCENARIO_ERROR_SYNTAX,
                     "unexpected '}': no block is open"), -1;
      return parse_top (ps, &st) ? (gint) i + 1 : -1;
    }
  if (close >= 0 && close < open)
    return fail (ps, st.toks[close].pos, TL_SCENARIO_ERROR_SYNTAX,
                 "unexpected '}': no block is open"), -1;
  if (open == 0)
    return fail (ps, st.toks[0].pos, TL_SCENARIO_ERROR_SYNTAX,
                 "expected a block name (host, link, router or defaults) before '{'"), -1;

  {
    Stmt header = { st.toks, (guint) open };
    if (!open_block (ps, &header, &st.toks[open], &block, &title))
      return -1;
    block.title = title;
  }

  /* One-line form: "link B->A { delay 100ms }". */
  if ((guint) open + 1 < st.n)
    {
      Stmt inner = { st.toks + open + 1, st.n - (guint) open - 1 };
      gint inner_open = find_kind (&inner, TOK_OPEN);
      gint inner_close = find_kind (&inner, TOK_CLOSE);

      if (inner_open >= 0)
        return fail (ps, inner.toks[inner_open].pos, TL_SCENARIO_ERROR_SYNTAX,
                     "blocks do not nest"), -1;
      if (inner_close < 0)
        return fail (ps, after (&st.toks[st.n - 1]), TL_SCENARIO_ERROR_SYNTAX,
                     "expected '}' at the end of the one-line block (or put the "
                     "keys on the lines after '{')"), -1;
      if ((guint) inner_close + 1 < inner.n)
        {
          g_autofree char *clipped = tl_scenario_clip (inner.toks[inner_close + 1].text);
          return fail (ps, inner.toks[inner_close + 1].pos, TL_SCENARIO_ERROR_SYNTAX,
                       "unexpected '%s' after '}'", clipped), -1;
        }
      inner.n = (guint) inner_close;
      if (inner.n == 0)
        return (gint) i + 1;
      if (!parse_block_key (ps, &block, &inner))
        {
          /* Two keys on one line read as too many values for the first. */
          return -1;
        }
      return (gint) i + 1;
    }

  /* Multi-line form: keys until a line holding only '}'. */
  for (guint j = i + 1; j < ps->lines->len; j++)
    {
      GArray *body = g_ptr_array_index (ps->lines, j);
      Stmt bst = { (Tok *) body->data, body->len };

      if (bst.toks[0].kind == TOK_CLOSE)
        {
          if (bst.n > 1)
            {
              g_autofree char *clipped = tl_scenario_clip (bst.toks[1].text);
              return fail (ps, bst.toks[1].pos, TL_SCENARIO_ERROR_SYNTAX,
                           "unexpected '%s' after '}' (it goes on its own line)",
                           clipped), -1;
            }
          return (gint) j + 1;
        }
      ok = parse_block_line (ps, &block, &bst);
      if (!ok)
        return -1;
    }
  return fail (ps, block.open, TL_SCENARIO_ERROR_SYNTAX,
               "unterminated block: the %s block opened here has no closing '}'",
               block.title), -1;
}

/* ---- resolving ---- */

static gint
resolve_host (Parser     *ps,
              const char *name,
              Pos         pos)
{
  for (guint i = 0; i < ps->n_hosts; i++)
    if (ps->hosts[i].has_block && strcmp (ps->hosts[i].name, name) == 0)
      return (gint) i;
  {
    const char *names[TL_MAX_HOSTS];
    guint n = 0;
    g_autofree char *hint = NULL;

    for (guint i = 0; i < ps->n_hosts; i++)
      if (ps->hosts[i].has_block)
        names[n++] = ps->hosts[i].name;
    hint = n == 2 ? g_strdup_printf ("(the hosts are %s and %s)", names[0], names[1])
                  : g_strdup ("(no such 'host' block)");
    fail_unknown (ps, pos, "host", name, "", names, n, hint);
  }
  return -1;
}

static gboolean
resolve_hosts (Parser *ps)
{
  TlScenario *s = ps->scenario;

  if (ps->n_hosts == 0)
    {
      g_set_error (ps->error, TL_SCENARIO_ERROR, TL_SCENARIO_ERROR_INVALID,
                   "%s: no hosts defined: a scenario needs two 'host NAME { ... }' "
                   "blocks", ps->file);
      return FALSE;
    }
  if (ps->n_hosts == 1)
    {
      g_set_error (ps->error, TL_SCENARIO_ERROR, TL_SCENARIO_ERROR_INVALID,
                   "%s: only one host ('%s') defined: a scenario needs two "
                   "'host NAME { ... }' blocks", ps->file, ps->hosts[0].name);
      return FALSE;
    }
  for (guint i = 0; i < TL_MAX_HOSTS; i++)
    {
      PendingHost *ph = &ps->hosts[i];
      TlScenarioHost *host = &s->hosts[i];

      if (!seen (ph->key_pos[HOST_KEY_ADDRESS]))
        return fail (ps, ph->pos, TL_SCENARIO_ERROR_INVALID,
                     "host '%s' has no address (add 'address 10.0.0.1' to its block)",
                     ph->name);
      if (!seen (ph->key_pos[HOST_KEY_PORT]))
        return fail (ps, ph->pos, TL_SCENARIO_ERROR_INVALID,
                     "host '%s' has no port (add 'port 40000' to its block)", ph->name);
      g_free (host->name);
      host->name = g_strdup (ph->name);
      host->addr = ph->addr;
      host->port = ph->port;
      host->fixed_isn = seen (ph->key_pos[HOST_KEY_ISN]);
      host->isn = ph->isn;
      /* Profile first, then defaults { }, then the host's own keys. */
      tl_host_settings_init (&host->settings, s->profile);
      for (guint k = 0; k < TL_N_HOST_SETTINGS; k++)
        {
          const TlSettingInfo *info = &tl_setting_infos[k];
          if (seen (ph->key_pos[HOST_KEY_FIRST_SETTING + k]))
            tl_setting_set (info, &host->settings, tl_setting_get (info, &ph->settings));
          else if (seen (ps->defaults_pos[HOST_KEY_FIRST_SETTING + k]))
            tl_setting_set (info, &host->settings, tl_setting_get (info, &ps->defaults));
        }
      if (host->settings.rto_min > host->settings.rto_max)
        {
          guint rto_min = (guint) (tl_setting_lookup ("rto-min") - tl_setting_infos);
          Pos pos = seen (ph->key_pos[HOST_KEY_FIRST_SETTING + rto_min])
                    ? ph->key_pos[HOST_KEY_FIRST_SETTING + rto_min] : ph->pos;
          return fail (ps, pos, TL_SCENARIO_ERROR_INVALID,
                       "host '%s': rto-min is larger than rto-max", ph->name);
        }
    }
  if (s->hosts[0].addr == s->hosts[1].addr)
    {
      g_autofree char *addr = tl_scenario_format_address (s->hosts[0].addr);
      return fail (ps, ps->hosts[1].key_pos[HOST_KEY_ADDRESS], TL_SCENARIO_ERROR_INVALID,
                   "host '%s' has the same address as '%s' (%s)",
                   s->hosts[1].name, s->hosts[0].name, addr);
    }
  return TRUE;
}

static gboolean
resolve_links (Parser *ps)
{
  Pos key_pos[2][N_LINK_KEYS] = { { { 0, 0 } } };

  for (guint i = 0; i < ps->link_headers->len; i++)
    {
      LinkHeader *lh = &g_array_index (ps->link_headers, LinkHeader, i);
      if (resolve_host (ps, lh->from, lh->from_pos) < 0
          || resolve_host (ps, lh->to, lh->to_pos) < 0)
        return FALSE;
    }
  for (guint i = 0; i < ps->link_stmts->len; i++)
    {
      LinkStmt *ls = &g_array_index (ps->link_stmts, LinkStmt, i);
      LinkHeader *lh = &g_array_index (ps->link_headers, LinkHeader, ls->header);
      guint from = (guint) resolve_host (ps, lh->from, lh->from_pos);

      for (guint dir = 0; dir < 2; dir++)
        {
          TlLinkConfig *link = &ps->scenario->links[dir];
          g_autofree char *what = NULL;

          if (!lh->both && dir != from)
            continue;
          what = g_strdup_printf (" for %s->%s", ps->hosts[dir].name,
                                  ps->hosts[1 - dir].name);
          if (!check_duplicate (ps, &key_pos[dir][ls->key], ls->pos,
                                link_keys[ls->key], what))
            return FALSE;
          switch (ls->key)
            {
            case LINK_DELAY: link->delay = ls->value; break;
            case LINK_JITTER: link->jitter = ls->value; break;
            case LINK_LOSS: link->loss_ppm = (guint32) ls->value; break;
            case LINK_RATE: link->rate_bps = (guint64) ls->value; break;
            default: g_assert_not_reached ();
            }
        }
    }
  return TRUE;
}

static gboolean
resolve_calls (Parser *ps)
{
  TlScenario *s = ps->scenario;

  for (guint i = 0; i < ps->calls->len; i++)
    {
      PendingCall *pc = &g_array_index (ps->calls, PendingCall, i);
      gint host = resolve_host (ps, pc->host, pc->host_pos);

      if (host < 0)
        return FALSE;
      if (pc->call.kind == TL_CALL_CONNECT)
        {
          pc->call.peer = resolve_host (ps, pc->peer, pc->peer_pos);
          if (pc->call.peer < 0)
            return FALSE;
          if (pc->call.peer == host)
            return fail (ps, pc->peer_pos, TL_SCENARIO_ERROR_INVALID,
                         "%s cannot connect to itself: connect to %s", pc->host,
                         s->hosts[1 - host].name);
        }
      if (pc->call.at > s->duration)
        {
          g_autofree char *at = tl_scenario_format_time (pc->call.at);
          g_autofree char *duration = tl_scenario_format_time (s->duration);
          return fail (ps, pc->time_pos, TL_SCENARIO_ERROR_INVALID,
                       "the call at %s comes after the end of the run (duration %s)",
                       at, duration);
        }
      g_array_append_val (s->hosts[host].calls, pc->call);
      pc->call.data = NULL;   /* the scenario owns it now */
    }
  for (guint i = 0; i < TL_MAX_HOSTS; i++)
    tl_scenario_sort_calls (&s->hosts[i]);
  return TRUE;
}

static int
compare_pauses (gconstpointer a,
                gconstpointer b)
{
  const PendingPause *x = a, *y = b;

  if (x->window.start != y->window.start)
    return x->window.start < y->window.start ? -1 : 1;
  return x->window.end < y->window.end ? -1 : x->window.end > y->window.end;
}

static gboolean
resolve_pauses (Parser *ps)
{
  TlScenario *s = ps->scenario;

  g_array_sort (ps->pauses, compare_pauses);
  for (guint i = 0; i < ps->pauses->len; i++)
    {
      PendingPause *pp = &g_array_index (ps->pauses, PendingPause, i);
      g_autofree char *start = tl_scenario_format_time (pp->window.start);
      g_autofree char *end = tl_scenario_format_time (pp->window.end);

      if (i > 0)
        {
          PendingPause *prev = &g_array_index (ps->pauses, PendingPause, i - 1);
          if (pp->window.start < prev->window.end)
            {
              g_autofree char *prev_start = tl_scenario_format_time (prev->window.start);
              g_autofree char *prev_end = tl_scenario_format_time (prev->window.end);
              Pos later = pp->pos.line > prev->pos.line ? pp->pos : prev->pos;
              return fail (ps, later, TL_SCENARIO_ERROR_INVALID,
                           "pause windows %s..%s and %s..%s overlap",
                           prev_start, prev_end, start, end);
            }
        }
      if (pp->window.end > s->duration)
        {
          g_autofree char *duration = tl_scenario_format_time (s->duration);
          return fail (ps, pp->pos, TL_SCENARIO_ERROR_INVALID,
                       "the pause window %s..%s ends after the end of the run "
                       "(duration %s)", start, end, duration);
        }
      g_array_append_val (s->pauses, pp->window);
    }
  return TRUE;
}

/* ---- entry point ---- */

static gboolean
check_encoding (Parser     *ps,
                const char *text,
                gsize       length)
{
  const char *bad = NULL;

  if (length == 0 || g_utf8_validate_len (text, length, &bad))
    return TRUE;
  {
    guint line = 1, col = 1;
    for (const char *p = text; p < bad; p++)
      {
        if (*p == '\n')
          {
            line++;
            col = 1;
          }
        else if (((guchar) *p & 0xc0) != 0x80)
          col++;
      }
    return fail (ps, (Pos) { line, col }, TL_SCENARIO_ERROR_SYNTAX,
                 *bad == '\0' ? "unexpected NUL byte" : "invalid UTF-8");
  }
}

static void
clear_parser (Parser *ps)
{
  for (guint i = 0; i < TL_MAX_HOSTS; i++)
    g_free (ps->hosts[i].name);
  for (guint i = 0; i < ps->link_headers->len; i++)
    {
      LinkHeader *lh = &g_array_index (ps->link_headers, LinkHeader, i);
      g_free (lh->from);
      g_free (lh->to);
    }
  for (guint i = 0; i < ps->calls->len; i++)
    {
      PendingCall *pc = &g_array_index (ps->calls, PendingCall, i);
      g_free (pc->host);
      g_free (pc->peer);
      g_clear_pointer (&pc->call.data, g_bytes_unref);
    }
  g_array_unref (ps->link_headers);
  g_array_unref (ps->link_stmts);
  g_array_unref (ps->calls);
  g_array_unref (ps->pauses);
  g_ptr_array_unref (ps->lines);
  g_array_unref (ps->current);
}

TlScenario *
tl_scenario_parse (const char  *text,
                   gssize       length,
                   const char  *filename,
                   GError     **error)
{
  Parser ps = { 0 };
  GError *local = NULL;
  g_autoptr(TlScenario) scenario = NULL;
  gboolean ok;

  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 0)
    length = (gssize) strlen (text);
  ps.file = filename != NULL ? filename : "<string>";
  if ((gsize) length > TL_SCENARIO_MAX_FILE_SIZE)
    {
      g_set_error (error, TL_SCENARIO_ERROR, TL_SCENARIO_ERROR_LIMIT,
                   "%s: the file is larger than 1 MiB (%" G_GSSIZE_FORMAT " bytes); "
                   "a scenario file is at most %d bytes",
                   ps.file, length, TL_SCENARIO_MAX_FILE_SIZE);
      return NULL;
    }

  scenario = tl_scenario_new ();
  scenario->path = g_strdup (filename);
  ps.scenario = scenario;
  ps.error = &local;
  ps.p = text;
  ps.end = text + length;
  ps.line = 1;
  ps.col = 1;
  ps.lines = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  ps.current = new_line ();
  ps.link_headers = g_array_new (FALSE, TRUE, sizeof (LinkHeader));
  ps.link_stmts = g_array_new (FALSE, TRUE, sizeof (LinkStmt));
  ps.calls = g_array_new (FALSE, TRUE, sizeof (PendingCall));
  ps.pauses = g_array_new (FALSE, TRUE, sizeof (PendingPause));

  /* A byte order mark is not part of the text. */
  if (length >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    ps.p += 3;

  ok = check_encoding (&ps, text, (gsize) length) && lex (&ps);
  for (guint i = 0; ok && i < ps.lines->len;)
    {
      gint next = parse_line (&ps, i);
      ok = next >= 0;
      i = (guint) MAX (next, 0);
    }
  ok = ok && resolve_hosts (&ps) && resolve_links (&ps) && resolve_calls (&ps)
       && resolve_pauses (&ps) && tl_scenario_validate (scenario, &local);
  clear_parser (&ps);

  if (!ok)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  /* A file without a name line is called after the file. */
  if (ps.top_pos[0].line == 0 && filename != NULL)
    {
      g_autofree char *base = g_path_get_basename (filename);
      if (g_str_has_suffix (base, ".scn"))
        base[strlen (base) - 4] = '\0';
      if (base[0] != '\0' && g_utf8_validate (base, -1, NULL))
        {
          g_free (scenario->name);
          scenario->name = g_steal_pointer (&base);
        }
    }
  return g_steal_pointer (&scenario);
}
