/* tl-app.c: the application: windows, accelerators, options. */
#include "tl-app.h"

#include <stdio.h>

#include "tl-color-scheme.h"
#include "tl-sweep-window.h"
#include "tl-window.h"

/* How many frames --screenshot tries to save the window before giving up. */
#define SCREENSHOT_RETRIES 60

/* How long --screenshot waits for the window to settle before giving up. */
#define SCREENSHOT_TIMEOUT_MS 20000

struct _TlApp
{
  GtkApplication parent_instance;

  gboolean       styled;
};

G_DEFINE_FINAL_TYPE (TlApp, tl_app, GTK_TYPE_APPLICATION)

/* What a command line asks of the window it opens. */
typedef struct
{
  TlApp     *app;
  GtkWindow *window;     /* a TlWindow or a TlSweepWindow */
  /* Kept until the PNG is written: its exit status is the program's. */
  GApplicationCommandLine *cmdline;
  char     *screenshot;
  int       frames_left;
  int       retries;
  guint     timeout_id;
  guint     poll_id;
} Screenshot;

static const GOptionEntry option_entries[] = {
  { "compare", 'c', 0, G_OPTION_ARG_FILENAME, NULL,
    "Compare the scenario with this capture bundle, pcap or JSON trace", "CAPTURE" },
  { "cursor", 0, 0, G_OPTION_ARG_STRING, NULL,
    "Put the time cursor at TIME (e.g. 2.5s)", "TIME" },
  { "select", 0, 0, G_OPTION_ARG_INT, NULL,
    "Select record INDEX of the trace and show it in the inspector", "INDEX" },
  { "select-packet", 0, 0, G_OPTION_ARG_INT, NULL,
    "Select packet N (counted from 1) and show it in the inspector", "N" },
  { "zoom", 0, 0, G_OPTION_ARG_STRING, NULL,
    "Zoom to a time range, e.g. 0s..3s", "FROM..TO" },
  { "select-cell", 0, 0, G_OPTION_ARG_STRING, NULL,
    "Sweep outcome maps: mark cell X,Y (counted from 0, from the bottom left)", "X,Y" },
  { "open-cell", 0, 0, G_OPTION_ARG_STRING, NULL,
    "Sweep outcome maps: open the run of cell X,Y in a main window", "X,Y" },
  { "style", 0, 0, G_OPTION_ARG_STRING, NULL,
    "Use the light or dark style for this run (system, light, dark)", "STYLE" },
  { "size", 0, 0, G_OPTION_ARG_STRING, NULL,
    "Window size in pixels", "WIDTHxHEIGHT" },
  { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    "Save a PNG of the window once it is drawn, then quit", "FILE" },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, "Print the version and exit", NULL },
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL, "[FILE…]" },
  { NULL }
};

/* Windows -------------------------------------------------------------- */

static TlWindow *
new_window (TlApp *self)
{
  TlWindow *window = tl_window_new (GTK_APPLICATION (self));

  gtk_window_present (GTK_WINDOW (window));
  return window;
}

/* A window for FILE: the active one when it still shows the untouched
 * default scenario, a new one otherwise. */
static TlWindow *
window_for_file (TlApp *self,
                 GFile *file)
{
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (self));
  TlWindow *window;

  if (TL_IS_WINDOW (active) && tl_window_is_pristine (TL_WINDOW (active)))
    window = TL_WINDOW (active);
  else
    window = new_window (self);
  tl_window_open_file (window, file);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

/* A sweep's rows open in a sweep window; if they cannot, the error shows
 * in a main window, as for any file that does not open. */
static GtkWindow *
open_sweep (TlApp *self,
            GFile *file)
{
  g_autoptr(GError) error = NULL;
  TlSweepWindow *sweep = tl_sweep_window_new (GTK_APPLICATION (self), file, &error);
  GtkWindow *active;
  TlWindow *window;

  if (sweep != NULL)
    {
      gtk_window_present (GTK_WINDOW (sweep));
      return GTK_WINDOW (sweep);
    }
  active = gtk_application_get_active_window (GTK_APPLICATION (self));
  window = TL_IS_WINDOW (active) ? TL_WINDOW (active) : new_window (self);
  tl_window_show_error (window, error->message);
  return GTK_WINDOW (window);
}

static void
tl_app_activate (GApplication *application)
{
  TlApp *self = TL_APP (application);
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (self));
  TlWindow *window;

  if (active != NULL)
    {
      gtk_window_present (active);
      return;
    }
  window = new_window (self);
  tl_window_open_default (window);
}

static void
tl_app_open (GApplication  *application,
             GFile        **files,
             int            n_files,
             const char    *hint)
{
  TlApp *self = TL_APP (application);

  for (int i = 0; i < n_files; i++)
    {
      if (tl_sweep_window_file_is_sweep (files[i]))
        open_sweep (self, files[i]);
      else
        window_for_file (self, files[i]);
    }
}

/* Screenshots ------------------------------------------------------------- */

static void
screenshot_free (Screenshot *shot)
{
  g_clear_handle_id (&shot->timeout_id, g_source_remove);
  g_clear_handle_id (&shot->poll_id, g_source_remove);
  g_application_release (G_APPLICATION (shot->app));
  g_clear_object (&shot->cmdline);
  g_free (shot->screenshot);
  g_free (shot);
}

static void
screenshot_finish (Screenshot *shot,
                   gboolean    ok)
{
  TlApp *app = shot->app;

  if (!ok)
    g_application_command_line_set_exit_status (shot->cmdline, 1);
  screenshot_free (shot);
  g_application_quit (G_APPLICATION (app));
}

static gboolean
screenshot_tick (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 gpointer       user_data)
{
  Screenshot *shot = user_data;
  g_autoptr(GError) error = NULL;

  /* A few frames after everything is ready: the layout, the tiles and
   * the spinner have all settled. */
  if (--shot->frames_left > 0)
    {
      gtk_widget_queue_draw (widget);
      return G_SOURCE_CONTINUE;
    }
  if (!tl_save_window_png (shot->window, shot->screenshot, &error))
    {
      /* Under a busy X server the first frames may not have been drawn
       * yet ("nothing to draw"): try again on later frames. */
      if (++shot->retries < SCREENSHOT_RETRIES)
        {
          gtk_widget_queue_draw (widget);
          return G_SOURCE_CONTINUE;
        }
      g_printerr ("tcpladder-gtk: %s\n", error->message);
      screenshot_finish (shot, FALSE);
    }
  else
    screenshot_finish (shot, TRUE);
  return G_SOURCE_REMOVE;
}

static gboolean
screenshot_poll (gpointer user_data)
{
  Screenshot *shot = user_data;
  gboolean ready = gtk_widget_get_mapped (GTK_WIDGET (shot->window));

  /* A main window is ready once its simulation (or its error) is shown. */
  if (TL_IS_WINDOW (shot->window))
    {
      TlWindow *window = TL_WINDOW (shot->window);
      TlDocument *document = tl_window_get_document (window);

      ready = ready && !tl_document_get_running (document)
              && (tl_document_get_trace (document) != NULL
                  || tl_window_get_error_text (window) != NULL);
    }

  if (!ready)
    return G_SOURCE_CONTINUE;
  shot->poll_id = 0;
  shot->frames_left = 4;
  gtk_widget_add_tick_callback (GTK_WIDGET (shot->window), screenshot_tick, shot, NULL);
  gtk_widget_queue_draw (GTK_WIDGET (shot->window));
  return G_SOURCE_REMOVE;
}

static gboolean
screenshot_timeout (gpointer user_data)
{
  Screenshot *shot = user_data;

  shot->timeout_id = 0;
  g_printerr ("tcpladder-gtk: %s: the window did not settle in %d s\n",
              shot->screenshot, SCREENSHOT_TIMEOUT_MS / 1000);
  screenshot_finish (shot, FALSE);
  return G_SOURCE_REMOVE;
}

static void
start_screenshot (TlApp                   *self,
                  GApplicationCommandLine *cmdline,
                  GtkWindow               *window,
                  const char              *path)
{
  Screenshot *shot = g_new0 (Screenshot, 1);

  shot->app = self;
  shot->cmdline = g_object_ref (cmdline);
  shot->window = window;
  shot->screenshot = g_strdup (path);
  g_application_hold (G_APPLICATION (self));
  shot->poll_id = g_timeout_add (50, screenshot_poll, shot);
  shot->timeout_id = g_timeout_add (SCREENSHOT_TIMEOUT_MS, screenshot_timeout, shot);
}

/* Command line ------------------------------------------------------------- */

static gboolean
parse_size (const char *text,
            int        *width,
            int        *height)
{
  char *end = NULL;
  gint64 w, h;

  w = g_ascii_strtoll (text, &end, 10);
  if (end == text || (*end != 'x' && *end != 'X'))
    return FALSE;
  text = end + 1;
  h = g_ascii_strtoll (text, &end, 10);
  if (end == text || *end != '\0' || w < 200 || h < 200 || w > 8192 || h > 8192)
    return FALSE;
  *width = (int) w;
  *height = (int) h;
  return TRUE;
}

static gboolean
parse_range (const char *text,
             TlTime     *from,
             TlTime     *to)
{
  g_auto(GStrv) parts = g_strsplit (text, "..", 2);
  const char *detail;

  if (g_strv_length (parts) != 2)
    return FALSE;
  g_strstrip (parts[0]);
  g_strstrip (parts[1]);
  return tl_time_parse (parts[0], from, &detail) && tl_time_parse (parts[1], to, &detail)
         && *to > *from;
}

/* --size: WINDOW's default size.  FALSE (and a message) for a bad value. */
static gboolean
apply_size_option (GApplicationCommandLine *cmdline,
                   GtkWindow               *window,
                   GVariantDict            *options)
{
  const char *text;
  int width, height;

  if (!g_variant_dict_lookup (options, "size", "&s", &text))
    return TRUE;
  if (!parse_size (text, &width, &height))
    {
      g_application_command_line_printerr (cmdline,
                                           "tcpladder-gtk: --size: expected WIDTHxHEIGHT "
                                           "(200..8192 each), got '%s'\n", text);
      return FALSE;
    }
  gtk_window_set_default_size (window, width, height);
  return TRUE;
}

/* Applies the view options of a command line to WINDOW; FALSE (and a
 * message on the command line's stderr) for a bad one. */
static gboolean
apply_view_options (GApplicationCommandLine *cmdline,
                    TlWindow                *window,
                    GVariantDict            *options)
{
  const char *text;
  const char *detail = NULL;
  gint32 select;
  TlTime t, from, to;

  if (!apply_size_option (cmdline, GTK_WINDOW (window), options))
    return FALSE;
  if (g_variant_dict_lookup (options, "zoom", "&s", &text))
    {
      if (!parse_range (text, &from, &to))
        {
          g_application_command_line_printerr (cmdline,
                                               "tcpladder-gtk: --zoom: expected FROM..TO such as "
                                               "0s..3s, got '%s'\n", text);
          return FALSE;
        }
      tl_ladder_view_zoom_to_range (tl_window_get_ladder_view (window), from, to);
    }
  if (g_variant_dict_lookup (options, "cursor", "&s", &text))
    {
      if (!tl_time_parse (text, &t, &detail) || t < 0)
        {
          g_application_command_line_printerr (cmdline, "tcpladder-gtk: --cursor: %s: '%s'\n",
                                               detail != NULL ? detail : "not a time", text);
          return FALSE;
        }
      tl_ladder_view_set_cursor (tl_window_get_ladder_view (window), t);
    }
  if (g_variant_dict_lookup (options, "select", "i", &select))
    {
      if (select < 0)
        {
          g_application_command_line_printerr (cmdline,
                                               "tcpladder-gtk: --select: a record index is 0 or more\n");
          return FALSE;
        }
      g_object_set_data (G_OBJECT (window), "tl-select", GINT_TO_POINTER (select + 1));
    }
  if (g_variant_dict_lookup (options, "select-packet", "i", &select))
    {
      if (select < 1)
        {
          g_application_command_line_printerr (cmdline,
                                               "tcpladder-gtk: --select-packet: packets count from 1\n");
          return FALSE;
        }
      g_object_set_data (G_OBJECT (window), "tl-select-packet", GINT_TO_POINTER (select));
    }
  return TRUE;
}

/* --select names a record of a trace that may still be simulating. */
static void
on_trace_for_select (TlDocument *document,
                     TlWindow   *window)
{
  int select = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (window), "tl-select"));
  int packet = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (window), "tl-select-packet"));
  TlTrace *trace = tl_document_get_trace (document);

  if ((select <= 0 && packet <= 0) || trace == NULL)
    return;
  g_object_set_data (G_OBJECT (window), "tl-select", NULL);
  g_object_set_data (G_OBJECT (window), "tl-select-packet", NULL);
  for (guint i = 0; packet > 0 && i < tl_trace_get_n_records (trace); i++)
    if (tl_trace_get_record (trace, i)->packet == (guint32) packet
        && tl_trace_get_record (trace, i)->kind == TL_REC_SEND)
      {
        select = (int) i + 1;
        break;
      }
  g_signal_handlers_disconnect_by_func (document, on_trace_for_select, window);
  if (select <= 0)
    return;
  tl_ladder_view_select_record (tl_window_get_ladder_view (window), 0, (guint) select - 1);
}

/* "X,Y" as --select-cell and --open-cell take it. */
static gboolean
parse_cell (const char *text,
            guint      *x,
            guint      *y)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", 3);
  guint64 vx, vy;

  return g_strv_length (parts) == 2
         && g_ascii_string_to_unsigned (g_strstrip (parts[0]), 10, 0, G_MAXUINT, &vx, NULL)
         && g_ascii_string_to_unsigned (g_strstrip (parts[1]), 10, 0, G_MAXUINT, &vy, NULL)
         && (*x = (guint) vx, *y = (guint) vy, TRUE);
}

/* Applies --size, --select-cell and --open-cell to a sweep window; sets
 * *OPENED to the main window --open-cell made.  FALSE (and a message) for
 * a bad value. */
static gboolean
apply_sweep_options (GApplicationCommandLine *cmdline,
                     TlSweepWindow           *sweep,
                     GVariantDict            *options,
                     TlWindow               **opened)
{
  const char *names[] = { "select-cell", "open-cell" };
  const char *text;

  if (!apply_size_option (cmdline, GTK_WINDOW (sweep), options))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      guint x, y;
      g_autoptr(GError) error = NULL;

      if (!g_variant_dict_lookup (options, names[i], "&s", &text))
        continue;
      if (!parse_cell (text, &x, &y) || !tl_sweep_window_select_cell (sweep, x, y))
        {
          g_application_command_line_printerr (cmdline, "tcpladder-gtk: --%s: no cell '%s' "
                                               "on this map (X,Y counted from 0)\n",
                                               names[i], text);
          return FALSE;
        }
      if (i == 1 && (*opened = tl_sweep_window_open_cell (sweep, x, y, &error)) == NULL)
        {
          g_application_command_line_printerr (cmdline, "tcpladder-gtk: --open-cell: %s\n",
                                               error->message);
          return FALSE;
        }
    }
  return TRUE;
}

static int
tl_app_command_line (GApplication            *application,
                     GApplicationCommandLine *cmdline)
{
  TlApp *self = TL_APP (application);
  GVariantDict *options = g_application_command_line_get_options_dict (cmdline);
  g_autofree const char **files = NULL;
  const char *compare = NULL;
  const char *screenshot = NULL;
  const char *style = NULL;
  TlColorScheme scheme;
  GtkWindow *shown = NULL;
  TlWindow *window = NULL;

  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &files);
  g_variant_dict_lookup (options, "compare", "^&ay", &compare);
  g_variant_dict_lookup (options, "screenshot", "^&ay", &screenshot);

  if (g_variant_dict_lookup (options, "style", "&s", &style))
    {
      if (!tl_color_scheme_from_string (style, &scheme))
        {
          g_application_command_line_printerr (cmdline,
                                               "tcpladder-gtk: --style: expected system, light "
                                               "or dark, got '%s'\n", style);
          return 2;
        }
      /* For this run only: a screenshot must not change the user's choice. */
      g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme",
                    scheme == TL_COLOR_SCHEME_DARK, NULL);
    }

  if (files != NULL && files[0] != NULL)
    {
      for (guint i = 0; files[i] != NULL; i++)
        {
          g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (cmdline, files[i]);

          if (tl_sweep_window_file_is_sweep (file))
            shown = open_sweep (self, file);
          else
            shown = GTK_WINDOW (window_for_file (self, file));
        }
    }
  else
    {
      GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (self));

      if (active != NULL && compare == NULL && screenshot == NULL)
        {
          gtk_window_present (active);
          return 0;
        }
      shown = GTK_WINDOW (new_window (self));
      tl_window_open_default (TL_WINDOW (shown));
    }

  /* The options of a sweep window; --open-cell hands on to the run's
   * window, which the view options and the screenshot are then about. */
  if (TL_IS_SWEEP_WINDOW (shown))
    {
      if (!apply_sweep_options (cmdline, TL_SWEEP_WINDOW (shown), options, &window))
        return 2;
      if (window != NULL)
        shown = GTK_WINDOW (window);
    }
  else
    window = TL_WINDOW (shown);

  if (window != NULL && !apply_view_options (cmdline, window, options))
    return 2;
  if (window != NULL
      && (g_object_get_data (G_OBJECT (window), "tl-select") != NULL
          || g_object_get_data (G_OBJECT (window), "tl-select-packet") != NULL))
    {
      TlDocument *document = tl_window_get_document (window);

      g_signal_connect (document, "trace-changed", G_CALLBACK (on_trace_for_select), window);
      on_trace_for_select (document, window);
    }
  if (window != NULL && compare != NULL)
    {
      g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (cmdline, compare);

      tl_window_open_reference (window, file);
    }
  if (screenshot != NULL)
    {
      g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (cmdline, screenshot);
      g_autofree char *path = g_file_get_path (file);

      start_screenshot (self, cmdline, shown, path);
    }
  return 0;
}

static int
tl_app_handle_local_options (GApplication *application,
                             GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      printf ("tcpladder-gtk " TL_VERSION "\n");
      return 0;
    }
  return -1;
}

/* App actions ---------------------------------------------------------------- */

static void
action_quit (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (user_data));

  /* Closing each window asks about its unsaved changes; the app quits
   * when the last one is gone. */
  for (GList *l = g_list_copy (windows), *next; l != NULL; l = next)
    {
      next = l->next;
      gtk_window_close (GTK_WINDOW (l->data));
      g_list_free_1 (l);
    }
}

static void
action_new_window (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  TlWindow *window = new_window (TL_APP (user_data));

  tl_window_open_default (window);
}

static void
action_about (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  static const char *authors[] = { "The tcpladder developers", NULL };

  gtk_show_about_dialog (gtk_application_get_active_window (GTK_APPLICATION (user_data)),
                         "program-name", "tcpladder",
                         "version", TL_VERSION,
                         "comments", "See what happens on the wire when two TCP endpoints act "
                                     "at nearly the same time: simultaneous open and close, "
                                     "simulated and checked against real Linux.",
                         "logo-icon-name", TL_APP_ID,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "authors", authors,
                         NULL);
}

static void
change_color_scheme (GSimpleAction *action,
                     GVariant      *value,
                     gpointer       user_data)
{
  TlColorScheme scheme;

  if (!tl_color_scheme_from_string (g_variant_get_string (value, NULL), &scheme))
    return;
  g_simple_action_set_state (action, value);
  tl_color_scheme_set_choice (scheme);
}

static const GActionEntry app_entries[] = {
  { "quit", action_quit },
  { "new-window", action_new_window },
  { "about", action_about },
  { "color-scheme", NULL, "s", "'system'", change_color_scheme },
};

static const struct
{
  const char *action;
  const char *accels[4];
} accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.new-window", { "<Control>n", NULL } },
  { "win.open", { "<Control>o", NULL } },
  { "win.open-reference", { "<Control><Shift>o", NULL } },
  { "win.save", { "<Control>s", NULL } },
  { "win.save-as", { "<Control><Shift>s", NULL } },
  { "win.export", { "<Control>e", NULL } },
  { "win.undo", { "<Control>z", NULL } },
  { "win.redo", { "<Control><Shift>z", "<Control>y", NULL } },
  { "win.zoom-in", { "<Control>plus", "<Control>equal", "<Control>KP_Add", NULL } },
  { "win.zoom-out", { "<Control>minus", "<Control>KP_Subtract", NULL } },
  { "win.zoom-fit", { "<Control>0", "<Control>KP_0", NULL } },
  { "win.compress-idle", { "<Control>i", NULL } },
  { "win.show-params", { "F9", NULL } },
  { "win.show-inspector", { "<Shift>F9", NULL } },
  { "win.close", { "<Control>w", NULL } },
};

static void
tl_app_startup (GApplication *application)
{
  TlApp *self = TL_APP (application);
  GtkCssProvider *css;
  GAction *scheme;

  G_APPLICATION_CLASS (tl_app_parent_class)->startup (application);

  tl_color_scheme_init ();
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_entries,
                                   G_N_ELEMENTS (app_entries), self);
  scheme = g_action_map_lookup_action (G_ACTION_MAP (self), "color-scheme");
  g_simple_action_set_state (G_SIMPLE_ACTION (scheme),
                             g_variant_new_string (tl_color_scheme_to_string (tl_color_scheme_get_choice ())));
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);

  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/io/github/tcpladder/TcpLadder/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_unref (css);
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    "/io/github/tcpladder/TcpLadder/icons");
  gtk_window_set_default_icon_name (TL_APP_ID);
  self->styled = TRUE;
}

static void
tl_app_shutdown (GApplication *application)
{
  tl_color_scheme_shutdown ();
  G_APPLICATION_CLASS (tl_app_parent_class)->shutdown (application);
}

static void
tl_app_class_init (TlAppClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->startup = tl_app_startup;
  app_class->shutdown = tl_app_shutdown;
  app_class->activate = tl_app_activate;
  app_class->open = tl_app_open;
  app_class->command_line = tl_app_command_line;
  app_class->handle_local_options = tl_app_handle_local_options;
}

static void
tl_app_init (TlApp *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), "[FILE…]");
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            "Explore the timing of TCP simultaneous open and close: "
                                            "open a scenario (.scn), a capture bundle, a pcap or a "
                                            "JSON trace.");
}

TlApp *
tl_app_new (void)
{
  return g_object_new (TL_TYPE_APP,
                       "application-id", TL_APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN | G_APPLICATION_HANDLES_COMMAND_LINE,
                       NULL);
}
